package sim_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// Mechanism tests for candidate sampling, security, threats, the patron,
// reputation, the signed network, entrapment, lock-in, coalitions and
// accession (see mechanisms_test.go for the conventions: each test starts
// from params(t), holds its own control and fails when its parameter is at
// its neutral value).

// secPin sets the named parameters (never the one a test is about) to their
// defaults, so that a test depends on its own parameter only and the
// knock-out of another leaves it standing.
func secPin(t testing.TB, p *sim.Params, names ...string) {
	t.Helper()
	d := sim.DefaultParams()
	for _, name := range names {
		spec, ok := sim.LookupParam(name)
		if !ok {
			t.Fatalf("pin: no parameter %s", name)
		}
		spec.Set(p, spec.Get(&d))
	}
}

// secOnValue is the value of parameter name to test the mechanism at: the
// one in p, or on when the mechanism is off by default (its default is its
// neutral value), in which case the test compares the neutral value with on
// itself. The knock-out table's ENTENTE_TEST_NEUTRAL=name removes the
// mechanism from that comparison too (the neutral value in both arms), so
// that a mechanism off by default still has a test that then fails.
func secOnValue(t testing.TB, p sim.Params, name string, on float64) float64 {
	t.Helper()
	spec, ok := sim.LookupParam(name)
	if !ok {
		t.Fatalf("no parameter %s", name)
	}
	if os.Getenv("ENTENTE_TEST_NEUTRAL") == name {
		t.Logf("%s knocked out: testing it at its neutral value %g", name, spec.Neutral)
		return spec.Neutral
	}
	d := sim.DefaultParams()
	if spec.Get(&d) == spec.Neutral {
		t.Logf("%s is off by default (%g); testing it at %g", name, spec.Neutral, on)
		return on
	}
	return spec.Get(&p)
}

// secNear reports whether a and b agree to a relative tolerance.
func secNear(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))+1e-15
}

// secQuiet switches off every opportunity the model draws, so that only
// scripted decisions and the clock change a run.
func secQuiet(p *sim.Params) {
	p.OpportunityRate, p.PartnershipRate, p.Alarm = 0, 0, 0
}

// secScript controls some actors: each takes its planned choices, one per
// step, then does nothing; controlled actors consent to every proposal.
type secScript struct {
	actors map[int]bool
	plan   map[int][]sim.Choice
}

func newSecScript(actors ...int) *secScript {
	s := &secScript{actors: map[int]bool{}, plan: map[int][]sim.Choice{}}
	for _, a := range actors {
		s.actors[a] = true
	}
	return s
}

func (s *secScript) then(actor int, c sim.Choice) *secScript {
	c.Actor = actor
	s.plan[actor] = append(s.plan[actor], c)
	return s
}

func (s *secScript) Controls(i int) bool { return s.actors[i] }

func (s *secScript) Decide(i int, opts []sim.Choice, model int) (sim.Choice, bool) {
	if q := s.plan[i]; len(q) > 0 {
		s.plan[i] = q[1:]
		return q[0], true
	}
	return sim.Choice{Kind: sim.ChooseNothing, Actor: i, Partner: -1, Group: -1}, true
}

func (s *secScript) Consent(int, sim.Choice, sim.Verdict) bool { return true }

func secNewTie(j int, f sim.Form) sim.Choice {
	return sim.Choice{Kind: sim.ChooseNewTie, Partner: j, Group: -1, Form: f, Level: sim.Nominal}
}

// ---- candidate sampling ---------------------------------------------------

// secCrowd is actor 0 in region R0 with `same` other actors there and `other`
// actors spread over four other regions, all untied and unthreatened.
func secCrowd(same, other int) *simtest.Builder {
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	b.State("I", "R0", 0.1, 0.1, v, 0.5)
	for k := 0; k < same; k++ {
		b.State(fmt.Sprintf("N%d", k), "R0", 0.1, 0.1, v, 0.5)
	}
	for k := 0; k < other; k++ {
		b.State(fmt.Sprintf("F%d", k), fmt.Sprintf("R%d", 1+k%4), 0.1, 0.1, v, 0.5)
	}
	b.W.StepsPerYear = 1
	return b
}

// secNewTiePartners returns the distinct partners of i's new-tie options.
func secNewTiePartners(cs []sim.Choice) map[int]bool {
	out := map[int]bool{}
	for _, c := range cs {
		if c.Kind == sim.ChooseNewTie {
			out[c.Partner] = true
		}
	}
	return out
}

// An opportunity weighs new ties with k sampled candidates and changes to
// a window of up to k of the actor's ties: so a step costs O(N k).
// candidates is a design parameter whose default is its neutral value (the
// knock-out cannot show anything): the test checks the default and twice
// it, which must offer twice the partners.
func TestMechanismCandidates(t *testing.T) {
	p := params(t)
	p.ClosureBias, p.RegionBias = 0, 0
	for _, k := range []int{int(p.Candidates), 2 * int(p.Candidates)} {
		q := p
		q.Candidates = float64(k)
		// 60 untied actors: new ties
		s := newSim(t, secCrowd(10, 50).W, q, 1)
		most, sum := 0, 0
		for seed := uint64(0); seed < 100; seed++ {
			n := len(secNewTiePartners(s.Choices(0, seed)))
			most = max(most, n)
			sum += n
		}
		if most != k || float64(sum)/100 < float64(k)-0.5 {
			t.Errorf("candidates %d: at most %d and on average %.2f new-tie partners among 60 untied actors, want at most and about %d",
				k, most, float64(sum)/100, k)
		}
		// an actor with 20 ties: a window of k of them
		b := secCrowd(0, 30)
		for j := 1; j <= 20; j++ {
			b.Tie("I", fmt.Sprintf("F%d", j-1), sim.Cooperation, sim.Initial, "")
		}
		s = newSim(t, b.W, q, 1)
		for seed := uint64(0); seed < 20; seed++ {
			n := 0
			for _, c := range s.Choices(0, seed) {
				if c.Kind == sim.ChooseAbandon {
					n++
				}
			}
			if n != k {
				t.Fatalf("candidates %d: an actor with 20 ties weighs abandoning %d of them, want %d", k, n, k)
			}
		}
	}
}

// secCandidateShare is the share of i's new-tie candidates over many
// opportunities that are in set.
func secCandidateShare(s *sim.Sim, i int, set map[int]bool) float64 {
	in, all := 0, 0
	for seed := uint64(0); seed < 400; seed++ {
		for j := range secNewTiePartners(s.Choices(i, seed)) {
			all++
			if set[j] {
				in++
			}
		}
	}
	return float64(in) / float64(all)
}

// Triadic closure: a closure_bias share of candidates is drawn among
// partners' partners. Actor I's only partner M has five other partners
// among 50 actors; with closure they are drawn far more often than the
// 5/50 a uniform draw gives.
func TestMechanismClosureBias(t *testing.T) {
	p := params(t)
	p.RegionBias = 0
	b := secCrowd(0, 50)
	b.State("M", "R1", 0.1, 0.1, []float64{0.5, 0.5, 0.5}, 0.5)
	b.Tie("I", "M", sim.Cooperation, sim.Initial, "")
	friends := map[int]bool{}
	for k := 0; k < 5; k++ {
		b.Tie("M", fmt.Sprintf("F%d", k), sim.Cooperation, sim.Initial, "")
		friends[b.I(fmt.Sprintf("F%d", k))] = true
	}
	share := map[float64]float64{}
	for _, c := range []float64{0, p.ClosureBias} {
		q := p
		q.ClosureBias = c
		share[c] = secCandidateShare(newSim(t, b.W, q, 1), 0, friends)
	}
	uniform := 5.0 / 50
	t.Logf("partners' partners among candidates: %.3f at closure_bias 0, %.3f at %g", share[0], share[p.ClosureBias], p.ClosureBias)
	if math.Abs(share[0]-uniform) > 0.03 {
		t.Errorf("closure_bias 0: %.3f of candidates are partners' partners, want the uniform %.3f", share[0], uniform)
	}
	// each draw is a partner's partner with probability c·5/6 + (1−c)·5/50
	// (M's sixth tie leads back to I)
	c := p.ClosureBias
	want := c*5/6 + (1-c)*uniform
	if d := share[c] - share[0]; math.Abs(share[c]-want) > 0.06 || d < 0.05 || d < 0.5*c*(5.0/6-uniform) {
		t.Errorf("closure_bias %g: %.3f of candidates are partners' partners, %.3f without closure: want about %.3f, clearly more",
			c, share[c], share[0], want)
	}
}

