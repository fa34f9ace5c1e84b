package sim_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// Each test here fails if the mechanism it names is removed or inverted.

func TestTemperatureZeroPicksTheBestOption(t *testing.T) {
	p := sim.DefaultParams()
	p.Temperature = 0
	s := newSim(t, simtest.Synthetic(80, 1), p, "t0", 0)
	n := 0
	s.TraceAll(func(us []float64, chosen int) {
		n++
		for k, u := range us {
			if u > us[chosen] {
				t.Fatalf("option %d (u=%v) beats the chosen %d (u=%v)", k, u, chosen, us[chosen])
			}
		}
	})
	s.Run(30)
	if n < 100 {
		t.Fatalf("only %d opportunities traced", n)
	}
}

func TestPositiveTemperatureIsLogit(t *testing.T) {
	// at temperature 0.05 some choices are not the best, and the better an
	// option, the likelier it is chosen
	p := sim.DefaultParams()
	p.Temperature = 0.05
	s := newSim(t, simtest.Synthetic(80, 1), p, "logit", 0)
	notBest, total := 0, 0
	s.TraceAll(func(us []float64, chosen int) {
		total++
		for _, u := range us {
			if u > us[chosen] {
				notBest++
				return
			}
		}
	})
	s.Run(30)
	if notBest == 0 || notBest == total {
		t.Fatalf("%d of %d choices not the best: want some, not all", notBest, total)
	}
}

func TestConsentRejectedDeepeningNeverHappens(t *testing.T) {
	// B's autonomy makes any alliance a loss for it; A is threatened and
	// wants one. The alliance never forms, and B's refusals are recorded.
	b := simtest.NewBuilder()
	b.State("A", "X", 0.01, 0.01, []float64{0.5, 0.5, 0.5}, 0)
	b.State("B", "X", 1, 1, []float64{0.5, 0.5, 0.5}, 1)
	b.Tie("A", "B", sim.Cooperation, sim.Initial, "")
	b.Threat("t", "conventional", "", map[string]float64{"X": 1}, map[string]float64{"B": 0}, sim.ConstantProfile(1))
	p := sim.DefaultParams()
	p.AutonomyWeight = 5
	p.OpportunityRate = 1
	s := newSim(t, b.W, p, "consent", 0)
	if u := s.TieDelta(0, 1, sim.Cooperation, sim.Initial, sim.Alliance, sim.Initial, -1, 0.5); u <= 0 {
		t.Fatalf("test world: A should want the alliance (Δu = %v)", u)
	}
	rejected := 0
	for s.T() < 50 {
		s.Step()
		for _, e := range s.Events() {
			if e.Form == sim.Alliance && (e.Kind == sim.TieReformed || e.Kind == sim.TieFormed) {
				t.Fatalf("step %d: %s", s.T(), s.Describe(e))
			}
			if e.Kind == sim.TieRejected {
				rejected++
			}
		}
	}
	if rejected == 0 {
		t.Fatal("A never asked; the test proves nothing")
	}
}

func TestAbandonmentCostsReputation(t *testing.T) {
	w := simtest.Nordic(0)
	s := newSim(t, w, sim.DefaultParams(), "rep", 0)
	fin, nato := w.ActorIndex("FIN"), w.ActorIndex("NATO")
	before := s.Reliability(fin)
	s.AbandonTie(fin, nato)
	if _, ok := s.TieBetween(fin, nato); ok {
		t.Fatal("tie still there")
	}
	if s.Reputation(fin) >= 1 {
		t.Fatalf("reputation %v after abandoning an institutionalised tie", s.Reputation(fin))
	}
	s.Step()
	if s.Reliability(fin) >= before {
		t.Fatalf("reliability %v after abandonment, was %v", s.Reliability(fin), before)
	}
}

