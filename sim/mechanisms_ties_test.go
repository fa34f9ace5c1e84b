package sim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// Mechanism tests of the utility weights of ties and groups, trust,
// assistance and minilateral groups (see mechanisms_test.go). Each starts
// from params(t), so that the knock-out table (ENTENTE_TEST_NEUTRAL=name)
// sees it fail when its own parameter is neutral. Where a mechanism only
// shows through another one (a group's upkeep is a multiple of upkeep_cost,
// assisted capability needs a budget), the test pins that other parameter to
// its default, so that it fails for its own parameter only.

const tiesEps = 1e-12

// tiesDefault returns the default value of the parameter name.
func tiesDefault(t testing.TB, name string) float64 {
	t.Helper()
	spec, ok := sim.LookupParam(name)
	if !ok {
		t.Fatalf("no parameter %s", name)
	}
	d := sim.DefaultParams()
	return spec.Get(&d)
}

// tiesFrozen turns off every opportunity, so that the structure stays as
// the world gives it and only the clock-driven mechanisms (trust, flows,
// decay) move.
func tiesFrozen(p sim.Params) sim.Params {
	p.OpportunityRate, p.PartnershipRate, p.Alarm = 0, 0, 0
	return p
}

func tiesClose(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// tiesUnits is the upkeep of a tie at level l in units of upkeep_cost
// (1 + 2 + ... + l).
func tiesUnits(l sim.Level) float64 { return float64(l) * float64(l+1) / 2 }

// tiesHub is j's hub position: half its normalised economy, half its
// degree's share d/(d+10).
func tiesHub(s *sim.Sim, j int) float64 {
	w := s.World()
	scale := 0.0
	for _, a := range w.Actors {
		scale = math.Max(scale, a.Economy)
	}
	d := float64(s.Degree(j))
	return 0.5*w.Actors[j].Economy/scale + 0.5*d/(d+10)
}

// tiesInfluence is i's standing over a weaker j: the share of their joint
// resources (normalised economy plus effective capability) by which i
// exceeds j.
func tiesInfluence(s *sim.Sim, i, j int) float64 {
	w := s.World()
	scale := 0.0
	for _, a := range w.Actors {
		scale = math.Max(scale, a.Economy)
	}
	ri := w.Actors[i].Economy/scale + s.EffectiveCapability(i)
	rj := w.Actors[j].Economy/scale + s.EffectiveCapability(j)
	if ri <= rj {
		return 0
	}
	return (ri - rj) / (ri + rj)
}

// tiesOption returns actor i's first option of the given kind (on group
// gid when gid >= 0) over a few candidate draws, and whether one came up.
func tiesOption(s *sim.Sim, i int, kind sim.ChoiceKind, gid int) (sim.Choice, bool) {
	for seed := uint64(0); seed < 50; seed++ {
		for _, c := range s.Choices(i, seed) {
			if c.Kind == kind && (gid < 0 || c.Group == gid) {
				return c, true
			}
		}
	}
	return sim.Choice{}, false
}

// tiesGroupWorld is a minilateral group of size states G0.. (index 0 on)
// at level l on an issue, about a conventional threat from the source S
// (a security issue), with outsiders O0.. of the same region, all alike.
// It returns the world and the group's members.
func tiesGroupWorld(size, outsiders int, issue sim.Issue, l sim.Level) (*sim.World, []int) {
	b := simtest.NewBuilder()
	like := []float64{0.5, 0.5, 0.5}
	var mem []int
	for k := 0; k < size; k++ {
		mem = append(mem, b.State(fmt.Sprintf("G%d", k), "R", 0.1, 0.1, like, 0.5))
	}
	for k := 0; k < outsiders; k++ {
		b.State(fmt.Sprintf("O%d", k), "R", 0.1, 0.1, like, 0.5)
	}
	b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
	k := b.Threat("t", "conventional", "S", map[string]float64{"R": 1}, nil, sim.ConstantProfile(0.3))
	g := sim.GroupSpec{Name: "g", Kind: sim.Minilateral, Issue: issue, Level: l, Members: mem, Threat: -1, Leader: -1}
	if issue.Class() != sim.Economic {
		g.About = []int{k}
	}
	b.W.Groups = append(b.W.Groups, g)
	b.W.StepsPerYear = 4
	return b.W, mem
}

// tiesGroupID is the ID of the only group of a run.
func tiesGroupID(t testing.TB, s *sim.Sim) (int, *sim.Group) {
	t.Helper()
	for g := range s.Groups() {
		return g.ID, g
	}
	t.Fatal("no group")
	return -1, nil
}

// ---- utility weights ----------------------------------------------------

// A tie is worth economic_weight per level times the partner's hub
// position (half its economy, half its degree): an actor prefers a tie with
// a richer or better connected partner, otherwise alike.
func TestMechanismEconomicWeight(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	like := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.05, 0.05, like, 0.5)
	rich := b.State("RICH", "R", 0.1, 1, like, 0.5)
	poor := b.State("POOR", "R", 0.1, 0.2, like, 0.5)
	hub := b.State("HUB", "R", 0.1, 0.2, like, 0.5)
	for k := 0; k < 10; k++ {
		id := fmt.Sprintf("F%d", k)
		b.State(id, "Y", 0.01, 0.01, like, 0.5)
		b.Tie("HUB", id, sim.Cooperation, sim.Nominal, "")
	}
	s := newSim(t, b.W, p, 1)
	econ := map[int]float64{}
	delta := map[int]float64{}
	for _, j := range []int{rich, poor, hub} {
		for _, l := range []sim.Level{sim.Nominal, sim.Advanced} {
			c := s.WhatIf(a, j, sim.Cooperation, l)
			want := l.Frac() * p.EconomicWeight * tiesHub(s, j)
			if got := c.Terms[sim.TermEconomy]; !tiesClose(got, want) {
				t.Fatalf("economy term of a %v tie with %s: %g, want level %g x economic_weight %g x hub %g = %g",
					l, b.W.Actors[j].ID, got, l.Frac(), p.EconomicWeight, tiesHub(s, j), want)
			}
			if l == sim.Nominal {
				econ[j], delta[j] = c.Terms[sim.TermEconomy], c.Delta
			}
		}
	}
	for _, j := range []int{rich, hub} {
		if econ[j] <= econ[poor]+tiesEps {
			t.Fatalf("a tie with %s (hub %.3f) is worth %g in economy, one with POOR (hub %.3f) %g: a hub should be worth more (economic_weight %g)",
				b.W.Actors[j].ID, tiesHub(s, j), econ[j], tiesHub(s, poor), econ[poor], p.EconomicWeight)
		}
	}
	// RICH and POOR differ only in economy: the whole difference in what a
	// tie with them is worth to A is the economy term
	if got, want := delta[rich]-delta[poor], econ[rich]-econ[poor]; !tiesClose(got, want) || got <= 0 {
		t.Fatalf("A values a tie with RICH %g above one with POOR, want the economy difference %g > 0", got, want)
	}
}

// A tie is worth similarity_weight per level times 2·similarity − 1: a
// like-minded partner is worth more, a dissimilar one costs.
func TestMechanismSimilarityWeight(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	a := b.State("A", "R", 0.1, 0.1, []float64{0.5, 0.5, 0.5}, 0.5)
	like := b.State("LIKE", "R", 0.1, 0.1, []float64{0.5, 0.5, 0.5}, 0.5)
	unlike := b.State("UNLIKE", "R", 0.1, 0.1, []float64{-0.9, -0.9, -0.9}, 0.5)
	s := newSim(t, b.W, p, 1)
	term := map[int]float64{}
	delta := map[int]float64{}
	for _, j := range []int{like, unlike} {
		for _, l := range []sim.Level{sim.Nominal, sim.Advanced} {
			c := s.WhatIf(a, j, sim.Cooperation, l)
			want := l.Frac() * p.SimilarityWeight * (2*s.Similarity(a, j) - 1)
			if got := c.Terms[sim.TermSimilarity]; !tiesClose(got, want) {
				t.Fatalf("similarity term of a %v tie with %s (similarity %.3f): %g, want %g", l, b.W.Actors[j].ID, s.Similarity(a, j), got, want)
			}
			if l == sim.Advanced {
				term[j], delta[j] = c.Terms[sim.TermSimilarity], c.Delta
			}
		}
	}
	if term[like] <= tiesEps || term[unlike] >= -tiesEps {
		t.Fatalf("similarity term of an advanced tie: %g with a like-minded partner (want > 0), %g with a dissimilar one (want < 0); similarity_weight %g",
			term[like], term[unlike], p.SimilarityWeight)
	}
	if got, want := delta[like]-delta[unlike], term[like]-term[unlike]; !tiesClose(got, want) {
		t.Fatalf("A values a tie with LIKE %g above one with UNLIKE, want the similarity difference %g", got, want)
	}
}

