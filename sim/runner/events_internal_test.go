package runner

import (
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// results.EventRow: "other is the threat's name for coalition events",
// for a coalition's dissolution (sim.GroupDissolved, Other its threat's
// index) as for its formation; it used to be read as an actor's index.
func TestCoalitionDissolvedNamesItsThreat(t *testing.T) {
	w := simtest.Terror(5, 20)
	s, err := sim.New(w, sim.DefaultParams(), sim.RunSeed(1, "rev", 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	formed, dissolved := 0, 0
	for s.T() < 60 {
		s.Step()
		for k, e := range s.Events() {
			rows := eventRows(s, nil)
			r := rows[k]
			switch {
			case e.Kind == sim.CoalitionFormed:
				formed++
				t.Logf("step %d %s: other %q (%s)", r.Step, r.Kind, r.Other, r.Text)
			case e.Kind == sim.GroupDissolved && e.Other >= 0:
				dissolved++
				t.Logf("step %d %s: other %q (%s)", r.Step, r.Kind, r.Other, r.Text)
				if r.Other != w.Threats[e.Other].Name {
					t.Errorf("step %d: a coalition's dissolution written with other %q, want the threat %q", r.Step, r.Other, w.Threats[e.Other].Name)
				}
			}
		}
	}
	if formed == 0 || dissolved == 0 {
		t.Fatalf("formed %d dissolved %d (test setup)", formed, dissolved)
	}
}
