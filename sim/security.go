package sim

import (
	"math"
	"slices"
)

// Protection and security (docs/MODEL.md, 7.2): what each actor perceives
// (its threats, accommodation of a source it is tied to) and how it is
// protected against each threat (own capability, memberships, interim
// assurances, ties and groups), the commitment and credibility of each form,
// and the concave security value of a change of protection.

// commit is the commitment of a form against the conventional and
// transnational threat classes, relative to an advanced alliance.
func (s *Sim) commit(f Form) (conv, trans float64) {
	switch f {
	case Alliance:
		return 1, 0.5
	case Cooperation:
		return s.p.CooperationCommit, 0.5
	case Coalition:
		return s.p.CoalitionCommit, s.p.CoalitionCommit
	}
	return 0, 0 // assistance protects through the capability it transfers
}

func (s *Sim) commitFor(f Form, c ThreatClass) float64 {
	cc, ct := s.commit(f)
	if c == Transnational {
		return ct
	}
	return cc
}

// credibility of a commitment against a state threat: H / (H + horizon),
// H the years the commitment is expected to last. A lasting commitment
// (alliance, cooperation, membership, minilateral) expects the treaty term
// plus the years it has lasted: old ties are credible. A coalition lasts as
// long as its threat, so an adversary can wait it out: its H is only the
// patience after the threat recedes (sources 001, 003). Against
// transnational threats there is no adversary to deter: 1.
func (s *Sim) credibility(c ThreatClass, years float64) float64 {
	h := s.p.DeterrenceHorizon
	if c == Transnational || h == 0 {
		return 1
	}
	return years / (years + h)
}

func (s *Sim) lastingCred(c ThreatClass, ageSteps int) float64 {
	return s.credibility(c, s.p.TreatyTerm+float64(ageSteps)*s.dt)
}

func (s *Sim) coalitionCred(c ThreatClass) float64 {
	return s.credibility(c, s.p.CoalitionPatience)
}

// refresh recomputes every derived quantity from the current structure and
// the profiles at step s.t.
func (s *Sim) refresh() {
	s.dirty = false
	w, p := s.w, &s.p
	s.retPol = s.political()
	s.retMil = w.Military.At(s.t)
	if !math.IsNaN(s.ovMil) {
		s.retMil = s.ovMil
	}
	for k := range w.Threats {
		v := w.Threats[k].Intensity.At(s.t)
		if ov := s.ovIntensity[k]; !math.IsNaN(ov) {
			v = ov
		} else if p.Escalation > 0 && w.Threats[k].Source >= 0 && s.baseBound != nil {
			v = min(1, v*(1+p.Escalation*s.alignmentAgainst(k)))
		}
		s.intensity[k] = v
	}
	// capability, presence and reliability: every actor that is not an
	// organisation with members first, then the organisations from their
	// members (founding members before the organisations they found, in
	// s.order; a member that joined later is already current)
	for _, o := range s.order {
		i := int(o)
		s.hot[i].presence = 1
		if s.patron[i] {
			s.hot[i].presence = 1 - s.retMil // the military umbrella: forces present
		}
		if !s.pooled(i) {
			s.hot[i].effCap = s.capN[i] + s.assisted[i]
			s.hot[i].rel = s.rep[i]
		}
	}
	for _, o := range s.order {
		i := int(o)
		if !s.pooled(i) {
			continue
		}
		sumCap, sumRel := 0.0, 0.0
		for _, m := range s.members[i] {
			if !s.present[m.actor] {
				continue
			}
			c := s.hot[m.actor].effCap * s.hot[m.actor].presence
			sumCap += c
			sumRel += c * s.hot[m.actor].rel
		}
		s.hot[i].effCap = sumCap + s.assisted[i]
		s.orgRep[i] = s.rep[i]
		r := s.rep[i]
		if sumCap > 0 {
			r *= sumRel / sumCap
		}
		s.hot[i].rel = r
		s.orgPool[i] = pool{sumCap, sumRel}
	}
	s.allPresent = !slices.Contains(s.present, false)
	for i := 0; i < s.n; i++ {
		d := float64(s.Degree(i))
		s.hot[i].hub = 0.5*s.hot[i].econN + 0.5*d/(d+hubK)
		s.res[i] = min(1, 0.5*(min(1, s.hot[i].effCap)+s.hot[i].econN))
		s.threat[i] = 0
	}
	for k := range s.groups {
		g := &s.groups[k]
		if g.alive {
			g.agg = s.aggOf(g.Members, -1)
		}
	}
	s.clearLog() // (every actor's protection is recomputed)
	for i := 0; i < s.n; i++ {
		s.reprotect(i)
	}
}

