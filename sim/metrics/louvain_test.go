package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// fromEdges builds a projection of n nodes, all in the system, from an edge
// list (a, b, weight).
func fromEdges(n int, es []edge) *projection {
	p := &projection{}
	p.in = make([]bool, n)
	for i := range p.in {
		p.in[i] = true
	}
	p.nIn = n
	p.edges = append(p.edges[:0], es...)
	for i, e := range p.edges {
		if e.a > e.b {
			p.edges[i].a, p.edges[i].b = e.b, e.a
		}
	}
	p.finish(n)
	return p
}

// partition returns the communities l.run found, in projection node ids,
// with the isolates as singletons.
func partition(l *louvain, p *projection) [][]graph.Node {
	byComm := make([][]graph.Node, l.n)
	var comms [][]graph.Node
	for u := 0; u < p.n; u++ {
		if !p.in[u] {
			continue
		}
		c := l.idx[u]
		if c < 0 {
			comms = append(comms, []graph.Node{simple.Node(u)})
			continue
		}
		byComm[l.member[c]] = append(byComm[l.member[c]], simple.Node(u))
	}
	return append(comms, byComm...)
}

func labels(comms [][]graph.Node, n int) []int {
	lab := make([]int, n)
	for c, m := range comms {
		for _, x := range m {
			lab[x.ID()] = c
		}
	}
	return lab
}

// nmi is the normalised mutual information of two labellings (Danon et al.
// 2005), 1 for identical partitions.
func nmi(a, b []int) float64 {
	n := float64(len(a))
	ca, cb, cab := map[int]float64{}, map[int]float64{}, map[[2]int]float64{}
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		cab[[2]int{a[i], b[i]}]++
	}
	h := func(c map[int]float64) float64 {
		s := 0.0
		for _, x := range c {
			s -= x / n * math.Log(x/n)
		}
		return s
	}
	mi := 0.0
	for k, x := range cab {
		mi += x / n * math.Log(x*n/(ca[k[0]]*cb[k[1]]))
	}
	ha, hb := h(ca), h(cb)
	if ha+hb == 0 {
		return 1
	}
	return 2 * mi / (ha + hb)
}

