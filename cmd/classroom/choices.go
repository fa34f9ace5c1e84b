package classroom

import "github.com/entente/entente/sim"

// The glue between a class and the engine's choices API (sim.Choices, the
// Controller, the Recorder).
//
// TODO(classroom): the engine's choices API has not landed on main yet;
// until it does, no actor has options to show and a class's rounds run on
// the model alone.

// options returns actor i's options now, with the model's expected change
// in utility by term. The caller holds ss.mu.
func (ss *session) options(i int, seed uint64) []option {
	return []option{}
}

// install makes the class the controller and recorder of a new run.
func (c *Class) install(s *sim.Sim) {}