// rethreat is refresh when only the threats' intensities moved since the
// last one (no escalation, retrenchment, composition, regime, parameter
// or aid profile change): they enter the perceived threats alone, so each
// actor's entries get their threat as reprotect computes it, and the
// rest of the state (capability, reliability, pools, protection) is what
// refresh would compute again from the same inputs.
func (s *Sim) rethreat() {
	for k := range s.w.Threats {
		v := s.w.Threats[k].Intensity.At(s.t)
		if ov := s.ovIntensity[k]; !math.IsNaN(ov) {
			v = ov
		}
		s.intensity[k] = v
	}
	for i := 0; i < s.n; i++ {
		s.threat[i] = 0
		if !s.present[i] {
			continue // (reprotect has set its entries to nothing)
		}
		for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
			x := &s.te[e]
			if x.k < 0 {
				continue // (the background need: base_need, unchanged)
			}
			v := s.perceived(i, x)
			x.T = v
			if x.class == Conventional {
				s.hot[i].convT = v
			}
			s.threat[i] += v
		}
	}
}

// perceived is the threat actor i feels from entry x (a threat, not the
// background need): the threat's intensity times i's exposure, less what
// accommodating its source buys (accommodation times the level of i's tie
// with the source).
func (s *Sim) perceived(i int, x *threatEntry) float64 {
	v := s.intensity[x.k] * x.e
	if x.src >= 0 {
		if t, ok := s.TieBetween(i, x.src); ok {
			v *= 1 - s.p.Accommodation*t.Level.Frac()
		}
	}
	return v
}

// pooled reports whether actor i's capability and reliability come from
// its members' (an organisation with members, or founded with them).
func (s *Sim) pooled(i int) bool {
	return s.isOrg[i] && (len(s.w.Actors[i].Members) > 0 || len(s.members[i]) > 0)
}

// reprotect recomputes actor i's perceived threats and its protection
// against each from the current structure: own capability, memberships,
// ties and groups. Within a step it is called for the actors a change of
// structure touches; refresh calls it for every actor.
func (s *Sim) reprotect(i int) {
	p := &s.p
	lo, hi := s.teOff[i], s.teOff[i+1]
	s.threat[i] = 0
	s.dep[i] = 0
	// (current: what groups' changes have logged is in what follows, its
	// shares of its groups' protection held anew)
	s.synced[i] = int32(len(s.glog))
	s.held[i] = s.held[i][:0]
	if !s.present[i] {
		for e := lo; e < hi; e++ {
			s.te[e].T, s.te[e].P, s.te[e].eP = 0, 0, 1
		}
		s.hot[i].convT = 0
		return
	}
	self := p.SelfHelp * s.hot[i].effCap
	for e := lo; e < hi; e++ {
		x := &s.te[e]
		x.P = self
		if x.k < 0 {
			x.T = p.BaseNeed
			continue
		}
		if x.src >= 0 && s.srcHeld[i] {
			// (what the source sustains of i's force does not count against it)
			x.P = p.SelfHelp * max(0, s.hot[i].effCap-s.aidFrom(i, x.src))
		}
		v := s.perceived(i, x)
		x.T = v
		if x.class == Conventional {
			s.hot[i].convT = v // (gap: nConv is 1 where it reads it)
		}
		s.threat[i] += v
	}
	for _, o := range s.memberOf[i] {
		if !s.present[o] {
			continue
		}
		for e := lo; e < hi; e++ {
			s.te[e].P += s.memberContrib(i, o, &s.te[e])
		}
	}
	// an applicant is protected in the interim by the members that have
	// ratified its accession (their assurances)
	for k := range s.apps {
		if s.nApps[i] == 0 {
			break
		}
		a := &s.apps[k]
		if a.applicant != i || !s.present[a.org] {
			continue
		}
		sum := s.ratifiedShare(a)
		for e := lo; e < hi; e++ {
			s.te[e].P += s.assuranceContrib(a, sum, &s.te[e])
		}
	}
	// the partner from adjP, not the tie: at large N both the tie and
	// the partner's hot record are cache misses, and with j known first
	// the two loads overlap instead of the second waiting on the first
	pi := s.adjP[i]
	for x, k := range s.adj[i] {
		j := int(pi[x])
		if s.hot[j].flags&hotPresent == 0 { // (present[j], in the line read next)
			continue
		}
		t := &s.ties[k]
		var m deliverMemo
		in, pj, rel := s.inputOf(tieState{f: t.Form, l: t.Level, age: t.Age}), s.partnerCapOf(j), s.reliabilityTo(i, j)
		for e := lo; e < hi; e++ {
			x := &s.te[e]
			c := m.of(in.of(p.Protection*pj.against(x), x.class), rel)
			s.te[e].P += c
			if e == lo && s.hot[j].flags&hotPatron != 0 {
				s.dep[i] += c
			}
		}
	}
	if partners := s.te[lo].P - self; partners > 0 {
		s.dep[i] = min(1, s.dep[i]/partners)
	}
	for _, gi := range s.inGroups[i] {
		g := &s.groups[gi]
		a := s.othersOf(g, i)
		for e := lo; e < hi; e++ {
			c := s.groupContrib(i, g.Kind, g.Level, g.Age, g.About, &a, &s.te[e])
			s.te[e].P += c
			s.gc[e-lo] = c
		}
		// its shares as the group's next change takes them back (settle):
		// one for each threat the group is about that i feels
		for _, k := range g.About {
			if e := s.feels(i, k); e >= 0 {
				s.held[i] = append(s.held[i], heldShare{int32(gi), int32(e), s.gc[e-int(lo)]})
			}
		}
	}
	for e := lo; e < hi; e++ {
		s.te[e].eP = math.Exp(-s.te[e].P)
	}
}