// A tie is worth trust_weight per level times its trust: abandoning a
// trusted tie forgoes more than abandoning a new one.
func TestMechanismTrustWeight(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.1, 0.1, v, 0.5)
	old := b.State("OLD", "R", 0.1, 0.1, v, 0.5)
	young := b.State("YOUNG", "R", 0.1, 0.1, v, 0.5)
	b.W.Ties = append(b.W.Ties,
		sim.TieSpec{A: a, B: old, Form: sim.Cooperation, Level: sim.Advanced, Donor: -1, Trust: 0.9},
		sim.TieSpec{A: a, B: young, Form: sim.Cooperation, Level: sim.Institutionalised, Donor: -1, Trust: 0.2})
	s := newSim(t, b.W, p, 1)
	lost := map[int]float64{}
	for _, j := range []int{old, young} {
		tie, _ := s.TieBetween(a, j)
		c := s.WhatIf(a, j, sim.Cooperation, sim.None)
		want := -tie.Level.Frac() * p.TrustWeight * tie.Trust
		if got := c.Terms[sim.TermTrust]; !tiesClose(got, want) {
			t.Fatalf("trust term of abandoning the %v tie with %s (trust %.2f): %g, want %g", tie.Level, b.W.Actors[j].ID, tie.Trust, got, want)
		}
		lost[j] = c.Terms[sim.TermTrust]
	}
	if !(lost[old] < lost[young]-tiesEps && lost[young] < -tiesEps) {
		t.Fatalf("abandoning a trusted advanced tie forgoes %g in trust, a young institutionalised one %g: want both < 0, the trusted one more (trust_weight %g)",
			lost[old], lost[young], p.TrustWeight)
	}
}

// A tie is worth influence_weight per level times (1 + bindingness) times
// i's standing over a weaker partner: nothing toward a stronger partner,
// more in an alliance than in cooperation. A donor also values its
// standing with its recipient, which grows with the support it gives.
func TestMechanismInfluenceWeight(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	big := b.State("BIG", "R", 1, 1, v, 0.5)
	small := b.State("SMALL", "R", 0.1, 0.1, v, 0.5)
	s := newSim(t, b.W, p, 1)
	infl := tiesInfluence(s, big, small)
	if infl <= 0 {
		t.Fatalf("BIG's standing over SMALL is %g", infl)
	}
	terms := map[sim.Form]float64{}
	for _, c := range []struct {
		f    sim.Form
		bind float64
	}{{sim.Cooperation, 0.1}, {sim.Alliance, 1}} {
		got := s.WhatIf(big, small, c.f, sim.Initial).Terms[sim.TermInfluence]
		want := sim.Initial.Frac() * p.InfluenceWeight * (1 + c.bind) * infl
		if !tiesClose(got, want) {
			t.Fatalf("BIG's influence term of an initial %v with SMALL: %g, want %g", c.f, got, want)
		}
		terms[c.f] = got
		if up := s.WhatIf(small, big, c.f, sim.Initial).Terms[sim.TermInfluence]; up != 0 {
			t.Fatalf("SMALL's influence term of a %v with the stronger BIG: %g, want 0", c.f, up)
		}
	}
	if !(terms[sim.Alliance] > terms[sim.Cooperation]+tiesEps && terms[sim.Cooperation] > tiesEps) {
		t.Fatalf("BIG's influence over SMALL is worth %g in an alliance, %g in cooperation: want both > 0, the alliance more (influence_weight %g)",
			terms[sim.Alliance], terms[sim.Cooperation], p.InfluenceWeight)
	}

	// a donor's standing: ending its assistance costs the donor the
	// standing the support bought, on top of the tie's own influence
	q := p
	q.AidRate = tiesDefault(t, "aid_rate")
	w := simtest.Sponsor(0)
	s = newSim(t, w, q, 1)
	don, rec := w.ActorIndex("DON"), w.ActorIndex("REC")
	tie, ok := s.TieBetween(don, rec)
	if !ok || tie.Support <= 0 {
		t.Fatalf("the sponsor gives no support")
	}
	infl = tiesInfluence(s, don, rec)
	sup := tie.Support * w.StepsPerYearOr1() // per year
	own := s.EffectiveCapability(rec) - s.Assisted(rec)
	linear := tie.Level.Frac() * q.InfluenceWeight * infl // bindingness 0 for the donor
	standing := q.InfluenceWeight * tie.Level.Frac() * infl * sup / (sup + own + 1e-9)
	got := s.WhatIf(don, rec, sim.Assistance, sim.None).Terms[sim.TermInfluence]
	if want := -(linear + standing); !tiesClose(got, want) || standing <= tiesEps {
		t.Fatalf("DON's influence term of ending its assistance to REC: %g, want -(tie %g + standing %g) with standing > 0", got, linear, standing)
	}
}

// Bindingness costs autonomy_weight per level times the actor's autonomy
// preference: an alliance (bindingness 1) costs ten times what cooperation
// (0.1) does, and costs an autonomy-minded actor more; a patron's autonomy
// grows with its political retrenchment.
func TestMechanismAutonomyWeight(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	free := b.State("FREE", "R", 0.1, 0.1, v, 0.9)
	bound := b.State("BOUND", "R", 0.1, 0.1, v, 0.1)
	partner := b.State("P", "R", 0.1, 0.1, v, 0.5)
	pat := b.State("PAT", "R", 0.1, 0.1, v, 0.2)
	b.W.Actors[pat].Patron = true
	b.W.Political = sim.ConstantProfile(0.5)
	s := newSim(t, b.W, p, 1)
	pol, _ := s.Retrenchment()
	aut := map[int]float64{free: 0.9, bound: 0.1, pat: 0.2 + 0.8*pol}
	alliance := map[int]float64{}
	for _, i := range []int{free, bound, pat} {
		for _, c := range []struct {
			f    sim.Form
			bind float64
		}{{sim.Alliance, 1}, {sim.Cooperation, 0.1}} {
			got := s.WhatIf(i, partner, c.f, sim.Institutionalised).Terms[sim.TermAutonomy]
			want := -sim.Institutionalised.Frac() * p.AutonomyWeight * aut[i] * c.bind
			if !tiesClose(got, want) {
				t.Fatalf("autonomy term of an institutionalised %v for %s (autonomy %.2f): %g, want %g", c.f, b.W.Actors[i].ID, aut[i], got, want)
			}
			if c.f == sim.Alliance {
				alliance[i] = got
			}
		}
	}
	if !(alliance[free] < alliance[bound]-tiesEps && alliance[bound] < -tiesEps) {
		t.Fatalf("an alliance costs FREE (autonomy 0.9) %g and BOUND (0.1) %g in autonomy: want both < 0, FREE's more (autonomy_weight %g)",
			alliance[free], alliance[bound], p.AutonomyWeight)
	}
	if pol <= 0 || alliance[pat] >= -p.AutonomyWeight*0.2*sim.Institutionalised.Frac()-tiesEps {
		t.Fatalf("under political retrenchment %g an alliance costs the patron (autonomy 0.2) %g, want more than at no retrenchment", pol, alliance[pat])
	}
}

// ---- costs --------------------------------------------------------------

// Keeping any tie or group costs tie_cost whatever its level, on top of
// upkeep_cost per level: abandoning a nominal tie saves more than its one
// level's upkeep, and leaving a group more than its level and
// coordination upkeep.
func TestMechanismTieCost(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.1, 0.1, v, 0.5)
	c := b.State("B", "R", 0.1, 0.1, v, 0.5)
	s := newSim(t, b.W, p, 1)
	saved := s.TieChange(a, c, sim.Cooperation, sim.Nominal, sim.Cooperation, sim.None)[sim.TermUpkeep]
	level := p.UpkeepCost * tiesUnits(sim.Nominal)
	if fixed := saved - level; !tiesClose(fixed, p.TieCost) || fixed <= tiesEps {
		t.Fatalf("abandoning a nominal tie saves %g in upkeep, its level %g: the rest %g should be tie_cost %g > 0", saved, level, fixed, p.TieCost)
	}
	for l := sim.Nominal; l < sim.Advanced; l++ {
		if got, want := s.TieChange(a, c, sim.Cooperation, l, sim.Cooperation, l+1)[sim.TermUpkeep], -p.UpkeepCost*float64(l+1); !tiesClose(got, want) {
			t.Fatalf("deepening a tie from %v costs %g in upkeep, want %g (tie_cost is not per level)", l, got, want)
		}
	}

	w, mem := tiesGroupWorld(3, 0, sim.IssueDeterrence, sim.Initial)
	s = newSim(t, w, p, 1)
	gid, _ := tiesGroupID(t, s)
	leave, ok := tiesOption(s, mem[0], sim.ChooseLeaveGroup, gid)
	if !ok {
		t.Fatal("no option to leave the group")
	}
	rest := p.UpkeepCost*p.GroupUpkeep*tiesUnits(sim.Initial) + p.CoordinationCost*float64(len(mem)-2)*sim.Initial.Frac()
	if fixed := leave.Terms[sim.TermUpkeep] - rest; !tiesClose(fixed, p.TieCost) || fixed <= tiesEps {
		t.Fatalf("leaving a group saves %g in upkeep, its level and coordination %g: the rest %g should be tie_cost %g > 0",
			leave.Terms[sim.TermUpkeep], rest, fixed, p.TieCost)
	}
}

