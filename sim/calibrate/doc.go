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
// every step's simulated network. The simulated alliance network is, by
// default, the pairwise ties of form alliance (Binding, the analogue of the
// CDM defence pacts); AllTies counts every pairwise tie. Minilateral groups
// and coalitions have no counterpart in the panel and are left out.
//
// Statistics (Stats): edges, density, global transitivity, isolates, the
// two-sample Kolmogorov–Smirnov distance between the simulated and the
// observed degree distributions of the year, the overlap of the top-10
// degree sets, and persistence (share of the previous year's ties still
// present). Compare returns one Row per year and statistic: the observed
// value, the replicate mean and the central 95% of the replicates
// (empirical 2.5% and 97.5% quantiles: a prediction band, not a confidence
// interval of the mean).
//
// # Calibrate
//
// Run fits a handful of parameters (DefaultBounds: upkeep_cost, temperature,
// opportunity_rate, closure_bias — the ones that set tie formation and
// dissolution rates and triadic closure) with gonum's Nelder–Mead on an
// unbounded transformed space (logit of the position in the search interval,
// on the log scale for scale parameters), minimising Objective: the mean
// over moments (DefaultMoments: density, transitivity, isolates,
// persistence) and fitted years of the squared standardised distance
// between the replicate mean and the observed value. Common random numbers
// make the objective a deterministic function of the parameters, so the fit
// is reproducible from the seed and independent of the number of workers.
// Steps 1..FitLast are fitted (1982–1995 from 1981), later ones are out of
// sample (1996–2000) and reported separately.
//
// The fitted values are written as an overlay: one --set override per line,
//
//	# comment lines
//	parameters.upkeep_cost=0.0298
//	parameters.temperature=0.0187
//
// which scenarios.ReadOverlay reads back into overrides for scenarios.Load.
package calibrate
