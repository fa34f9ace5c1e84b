package sim

import (
	"math"
	"math/rand/v2"
)

// Choice and consent (docs/MODEL.md, "Choice and consent"): on an
// opportunity an actor weighs doing nothing, new ties with k sampled
// candidates, changes to up to k of its ties, minilateral groups,
// coalitions, accession to and withdrawal from organisations, and picks one
// by a multinomial logit over the change in its utility. Anything that
// deepens another party's commitment needs its consent, itself a binary
// logit at the same temperature (as in actor-oriented models).

// option is one thing an actor may do on an opportunity.
type option struct {
	kind  ChoiceKind
	j     int // partner, or organisation (accession, withdrawal)
	tie   int // tie slot
	group int // group slot
	form  Form
	level Level
	donor int
	issue Issue
	about int // a proposed group's threat, -1
	t     terms
	u     float64
	w     float64 // logit weight, set by choose
}

// SetController lets c take the decisions of the actors it controls (nil:
// none). See Controller.
func (s *Sim) SetController(c Controller) { s.ctrl = c }

// SetRecorder calls f with every decision of every step, options, terms,
// probabilities and consent included (nil: off). Recording costs time;
// it is off by default. The Decision passed is reused: copy what you keep.
func (s *Sim) SetRecorder(f func(*Decision)) { s.recorder = f }

func (s *Sim) controlled(i int) bool { return s.ctrl != nil && s.ctrl.Controls(i) }

// allianceAllowed reports whether i and j may hold a bilateral alliance:
// only states pledge mutual defence to one another. An organisation's
// mutual defence is its membership: a state in its region accedes; its
// ties with others (within its region or beyond) are dialogue,
// cooperation and assistance (source 004).
func (s *Sim) allianceAllowed(i, j int) bool { return s.state[i] && s.state[j] }

// canDonate reports whether i has an assistance budget to offer from
// (informal groups have no budget of their own).
func (s *Sim) canDonate(i int) bool { return s.budget[i] > 0 && s.w.Actors[i].Kind != Informal }

