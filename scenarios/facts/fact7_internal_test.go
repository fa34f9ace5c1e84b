package facts

import (
	"testing"

	"github.com/entente/entente/sim"
)

// TestFact7ReferenceBeforeTheShock checks that fact 7's reference state
// is the network the crisis finds: after crisisStep-1 steps the China
// threat is still at its background, and the next step is the crisis's
// first. Measured one step later, the reference would already hold the
// exposed partners' answer to the alarm, and the check would subtract it.
func TestFact7ReferenceBeforeTheShock(t *testing.T) {
	sc, err := load("taiwan-crisis")
	if err != nil {
		t.Fatal(err)
	}
	k := -1
	for x, th := range sc.World.Threats {
		if th.Name == "china" {
			k = x
		}
	}
	if k < 0 {
		t.Fatal("taiwan-crisis has no threat named china")
	}
	s, err := sim.New(sc.World, sim.DefaultParams(), sim.RunSeed(1, "fact7", 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s.Run(crisisStep - 1)
	before := s.Intensity(k)
	s.Step()
	after := s.Intensity(k)
	if !(after > before) {
		t.Fatalf("China's intensity %.2f at step %d and %.2f at step %d: the crisis does not start at crisisStep = %d", before, crisisStep-1, after, crisisStep, crisisStep)
	}
	s.Step()
	if s.Intensity(k) != after {
		t.Fatalf("China's intensity moves after the crisis's first step (%.2f, %.2f): taiwan-crisis's profile is no longer a step at crisisStep", after, s.Intensity(k))
	}
}
