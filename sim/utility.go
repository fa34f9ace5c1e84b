package sim

import "math"

// The utility an actor i draws from its ties, memberships and groups
// (docs/MODEL.md, "Utility"). Every change an option makes is computed term
// by term (a terms value) and the terms sum to the change in utility:
//
//	security    Σ_threats T·e^{-P} − (T+ΔT)·e^{-(P+ΔP)}     concave in protection
//	economy     frac · w_e · hub_j                            source 000
//	similarity  frac · w_s · (2·sim_ij − 1)                   source 001
//	trust       frac · w_t · trust                            source 003
//	influence   frac · w_i · ((1+bind)·infl_ij + 2·lev_ij)    source 004
//	autonomy    −frac · w_a · aut_i · bind(form)              source 003
//	upkeep      −w_u · level (groups: and coordination); −creation_cost · formality once when a tie, group membership or accession forms
//	reputation  −w_ab · trust · frac when leaving             source 003
//	rivalry     frac · w_r · (−E_ij − Σ_k E_ik·A_jk + Σ_k E_ik·E_jk)   002, Warren 2010
//	entrapment  −frac · w_en · commit · Σ threats of j not felt by i   source 002
//	lock-in     −w_l · (1 − e^{−age/lock_time}) · level given up   source 003
//
// Protection P against a threat is own capability plus what partners bring:
// capability present × reliability × the form's commitment × its
// credibility × level. Security is concave in protection, so a partner is
// worth more when others protect i less: that is what makes hedging pay when
// a patron's reliability erodes (002), and binding alliances worth their
// autonomy cost only under a major threat.

// terms is a change in utility split by term.
type terms [NumTerms]float64

func (t *terms) sum() float64 {
	s := 0.0
	for _, v := range t {
		s += v
	}
	return s
}

func (t *terms) add(o *terms) {
	for k := range t {
		t[k] += o[k]
	}
}

func (t *terms) sub(o *terms) {
	for k := range t {
		t[k] -= o[k]
	}
}

// bindingness of a form for the autonomy cost, relative to an alliance.
func bind(f Form, recipient bool) float64 {
	switch f {
	case Alliance:
		return 1
	case Cooperation:
		return 0.1
	case Coalition:
		return 0.3
	case Assistance:
		if recipient {
			return 0.3 // interest misalignment with the provider (source 003)
		}
	}
	return 0
}

// formality of a form, relative to an alliance's treaty: the share of the
// creation cost its making costs. An alliance is a treaty negotiated and
// ratified (formality 1); a coalition is an agreed plan of action with
// forces pledged for its term (0.3, its bindingness); a cooperation or
// assistance tie is a non-binding arrangement between governments, and a
// minilateral group a forum on narrow, optional terms (0.1). Informal
// agreements are chosen because they are quicker and cheaper to make, with
// no ratification (Lipson 1991, "Why are some international agreements
// informal?"; source 002: minilaterals on "narrow and optional" terms). An
// accession to an organisation is a treaty (formality 1).
func formality(f Form) float64 {
	switch f {
	case Alliance:
		return 1
	case Coalition:
		return formalCoalition
	}
	return formalMinilateral
}

const (
	formalMinilateral = bindMinilateral // a forum's or a non-binding tie's making
	formalCoalition   = bindCoalition   // an agreed plan with forces pledged for its term
	bindMinilateral   = 0.1             // narrow, optional terms (source 002)
	bindCoalition     = 0.3
	hubK              = 10                // degree at which half the network part of hub value is reached
	memberLevel       = Institutionalised // membership upkeep counts as an institutionalised tie
)

// upkeepUnits is the upkeep of a tie at level l in units of upkeep_cost:
// 1 + 2 + ... + l, so each level costs more than the one below it
// (posts and regular meetings, then joint policy and allocated resources:
// source 004's levels), and a tie settles where the marginal level no
// longer pays.
func upkeepUnits(l Level) float64 { return float64(l) * float64(l+1) / 2 }

// resources is what makes an actor a hub and a donor: economic weight
// plus effective capability, both normalised.
func (s *Sim) resources(i int) float64 { return s.hot[i].econN + s.hot[i].effCap }