func clamp01(v float64) float64 { return max(0, min(1, v)) }

// forEntries calls f with each of i's threat entries.
func (s *Sim) forEntries(i int, f func(x *threatEntry)) {
	for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
		f(&s.te[e])
	}
}

// capFor is the capability partner j brings against threat entry x: its
// capability present, less that of x's source when j is the source or
// counts it among its members (an alliance with the SCO does not protect
// Finland from Russia), and less what x's source sustains of j's force
// (aidFrom).
func (s *Sim) capFor(x *threatEntry, j int) float64 {
	if x.src == j {
		return 0
	}
	c := s.hot[j].effCap * s.hot[j].presence
	if x.src >= 0 && s.isOrg[j] && s.present[x.src] && s.isMemberOf(x.src, j) {
		c -= s.hot[x.src].effCap * s.hot[x.src].presence
	}
	if x.src >= 0 && s.srcHeld[j] {
		c -= s.aidFrom(j, x.src) * s.hot[j].presence
	}
	return max(0, c)
}

// partnerCap is capFor(·, j) for one j, what it reads of j looked up once
// (a walk over an actor's threat entries asks it for each).
type partnerCap struct {
	s    *Sim
	j    int
	c    float64 // j's capability present
	plus float64 // max(0, c): against any entry but its own and, for an organisation, a member's
	slow bool    // an organisation, or holding assistance from a source or an organisation
}

func (s *Sim) partnerCapOf(j int) partnerCap {
	c := s.hot[j].effCap * s.hot[j].presence
	return partnerCap{s: s, j: j, c: c, plus: max(0, c), slow: s.hot[j].flags&hotSlow != 0}
}

// against is capFor(x, j), the same value by the same steps (the common
// case, an entry whose source is not j and j neither an organisation nor
// holding assistance from a source, inline).
func (p *partnerCap) against(x *threatEntry) float64 {
	if x.src == p.j {
		return 0
	}
	if !p.slow || x.src < 0 {
		return p.plus
	}
	return p.member(x.src)
}

// member is capFor against a threat whose source is src for an
// organisation j (less the source's capability while it is a present
// member) or a j holding assistance (less what src sustains of it).
func (p *partnerCap) member(src int) float64 {
	s, c := p.s, p.c
	if s.isOrg[p.j] && s.present[src] && s.isMemberOf(src, p.j) {
		c -= s.hot[src].effCap * s.hot[src].presence
	}
	if s.srcHeld[p.j] {
		c -= s.aidFrom(p.j, src) * s.hot[p.j].presence
	}
	return max(0, c)
}

// tieContrib is the protection i draws against x from a tie with j.
func (s *Sim) tieContrib(i, j int, f Form, l Level, ageSteps int, x *threatEntry) float64 {
	return deliver(s.tieInput(j, f, l, ageSteps, x), s.reliabilityTo(i, j))
}