// Creating a tie costs each party creation_cost times the formality of
// what it makes, once (Lipson 1991: informal agreements are quicker and
// cheaper to make): the upkeep term of a new tie is lower than that of
// keeping it by creation_cost for an alliance (a treaty; also when
// cooperation is turned into one) and by a tenth of it for a non-binding
// cooperation tie; joining a minilateral group costs a tenth of it and
// acceding to an organisation (a treaty) all of it; nothing is returned on
// leaving.
func TestMechanismCreationCost(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.1, 0.1, v, 0.5)
	c := b.State("B", "R", 0.1, 0.1, v, 0.5)
	d := b.State("C", "R", 0.1, 0.1, v, 0.5)
	b.Tie("A", "C", sim.Cooperation, sim.Initial, "")
	s := newSim(t, b.W, p, 1)
	share := map[sim.Form]float64{sim.Cooperation: 0.1, sim.Assistance: 0.1, sim.Alliance: 1}
	for _, f := range []sim.Form{sim.Cooperation, sim.Assistance, sim.Alliance} {
		for _, l := range []sim.Level{sim.Nominal, sim.Advanced} {
			made := s.TieChange(a, c, f, sim.None, f, l)[sim.TermUpkeep]
			kept := -s.TieChange(a, c, f, l, f, sim.None)[sim.TermUpkeep]
			want := -share[f] * p.CreationCost
			if diff := made - kept; !tiesClose(diff, want) || diff >= -tiesEps {
				t.Fatalf("a new %v %v tie's upkeep term is %g, keeping it %g: the difference %g should be -%g creation_cost = %g < 0", l, f, made, kept, diff, share[f], want)
			}
		}
	}
	up := s.WhatIf(a, d, sim.Alliance, sim.Initial).Terms[sim.TermUpkeep]
	down := s.TieChange(a, d, sim.Alliance, sim.Initial, sim.Cooperation, sim.Initial)[sim.TermUpkeep]
	if !tiesClose(up, -p.CreationCost) || up >= -tiesEps || down != 0 {
		t.Fatalf("turning a cooperation tie into an alliance costs %g in upkeep (want -creation_cost %g < 0), back %g (want 0)", up, -p.CreationCost, down)
	}

	// joining a minilateral group: the newcomer pays its upkeep and a tenth
	// of creation_cost (a forum on narrow, optional terms)
	w, mem := tiesGroupWorld(3, 3, sim.IssueDeterrence, sim.Initial)
	s = newSim(t, w, p, 1)
	gid, _ := tiesGroupID(t, s)
	out := w.ActorIndex("O0")
	join, ok := tiesOption(s, out, sim.ChooseJoinGroup, gid)
	if !ok {
		t.Fatal("no option to join the group")
	}
	keep := p.TieCost + p.UpkeepCost*p.GroupUpkeep*tiesUnits(sim.Initial) + p.CoordinationCost*float64(len(mem)-1)*sim.Initial.Frac()
	if diff := join.Terms[sim.TermUpkeep] + keep; !tiesClose(diff, -0.1*p.CreationCost) || diff >= -tiesEps {
		t.Fatalf("joining a group costs %g in upkeep, keeping a seat in it %g: the difference %g should be -0.1 creation_cost %g < 0", join.Terms[sim.TermUpkeep], keep, diff, -0.1*p.CreationCost)
	}

	// acceding to an organisation (a treaty): membership's upkeep and creation_cost
	b = simtest.NewBuilder()
	b.State("M1", "R", 0.1, 0.1, v, 0.5)
	b.State("M2", "R", 0.1, 0.1, v, 0.5)
	app := b.State("APP", "R", 0.1, 0.1, v, 0.5)
	b.Org("ORG", "R", 0.5, 0.2, v, "M1", "M2")
	s = newSim(t, b.W, p, 1)
	acc, ok := tiesOption(s, app, sim.ChooseAccede, -1)
	if !ok {
		t.Fatal("no option to accede to the organisation")
	}
	member := p.UpkeepCost * tiesUnits(sim.Institutionalised)
	if diff := acc.Terms[sim.TermUpkeep] + member; !tiesClose(diff, -p.CreationCost) || diff >= -tiesEps {
		t.Fatalf("acceding costs %g in upkeep, membership's upkeep %g: the difference %g should be -creation_cost %g < 0", acc.Terms[sim.TermUpkeep], member, diff, -p.CreationCost)
	}
}

// Joining a coalition costs 0.3 of creation_cost (an agreed plan with
// forces pledged for its term): T3's option to join the coalition against
// its threat has an upkeep term lower by 0.3 creation_cost than with no
// creation cost.
func TestMechanismCreationCostCoalition(t *testing.T) {
	p := params(t)
	secQuiet(&p)
	b := secCoalitionWorld("terrorism", sim.ConstantProfile(0.6))
	upkeep := func(q sim.Params) float64 {
		s := newSim(t, secWithCoalition(b), q, 1)
		for _, c := range s.Choices(b.I("T3"), 1) {
			if c.Kind == sim.ChooseJoinCoalition {
				return c.Terms[sim.TermUpkeep]
			}
		}
		t.Fatal("T3 has no option to join the coalition")
		return 0
	}
	free := p
	free.CreationCost = 0
	if diff := upkeep(p) - upkeep(free); !tiesClose(diff, -0.3*p.CreationCost) || diff >= -tiesEps {
		t.Fatalf("joining the coalition: upkeep lower by %g with creation_cost %g than without, want 0.3 of it (%g)", -diff, p.CreationCost, 0.3*p.CreationCost)
	}
}

// Creation cost deters new ties (a tie once made is kept unless it costs
// more than it brings), binding ones most: over the same run fewer ties are
// formed than without it, and far fewer alliances (formed as alliances or
// made so from cooperation).
func TestMechanismCreationCostDetersNewTies(t *testing.T) {
	p := params(t)
	// ties are formed by choice: pin the choice process to its defaults
	p.Temperature = tiesDefault(t, "temperature")
	p.PartnershipRate = tiesDefault(t, "partnership_rate")
	formed, allied := map[bool]int{}, map[bool]int{}
	// the arm without the cost first, until it has made 100 ties and 20
	// alliances (how soon depends on the calibrated rates), then the arm
	// with it over as many steps
	steps := 0
	for _, off := range []bool{true, false} {
		q := p
		if off {
			q.CreationCost = 0
		}
		s := newSim(t, simtest.Synthetic(60, 1), q, 1)
		for (off && s.T() < 1000 && (formed[off] < 100 || allied[off] < 20)) || (!off && s.T() < steps) {
			s.Step()
			for _, e := range s.Events() {
				if e.Kind == sim.TieFormed {
					formed[off]++
				}
				if e.Form == sim.Alliance && (e.Kind == sim.TieFormed || e.Kind == sim.TieReformed) {
					allied[off]++
				}
			}
		}
		if off {
			steps = s.T()
		}
	}
	t.Logf("over %d steps: ties formed %d with creation cost, %d without; alliances made %d and %d", steps, formed[false], formed[true], allied[false], allied[true])
	if formed[true] < 100 || float64(formed[false]) > 0.9*float64(formed[true]) {
		t.Fatalf("%d ties formed in %d steps at creation_cost %g, %d without it: want at most 0.9 times as many (and 100 or more without)",
			formed[false], steps, p.CreationCost, formed[true])
	}
	if allied[true] < 20 || float64(allied[false]) > 0.7*float64(allied[true]) {
		t.Fatalf("%d alliances made in %d steps at creation_cost %g, %d without it: want at most 0.7 times as many (and 20 or more without)",
			allied[false], steps, p.CreationCost, allied[true])
	}
}

// Each level of a tie costs more than the one below it: deepening from l
// to l+1 costs upkeep_cost x (l+1), and lowering saves as much.
func TestMechanismUpkeepCost(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.1, 0.1, v, 0.5)
	c := b.State("B", "R", 0.1, 0.1, v, 0.5)
	s := newSim(t, b.W, p, 1)
	prev := 0.0
	for l := sim.Nominal; l < sim.Advanced; l++ {
		deepen := s.TieChange(a, c, sim.Alliance, l, sim.Alliance, l+1)[sim.TermUpkeep]
		lower := s.TieChange(a, c, sim.Alliance, l+1, sim.Alliance, l)[sim.TermUpkeep]
		if want := -p.UpkeepCost * float64(l+1); !tiesClose(deepen, want) || !tiesClose(lower, -want) {
			t.Fatalf("deepening from %v costs %g in upkeep, lowering back %g: want %g and %g", l, deepen, lower, want, -want)
		}
		if deepen >= prev-tiesEps {
			t.Fatalf("deepening from %v costs %g in upkeep, the level below %g: each level should cost more (upkeep_cost %g)", l, -deepen, -prev, p.UpkeepCost)
		}
		prev = deepen
	}
}