// influence is i's standing over a weaker partner j, in [0, 1): the share of
// their joint resources by which i exceeds j (0 when j is at least as strong).
func (s *Sim) influence(i, j int) float64 {
	ri, rj := s.resources(i), s.resources(j)
	if ri <= rj {
		return 0
	}
	return (ri - rj) / (ri + rj)
}

// leverage is the threat i, as a source, exerts on j (before
// accommodation): what a tie with j lets i trade on.
func (s *Sim) leverage(i, j int) float64 {
	v := 0.0
	for _, k := range s.sourceOf[i] {
		if e := s.feels(j, k); e >= 0 {
			v += s.intensity[k] * s.te[e].e
		}
	}
	return v
}

// autonomyOf is i's effective autonomy preference: a patron's grows with its
// political retrenchment (the political umbrella is its will to commit).
func (s *Sim) autonomyOf(i int) float64 {
	a := s.autonomy[i]
	if s.patron[i] {
		a += (1 - a) * s.retPol
	}
	return a
}

// pair holds what i's utility of a tie with j depends on besides the form,
// level, flow and trust, computed once per pair and opportunity.
type pair struct {
	i, j   int
	hub    float64 // j's hub position
	sim    float64 // 2·sim − 1 (organisations: members' view)
	riv    float64 // signed-network value per level
	infl   float64 // influence over j
	lev    float64 // leverage over j as a threat's source
	gap    float64 // threats of j that i does not feel
	aut    float64 // i's autonomy preference
	source bool    // j is the source of some threat i feels
}

func (s *Sim) pairOf(i, j int) pair {
	sim, riv := s.relational(i, j)
	pr := pair{
		i: i, j: j,
		hub: s.hot[j].hub, sim: sim, riv: riv,
		infl: s.influence(i, j),
		lev:  s.leverage(i, j),
		gap:  s.gap(i, j),
		aut:  s.autonomyOf(i),
	}
	for _, k := range s.sourceOf[j] {
		if s.feels(i, k) >= 0 {
			pr.source = true
			break
		}
	}
	return pr
}

// tieState is one side of a tie change: form, level, donor and age.
type tieState struct {
	f     Form
	l     Level
	donor int
	age   int
}

// linear adds i's terms of a tie in state st that are linear in it
// (everything but security), with sign +1 or -1.
func (s *Sim) linear(out *terms, pr *pair, st tieState, trust float64, sign float64) {
	if st.l == None {
		return
	}
	p := &s.p
	frac := st.l.Frac()
	i := pr.i
	b := bind(st.f, false)
	out[TermEconomy] += sign * frac * p.EconomicWeight * pr.hub
	out[TermSimilarity] += sign * frac * p.SimilarityWeight * pr.sim
	out[TermTrust] += sign * frac * p.TrustWeight * trust
	infl := (1+b)*pr.infl + 2*pr.lev
	out[TermInfluence] += sign * frac * p.InfluenceWeight * infl
	out[TermAutonomy] -= sign * frac * p.AutonomyWeight * pr.aut * bind(st.f, st.donor >= 0 && st.donor != i)
	out[TermUpkeep] -= sign * (p.TieCost + p.UpkeepCost*upkeepUnits(st.l))
	out[TermRivalry] += sign * frac * p.RivalryWeight * pr.riv
	if c, _ := s.commit(st.f); c > 0 {
		out[TermEntrapment] -= sign * frac * p.EntrapmentWeight * c * pr.gap
	}
}

// tieTerms is the change in i's utility, by term, when its tie with j goes
// from s0 to s1 (level None: no tie), given the tie's trust.
func (s *Sim) tieTerms(pr *pair, s0, s1 tieState, trust float64) terms {
	var out terms
	s.tieTermsTo(&out, pr, s0, s1, trust)
	return out
}

