package metrics

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph/network"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// randomGraph is an Erdős–Rényi-like graph of n nodes and about m edges,
// with a few pendant paths and an isolated edge, so that the leaves that
// Brandes' algorithm does not run as sources appear.
func randomGraph(n, m int, seed uint64) *projection {
	rng := rand.New(rand.NewPCG(seed, 11))
	var es []edge
	for range m {
		a, b := rng.IntN(n-4), rng.IntN(n-4)
		if a != b {
			es = append(es, edge{int32(a), int32(b), 1})
		}
	}
	es = append(es, edge{int32(n - 4), 0, 1}, edge{int32(n - 3), int32(n - 4), 1}, edge{int32(n - 2), int32(n - 1), 1})
	return fromEdges(n, es)
}

// observerOn returns an Observer whose current projection is p, following
// every node.
func observerOn(p *projection, pivots int) *Observer {
	o := &Observer{proj: p, pivots: pivots, seed: 1}
	for i := 0; i < p.n; i++ {
		o.actors = append(o.actors, i)
	}
	return o
}

// method runs one of the betweenness algorithms on p and returns the
// unnormalised values (each unordered pair once).
func method(t *testing.T, p *projection, name string) []float64 {
	t.Helper()
	o := observerOn(p, -1)
	switch name {
	case "auto":
		o.betweenness()
	case "pairs", "bits", "csr":
		// betweenness sets up sources and leaves; then rerun by hand
		o.pivots = -1
		o.betweenness()
		if name == "pairs" {
			clear(o.bc)
			if !o.betweennessPairs(len(o.cand)) {
				t.Fatalf("pairs refused a graph of %d nodes", p.n)
			}
			break
		}
		setupSources(o)
		clear(o.bc)
		if name == "bits" {
			o.bitAdjacency(len(o.cand))
			o.brandesBits(len(o.cand))
		} else {
			for i := range o.st {
				o.st[i] = bfsState{dist: -1}
			}
			o.brandesCSR()
		}
		for i := range o.bc {
			o.bc[i] /= 2
		}
	}
	return o.bc
}

// setupSources repeats the source selection of betweenness (exact): every
// connected node runs, except leaves hanging from a node of degree >= 2.
func setupSources(o *Observer) {
	p := o.proj
	o.leaves = resize(o.leaves, p.n)
	o.runs = resize(o.runs, p.n)
	clear(o.leaves)
	clear(o.runs)
	for _, s := range o.cand {
		if p.off[s]+1 == p.off[s+1] {
			if u := p.nbr[p.off[s]]; p.off[u+1]-p.off[u] >= 2 {
				o.leaves[u]++
				continue
			}
		}
		o.runs[s] = 1
	}
}

// TestBetweennessMethods checks the three exact algorithms (all-pairs
// counts, Brandes on bitsets, Brandes on the CSR) against each other and
// against gonum's network.Betweenness, on random graphs with leaves and
// isolated edges, the karate club and the projection of a synthetic world.
func TestBetweennessMethods(t *testing.T) {
	var kes []edge
	for i, row := range karateRows {
		for _, j := range row {
			kes = append(kes, edge{int32(i - 1), int32(j - 1), 1})
		}
	}
	graphs := map[string]*projection{
		"karate": fromEdges(34, kes),
		"sparse": randomGraph(100, 150, 1),
		"dense":  randomGraph(120, 1500, 2),
		"small":  randomGraph(12, 20, 3),
	}
	// the projection of a stepped world with organisations (membership
	// stars), in reach of the all-pairs method
	s, err := sim.New(simtest.Synthetic(110, 5), sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		t.Fatal(err)
	}
	s.Run(30)
	bp := &projection{}
	bp.build(s, GraphOptions{})
	graphs["projection"] = bp
	for name, p := range graphs {
		ref := network.Betweenness(p) // each unordered pair counted twice
		for _, m := range []string{"pairs", "bits", "csr", "auto"} {
			got := method(t, p, m)
			for i := 0; i < p.n; i++ {
				want := ref[int64(i)] / 2
				if math.Abs(got[i]-want) > 1e-9*max(1, want) {
					t.Errorf("%s, %s: betweenness of %d = %.12g, gonum %.12g", name, m, i, got[i], want)
				}
			}
		}
	}
}

// TestBetweennessBitsMatchesCSR checks that Brandes on bitsets adds the
// same numbers in the same order as on the CSR: identical bits.
func TestBetweennessBitsMatchesCSR(t *testing.T) {
	for seed := uint64(0); seed < 5; seed++ {
		p := randomGraph(150, 2000, seed)
		bits, csr := method(t, p, "bits"), method(t, p, "csr")
		for i := range bits {
			if math.Float64bits(bits[i]) != math.Float64bits(csr[i]) {
				t.Fatalf("seed %d: node %d: bitsets %v, CSR %v", seed, i, bits[i], csr[i])
			}
		}
	}
}