// mayAssist reports whether i can offer j support: i has a budget and more
// resources than j. Security force assistance trains, advises and equips a
// partner's forces (source 003) and flows from the capable donor to its
// recipient (004's donor-recipient logic); a donor's standing with a
// partner at least as strong is nil (influence), so such an offer could
// only be drawn by chance. Support already flowing the other way (a
// scenario's tie) is kept.
func (s *Sim) mayAssist(i, j int) bool { return s.canDonate(i) && s.resources(i) > s.resources(j) }

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
		if ai := s.adjP[i]; len(ai) > 0 && s.rng.Float64() < s.p.ClosureBias {
			m := ai[s.rng.IntN(len(ai))]
			if am := s.adjP[m]; len(am) > 0 {
				j = int(am[s.rng.IntN(len(am))])
			}
		} else if same := s.regions[s.region[i]]; len(same) > 1 && s.rng.Float64() < s.p.RegionBias {
			j = same[s.rng.IntN(len(same))]
		} else {
			j = s.rng.IntN(s.n - 1)
			if j >= i {
				j++
			}
		}
		if j < 0 || j == i || s.hot[j].flags&hotPresent == 0 { // (present[j], in j's hot line)
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

// Agendas: what an opportunity is about. Commitments (alliances and
// membership of organisations) and partnerships (cooperation, assistance,
// minilateral groups and coalitions) come up at their own rates, as the
// networks of a multiplex actor-oriented model do; an alarm or a
// controller's turn puts everything on the agenda.
const (
	agendaAll uint8 = iota
	agendaCommitment
	agendaPartnership
)

// onAgenda reports whether option o belongs to the current agenda.
func (s *Sim) onAgenda(o *option) bool {
	if s.agenda == agendaAll || o.kind == ChooseNothing {
		return true
	}
	commitment := false
	switch o.kind {
	case ChooseAccede, ChooseWithdraw:
		commitment = true
	case ChooseNewTie, ChooseDeepen, ChooseLower, ChooseAbandon, ChooseReform:
		commitment = o.form == Alliance
		if o.tie >= 0 && s.ties[o.tie].Form == Alliance {
			commitment = true
		}
	}
	return commitment == (s.agenda == agendaCommitment)
}

// wants reports whether an option of this kind and form, on tie slot tie
// (-1: none), is on the current agenda: asked before its terms are
// computed, since an option off the agenda is never weighed.
func (s *Sim) wants(kind ChoiceKind, f Form, tie int) bool {
	o := option{kind: kind, form: f, tie: tie}
	return s.onAgenda(&o)
}

// addTieOption adds the option of kind on i's tie with j in slot tie (-1:
// a new one) going from s0 to st, its terms worked out in place rather
// than returned and copied twice (an option is some 170 bytes, and a step
// weighs tens of thousands). The caller has asked wants with the same
// kind, form and slot: it is on the agenda (addOpt's test).
func (s *Sim) addTieOption(kind ChoiceKind, pr *pair, tie int, s0, st tieState, trust float64) {
	s.opts = append(s.opts, option{kind: kind, j: pr.j, tie: tie, group: -1, form: st.f, level: st.l, donor: st.donor, about: -1})
	o := &s.opts[len(s.opts)-1]
	s.tieTermsTo(&o.t, pr, s0, st, trust)
	o.u = o.t.sum()
}

func (s *Sim) addOpt(o *option) {
	if !s.onAgenda(o) {
		return
	}
	o.u = o.t.sum()
	s.opts = append(s.opts, *o)
}

// buildOptions fills s.opts with what actor i weighs on an opportunity.
func (s *Sim) buildOptions(i int) {
	p := &s.p
	k := int(p.Candidates)
	s.opts = append(s.opts[:0], option{kind: ChooseNothing, j: -1, tie: -1, group: -1, donor: -1, about: -1})
	s.sampleCandidates(i, k)
	informal := s.w.Actors[i].Kind == Informal
	s.candVal = s.candVal[:0]
	// new ties
	wantCoop := s.wants(ChooseNewTie, Cooperation, -1)
	wantAid := s.canDonate(i) && s.wants(ChooseOfferAssistance, Assistance, -1)
	wantAlliance := s.wants(ChooseNewTie, Alliance, -1)
	for _, j := range s.cands {
		s.candVal = append(s.candVal, math.NaN())
		if s.isMember(i, j) {
			continue
		}
		if _, tied := s.tieSlot(i, j); tied {
			continue
		}
		ally := wantAlliance && !informal && s.w.Actors[j].Kind != Informal && s.allianceAllowed(i, j)
		if !wantCoop && !wantAid && !ally {
			continue
		}
		pr := s.pairOf(i, j)
		none := tieState{f: Cooperation, l: None, donor: -1}
		if wantCoop {
			s.addTieOption(ChooseNewTie, &pr, -1, none, tieState{f: Cooperation, l: Nominal, donor: -1}, p.InitialTrust)
			s.candVal[len(s.candVal)-1] = s.opts[len(s.opts)-1].u
		}
		if wantAid && s.mayAssist(i, j) {
			s.addTieOption(ChooseOfferAssistance, &pr, -1, none, tieState{f: Assistance, l: Nominal, donor: i}, p.InitialTrust)
		}
		if ally {
			s.addTieOption(ChooseNewTie, &pr, -1, none, tieState{f: Alliance, l: Nominal, donor: -1}, p.InitialTrust)
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
			j := int(s.adjP[i][(start+c)%m]) // (the partner without the tie: reprotect)
			if !s.present[j] {
				continue
			}
			t := &s.ties[ti]
			// the pair's terms once, when an option on the agenda first
			// needs them (on one agenda often none does)
			var pr pair
			paired := false
			cur := tieState{f: t.Form, l: t.Level, donor: t.Donor, age: t.Age}
			add := func(kind ChoiceKind, st tieState) {
				if !s.wants(kind, st.f, ti) {
					return
				}
				if !paired {
					pr, paired = s.pairOf(i, j), true
				}
				s.addTieOption(kind, &pr, ti, cur, st, t.Trust)
			}
			if t.Level < Advanced {
				add(ChooseDeepen, tieState{f: t.Form, l: t.Level + 1, donor: t.Donor, age: t.Age})
			}
			if t.Level > Nominal {
				add(ChooseLower, tieState{f: t.Form, l: t.Level - 1, donor: t.Donor, age: t.Age})
			}
			// a donor's support rides on the tie whatever its form: it
			// continues when the tie changes form and ends only when the
			// donor ends it (or the tie)
			switch t.Form {
			case Cooperation:
				if !informal && s.allianceAllowed(i, j) && s.w.Actors[j].Kind != Informal {
					add(ChooseReform, tieState{f: Alliance, l: t.Level, donor: t.Donor, age: t.Age})
				}
			case Alliance:
				add(ChooseReform, tieState{f: Cooperation, l: t.Level, donor: t.Donor, age: t.Age})
			case Assistance:
				add(ChooseReform, tieState{f: Cooperation, l: t.Level, donor: t.Donor, age: t.Age})
				if !informal && s.allianceAllowed(i, j) {
					add(ChooseReform, tieState{f: Alliance, l: t.Level, donor: t.Donor, age: t.Age})
				}
			}
			if t.Form != Assistance {
				switch {
				case t.Donor < 0 && s.mayAssist(i, j):
					add(ChooseOfferAssistance, tieState{f: t.Form, l: t.Level, donor: i, age: t.Age})
				case t.Donor == i:
					add(ChooseEndSupport, tieState{f: t.Form, l: t.Level, donor: -1, age: t.Age})
				}
			}
			add(ChooseAbandon, tieState{f: t.Form, l: None, donor: t.Donor, age: t.Age})
		}
	}
	if s.state[i] {
		s.groupOptions(i)
		if s.wants(ChooseAccede, Cooperation, -1) {
			s.accessionOptions(i)
		}
	}
	if s.wants(ChooseJoinCoalition, Coalition, -1) {
		s.coalitionOptions(i)
	}
}

// bearsOnCommitments reports whether others read an option, once taken,
// as evidence of how its actor keeps its commitments: what it does with a
// tie, membership or group it has, and a new binding commitment. A new
// cooperation tie, an offer of assistance or a group convened says nothing
// about whether it honours what it has promised (reputation for
// reliability is the record of honouring or breaking commitments:
// Crescenzi, Kathman, Kleinberg & Wood 2012; Miller 2012).
func (o *option) bearsOnCommitments() bool {
	switch o.kind {
	case ChooseNothing, ChooseProposeGroup, ChooseJoinGroup, ChooseJoinCoalition:
		return false
	case ChooseNewTie:
		return o.form == Alliance
	case ChooseOfferAssistance:
		return o.tie >= 0
	}
	return true
}

// opportunity lets actor i weigh its options on an agenda and act on the
// one it picks.
func (s *Sim) opportunity(i int, agenda uint8) {
	s.agenda = agenda
	s.buildOptions(i)
	c := s.choose()
	model := c
	external := false
	rec := s.recorder != nil
	if s.controlled(i) || rec {
		s.probabilities()
	}
	if s.controlled(i) {
		choices := s.choiceList(i, nil)
		if pick, ok := s.ctrl.Decide(i, choices, model); ok {
			idx := s.matchOption(i, pick)
			if idx < 0 {
				idx = s.addChoice(i, pick)
			}
			if idx >= 0 {
				c, external = idx, true
			}
		}
	}
	if rec {
		d := &s.dec
		d.Step, d.Actor = s.t, i
		d.Options = s.choiceList(i, d.Options[:0])
		d.Chosen, d.Model, d.External = c, model, external
		d.Consent = d.Consent[:0]
		d.Done = false
	}
	s.severity = 0
	done := s.act(i, s.opts[c])
	if (done && s.opts[c].bearsOnCommitments()) || s.severity > 0 {
		// others see what it does with its commitments, not what it
		// leaves undone, what others refused it, nor its new partnerships
		s.observe(i, s.severity)
	}
	if rec {
		s.dec.Done = done
		s.recorder(&s.dec)
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

// probabilities sets each option's logit weight to its probability.
func (s *Sim) probabilities() {
	tau := s.p.Temperature
	best := 0
	for k := 1; k < len(s.opts); k++ {
		if s.opts[k].u > s.opts[best].u {
			best = k
		}
	}
	if tau == 0 {
		for k := range s.opts {
			s.opts[k].w = 0
		}
		s.opts[best].w = 1
		return
	}
	sum := 0.0
	for k := range s.opts {
		s.opts[k].w = math.Exp((s.opts[k].u - s.opts[best].u) / tau)
		sum += s.opts[k].w
	}
	for k := range s.opts {
		s.opts[k].w /= sum
	}
}

// consentProb is the probability an actor consents to a change worth d to it.
func (s *Sim) consentProb(d float64) float64 {
	tau := s.p.Temperature
	if tau == 0 {
		if d > 0 {
			return 1
		}
		return 0
	}
	return 1 / (1 + math.Exp(-d/tau))
}

// decide draws a consent with probability consentProb(d), or asks the
// controller when it controls the actor; it records the verdict.
func (s *Sim) decide(actor int, t terms, proposal *option, proposer int) bool {
	d := t.sum()
	pr := s.consentProb(d)
	var ok bool
	switch {
	case pr >= 1:
		ok = true
	case pr <= 0:
		ok = false
	default:
		ok = s.rng.Float64() < pr
	}
	v := Verdict{Actor: actor, Delta: d, Terms: t, Prob: pr, Accepted: ok}
	if s.controlled(actor) {
		var c Choice
		if proposal != nil {
			c = s.choiceOf(proposer, proposal)
		} else {
			c = s.consentSubject
			c.Actor = proposer
		}
		ok = s.ctrl.Consent(actor, c, v)
		v.Accepted = ok
	}
	if s.recorder != nil {
		s.dec.Consent = append(s.dec.Consent, v)
	}
	return ok
}

// orgConsent is an organisation's consent to a change of its tie with j:
// its members' capability-weighted view, or every member's for a
// consensus charter.
func (s *Sim) orgConsent(o, j int, s0, s1 tieState, trust float64, proposal *option, proposer int) bool {
	pr := s.pairOf(o, j)
	t := s.tieTerms(&pr, s0, s1, trust)
	if s0.l != None {
		// turning down a partner's request is seen, as for a state
		t[TermReputation] += s.p.AbandonPenalty * trust * requested(s, s0, s1)
	}
	if !s.w.Actors[o].Consensus || len(s.members[o]) == 0 {
		return s.decide(o, t, proposal, proposer)
	}
	// consensus: each member judges the change with its own view of the partner
	for _, m := range s.members[o] {
		if !s.present[m.actor] || m.actor == j {
			continue
		}
		mt := t
		frac1, frac0 := s1.l.Frac(), s0.l.Frac()
		sim := 2*s.Similarity(m.actor, j) - 1
		riv := s.rivalryOf(m.actor, j)
		mt[TermSimilarity] = (frac1 - frac0) * s.p.SimilarityWeight * sim
		mt[TermRivalry] = (frac1 - frac0) * s.p.RivalryWeight * riv
		if !s.decide(m.actor, mt, proposal, proposer) {
			return false
		}
	}
	return true
}

// consentTie asks j to consent to i's proposed change of their tie.
// Turning down an existing partner's request to deepen is seen (observe):
// j weighs that as it weighs abandoning the part of the tie it would
// refuse (abandon_penalty x trust x the commitment requested).
func (s *Sim) consentTie(i, j int, s0, s1 tieState, trust float64, o *option) bool {
	if s.isOrg[j] && len(s.members[j]) > 0 {
		return s.orgConsent(j, i, s0, s1, trust, o, i)
	}
	pr := s.pairOf(j, i)
	t := s.tieTerms(&pr, s0, s1, trust)
	if s0.l != None {
		t[TermReputation] += s.p.AbandonPenalty * trust * requested(s, s0, s1)
	}
	return s.decide(j, t, o, i)
}

// requested is the increase in commitment a change of tie asks for: the
// level gained plus the commitment a more binding form adds, in [0, 1].
func requested(s *Sim, s0, s1 tieState) float64 {
	c0, _ := s.commit(s0.f)
	c1, _ := s.commit(s1.f)
	return min(1, max(0, s1.l.Frac()-s0.l.Frac())+max(0, c1-c0))
}

// act carries out i's chosen option, asking for consent where it deepens
// another party's commitment. It reports whether the option was carried out.
func (s *Sim) act(i int, o option) bool {
	p := &s.p
	switch o.kind {
	case ChooseNothing:
		return true
	case ChooseNewTie, ChooseOfferAssistance:
		j := o.j
		if o.tie < 0 {
			none := tieState{f: o.form, l: None, donor: o.donor}
			if !s.consentTie(i, j, none, tieState{f: o.form, l: o.level, donor: o.donor}, p.InitialTrust, &o) {
				s.emit(Event{Kind: TieRejected, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level})
				return false
			}
			s.addTie(i, j, o.form, o.level, o.donor)
			s.emit(Event{Kind: TieFormed, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level})
			s.reprotect(i)
			s.reprotect(j)
			return true
		}
		fallthrough
	case ChooseDeepen, ChooseReform, ChooseLower, ChooseAbandon, ChooseEndSupport:
		t := &s.ties[o.tie]
		j := o.j
		cur := tieState{f: t.Form, l: t.Level, donor: t.Donor, age: t.Age}
		next := tieState{f: o.form, l: o.level, donor: o.donor, age: t.Age}
		if s.consentNeeded(cur, next) {
			ok := s.consentTie(i, j, cur, next, t.Trust, &o)
			// a partner's answer to a request to deepen is seen: turning it
			// down shows as much unreliability as the commitment refused
			sev := 0.0
			if !ok {
				sev = t.Trust * requested(s, cur, next)
			}
			s.observe(j, sev)
			if !ok {
				s.emit(Event{Kind: TieRejected, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level})
				return false
			}
		}
		l0 := t.Level
		kind := TieDeepened
		switch o.kind {
		case ChooseReform:
			kind = TieReformed
		case ChooseOfferAssistance:
			kind = TieReformed
			if o.form == t.Form {
				kind = SupportStarted
			}
		case ChooseEndSupport:
			kind = SupportEnded
		case ChooseLower:
			kind = TieLowered
		case ChooseAbandon:
			kind = TieAbandoned
		}
		e := Event{Kind: kind, Actor: i, Other: j, Group: -1, Form: o.form, Level: o.level, Age: t.Age}
		// abandoning, lowering, re-forming to a less binding form and ending
		// support are seen as abandoning the part of the commitment given
		// up, which i weighed (givenUp)
		s.severity = t.Trust * s.givenUp(i, cur, next)
		switch o.kind {
		case ChooseAbandon:
			e.Level = l0
			s.removeTie(o.tie)
		case ChooseEndSupport:
			t.Donor = -1
		default:
			t.Form, t.Level, t.Donor = o.form, o.level, o.donor
		}
		s.emit(e)
		s.reprotect(i)
		s.reprotect(j)
		return true
	case ChooseProposeGroup:
		return s.propose(i, o.issue, o.about, &o)
	case ChooseJoinGroup, ChooseJoinCoalition:
		return s.join(i, o.group, &o)
	case ChooseDeepenGroup:
		return s.deepenGroup(i, o.group, &o)
	case ChooseLeaveGroup, ChooseLeaveCoalition:
		s.leave(i, o.group)
		return true
	case ChooseAccede:
		return s.apply(i, o.j, &o)
	case ChooseWithdraw:
		s.withdraw(i, o.j)
		return true
	}
	return false
}

// ---- the choices API ----------------------------------------------------

// choiceOf turns an option of actor i into a Choice.
func (s *Sim) choiceOf(i int, o *option) Choice {
	c := Choice{Kind: o.kind, Actor: i, Partner: o.j, Group: -1, Form: o.form, Level: o.level, Issue: o.issue,
		Delta: o.u, Terms: o.t, Prob: o.w}
	if o.group >= 0 && o.group < len(s.groups) {
		c.Group = s.groups[o.group].ID
	}
	return c
}

// choiceList appends the current options of actor i as Choices.
func (s *Sim) choiceList(i int, out []Choice) []Choice {
	for k := range s.opts {
		out = append(out, s.choiceOf(i, &s.opts[k]))
	}
	return out
}

// addChoice adds to the current options the option that c describes when
// the step's sampling did not offer it (a choice taken from Sim.Choices,
// whose candidates come from another stream) and it is feasible now; it
// returns its index, or -1.
func (s *Sim) addChoice(i int, c Choice) int {
	p := &s.p
	j := c.Partner
	n := len(s.opts)
	switch c.Kind {
	case ChooseNewTie:
		if j < 0 || j >= s.n || j == i || !s.present[j] || s.isMember(i, j) {
			return -1
		}
		if _, tied := s.tieSlot(i, j); tied {
			return -1
		}
		if c.Form == Alliance && !s.allianceAllowed(i, j) || c.Form != Alliance && c.Form != Cooperation {
			return -1
		}
		pr := s.pairOf(i, j)
		s.addOpt(&option{kind: ChooseNewTie, j: j, tie: -1, group: -1, form: c.Form, level: Nominal, donor: -1, about: -1,
			t: s.tieTerms(&pr, tieState{f: c.Form, l: None, donor: -1}, tieState{f: c.Form, l: Nominal, donor: -1}, p.InitialTrust)})
	case ChooseDeepen, ChooseLower, ChooseReform, ChooseAbandon, ChooseOfferAssistance, ChooseEndSupport:
		if j < 0 || j >= s.n || j == i || !s.present[j] {
			return -1
		}
		k, tied := s.tieSlot(i, j)
		if !tied && c.Kind == ChooseOfferAssistance {
			// an offer to a partner without a tie: a new assistance tie, as
			// the step's own options make it
			if !s.mayAssist(i, j) || s.isMember(i, j) || c.Form != Assistance || c.Level != Nominal {
				return -1
			}
			pr := s.pairOf(i, j)
			s.addOpt(&option{kind: ChooseOfferAssistance, j: j, tie: -1, group: -1, form: Assistance, level: Nominal, donor: i, about: -1,
				t: s.tieTerms(&pr, tieState{f: Cooperation, l: None, donor: -1}, tieState{f: Assistance, l: Nominal, donor: i}, p.InitialTrust)})
			break
		}
		if !tied {
			return -1
		}
		t := &s.ties[k]
		cur := tieState{f: t.Form, l: t.Level, donor: t.Donor, age: t.Age}
		next := tieState{f: c.Form, l: c.Level, donor: t.Donor, age: t.Age}
		switch c.Kind {
		case ChooseDeepen:
			if t.Level >= Advanced || c.Level != t.Level+1 || c.Form != t.Form {
				return -1
			}
		case ChooseLower:
			if t.Level <= Nominal || c.Level != t.Level-1 || c.Form != t.Form {
				return -1
			}
		case ChooseAbandon:
			next = tieState{f: t.Form, l: None, donor: t.Donor, age: t.Age}
		case ChooseReform:
			ok := (t.Form == Cooperation && c.Form == Alliance && s.allianceAllowed(i, j)) ||
				(t.Form == Alliance && c.Form == Cooperation) || (t.Form == Assistance && c.Form == Cooperation) ||
				(t.Form == Assistance && c.Form == Alliance && s.allianceAllowed(i, j))
			if !ok || c.Level != t.Level {
				return -1
			}
			next = tieState{f: c.Form, l: t.Level, donor: t.Donor, age: t.Age}
		case ChooseOfferAssistance:
			if t.Form == Assistance || t.Donor >= 0 || !s.mayAssist(i, j) || c.Level != t.Level || c.Form != t.Form {
				return -1
			}
			next = tieState{f: t.Form, l: t.Level, donor: i, age: t.Age}
		case ChooseEndSupport:
			if t.Form == Assistance || t.Donor != i || c.Level != t.Level || c.Form != t.Form {
				return -1
			}
			next = tieState{f: t.Form, l: t.Level, donor: -1, age: t.Age}
		}
		pr := s.pairOf(i, j)
		s.addOpt(&option{kind: c.Kind, j: j, tie: k, group: -1, form: next.f, level: next.l, donor: next.donor, about: -1,
			t: s.tieTerms(&pr, cur, next, t.Trust)})
	case ChooseAccede:
		o := j
		if o < 0 || o >= s.n || !s.state[i] || !s.isOrg[o] || !s.present[o] || s.isMemberOf(i, o) || s.pendingApp(i, o) >= 0 ||
			s.w.Actors[o].Kind == Informal || !s.mayApply(i, o) {
			return -1
		}
		s.addOpt(&option{kind: ChooseAccede, j: o, tie: -1, group: -1, donor: -1, level: None, about: -1, t: s.joinTerms(i, o, false, 0)})
	case ChooseWithdraw:
		o := j
		if o < 0 || o >= s.n {
			return -1
		}
		since, ok := s.memberSince(o, i)
		if !ok || !s.present[o] {
			return -1
		}
		s.addOpt(&option{kind: ChooseWithdraw, j: o, tie: -1, group: -1, donor: -1, level: None, about: -1, t: s.joinTerms(i, o, true, since)})
	default:
		// group and coalition choices depend on the step's candidates and
		// windows; they are taken only when the step offers them
		return -1
	}
	if len(s.opts) == n {
		return -1
	}
	s.opts[n].w = 0
	return n
}

// addChoice runs with everything on the agenda: a controller's turn is a
// full opportunity (see Step).

// NeedsConsent reports whether carrying out c asks another party's
// consent, by act's rule: the other side's commitment grows (a new tie or
// group, a deeper level, a more binding form, a flow it would take on, an
// accession). Re-forming a tie to a less binding form, lowering, leaving
// and ending support are unilateral, and coalitions are open.
func (s *Sim) NeedsConsent(c Choice) bool {
	switch c.Kind {
	case ChooseNewTie, ChooseProposeGroup, ChooseJoinGroup, ChooseDeepenGroup, ChooseOfferAssistance, ChooseAccede:
		return true // (a new tie, group or flow, or an accession)
	case ChooseDeepen, ChooseReform:
		t, ok := s.TieBetween(c.Actor, c.Partner)
		if !ok {
			return false
		}
		return s.consentNeeded(tieState{f: t.Form, l: t.Level, donor: t.Donor}, tieState{f: c.Form, l: c.Level, donor: t.Donor})
	}
	return false
}

// consentNeeded is act's rule for a change of a tie from s0 to s1: the
// other side's commitment grows (a higher level, a more binding form, or a
// flow it would take on).
func (s *Sim) consentNeeded(s0, s1 tieState) bool {
	c0, _ := s.commit(s0.f)
	c1, _ := s.commit(s1.f)
	return s1.l > s0.l || (s1.l != None && (c1 > c0 || (s1.donor >= 0 && s1.donor != s0.donor)))
}

// matchOption finds the current option that c describes, or -1.
func (s *Sim) matchOption(i int, c Choice) int {
	for k := range s.opts {
		o := &s.opts[k]
		g := -1
		if o.group >= 0 && o.group < len(s.groups) {
			g = s.groups[o.group].ID
		}
		if o.kind == c.Kind && o.j == c.Partner && g == c.Group && o.form == c.Form && o.level == c.Level &&
			(o.kind != ChooseProposeGroup || o.issue == c.Issue) {
			return k
		}
	}
	return -1
}

// Choices returns the options actor i would weigh if it had an opportunity
// now, each with its change in utility by term and its logit probability.
// Candidates are drawn from a stream seeded by seed, separate from the
// run's: calling Choices never changes a run.
func (s *Sim) Choices(i int, seed uint64) []Choice {
	if i < 0 || i >= s.n || !s.present[i] {
		return nil
	}
	saved, savedOpts, savedAgenda := s.rng, s.opts, s.agenda
	s.rng = rand.New(rand.NewPCG(seed, uint64(i)+0x9e3779b97f4a7c15))
	s.opts = nil
	s.agenda = agendaAll
	s.buildOptions(i)
	s.probabilities()
	out := s.choiceList(i, nil)
	s.rng, s.opts, s.agenda = saved, savedOpts, savedAgenda
	return out
}

// WhatIf returns what a change of actor i's tie with j to form f at level
// l (None: no tie) would be worth to i now, by term: the view i takes when
// it proposes the change or is asked to consent to it. Organisations take
// their members' view. It does not change the run.
func (s *Sim) WhatIf(i, j int, f Form, l Level) Choice {
	c := Choice{Kind: ChooseNewTie, Actor: i, Partner: j, Group: -1, Form: f, Level: l}
	if i < 0 || j < 0 || i >= s.n || j >= s.n || i == j {
		return c
	}
	cur := tieState{f: f, l: None, donor: -1}
	trust := s.p.InitialTrust
	if k, ok := s.tieSlot(i, j); ok {
		t := &s.ties[k]
		cur = tieState{f: t.Form, l: t.Level, donor: t.Donor, age: t.Age}
		trust = t.Trust
		c.Kind = ChooseReform
	}
	next := tieState{f: f, l: l, donor: -1, age: cur.age}
	if cur.l != None && flows(f) {
		// a donor's support rides on the tie whatever its form (the step's
		// re-form options keep it)
		next.donor = cur.donor
	}
	pr := s.pairOf(i, j)
	t := s.tieTerms(&pr, cur, next, trust)
	c.Terms, c.Delta = t, t.sum()
	return c
}

// DescribeChoice puts a choice into plain words, e.g. "propose an alliance
// with NATO" or "apply to join NATO".
func (s *Sim) DescribeChoice(c Choice) string {
	o := s.actorName(c.Partner)
	art := func(f Form) string {
		if f == Alliance || f == Assistance {
			return "an " + f.String()
		}
		return "a " + f.String() + " tie"
	}
	switch c.Kind {
	case ChooseNothing:
		return "do nothing"
	case ChooseNewTie:
		return "propose " + art(c.Form) + " with " + o
	case ChooseDeepen:
		return "deepen the " + c.Form.String() + " with " + o + " to " + c.Level.String()
	case ChooseLower:
		return "lower the " + c.Form.String() + " with " + o + " to " + c.Level.String()
	case ChooseReform:
		return "turn the tie with " + o + " into " + art(c.Form)
	case ChooseAbandon:
		return "abandon the " + c.Form.String() + " with " + o
	case ChooseOfferAssistance:
		if c.Form != Assistance {
			return "offer support to " + o + " on the " + c.Form.String()
		}
		return "offer security assistance to " + o
	case ChooseEndSupport:
		return "end the support to " + o + " (keep the " + c.Form.String() + ")"
	case ChooseProposeGroup:
		return "convene a " + c.Issue.String() + " group"
	case ChooseJoinGroup:
		return "join " + s.groupLabel(c.Group)
	case ChooseDeepenGroup:
		return "deepen " + s.groupLabel(c.Group) + " to " + c.Level.String()
	case ChooseLeaveGroup, ChooseLeaveCoalition:
		return "leave " + s.groupLabel(c.Group)
	case ChooseJoinCoalition:
		if c.Group < 0 {
			return "join a coalition against the " + c.Issue.String() + " threat"
		}
		return "join the " + s.groupLabel(c.Group)
	case ChooseAccede:
		return "apply to join " + o
	case ChooseWithdraw:
		return "withdraw from " + o
	}
	return c.Kind.String()
}

func (s *Sim) actorName(i int) string {
	if i < 0 || i >= len(s.w.Actors) {
		return "?"
	}
	if n := s.w.Actors[i].Name; n != "" {
		return n
	}
	return s.w.Actors[i].ID
}
