package metrics

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// TestLouvainQ checks that the modularity read off the top level of
// Modularize's result on the compact graph (isolates left out) is gonum's Q
// of the same partition on the full projection, isolates added back as
// singletons, and that blocs counts its communities of 2 or more actors.
func TestLouvainQ(t *testing.T) {
	for _, n := range []int{30, 120, 400} {
		w := simtest.Synthetic(n, uint64(n)+1)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(2))
		if err != nil {
			t.Fatal(err)
		}
		o := &Observer{seed: 5}
		isolated := false
		for s.T() < 30 {
			s.Step()
			o.proj.build(s, GraphOptions{})
			if o.proj.m == 0 {
				continue
			}
			o.seedSource(s.T())
			q, blocs := o.louvain()

			// the partition louvain found, in actor indices, isolates as
			// singletons
			o.seedSource(s.T())
			r := community.Modularize(&o.comp, 1, o.src)
			back := make([]int64, 0, n)
			for u := 0; u < n; u++ {
				if o.comp.idx[u] >= 0 {
					back = append(back, int64(u))
				}
			}
			var comms [][]graph.Node
			want, covered := 0, 0
			for _, c := range r.Communities() {
				var m []graph.Node
				for _, x := range c {
					m = append(m, simple.Node(back[x.ID()]))
				}
				comms = append(comms, m)
				covered += len(m)
				if len(m) >= 2 {
					want++
				}
			}
			for u := 0; u < n; u++ {
				if o.comp.idx[u] < 0 {
					isolated = true
					comms = append(comms, []graph.Node{simple.Node(u)})
					covered++
				}
			}
			if covered != n {
				t.Fatalf("N=%d step %d: partition covers %d of %d actors", n, s.T(), covered, n)
			}
			if ref := community.Q(&o.proj, comms, 1); math.Abs(q-ref) > 1e-12 {
				t.Errorf("N=%d step %d: Q %v, gonum's Q on the full projection %v", n, s.T(), q, ref)
			}
			if blocs != want {
				t.Errorf("N=%d step %d: %d blocs, want %d", n, s.T(), blocs, want)
			}
		}
		if !isolated {
			t.Errorf("N=%d: no isolates: the test does not exercise leaving them out", n)
		}
	}
}