// tieTermsTo is tieTerms written into out, which is zero (an option's
// own terms, filled in place: addTieOption).
func (s *Sim) tieTermsTo(out *terms, pr *pair, s0, s1 tieState, trust float64) {
	i, j := pr.i, pr.j
	base, end := int(s.teOff[i]), int(s.teOff[i+1])
	clear(s.dT[:end-base])
	q := s.qP[:end-base]
	if s0.f != s1.f || s0.l != s1.l || s0.age != s1.age {
		// (the same form, level and age protect alike: no change)
		var m0, m1 exposureMemo
		r := s.reliabilityTo(i, j)
		in0, in1 := s.inputOf(s0), s.inputOf(s1)
		tes := s.te[base:end]
		q = q[:len(tes)]
		prot := s.p.Protection
		pj := s.partnerCapOf(j)
		if in0.on {
			for e := range tes {
				x := &tes[e]
				pc := prot * pj.against(x)
				q[e] = m1.of(in1.of(pc, x.class), r) / m0.of(in0.of(pc, x.class), r)
			}
		} else {
			// (a new tie: the same loop without the old side's factor)
			for e := range tes {
				x := &tes[e]
				q[e] = m1.of(in1.of(prot*pj.against(x), x.class), r)
			}
		}
	} else {
		for e := range q {
			q[e] = 1
		}
	}
	if pr.source && s0.l != s1.l {
		// accommodation: a tie with the source lowers its threats
		for _, k := range s.sourceOf[j] {
			if e := s.feels(i, k); e >= 0 {
				x := &s.te[e]
				s.dT[e-base] = s.intensity[x.k] * x.e * s.p.Accommodation * (s0.l.Frac() - s1.l.Frac())
			}
		}
	}
	// a recipient values the capability a flow will build (its steady state)
	// (not against a threat whose source j is or belongs to: aidCounts)
	if a0, a1 := s.assistGain(i, j, s0), s.assistGain(i, j, s1); a1 != a0 {
		f := math.Exp(-s.p.SelfHelp * (a1 - a0))
		if len(s.sourceOf[j]) == 0 && !s.isOrg[j] {
			for e := range q {
				q[e] *= f
			}
		} else {
			tes := s.te[base:end]
			for e := range q {
				if s.aidCounts(j, tes[e].src) {
					q[e] *= f
				}
			}
		}
	}
	out[TermSecurity] = s.secDeltaQ(i)
	s.linear(out, pr, s1, trust, 1)
	s.linear(out, pr, s0, trust, -1)
	if (s0.donor == i && flows(s0.f)) || (s1.donor == i && flows(s1.f)) {
		out[TermInfluence] += s.standingDelta(i, j, s0, s1)
	}
	out[TermReputation] -= s.p.AbandonPenalty * trust * s.givenUp(i, s0, s1)
	out[TermUmbrella] = s.umbrellaStake(i, j, s0, s1)
	if creates(s0, s1) {
		out[TermUpkeep] -= s.p.CreationCost * formality(s1.f)
	}
	out[TermLockin] = -s.p.LockinWeight * s.lockin(s0.age) * max(0, s0.l.Frac()-s1.l.Frac())
}

// givenUp is the part of a tie's commitment that i gives up when the tie
// goes from s0 to s1, in units of level: all of it when the tie ends, the
// levels dropped when it is lowered, the commitment dropped at its level
// when it is re-formed to a less binding form (frac·(c0 − c1)), and half
// its level when i, its donor, ends its support on it. Others read i's
// decision as abandoning that much (severity trust·givenUp, observe), and
// i weighs the same reputation cost when it decides (abandon_penalty ·
// trust · givenUp): one rule for what is seen and what is weighed (7.3,
// 7.9). It is 0 for a change that gives nothing up.
func (s *Sim) givenUp(i int, s0, s1 tieState) float64 {
	if s0.l == None {
		return 0
	}
	f0 := s0.l.Frac()
	if s1.l == None {
		return f0
	}
	g := max(0, f0-s1.l.Frac())
	if s0.f != s1.f {
		c0, _ := s.commit(s0.f)
		c1, _ := s.commit(s1.f)
		g += s1.l.Frac() * max(0, c0-c1)
	}
	if s0.donor == i && s1.donor != i {
		g += f0 / 2
	}
	return g
}

// groupGivenUp is givenUp for leaving a group or coalition: half its level
// (the group goes on without the one who leaves).
func groupGivenUp(g *Group) float64 { return 0.5 * g.Level.Frac() }

