package sim

import (
	"math"
)

type optKind uint8

const (
	optNothing optKind = iota
	optNewTie
	optDeepen
	optLower
	optReform
	optAbandon
	optPropose
	optJoin
	optGroupDeepen
	optLeave
	optCoalJoin
	optCoalLeave
)

// option is one thing an actor may do on an opportunity, with the change in
// its utility.
type option struct {
	kind  optKind
	j     int // partner
	tie   int // tie slot
	group int // group slot
	form  Form
	level Level
	donor int
	issue Issue
	u     float64
	w     float64 // logit weight, set by choose
}

// Step advances the run by one period:
//
//  1. threat intensities and retrenchment are read off their profiles at the
//     new step, and perceived threats, capability, reliability and
//     protection are recomputed;
//  2. coalitions form around threats that pass coalition_form and dissolve
//     after coalition_patience steps below coalition_dissolve;
//  3. actors get opportunities at opportunity_rate, in an order drawn from
//     the run's stream, and on each weigh their options (multinomial logit
//     over the change in utility at the given temperature); anything that
//     deepens commitment needs the other side's consent;
//  4. trust and age grow on lasting ties and groups, reputation recovers;
//  5. support flows from donors to recipients; assisted capability decays.
func (s *Sim) Step() {
	s.t++
	s.events = s.events[:0]
	// the state was refreshed at the end of the last step; recompute it
	// only if something it depends on moved with the clock
	if s.dirty || s.profilesMoved() || s.entering() {
		s.refresh()
	}
	s.coalitions()

	s.acts = s.acts[:0]
	rate := s.p.OpportunityRate
	whole := int(rate)
	frac := rate - float64(whole)
	for i := 0; i < s.n; i++ {
		if enter := s.w.Actors[i].Enter; enter > s.t {
			continue
		} else if enter == s.t && enter > 0 {
			s.emit(Event{Kind: ActorEntered, Actor: i, Other: -1, Group: -1})
		}
		for r := 0; r < whole; r++ {
			s.acts = append(s.acts, i)
		}
		if frac > 0 && s.rng.Float64() < frac {
			s.acts = append(s.acts, i)
		}
	}
	s.rng.Shuffle(len(s.acts), func(a, b int) { s.acts[a], s.acts[b] = s.acts[b], s.acts[a] })
	for _, i := range s.acts {
		s.opportunity(i)
	}

	s.grow()
	s.updateFlows(true)
	s.refresh()
}

// profilesMoved reports whether a threat intensity or the retrenchment read
// at the current step differs from the values the state was computed with.
func (s *Sim) profilesMoved() bool {
	pol, mil := s.w.Political.At(s.t), s.w.Military.At(s.t)
	if !math.IsNaN(s.ovPol) {
		pol = s.ovPol
	}
	if !math.IsNaN(s.ovMil) {
		mil = s.ovMil
	}
	if pol != s.retPol || mil != s.retMil {
		return true
	}
	for k := range s.w.Threats {
		v := s.w.Threats[k].Intensity.At(s.t)
		if ov := s.ovIntensity[k]; !math.IsNaN(ov) {
			v = ov
		}
		if v != s.intensity[k] {
			return true
		}
	}
	return false
}

// entering reports whether an actor enters the system at the current step.
func (s *Sim) entering() bool {
	if s.t > s.lastEntry || s.t == 0 {
		return false
	}
	for i := range s.w.Actors {
		if s.w.Actors[i].Enter == s.t {
			return s.t > 0
		}
	}
	return false
}

// Run takes steps until T() == steps.
func (s *Sim) Run(steps int) {
	for s.t < steps {
		s.Step()
	}
}

func (s *Sim) emit(e Event) {
	e.Step = s.t
	s.events = append(s.events, e)
}

// grow ages ties and groups, grows their trust, and lets reputation recover.
func (s *Sim) grow() {
	g := s.p.TrustGrowth
	for k := range s.ties {
		t := &s.ties[k]
		if t.alive {
			t.Age++
			t.Trust += g * (1 - t.Trust)
		}
	}
	for k := range s.groups {
		gr := &s.groups[k]
		if gr.alive {
			gr.Age++
			gr.Trust += g * (1 - gr.Trust)
		}
	}
	r := s.p.ReputationRecovery
	for i := range s.rep {
		s.rep[i] += r * (1 - s.rep[i])
	}
}

