// Package calibrate provides the comparison of simulated alliance networks
// with an observed yearly panel and the calibration of model parameters to it
// by the simulated method of moments.
//
// # Compare
//
// A Target holds the observed networks, one per step (TargetFromPanel: the
// CDM panel from a year to 2000). Simulate runs replicates of a scenario
// with sim/runner (seeds sim.RunSeed(seed, scenario name, 0, replicate), so
// every call with the same seed sees the same random numbers) and measures
// every step's simulated network. The simulated network is, by default,
// the defence dyads (Dyads: every pair of states bound by a bilateral
// alliance or by common membership of a mutual-defence organisation,
// sim.Sim.DefenceDyads: the unit the panel counts); Binding counts the
// bilateral alliances only and AllTies every pairwise tie and dyad.
// Minilateral groups and coalitions have no counterpart in the panel and
// are left out.
//
// Statistics (Stats): edges, density, global transitivity, isolates, the
// two-sample Kolmogorov–Smirnov distance between the simulated and the
// observed degree distributions of the year, the overlap of the top-10
// degree sets, persistence (share of the previous year's dyads still
// present) and five-year persistence (of the dyads five years before).
// Compare returns one Row per year and statistic: the observed value, the
// replicate mean and the central 95% of the replicates (empirical 2.5% and
// 97.5% quantiles: a prediction band, not a confidence interval of the
// mean). OneStep is the conditional one-step-ahead check of actor-oriented
// models (each year simulated from the observed year before), Targets the
// project's targets on the record (issue 12), SAOMReference the figures of
// an actor-oriented model fitted to the same panel.
//
// # Calibrate
//
// Run fits the behavioural parameters (DefaultBounds: temperature,
// opportunity_rate, partnership_rate, autonomy_weight, upkeep_cost,
// tie_cost, creation_cost, lockin_weight, entrapment_weight, base_need,
// influence_weight: those whose defaults sim.ParamSpecs marks Calibrated)
// with gonum's Nelder–Mead on an unbounded transformed space (logit of the
// position in the search interval, on the log scale for scale
// parameters), minimising Objective: the mean over moments
// (DefaultMoments: density, transitivity, isolates, persistence and
// five-year persistence) and fitted years of the squared standardised
// distance between the replicate mean and the observed value, plus, with
// Config.Stationary, the moments of a cross-section assumed stationary
// (the built-in baseline: its tie counts by form and with support, the
// share of deep ties, the ties' mean age and the number of young ties held
// over its run; see
// Stationary), each counting as one more series. Common random numbers
// make the objective a deterministic function of the parameters, so the
// fit is reproducible from the seed and independent of the number of
// workers. Steps 1..FitLast are fitted (1982–1995 from 1981), later ones
// are out of sample (1996–2000) and reported separately.
//
// A calibration cut short resumes. Each evaluation, as it finishes, goes
// to a checkpoint (CreateCheckpoint, CheckpointWriter.Write: one line of
// CheckpointFile, synced to disk, every number in the shortest form that
// reads back to the same float64), headed by the calibration's Identity (a
// SHA-256 of the scenario, its parameters, bounds, moments, fitted steps,
// budget, starts, replicates, seed, network, stationary cross-section and
// the caller's version). ReadCheckpoint reads it back, dropping a last line
// a kill cut short; Config.Replay then serves the evaluations it holds
// instead of simulating them. Nelder–Mead is deterministic and so is the
// objective, so a resumed search asks for the same values in the same
// order (Run checks each against the checkpoint) and ends with the fit of an
// uninterrupted run.
//
// The fitted values are written as an overlay: one --set override per line,
//
//	# comment lines
//	parameters.temperature=0.1345
//	parameters.opportunity_rate=0.0187
//
// which scenarios.ReadOverlay reads back into overrides for scenarios.Load.
package calibrate
