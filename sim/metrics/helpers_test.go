package metrics_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// world returns n plain states "S0".."S{n-1}" with the given ties and groups.
func world(n int, ties []sim.TieSpec, groups []sim.GroupSpec) *sim.World {
	w := &sim.World{}
	for i := 0; i < n; i++ {
		w.Actors = append(w.Actors, sim.Actor{ID: fmt.Sprintf("S%d", i), Kind: sim.State, Region: "R",
			Capability: 0.1, Economy: 0.1})
	}
	w.Ties = ties
	w.Groups = groups
	w.Threats = []sim.Threat{{Name: "th", Kind: "terrorism", Source: -1, Intensity: sim.ConstantProfile(0)}}
	return w
}

// tie is a symmetric tie a-b of the given form and level.
func tie(a, b int, f sim.Form, l sim.Level) sim.TieSpec {
	return sim.TieSpec{A: a, B: b, Form: f, Level: l, Donor: -1}
}

func newSim(t testing.TB, w *sim.World) *sim.Sim {
	t.Helper()
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// observe returns all metrics at the Sim's current step, keyed "metric" or
// "metric/actor".
func observe(t testing.TB, s *sim.Sim, o metrics.Options) map[string]float64 {
	t.Helper()
	ob, err := metrics.NewObserver(s.World(), o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, v := range ob.Observe(s, nil) {
		k := v.Metric
		if v.Actor != "" {
			k += "/" + v.Actor
		}
		if _, dup := out[k]; dup {
			t.Fatalf("duplicate value %s", k)
		}
		out[k] = v.Value
	}
	return out
}

func allActors(s *sim.Sim) []string {
	var ids []string
	for _, a := range s.World().Actors {
		ids = append(ids, a.ID)
	}
	return ids
}

func check(t *testing.T, got map[string]float64, want map[string]float64, tol float64) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: missing", k)
			continue
		}
		if math.Abs(g-w) > tol {
			t.Errorf("%s = %.12g, want %.12g", k, g, w)
		}
	}
}