// updateFlows sets each flow tie's support for this step and, when apply is
// true, moves it into the recipients' assisted capability, which decays at
// assist_decay: a recipient whose sponsor exits loses it over time.
func (s *Sim) updateFlows(apply bool) {
	for i := range s.outflow {
		s.outflow[i] = 0
	}
	if apply {
		keep := 1 - s.p.AssistDecay
		for i := range s.assisted {
			s.assisted[i] *= keep
		}
	}
	for k := range s.ties {
		t := &s.ties[k]
		if !t.alive || t.Donor < 0 {
			continue
		}
		t.Support = s.support(t.Donor, t.Level)
		s.outflow[t.Donor] += t.Support
		if apply {
			s.assisted[t.Other(t.Donor)] += s.p.AssistEfficiency * t.Support
		}
	}
}

// coalitions forms and dissolves threat-bound coalitions.
func (s *Sim) coalitions() {
	p := &s.p
	for k := range s.w.Threats {
		c := s.coalition[k]
		if c >= 0 {
			g := &s.groups[c]
			if s.intensity[k] < p.CoalitionDissolve {
				g.below++
			} else {
				g.below = 0
			}
			if g.below > int(p.CoalitionPatience) || (g.below > 0 && p.CoalitionPatience == 0) {
				s.dissolve(c)
			}
			continue
		}
		// coalitions answer transnational threats (source 001); against a
		// state threat the answer is a binding alliance (source 002)
		if s.intensity[k] < p.CoalitionForm || len(s.expo[k]) == 0 || s.w.Threats[k].Class() == Conventional {
			continue
		}
		// the most capable exposed actor leads
		leader, best := -1, -1.0
		for _, x := range s.expo[k] {
			if v := s.effCap[x.actor] * s.rel[x.actor]; v > best && s.Active(x.actor) {
				leader, best = x.actor, v
			}
		}
		class := s.w.Threats[k].Class()
		issue := IssueTerrorism
		if class == Conventional {
			issue = IssueDeterrence
		}
		if leader < 0 {
			continue
		}
		mem := append(s.tmp[:0], leader)
		a := s.aggOf(mem, -1)
		for _, x := range s.expo[k] {
			i := x.actor
			if i == leader || !s.Active(i) {
				continue
			}
			// coalitions are open to every actor the threat exposes (source
			// 001: 79 members); leading is the leader's consent
			if s.groupDelta(i, CoalitionGroup, class, None, nil, Initial, &a, p.InitialTrust) > 0 {
				mem = append(mem, i)
				s.addTo(&a, i, 1)
			}
		}
		s.tmp = mem
		if leader < 0 || len(mem) < 2 {
			continue
		}
		gi := s.addGroup(CoalitionGroup, issue, k, leader, Initial, mem)
		g := &s.groups[gi]
		g.Name = "coalition against " + s.w.Threats[k].Name
		s.coalition[k] = gi
		s.emit(Event{Kind: CoalitionFormed, Actor: leader, Other: k, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: issue})
	}
}

func (s *Sim) dissolve(gi int) {
	g := &s.groups[gi]
	s.emit(Event{Kind: GroupDissolved, Actor: -1, Other: g.Threat, Group: g.ID, Level: g.Level, Age: g.Age, Issue: g.Issue})
	s.removeGroup(gi)
}

// sampleCandidates fills s.cands with up to k distinct partners for i: a
// closure_bias share among partners' partners, a region_bias share of the
// rest from i's own region, the others uniformly.
func (s *Sim) sampleCandidates(i, k int) {
	s.cands = s.cands[:0]
	if s.n < 2 {
		return
	}
	for tries := 0; len(s.cands) < k && tries < 3*k; tries++ {
		j := -1
		if len(s.adj[i]) > 0 && s.rng.Float64() < s.p.ClosureBias {
			t := &s.ties[s.adj[i][s.rng.IntN(len(s.adj[i]))]]
			m := t.Other(i)
			if len(s.adj[m]) > 0 {
				j = s.ties[s.adj[m][s.rng.IntN(len(s.adj[m]))]].Other(m)
			}
		} else if same := s.regions[s.region[i]]; len(same) > 1 && s.rng.Float64() < s.p.RegionBias {
			j = same[s.rng.IntN(len(same))]
		} else {
			j = s.rng.IntN(s.n - 1)
			if j >= i {
				j++
			}
		}
		if j < 0 || j == i || s.w.Actors[j].Enter > s.t {
			continue
		}
		dup := false
		for _, c := range s.cands {
			if c == j {
				dup = true
				break
			}
		}
		if !dup {
			s.cands = append(s.cands, j)
		}
	}
}

