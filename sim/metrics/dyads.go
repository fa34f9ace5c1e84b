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
	mem    []int      // scratch
}

func (d *dyadNet) build(s *sim.Sim, in []bool, members [][]int) {
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
	for t := range s.Ties() {
		if t.Form == sim.Alliance && isState(t.A) && isState(t.B) && t.A != t.B {
			g.edges = append(g.edges, edge{int32(min(t.A, t.B)), int32(max(t.A, t.B)), 1})
		}
	}
	for o := range n {
		if !actors[o].MutualDefence || !in[o] {
			continue
		}
		d.mem = d.mem[:0]
		for _, m := range members[o] {
			if isState(m) {
				d.mem = append(d.mem, m)
			}
		}
		for i, a := range d.mem {
			for _, b := range d.mem[i+1:] {
				g.edges = append(g.edges, edge{int32(min(a, b)), int32(max(a, b)), 1})
			}
		}
	}
	g.finish(n)
}