// Neighbours meet more often: a region_bias share of the candidates not
// drawn by closure comes from the actor's own region (5 of 55 others).
func TestMechanismRegionBias(t *testing.T) {
	p := params(t)
	p.ClosureBias = 0
	b := secCrowd(5, 50)
	own := map[int]bool{}
	for k := 0; k < 5; k++ {
		own[b.I(fmt.Sprintf("N%d", k))] = true
	}
	share := map[float64]float64{}
	for _, r := range []float64{0, p.RegionBias} {
		q := p
		q.RegionBias = r
		share[r] = secCandidateShare(newSim(t, b.W, q, 1), 0, own)
	}
	uniform := 5.0 / 55
	t.Logf("own region among candidates: %.3f at region_bias 0, %.3f at %g", share[0], share[p.RegionBias], p.RegionBias)
	if math.Abs(share[0]-uniform) > 0.03 {
		t.Errorf("region_bias 0: %.3f of candidates from the own region, want the uniform %.3f", share[0], uniform)
	}
	r := p.RegionBias
	want := r*5/6 + (1-r)*uniform
	if d := share[r] - share[0]; math.Abs(share[r]-want) > 0.06 || d < 0.05 || d < 0.5*r*(5.0/6-uniform) {
		t.Errorf("region_bias %g: %.3f of candidates from the own region, %.3f without the bias: want about %.3f, clearly more",
			r, share[r], share[0], want)
	}
}

// ---- protection and perceived threat ------------------------------------------

// secWithTie returns a copy of w with a tie between a and b.
func secWithTie(w *sim.World, a, b int, f sim.Form, l sim.Level, age int) *sim.World {
	c := *w
	c.Ties = append(append([]sim.TieSpec(nil), w.Ties...), sim.TieSpec{A: a, B: b, Form: f, Level: l, Donor: -1, Age: age, Trust: 0.5})
	return &c
}

// secWithThreat returns a copy of w with one more threat on actor a.
func secWithThreat(w *sim.World, kind string, a int, intensity float64) (*sim.World, int) {
	c := *w
	c.Threats = append(append([]sim.Threat(nil), w.Threats...), sim.Threat{Name: "extra", Kind: kind, Source: -1,
		ActorExposure: map[int]float64{a: 1}, Intensity: sim.ConstantProfile(intensity)})
	return &c, len(c.Threats) - 1
}

// secPartnerProtection is what actor a's tie with b adds to its protection
// against threat k: a's protection in w with the tie less its protection
// in w alone.
func secPartnerProtection(t *testing.T, w *sim.World, p sim.Params, a, b, k int, f sim.Form, l sim.Level, age int) float64 {
	t.Helper()
	without := newSim(t, w, p, 1).ProtectionAgainst(a, k)
	return newSim(t, secWithTie(w, a, b, f, l, age), p, 1).ProtectionAgainst(a, k) - without
}

// secCredibility is H / (H + deterrence_horizon), 1 without a horizon.
func secCredibility(p sim.Params, years float64) float64 {
	if p.DeterrenceHorizon == 0 {
		return 1
	}
	return years / (years + p.DeterrenceHorizon)
}

// Every actor feels a background conventional need even when no threat
// exposes it: its insecurity is base_need·e^(−self-help), and an alliance
// is worth something to it for its security.
func TestMechanismBaseNeed(t *testing.T) {
	p := params(t)
	secPin(t, &p, "protection", "treaty_term")
	b := simtest.NewBuilder()
	a := b.State("A", "R", 0.05, 0.05, []float64{0.5, 0.5, 0.5}, 0.5)
	c := b.State("B", "R", 0.3, 0.3, []float64{0.5, 0.5, 0.5}, 0.5)
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	p0 := p.SelfHelp * s.EffectiveCapability(a)
	if got, want := s.Insecurity(a), p.BaseNeed*math.Exp(-p0); !secNear(got, want, 1e-12) || !(got > 0) {
		t.Errorf("an unthreatened actor's insecurity is %g, want base_need %g x e^-%g = %g (> 0)", got, p.BaseNeed, p0, want)
	}
	if s.PerceivedThreat(a) != 0 {
		t.Errorf("perceived threat %g without threats; the background need is not a threat", s.PerceivedThreat(a))
	}
	sec := s.TieChange(a, c, sim.Alliance, sim.None, sim.Alliance, sim.Nominal)[sim.TermSecurity]
	dP := p.Protection * s.EffectiveCapability(c) * secCredibility(p, p.TreatyTerm) * sim.Nominal.Frac()
	if want := p.BaseNeed * math.Exp(-p0) * (1 - math.Exp(-dP)); !secNear(sec, want, 1e-9) || !(sec > 0) {
		t.Errorf("security term of an alliance for an unthreatened actor %g, want base_need x e^-P x (1 - e^-dP) = %g (> 0)", sec, want)
	}
}

// An ally brings protection x its capability x its reliability x the
// form's commitment x credibility x level; the alliance's security term is
// the fall in insecurity it brings.
func TestMechanismProtection(t *testing.T) {
	p := params(t)
	secPin(t, &p, "treaty_term", "deterrence_horizon")
	w, a, c, _ := duo(0.6)
	s := newSim(t, w, p, 1)
	for _, l := range []sim.Level{sim.Nominal, sim.Advanced} {
		got := secPartnerProtection(t, w, p, a, c, 0, sim.Alliance, l, 0)
		want := p.Protection * s.EffectiveCapability(c) * s.Reliability(c) * secCredibility(p, p.TreatyTerm) * l.Frac()
		if !secNear(got, want, 1e-9) || !(got > 0) {
			t.Errorf("an alliance at level %v with B adds %g to A's protection, want protection %g x capability %g x credibility x level = %g (> 0)",
				l, got, p.Protection, s.EffectiveCapability(c), want)
		}
	}
	// the security term of forming it: T e^-P (1 - e^-dP) over the threat
	// and the background need
	sec := s.TieChange(a, c, sim.Alliance, sim.None, sim.Alliance, sim.Advanced)[sim.TermSecurity]
	dP := p.Protection * s.EffectiveCapability(c) * secCredibility(p, p.TreatyTerm)
	want := (s.Insecurity(a)) * (1 - math.Exp(-dP))
	if !secNear(sec, want, 1e-9) || !(sec > 0) {
		t.Errorf("security term of an advanced alliance for the threatened A %g, want insecurity %g x (1 - e^-%g) = %g (> 0)", sec, s.Insecurity(a), dP, want)
	}
}