// opportunity lets actor i weigh its options and act on the one it picks.
func (s *Sim) opportunity(i int) {
	p := &s.p
	k := int(p.Candidates)
	s.opts = append(s.opts[:0], option{kind: optNothing})
	s.sampleCandidates(i, k)

	// new ties
	for _, j := range s.cands {
		if s.isMember(i, j) {
			continue
		}
		if _, tied := s.pair[pairKey(int32(i), int32(j))]; tied {
			continue
		}
		donor := s.donorOf(i, j)
		pr := s.pairOf(i, j)
		for _, f := range [2]Form{Cooperation, Alliance} {
			u := s.delta(&pr, f, None, f, Nominal, donor, p.InitialTrust)
			s.opts = append(s.opts, option{kind: optNewTie, j: j, form: f, level: Nominal, donor: donor, u: u})
		}
	}
	// existing ties: a uniform window of up to k of them
	if m := len(s.adj[i]); m > 0 {
		take, start := m, 0
		if m > k {
			take, start = k, s.rng.IntN(m)
		}
		for c := 0; c < take; c++ {
			ti := s.adj[i][(start+c)%m]
			t := &s.ties[ti]
			j := t.Other(i)
			pr := s.pairOf(i, j)
			add := func(kind optKind, f Form, l Level) {
				u := s.delta(&pr, t.Form, t.Level, f, l, t.Donor, t.Trust)
				s.opts = append(s.opts, option{kind: kind, j: j, tie: ti, form: f, level: l, donor: t.Donor, u: u})
			}
			if t.Level < Advanced {
				add(optDeepen, t.Form, t.Level+1)
			}
			if t.Level > Nominal {
				add(optLower, t.Form, t.Level-1)
			}
			switch t.Form {
			case Cooperation:
				add(optReform, Alliance, t.Level)
			case Alliance, Assistance:
				add(optReform, Cooperation, t.Level)
			}
			add(optAbandon, t.Form, None)
		}
	}
	if s.state[i] {
		s.groupOptions(i)
	}
	s.coalitionOptions(i)

	c := s.choose()
	if s.trace != nil {
		s.trace(i, s.opts, c)
	}
	s.act(i, s.opts[c])
}

// groupOptions adds proposing, joining, deepening and leaving minilaterals.
func (s *Sim) groupOptions(i int) {
	p := &s.p
	maxSize := int(p.MaxGroupSize)
	mine := 0
	for _, g := range s.inGroups[i] {
		if s.groups[g].Kind == Minilateral {
			mine++
		}
	}
	// propose: i and its best-valued state candidates, up to 4 members
	if mine < 3 {
		prop := s.proposal(i)
		if len(prop) >= 3 {
			best := option{kind: optPropose, u: math.Inf(-1)}
			a := s.aggOf(prop, i)
			for _, issue := range [3]Issue{IssueDeterrence, IssueTerrorism, IssueTechnology} {
				u := s.groupDelta(i, Minilateral, issue.Class(), None, nil, Nominal, &a, p.InitialTrust)
				if u > best.u {
					best.u, best.issue = u, issue
				}
			}
			s.opts = append(s.opts, best)
		}
	}
	// join a candidate's group
	for _, j := range s.cands {
		if !s.state[j] || len(s.inGroups[j]) == 0 {
			continue
		}
		gi := s.inGroups[j][s.rng.IntN(len(s.inGroups[j]))]
		g := &s.groups[gi]
		if g.Kind != Minilateral || len(g.Members) >= maxSize || s.inGroup(gi, i) {
			break
		}
		u := s.groupDelta(i, g.Kind, g.Issue.Class(), None, nil, g.Level, &g.agg, g.Trust)
		s.opts = append(s.opts, option{kind: optJoin, group: gi, issue: g.Issue, u: u})
		break
	}
	// deepen or leave one of its own
	if mine > 0 {
		gi := s.inGroups[i][s.rng.IntN(len(s.inGroups[i]))]
		g := &s.groups[gi]
		if g.Kind == Minilateral {
			a := s.others(g, i)
			if g.Level < Advanced {
				u := s.groupDelta(i, g.Kind, g.Issue.Class(), g.Level, &a, g.Level+1, &a, g.Trust)
				s.opts = append(s.opts, option{kind: optGroupDeepen, group: gi, level: g.Level + 1, u: u})
			}
			u := s.groupDelta(i, g.Kind, g.Issue.Class(), g.Level, &a, None, nil, g.Trust) -
				p.AbandonPenalty*g.Trust*g.Level.Frac()
			s.opts = append(s.opts, option{kind: optLeave, group: gi, u: u})
		}
	}
}

