package facts_test

import (
	"testing"

	"github.com/entente/entente/scenarios/facts"
	"github.com/entente/entente/sim"
)

// TestFactsAtDefaults runs every stylised fact at the default parameters
// (its control inside the check) and, where it holds, again with its
// producing mechanism knocked out, which must make it vanish. A fact the
// calibrated model does not reproduce (facts.AtDefaults false) must still
// not hold: the test then reports what it measured.
func TestFactsAtDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("facts over replicates in -short mode")
	}
	p := sim.DefaultParams()
	for _, f := range facts.All {
		t.Run(f.Name, func(t *testing.T) {
			want, ok := facts.AtDefaults[f.Name]
			if !ok {
				t.Fatalf("%s: not in facts.AtDefaults", f.Name)
			}
			r, err := f.Check(p, f.Reps, 1)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			if r.Holds != want {
				t.Fatalf("%s at the defaults: holds = %v, facts.AtDefaults says %v; update facts.AtDefaults and docs/facts.md if the model changed on purpose", f.Name, r.Holds, want)
			}
			if !want {
				return
			}
			kp, what := f.Knockout(p)
			ko, err := f.Check(kp, f.Reps, 1)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("knock-out %s: %s", what, ko)
			if ko.Holds {
				t.Errorf("%s still holds with %s: the mechanism is not what produces it", f.Name, what)
			}
		})
	}
}

// TestGuardsAtDefaults runs the plausibility guards over replicates of the
// built-ins at the default parameters.
func TestGuardsAtDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("guards over replicates in -short mode")
	}
	p := sim.DefaultParams()
	for _, g := range facts.Guards {
		t.Run(g.Name, func(t *testing.T) {
			want, ok := facts.AtDefaults[g.Name]
			if !ok {
				t.Fatalf("%s: not in facts.AtDefaults", g.Name)
			}
			r, err := g.Check(p, g.Reps, 1)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(r)
			if r.Holds != want {
				t.Fatalf("guard %s at the defaults: holds = %v, facts.AtDefaults says %v", g.Name, r.Holds, want)
			}
		})
	}
}