// Own capability protects: self_help per unit of effective capability, so
// a capable state is less insecure than a weak one under the same threat
// and values an ally less.
func TestMechanismSelfHelp(t *testing.T) {
	p := params(t)
	secPin(t, &p, "protection", "treaty_term")
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	weak := b.State("W", "R", 0.01, 0.01, v, 0.5)
	strong := b.State("C", "R", 0.3, 0.3, v, 0.5)
	ally := b.State("B", "R", 0.2, 0.2, v, 0.5)
	b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
	b.Threat("t", "conventional", "S", nil, map[string]float64{"W": 1, "C": 1}, sim.ConstantProfile(0.6))
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	for _, i := range []int{weak, strong} {
		if got, want := s.ProtectionAgainst(i, 0), p.SelfHelp*s.EffectiveCapability(i); !secNear(got, want, 1e-12) {
			t.Errorf("actor %d without partners has protection %g, want self_help x capability = %g", i, got, want)
		}
	}
	if s.Insecurity(strong) >= s.Insecurity(weak) {
		t.Errorf("the capable state's insecurity %g is not below the weak one's %g under the same threat", s.Insecurity(strong), s.Insecurity(weak))
	}
	secW := s.TieChange(weak, ally, sim.Alliance, sim.None, sim.Alliance, sim.Initial)[sim.TermSecurity]
	secS := s.TieChange(strong, ally, sim.Alliance, sim.None, sim.Alliance, sim.Initial)[sim.TermSecurity]
	if !(secS < secW) {
		t.Errorf("the same alliance is worth %g to the capable state and %g to the weak one for security; want less to the capable", secS, secW)
	}
}

// Cooperation carries no mutual-defence obligation: against a state
// threat it protects cooperation_commit of what an alliance of the same
// level does; against a transnational threat both forms protect alike.
func TestMechanismCooperationCommit(t *testing.T) {
	p := params(t)
	secPin(t, &p, "protection", "treaty_term")
	w, a, c, _ := duo(0.6)
	w, terror := secWithThreat(w, "terrorism", a, 0.6)
	for _, l := range []sim.Level{sim.Initial, sim.Advanced} {
		all := secPartnerProtection(t, w, p, a, c, 0, sim.Alliance, l, 0)
		coop := secPartnerProtection(t, w, p, a, c, 0, sim.Cooperation, l, 0)
		if r := coop / all; !secNear(r, p.CooperationCommit, 1e-9) || !(r < 1) {
			t.Errorf("against a state threat a cooperation tie at level %v protects %g, an alliance %g: ratio %g, want cooperation_commit %g (< 1)",
				l, coop, all, r, p.CooperationCommit)
		}
		allT := secPartnerProtection(t, w, p, a, c, terror, sim.Alliance, l, 0)
		coopT := secPartnerProtection(t, w, p, a, c, terror, sim.Cooperation, l, 0)
		if !secNear(coopT, allT, 1e-12) || !(allT > 0) {
			t.Errorf("against a transnational threat a cooperation tie at level %v protects %g, an alliance %g; want equal (> 0)", l, coopT, allT)
		}
	}
}

// A written treaty is expected to last treaty_term years, so a newly
// signed alliance deters from the start: its credibility is T/(T + horizon).
func TestMechanismTreatyTerm(t *testing.T) {
	p := params(t)
	secPin(t, &p, "protection", "deterrence_horizon")
	w, a, c, _ := duo(0.6)
	s := newSim(t, w, p, 1)
	base := p.Protection * s.EffectiveCapability(c)
	for _, age := range []int{0, 5} {
		got := secPartnerProtection(t, w, p, a, c, 0, sim.Alliance, sim.Advanced, age)
		want := base * secCredibility(p, p.TreatyTerm+float64(age))
		if !secNear(got, want, 1e-9) {
			t.Errorf("an alliance of %d years adds %g to protection, want %g x credibility (%g + %d years) = %g", age, got, base, p.TreatyTerm, age, want)
		}
		if age == 0 && !(got > 0.5*base*secCredibility(p, 10)) {
			t.Errorf("a newly signed alliance adds %g to protection, less than half what a ten-year commitment would (%g): a new treaty does not deter",
				got, base*secCredibility(p, 10))
		}
	}
}

// A state adversary weighs a commitment over deterrence_horizon years: a
// young commitment is less credible than an old one, whatever its
// partner's capability. Against a transnational threat there is no one to
// deter: age does not matter.
func TestMechanismDeterrenceHorizon(t *testing.T) {
	p := params(t)
	secPin(t, &p, "protection", "treaty_term")
	w, a, c, _ := duo(0.6)
	w, terror := secWithThreat(w, "terrorism", a, 0.6)
	young := secPartnerProtection(t, w, p, a, c, 0, sim.Alliance, sim.Advanced, 0)
	old := secPartnerProtection(t, w, p, a, c, 0, sim.Alliance, sim.Advanced, 30)
	want := secCredibility(p, p.TreatyTerm+30) / secCredibility(p, p.TreatyTerm)
	if r := old / young; !secNear(r, want, 1e-9) || !(r > 1.05) {
		t.Errorf("a 30-year alliance protects %g, a new one %g against a state threat: ratio %g, want %g (clearly > 1)", old, young, r, want)
	}
	youngT := secPartnerProtection(t, w, p, a, c, terror, sim.Alliance, sim.Advanced, 0)
	oldT := secPartnerProtection(t, w, p, a, c, terror, sim.Alliance, sim.Advanced, 30)
	if !secNear(youngT, oldT, 1e-12) || !(youngT > 0) {
		t.Errorf("against a transnational threat a new alliance protects %g, an old one %g; want equal (> 0)", youngT, oldT)
	}
}

// An advanced tie with a threat's source removes accommodation of its
// threat (hedging toward it), pro rata of the tie's level; weighing such a
// tie, the actor counts the fall in threat as security.
func TestMechanismAccommodation(t *testing.T) {
	p := params(t)
	w, a, _, src := duo(0.6)
	s := newSim(t, w, p, 1)
	full := s.PerceivedThreat(a)
	for _, l := range []sim.Level{sim.Initial, sim.Advanced} {
		got := newSim(t, secWithTie(w, a, src, sim.Cooperation, l, 0), p, 1).PerceivedThreat(a)
		if want := full * (1 - p.Accommodation*l.Frac()); !secNear(got, want, 1e-12) || !(got < full) {
			t.Errorf("with a tie at level %v to the source A perceives %g of a threat of %g, want (1 - accommodation %g x level) = %g (less)",
				l, got, full, p.Accommodation, want)
		}
	}
	q := p
	q.Accommodation = 0
	sec := s.TieChange(a, src, sim.Cooperation, sim.None, sim.Cooperation, sim.Advanced)[sim.TermSecurity]
	sec0 := newSim(t, w, q, 1).TieChange(a, src, sim.Cooperation, sim.None, sim.Cooperation, sim.Advanced)[sim.TermSecurity]
	want := p.Accommodation * s.PerceivedThreatOf(a, 0) * math.Exp(-s.ProtectionAgainst(a, 0))
	if got := sec - sec0; !secNear(got, want, 1e-9) || !(got > 0) {
		t.Errorf("accommodation adds %g to the security term of an advanced tie with the source, want accommodation x T x e^-P = %g (> 0)", got, want)
	}
}

// Actors close to a threat's source in values feel less of it: the
// threat is felt in full from a value distance of threat_value_scale on.
func TestMechanismThreatValueScale(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	akin := b.State("NEAR", "R", 0.01, 0.01, []float64{0.5, 0, 0}, 0.5)
	far := b.State("FAR", "R", 0.01, 0.01, []float64{1, 1, 0}, 0.5)
	b.State("S", "X", 0.3, 0.3, []float64{0, 0, 0}, 0.5)
	b.Threat("t", "conventional", "S", nil, map[string]float64{"NEAR": 1, "FAR": 1}, sim.ConstantProfile(0.6))
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	for _, c := range []struct {
		i    int
		dist float64
	}{{akin, 0.5}, {far, math.Sqrt2}} {
		if got, want := s.PerceivedThreat(c.i), 0.6*math.Min(1, c.dist/p.ThreatValueScale); !secNear(got, want, 1e-12) {
			t.Errorf("at value distance %.3f from the source actor %d perceives %g, want 0.6 x min(1, distance / %g) = %g", c.dist, c.i, got, p.ThreatValueScale, want)
		}
	}
	if !(s.PerceivedThreat(akin) < s.PerceivedThreat(far)) {
		t.Errorf("the actor close to the source in values perceives %g, the distant one %g: want less for the close one",
			s.PerceivedThreat(akin), s.PerceivedThreat(far))
	}
}