// TestSampledBetweenness checks the pivot estimate on a synthetic world
// above ExactBetweenness connected actors: over 40 seeds, every estimate
// of the 20 most central actors lies within BetweennessBound (alpha 0.05)
// of the exact value (the bound allows 5 % of them outside; none is), the
// mean of the estimates is within 4 standard errors of the exact value
// (unbiased), and the typical error is far below the bound.
func TestSampledBetweenness(t *testing.T) {
	if testing.Short() {
		t.Skip("exact betweenness of 1,500 actors")
	}
	w := simtest.Synthetic(1500, 4)
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(4))
	if err != nil {
		t.Fatal(err)
	}
	s.Run(10)
	p := &projection{}
	p.build(s, GraphOptions{})
	exact := observerOn(p, -1)
	exact.betweenness()
	c := len(exact.cand)
	if c <= ExactBetweenness {
		t.Fatalf("%d connected actors: the test needs more than %d", c, ExactBetweenness)
	}
	norm := float64(p.nIn-1) * float64(p.nIn-2) / 2
	// the 20 most central actors
	top := make([]int, 0, 20)
	for range 20 {
		best := -1
		for i := 0; i < p.n; i++ {
			if (best < 0 || exact.bc[i] > exact.bc[best]) && !contains(top, i) {
				best = i
			}
		}
		top = append(top, best)
	}
	const k, seeds, alpha = 150, 40, 0.05
	bound := BetweennessBound(p.nIn, c, k, alpha)
	var worst, sumSq float64
	outside, samples := 0, 0
	mean := make([]float64, len(top))
	meanSq := make([]float64, len(top))
	for seed := uint64(1); seed <= seeds; seed++ {
		o := observerOn(p, k)
		o.seed = seed
		o.betweenness()
		if o.bcScale != float64(c)/k {
			t.Fatalf("scale %v, want %v: not sampled", o.bcScale, float64(c)/k)
		}
		for j, i := range top {
			est, want := o.bc[i]/norm, exact.bc[i]/norm
			e := math.Abs(est - want)
			worst = max(worst, e)
			sumSq += e * e
			samples++
			if e > bound {
				outside++
			}
			mean[j] += est / seeds
			meanSq[j] += est * est / seeds
		}
	}
	t.Logf("c=%d, %d pivots: bound %.4f (alpha %.2f); worst error %.4f, RMS %.4f, %d of %d outside",
		c, k, bound, alpha, worst, math.Sqrt(sumSq/float64(samples)), outside, samples)
	if float64(outside) > alpha*float64(samples) {
		t.Errorf("%d of %d estimates outside the bound %.4f, more than alpha = %.2f allows", outside, samples, bound, alpha)
	}
	for j, i := range top {
		want := exact.bc[i] / norm
		sd := math.Sqrt(max(0, meanSq[j]-mean[j]*mean[j]) * seeds / (seeds - 1))
		if e := math.Abs(mean[j] - want); e > 4*sd/math.Sqrt(seeds)+1e-12 {
			t.Errorf("actor %d: mean estimate %.5f (sd %.5f), exact %.5f: biased?", i, mean[j], sd, want)
		}
	}
	// enough pivots: exact
	o := observerOn(p, c)
	o.betweenness()
	for i := range o.bc {
		if math.Abs(o.bc[i]-exact.bc[i]) > 1e-9*max(1, exact.bc[i]) {
			t.Fatalf("pivots = c: actor %d %v, exact %v", i, o.bc[i], exact.bc[i])
		}
	}
}

func contains(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func TestBetweennessBound(t *testing.T) {
	for _, c := range []struct {
		n, conn, k  int
		alpha, want float64
	}{
		{5000, 4824, 200, 0.05, 0.0907389},
		{5000, 5000, 5000, 0.05, 0},   // every source: exact
		{5000, 4000, 4000, 0.01, 0},   // every source: exact
		{100, 99, 10, 0.05, 0.409483}, // R = 1: sqrt((1 - 9/99) ln 40 / 20)
	} {
		if got := BetweennessBound(c.n, c.conn, c.k, c.alpha); math.Abs(got-c.want) > 1e-5 {
			t.Errorf("BetweennessBound(%d, %d, %d, %v) = %v, want %v", c.n, c.conn, c.k, c.alpha, got, c.want)
		}
	}
	// more pivots, smaller bound
	prev := math.Inf(1)
	for k := 10; k < 5000; k *= 2 {
		b := BetweennessBound(5000, 5000, k, 0.05)
		if b >= prev {
			t.Errorf("bound %v at %d pivots not below %v", b, k, prev)
		}
		prev = b
	}
}