// tieInput is what partner j would bring against x through a tie of form f
// at level l and age ageSteps if it came to one's defence: the argument of
// deliver in tieContrib.
func (s *Sim) tieInput(j int, f Form, l Level, ageSteps int, x *threatEntry) float64 {
	if l == None {
		return 0
	}
	c := s.commitFor(f, x.class)
	if c == 0 {
		return 0
	}
	return s.p.Protection * s.capFor(x, j) * c * s.lastingCred(x.class, ageSteps) * l.Frac()
}

// tieInputs is tieInput for one side of a tie change, its form's
// commitment and its age's credibility worked out once for both classes
// of threat instead of for each threat entry: of(pc, class) is
// tieInput(j, f, l, age, x) for pc = protection · capFor(x, j), the same
// value (the same products in the same order).
type tieInputs struct {
	on      bool       // a tie (level above None)
	c, cred [2]float64 // state threats (and the background need), transnational ones
	frac    float64
}

func (s *Sim) inputOf(st tieState) tieInputs {
	if st.l == None {
		return tieInputs{}
	}
	conv, trans := s.commit(st.f)
	return tieInputs{on: true, c: [2]float64{conv, trans},
		cred: [2]float64{s.lastingCred(Conventional, st.age), s.lastingCred(Transnational, st.age)}, frac: st.l.Frac()}
}

func (t *tieInputs) of(pc float64, class ThreatClass) float64 {
	k := 0
	if class == Transnational {
		k = 1
	}
	// (no tie, or a form that does not commit against the class: a
	// commitment of 0 makes the product 0, pc being finite and >= 0, so no
	// branch on it)
	return pc * t.c[k] * t.cred[k] * t.frac
}

// deliverMemo remembers the last deliver(c, r) for one partner (r fixed):
// most of an actor's threat entries ask a partner for the same c (same
// class, a source that is neither the partner nor one of its members), and
// log1p and expm1 are the step's dearest calls. Same values as deliver.
type deliverMemo struct {
	c, r, d float64
	ok      bool
}

func (m *deliverMemo) of(c, r float64) float64 {
	if m.ok && c == m.c && r == m.r {
		return m.d
	}
	return m.compute(c, r)
}

func (m *deliverMemo) compute(c, r float64) float64 {
	m.c, m.r, m.d, m.ok = c, r, deliver(c, r), true
	return m.d
}

// deliverMemo2 is a two-slot deliverMemo for loops that alternate two
// arguments (a change of pool: with and without a member).
type deliverMemo2 struct {
	m    [2]deliverMemo
	next int
}

func (m *deliverMemo2) of(c, r float64) float64 {
	for k := range m.m {
		if x := &m.m[k]; x.ok && x.c == c && x.r == r {
			return x.d
		}
	}
	x := &m.m[m.next]
	m.next ^= 1
	return x.of(c, r)
}

// deliver is the protection a partner that would bring c if it came to
// one's defence brings when it does so with probability r (its
// reliability): −log(1 − r·(1 − e^{−c})), so that security, −need·e^{−P},
// is the expected value over whether each partner delivers (independent
// partners multiply). A reliable partner brings c; an unreliable one, however
// strong, at most −log(1 − r): doubt about a patron makes other, independent
// protectors worth more (hedging, source 002).
func deliver(c, r float64) float64 {
	if c <= 0 || r <= 0 {
		return 0
	}
	if r >= 1 {
		return c
	}
	return -math.Log1p(-r * -math.Expm1(-c))
}

// pool is the capability present of a set of protectors (members of an
// organisation or a group) and its sum weighted by their reliability.
type pool struct{ cap, capRel float64 }

func (a pool) plus(b pool) pool { return pool{a.cap + b.cap, a.capRel + b.capRel} }

func (a pool) minus(b pool) pool { return pool{a.cap - b.cap, a.capRel - b.capRel} }

// reliability of the pool: its capability-weighted reliability.
func (a pool) reliability() float64 {
	if a.cap <= 0 {
		return 0
	}
	return min(1, a.capRel/a.cap)
}

// shareOf is what actor m puts into a membership pool.
func (s *Sim) shareOf(m int) pool {
	c := s.hot[m].effCap * s.hot[m].presence
	return pool{c, c * s.hot[m].rel}
}