// A source answers the alignment formed against it: its intensity rises
// by escalation x the share of its exposed actors newly bound. Escalation
// is off by default (0, its neutral value): the test compares 0 with the
// value onValue gives (1 while the default is 0).
func TestMechanismEscalation(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	e := secOnValue(t, p, "escalation", 1)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	for _, id := range []string{"A", "B", "C", "D"} {
		b.State(id, "R", 0.05, 0.05, v, 0.3)
	}
	b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
	b.Threat("t", "conventional", "S", map[string]float64{"R": 1}, nil, sim.ConstantProfile(0.3))
	b.W.StepsPerYear = 1
	for arm, esc := range []float64{0, e} {
		q := p
		q.Escalation = esc
		s := newSim(t, b.W, q, 1)
		s.SetController(newSecScript(0, 1).then(0, secNewTie(1, sim.Alliance)))
		s.Step()
		if _, ok := s.TieBetween(0, 1); !ok {
			t.Fatalf("escalation %g: the scripted alliance A-B did not form", esc)
		}
		want := 0.3 * (1 + esc*2.0/4)
		if got := s.Intensity(0); !secNear(got, want, 1e-12) {
			t.Errorf("escalation %g: with 2 of 4 exposed actors newly allied the intensity is %g, want 0.3 x (1 + %g x 1/2) = %g", esc, got, esc, want)
		}
		if got := s.PerceivedThreat(2); !secNear(got, want, 1e-12) {
			t.Errorf("escalation %g: the unallied C perceives %g, want the escalated intensity %g", esc, got, want)
		}
		if arm == 1 && !(s.Intensity(0) > 0.3) {
			t.Errorf("escalation %g: the source did not answer the alliance against it (intensity %g)", esc, s.Intensity(0))
		}
	}
}

// ---- reputation and the patron ------------------------------------------------

// Others learn an actor's reliability from what it does: abandoning an
// advanced alliance of trust 0.8 (severity 0.8) closes reputation_learning
// of the gap to 1 − 0.8; a later decision that keeps its commitments (a
// new alliance) closes it toward 1 again. Partners see the reputation as
// reliability.
func TestMechanismReputationLearning(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.05, 0.05, v, 0.5)
	c := b.State("B", "R", 0.05, 0.05, v, 0.5)
	d := b.State("C", "R", 0.05, 0.05, v, 0.5)
	b.W.Ties = append(b.W.Ties, sim.TieSpec{A: a, B: c, Form: sim.Alliance, Level: sim.Advanced, Donor: -1, Age: 10, Trust: 0.8})
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	s.SetController(newSecScript(a, d).
		then(a, sim.Choice{Kind: sim.ChooseAbandon, Partner: c, Group: -1, Form: sim.Alliance, Level: sim.None}).
		then(a, secNewTie(d, sim.Alliance)))
	s.Step()
	if _, ok := s.TieBetween(a, c); ok {
		t.Fatal("the scripted abandonment did not happen")
	}
	r1 := 1 - p.ReputationLearning*0.8
	if got := s.Reputation(a); !secNear(got, r1, 1e-12) || !(got < 1) {
		t.Errorf("after abandoning an advanced alliance of trust 0.8 A's reputation is %g, want 1 - reputation_learning %g x 0.8 = %g (< 1)", got, p.ReputationLearning, r1)
	}
	if got := s.Reliability(a); !secNear(got, s.Reputation(a), 1e-12) {
		t.Errorf("partners see A's reliability as %g, want its reputation %g", got, s.Reputation(a))
	}
	if s.Reputation(c) != 1 {
		t.Errorf("the abandoned B's reputation moved to %g", s.Reputation(c))
	}
	s.Step()
	if _, ok := s.TieBetween(a, d); !ok {
		t.Fatal("the scripted alliance A-C did not form")
	}
	if got, want := s.Reputation(a), r1+p.ReputationLearning*(1-r1); !secNear(got, want, 1e-12) {
		t.Errorf("after a decision that keeps its commitments A's reputation is %g, want %g + reputation_learning x (1 - %g) = %g", got, r1, r1, want)
	}
}

// secPatronWorld is a patron with autonomy 0.2 and a partner, under constant
// political retrenchment 0.3 and no threat.
func secPatronWorld() *sim.World {
	b := simtest.NewBuilder()
	b.State("P", "R", 0.5, 0.5, []float64{0.5, 0.5, 0.5}, 0.2)
	b.W.Actors[0].Patron = true
	b.State("X", "R", 0.05, 0.05, []float64{0.5, 0.5, 0.5}, 0.2)
	b.W.Political = sim.ConstantProfile(0.3)
	b.W.StepsPerYear = 1
	return b.W
}

// What others see is what the actor weighed: re-forming an advanced
// alliance of trust 0.8 to cooperation gives up the commitment at its level
// (severity 0.8 x (1 − cooperation_commit)); the option's reputation term
// is abandon_penalty times that, and the actor's reputation then closes
// reputation_learning of the gap to 1 − severity. Lowering and ending
// support likewise (givenUp).
func TestMechanismReputationSeenAsWeighed(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.05, 0.05, v, 0.5)
	c := b.State("B", "R", 0.05, 0.05, v, 0.5)
	b.W.Ties = append(b.W.Ties, sim.TieSpec{A: a, B: c, Form: sim.Alliance, Level: sim.Advanced, Donor: -1, Age: 10, Trust: 0.8})
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	sev := 0.8 * (1 - p.CooperationCommit)
	if got, want := s.WhatIf(a, c, sim.Cooperation, sim.Advanced).Terms[sim.TermReputation], -p.AbandonPenalty*sev; !secNear(got, want, 1e-12) || !(got < 0) {
		t.Errorf("A weighs re-forming the alliance to cooperation at %g in reputation, want -abandon_penalty x %g = %g (< 0)", got, sev, want)
	}
	s.SetController(newSecScript(a).
		then(a, sim.Choice{Kind: sim.ChooseReform, Partner: c, Group: -1, Form: sim.Cooperation, Level: sim.Advanced}))
	s.Step()
	if tie, ok := s.TieBetween(a, c); !ok || tie.Form != sim.Cooperation {
		t.Fatal("the scripted re-forming did not happen")
	}
	if got, want := s.Reputation(a), 1-p.ReputationLearning*sev; !secNear(got, want, 1e-12) || !(got < 1) {
		t.Errorf("after re-forming A's reputation is %g, want 1 - reputation_learning x %g = %g (< 1)", got, sev, want)
	}
}

// The patron's policy follows a regime that shifts its political
// retrenchment by ±volatility around the profile; in a retrenching regime
// the patron commits less readily (its autonomy cost of an alliance is
// higher by autonomy_weight x (1 − autonomy) x 2 volatility x level).
func TestMechanismVolatility(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	secPin(t, &p, "patron_term", "autonomy_weight")
	s := newSim(t, secPatronWorld(), p, 3)
	aut := map[float64]float64{}
	pols := map[float64]bool{}
	for s.T() < 60 {
		s.Step()
		pol, _ := s.Retrenchment()
		if want := 0.3 + p.Volatility*s.Regime(); !secNear(pol, want, 1e-12) {
			t.Fatalf("step %d: political retrenchment %g, want the profile 0.3 + volatility %g x regime %g = %g", s.T(), pol, p.Volatility, s.Regime(), want)
		}
		pols[pol] = true
		aut[s.Regime()] = s.WhatIf(0, 1, sim.Alliance, sim.Nominal).Terms[sim.TermAutonomy]
	}
	if len(pols) != 2 {
		t.Fatalf("in 60 years the patron's political retrenchment took the values %v around its profile 0.3, want 0.3 ± volatility %g (patron_term %g)",
			pols, p.Volatility, p.PatronTerm)
	}
	want := -p.AutonomyWeight * (1 - 0.2) * 2 * p.Volatility * sim.Nominal.Frac()
	if got := aut[1] - aut[-1]; !secNear(got, want, 1e-9) || !(got < 0) {
		t.Errorf("the autonomy term of a nominal alliance differs by %g between the retrenching and the engaged regime, want %g (< 0)", got, want)
	}
}

