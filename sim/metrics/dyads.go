package metrics

import "github.com/entente/entente/sim"

// dyadNet is the defence-dyad network: its nodes are the states in the
// system, and two of them are joined when they are bound by mutual defence
// at the step, through a bilateral alliance (a pairwise tie of form
// alliance) or through common membership of an organisation in the system
// whose charter carries a mutual-defence clause (Actor.MutualDefence). It is
// the set of pairs sim.Sim.DefenceDyads yields, restricted to states in the
// system, and the unit the Correlates of War and ATOP alliance data count.
type dyadNet struct {
	g      projection // weights are the number of reasons a pair is bound; unused
	states int        // states in the system
	buf    []sim.Dyad // scratch
}

// build takes the engine's own dyads (sim.Sim.AppendDefenceDyads: the one
// definition, treaties in force, with successions), restricted to the
// states in the system.
func (d *dyadNet) build(s *sim.Sim, in []bool) {
	actors := s.World().Actors
	n := s.N()
	isState := func(i int) bool { return in[i] && actors[i].Kind == sim.State }
	d.states = 0
	for i := range n {
		if isState(i) {
			d.states++
		}
	}
	g := &d.g
	g.edges = g.edges[:0]
	d.buf = s.AppendDefenceDyads(d.buf[:0])
	for _, x := range d.buf {
		if isState(x.A) && isState(x.B) {
			g.edges = append(g.edges, edge{int32(x.A), int32(x.B), 1})
		}
	}
	g.finish(n)
}