func TestTrustAndAgeGrow(t *testing.T) {
	w := simtest.Nordic(0)
	p := sim.DefaultParams()
	p.OpportunityRate = 0 // nobody acts: ties just last
	s := newSim(t, w, p, "trust", 0)
	tie, _ := s.TieBetween(w.ActorIndex("FIN"), w.ActorIndex("NATO"))
	t0, a0 := tie.Trust, tie.Age
	s.Run(10)
	if tie.Age != a0+10 || tie.Trust <= t0 || tie.Trust > 1 {
		t.Fatalf("after 10 steps age %d (was %d), trust %v (was %v)", tie.Age, a0, tie.Trust, t0)
	}
}

func TestRetrenchmentLowersPatronReliabilityAndSupport(t *testing.T) {
	w := simtest.Sponsor(0)
	s := newSim(t, w, sim.DefaultParams(), "ret", 0)
	rel0, sup0 := s.Reliability(0), s.OutStrength(0)
	if err := s.SetRetrenchment(0.8, 0); err != nil {
		t.Fatal(err)
	}
	s.Step()
	if s.Reliability(0) >= rel0 {
		t.Fatalf("political retrenchment 0.8: reliability %v, was %v", s.Reliability(0), rel0)
	}
	relPol := s.Reliability(0)
	if err := s.SetRetrenchment(0.8, 0.8); err != nil {
		t.Fatal(err)
	}
	s.Step()
	if s.Reliability(0) >= relPol {
		t.Fatalf("adding military retrenchment: reliability %v, was %v", s.Reliability(0), relPol)
	}
	if s.OutStrength(0) >= sup0 {
		t.Fatalf("military retrenchment 0.8: support %v, was %v", s.OutStrength(0), sup0)
	}
	if s.Reliability(1) != s.Reputation(1) {
		t.Fatalf("a non-patron's reliability moved with retrenchment")
	}
}

func TestPatronReluctance(t *testing.T) {
	w := simtest.HubAndSpoke(6, 0, 1)
	s := newSim(t, w, sim.DefaultParams(), "rel", 0)
	tie, _ := s.TieBetween(0, 2)
	deepen := func() float64 {
		return s.TieDelta(0, 2, tie.Form, tie.Level, tie.Form, tie.Level+1, -1, tie.Trust)
	}
	u0 := deepen()
	_ = s.SetRetrenchment(0.9, math.NaN())
	s.SetT(s.T())
	if u1 := deepen(); u1 >= u0 {
		t.Fatalf("patron's value of deepening %v under retrenchment 0.9, %v without", u1, u0)
	}
}

func TestThreatPerception(t *testing.T) {
	b := simtest.NewBuilder()
	b.State("SRC", "X", 0.5, 0.5, []float64{-1, -1, -1}, 0.5)
	b.State("FAR", "X", 0.1, 0.1, []float64{1, 1, 1}, 0.5)       // opposite values
	b.State("NEAR", "X", 0.1, 0.1, []float64{-1, -1, -0.8}, 0.5) // close to the source
	b.State("OUT", "Y", 0.1, 0.1, []float64{1, 1, 1}, 0.5)       // other region
	b.State("NAMED", "Y", 0.1, 0.1, []float64{1, 1, 1}, 0.5)     // named with weight 0.5
	b.Threat("t", "conventional", "SRC", map[string]float64{"X": 1}, map[string]float64{"NAMED": 0.5}, sim.ConstantProfile(0.8))
	s := newSim(t, b.W, sim.DefaultParams(), "threat", 0)
	pt := func(id string) float64 { return s.PerceivedThreat(b.I(id)) }
	switch {
	case pt("SRC") != 0:
		t.Errorf("the source threatens itself: %v", pt("SRC"))
	case pt("FAR") != 0.8:
		t.Errorf("FAR perceives %v, want 0.8 (intensity x exposure 1, far in values)", pt("FAR"))
	case !(pt("NEAR") < 0.2*pt("FAR")):
		t.Errorf("NEAR perceives %v, FAR %v: closeness in values should damp the threat", pt("NEAR"), pt("FAR"))
	case pt("OUT") != 0:
		t.Errorf("OUT of the exposed region perceives %v", pt("OUT"))
	case pt("NAMED") != 0.4:
		t.Errorf("NAMED perceives %v, want 0.4", pt("NAMED"))
	}
}

