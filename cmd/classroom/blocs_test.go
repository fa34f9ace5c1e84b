package classroom

import (
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// TestBlocsFollowDefence: the page's alliance blocs are the engine's
// mutual defence. On every built-in, at step 0 and a few steps on, two
// actors share a bloc exactly when a chain of defence dyads
// (Sim.CommittedDyads), binding ties and memberships of mutual-defence
// organisations joins them, and a bloc is named after its most capable
// actor. The oracle walks that graph breadth-first from the engine's own
// API; Blocs unions it.
func TestBlocsFollowDefence(t *testing.T) {
	for _, in := range scenarios.List() {
		t.Run(in.Name, func(t *testing.T) {
			sc, err := scenarios.Load(in.Name)
			if err != nil {
				t.Fatal(err)
			}
			ss := &session{id: "blocs"}
			if err := ss.load(sc, true, 1); err != nil {
				t.Fatal(err)
			}
			dyads := 0
			for _, at := range []int{0, 6} {
				ss.step(at - ss.s.T())
				dyads += checkBlocs(t, ss.s)
			}
			if dyads == 0 {
				t.Logf("%s: no defence dyad at steps 0 and 6", in.Name)
			}
		})
	}
}

// checkBlocs compares Blocs(s) with the components of the defence graph
// and returns the number of defence dyads.
func checkBlocs(t *testing.T, s *sim.Sim) int {
	t.Helper()
	w := s.World()
	n := len(w.Actors)
	adj := make([][]int, n)
	link := func(a, b int) { adj[a] = append(adj[a], b); adj[b] = append(adj[b], a) }
	dyads := 0
	for d := range s.CommittedDyads() {
		link(d.A, d.B)
		dyads++
	}
	for tie := range s.Ties() {
		if tie.Form.Binding() {
			link(tie.A, tie.B)
		}
	}
	for o := range w.Actors {
		if w.Actors[o].MutualDefence && s.InSystem(o) {
			for _, m := range s.MembersOf(o) {
				if s.InSystem(m) {
					link(o, m)
				}
			}
		}
	}
	comp := make([]int, n)
	for i := range comp {
		comp[i] = -1
	}
	for i := range n {
		if comp[i] >= 0 || len(adj[i]) == 0 {
			continue
		}
		comp[i] = i
		queue := []int{i}
		best := i
		for len(queue) > 0 {
			x := queue[0]
			queue = queue[1:]
			if cx, cb := s.EffectiveCapability(x), s.EffectiveCapability(best); cx > cb || cx == cb && x < best {
				best = x
			}
			for _, y := range adj[x] {
				if comp[y] < 0 {
					comp[y] = i
					queue = append(queue, y)
				}
			}
		}
		for j := range n {
			if comp[j] == i {
				comp[j] = -2 - best // marks the component by its leader
			}
		}
	}
	blocs := Blocs(s)
	for i := range n {
		want := ""
		if comp[i] <= -2 {
			want = w.Actors[-2-comp[i]].ID
		}
		if blocs[i] != want {
			t.Errorf("step %d: %s is in bloc %q, want %q (the defence graph)", s.T(), w.Actors[i].ID, blocs[i], want)
		}
	}
	return dyads
}
