// Package cdm provides the importer of the empirical alliance panel of
// Cranmer, Desmarais & Menninga (2012): 164 states, 1981–2000, yearly defence
// alliances, militarised interstate disputes (MIDs), contiguity, Polity and
// COW CINC, with the COW state-system list. The panel ships inside the
// package (data/, with its README and terms); ReadPanel("") reads that
// embedded copy, ReadPanel(dir) the same files in a folder (errors name the
// file and line).
//
// Import (or Panel.Scenario) writes a scenario file that scenarios.Parse
// accepts, so that a run can start from the observed world of any year of
// the panel and be set beside the observed years that follow (package
// sim/calibrate; a run from 2000 goes StepsPastEnd years past the panel).
//
// # The imported scenario (design)
//
//   - One step is one year (steps_per_year: 1); steps = 2000 − year.
//   - Actors: the panel's 164 states, in its order, kind state, id = COW
//     abbreviation, name from cow_states_2016.csv (latest spell), region one
//     of 15 sub-regions from the COW code (Region: NorthAmerica,
//     CentralAmericaCaribbean, SouthAmerica, Europe, FormerSoviet,
//     WestAfrica, CentralAfrica, EastAfrica, SouthernAfrica, NorthAfrica,
//     MiddleEast, SouthAsia, EastAsia, SoutheastAsia, Oceania), so that
//     pacts act where they do.
//   - Presence: a state is in the system in a year when the COW list has it
//     and the panel gives it a capability (CINC > 0; InSystem). A state not
//     in the system in the import year enters the run in its first year in
//     it (enter), with that year's capability and values; one that leaves
//     for good exits (exit; the two Germanies and Yemens in 1990); gaps are
//     absences (absent: Kuwait in 1990, Lebanon from 1990). Successors
//     continue their predecessors' memberships and ties (inherits,
//     Successions: unified Germany the Federal Republic, Yemen both Yemens,
//     the Czech Republic and Slovakia Czechoslovakia); a successor and its
//     predecessor are never a dyad. COW code 365 is one state, RUS
//     ("Russia" 1816-2016 in the COW list), and one actor: the panel gives
//     it no capability before 1992, so RUS enters in 1992 and inherits
//     nothing (no Soviet alliance is in the panel), but the disputes the
//     panel codes for 365 in 1981-1991, the Soviet Union's, are RUS's
//     threat and rivalries below, as for any state's disputes in years it
//     is not in the system (Afghanistan before 1989, Cambodia before 1988).
//   - capability = CINC of the import (or entry) year; economy = CINC as
//     well (the panel has no GDP; CINC's industrial components make it a
//     rough proxy).
//   - values = [polity/10] (Values), with value_changes in every later year
//     the panel records a different Polity score: regime similarity as a
//     changing covariate, as the actor-oriented model of the same panel
//     takes it. No alignment value: it would read the alliances the run is
//     to explain into its inputs.
//   - autonomy = 0.5 for every state (Autonomy: no source gives it; one
//     rule for all).
//   - Multilateral pacts are organisations with members (Treaties: NATO, the
//     Rio Pact, the Arab League treaty, ECOWAS, the Warsaw Pact until 1991,
//     the CIS Collective Security Treaty from 1992, SADC from 1999, ECCAS
//     from 2000), each with a mutual-defence charter, consensus, membership
//     commitment PactCommitment and its age since founding; their members in
//     each year are inferred from the cliques the panel's dyads form
//     (Members, JoinShare and LeaveShare), and a pact founded later enters
//     in its year with the founders the panel shows. Common membership is a
//     defence dyad, so the import reproduces the observed dyads at step 0
//     exactly.
//   - ties: the observed bilateral defence alliances of the import year that
//     no pact explains, form alliance, level AllianceLevel, one per pair; age
//     = the consecutive years the panel records the pair up to the import
//     year, at least UnknownAgeYears when recorded from 1981 (its start is
//     before the panel: the built-ins' rule for an alliance of unknown age).
//     Trust then follows from the age. A dyad of a pact's members that the
//     panel still records the year after the pact ended is a bilateral
//     treaty alongside the pact (the Warsaw Pact's members' own treaties of
//     friendship and mutual assistance, six of them in force into 1992):
//     it is imported as an alliance besides the membership.
//   - threats: one conventional threat per state S in a MID from the import
//     year to 2000 (name mid-S, source S), exposing S's MID opponents of
//     those years with weight 1; its intensity is a yearly series,
//     DisputeThreat in the years S is in a MID and 0 otherwise. The MID
//     record is exogenous forcing (the threat environment), not a fitted
//     outcome. Contiguity is read (Panel.Contiguity) but not used: a
//     neighbour is not a threat by itself.
//   - rivalries: enmity between two states = the years with a MID between
//     them, over DisputeYearsForFullEnmity (Diehl & Goertz 2000), capped at 1.
//   - Parameters are the engine's defaults (a calibration overlay sets the
//     fitted ones).
package cdm
