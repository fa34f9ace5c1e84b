package metrics_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// series runs a fresh Sim of Synthetic(n, 7) for steps steps and records
// every metric at every step.
func series(t *testing.T, n, steps int) []metrics.Value {
	t.Helper()
	w := simtest.Synthetic(n, 7)
	// minilaterals form late in Synthetic worlds; start with some so that
	// group edges enter the projection from step 0
	for k, m := range [][]int{{2, 3, 4}, {3, 5, 8, 13}, {10, 11, 12, 14, 15}} {
		w.Groups = append(w.Groups, sim.GroupSpec{Name: fmt.Sprint("g", k), Kind: sim.Minilateral,
			Issue: sim.IssueMaritime, Level: sim.Level(1 + k), Members: m, Threat: -1, Leader: -1})
	}
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(3))
	if err != nil {
		t.Fatal(err)
	}
	ob, err := metrics.NewObserver(w, metrics.Options{Metrics: []string{"all"},
		Actors: []string{"A0", "A1", "A2", "A19", "A57"}, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	var out []metrics.Value
	for s.T() < steps {
		out = ob.Observe(s, out)
		s.Step()
	}
	return out
}

func sameBits(t *testing.T, what string, a, b []metrics.Value) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d values vs %d", what, len(a), len(b))
	}
	for i := range a {
		if a[i].Metric != b[i].Metric || a[i].Actor != b[i].Actor ||
			math.Float64bits(a[i].Value) != math.Float64bits(b[i].Value) {
			t.Fatalf("%s: value %d differs: %+v vs %+v", what, i, a[i], b[i])
		}
	}
}

func TestDeterministicAcrossRuns(t *testing.T) {
	a := series(t, 120, 25)
	b := series(t, 120, 25)
	sameBits(t, "two fresh runs", a, b)
	nonzero := map[string]bool{}
	for _, v := range a {
		if v.Value != 0 {
			nonzero[v.Metric] = true
		}
	}
	for _, m := range []string{"betweenness", "pagerank", "modularity", "blocs", "transitivity", "minilaterals", "coalitions"} {
		if !nonzero[m] {
			t.Errorf("%s is 0 throughout: the determinism test does not exercise it", m)
		}
	}
}

func TestDeterministicSameState(t *testing.T) {
	w := simtest.Synthetic(150, 2)
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(5))
	if err != nil {
		t.Fatal(err)
	}
	s.Run(30)
	o := metrics.Options{Metrics: []string{"all"}, Actors: []string{"A0", "A1", "A3", "A39"}, Seed: 2}
	ob, err := metrics.NewObserver(w, o)
	if err != nil {
		t.Fatal(err)
	}
	first := ob.Observe(s, nil)
	var buf []metrics.Value
	for k := 0; k < 20; k++ {
		buf = ob.Observe(s, buf[:0])
		sameBits(t, "same observer, same state", first, buf)
		fresh, err := metrics.NewObserver(w, o)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, "fresh observer, same state", first, fresh.Observe(s, nil))
	}
}

// TestReuseAcrossSims feeds one Observer the steps of two replicates in
// turn, each step twice (the second time the network is unchanged, so the
// results are reused), and checks every value against an Observer of its
// own per replicate: reuse and the previous network never change a digit.
func TestReuseAcrossSims(t *testing.T) {
	w := simtest.Synthetic(150, 5)
	o := metrics.Options{Metrics: []string{"all"}, Actors: []string{"A0", "A1", "A19", "A40"}, Seed: 3, Every: 2}
	shared, err := metrics.NewObserver(w, o)
	if err != nil {
		t.Fatal(err)
	}
	var sims []*sim.Sim
	var own []*metrics.Observer
	for r := range 2 {
		s, err := sim.New(w, sim.DefaultParams(), sim.RunSeed(9, "reuse", 0, r))
		if err != nil {
			t.Fatal(err)
		}
		ob, err := metrics.NewObserver(w, o)
		if err != nil {
			t.Fatal(err)
		}
		sims, own = append(sims, s), append(own, ob)
	}
	for step := 0; step < 12; step++ {
		for r, s := range sims {
			want := own[r].Observe(s, nil)
			sameBits(t, fmt.Sprintf("replicate %d step %d", r, step), shared.Observe(s, nil), want)
			sameBits(t, fmt.Sprintf("replicate %d step %d, again", r, step), shared.Observe(s, nil), want)
			s.Step()
		}
	}
}