// creates reports whether a tie going from s0 to s1 is a new agreement to
// negotiate and ratify: a tie where there was none, or an alliance where
// there was a lesser form (creation_cost).
func creates(s0, s1 tieState) bool {
	return s1.l != None && (s0.l == None || (s1.f == Alliance && s0.f != Alliance))
}

// tieDelta is the change in i's utility when its tie with j goes from s0 to s1.
func (s *Sim) tieDelta(i, j int, s0, s1 tieState, trust float64) float64 {
	pr := s.pairOf(i, j)
	t := s.tieTerms(&pr, s0, s1, trust)
	return t.sum()
}

// aggOf sums the members' contributions, leaving out excl (-1: none).
func (s *Sim) aggOf(members []int, excl int) agg { return s.aggInto(members, excl, nil) }

// aggInto is aggOf with its list of threat sources built in buf's array
// (for a hypothetical sum weighed at once and dropped: the caller reuses
// the array for the next).
func (s *Sim) aggInto(members []int, excl int, buf []int) agg {
	a := agg{excl: -1, extra: -1, srcs: buf[:0]}
	for _, m := range members {
		if m != excl && s.present[m] {
			s.addTo(&a, m, 1)
			s.addSrc(&a, m)
		}
	}
	return a
}

// addTo adds (sign 1) or removes (sign -1) actor m's contribution.
func (s *Sim) addTo(a *agg, m int, sign int) {
	f := float64(sign)
	a.n += sign
	sh := s.groupShareOf(m)
	a.cap += f * sh.cap
	a.capRel += f * sh.capRel
	a.hubs += f * s.hot[m].hub
	for d, v := range s.values[m] {
		a.v[d] += f * v
	}
}

// addSrc and delSrc keep a group's own list of threat sources among its
// members (only groups own one; hypothetical sums use excl and extra).
func (s *Sim) addSrc(a *agg, m int) {
	if len(s.sourceOf[m]) > 0 {
		a.srcs = append(a.srcs, m)
	}
}

func (s *Sim) delSrc(a *agg, m int) {
	if len(s.sourceOf[m]) > 0 {
		a.srcs = removeInt(a.srcs, m)
	}
}

// hasSrc reports whether a threat source is among the summed members.
func (a *agg) hasSrc(src int) bool {
	if src == a.excl {
		return false
	}
	if src == a.extra {
		return true
	}
	for _, x := range a.srcs {
		if x == src {
			return true
		}
	}
	return false
}

// others is the sum over g's members other than i (sharing g's source
// list, without copying it).
func (s *Sim) others(g *Group, i int) agg {
	a := g.agg
	a.excl, a.extra = -1, -1
	if g.Has(i) && s.present[i] {
		s.addTo(&a, i, -1)
		a.excl = i
	}
	return a
}

// othersOf is others(g, m) for a present member m as groupContrib reads
// it: the count, the pool and the sources, without the hub positions and
// values that only a member's linear terms read (a walk over a group's
// members or an actor's groups asks it for each). The same values:
// addTo's x + (−1)·y is x − y exactly.
func (s *Sim) othersOf(g *Group, m int) agg {
	sh := s.groupShareOf(m)
	return agg{n: g.agg.n - 1, cap: g.agg.cap - sh.cap, capRel: g.agg.capRel - sh.capRel, srcs: g.agg.srcs, excl: m, extra: -1}
}

// plus returns a with actor m added (a hypothetical sum: at most one
// actor added).
func (s *Sim) plus(a agg, m int) agg {
	s.addTo(&a, m, 1)
	if m == a.excl {
		a.excl = -1
	} else {
		a.extra = m
	}
	return a
}

// centroidSimilarity is the similarity of i's values to the mean values of
// the group's other members, in [0, 1].
func (s *Sim) centroidSimilarity(i int, a *agg) float64 {
	if s.maxDist == 0 || a.n == 0 {
		return 0.5
	}
	sum := 0.0
	for d, v := range s.values[i] {
		x := v - a.v[d]/float64(a.n)
		sum += x * x
	}
	return 1 - math.Sqrt(sum)/s.maxDist
}