func TestAccommodationLowersThreat(t *testing.T) {
	b := simtest.NewBuilder()
	b.State("SRC", "X", 0.5, 0.5, []float64{-1, -1, -1}, 0.5)
	b.State("A", "X", 0.1, 0.1, []float64{1, 1, 1}, 0.5)
	b.State("B", "X", 0.1, 0.1, []float64{1, 1, 1}, 0.5)
	b.Tie("A", "SRC", sim.Cooperation, sim.Advanced, "")
	b.Threat("t", "conventional", "SRC", map[string]float64{"X": 1}, nil, sim.ConstantProfile(1))
	s := newSim(t, b.W, sim.DefaultParams(), "acc", 0)
	if a, bb := s.PerceivedThreat(1), s.PerceivedThreat(2); !(a < bb) {
		t.Fatalf("tied to the source: %v, not tied: %v", a, bb)
	}
}

func TestOrganisationCapabilityDerivesFromMembers(t *testing.T) {
	w := simtest.Nordic(0)
	s := newSim(t, w, sim.DefaultParams(), "org", 0)
	nato := w.ActorIndex("NATO")
	sum := 0.0
	for _, m := range w.Actors[nato].Members {
		sum += s.EffectiveCapability(m)
	}
	if got := s.EffectiveCapability(nato); math.Abs(got-sum) > 1e-12 {
		t.Fatalf("NATO capability %v, members sum %v", got, sum)
	}
}

func TestProfiles(t *testing.T) {
	cases := []struct {
		p    sim.Profile
		t    int
		want float64
	}{
		{sim.ConstantProfile(0.3), 50, 0.3},
		{sim.Profile{Shape: sim.Step, Base: 0.1, Peak: 0.9, Start: 10}, 9, 0.1},
		{sim.Profile{Shape: sim.Step, Base: 0.1, Peak: 0.9, Start: 10}, 10, 0.9},
		{sim.Profile{Shape: sim.Ramp, Base: 0, Peak: 1, Start: 10, End: 20}, 15, 0.5},
		{sim.Profile{Shape: sim.Ramp, Base: 0, Peak: 1, Start: 10, End: 20}, 25, 1},
		{sim.Profile{Shape: sim.Pulse, Base: 0.1, Peak: 0.9, Start: 10, End: 20}, 19, 0.9},
		{sim.Profile{Shape: sim.Pulse, Base: 0.1, Peak: 0.9, Start: 10, End: 20}, 20, 0.1},
		{sim.Profile{Shape: sim.ShockDecay, Base: 0.1, Peak: 0.9, Start: 10, HalfLife: 5}, 15, 0.5},
		{sim.Profile{Shape: sim.Series, Points: []sim.Point{{0, 0}, {10, 1}}}, 5, 0.5},
	}
	for _, c := range cases {
		if got := c.p.At(c.t); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%v at %d = %v, want %v", c.p.Shape, c.t, got, c.want)
		}
		if err := c.p.Validate("p"); err != nil {
			t.Errorf("%v: %v", c.p.Shape, err)
		}
	}
	bad := sim.Profile{Shape: sim.Ramp, Base: 0, Peak: 1.5, Start: 10, End: 5}
	if err := bad.Validate("threats.x.intensity"); err == nil || !strings.Contains(err.Error(), "threats.x.intensity.peak") {
		t.Fatalf("bad profile: %v", err)
	}
}

