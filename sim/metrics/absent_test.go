package metrics_test

import (
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// An absent actor's per-actor network values are NaN, its pairwise ties too
// (its ties are hidden from ties_total); ties used to count them.
func TestTiesOfAnAbsentActor(t *testing.T) {
	w := world(4, []sim.TieSpec{tie(0, 1, sim.Cooperation, sim.Initial), tie(0, 3, sim.Cooperation, sim.Initial)}, nil)
	w.Actors[3].Absent = []sim.Span{{From: 0, To: 5}}
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	if v := got["ties/S3"]; !math.IsNaN(v) {
		t.Errorf("ties/S3 of the absent S3 = %v, want NaN", v)
	}
	if got["ties/S0"] != 1 || got["ties_total"] != 1 {
		t.Errorf("ties/S0 = %v, ties_total = %v: want 1 and 1 (the tie with the absent S3 hidden)", got["ties/S0"], got["ties_total"])
	}
}