// groupSide is one side of a group change for member i.
type groupSide struct {
	l     Level
	a     *agg // the other members (nil: i not in it)
	age   int  // the group's age in steps (its credibility)
	about []int
	// newcomer marks a side where i has just joined: it has built no
	// lock-in yet (an existing member's is the group's age)
	newcomer bool
}

// groupTerms is the change in i's utility, by term, when a group of the
// given kind and issue goes from g0 to g1.
func (s *Sim) groupTerms(i int, kind GroupKind, issue Issue, g0, g1 groupSide, trust float64) terms {
	var out terms
	s.clearD(i)
	base := int(s.teOff[i])
	for _, side := range [2]struct {
		g    groupSide
		sign float64
	}{{g1, 1}, {g0, -1}} {
		g := side.g
		if g.a == nil || g.l == None || g.a.n < 1 {
			continue
		}
		for e := base; e < int(s.teOff[i+1]); e++ {
			s.dP[e-base] += side.sign * s.groupContrib(i, kind, g.l, g.age, g.about, g.a, &s.te[e])
		}
		s.groupLinear(&out, i, kind, issue, g, trust, side.sign)
	}
	out[TermSecurity] = s.secDelta(i)
	if g0.a != nil && g0.l != None && !g0.newcomer {
		// what leaving or lowering the group gives up of its lock-in
		f1 := 0.0
		if g1.a != nil {
			f1 = g1.l.Frac()
		}
		out[TermLockin] = -s.p.LockinWeight * s.lockin(g0.age) * max(0, g0.l.Frac()-f1)
	}
	if (g0.a == nil || g0.l == None) && g1.a != nil && g1.l != None {
		// joining or founding a group: a forum's making, or a coalition's plan
		f := formalMinilateral
		if kind == CoalitionGroup {
			f = formalCoalition
		}
		out[TermUpkeep] -= s.p.CreationCost * f
	}
	return out
}

// groupLinear adds member i's linear terms of a group side.
func (s *Sim) groupLinear(out *terms, i int, kind GroupKind, issue Issue, g groupSide, trust float64, sign float64) {
	p := &s.p
	frac := g.l.Frac()
	a := g.a
	econ := p.EconomicWeight * a.hubs
	if issue.Class() == Economic {
		econ *= p.EconomicIssueBonus
	}
	b := bindMinilateral
	if kind == CoalitionGroup {
		b = bindCoalition
	}
	out[TermEconomy] += sign * frac * econ
	out[TermSimilarity] += sign * frac * p.SimilarityWeight * (2*s.centroidSimilarity(i, a) - 1)
	out[TermTrust] += sign * frac * p.TrustWeight * trust
	out[TermAutonomy] -= sign * frac * p.AutonomyWeight * s.autonomyOf(i) * b
	out[TermUpkeep] -= sign * (p.TieCost + p.UpkeepCost*p.GroupUpkeep*upkeepUnits(g.l) + p.CoordinationCost*float64(a.n-1)*frac)
}

// groupDelta is groupTerms summed.
func (s *Sim) groupDelta(i int, kind GroupKind, issue Issue, g0, g1 groupSide, trust float64) float64 {
	t := s.groupTerms(i, kind, issue, g0, g1, trust)
	return t.sum()
}

// memberTrust is the trust a membership of ageSteps has built.
func (s *Sim) memberTrust(ageSteps int) float64 {
	g := s.p.TrustGrowth
	years := max(0, float64(ageSteps)*s.dt)
	return 1 - (1-s.p.InitialTrust)*math.Pow(1-g, years)
}