// The regime switches every patron_term years on average ("seismic shifts
// in American policy every few years", source 002): over 400 years the
// number of switches matches a switch probability of 1 − e^(−1/term) a
// year, and is at least one every 20 years.
func TestMechanismPatronTerm(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	secPin(t, &p, "volatility")
	s := newSim(t, secPatronWorld(), p, 4)
	switches, last := 0, s.Regime()
	for s.T() < 400 {
		s.Step()
		if r := s.Regime(); r != last {
			switches++
			last = r
		}
	}
	q := 1 - math.Exp(-1/p.PatronTerm)
	mean, sd := 400*q, math.Sqrt(400*q*(1-q))
	if math.Abs(float64(switches)-mean) > 4*sd+1 {
		t.Errorf("%d regime switches in 400 years, want %.1f ± %.1f for patron_term %g", switches, mean, 4*sd, p.PatronTerm)
	}
	if switches < 20 {
		t.Errorf("%d regime switches in 400 years (patron_term %g): the patron's policy does not shift every few years", switches, p.PatronTerm)
	}
}

// ---- the signed network, entrapment and lock-in -------------------------------

// A tie with a rival costs rivalry_weight x enmity per level; a tie with
// a partner that shares one's rival brings rivalry_weight x the product of
// their enmities per level (a common rival brings partners together); a
// tie with a rival's ally costs (the friend of my enemy).
func TestMechanismRivalryWeight(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.05, 0.05, v, 0.5)
	r := b.State("R", "R", 0.05, 0.05, v, 0.5)
	c := b.State("C", "R", 0.05, 0.05, v, 0.5)
	f := b.State("F", "R", 0.05, 0.05, v, 0.5)
	n := b.State("N", "R", 0.05, 0.05, v, 0.5)
	b.W.Rivalries = []sim.Rivalry{{A: a, B: r, Enmity: 0.8}, {A: c, B: r, Enmity: 0.5}}
	b.Tie("F", "R", sim.Alliance, sim.Advanced, "")
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	frac := sim.Initial.Frac()
	for _, x := range []struct {
		what string
		j    int
		want float64
	}{
		{"the rival R", r, -frac * p.RivalryWeight * 0.8},
		{"C, a rival of A's rival", c, frac * p.RivalryWeight * 0.8 * 0.5},
		{"F, an ally of A's rival", f, -frac * p.RivalryWeight * 0.8 * 1},
		{"N, no one's rival or ally", n, 0},
	} {
		got := s.TieChange(a, x.j, sim.Cooperation, sim.None, sim.Cooperation, sim.Initial)[sim.TermRivalry]
		if !secNear(got, x.want, 1e-12) || (x.want != 0) != (got != 0) {
			t.Errorf("rivalry term of A's initial tie with %s: %g, want %g", x.what, got, x.want)
		}
	}
	if s.TieChange(a, r, sim.Cooperation, sim.None, sim.Cooperation, sim.Initial)[sim.TermRivalry] >= 0 {
		t.Errorf("a tie with a rival costs nothing for rivalry (rivalry_weight %g)", p.RivalryWeight)
	}
}

// Joining an organisation pledges the applicant to its members: a member
// that is the rival of one of the applicant's partners costs as a tie with
// it would (the core tie, 002: joining with the patron's rival costs with
// the patron), E_mk x the applicant's commitment to that partner, beside a
// member that is its own rival (E_im); a rivalry between two members that
// the applicant stands with only through the organisation costs nothing.
// Fails if accession prices the applicant's own rivals alone.
func TestMechanismJoinWithAPartnersRival(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.05, 0.05, v, 0.5)
	pat := b.State("P", "R", 0.3, 0.3, v, 0.5)
	riv := b.State("X", "R", 0.2, 0.2, v, 0.5)
	b.State("M", "R", 0.1, 0.1, v, 0.5)
	b.State("N", "R", 0.1, 0.1, v, 0.5)
	withRival := b.Org("O", "R", 0.1, 0.1, v, "X", "M")
	without := b.Org("Q", "R", 0.1, 0.1, v, "M", "N")
	b.Tie("A", "P", sim.Alliance, sim.Advanced, "")
	b.W.Rivalries = []sim.Rivalry{{A: pat, B: riv, Enmity: 1}}
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	com := max(0.1, 0.5)
	if got, want := s.JoinChange(a, withRival)[sim.TermRivalry], -p.RivalryWeight*com*1*sim.Advanced.Frac(); !secNear(got, want, 1e-12) || !(got < 0) {
		t.Errorf("joining O, with the ally's rival X inside: rivalry term %g, want -rivalry_weight x max(commitment, 0.5) x E x A = %g (< 0)", got, want)
	}
	if got := s.JoinChange(a, without)[sim.TermRivalry]; got != 0 {
		t.Errorf("joining Q, no rival of A's or of its ally inside: rivalry term %g, want 0", got)
	}
	// the patron's rivalry with X inside an organisation both belong to
	// is not A's cost when A stands with P only through it
	b2 := simtest.NewBuilder()
	a2 := b2.State("A", "R", 0.05, 0.05, v, 0.5)
	p2 := b2.State("P", "R", 0.3, 0.3, v, 0.5)
	x2 := b2.State("X", "R", 0.2, 0.2, v, 0.5)
	o2 := b2.Org("O", "R", 0.1, 0.1, v, "P", "X")
	b2.W.Rivalries = []sim.Rivalry{{A: p2, B: x2, Enmity: 1}}
	b2.W.StepsPerYear = 1
	s2 := newSim(t, b2.W, p, 1)
	if got := s2.JoinChange(a2, o2)[sim.TermRivalry]; got != 0 {
		t.Errorf("joining O whose members P and X are rivals, A tied to neither: rivalry term %g, want 0", got)
	}
}

// A rival's promise to defend one is not credible: a tie with a partner
// at enmity E protects as the same tie with a partner alike in all else,
// times 1 − E in reliability (1 − e^−ΔP scales by 1 − E), both in the
// protection the tie gives once formed and in the security term of forming
// it; at enmity 1 it protects not at all. Fails if enmity leaves
// reliability alone.
func TestMechanismRivalNotCredible(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.01, 0.01, v, 0.5)
	r := b.State("R", "R", 0.2, 0.2, v, 0.5)
	n := b.State("N", "R", 0.2, 0.2, v, 0.5)
	f := b.State("F", "R", 0.2, 0.2, v, 0.5)
	b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
	b.Threat("t", "conventional", "S", nil, map[string]float64{"A": 1}, sim.ConstantProfile(0.6))
	b.W.Rivalries = []sim.Rivalry{{A: a, B: r, Enmity: 0.8}, {A: a, B: f, Enmity: 1}}
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	if s.Reliability(r) != s.Reliability(n) || s.EffectiveCapability(r) != s.EffectiveCapability(n) {
		t.Fatalf("R and N differ in reliability or capability: the test needs them alike")
	}
	gain := func(j int) float64 { // 1 − e^−ΔP of an advanced alliance with j, once formed
		dP := secPartnerProtection(t, b.W, p, a, j, 0, sim.Alliance, sim.Advanced, 0)
		return -math.Expm1(-dP)
	}
	gr, gn, gf := gain(r), gain(n), gain(f)
	if !(gn > 0) || !secNear(gr, 0.2*gn, 1e-9) {
		t.Errorf("an alliance with the rival R (enmity 0.8) gives 1-e^-dP = %g, want 0.2 x that of the alike N %g = %g", gr, gn, 0.2*gn)
	}
	if gf != 0 {
		t.Errorf("an alliance with F at enmity 1 adds %g to protection, want none", gf)
	}
	sec := func(j int) float64 {
		return s.TieChange(a, j, sim.Alliance, sim.None, sim.Alliance, sim.Advanced)[sim.TermSecurity]
	}
	if sr, sn := sec(r), sec(n); !(sn > 0) || !secNear(sr, 0.2*sn, 1e-9) {
		t.Errorf("security term of an alliance with R %g, want 0.2 x that with N %g = %g", sr, sn, 0.2*sn)
	}
	if sf := sec(f); sf != 0 {
		t.Errorf("security term of an alliance with F at enmity 1 %g, want 0", sf)
	}
}