// Abandoning a tie costs the abandoner abandon_penalty x trust x level in
// reputation, lowering it the same for the levels dropped, re-forming an
// alliance to cooperation for the commitment dropped, leaving a group half
// its level (what others see: givenUp), and a
// partner that turns down a request to deepen weighs the same cost for the
// commitment refused.
func TestMechanismAbandonPenalty(t *testing.T) {
	p := params(t)
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	a := b.State("A", "R", 0.1, 0.1, v, 0.5)
	c := b.State("B", "R", 0.1, 0.1, v, 0.5)
	b.W.Ties = append(b.W.Ties, sim.TieSpec{A: a, B: c, Form: sim.Cooperation, Level: sim.Institutionalised, Donor: -1, Trust: 0.8})
	s := newSim(t, b.W, p, 1)
	abandon := s.WhatIf(a, c, sim.Cooperation, sim.None).Terms[sim.TermReputation]
	if want := -p.AbandonPenalty * 0.8 * sim.Institutionalised.Frac(); !tiesClose(abandon, want) || abandon >= -tiesEps {
		t.Fatalf("abandoning an institutionalised tie of trust 0.8 costs %g in reputation, want %g < 0", abandon, want)
	}
	// lowering is seen as abandoning the levels given up, and weighed so
	lower := s.WhatIf(a, c, sim.Cooperation, sim.Nominal).Terms[sim.TermReputation]
	if want := -p.AbandonPenalty * 0.8 * (sim.Institutionalised.Frac() - sim.Nominal.Frac()); !tiesClose(lower, want) || lower >= -tiesEps {
		t.Fatalf("lowering an institutionalised tie of trust 0.8 to nominal costs %g in reputation, want %g < 0", lower, want)
	}
	if deepen := s.WhatIf(a, c, sim.Cooperation, sim.Advanced).Terms[sim.TermReputation]; deepen != 0 {
		t.Fatalf("deepening a tie costs %g in reputation, want 0", deepen)
	}
	// re-forming an alliance to cooperation gives up the commitment at its
	// level: frac·(1 − cooperation_commit)
	b2 := simtest.NewBuilder()
	a2 := b2.State("A", "R", 0.1, 0.1, v, 0.5)
	c2 := b2.State("B", "R", 0.1, 0.1, v, 0.5)
	b2.W.Ties = append(b2.W.Ties, sim.TieSpec{A: a2, B: c2, Form: sim.Alliance, Level: sim.Advanced, Donor: -1, Trust: 0.6})
	s2 := newSim(t, b2.W, p, 1)
	reform := s2.WhatIf(a2, c2, sim.Cooperation, sim.Advanced).Terms[sim.TermReputation]
	if want := -p.AbandonPenalty * 0.6 * (1 - p.CooperationCommit); !tiesClose(reform, want) || reform >= -tiesEps {
		t.Fatalf("re-forming an advanced alliance of trust 0.6 to cooperation costs %g in reputation, want %g < 0", reform, want)
	}

	w, mem := tiesGroupWorld(3, 0, sim.IssueDeterrence, sim.Initial)
	w.Groups[0].Age = 8
	s = newSim(t, w, p, 1)
	gid, g := tiesGroupID(t, s)
	leave, ok := tiesOption(s, mem[0], sim.ChooseLeaveGroup, gid)
	if !ok {
		t.Fatal("no option to leave the group")
	}
	if got, want := leave.Terms[sim.TermReputation], -p.AbandonPenalty*g.Trust*0.5*g.Level.Frac(); !tiesClose(got, want) || got >= -tiesEps {
		t.Fatalf("leaving a group of trust %.3f at %v costs %g in reputation, want %g < 0", g.Trust, g.Level, got, want)
	}

	// a refused request to deepen is weighed: every consent to deepening a
	// state's tie counts, as reputation, what refusing it would cost
	w = simtest.Synthetic(60, 3)
	for k := range w.Ties {
		w.Ties[k].Trust = 0.5
	}
	s = newSim(t, w, p, 4)
	n := 0
	var fail string
	s.SetRecorder(func(d *sim.Decision) {
		o := d.Options[d.Chosen]
		if o.Kind != sim.ChooseDeepen || len(d.Consent) != 1 || fail != "" || s.World().Actors[o.Partner].Kind != sim.State {
			return
		}
		tie, _ := s.TieBetween(d.Actor, o.Partner)
		if tie.Age == 0 {
			return // formed this step, at initial_trust
		}
		want := p.AbandonPenalty * tie.Trust * 0.25
		if got := d.Consent[0].Terms[sim.TermReputation]; !tiesClose(got, want) || got <= tiesEps {
			fail = fmt.Sprintf("step %d: %d asked to deepen its tie of trust %.3f with %d, whose consent weighs %g in reputation, want %g > 0",
				d.Step, d.Actor, tie.Trust, o.Partner, got, want)
		}
		n++
	})
	s.Run(30)
	if fail != "" {
		t.Fatal(fail)
	}
	if n < 5 {
		t.Fatalf("only %d requests to deepen a tie in 30 steps", n)
	}
}

// ---- trust --------------------------------------------------------------

// Trust closes trust_growth of the gap to 1 per year a tie or group lasts:
// a tie that starts at initial_trust is more trusted two years on, and a
// tie the world gives an age starts with the trust it has built.
func TestMechanismTrustGrowth(t *testing.T) {
	p := tiesFrozen(params(t))
	w, mem := tiesGroupWorld(3, 2, sim.IssueTechnology, sim.Initial)
	o0, o1 := w.ActorIndex("O0"), w.ActorIndex("O1")
	w.Ties = append(w.Ties,
		sim.TieSpec{A: o0, B: o1, Form: sim.Cooperation, Level: sim.Initial, Donor: -1},
		sim.TieSpec{A: mem[0], B: o0, Form: sim.Cooperation, Level: sim.Initial, Donor: -1, Age: 8})
	s := newSim(t, w, p, 1)
	grown := func(years float64) float64 { return 1 - (1-p.InitialTrust)*math.Pow(1-p.TrustGrowth, years) }
	aged, _ := s.TieBetween(mem[0], o0)
	if want := grown(2); !tiesClose(aged.Trust, want) || aged.Trust <= p.InitialTrust+1e-6 {
		t.Fatalf("a tie two years old at the start has trust %g, want %g, above initial_trust %g (trust_growth %g)", aged.Trust, want, p.InitialTrust, p.TrustGrowth)
	}
	s.Run(8)
	tie, _ := s.TieBetween(o0, o1)
	_, g := tiesGroupID(t, s)
	for _, c := range []struct {
		what       string
		trust      float64
		age, steps int
	}{{"tie", tie.Trust, tie.Age, 8}, {"group", g.Trust, g.Age, 8}} {
		if want := grown(2); c.age != c.steps || !tiesClose(c.trust, want) || c.trust <= p.InitialTrust+1e-6 {
			t.Fatalf("a new %s has trust %g after %d steps (age %d), want %g, above initial_trust %g (trust_growth %g)",
				c.what, c.trust, c.steps, c.age, want, p.InitialTrust, p.TrustGrowth)
		}
	}
}

// A new tie or group starts with initial_trust, before it has lasted at
// all: partners extend some trust to a new tie.
func TestMechanismInitialTrust(t *testing.T) {
	p := params(t)
	w, _ := tiesGroupWorld(3, 2, sim.IssueTechnology, sim.Initial)
	w.Ties = append(w.Ties, sim.TieSpec{A: w.ActorIndex("O0"), B: w.ActorIndex("O1"), Form: sim.Cooperation, Level: sim.Nominal, Donor: -1})
	s := newSim(t, w, p, 1)
	tie, _ := s.TieBetween(w.ActorIndex("O0"), w.ActorIndex("O1"))
	_, g := tiesGroupID(t, s)
	if !tiesClose(tie.Trust, p.InitialTrust) || !tiesClose(g.Trust, p.InitialTrust) || tie.Trust <= 1e-9 {
		t.Fatalf("a tie and a group of age 0 start with trust %g and %g, want initial_trust %g > 0", tie.Trust, g.Trust, p.InitialTrust)
	}

	// ties and groups formed in a run start there too: a controller has
	// every actor convene a group, or else propose a tie, and consent to
	// everything, so that they form whatever the choice parameters
	w, _ = tiesGroupWorld(0, 6, sim.IssueTechnology, sim.Initial)
	w.Groups = nil
	s = newSim(t, w, p, 2)
	s.SetController(tiesYes{})
	ties, groups := 0, 0
	var fail string
	s.SetRecorder(func(d *sim.Decision) {
		o := d.Options[d.Chosen]
		if !d.Done || fail != "" {
			return
		}
		switch o.Kind {
		case sim.ChooseNewTie:
			tie, ok := s.TieBetween(d.Actor, o.Partner)
			if !ok || tie.Age != 0 || tie.Trust != p.InitialTrust || tie.Trust <= 0 {
				fail = fmt.Sprintf("step %d: a new tie %d-%d has trust %v (age %d), want initial_trust %g > 0", d.Step, d.Actor, o.Partner, tie.Trust, tie.Age, p.InitialTrust)
			}
			ties++
		case sim.ChooseProposeGroup:
			var last *sim.Group
			for g := range s.Groups() {
				if last == nil || g.ID > last.ID {
					last = g
				}
			}
			if last.Age != 0 || last.Trust != p.InitialTrust || last.Trust <= 0 {
				fail = fmt.Sprintf("step %d: a new group has trust %g (age %d), want initial_trust %g > 0", d.Step, last.Trust, last.Age, p.InitialTrust)
			}
			groups++
		}
	})
	s.Run(3)
	if fail != "" {
		t.Fatal(fail)
	}
	if ties == 0 || groups == 0 {
		t.Fatalf("%d ties and %d groups formed in 3 steps", ties, groups)
	}
}

