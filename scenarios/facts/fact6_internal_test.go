package facts

import (
	"testing"

	"github.com/entente/entente/sim"
)

// The EU's cut in fact 6 is a cut of the scenario's own budget: until the
// cut's step the arm is the control, replicate for replicate. (The check
// once replaced the baseline's aid 0.5 with a step from 1 to 0.8, which
// raised the EU's budget by 60 % instead of cutting it.)
func TestFact6CutIsOfTheScenariosBudget(t *testing.T) {
	sc, err := load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := index(sc.World, "EU", "AU")
	if err != nil {
		t.Fatal(err)
	}
	if sc.World.Actors[ids[0]].Aid == nil {
		t.Fatal("the baseline's EU has no aid profile; the case this test guards is gone")
	}
	run := func(cut bool) (before, after float64) {
		w, err := fact6World(sc.World, cut, false)
		if err != nil {
			t.Fatal(err)
		}
		s, err := sim.New(w, sim.DefaultParams(), sim.RunSeed(1, "fact6", 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		s.Run(19)
		before = s.Assisted(ids[1])
		s.Run(40)
		return before, s.Assisted(ids[1])
	}
	c19, c40 := run(false)
	x19, x40 := run(true)
	if c19 != x19 {
		t.Errorf("the AU's assisted capability at step 19, before the cut: %v in the control, %v in the cut arm; want equal", c19, x19)
	}
	if c40 == x40 {
		t.Errorf("the cut changed nothing by step 40 (%v)", c40)
	}
	if _, err := cutBudget(&sim.Profile{Shape: sim.Ramp, Base: 1, Peak: 0.5, Start: 1, End: 5}, 0.8, 20); err == nil {
		t.Error("a cut of a non-constant profile was accepted")
	}
}