// proposal picks up to three state candidates i values most as partners and
// returns them with i, or nil when fewer than two qualify or i already sits
// in a group with all of them.
func (s *Sim) proposal(i int) []int {
	prop := append(s.tmp[:0], i)
	var score [8]float64
	for _, j := range s.cands {
		if !s.state[j] || s.isMember(i, j) {
			continue
		}
		v := s.tieDelta(i, j, Cooperation, None, Cooperation, Nominal, -1, s.p.InitialTrust)
		// insertion into the top three
		pos := len(prop)
		for pos > 1 && v > score[pos-1] {
			pos--
		}
		if pos > 3 {
			continue
		}
		prop = append(prop, 0)
		copy(prop[pos+1:], prop[pos:])
		copy(score[pos+1:], score[pos:len(prop)-1])
		prop[pos], score[pos] = j, v
		if len(prop) > 4 {
			prop = prop[:4]
		}
	}
	s.tmp = prop
	if len(prop) < 3 {
		return nil
	}
	for _, gi := range s.inGroups[i] {
		all := true
		for _, m := range prop[1:] {
			if !s.inGroup(gi, m) {
				all = false
				break
			}
		}
		if all {
			return nil
		}
	}
	return prop
}

// coalitionOptions adds joining or leaving active coalitions.
func (s *Sim) coalitionOptions(i int) {
	for k, gi := range s.coalition {
		if gi < 0 {
			continue
		}
		g := &s.groups[gi]
		class := s.groupClass(g)
		if s.inGroup(gi, i) {
			if i != g.Leader {
				a := s.others(g, i)
				u := s.groupDelta(i, g.Kind, class, g.Level, &a, None, nil, g.Trust) -
					s.p.AbandonPenalty*g.Trust*g.Level.Frac()
				s.opts = append(s.opts, option{kind: optCoalLeave, group: gi, u: u})
			}
			continue
		}
		if s.PerceivedThreatOf(i, k) <= 0 {
			continue
		}
		u := s.groupDelta(i, g.Kind, class, None, nil, g.Level, &g.agg, g.Trust)
		s.opts = append(s.opts, option{kind: optCoalJoin, group: gi, u: u})
	}
}

// choose draws an option by multinomial logit over utility changes at the
// run's temperature; at temperature 0 it takes the best (the first on a tie).
func (s *Sim) choose() int {
	best := 0
	for k := 1; k < len(s.opts); k++ {
		if s.opts[k].u > s.opts[best].u {
			best = k
		}
	}
	tau := s.p.Temperature
	if tau == 0 || len(s.opts) == 1 {
		return best
	}
	ub := s.opts[best].u
	sum := 0.0
	for k := range s.opts {
		w := math.Exp((s.opts[k].u - ub) / tau)
		s.opts[k].w = w
		sum += w
	}
	r := s.rng.Float64() * sum
	for k := range s.opts {
		r -= s.opts[k].w
		if r < 0 {
			return k
		}
	}
	return best
}