// tiesYes controls every actor: it convenes a group when it can, else
// proposes a new tie, else does nothing, and consents to everything.
type tiesYes struct{}

func (tiesYes) Controls(int) bool { return true }
func (tiesYes) Decide(_ int, opts []sim.Choice, _ int) (sim.Choice, bool) {
	for _, kind := range []sim.ChoiceKind{sim.ChooseProposeGroup, sim.ChooseNewTie} {
		for _, o := range opts {
			if o.Kind == kind {
				return o, true
			}
		}
	}
	return opts[0], true
}
func (tiesYes) Consent(int, sim.Choice, sim.Verdict) bool { return true }

// ---- assistance ---------------------------------------------------------

// tiesDonorWorld is a donor (a patron when patron is true) with advanced
// and nominal assistance ties to two recipients R1 and R2, at four steps a
// year.
func tiesDonorWorld(patron bool, military float64) *sim.World {
	b := simtest.NewBuilder()
	v := []float64{0.6, 0.6, 0.6}
	d := b.State("DON", "Americas", 0.5, 1, v, 0.1)
	b.W.Actors[d].Patron = patron
	b.State("R1", "Africa", 0.002, 0.002, v, 0.2)
	b.State("R2", "Africa", 0.002, 0.002, v, 0.2)
	b.Tie("DON", "R1", sim.Assistance, sim.Advanced, "DON")
	b.Tie("DON", "R2", sim.Assistance, sim.Nominal, "DON")
	b.W.Political = sim.ConstantProfile(0)
	b.W.Military = sim.ConstantProfile(military)
	b.W.StepsPerYear = 4
	return b.W
}

// A donor's budget is aid_rate a year per unit of its normalised economy
// (a patron's less its military retrenchment), shared across its
// recipients by level; what it gives is what they receive.
func TestMechanismAidRate(t *testing.T) {
	p := tiesFrozen(params(t))
	for _, c := range []struct {
		patron   bool
		military float64
	}{{false, 0}, {true, 0.5}} {
		w := tiesDonorWorld(c.patron, c.military)
		s := newSim(t, w, p, 1)
		don, r1, r2 := w.ActorIndex("DON"), w.ActorIndex("R1"), w.ActorIndex("R2")
		budget := p.AidRate * 1 * (1 - c.military) * w.Dt() // economy 1 is the largest: normalised 1
		if got := s.OutStrength(don); !tiesClose(got, budget) || got <= tiesEps {
			t.Fatalf("donor (patron %v, military retrenchment %g) gives %g a step, want aid_rate %g x economy 1 x %g x dt %g = %g > 0",
				c.patron, c.military, got, p.AidRate, 1-c.military, w.Dt(), budget)
		}
		in1, in2 := s.InStrength(r1), s.InStrength(r2)
		if !tiesClose(in1+in2, s.OutStrength(don)) || !tiesClose(in1, 4*in2) {
			t.Fatalf("the advanced recipient gets %g, the nominal one %g: want 4:1 summing to the budget %g", in1, in2, s.OutStrength(don))
		}
	}
}

// assist_efficiency of the support received becomes the recipient's
// capability: after one step of support from nothing, its assisted
// capability is efficiency x support, and it counts in its effective
// capability.
func TestMechanismAssistEfficiency(t *testing.T) {
	p := tiesFrozen(params(t))
	p.AidRate = tiesDefault(t, "aid_rate")
	w := tiesDonorWorld(false, 0)
	s := newSim(t, w, p, 1)
	r1 := w.ActorIndex("R1")
	base := s.EffectiveCapability(r1)
	s.Step()
	in := s.InStrength(r1)
	got := s.Assisted(r1)
	if want := p.AssistEfficiency * in; !tiesClose(got, want) || got <= tiesEps {
		t.Fatalf("after a step of support %g the recipient holds %g assisted capability, want assist_efficiency %g x support = %g > 0", in, got, p.AssistEfficiency, want)
	}
	if c := s.EffectiveCapability(r1); !tiesClose(c, base+got) {
		t.Fatalf("the recipient's effective capability is %g, want its own %g + assisted %g", c, base, got)
	}
	prev := got
	for s.T() < 8 {
		s.Step()
		if a := s.Assisted(r1); a <= prev {
			t.Fatalf("step %d: assisted capability %g, no more than %g the step before under continued support", s.T(), a, prev)
		} else {
			prev = a
		}
	}
}

// Assisted capability decays at assist_decay a year times A/(A + own
// base) once the sponsor's support stops: a force built on a small base
// cannot be sustained when the sponsor exits, one on a larger base keeps
// more of itself.
func TestMechanismAssistDecay(t *testing.T) {
	p := tiesFrozen(params(t))
	p.AidRate = tiesDefault(t, "aid_rate")
	p.AssistEfficiency = tiesDefault(t, "assist_efficiency")
	b := simtest.NewBuilder()
	v := []float64{0.6, 0.6, 0.6}
	b.State("DON", "Americas", 0.5, 1, v, 0.1)
	b.W.Actors[0].Patron = true
	weak := b.State("WEAK", "Africa", 0.002, 0.002, v, 0.2)
	firm := b.State("FIRM", "Africa", 0.05, 0.002, v, 0.2)
	b.Tie("DON", "WEAK", sim.Assistance, sim.Advanced, "DON")
	b.Tie("DON", "FIRM", sim.Assistance, sim.Advanced, "DON")
	b.W.Political = sim.ConstantProfile(0)
	const exit = 8
	b.W.Military = sim.Profile{Shape: sim.Step, Base: 0, Peak: 1, Start: exit} // the sponsor exits
	b.W.StepsPerYear = 4
	s := newSim(t, b.W, p, 1)
	base := map[int]float64{}
	for _, i := range []int{weak, firm} {
		base[i] = s.EffectiveCapability(i)
	}
	s.Run(exit - 1)
	peak := map[int]float64{weak: s.Assisted(weak), firm: s.Assisted(firm)}
	if peak[weak] <= 0 || peak[firm] <= 0 {
		t.Fatalf("support built no assisted capability (%g and %g)", peak[weak], peak[firm])
	}
	for s.T() < exit+12 {
		a0 := map[int]float64{weak: s.Assisted(weak), firm: s.Assisted(firm)}
		s.Step()
		if s.T() < exit {
			continue
		}
		if in := s.InStrength(weak); in != 0 {
			t.Fatalf("step %d: support %g after the sponsor's exit", s.T(), in)
		}
		for _, i := range []int{weak, firm} {
			a := a0[i]
			want := a * (1 - p.AssistDecay*b.W.Dt()*a/(a+base[i]))
			if got := s.Assisted(i); !tiesClose(got, want) {
				t.Fatalf("step %d: %s's assisted capability %g, want %g x (1 - assist_decay %g x dt x A/(A + base %g)) = %g",
					s.T(), b.W.Actors[i].ID, got, a, p.AssistDecay, base[i], want)
			}
		}
	}
	kept := map[int]float64{weak: s.Assisted(weak) / peak[weak], firm: s.Assisted(firm) / peak[firm]}
	if !(kept[weak] < kept[firm]-1e-6 && kept[firm] < 1-1e-6) {
		t.Fatalf("three years after the sponsor's exit the weak recipient keeps %.3f of its assisted capability, the firm one %.3f: want both < 1, the weak less (assist_decay %g)",
			kept[weak], kept[firm], p.AssistDecay)
	}
}