// Committing to a partner threatened by what does not threaten oneself
// risks being drawn into its conflicts: the entrapment term is
// −entrapment_weight x the form's commitment x level x the threat the
// partner faces beyond one's own. The threatened side risks nothing.
func TestMechanismEntrapmentWeight(t *testing.T) {
	p := params(t)
	w, a, c, _ := duo(0.6)
	s := newSim(t, w, p, 1)
	gap := s.PerceivedThreat(a)
	for _, x := range []struct {
		f      sim.Form
		commit float64
	}{{sim.Alliance, 1}, {sim.Cooperation, p.CooperationCommit}} {
		got := s.TieChange(c, a, x.f, sim.None, x.f, sim.Institutionalised)[sim.TermEntrapment]
		want := -p.EntrapmentWeight * x.commit * sim.Institutionalised.Frac() * gap
		if !secNear(got, want, 1e-12) || !(got < 0) {
			t.Errorf("entrapment term of the unthreatened B's %v with the threatened A: %g, want -entrapment_weight %g x commitment %g x level x threat %g = %g (< 0)",
				x.f, got, p.EntrapmentWeight, x.commit, gap, want)
		}
		if back := s.TieChange(a, c, x.f, sim.None, x.f, sim.Institutionalised)[sim.TermEntrapment]; back != 0 {
			t.Errorf("entrapment term of the threatened A's %v with B: %g, want 0 (B faces nothing A does not)", x.f, back)
		}
	}
	// a partner that shares the threat in full draws one into nothing new
	w2 := *w
	w2.Threats = append([]sim.Threat(nil), w.Threats...)
	w2.Threats[0].ActorExposure = map[int]float64{a: 1, c: 1}
	if got := newSim(t, &w2, p, 1).TieChange(c, a, sim.Alliance, sim.None, sim.Alliance, sim.Institutionalised)[sim.TermEntrapment]; got != 0 {
		t.Errorf("entrapment term of an alliance between two states under the same threat: %g, want 0", got)
	}
}

// secLockinTerms returns the lock-in term of abandoning and of lowering an
// institutionalised cooperation tie of ageYears years.
func secLockinTerms(t *testing.T, p sim.Params, ageYears int) (abandon, lower float64) {
	t.Helper()
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.05, 0.05, v, 0.5)
	c := b.State("B", "R", 0.05, 0.05, v, 0.5)
	b.W.Ties = []sim.TieSpec{{A: a, B: c, Form: sim.Cooperation, Level: sim.Institutionalised, Donor: -1, Age: ageYears}}
	b.W.StepsPerYear = 1
	s := newSim(t, b.W, p, 1)
	found := 0
	for _, ch := range s.Choices(a, 1) {
		switch {
		case ch.Kind == sim.ChooseAbandon && ch.Partner == c:
			abandon = ch.Terms[sim.TermLockin]
			found++
		case ch.Kind == sim.ChooseLower && ch.Partner == c:
			lower = ch.Terms[sim.TermLockin]
			found++
		}
	}
	if found != 2 {
		t.Fatalf("A does not weigh abandoning and lowering its tie with B")
	}
	return abandon, lower
}

// Joint programmes and common standards build up on a lasting tie and are
// lost when it ends or shrinks: abandoning a tie of 16 years forgoes
// lockin_weight x level x (1 − e^(−16/lock_time)), lowering it the part of
// one level.
func TestMechanismLockinWeight(t *testing.T) {
	p := params(t)
	secPin(t, &p, "lock_time")
	abandon, lower := secLockinTerms(t, p, 16)
	built := 1 - math.Exp(-16/p.LockTime)
	if want := -p.LockinWeight * sim.Institutionalised.Frac() * built; !secNear(abandon, want, 1e-12) || !(abandon < 0) {
		t.Errorf("lock-in term of abandoning an institutionalised tie of 16 years: %g, want -lockin_weight %g x 3/4 x %g = %g (< 0)",
			abandon, p.LockinWeight, built, want)
	}
	if want := -p.LockinWeight * (sim.Institutionalised.Frac() - sim.Initial.Frac()) * built; !secNear(lower, want, 1e-12) || !(lower < 0) {
		t.Errorf("lock-in term of lowering it one level: %g, want %g (< 0)", lower, want)
	}
	if a0, _ := secLockinTerms(t, p, 0); a0 != 0 {
		t.Errorf("a tie of no age has lock-in %g to lose, want 0", -a0)
	}
}

// Lock-in builds up to 1 − 1/e of its full value in lock_time years:
// the share built after 4 and after 20 years follows 1 − e^(−age /
// lock_time), and a tie of 20 years has built most of it (lock_time is a
// matter of years, 3 to 15 in the plausible range).
func TestMechanismLockTime(t *testing.T) {
	p := params(t)
	secPin(t, &p, "lockin_weight")
	full := -p.LockinWeight * sim.Institutionalised.Frac()
	for _, age := range []int{4, 20} {
		abandon, _ := secLockinTerms(t, p, age)
		share := abandon / full
		if want := 1 - math.Exp(-float64(age)/p.LockTime); !secNear(share, want, 1e-9) {
			t.Errorf("a tie of %d years has built %.3f of its full lock-in, want 1 - e^-(%d/%g) = %.3f", age, share, age, p.LockTime, want)
		}
		if age == 20 && !(share > 0.5) {
			t.Errorf("a tie of 20 years has built only %.3f of its full lock-in (lock_time %g years)", share, p.LockTime)
		}
	}
}

// ---- coalitions ---------------------------------------------------------------

// secCoalitionWorld is a capable leader L and four small states T1..T4 of
// region R under a threat of the given kind (a conventional one has a
// distant source S) whose intensity follows prof; quarterly steps.
func secCoalitionWorld(kind string, prof sim.Profile) *simtest.Builder {
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	b.State("L", "R", 0.3, 0.3, v, 0.3)
	for k := 1; k <= 4; k++ {
		b.State(fmt.Sprintf("T%d", k), "R", 0.02, 0.02, v, 0.3)
	}
	src := ""
	if kind == "conventional" {
		b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
		src = "S"
	}
	b.Threat("t", kind, src, map[string]float64{"R": 1}, nil, prof)
	b.W.StepsPerYear = 4
	return b
}

// secWithCoalition adds a standing coalition of L, T1, T2 against threat 0.
func secWithCoalition(b *simtest.Builder) *sim.World {
	b.W.Groups = append(b.W.Groups, sim.GroupSpec{Name: "c", Kind: sim.CoalitionGroup, Issue: sim.IssueTerrorism, Level: sim.Initial,
		Members: []int{b.I("L"), b.I("T1"), b.I("T2")}, Threat: 0, Leader: -1})
	return b.W
}

// secCoalitionFormed runs until step `until` and returns the step a
// coalition formed against threat 0 (-1: none) and its size.
func secCoalitionFormed(t *testing.T, w *sim.World, p sim.Params, until int) (step, size int) {
	s := newSim(t, w, p, 1)
	for s.T() < until {
		s.Step()
		for _, e := range s.Events() {
			if e.Kind == sim.CoalitionFormed {
				return s.T(), e.Size
			}
		}
	}
	return -1, 0
}