// TestLouvainQ checks the modularity Louvain reports against gonum's
// community.Q of the same partition on the full projection (isolates added
// back as singletons), and blocs against the partition's communities of 2
// or more actors, on stepped synthetic worlds (isolates and organisations
// with members included).
func TestLouvainQ(t *testing.T) {
	for _, n := range []int{30, 120, 400} {
		w := simtest.Synthetic(n, uint64(n)+1)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(2))
		if err != nil {
			t.Fatal(err)
		}
		isolated := false
		var p projection
		var l louvain
		for s.T() < 30 {
			s.Step()
			p.build(s, GraphOptions{})
			if p.m == 0 {
				continue
			}
			rng := rand.New(rand.NewPCG(uint64(s.T()), 1))
			q, blocs := l.run(&p, rng)
			comms := partition(&l, &p)
			want, covered := 0, 0
			for _, c := range comms {
				covered += len(c)
				if len(c) >= 2 {
					want++
				} else if l.idx[c[0].ID()] < 0 {
					isolated = true
				}
			}
			if covered != p.nIn {
				t.Fatalf("N=%d step %d: partition covers %d of %d actors", n, s.T(), covered, p.nIn)
			}
			if ref := community.Q(&p, comms, 1); math.Abs(q-ref) > 1e-12 {
				t.Errorf("N=%d step %d: Q %v, gonum's Q of the partition %v", n, s.T(), q, ref)
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

// planted returns a planted-partition graph: k groups of size sz, each pair
// joined with probability pin inside a group and pout across, weights 1..4.
func planted(k, sz int, pin, pout float64, seed uint64) (int, []edge, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	n := k * sz
	var es []edge
	truth := make([]int, n)
	for i := 0; i < n; i++ {
		truth[i] = i / sz
		for j := i + 1; j < n; j++ {
			pr := pout
			if i/sz == j/sz {
				pr = pin
			}
			if rng.Float64() < pr {
				es = append(es, edge{int32(i), int32(j), float64(1 + rng.IntN(4))})
			}
		}
	}
	return n, es, truth
}

// TestLouvainAgainstGonum compares the partitions and modularity of this
// Louvain with gonum's community.Modularize (resolution 1) on reference
// graphs: Zachary's karate club, planted partitions of 200 and 1,000 nodes,
// and the projections of stepped synthetic worlds. Louvain is a heuristic
// whose result depends on the node order drawn, so the test compares over
// ten seeds each: the mean Q of ours must be at least gonum's less 0.005,
// no run may fall more than 0.03 below gonum's best, and on the planted
// graphs both must recover the planted groups (NMI >= 0.95).
func TestLouvainAgainstGonum(t *testing.T) {
	type ref struct {
		name  string
		p     *projection
		truth []int
	}
	var refs []ref
	var kes []edge
	for i, row := range karateRows {
		for _, j := range row {
			kes = append(kes, edge{int32(i - 1), int32(j - 1), 1})
		}
	}
	refs = append(refs, ref{name: "karate", p: fromEdges(34, kes)})
	for _, c := range []struct{ k, sz int }{{5, 40}, {20, 50}} {
		n, es, truth := planted(c.k, c.sz, 0.3, 0.01, uint64(c.k))
		refs = append(refs, ref{name: "planted", p: fromEdges(n, es), truth: truth})
	}
	for _, n := range []int{200, 1000} {
		w := simtest.Synthetic(n, 3)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(4))
		if err != nil {
			t.Fatal(err)
		}
		s.Run(30)
		p := &projection{}
		p.build(s, GraphOptions{})
		refs = append(refs, ref{name: "synthetic", p: p})
	}
	for _, r := range refs {
		var l louvain
		ours, theirs := 0.0, 0.0
		best := math.Inf(-1)
		var qs []float64
		for seed := uint64(0); seed < 10; seed++ {
			q, _ := l.run(r.p, rand.New(rand.NewPCG(seed, 3)))
			comms := partition(&l, r.p)
			if ref := community.Q(r.p, comms, 1); math.Abs(q-ref) > 1e-12 {
				t.Errorf("%s N=%d seed %d: Q %v, gonum's Q of the partition %v", r.name, r.p.n, seed, q, ref)
			}
			ours += q / 10
			qs = append(qs, q)
			g := community.Modularize(r.p, 1, rand.NewPCG(seed, 3))
			qg := community.Q(g, nil, 1)
			theirs += qg / 10
			best = max(best, qg)
			if r.truth != nil {
				if x := nmi(labels(comms, r.p.n), r.truth); x < 0.95 {
					t.Errorf("%s N=%d seed %d: NMI with the planted groups %.3f, want >= 0.95", r.name, r.p.n, seed, x)
				}
				if x := nmi(labels(g.Communities(), r.p.n), r.truth); x < 0.95 {
					t.Errorf("%s N=%d seed %d: gonum's NMI with the planted groups %.3f", r.name, r.p.n, seed, x)
				}
			}
		}
		t.Logf("%s N=%d m=%d: mean Q ours %.4f, gonum %.4f (best %.4f)", r.name, r.p.n, r.p.m, ours, theirs, best)
		if ours < theirs-0.005 {
			t.Errorf("%s N=%d: mean Q %.4f, gonum's %.4f", r.name, r.p.n, ours, theirs)
		}
		for _, q := range qs {
			if q < best-0.03 {
				t.Errorf("%s N=%d: a run reached Q %.4f, gonum's best %.4f", r.name, r.p.n, q, best)
			}
		}
	}
}

// karateRows is Zachary's karate club, 1-indexed; row i lists i's
// neighbours j > i (the same graph as karate in karate_test.go).
var karateRows = [][]int{
	1:  {2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 18, 20, 22, 32},
	2:  {3, 4, 8, 14, 18, 20, 22, 31},
	3:  {4, 8, 9, 10, 14, 28, 29, 33},
	4:  {8, 13, 14},
	5:  {7, 11},
	6:  {7, 11, 17},
	7:  {17},
	9:  {31, 33, 34},
	10: {34},
	14: {34},
	15: {33, 34},
	16: {33, 34},
	19: {33, 34},
	20: {34},
	21: {33, 34},
	23: {33, 34},
	24: {26, 28, 30, 33, 34},
	25: {26, 28, 32},
	26: {32},
	27: {30, 34},
	28: {34},
	29: {32, 34},
	30: {33, 34},
	31: {33, 34},
	32: {33, 34},
	33: {34},
}