// A force a donor sustains does not count against a threat whose source
// is that donor (003: its sustainment is what the sponsor withdraws
// first): the recipient's own protection against the donor's threat
// leaves out the donor's part of its assisted capability, so does what the
// recipient brings to an ally against that threat, and the recipient's
// value of the donor's flow leaves the threat out. Another donor's part
// counts against every threat. The control is the same world with the
// threat's source a third state.
func TestMechanismSourceSustainedAid(t *testing.T) {
	p := tiesFrozen(params(t))
	p.AidRate = tiesDefault(t, "aid_rate")
	p.AssistEfficiency = tiesDefault(t, "assist_efficiency")
	p.Accommodation = 0   // (a tie with the source also lowers its threat: not what is tested here)
	p.CoalitionCommit = 0 // (nor a coalition against either threat's protection)
	const tk, uk = 0, 1
	world := func(donorIsSource bool) (w *sim.World, don, oth, r, y int) {
		b := simtest.NewBuilder()
		v, far := []float64{0.6, 0.6, 0.6}, []float64{-0.8, -0.8, -0.8}
		don = b.State("DON", "Asia", 0.3, 1, far, 0.1)
		oth = b.State("OTH", "Europe", 0.3, 1, far, 0.1)
		r = b.State("R", "Africa", 0.002, 0.002, v, 0.2)
		y = b.State("Y", "Africa", 0.01, 0.01, v, 0.2)
		b.State("S", "Asia", 0.3, 0.3, far, 0.1)
		b.State("S2", "Asia", 0.3, 0.3, far, 0.1)
		b.Tie("DON", "R", sim.Assistance, sim.Advanced, "DON")
		b.Tie("OTH", "R", sim.Assistance, sim.Advanced, "OTH")
		src := "S2"
		if donorIsSource {
			src = "DON"
		}
		exp := map[string]float64{"R": 1, "Y": 1}
		b.Threat("t", "conventional", src, nil, exp, sim.ConstantProfile(0.6))
		b.Threat("u", "conventional", "S", nil, exp, sim.ConstantProfile(0.6))
		b.W.StepsPerYear = 4
		return b.W, don, oth, r, y
	}
	near := func(a, b float64) bool { return tiesClose(a, b) }

	// the recipient's own protection, after two years of both flows
	w, don, oth, r, y := world(true)
	s := newSim(t, w, p, 1)
	secOf := func(s *sim.Sim, d int) float64 {
		return s.TieChangeDonor(r, d, sim.Assistance, sim.Advanced, d, sim.Assistance, sim.None, -1)[sim.TermSecurity]
	}
	lossDon, lossOth := secOf(s, don), secOf(s, oth)
	s.Run(8)
	pd, po := s.AssistedFrom(r, don), s.AssistedFrom(r, oth)
	if pd <= tiesEps || po <= tiesEps || !near(pd+po, s.Assisted(r)) {
		t.Fatalf("the recipient's assisted capability %g is not its two donors' parts %g + %g (both > 0)", s.Assisted(r), pd, po)
	}
	c := s.EffectiveCapability(r)
	if got, want := s.ProtectionAgainst(r, tk), p.SelfHelp*(c-pd); !near(got, want) {
		t.Errorf("protection against the donor's own threat %g, want self_help x (capability %g - the donor's part %g) = %g", got, c, pd, want)
	}
	if got, want := s.ProtectionAgainst(r, uk), p.SelfHelp*c; !near(got, want) {
		t.Errorf("protection against another source's threat %g, want self_help x capability %g = %g (both parts)", got, c, want)
	}

	// the value of each flow to the recipient (ending it, at the start:
	// the donors give alike, so the flows build alike)
	if !(lossDon < 0 && lossOth < lossDon) {
		t.Errorf("ending the source's flow costs the recipient %g of security, ending the other donor's %g: want both < 0 and the source's smaller (it does not count against its own threat)", lossDon, lossOth)
	}
	wc, donC, othC, rC, yC := world(false)
	sc := newSim(t, wc, p, 1)
	if a, b := sc.TieChangeDonor(rC, donC, sim.Assistance, sim.Advanced, donC, sim.Assistance, sim.None, -1)[sim.TermSecurity],
		sc.TieChangeDonor(rC, othC, sim.Assistance, sim.Advanced, othC, sim.Assistance, sim.None, -1)[sim.TermSecurity]; !near(a, b) || !near(b, lossOth) {
		t.Errorf("with a third state the threat's source, ending either flow costs %g and %g: want the same, as the other donor's %g above", a, b, lossOth)
	}

	// what the recipient brings to an ally against the donor's threat
	sc.Run(8)
	ally := func(s *sim.Sim, r, y int) float64 {
		return s.TieChange(y, r, sim.Alliance, sim.None, sim.Alliance, sim.Advanced)[sim.TermSecurity]
	}
	if a, b := ally(s, r, y), ally(sc, rC, yC); !(a < b-tiesEps) {
		t.Errorf("an alliance with the recipient is worth %g of security to a state the donor threatens, %g where a third state is the source: want less (the donor's part does not defend against it)", a, b)
	}
	q := p
	q.AidRate = 0 // (without assistance the two worlds are alike for the ally)
	s0, sc0 := newSim(t, world1(world, true), q, 1), newSim(t, world1(world, false), q, 1)
	s0.Run(8)
	sc0.Run(8)
	if a, b := ally(s0, r, y), ally(sc0, rC, yC); !near(a, b) {
		t.Errorf("without assistance the alliance is worth %g and %g in the two worlds: want the same", a, b)
	}
}

// An organisation's support does not count against a threat whose source
// is one of its present members (its sustainment answers to that member
// too), and counts against any other.
func TestMechanismSourceSustainedAidOfAnOrganisation(t *testing.T) {
	p := tiesFrozen(params(t))
	p.AidRate = tiesDefault(t, "aid_rate")
	p.AssistEfficiency = tiesDefault(t, "assist_efficiency")
	p.Accommodation, p.CoalitionCommit = 0, 0
	b := simtest.NewBuilder()
	v, far := []float64{0.6, 0.6, 0.6}, []float64{-0.8, -0.8, -0.8}
	b.State("SRC", "Asia", 0.3, 1, far, 0.1)
	b.State("M", "Asia", 0.3, 1, far, 0.1)
	org := b.Org("ORG", "Asia", 0, 1, far, "SRC", "M")
	r := b.State("R", "Africa", 0.002, 0.002, v, 0.2)
	b.State("S", "Asia", 0.3, 0.3, far, 0.1)
	b.Tie("ORG", "R", sim.Assistance, sim.Advanced, "ORG")
	exp := map[string]float64{"R": 1}
	b.Threat("t", "conventional", "SRC", nil, exp, sim.ConstantProfile(0.6))
	b.Threat("u", "conventional", "S", nil, exp, sim.ConstantProfile(0.6))
	b.W.StepsPerYear = 4
	s := newSim(t, b.W, p, 1)
	s.Run(8)
	part, c := s.AssistedFrom(r, org), s.EffectiveCapability(r)
	if part <= tiesEps {
		t.Fatalf("the organisation built no capability in the recipient (test setup)")
	}
	if got, want := s.ProtectionAgainst(r, 0), p.SelfHelp*(c-part); !tiesClose(got, want) {
		t.Errorf("protection against a threat from a member of the donor organisation %g, want self_help x (capability %g - the organisation's part %g) = %g", got, c, part, want)
	}
	if got, want := s.ProtectionAgainst(r, 1), p.SelfHelp*c; !tiesClose(got, want) {
		t.Errorf("protection against another threat %g, want self_help x capability = %g", got, want)
	}
}

// (what a patron's support builds in a partner is part of its stake in
// the partner's protection: not against a threat the patron is the source of)
func TestMechanismSourceSustainedAidStake(t *testing.T) {
	p := tiesFrozen(params(t))
	p.AidRate = tiesDefault(t, "aid_rate")
	p.AssistEfficiency = tiesDefault(t, "assist_efficiency")
	p.Accommodation, p.CoalitionCommit = 0, 0
	p.UmbrellaWeight = 1
	stake := func(donorIsSource bool) float64 {
		b := simtest.NewBuilder()
		v, far := []float64{0.6, 0.6, 0.6}, []float64{-0.8, -0.8, -0.8}
		don := b.State("DON", "Asia", 0.3, 1, far, 0.1)
		b.W.Actors[don].Patron = true
		r := b.State("R", "Africa", 0.002, 0.002, v, 0.2)
		b.State("S", "Asia", 0.3, 0.3, far, 0.1)
		b.State("S2", "Asia", 0.3, 0.3, far, 0.1)
		b.Tie("DON", "R", sim.Assistance, sim.Advanced, "DON")
		src := "S2"
		if donorIsSource {
			src = "DON"
		}
		b.Threat("t", "conventional", src, nil, map[string]float64{"R": 1}, sim.ConstantProfile(0.6))
		b.Threat("u", "conventional", "S", nil, map[string]float64{"R": 1}, sim.ConstantProfile(0.6))
		b.W.Political, b.W.Military = sim.ConstantProfile(0), sim.ConstantProfile(0)
		b.W.StepsPerYear = 4
		s := newSim(t, b.W, p, 1)
		return s.TieChangeDonor(don, r, sim.Assistance, sim.Advanced, don, sim.Assistance, sim.None, -1)[sim.TermUmbrella]
	}
	a, c := stake(true), stake(false)
	if !(c < a && a < 0) {
		t.Errorf("a patron ending its flow to a partner it threatens loses %g of its stake, %g where a third state is the source: want both < 0 and less where it is the source (its support does not count against its own threat)", a, c)
	}
}