func TestParamsValidate(t *testing.T) {
	p := sim.DefaultParams()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	p.Temperature = -1
	p.Candidates = 2.5
	p.CoalitionDissolve = 0.9
	err := p.Validate()
	var pe *sim.ParamError
	if !errors.As(err, &pe) {
		t.Fatalf("want *ParamError, got %v", err)
	}
	for _, want := range []string{"parameters.temperature = -1 is out of range: want a number in [0, 100]", "parameters.candidates = 2.5", "whole number", "coalition_dissolve"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, ok := sim.LookupParam("parameters.temperature"); !ok {
		t.Error("LookupParam with prefix")
	}
}

func TestWorldValidate(t *testing.T) {
	w := simtest.Nordic(0)
	w.Ties = append(w.Ties, sim.TieSpec{A: 0, B: 0, Form: sim.Alliance, Level: sim.Nominal, Donor: -1})
	w.Actors[1].Capability = 1.5
	err := w.Validate()
	if err == nil || !strings.Contains(err.Error(), "capability = 1.5") || !strings.Contains(err.Error(), "two different actors") {
		t.Fatalf("got %v", err)
	}
	if _, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1)); err == nil {
		t.Fatal("New accepted an invalid world")
	}
}

func eventsOf(s *sim.Sim, steps int) []sim.Event {
	var all []sim.Event
	for s.T() < steps {
		s.Step()
		all = append(all, s.Events()...)
	}
	return all
}

func TestDeterminism(t *testing.T) {
	w := simtest.Synthetic(120, 2)
	a := eventsOf(newSim(t, w, sim.DefaultParams(), "det", 0), 40)
	b := eventsOf(newSim(t, w, sim.DefaultParams(), "det", 0), 40)
	c := eventsOf(newSim(t, w, sim.DefaultParams(), "det", 1), 40)
	if len(a) == 0 || !equalEvents(a, b) {
		t.Fatal("same seed, different runs")
	}
	if equalEvents(a, c) {
		t.Fatal("different replicates, same run")
	}
}

func TestCloneContinuesIdentically(t *testing.T) {
	w := simtest.Synthetic(120, 2)
	s := newSim(t, w, sim.DefaultParams(), "clone", 0)
	s.Run(20)
	c := s.Clone()
	a, b := eventsOf(s, 40), eventsOf(c, 40)
	if len(a) == 0 || !equalEvents(a, b) {
		t.Fatal("clone diverged from the original")
	}
}

func equalEvents(a, b []sim.Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDescribe(t *testing.T) {
	w := simtest.Nordic(1)
	s := newSim(t, w, sim.DefaultParams(), "fact2", 1)
	for s.T() < 30 {
		s.Step()
		for _, e := range s.Events() {
			d := s.Describe(e)
			if e.Kind == sim.TieReformed && e.Form == sim.Alliance && strings.Contains(d, "FIN") {
				if !strings.HasPrefix(d, "step ") || !strings.Contains(d, "alliance") {
					t.Fatalf("description %q", d)
				}
				return
			}
		}
	}
	t.Fatal("no Finland alliance event to describe")
}

func TestBranchSharesHistoryAndRandomNumbers(t *testing.T) {
	w := simtest.Nordic(1)
	s := newSim(t, w, sim.DefaultParams(), "branch", 0)
	s.Run(8)
	same, err := s.Branch(w, sim.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	// a branch with an unchanged world continues exactly as a clone would
	a, b := eventsOf(s.Clone(), 30), eventsOf(same, 30)
	if !equalEvents(a, b) {
		t.Fatal("an unchanged branch diverged")
	}
	// an intervention: no shock from the branch point on
	calm := simtest.Nordic(0)
	br, err := s.Branch(calm, sim.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if br.T() != s.T() {
		t.Fatal("branch lost the clock")
	}
	br.Step()
	if br.Intensity(0) >= 0.5 {
		t.Fatalf("branch without shock has intensity %v", br.Intensity(0))
	}
	bad := simtest.Terror(1, 2)
	if _, err := s.Branch(bad, sim.DefaultParams()); err == nil {
		t.Fatal("branch onto another cast accepted")
	}
}
