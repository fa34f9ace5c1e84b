package metrics

import (
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// powerPageRank is the textbook power iteration of PageRank from the
// uniform vector, iterated until the L1 change is below 1e-16 or 5,000
// sweeps: the reference the conjugate-gradient solution is checked with.
func powerPageRank(p *projection, d float64) []float64 {
	n := p.n
	x := make([]float64, n)
	y := make([]float64, n)
	nIn := float64(p.nIn)
	for i := range x {
		if p.in[i] {
			x[i] = 1 / nIn
		}
	}
	for iter := 0; iter < 5000; iter++ {
		dangling := 0.0
		for j := range n {
			if p.in[j] && p.strength[j] == 0 {
				dangling += x[j]
			}
		}
		diff := 0.0
		for i := range n {
			if !p.in[i] {
				continue
			}
			acc := 0.0
			for k := p.off[i]; k < p.off[i+1]; k++ {
				j := p.nbr[k]
				acc += p.wt[k] / p.strength[j] * x[j]
			}
			y[i] = (1-d)/nIn + d*dangling/nIn + d*acc
			diff += math.Abs(y[i] - x[i])
		}
		x, y = y, x
		if diff < 1e-16 {
			break
		}
	}
	return x
}

// TestPageRankMatchesPowerIteration checks the conjugate-gradient PageRank
// against a power iteration run to convergence, on stepped synthetic worlds
// with isolates, organisations and actors entering late.
func TestPageRankMatchesPowerIteration(t *testing.T) {
	for _, n := range []int{20, 150, 1000} {
		w := simtest.Synthetic(n, uint64(n))
		for i := n / 2; i < n; i += 9 {
			if w.Actors[i].Kind == sim.State {
				w.Actors[i].Enter = 5
			}
		}
		keep := w.Ties[:0]
		for _, tt := range w.Ties {
			if w.Actors[tt.A].Enter == 0 && w.Actors[tt.B].Enter == 0 {
				keep = append(keep, tt)
			}
		}
		w.Ties = keep
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			t.Fatal(err)
		}
		ob, err := NewObserver(w, Options{Metrics: []string{"pagerank"}, Actors: []string{"A0"}})
		if err != nil {
			t.Fatal(err)
		}
		isolates, out := false, false
		for s.T() < 8 {
			ob.Observe(s, nil)
			p := ob.proj
			want := powerPageRank(p, 0.85)
			sum := 0.0
			for i := range n {
				if !p.in[i] {
					out = true
					if ob.pr[i] != 0 {
						t.Errorf("N=%d step %d: actor %d not in the system has pagerank %v", n, s.T(), i, ob.pr[i])
					}
					continue
				}
				if p.strength[i] == 0 {
					isolates = true
				}
				sum += ob.pr[i]
				if e := math.Abs(ob.pr[i] - want[i]); e > 1e-12*want[i] {
					t.Errorf("N=%d step %d: pagerank of %d = %.17g, power iteration %.17g", n, s.T(), i, ob.pr[i], want[i])
				}
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("N=%d step %d: pagerank sums to %v", n, s.T(), sum)
			}
			s.Step()
		}
		if !isolates || !out {
			t.Errorf("N=%d: isolates %v, actors out of the system %v: the test does not exercise both", n, isolates, out)
		}
	}
}