// The most capable exposed actor leads a coalition by its own forces: an
// organisation exposed with its members does not lead on their strength
// (its pool holds the leader's capability and more).
func TestMechanismCoalitionLeaderByOwnForces(t *testing.T) {
	p := params(t)
	b := secCoalitionWorld("terrorism", sim.ConstantProfile(0.9))
	b.Org("O", "R", 0.5, 0.1, []float64{0.5, 0.5, 0.5}, "L", "T1")
	s := newSim(t, b.W, p, 1)
	if o, l := s.EffectiveCapability(b.I("O")), s.EffectiveCapability(b.I("L")); !(o > l) {
		t.Fatalf("the organisation's pooled capability %g is not above its leading member's %g (test setup)", o, l)
	}
	for s.T() < 8 {
		s.Step()
		for g := range s.Groups() {
			if g.Kind == sim.CoalitionGroup {
				if g.Leader != b.I("L") {
					t.Fatalf("the coalition is led by %s, want L, the most capable by its own forces", b.W.Actors[g.Leader].ID)
				}
				return
			}
		}
	}
	t.Fatal("no coalition formed against a threat at 0.9 (test setup)")
}

// A coalition forms around a threat in the step its intensity reaches
// coalition_form, not below it: a major threat (0.9) gathers one, one just
// below the threshold does not.
func TestMechanismCoalitionForm(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	p.Temperature = 0
	secPin(t, &p, "protection", "coalition_commit")
	// the threshold is what is tested, not whether joining pays its
	// one-off cost in this small world (creation_cost's own tests)
	p.CreationCost = 0
	for _, c := range []struct {
		peak float64
		form bool
	}{{0.9, true}, {p.CoalitionForm, true}, {p.CoalitionForm - 0.01, false}} {
		w := secCoalitionWorld("terrorism", sim.Profile{Shape: sim.Step, Base: 0.05, Peak: c.peak, Start: 3}).W
		step, size := secCoalitionFormed(t, w, p, 12)
		switch {
		case c.form && (step != 3 || size < 2):
			t.Errorf("a threat rising to %g at step 3 (coalition_form %g): coalition formed at step %d with %d members, want at step 3 with 2 or more",
				c.peak, p.CoalitionForm, step, size)
		case !c.form && step >= 0:
			t.Errorf("a threat at %g, below coalition_form %g, gathered a coalition at step %d", c.peak, p.CoalitionForm, step)
		}
	}
}

// secCoalitionEnd runs a world with a standing coalition whose threat falls
// from 0.7 to `low` at step 4, and returns the step it dissolved (-1:
// not by step 40).
func secCoalitionEnd(t *testing.T, p sim.Params, low float64) int {
	t.Helper()
	w := secWithCoalition(secCoalitionWorld("terrorism", sim.Profile{Shape: sim.Series, Points: []sim.Point{{T: 3, V: 0.7}, {T: 4, V: low}}}))
	s := newSim(t, w, p, 1)
	if _, ok := s.Coalition(0); !ok {
		t.Fatal("the standing coalition is missing")
	}
	for s.T() < 40 {
		s.Step()
		if _, ok := s.Coalition(0); !ok {
			return s.T()
		}
	}
	return -1
}

// A coalition winds down when its threat stays below coalition_dissolve:
// a threat that recedes to 0.05 ends it, one that recedes to just above
// the threshold does not.
func TestMechanismCoalitionDissolve(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	secPin(t, &p, "coalition_patience")
	if end := secCoalitionEnd(t, p, 0.05); end < 0 {
		t.Errorf("a coalition whose threat fell from 0.7 to 0.05 at step 4 was still standing at step 40 (coalition_dissolve %g)", p.CoalitionDissolve)
	}
	if end := secCoalitionEnd(t, p, p.CoalitionDissolve+0.01); end >= 0 {
		t.Errorf("a coalition whose threat fell to %g, above coalition_dissolve %g, dissolved at step %d", p.CoalitionDissolve+0.01, p.CoalitionDissolve, end)
	}
}

// A coalition outlives its threat by coalition_patience years: its threat
// falling below coalition_dissolve at step 4, it dissolves patience x 4
// steps (quarters) later, not at once.
func TestMechanismCoalitionPatience(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	secPin(t, &p, "coalition_dissolve")
	want := 4 + int(math.Round(p.CoalitionPatience*4))
	if end := secCoalitionEnd(t, p, 0.05); end != want {
		t.Errorf("a coalition whose threat fell below coalition_dissolve at step 4 dissolved at step %d, want %d (patience %g years of 4 steps)", end, want, p.CoalitionPatience)
	}
}

// Because a coalition lasts only as long as its threat, a state adversary
// can wait it out: its credibility rests on the patience after the threat,
// patience/(patience + horizon), and it deters less than an alliance of
// the same capability (why exposed states prefer alliances under a major
// state threat, sources 001, 003).
func TestMechanismCoalitionPatienceCredibility(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	secPin(t, &p, "protection", "coalition_commit", "deterrence_horizon", "treaty_term")
	b := secCoalitionWorld("conventional", sim.ConstantProfile(0.3))
	alone := newSim(t, b.W, p, 1)
	s := newSim(t, secWithCoalition(b), p, 1)
	t1, t2, l := b.I("T1"), b.I("T2"), b.I("L")
	others := s.EffectiveCapability(l) + s.EffectiveCapability(t2)
	got := s.ProtectionAgainst(t1, 0) - alone.ProtectionAgainst(t1, 0)
	if want := p.Protection * p.CoalitionCommit * others * secCredibility(p, p.CoalitionPatience); !secNear(got, want, 1e-9) {
		t.Errorf("membership of a coalition against a state threat adds %g to T1's protection, want protection x coalition_commit x the others' capability %g x secCredibility(patience %g) = %g",
			got, others, p.CoalitionPatience, want)
	}
	all := secPartnerProtection(t, b.W, p, t1, l, 0, sim.Alliance, sim.Advanced, 0)
	if !(got < all) {
		t.Errorf("against a state threat a coalition of L and T2 protects T1 by %g, an advanced alliance with L alone by %g: want the coalition less", got, all)
	}
}

// A coalition pools its members' capability against its threat at
// coalition_commit of an alliance: against a transnational threat (no
// adversary to deter) a member gains protection x coalition_commit x the
// other members' capability.
func TestMechanismCoalitionCommit(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	secPin(t, &p, "protection")
	b := secCoalitionWorld("terrorism", sim.ConstantProfile(0.6))
	alone := newSim(t, b.W, p, 1)
	s := newSim(t, secWithCoalition(b), p, 1)
	for _, id := range []string{"T1", "L"} {
		i := b.I(id)
		others := -s.EffectiveCapability(i)
		for _, m := range []string{"L", "T1", "T2"} {
			others += s.EffectiveCapability(b.I(m))
		}
		got := s.ProtectionAgainst(i, 0) - alone.ProtectionAgainst(i, 0)
		if want := p.Protection * p.CoalitionCommit * others; !secNear(got, want, 1e-9) || !(got > 0) {
			t.Errorf("coalition membership adds %g to %s's protection against its threat, want protection %g x coalition_commit %g x the others' capability %g = %g (> 0)",
				got, id, p.Protection, p.CoalitionCommit, others, want)
		}
	}
	// and it is worth joining for T3, which is exposed and outside it
	var join *sim.Choice
	for _, c := range s.Choices(b.I("T3"), 1) {
		if c.Kind == sim.ChooseJoinCoalition {
			join = &c
			break
		}
	}
	if join == nil || !(join.Terms[sim.TermSecurity] > 0) {
		t.Errorf("the exposed T3 does not weigh joining the coalition for a security gain (%v)", join)
	}
}

// ---- accession ------------------------------------------------------------------

