package sim_test

import (
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// Choices reports an actor's options with terms that sum to the change in
// utility and probabilities that sum to 1, and never changes the run.
func TestChoicesDoNotChangeTheRun(t *testing.T) {
	w := simtest.Synthetic(60, 2)
	p := sim.DefaultParams()
	a, _ := sim.New(w, p, sim.SeedFromInt(5))
	b, _ := sim.New(w, p, sim.SeedFromInt(5))
	for step := 0; step < 20; step++ {
		for i := 0; i < 10; i++ {
			cs := a.Choices(i, uint64(step))
			if len(cs) == 0 {
				continue
			}
			prob := 0.0
			for _, c := range cs {
				sum := 0.0
				for _, v := range c.Terms {
					sum += v
				}
				if math.Abs(sum-c.Delta) > 1e-12 {
					t.Fatalf("actor %d %v: terms sum to %g, Delta %g", i, c.Kind, sum, c.Delta)
				}
				prob += c.Prob
				if a.DescribeChoice(c) == "" {
					t.Fatalf("no words for %v", c)
				}
			}
			if math.Abs(prob-1) > 1e-9 {
				t.Fatalf("actor %d: probabilities sum to %g", i, prob)
			}
			if cs[0].Kind != sim.ChooseNothing {
				t.Fatalf("first option %v, want nothing", cs[0].Kind)
			}
		}
		a.Step()
		b.Step()
	}
	if a.NumTies() != b.NumTies() || a.NumGroups() != b.NumGroups() {
		t.Fatalf("Choices changed the run: %d/%d ties, %d/%d groups", a.NumTies(), b.NumTies(), a.NumGroups(), b.NumGroups())
	}
}

// ctrl controls one actor: it always takes its first tie abandonment if it
// has one, and refuses every proposal to it.
type ctrl struct {
	actor              int
	decided, consented int
}

func (c *ctrl) Controls(i int) bool { return i == c.actor }
func (c *ctrl) Decide(i int, opts []sim.Choice, model int) (sim.Choice, bool) {
	c.decided++
	for _, o := range opts {
		if o.Kind == sim.ChooseAbandon {
			return o, true
		}
	}
	return sim.Choice{}, false
}
func (c *ctrl) Consent(i int, proposal sim.Choice, v sim.Verdict) bool {
	c.consented++
	return false
}

// A Controller decides for its actor once a step: its choices are carried
// out, and it answers for the actor when asked to consent.
func TestControllerDecides(t *testing.T) {
	w := simtest.Synthetic(60, 2)
	s, _ := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(9))
	c := &ctrl{actor: 3}
	s.SetController(c)
	before := s.Degree(3)
	formed := 0
	for step := 0; step < 30; step++ {
		s.Step()
		for _, e := range s.Events() {
			if e.Kind == sim.TieFormed && (e.Other == 3) {
				formed++
			}
		}
	}
	if c.decided != 30 {
		t.Errorf("decided %d times in 30 steps, want once a step", c.decided)
	}
	if formed != 0 {
		t.Errorf("%d ties formed with the controlled actor though it refuses every proposal", formed)
	}
	if s.Degree(3) >= before && before > 0 {
		t.Errorf("degree %d after abandoning whenever it could, from %d", s.Degree(3), before)
	}
}

// The recorder sees every decision with its options, the chosen one among
// them, and the consent verdicts of the other side.
func TestRecorderSeesDecisions(t *testing.T) {
	w := simtest.Synthetic(60, 2)
	s, _ := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(9))
	n, withConsent := 0, 0
	s.SetRecorder(func(d *sim.Decision) {
		n++
		if d.Chosen < 0 || d.Chosen >= len(d.Options) || d.Options[d.Chosen].Actor != d.Actor {
			t.Fatalf("bad decision %+v", d)
		}
		if len(d.Consent) > 0 {
			withConsent++
		}
	})
	s.Run(10)
	if n == 0 || withConsent == 0 {
		t.Fatalf("recorded %d decisions, %d with consent", n, withConsent)
	}
	// recording does not change the run
	r, _ := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(9))
	r.Run(10)
	if r.NumTies() != s.NumTies() {
		t.Fatalf("recording changed the run: %d vs %d ties", s.NumTies(), r.NumTies())
	}
}
