package sim_test

import (
	"math"
	"os"
	"slices"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// Every mechanism of the model has a test here that fails when the
// mechanism is removed. Each test holds its own control (the mechanism's
// parameter at its neutral value, or the world without the cause); the
// knock-out table (go run ./scenarios/facts/knockout) also runs them with
// one parameter at a time set to its neutral value through
// ENTENTE_TEST_NEUTRAL, which params applies.

// params returns the defaults, with the parameter named in
// ENTENTE_TEST_NEUTRAL (if any) at its neutral value.
func params(t testing.TB) sim.Params {
	t.Helper()
	p := sim.DefaultParams()
	if name := os.Getenv("ENTENTE_TEST_NEUTRAL"); name != "" {
		spec, ok := sim.LookupParam(name)
		if !ok {
			t.Fatalf("ENTENTE_TEST_NEUTRAL=%s: no such parameter", name)
		}
		spec.Set(&p, spec.Neutral)
	}
	return p
}

func newSim(t testing.TB, w *sim.World, p sim.Params, seed uint64) *sim.Sim {
	t.Helper()
	s, err := sim.New(w, p, sim.SeedFromInt(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// duo is two states and a threat on the first from a third (the source).
func duo(threat float64) (*sim.World, int, int, int) {
	b := simtest.NewBuilder()
	a := b.State("A", "R", 0.01, 0.01, []float64{0.5, 0.5, 0.5}, 0.5)
	c := b.State("B", "R", 0.2, 0.2, []float64{0.5, 0.5, 0.5}, 0.5)
	src := b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
	b.Threat("t", "conventional", "S", nil, map[string]float64{"A": 1}, sim.ConstantProfile(threat))
	b.W.StepsPerYear = 1
	return b.W, a, c, src
}

// Temperature 0 takes the best option, every time; a positive temperature
// does not.
func TestMechanismTemperature(t *testing.T) {
	p := params(t)
	for arm, tau := range []float64{0, p.Temperature} {
		q := p
		q.Temperature = tau
		s := newSim(t, simtest.Synthetic(60, 1), q, 1)
		worse := 0
		s.SetRecorder(func(d *sim.Decision) {
			best := 0
			for k, o := range d.Options {
				if o.Delta > d.Options[best].Delta {
					best = k
				}
			}
			if d.Options[d.Chosen].Delta < d.Options[best].Delta {
				worse++
			}
		})
		s.Run(10)
		if arm == 0 && worse > 0 {
			t.Fatalf("temperature 0 took a worse option %d times", worse)
		}
		if arm == 1 && worse == 0 {
			t.Fatalf("temperature %g (the default) never took a worse option", tau)
		}
	}
}

// Consent is a binary logit at the choice temperature: across decisions
// the share of consents matches the mean consent probability, and at
// temperature 0 no one consents to a change that lowers its utility.
func TestMechanismConsentLogit(t *testing.T) {
	p := params(t)
	for arm, tau := range []float64{0, p.Temperature} {
		if arm == 1 && tau == 0 {
			t.Fatal("the default temperature is 0: consent is a sure rule, not a logit")
		}
		q := p
		q.Temperature = tau
		s := newSim(t, simtest.Synthetic(120, 2), q, 3)
		n, yes, sumP, badYes := 0, 0, 0.0, 0
		s.SetRecorder(func(d *sim.Decision) {
			for _, v := range d.Consent {
				n++
				sumP += v.Prob
				if v.Accepted {
					yes++
					if tau == 0 && v.Delta <= 0 {
						badYes++
					}
				}
			}
		})
		// enough consent decisions for the comparison, however rare
		// proposals are at the parameters (up to 1,000 steps); under the
		// sure rule fewer proposals are worth making, and a few suffice
		need := 300
		if tau == 0 {
			need = 30
		}
		for k := 0; k < 1000 && n < 300; k++ {
			s.Step()
		}
		if n < need {
			t.Fatalf("temperature %g: only %d consent decisions in 1,000 steps", tau, n)
		}
		if badYes > 0 {
			t.Fatalf("temperature 0: %d consents to a change worth <= 0", badYes)
		}
		if tau > 0 {
			if got, want := float64(yes)/float64(n), sumP/float64(n); math.Abs(got-want) > 4*math.Sqrt(want*(1-want)/float64(n))+0.01 {
				t.Fatalf("consent share %.3f, mean probability %.3f (%d decisions)", got, want, n)
			}
		}
	}
}

// decisions counts each actor's opportunities over steps.
func decisions(t testing.TB, w *sim.World, p sim.Params, steps int) []int {
	s := newSim(t, w, p, 5)
	count := make([]int, len(w.Actors))
	s.SetRecorder(func(d *sim.Decision) { count[d.Actor]++ })
	s.Run(steps)
	return count
}

// More capable actors act more often (rate_capacity).
func TestMechanismRateCapacity(t *testing.T) {
	p := params(t)
	p.Alarm = 0
	b := simtest.NewBuilder()
	b.State("BIG", "R", 1, 1, []float64{0, 0, 0}, 0.5)
	for _, id := range []string{"S1", "S2", "S3", "S4"} {
		b.State(id, "R", 0.001, 0.001, []float64{0, 0, 0}, 0.5)
	}
	b.W.StepsPerYear = 1
	count := decisions(t, b.W, p, 200)
	small := float64(count[1]+count[2]+count[3]+count[4]) / 4
	want := (1 + p.RateCapacity) / (1 + p.RateCapacity*0.0005)
	if got := float64(count[0]) / small; math.Abs(got-want) > 0.25*want || p.RateCapacity == 0 {
		t.Fatalf("the most capable actor decided %.2f times as often as the small ones, want %.2f (rate_capacity %g)", got, want, p.RateCapacity)
	}
}

// An alarming rise of perceived threat gives the actor opportunities at
// once, one per alarm's worth of rise.
func TestMechanismAlarm(t *testing.T) {
	p := params(t)
	p.OpportunityRate, p.PartnershipRate = 0, 0
	w, a, _, _ := duo(0.05)
	w.Threats[0].Intensity = sim.Profile{Shape: sim.Step, Base: 0.05, Peak: 0.95, Start: 3}
	count := decisions(t, w, p, 5)
	want := int(0.9 / p.Alarm)
	if p.Alarm == 0 {
		want = 0
	}
	if count[a] != want || want == 0 {
		t.Fatalf("actor A decided %d times after a rise of 0.9 with alarm %g and no other opportunities, want %d (> 0)", count[a], p.Alarm, want)
	}
}

// Commitments and partnerships come up at their own rates: with no
// partnership opportunities, no cooperation tie is formed; with no
// commitment opportunities, no alliance.
func TestMechanismAgendas(t *testing.T) {
	for _, c := range []struct {
		name       string
		commit     bool
		wantNoForm sim.Form
	}{{"commitments only", true, sim.Cooperation}, {"partnerships only", false, sim.Alliance}} {
		p := params(t)
		p.Alarm = 0
		p.CreationCost = 0 // what comes up where, not whether a new agreement pays its one-off cost
		if c.commit {
			p.PartnershipRate = 0
			p.OpportunityRate = 2
		} else {
			p.OpportunityRate = 0
			p.PartnershipRate = 2
		}
		s := newSim(t, simtest.Synthetic(80, 5), p, 2)
		formed := map[sim.Form]int{}
		for s.T() < 30 {
			s.Step()
			for _, e := range s.Events() {
				if e.Kind == sim.TieFormed || (e.Kind == sim.TieReformed && e.Form == sim.Alliance) {
					formed[e.Form]++
				}
			}
		}
		if formed[c.wantNoForm] > 0 {
			t.Errorf("%s: %d ties formed or turned into %v", c.name, formed[c.wantNoForm], c.wantNoForm)
		}
		if len(formed) == 0 {
			t.Errorf("%s: nothing formed at all", c.name)
		}
	}
}

// Values change at the steps an actor's ValueChanges give (a state that
// democratises): similarity and the threat felt from a source follow.
func TestValueChanges(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	a := b.State("A", "R", 0.05, 0.05, []float64{-1, -1}, 0.5)
	c := b.State("B", "R", 0.05, 0.05, []float64{1, 1}, 0.5)
	b.Threat("t", "conventional", "A", nil, map[string]float64{"B": 1}, sim.ConstantProfile(0.5))
	b.W.Actors[a].ValueChanges = []sim.ValueChange{{Step: 2, Values: []float64{1, 1}}}
	s := newSim(t, b.W, p, 1)
	before, felt := s.Similarity(a, c), s.PerceivedThreat(c)
	s.Step()
	if s.Similarity(a, c) != before {
		t.Fatalf("values changed before their step")
	}
	s.Step()
	if got := s.Similarity(a, c); got != 1 || before != 0 {
		t.Errorf("similarity %v before, %v after A takes B's values; want 0 and 1", before, got)
	}
	if got := s.PerceivedThreat(c); !(felt > 0 && got < felt/10) {
		t.Errorf("threat B feels from A: %v before, %v after A shares its values; want it to vanish", felt, got)
	}
	// a change at step 0 is refused: the values at step 0 are values
	w2 := *b.W
	w2.Actors = slices.Clone(b.W.Actors)
	w2.Actors[a].ValueChanges = []sim.ValueChange{{Step: 0, Values: []float64{0, 0}}}
	if err := w2.Validate(); err == nil {
		t.Error("a value change at step 0 accepted")
	}
}

// Each agenda comes up at its own rate: with alarms off, an actor of
// resources r gets rate x (1 + rate_capacity x r) opportunities a year on
// it, commitments at opportunity_rate and partnerships at
// partnership_rate (each measured with the other agenda switched off).
func TestMechanismOpportunityAndPartnershipRates(t *testing.T) {
	p := params(t)
	p.Alarm = 0
	b := simtest.NewBuilder()
	b.State("BIG", "R", 1, 1, []float64{0, 0, 0}, 0.5) // sets the scale: the others' resources are 0.001
	for _, id := range []string{"S1", "S2", "S3", "S4", "S5"} {
		b.State(id, "R", 0.001, 0.001, []float64{0, 0, 0}, 0.5)
	}
	b.W.StepsPerYear = 1
	const years = 400
	for _, c := range []struct {
		name string
		rate float64
		only func(q *sim.Params)
	}{
		{"opportunity_rate", p.OpportunityRate, func(q *sim.Params) { q.PartnershipRate = 0 }},
		{"partnership_rate", p.PartnershipRate, func(q *sim.Params) { q.OpportunityRate = 0 }},
	} {
		q := p
		c.only(&q)
		s := newSim(t, b.W, q, 9)
		n := 0
		s.SetRecorder(func(d *sim.Decision) {
			if d.Actor != 0 {
				n++
			}
		})
		s.Run(years)
		want := c.rate * 5 * years * (1 + p.RateCapacity*0.001)
		if c.rate == 0 || math.Abs(float64(n)-want) > 4*math.Sqrt(want)+1 {
			t.Errorf("%s %g: %d opportunities in %d actor-years, want about %.1f (> 0)", c.name, c.rate, n, 5*years, want)
		}
	}
}

// An alarm puts on the agenda what addresses the threat that rose: a rise
// of a state (conventional) threat the actor's commitments (alliances,
// membership), a rise of a transnational one its partnerships
// (cooperation, assistance, groups, coalitions).
func TestMechanismAlarmAgenda(t *testing.T) {
	for _, kind := range []string{"conventional", "terrorism"} {
		p := params(t)
		p.OpportunityRate, p.PartnershipRate = 0, 0
		b := simtest.NewBuilder()
		a := b.State("A", "R", 0.01, 0.01, []float64{0.5, 0.5, 0.5}, 0.5)
		b.State("B", "R", 0.2, 0.2, []float64{0.5, 0.5, 0.5}, 0.5)
		src := "S"
		if kind == "conventional" {
			b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
		} else {
			src = ""
		}
		b.Threat("t", kind, src, nil, map[string]float64{"A": 1}, sim.Profile{Shape: sim.Step, Base: 0.05, Peak: 0.95, Start: 3})
		b.W.StepsPerYear = 1
		s := newSim(t, b.W, p, 5)
		forms := map[sim.Form]int{}
		decided := 0
		s.SetRecorder(func(d *sim.Decision) {
			if d.Actor != a {
				return
			}
			decided++
			for _, o := range d.Options {
				if o.Kind == sim.ChooseNewTie {
					forms[o.Form]++
				}
			}
		})
		s.Run(5)
		if decided == 0 {
			t.Fatalf("%s: no alarm opportunity after a rise of 0.9", kind)
		}
		if kind == "conventional" && (forms[sim.Alliance] == 0 || forms[sim.Cooperation] > 0) {
			t.Errorf("a conventional alarm put %v on the agenda: want alliances, not cooperation", forms)
		}
		if kind == "terrorism" && (forms[sim.Cooperation] == 0 || forms[sim.Alliance] > 0) {
			t.Errorf("a transnational alarm put %v on the agenda: want cooperation, not alliances", forms)
		}
	}
}