// groupShareOf is what actor m puts into a minilateral's or a coalition's
// pool: its share, but for an organisation with members only its own
// forces (ownForces): its members' capability enters a group through the
// members that are in it, so the same forces are not pooled twice and a
// member outside the group is not pooled at all (001: a coalition pools
// its members' capabilities).
func (s *Sim) groupShareOf(m int) pool {
	c := s.ownForces(m) * s.hot[m].presence
	return pool{c, c * s.hot[m].rel}
}

// ownForces is actor m's effective capability less what its members
// bring (an organisation with members holds only its assisted capability).
func (s *Sim) ownForces(m int) float64 {
	if s.pooled(m) {
		return s.assisted[m]
	}
	return s.hot[m].effCap
}

// memberContrib is the protection member i draws against x from its
// membership of o: o's commitment times the other members' capability
// present (less a source's among them), times the credibility of an
// institution of o's age, delivered with the members' reliability.
func (s *Sim) memberContrib(i, o int, x *threatEntry) float64 {
	others := s.orgPool[o]
	if s.present[i] && s.isMemberOf(i, o) {
		others = others.minus(s.shareOf(i))
	}
	return s.membershipProtection(o, others, x)
}

// membershipProtection is what o's other members' pool brings against x,
// less a source among them.
func (s *Sim) membershipProtection(o int, others pool, x *threatEntry) float64 {
	if s.w.Actors[o].Commitment == 0 {
		return 0
	}
	if x.src >= 0 && s.isMemberOf(x.src, o) && s.present[x.src] {
		others = others.minus(s.shareOf(x.src))
	}
	return s.poolProtection(o, others, x)
}

// poolProtection is what a pool of o's members (its source, if it is one
// of them, already taken out) brings against x through o: o's commitment
// times the pool's capability, the credibility of an institution of o's
// age, delivered with the pool's reliability.
func (s *Sim) poolProtection(o int, others pool, x *threatEntry) float64 {
	com := s.w.Actors[o].Commitment
	if com == 0 {
		return 0
	}
	if others.cap <= 1e-15 {
		return 0
	}
	c := s.p.Protection * com * others.cap * s.credibility(x.class, s.p.TreatyTerm+s.orgYears[o])
	return s.memo.of(c, others.reliability()*s.orgRep[o])
}

// ratifiedShare is the pool of the members that have ratified
// application a.
func (s *Sim) ratifiedShare(a *application) pool {
	var sum pool
	for _, m := range a.ratified {
		if s.present[m] && s.isMemberOf(m, a.org) {
			sum = sum.plus(s.shareOf(m))
		}
	}
	return sum
}

// assuranceContrib is the interim protection an applicant draws against x
// from the members that have ratified its accession: what membership of
// their part of the organisation would bring.
func (s *Sim) assuranceContrib(a *application, sum pool, x *threatEntry) float64 {
	if sum.cap == 0 {
		return 0
	}
	// the source's share is in the pool only if it has ratified (and is a
	// present member: ratifiedShare)
	if x.src >= 0 && slices.Contains(a.ratified, x.src) && s.present[x.src] && s.isMemberOf(x.src, a.org) {
		sum = sum.minus(s.shareOf(x.src))
	}
	return s.poolProtection(a.org, sum, x)
}

// groupContrib is the protection member i draws against x from a group
// whose other members sum to a: only against the threats it is about.
func (s *Sim) groupContrib(i int, kind GroupKind, l Level, ageSteps int, about []int, a *agg, x *threatEntry) float64 {
	if l == None || a.n < 1 || x.k < 0 {
		return 0
	}
	in := false
	for _, k := range about {
		if k == x.k {
			in = true
			break
		}
	}
	if !in {
		return 0
	}
	others := pool{a.cap, a.capRel}
	if x.src >= 0 && a.hasSrc(x.src) {
		others = others.minus(s.groupShareOf(x.src))
	}
	if others.cap <= 1e-15 {
		return 0
	}
	if kind == CoalitionGroup {
		return deliver(s.p.Protection*s.p.CoalitionCommit*others.cap*s.coalitionCred(x.class), others.reliability())
	}
	return deliver(s.p.Protection*s.p.GroupCommit*l.Frac()*others.cap*s.lastingCred(x.class, ageSteps), others.reliability())
}

