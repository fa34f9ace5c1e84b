package sim_test

import (
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

func TestSmoke(t *testing.T) {
	w := simtest.Synthetic(100, 1)
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[sim.EventKind]int{}
	for s.T() < 100 {
		s.Step()
		for _, e := range s.Events() {
			counts[e.Kind]++
		}
		if s.T()%10 == 0 {
			al := 0
			for tie := range s.Ties() {
				if tie.Form == sim.Alliance {
					al++
				}
			}
			t.Logf("t=%d ties=%d alliances=%d groups=%d", s.T(), s.NumTies(), al, s.NumGroups())
		}
	}
	t.Logf("%v", counts)
}
