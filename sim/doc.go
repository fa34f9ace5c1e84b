// Package sim provides the entente alliance-dynamics engine: actors (states,
// organisations, informal groups of states), pairwise security ties, minilateral
// groups and threat-bound coalitions as hyperedges, threats with intensity
// profiles, and patron retrenchment.
//
// # Shape
//
// A [World] is the static description of a scenario (actors, initial ties and
// groups, threats, retrenchment profiles). [New] turns a World, a [Params] and a
// seed into a [Sim], the mutable state of one run. [Sim.Step] advances it by
// one period following the process of the model description (docs/MODEL.md in
// the repository, in ODD form). A run is a pure function of (World, Params,
// seed): the Sim owns one ChaCha8 stream derived with [RunSeed] and never
// iterates a Go map where the order could reach a result.
//
// # Reading the state
//
// [Sim.Ties], [Sim.Groups], [Sim.EffectiveCapability], [Sim.PerceivedThreat]
// and friends expose the state for metrics and output; they return views that
// stay valid until the next Step.
package sim