// secDelta is the change in i's security utility when the protection and
// perceived threat of its entries change by s.dP and s.dT.
func (s *Sim) secDelta(i int) float64 {
	s.settle(i)
	d := 0.0
	base := int(s.teOff[i])
	lastDp, lastE := 0.0, 1.0 // exp(−dp) of the last dp (entries mostly share it)
	for e := base; e < int(s.teOff[i+1]); e++ {
		x := &s.te[e]
		dp, dt := s.dP[e-base], s.dT[e-base]
		if dp == 0 && dt == 0 {
			continue
		}
		if dp != lastDp {
			lastDp, lastE = dp, math.Exp(-dp)
		}
		ep := expP(x)
		d += x.T*ep - (x.T+dt)*ep*lastE
	}
	return d
}

// secDeltaQ is secDelta for changes of protection given as the factors
// by which they multiply each entry's exp(−P), s.qP (1: no change), as
// tieTerms works them out (exposureMemo): the same value up to rounding,
// without an exp for each change.
func (s *Sim) secDeltaQ(i int) float64 {
	s.settle(i)
	d := 0.0
	tes := s.te[s.teOff[i]:s.teOff[i+1]]
	qs, dts := s.qP[:len(tes)], s.dT[:len(tes)]
	for e := range tes {
		// (an entry without change, q 1 and dt 0, adds exactly 0: summed
		// without a branch on it, which the data makes unpredictable)
		x := &tes[e]
		ep := expP(x)
		d += x.T*ep - (x.T+dts[e])*ep*qs[e]
	}
	return d
}

// exposureMemo is deliverMemo for exp(−deliver(c, r)) = 1 − r·(1 − e^{−c}),
// the factor by which a partner's protection multiplies one's exposure
// exp(−P): one expm1 instead of deliver's expm1 and log1p and the exp
// secDelta takes of it.
type exposureMemo struct {
	c, r, q float64
	ok      bool
}

func (m *exposureMemo) of(c, r float64) float64 {
	if m.ok && c == m.c && r == m.r {
		return m.q
	}
	return m.compute(c, r)
}

func (m *exposureMemo) compute(c, r float64) float64 {
	q := 1.0
	if c > 0 && r > 0 {
		q = 1 + min(r, 1)*math.Expm1(-c)
	}
	m.c, m.r, m.q, m.ok = c, r, q, true
	return q
}

// pendingEP marks an entry's exp(−P) as to be computed when next read
// (expP): a group's change moves its members' protection (settle), and
// an entry's protection may move several times before it is read. A NaN:
// no exp(−P) of a number is one.
var pendingEP = math.NaN()

// expP is entry x's exp(−P), computed first if a group's change left it
// pending (the same value: P has not moved since).
func expP(x *threatEntry) float64 {
	if ep := x.eP; ep == ep {
		return ep
	}
	x.eP = math.Exp(-x.P)
	return x.eP
}

// clearD zeroes the scratch changes for i's entries.
func (s *Sim) clearD(i int) {
	m := int(s.teOff[i+1] - s.teOff[i])
	clear(s.dP[:m])
	clear(s.dT[:m])
}

// marginalSecurity is the security value of one more unit of protection
// against every threat i feels (the derivative of the security utility).
func (s *Sim) marginalSecurity(i int) float64 {
	s.settle(i)
	v := 0.0
	for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
		v += s.te[e].T * math.Exp(-s.te[e].P)
	}
	return v
}

// feels returns the index into s.te of actor i's entry for threat k, or -1
// when i is not exposed to it (entries are in threat order after the
// background need).
func (s *Sim) feels(i, k int) int {
	if s.teIdx != nil {
		if k < 0 {
			return -1
		}
		return int(s.teIdx[i*len(s.w.Threats)+k])
	}
	lo, hi := int(s.teOff[i])+1, int(s.teOff[i+1])
	if hi-lo <= 8 {
		for e := lo; e < hi; e++ {
			if s.te[e].k >= k {
				if s.te[e].k == k {
					return e
				}
				return -1
			}
		}
		return -1
	}
	for lo < hi {
		m := (lo + hi) / 2
		if s.te[m].k < k {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < int(s.teOff[i+1]) && s.te[lo].k == k {
		return lo
	}
	return -1
}

// PerceivedThreatOf is actor i's perceived threat from threat k this step.
func (s *Sim) PerceivedThreatOf(i, k int) float64 {
	for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
		if s.te[e].k == k {
			return s.te[e].T
		}
	}
	return 0
}
