// Package cdm provides the importer of the empirical alliance panel of
// Cranmer, Desmarais & Menninga (2012): 164 states, 1981–2000, yearly defence
// alliances, militarised interstate disputes (MIDs), contiguity, Polity and
// COW CINC (the files of shared/data/empirical, see its README.md).
//
// ReadPanel reads the panel (errors name the file and line); Import (or
// Panel.Scenario) writes a scenario file that scenarios.Parse accepts, so
// that a run can start from the observed world of a year and be set beside
// the observed years that follow (package sim/calibrate).
//
// # The imported scenario (design)
//
//   - Actors: the panel's 164 states, in its order, kind state, id = COW
//     abbreviation, name from cow_states_2016.csv (latest spell), region from
//     the COW code (Americas 2–165, Europe 200–399, Africa 400–626,
//     MiddleEast 630–698, Asia 700–990). States not yet in the system in the
//     import year (CINC 0 and no alliance: e.g. the post-Soviet states in
//     1981; note the panel has no Soviet Union: RUS enters in 1992) enter the
//     run (the actor field enter) in the first year they have a CINC, with
//     that year's capability and values; before, they are isolates that
//     neither act nor are sought. States that leave the system (the two
//     Germanies in 1990) are not removed.
//   - capability = CINC of the import year; economy = CINC as well (the panel
//     has no GDP; CINC's industrial components make it a rough proxy).
//   - values = [polity/10, alignment]: alignment with the US alliance system
//     is 2·(share of the state's alliance partners that are the USA or its
//     allies) − 1, and 0 for a state without alliances (NATO and Rio Pact
//     members near +1, Warsaw Pact and Arab League members near −1).
//   - autonomy = 0.3 for states with a defence alliance in the import year,
//     0.7 for states without one (revealed non-alignment).
//   - ties: the observed defence alliances of the import year, form alliance,
//     level institutionalised, one per pair (trust from the level).
//   - threats: one conventional threat per state s involved in a MID in any
//     year from the import year to 2000 (name mid-S, source S): it exposes
//     s's MID opponents of those years with weight 1 and its contiguous
//     states with weight 0.5; its intensity is a series, one point per
//     year: min(1, opponents of s that year / 3). The MID record is
//     exogenous forcing (the threat environment), not a fitted outcome.
//   - steps = 2000 − year: one step is one year. Parameters are the engine's
//     defaults (a calibration overlay sets the fitted ones).
package cdm
