package sim

import (
	"iter"
	"slices"
)

// Dyad is a pair of states bound by mutual defence at a step: through a
// bilateral alliance (Via = -1) or through common membership of an
// organisation whose charter carries a mutual-defence clause (Via = the
// organisation's index). A < B. This is the unit the Correlates of War and
// ATOP alliance data count.
type Dyad struct {
	A, B int
	Via  int
}

// MembersOf returns the current members of actor o (an organisation or
// informal group), sorted by index; nil for a state. The slice is a
// read-only view valid until the next Step.
func (s *Sim) MembersOf(o int) []int { return s.w.Actors[o].Members }

// OrganisationsOf returns the organisations and groups actor i currently
// belongs to (read-only view, valid until the next Step).
func (s *Sim) OrganisationsOf(i int) []int { return s.memberOf[i] }

// InSystem reports whether actor i is in the system at this step: it has
// entered and not left.
func (s *Sim) InSystem(i int) bool { return s.Active(i) }

// DefenceDyads yields every pair of states bound by mutual defence at this
// step, once per pair and in a deterministic order (ascending A, then B):
// a bilateral alliance first, otherwise the first mutual-defence
// organisation (by index) the two belong to.
func (s *Sim) DefenceDyads() iter.Seq[Dyad] {
	return func(yield func(Dyad) bool) {
		seen := make(map[uint64]bool)
		var out []Dyad
		add := func(a, b, via int) {
			if a == b || !s.state[a] || !s.state[b] {
				return
			}
			if a > b {
				a, b = b, a
			}
			k := pairKey(int32(a), int32(b))
			if seen[k] {
				return
			}
			seen[k] = true
			out = append(out, Dyad{A: a, B: b, Via: via})
		}
		for t := range s.Ties() {
			if t.Form == Alliance {
				add(t.A, t.B, -1)
			}
		}
		for o := range s.w.Actors {
			if !s.w.Actors[o].MutualDefence || !s.InSystem(o) {
				continue
			}
			mem := s.MembersOf(o)
			for x, a := range mem {
				for _, b := range mem[x+1:] {
					add(a, b, o)
				}
			}
		}
		sortDyads(out)
		for _, d := range out {
			if !yield(d) {
				return
			}
		}
	}
}

func sortDyads(ds []Dyad) {
	// by (A, B)
	slices.SortFunc(ds, func(x, y Dyad) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
}