// A member with a grievance against an applicant holds its accession;
// every year the applicant's concessions resolve concession_rate of the
// grievance, until the member ratifies. Organisation O (members M and N,
// both under a threat) is applied to by X, a similar state M has a
// grievance of 1 against.
func TestMechanismConcessionRate(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	p.Temperature = 0
	secPin(t, &p, "rivalry_weight")
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	m := b.State("M", "R", 0.05, 0.05, v, 0.3)
	b.State("N", "R", 0.05, 0.05, v, 0.3)
	x := b.State("X", "R", 0.01, 0.01, v, 0.3)
	b.State("S", "Y", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
	o := b.Org("O", "R", 0.9, 0.1, v, "M", "N")
	b.Threat("t", "conventional", "S", nil, map[string]float64{"M": 1, "N": 1}, sim.ConstantProfile(0.3))
	b.W.Rivalries = []sim.Rivalry{{A: m, B: x, Enmity: 1}}
	b.W.StepsPerYear = 4
	s := newSim(t, b.W, p, 1)
	s.SetController(newSecScript(x).then(x, sim.Choice{Kind: sim.ChooseAccede, Partner: o, Group: -1}))
	held, joined := -1, -1
	prev := s.Enmity(m, x)
	for s.T() < 40 && joined < 0 {
		s.Step()
		for _, e := range s.Events() {
			switch {
			case e.Kind == sim.AccessionHeld && e.Actor == x && e.Size == m && held < 0:
				held = s.T()
			case e.Kind == sim.AccessionRejected && e.Actor == x:
				t.Fatalf("step %d: %s", s.T(), s.Describe(e))
			case e.Kind == sim.Acceded && e.Actor == x && e.Other == o:
				joined = s.T()
			}
		}
		if held < 0 {
			t.Fatalf("step %d: M did not hold X's application for its grievance", s.T())
		}
		if s.T() > held {
			want := prev * math.Pow(1-p.ConcessionRate, 0.25)
			if got := s.Enmity(m, x); !secNear(got, want, 1e-12) || !(got < prev) {
				t.Fatalf("step %d: M's grievance against the pending X went from %g to %g, want x (1 - concession_rate %g)^(1/4) = %g (less)",
					s.T(), prev, got, p.ConcessionRate, want)
			}
		}
		prev = s.Enmity(m, x)
	}
	if joined < 0 {
		t.Fatalf("X's accession held at step %d was still pending at step 40 (grievance %g)", held, s.Enmity(m, x))
	}
	if !(joined > held) {
		t.Errorf("X joined at step %d, not after its application was held at step %d", joined, held)
	}
	t.Logf("held at step %d, ratified at step %d with the grievance at %.3f", held, joined, s.Enmity(m, x))
}

// The political umbrella is the patron's will to use its capability for its
// partners: a patron weighs umbrella_weight x (1 − political retrenchment)
// of what a change of its tie does to its partner's security, as the
// partner values it. An alliance with the threatened A is worth that much
// to the patron B on top of its own terms; nothing to a state that is not a
// patron, nothing to a patron fully retrenched, and half at retrenchment 0.5.
// Its assistance to A is worth the same share of what the capability it
// builds is worth to A.
func TestMechanismUmbrellaWeight(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	p.Volatility = 0 // the retrenchment is the profile's
	for _, x := range []struct {
		pol    float64
		patron bool
	}{{0, true}, {0.5, true}, {1, true}, {0, false}} {
		w, a, c, _ := duo(0.6)
		w.Actors[c].Patron = x.patron
		w.Political = sim.ConstantProfile(x.pol)
		s := newSim(t, w, p, 1)
		got := s.TieChange(c, a, sim.Alliance, sim.None, sim.Alliance, sim.Institutionalised)[sim.TermUmbrella]
		gain := s.TieChange(a, c, sim.Alliance, sim.None, sim.Alliance, sim.Institutionalised)[sim.TermSecurity]
		want := 0.0
		if x.patron {
			want = p.UmbrellaWeight * (1 - x.pol) * gain
		}
		if !secNear(got, want, 1e-12) || (x.patron && x.pol < 1 && !(got > 0)) {
			t.Errorf("patron %v at political retrenchment %g: umbrella term of B's alliance with the threatened A %g, want umbrella_weight %g x (1 - %g) x A's security gain %g = %g (> 0 for an engaged patron)",
				x.patron, x.pol, got, p.UmbrellaWeight, x.pol, gain, want)
		}
		// the partner, not a patron, has no stake in B's protection
		if back := s.TieChange(a, c, sim.Alliance, sim.None, sim.Alliance, sim.Institutionalised)[sim.TermUmbrella]; back != 0 {
			t.Errorf("A, not a patron, weighs an umbrella term %g for its alliance with B, want 0", back)
		}
		// support: what B's assistance would build in A, as A values it
		sup := s.TieChangeDonor(c, a, sim.Assistance, sim.None, -1, sim.Assistance, sim.Initial, c)[sim.TermUmbrella]
		built := s.TieChangeDonor(a, c, sim.Assistance, sim.None, -1, sim.Assistance, sim.Initial, c)[sim.TermSecurity]
		wantSup := 0.0
		if x.patron {
			wantSup = p.UmbrellaWeight * (1 - x.pol) * built
		}
		if !secNear(sup, wantSup, 1e-12) || (x.patron && x.pol < 1 && !(sup > 0)) {
			t.Errorf("patron %v at political retrenchment %g: umbrella term of B's assistance to A %g, want umbrella_weight x (1 - retrenchment) x A's security gain from the capability it builds %g = %g (> 0 for an engaged patron)",
				x.patron, x.pol, sup, built, wantSup)
		}
	}
}

// Who may join a coalition: against a state threat an organisation only if
// the threat exposes a region it acts in (regional organisations act in
// their region), never an informal group (a forum commits no forces);
// against a transnational threat an organisation joins from afar. OR acts
// in the threatened region R, OQ in Q (its members exposed by name, so it
// feels the threat too), IG is an informal group of R's states.
func TestMechanismCoalitionOpenTo(t *testing.T) {
	p := params(t)
	joins := func(kind string) map[string]bool {
		b := secCoalitionWorld(kind, sim.ConstantProfile(0.6))
		v := []float64{0.5, 0.5, 0.5}
		b.State("Q1", "Q", 0.02, 0.02, v, 0.3)
		b.State("Q2", "Q", 0.02, 0.02, v, 0.3)
		b.W.Threats[0].ActorExposure[b.I("Q1")] = 1
		b.W.Threats[0].ActorExposure[b.I("Q2")] = 1
		b.Org("OR", "R", 0.3, 0.05, v, "T3", "T4")
		b.Org("OQ", "Q", 0.3, 0.05, v, "Q1", "Q2")
		ig := b.Org("IG", "R", 0, 0.05, v, "T3", "T4")
		b.W.Actors[ig].Kind = sim.Informal
		s := newSim(t, secWithCoalition(b), p, 1)
		out := map[string]bool{}
		for _, id := range []string{"OR", "OQ", "IG", "T3"} {
			i := b.I(id)
			if !(s.PerceivedThreatOf(i, 0) > 0) {
				t.Fatalf("%s: %s does not feel the threat; the world does not test the rule", kind, id)
			}
			for seed := uint64(0); seed < 10; seed++ {
				for _, c := range s.Choices(i, seed) {
					if c.Kind == sim.ChooseJoinCoalition {
						out[id] = true
					}
				}
			}
		}
		return out
	}
	conv, trans := joins("conventional"), joins("terrorism")
	t.Logf("may join the coalition: against a state threat %v, against terrorism %v", conv, trans)
	if !conv["T3"] || !conv["OR"] || conv["OQ"] || conv["IG"] {
		t.Errorf("against a state threat: want the state T3 and OR (of the threatened region) only, got %v", conv)
	}
	if !trans["T3"] || !trans["OR"] || !trans["OQ"] || trans["IG"] {
		t.Errorf("against terrorism: want T3, OR and OQ, not the informal IG, got %v", trans)
	}
}