func world1(f func(bool) (*sim.World, int, int, int, int), x bool) *sim.World {
	w, _, _, _, _ := f(x)
	return w
}

// ---- minilateral groups -------------------------------------------------

// An organisation in a minilateral brings its own forces only: its
// members' capability enters the group through the members that are in it
// (001: a coalition pools its members' capabilities). So a group of A, C,
// D and the organisation O of A and B protects A as A, C and D do (O's
// pool would count A's own capability into A's protection, and bring B,
// which is not in the group), and no coalition is led by an organisation
// on its members' strength.
func TestMechanismGroupPoolsForcesOnce(t *testing.T) {
	p := params(t)
	p.Protection = tiesDefault(t, "protection")
	world := func(withOrg bool) (*sim.World, int, int) {
		b := simtest.NewBuilder()
		v := []float64{0.5, 0.5, 0.5}
		a := b.State("A", "R", 0.02, 0.02, v, 0.5)
		b.State("B", "R", 0.3, 0.1, v, 0.5)
		b.State("C", "R", 0.05, 0.05, v, 0.5)
		b.State("D", "R", 0.04, 0.04, v, 0.5)
		b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
		b.Org("O", "R", 0, 0.1, v, "A", "B")
		k := b.Threat("t", "conventional", "S", map[string]float64{"R": 1}, nil, sim.ConstantProfile(0.3))
		mem := []int{a, b.I("C"), b.I("D")}
		if withOrg {
			mem = append(mem, b.I("O"))
		}
		b.W.Groups = []sim.GroupSpec{{Name: "g", Kind: sim.Minilateral, Issue: sim.IssueDeterrence, Level: sim.Institutionalised,
			Members: mem, About: []int{k}, Threat: -1, Leader: -1, Age: 4}}
		b.W.StepsPerYear = 1
		return b.W, a, k
	}
	w0, a, k := world(false)
	w1, _, _ := world(true)
	s0, s1 := newSim(t, w0, p, 1), newSim(t, w1, p, 1)
	if s1.EffectiveCapability(w1.ActorIndex("O")) <= tiesEps {
		t.Fatal("the organisation has no capability from its members (test setup)")
	}
	if p0, p1 := s0.ProtectionAgainst(a, k), s1.ProtectionAgainst(a, k); !tiesClose(p0, p1) {
		t.Errorf("A's protection from the group %g with its organisation in it, %g without: want the same (the organisation brings no forces of its own)", p1, p0)
	}
}

// A security group protects its members against the threats it is about,
// at group_commit of what alliances at the same level with its other members
// would bring, and not against other threats.
func TestMechanismGroupCommit(t *testing.T) {
	p := params(t)
	p.Protection = tiesDefault(t, "protection")
	world := func(kind string) (*sim.World, int, int, int) {
		b := simtest.NewBuilder()
		v := []float64{0.5, 0.5, 0.5}
		a := b.State("A", "R", 0.02, 0.02, v, 0.5)
		b.State("B", "R", 0.1, 0.1, v, 0.5)
		b.State("C", "R", 0.2, 0.2, v, 0.5)
		b.State("S", "X", 0.3, 0.3, []float64{-0.8, -0.8, -0.8}, 0.5)
		k := b.Threat("t", "conventional", "S", map[string]float64{"R": 1}, nil, sim.ConstantProfile(0.3))
		other := b.Threat("terror", "terrorism", "", map[string]float64{"R": 1}, nil, sim.ConstantProfile(0.3))
		switch kind {
		case "group":
			b.W.Groups = []sim.GroupSpec{{Name: "g", Kind: sim.Minilateral, Issue: sim.IssueDeterrence, Level: sim.Institutionalised,
				Members: []int{0, 1, 2}, About: []int{k}, Threat: -1, Leader: -1, Age: 4}}
		case "alliances":
			for _, j := range []int{1, 2} {
				b.W.Ties = append(b.W.Ties, sim.TieSpec{A: a, B: j, Form: sim.Alliance, Level: sim.Institutionalised, Donor: -1, Age: 4})
			}
		}
		b.W.StepsPerYear = 1
		return b.W, a, k, other
	}
	protection := map[string][2]float64{}
	for _, kind := range []string{"none", "group", "alliances"} {
		w, a, k, other := world(kind)
		s := newSim(t, w, p, 1)
		protection[kind] = [2]float64{s.ProtectionAgainst(a, k), s.ProtectionAgainst(a, other)}
	}
	group := protection["group"][0] - protection["none"][0]
	alliances := protection["alliances"][0] - protection["none"][0]
	if !tiesClose(group, p.GroupCommit*alliances) || group <= tiesEps {
		t.Fatalf("the group adds %g to A's protection against its threat, alliances with its members %g: want group_commit %g x that = %g > 0",
			group, alliances, p.GroupCommit, p.GroupCommit*alliances)
	}
	if d := protection["group"][1] - protection["none"][1]; d != 0 {
		t.Fatalf("the deterrence group adds %g to A's protection against a threat it is not about, want 0", d)
	}
}

// A group's upkeep per level is group_upkeep times a tie's: deepening a
// group costs its members group_upkeep x what deepening a tie at the same
// level costs, besides coordination.
func TestMechanismGroupUpkeep(t *testing.T) {
	p := params(t)
	p.UpkeepCost = tiesDefault(t, "upkeep_cost")
	w, mem := tiesGroupWorld(3, 0, sim.IssueDeterrence, sim.Initial)
	s := newSim(t, w, p, 1)
	gid, _ := tiesGroupID(t, s)
	deepen, ok := tiesOption(s, mem[0], sim.ChooseDeepenGroup, gid)
	if !ok {
		t.Fatal("no option to deepen the group")
	}
	coord := p.CoordinationCost * float64(len(mem)-2) * (sim.Institutionalised.Frac() - sim.Initial.Frac())
	level := deepen.Terms[sim.TermUpkeep] + coord
	tie := s.TieChange(mem[0], mem[1], sim.Cooperation, sim.Initial, sim.Cooperation, sim.Institutionalised)[sim.TermUpkeep]
	if !tiesClose(level, p.GroupUpkeep*tie) || level >= -tiesEps {
		t.Fatalf("deepening the group from initial costs %g in upkeep beyond coordination (%g), a tie %g: want group_upkeep %g x that = %g < 0",
			-level, coord, -tie, p.GroupUpkeep, p.GroupUpkeep*tie)
	}
}

// Each member beyond the first two costs every member coordination_cost
// per level of the group: a seat in a larger group costs more to keep.
func TestMechanismCoordinationCost(t *testing.T) {
	p := params(t)
	saved := map[int]float64{}
	for _, size := range []int{3, 5} {
		w, mem := tiesGroupWorld(size, 0, sim.IssueDeterrence, sim.Initial)
		s := newSim(t, w, p, 1)
		gid, _ := tiesGroupID(t, s)
		leave, ok := tiesOption(s, mem[0], sim.ChooseLeaveGroup, gid)
		if !ok {
			t.Fatalf("no option to leave the group of %d", size)
		}
		saved[size] = leave.Terms[sim.TermUpkeep]
	}
	want := p.CoordinationCost * 2 * sim.Initial.Frac()
	if got := saved[5] - saved[3]; !tiesClose(got, want) || got <= tiesEps {
		t.Fatalf("leaving an initial group of 5 saves %g in upkeep, one of 3 %g: the difference %g should be coordination_cost %g x 2 members x level %g = %g > 0",
			saved[5], saved[3], got, p.CoordinationCost, sim.Initial.Frac(), want)
	}
}

// Minilaterals stay small: a group of max_group_size (six at the
// defaults) admits no one, while one a member short takes new members.
func TestMechanismMaxGroupSize(t *testing.T) {
	p := params(t)
	size := int(tiesDefault(t, "max_group_size"))
	joins := map[int]int{}
	for _, n := range []int{size - 1, size} {
		w, _ := tiesGroupWorld(n, 3, sim.IssueTechnology, sim.Initial)
		s := newSim(t, w, p, 1)
		for k := 0; k < 3; k++ {
			i := w.ActorIndex(fmt.Sprintf("O%d", k))
			for seed := uint64(0); seed < 20; seed++ {
				for _, c := range s.Choices(i, seed) {
					if c.Kind == sim.ChooseJoinGroup {
						joins[n]++
					}
				}
			}
		}
	}
	if joins[size-1] == 0 {
		t.Fatalf("a group of %d was never open to joining", size-1)
	}
	if joins[size] > 0 {
		t.Fatalf("a group of %d members was open to joining %d times (max_group_size %g)", size, joins[size], p.MaxGroupSize)
	}
}