// act carries out i's chosen option, asking for consent where it deepens
// commitment.
func (s *Sim) act(i int, o option) {
	p := &s.p
	switch o.kind {
	case optNothing:
	case optNewTie:
		j := o.j
		if s.tieDelta(j, i, o.form, None, o.form, o.level, o.donor, p.InitialTrust) <= 0 {
			s.emit(Event{Kind: TieRejected, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level})
			return
		}
		s.addTie(i, j, o.form, o.level, o.donor)
		s.applyTieChange(i, j, o.form, None, o.form, o.level)
		s.emit(Event{Kind: TieFormed, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level})
	case optDeepen, optReform, optLower, optAbandon:
		t := &s.ties[o.tie]
		j := o.j
		deepens := o.level > t.Level || (o.form == Alliance && t.Form != Alliance)
		if deepens && s.tieDelta(j, i, t.Form, t.Level, o.form, o.level, t.Donor, t.Trust) <= 0 {
			s.emit(Event{Kind: TieRejected, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level})
			return
		}
		f0, l0 := t.Form, t.Level
		s.applyTieChange(i, j, f0, l0, o.form, o.level)
		kind := TieDeepened
		switch o.kind {
		case optReform:
			kind = TieReformed
		case optLower:
			kind = TieLowered
		case optAbandon:
			kind = TieAbandoned
		}
		e := Event{Kind: kind, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level, Age: t.Age}
		if o.kind == optAbandon {
			e.Level = l0
			s.rep[i] = math.Max(0, s.rep[i]-p.ReputationLoss*t.Trust*l0.Frac())
			s.removeTie(o.tie)
		} else {
			t.Form, t.Level = o.form, o.level
		}
		s.emit(e)
	case optPropose:
		s.propose(i, o.issue)
	case optJoin, optCoalJoin:
		g := &s.groups[o.group]
		class := s.groupClass(g)
		consent := true // coalitions are open (see coalitions)
		if g.Kind != CoalitionGroup {
			for _, m := range g.Members {
				a0 := s.others(g, m)
				a1 := s.plus(a0, i)
				if s.groupDelta(m, g.Kind, class, g.Level, &a0, g.Level, &a1, g.Trust) <= 0 {
					consent = false
					break
				}
			}
		}
		if !consent {
			s.emit(Event{Kind: GroupRejected, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
			return
		}
		s.groupJoin(o.group, i)
		s.emit(Event{Kind: GroupJoined, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
	case optGroupDeepen:
		g := &s.groups[o.group]
		class := s.groupClass(g)
		for _, m := range g.Members {
			if m == i {
				continue
			}
			if a := s.others(g, m); s.groupDelta(m, g.Kind, class, g.Level, &a, g.Level+1, &a, g.Trust) <= 0 {
				s.emit(Event{Kind: GroupRejected, Actor: i, Other: m, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
				return
			}
		}
		g.Level++
		s.invalidate()
		s.emit(Event{Kind: GroupDeepened, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
	case optLeave, optCoalLeave:
		g := &s.groups[o.group]
		s.rep[i] = math.Max(0, s.rep[i]-0.5*p.ReputationLoss*g.Trust*g.Level.Frac())
		s.groupLeave(o.group, i)
		s.emit(Event{Kind: GroupLeft, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Age: g.Age, Size: len(g.Members), Issue: g.Issue})
		min := 3
		if g.Kind == CoalitionGroup {
			min = 2
		}
		if len(g.Members) < min {
			s.dissolve(o.group)
		}
	}
}

// propose asks i's proposal partners (in s.tmp) to form a minilateral group
// on the issue; those whose utility rejects it drop out, and the group forms
// if at least three remain who all still consent.
func (s *Sim) propose(i int, issue Issue) {
	p := &s.p
	class := issue.Class()
	mem := s.tmp
	for pass := 0; pass < 3; pass++ {
		kept := mem[:1]
		for _, m := range mem[1:] {
			if a := s.aggOf(mem, m); s.groupDelta(m, Minilateral, class, None, nil, Nominal, &a, p.InitialTrust) > 0 {
				kept = append(kept, m)
			}
		}
		if len(kept) == len(mem) {
			break
		}
		mem = kept
		if len(mem) < 3 {
			break
		}
	}
	if len(mem) < 3 {
		s.emit(Event{Kind: GroupRejected, Actor: i, Other: -1, Group: -1, Level: Nominal, Size: len(s.tmp), Issue: issue})
		return
	}
	gi := s.addGroup(Minilateral, issue, -1, -1, Nominal, mem)
	g := &s.groups[gi]
	s.emit(Event{Kind: GroupFormed, Actor: i, Other: -1, Group: g.ID, Level: Nominal, Size: len(g.Members), Issue: issue})
}