// joinTerms is the change in applicant i's utility, by term, when it joins
// organisation o (sign +1) or, as a member since `since`, leaves it (sign
// −1, with the cost of leaving).
func (s *Sim) joinTerms(i, o int, leaving bool, since int) terms {
	var out terms
	p := &s.p
	s.clearD(i)
	sign := 1.0
	others := s.orgPool[o]
	age := 0
	if leaving {
		sign = -1
		others = others.minus(s.shareOf(i))
		age = s.t - since
	}
	base := int(s.teOff[i])
	for e := base; e < int(s.teOff[i+1]); e++ {
		s.dP[e-base] = sign * s.membershipProtection(o, others, &s.te[e])
	}
	out[TermSecurity] = s.secDelta(i)
	com := s.w.Actors[o].Commitment
	sim, _ := s.relationalOf(i, o, false)
	trust := p.InitialTrust
	if leaving {
		trust = s.memberTrust(age)
	}
	out[TermEconomy] = sign * p.EconomicWeight * s.hot[o].hub
	out[TermSimilarity] = sign * p.SimilarityWeight * sim
	// standing over weaker fellow members, as over a weaker partner
	out[TermInfluence] = sign * p.InfluenceWeight * (1 + com) * s.standingIn(i, o)
	out[TermTrust] = sign * p.TrustWeight * trust
	out[TermAutonomy] = -sign * p.AutonomyWeight * s.autonomyOf(i) * com
	out[TermUpkeep] = -sign * p.UpkeepCost * upkeepUnits(memberLevel)
	// joining pledges i to defend every member: its worst rival inside
	// costs as a binding tie with it would, and so does a member that is
	// the rival of a partner of i's (the core tie, 002: joining with the
	// patron's rival costs with the patron)
	out[TermRivalry] = -sign * p.RivalryWeight * max(com, 0.5) * s.worstInside(i, o)
	out[TermEntrapment] = -sign * p.EntrapmentWeight * com * s.gap(i, o)
	if leaving {
		out[TermLockin] = -p.LockinWeight * s.lockin(age)
		out[TermReputation] = -p.AbandonPenalty * trust * max(com, 0.25)
	} else {
		out[TermUpkeep] -= p.CreationCost // the accession's negotiation and ratification
	}
	return out
}

// worstInside is the worst enmity joining o binds i to: that of a present
// member toward i (E_im), or toward one of i's bilateral partners k times
// how strongly i stands with k through their tie (E_mk·A_ik, the enemy of
// my friend, as rivalryOf's −Σ E_jk·A_ik). Only i's own ties count as its
// friendships here: an alignment through an organisation is the
// organisation's, and a rivalry between two of its members (Greece and
// Turkey in NATO) is not a cost of belonging with either.
func (s *Sim) worstInside(i, o int) float64 {
	rv := 0.0
	for _, x := range s.enemies[i] {
		if s.present[x.j] && s.isMemberOf(x.j, o) {
			rv = max(rv, x.e)
		}
	}
	for _, k := range s.adj[i] {
		t := &s.ties[k]
		f := t.Other(i)
		if !s.present[f] || len(s.enemies[f]) == 0 {
			continue
		}
		a := s.standWith(t)
		if a <= rv {
			continue
		}
		for _, x := range s.enemies[f] {
			if x.j != i && s.present[x.j] && s.isMemberOf(x.j, o) {
				rv = max(rv, x.e*a)
			}
		}
	}
	return rv
}

// standingIn is i's mean influence over the other present members of o.
func (s *Sim) standingIn(i, o int) float64 {
	sum, n := 0.0, 0
	for _, m := range s.members[o] {
		if m.actor != i && s.present[m.actor] {
			sum += s.influence(i, m.actor)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// ratifyTerms is the change in member m's utility, by term, when applicant
// i joins organisation o: i's capability adds to what membership brings m,
// against the threats i may draw m into, a grievance or rivalry between
// them, and how alike they are.
func (s *Sim) ratifyTerms(m, i, o int) terms {
	var out terms
	p := &s.p
	s.clearD(m)
	com := s.w.Actors[o].Commitment
	base := int(s.teOff[m])
	share := s.shareOf(i)
	others := s.orgPool[o].minus(s.shareOf(m))
	for e := base; e < int(s.teOff[m+1]); e++ {
		x := &s.te[e]
		if x.src == i {
			continue
		}
		s.dP[e-base] = s.membershipProtection(o, others.plus(share), x) - s.membershipProtection(o, others, x)
	}
	out[TermSecurity] = s.secDelta(m)
	out[TermSimilarity] = p.SimilarityWeight * com * (2*s.Similarity(m, i) - 1)
	out[TermRivalry] = p.RivalryWeight * max(com, 0.5) * s.rivalryOf(m, i)
	out[TermEntrapment] = -p.EntrapmentWeight * com * s.pactGap(m, i, o)
	return out
}