// Technology and resources groups bring economic_issue_bonus times the
// economic value of a security group of the same members.
func TestMechanismEconomicIssueBonus(t *testing.T) {
	p := params(t)
	p.EconomicWeight = tiesDefault(t, "economic_weight")
	econ := map[sim.Issue]float64{}
	for _, issue := range []sim.Issue{sim.IssueDeterrence, sim.IssueTechnology, sim.IssueResources} {
		w, mem := tiesGroupWorld(4, 0, issue, sim.Initial)
		s := newSim(t, w, p, 1)
		gid, _ := tiesGroupID(t, s)
		leave, ok := tiesOption(s, mem[0], sim.ChooseLeaveGroup, gid)
		if !ok {
			t.Fatalf("no option to leave the %v group", issue)
		}
		econ[issue] = -leave.Terms[sim.TermEconomy]
	}
	if econ[sim.IssueDeterrence] <= tiesEps {
		t.Fatalf("a seat in a deterrence group is worth %g in economy", econ[sim.IssueDeterrence])
	}
	for _, issue := range []sim.Issue{sim.IssueTechnology, sim.IssueResources} {
		ratio := econ[issue] / econ[sim.IssueDeterrence]
		if !tiesClose(ratio, p.EconomicIssueBonus) || ratio <= 1+1e-9 {
			t.Fatalf("a seat in a %v group is worth %g in economy, in a deterrence group %g: ratio %g, want economic_issue_bonus %g > 1",
				issue, econ[issue], econ[sim.IssueDeterrence], ratio, p.EconomicIssueBonus)
		}
	}
}

// A charter that names the states it admits (Actor.Admits: the Arab
// League's Pact admits Arab states) lets only those apply, wherever they
// are: a state of the region it does not name has no option to accede, one
// it names has, even outside the regions it acts in (the Comoros); an open
// charter lets the state of its region apply and not the one outside.
func TestMechanismCharterAdmits(t *testing.T) {
	p := params(t)
	v := []float64{0.5, 0.5, 0.5}
	build := func(admits bool) (w *sim.World, in, out, far int) {
		b := simtest.NewBuilder()
		b.State("M1", "R", 0.1, 0.1, v, 0.5)
		b.State("M2", "R", 0.1, 0.1, v, 0.5)
		in = b.State("IN", "R", 0.1, 0.1, v, 0.5)
		out = b.State("OUT", "R", 0.1, 0.1, v, 0.5)
		far = b.State("FAR", "Q", 0.1, 0.1, v, 0.5)
		o := b.Org("ORG", "R", 0.5, 0.2, v, "M1", "M2")
		if admits {
			b.W.Actors[o].Admits = []int{b.W.ActorIndex("M1"), b.W.ActorIndex("M2"), in, far}
		}
		return b.W, in, out, far
	}
	for _, admits := range []bool{true, false} {
		w, in, out, far := build(admits)
		s := newSim(t, w, p, 1)
		if _, ok := tiesOption(s, in, sim.ChooseAccede, -1); !ok {
			t.Fatalf("admits %v: a state of the region the charter admits has no option to accede", admits)
		}
		if _, ok := tiesOption(s, out, sim.ChooseAccede, -1); ok == admits {
			t.Fatalf("admits %v: a state of the region the charter does not name has an option to accede: %v", admits, ok)
		}
		if _, ok := tiesOption(s, far, sim.ChooseAccede, -1); ok != admits {
			t.Fatalf("admits %v: a state outside the region, named by the charter when it names any, has an option to accede: %v", admits, ok)
		}
	}
}

// A state weighs accession to every organisation of its region open to it
// where there are at most k (candidates), and to k of them drawn at random
// where more are open (bounded attention, as with its k sampled partners):
// with 3k open organisations no opportunity weighs more than k, and over
// opportunities every one of them is weighed; with k open, every
// opportunity weighs all k.
func TestMechanismAccessionCandidates(t *testing.T) {
	p := params(t)
	k := int(p.Candidates)
	v := []float64{0.5, 0.5, 0.5}
	for _, open := range []int{k, 3 * k} {
		b := simtest.NewBuilder()
		b.State("M1", "R", 0.1, 0.1, v, 0.5)
		b.State("M2", "R", 0.1, 0.1, v, 0.5)
		in := b.State("IN", "R", 0.1, 0.1, v, 0.5)
		for o := 0; o < open; o++ {
			b.Org(fmt.Sprintf("ORG%d", o), "R", 0.5, 0.2, v, "M1", "M2")
		}
		s := newSim(t, b.W, p, 1)
		seen := map[int]bool{}
		for seed := uint64(0); seed < 200; seed++ {
			n := 0
			for _, c := range s.Choices(in, seed) {
				if c.Kind == sim.ChooseAccede {
					n++
					seen[c.Partner] = true
				}
			}
			if want := min(open, k); (open <= k && n != want) || n > k {
				t.Fatalf("%d organisations open to it: an opportunity weighs %d accessions, want %d (at most k = %d)", open, n, want, k)
			}
		}
		if len(seen) != open {
			t.Fatalf("%d organisations open to it: %d of them weighed over 200 opportunities, want all", open, len(seen))
		}
	}
}

// A state joins a minilateral for its issue: a security group about a
// threat it does not feel is not among its options (as a coalition is
// joined only by those who feel its threat), while one about a threat it
// feels is, and a technology group (about no threat) is open to both.
func TestMechanismGroupJoinedForItsIssue(t *testing.T) {
	p := params(t)
	joins := func(issue sim.Issue, outsiderRegion string) int {
		w, _ := tiesGroupWorld(3, 3, issue, sim.Initial)
		// the outsiders moved to outsiderRegion (the threat exposes R), each
		// tied to a member so that members' groups come up among its
		// candidates
		var out []int
		for k := 0; k < 3; k++ {
			o := w.ActorIndex(fmt.Sprintf("O%d", k))
			w.Actors[o].Region = outsiderRegion
			w.Ties = append(w.Ties, sim.TieSpec{A: o, B: w.ActorIndex("G0"), Form: sim.Cooperation, Level: sim.Initial, Donor: -1})
			out = append(out, o)
		}
		s := newSim(t, w, p, 1)
		n := 0
		for _, i := range out {
			for seed := uint64(0); seed < 40; seed++ {
				for _, c := range s.Choices(i, seed) {
					if c.Kind == sim.ChooseJoinGroup {
						n++
					}
				}
			}
		}
		return n
	}
	exposed, unexposed := joins(sim.IssueDeterrence, "R"), joins(sim.IssueDeterrence, "Q")
	techR, techQ := joins(sim.IssueTechnology, "R"), joins(sim.IssueTechnology, "Q")
	t.Logf("options to join: deterrence group %d (exposed), %d (not); technology group %d, %d", exposed, unexposed, techR, techQ)
	if exposed == 0 || techR == 0 || techQ == 0 {
		t.Fatalf("a group its issue concerns was never open to joining: deterrence %d, technology %d and %d", exposed, techR, techQ)
	}
	if unexposed > 0 {
		t.Fatalf("states that do not feel a deterrence group's threat had %d options to join it", unexposed)
	}
}

// Support flows from the more capable (sources 003, 004): a donor is offered
// support only toward a partner with fewer resources than its own, as a
// new assistance tie or on an existing tie; toward a stronger partner there
// is no such option (its standing there would be nil, and security force
// assistance to a stronger force is not what the sources describe).
func TestMechanismSupportFlowsToTheWeaker(t *testing.T) {
	p := params(t)
	for _, tied := range []bool{false, true} {
		b := simtest.NewBuilder()
		v := []float64{0.5, 0.5, 0.5}
		b.State("WEAK", "R", 0.01, 0.01, v, 0.2)
		b.State("MID", "R", 0.1, 0.1, v, 0.2)
		b.State("STRONG", "R", 0.3, 0.3, v, 0.2)
		if tied {
			b.Tie("WEAK", "MID", sim.Cooperation, sim.Initial, "")
			b.Tie("MID", "STRONG", sim.Cooperation, sim.Initial, "")
		}
		w := b.W
		s := newSim(t, w, p, 1)
		offers := func(i int) map[string]bool {
			out := map[string]bool{}
			for seed := uint64(1); seed <= 20; seed++ {
				for _, c := range s.Choices(i, seed) {
					if c.Kind == sim.ChooseOfferAssistance {
						out[w.Actors[c.Partner].ID] = true
					}
				}
			}
			return out
		}
		mid := offers(w.ActorIndex("MID"))
		if !mid["WEAK"] || mid["STRONG"] {
			t.Errorf("tied %v: MID's offers of support go to %v, want WEAK (weaker) and not STRONG", tied, mid)
		}
		if weak := offers(w.ActorIndex("WEAK")); len(weak) != 0 {
			t.Errorf("tied %v: WEAK, weaker than both, is offered to support %v", tied, weak)
		}
	}
}
