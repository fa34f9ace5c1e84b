package sim

import (
	"math"
	"slices"
)

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
//	upkeep      −w_u · level (groups: and coordination); −creation_cost once when a tie, group membership or accession forms
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

const (
	bindMinilateral = 0.1 // narrow, optional terms (source 002)
	bindCoalition   = 0.3
	hubK            = 10                // degree at which half the network part of hub value is reached
	memberLevel     = Institutionalised // membership upkeep counts as an institutionalised tie
)

// upkeepUnits is the upkeep of a tie at level l in units of upkeep_cost:
// 1 + 2 + ... + l, so each level costs more than the one below it
// (posts and regular meetings, then joint policy and allocated resources:
// source 004's levels), and a tie settles where the marginal level no
// longer pays.
func upkeepUnits(l Level) float64 { return float64(l) * float64(l+1) / 2 }

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

// lockin is the share of a tie's full lock-in built after ageSteps.
func (s *Sim) lockin(ageSteps int) float64 {
	if ageSteps <= 0 {
		return 0
	}
	return 1 - math.Exp(-float64(ageSteps)*s.dt/s.p.LockTime)
}

// ---- derived state ------------------------------------------------------

// refresh recomputes every derived quantity from the current structure and
// the profiles at step s.t.
func (s *Sim) refresh() {
	s.dirty = false
	w, p := s.w, &s.p
	pol := w.Political.At(s.t)
	if !math.IsNaN(s.ovPol) {
		pol = s.ovPol
	}
	s.retPol = clamp01(pol + p.Volatility*s.regime)
	if !math.IsNaN(s.ovPol) {
		s.retPol = s.ovPol
	}
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
	// capability, presence and reliability, members before organisations
	for _, o := range s.order {
		i := int(o)
		s.presence[i] = 1
		if s.patron[i] {
			s.presence[i] = 1 - s.retMil // the military umbrella: forces present
		}
		if !s.isOrg[i] || len(s.w.Actors[i].Members) == 0 && len(s.members[i]) == 0 {
			s.effCap[i] = s.capN[i] + s.assisted[i]
			s.rel[i] = s.rep[i]
			continue
		}
		sumCap, sumRel := 0.0, 0.0
		for _, m := range s.members[i] {
			if !s.present[m.actor] {
				continue
			}
			c := s.effCap[m.actor] * s.presence[m.actor]
			sumCap += c
			sumRel += c * s.rel[m.actor]
		}
		s.effCap[i] = sumCap + s.assisted[i]
		s.orgRep[i] = s.rep[i]
		r := s.rep[i]
		if sumCap > 0 {
			r *= sumRel / sumCap
		}
		s.rel[i] = r
		s.orgPool[i] = pool{sumCap, sumRel}
	}
	for i := 0; i < s.n; i++ {
		d := float64(s.deg[i])
		s.hub[i] = 0.5*s.econN[i] + 0.5*d/(d+hubK)
		s.res[i] = min(1, 0.5*(min(1, s.effCap[i])+s.econN[i]))
		s.threat[i] = 0
	}
	for k := range s.groups {
		g := &s.groups[k]
		if g.alive {
			g.agg = s.aggOf(g.Members, -1)
		}
	}
	for i := 0; i < s.n; i++ {
		s.reprotect(i)
	}
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
	if !s.present[i] {
		for e := lo; e < hi; e++ {
			s.te[e].T, s.te[e].P, s.te[e].eP = 0, 0, 1
		}
		return
	}
	self := p.SelfHelp * s.effCap[i]
	for e := lo; e < hi; e++ {
		x := &s.te[e]
		x.P = self
		if x.k < 0 {
			x.T = p.BaseNeed
			continue
		}
		v := s.intensity[x.k] * x.e
		if x.src >= 0 {
			if t, ok := s.TieBetween(i, x.src); ok {
				v *= 1 - p.Accommodation*t.Level.Frac()
			}
		}
		x.T = v
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
	for _, k := range s.adj[i] {
		t := &s.ties[k]
		j := t.Other(i)
		if !s.present[j] {
			continue
		}
		var m deliverMemo
		for e := lo; e < hi; e++ {
			c := m.of(s.tieInput(j, t.Form, t.Level, t.Age, &s.te[e]), s.rel[j])
			s.te[e].P += c
			if e == lo && s.patron[j] {
				s.dep[i] += c
			}
		}
	}
	if partners := s.te[lo].P - self; partners > 0 {
		s.dep[i] = min(1, s.dep[i]/partners)
	}
	for _, gi := range s.inGroups[i] {
		g := &s.groups[gi]
		a := s.others(g, i)
		for e := lo; e < hi; e++ {
			s.te[e].P += s.groupContrib(i, g.Kind, g.Level, g.Age, g.About, &a, &s.te[e])
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
// Finland from Russia).
func (s *Sim) capFor(x *threatEntry, j int) float64 {
	if x.src == j {
		return 0
	}
	c := s.effCap[j] * s.presence[j]
	if x.src >= 0 && s.isOrg[j] && s.isMemberOf(x.src, j) {
		c -= s.effCap[x.src] * s.presence[x.src]
	}
	return max(0, c)
}

// tieContrib is the protection i draws against x from a tie with j.
func (s *Sim) tieContrib(i, j int, f Form, l Level, ageSteps int, x *threatEntry) float64 {
	return deliver(s.tieInput(j, f, l, ageSteps, x), s.rel[j])
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
	if !t.on || t.c[k] == 0 {
		return 0
	}
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

func (a pool) plus(b pool) pool  { return pool{a.cap + b.cap, a.capRel + b.capRel} }
func (a pool) minus(b pool) pool { return pool{a.cap - b.cap, a.capRel - b.capRel} }

// reliability of the pool: its capability-weighted reliability.
func (a pool) reliability() float64 {
	if a.cap <= 0 {
		return 0
	}
	return min(1, a.capRel/a.cap)
}

// shareOf is what actor m puts into a membership or group pool.
func (s *Sim) shareOf(m int) pool {
	c := s.effCap[m] * s.presence[m]
	return pool{c, c * s.rel[m]}
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

func (s *Sim) membershipProtection(o int, others pool, x *threatEntry) float64 {
	com := s.w.Actors[o].Commitment
	if com == 0 {
		return 0
	}
	if x.src >= 0 && s.isMemberOf(x.src, o) && s.present[x.src] {
		others = others.minus(s.shareOf(x.src))
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
	if x.src >= 0 && slices.Contains(a.ratified, x.src) {
		sum = sum.minus(s.shareOf(x.src))
	}
	return s.membershipProtection(a.org, sum, x)
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
		others = others.minus(s.shareOf(x.src))
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
		ep := x.eP
		d += x.T*ep - (x.T+dt)*ep*lastE
	}
	return d
}

// secDeltaQ is secDelta for changes of protection given as the factors
// by which they multiply each entry's exp(−P), s.qP (1: no change), as
// tieTerms works them out (exposureMemo): the same value up to rounding,
// without an exp for each change.
func (s *Sim) secDeltaQ(i int) float64 {
	d := 0.0
	base := int(s.teOff[i])
	for e := base; e < int(s.teOff[i+1]); e++ {
		x := &s.te[e]
		q, dt := s.qP[e-base], s.dT[e-base]
		if q == 1 && dt == 0 {
			continue
		}
		ep := x.eP
		d += x.T*ep - (x.T+dt)*ep*q
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
	q := 1.0
	if c > 0 && r > 0 {
		q = 1 + min(r, 1)*math.Expm1(-c)
	}
	m.c, m.r, m.q, m.ok = c, r, q, true
	return q
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
	v := 0.0
	for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
		v += s.te[e].T * math.Exp(-s.te[e].P)
	}
	return v
}

// resources is what makes an actor a hub and a donor: economic weight
// plus effective capability, both normalised.
func (s *Sim) resources(i int) float64 { return s.econN[i] + s.effCap[i] }

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

// align is how strongly j stands with k: an alliance or common membership
// of a mutual-defence organisation 1, another tie its commitment share x
// level, nothing 0.
func (s *Sim) align(j, k int) float64 {
	v := 0.0
	if t, ok := s.TieBetween(j, k); ok {
		c, _ := s.commit(t.Form)
		if t.Form == Assistance {
			c = 0.5
		}
		v = c * t.Level.Frac()
	}
	if v < 1 && len(s.memberOf[k]) > 0 {
		for _, o := range s.memberOf[j] {
			if s.w.Actors[o].MutualDefence && s.isMemberOf(k, o) {
				return 1
			}
		}
	}
	if (s.isOrg[j] || s.isOrg[k]) && s.isMember(j, k) {
		return max(v, s.memberCommit(j, k))
	}
	return v
}

func (s *Sim) memberCommit(a, b int) float64 {
	if s.isMemberOf(a, b) {
		return max(0.5, s.w.Actors[b].Commitment)
	}
	return max(0.5, s.w.Actors[a].Commitment)
}

// rivalryOf is the signed-network value of a positive tie between i and j
// per level (triadic balance, Warren 2010): −E_ij (j is a rival);
// −Σ_k E_ik·A_jk (j stands with i's rival k: the friend of my enemy);
// −Σ_k E_jk·A_ik (j is the rival of i's friend k: the core tie, source
// 002: a tie to the patron's rival costs with the patron); +Σ_k E_ik·E_jk
// (a common rival brings them together).
func (s *Sim) rivalryOf(i, j int) float64 {
	v := 0.0
	// both enemy lists are sorted by rival: walk j's alongside i's for E_jk
	ej, f := s.enemies[j], 0
	for _, x := range s.enemies[i] {
		k := x.j
		if k == j {
			v -= x.e
			continue
		}
		if !s.present[k] {
			continue
		}
		v -= x.e * s.align(j, k)
		for f < len(ej) && ej[f].j < k {
			f++
		}
		e := 0.0
		if f < len(ej) && ej[f].j == k {
			e = ej[f].e
		}
		v += x.e * e
	}
	for _, x := range s.enemies[j] {
		k := x.j
		if k == i || !s.present[k] {
			continue
		}
		v -= x.e * s.align(i, k)
	}
	return v
}

// gap is the threat j faces beyond what i faces itself: what i may be
// drawn into by committing to j (entrapment), Σ_k max(0, T_jk − T_ik)
// over the state threats j feels.
func (s *Sim) gap(i, j int) float64 {
	v := 0.0
	// both actors' entries are sorted by threat: walk i's alongside j's
	f, fEnd := s.teOff[i]+1, s.teOff[i+1]
	for e := s.teOff[j] + 1; e < s.teOff[j+1]; e++ {
		x := &s.te[e]
		if x.class != Conventional || x.T == 0 || x.src == i {
			continue
		}
		for f < fEnd && s.te[f].k < x.k {
			f++
		}
		own := 0.0
		if f < fEnd && s.te[f].k == x.k {
			own = s.te[f].T
		}
		v += max(0, x.T-own)
	}
	return v
}

// pactGap is the threat applicant j brings into organisation o beyond
// what member i is already drawn into: for each state threat j feels, the
// part above the most that i or another present member of o feels (a pact
// already committed against a threat adds little entrapment by admitting
// another of its targets).
func (s *Sim) pactGap(i, j, o int) float64 {
	v := 0.0
	for e := s.teOff[j] + 1; e < s.teOff[j+1]; e++ {
		x := &s.te[e]
		if x.class != Conventional || x.T == 0 || x.src == i {
			continue
		}
		most := 0.0
		if f := s.feels(i, x.k); f >= 0 {
			most = s.te[f].T
		}
		for _, m := range s.members[o] {
			if m.actor != j && s.present[m.actor] {
				if f := s.feels(m.actor, x.k); f >= 0 {
					most = max(most, s.te[f].T)
				}
			}
		}
		v += max(0, x.T-most)
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

// relational is the part of i's valuation of a partner that comes from who
// the partner is: similarity and the signed network. An organisation takes
// its members' capability-weighted view (it decides through its members).
func (s *Sim) relational(i, j int) (sim, riv float64) {
	return s.relationalOf(i, j, true)
}

// relationalOf is relational, leaving the signed network out (riv 0) when
// withRivalry is false: its dearest part, which not every caller needs.
func (s *Sim) relationalOf(i, j int, withRivalry bool) (sim, riv float64) {
	if s.isOrg[i] && len(s.members[i]) > 0 {
		wsum := 0.0
		for _, m := range s.members[i] {
			if !s.present[m.actor] || m.actor == j {
				continue
			}
			w := s.effCap[m.actor] + 1e-6
			sim += w * (2*s.Similarity(m.actor, j) - 1)
			if withRivalry {
				riv += w * s.rivalryOf(m.actor, j)
			}
			wsum += w
		}
		if wsum > 0 {
			return sim / wsum, riv / wsum
		}
		return 0, 0
	}
	if !withRivalry {
		return 2*s.Similarity(i, j) - 1, 0
	}
	return 2*s.Similarity(i, j) - 1, s.rivalryOf(i, j)
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
		hub: s.hub[j], sim: sim, riv: riv,
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
	i, j := pr.i, pr.j
	base, end := int(s.teOff[i]), int(s.teOff[i+1])
	clear(s.dT[:end-base])
	q := s.qP[:end-base]
	if s0.f != s1.f || s0.l != s1.l || s0.age != s1.age {
		// (the same form, level and age protect alike: no change)
		var m0, m1 exposureMemo
		r := s.rel[j]
		in0, in1 := s.inputOf(s0), s.inputOf(s1)
		for e := base; e < end; e++ {
			x := &s.te[e]
			pc := s.p.Protection * s.capFor(x, j)
			f := m1.of(in1.of(pc, x.class), r)
			if in0.on {
				f /= m0.of(in0.of(pc, x.class), r)
			}
			q[e-base] = f
		}
	} else {
		for e := range q {
			q[e] = 1
		}
	}
	if pr.source && s0.l != s1.l {
		for e := base; e < int(s.teOff[i+1]); e++ {
			if x := &s.te[e]; x.src == j {
				// accommodation: a tie with the source lowers its threat
				s.dT[e-base] = s.intensity[x.k] * x.e * s.p.Accommodation * (s0.l.Frac() - s1.l.Frac())
			}
		}
	}
	// a recipient values the capability a flow will build (its steady state)
	if a0, a1 := s.assistGain(i, j, s0), s.assistGain(i, j, s1); a1 != a0 {
		f := math.Exp(-s.p.SelfHelp * (a1 - a0))
		for e := range q {
			q[e] *= f
		}
	}
	out[TermSecurity] = s.secDeltaQ(i)
	s.linear(&out, pr, s1, trust, 1)
	s.linear(&out, pr, s0, trust, -1)
	if (s0.donor == i && flows(s0.f)) || (s1.donor == i && flows(s1.f)) {
		out[TermInfluence] += s.standingDelta(i, j, s0, s1)
	}
	out[TermReputation] -= s.p.AbandonPenalty * trust * s.givenUp(i, s0, s1)
	if creates(s0, s1) {
		out[TermUpkeep] -= s.p.CreationCost
	}
	out[TermLockin] = -s.p.LockinWeight * s.lockin(s0.age) * max(0, s0.l.Frac()-s1.l.Frac())
	return out
}

// Lock-in (source 003) is a stock the joint programmes and common
// standards of a tie build at its level over its age: what leaving or
// lowering the tie gives up (the part of the level dropped), nothing that
// deepening gains at once (a deeper level builds its own over time).

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

// ---- groups -------------------------------------------------------------

// aggOf sums the members' contributions, leaving out excl (-1: none).
func (s *Sim) aggOf(members []int, excl int) agg {
	a := agg{excl: -1, extra: -1}
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
	sh := s.shareOf(m)
	a.cap += f * sh.cap
	a.capRel += f * sh.capRel
	a.hubs += f * s.hub[m]
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
		out[TermUpkeep] -= s.p.CreationCost // joining or founding a group
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

// ---- memberships --------------------------------------------------------

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
	out[TermEconomy] = sign * p.EconomicWeight * s.hub[o]
	out[TermSimilarity] = sign * p.SimilarityWeight * sim
	// standing over weaker fellow members, as over a weaker partner
	out[TermInfluence] = sign * p.InfluenceWeight * (1 + com) * s.standingIn(i, o)
	out[TermTrust] = sign * p.TrustWeight * trust
	out[TermAutonomy] = -sign * p.AutonomyWeight * s.autonomyOf(i) * com
	out[TermUpkeep] = -sign * p.UpkeepCost * upkeepUnits(memberLevel)
	// joining pledges i to defend every member: its worst rival inside
	// costs as a binding tie with it would
	rv := 0.0
	for _, x := range s.enemies[i] {
		if s.present[x.j] && s.isMemberOf(x.j, o) {
			rv = max(rv, x.e)
		}
	}
	out[TermRivalry] = -sign * p.RivalryWeight * max(com, 0.5) * rv
	out[TermEntrapment] = -sign * p.EntrapmentWeight * com * s.gap(i, o)
	if leaving {
		out[TermLockin] = -p.LockinWeight * s.lockin(age)
		out[TermReputation] = -p.AbandonPenalty * trust * max(com, 0.25)
	} else {
		out[TermUpkeep] -= p.CreationCost // the accession's negotiation and ratification
	}
	return out
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

// ---- assistance ---------------------------------------------------------

// assistGain is the steady-state capability recipient i would hold from a
// flow tie in state st with j (0 when j is not its donor): the level of A
// at which the inflow efficiency x support equals the loss
// decay x A x A/(A + own base).
func (s *Sim) assistGain(i, j int, st tieState) float64 {
	if st.l == None || !flows(st.f) || st.donor != j || s.p.AssistDecay == 0 {
		return 0
	}
	sup := s.prospectiveSupport(j, i, st.l)
	q := s.p.AssistEfficiency * sup / s.p.AssistDecay
	c := s.ownBase(i)
	return (q + math.Sqrt(q*q+4*q*c)) / 2
}

// flows reports whether a tie of form f can carry a donor -> recipient
// flow: security force assistance is the flow itself; cooperation and
// alliances carry one when they come with a donor's resources (source
// 004's interregional ties with a donor; military aid within an alliance).
func flows(f Form) bool { return f == Assistance || f == Cooperation || f == Alliance }

// standingDelta is the change in donor d's standing with all its recipients
// when its flow to r goes from s0 to s1. Its standing with a recipient x is
// influence_weight · frac_x · infl_dx · s_x/(s_x + x's own
// capability): concave in the support s_x, so a budget spread thin buys
// less, and adding a recipient dilutes what the others get (source 004).
// It is nil toward a partner at least as strong (infl_dx = 0).
func (s *Sim) standingDelta(d, r int, s0, s1 tieState) float64 {
	if s.budget[d] == 0 {
		return 0
	}
	lev := func(st tieState) float64 {
		if flows(st.f) && st.donor == d {
			return st.l.Frac()
		}
		return 0
	}
	f0, f1 := lev(s0), lev(s1)
	others := 0.0
	for _, k := range s.adj[d] {
		t := &s.ties[k]
		if t.Donor == d && flows(t.Form) && t.Other(d) != r && s.present[t.Other(d)] {
			others += t.Level.Frac()
		}
	}
	value := func(x int, fx, total float64) float64 {
		if fx == 0 || total == 0 {
			return 0
		}
		sup := s.budget[d] * fx / total
		return fx * s.influence(d, x) * sup / (sup + s.ownBase(x) + 1e-9)
	}
	v := value(r, f1, others+f1) - value(r, f0, others+f0)
	if others > 0 && f0 != f1 {
		for _, k := range s.adj[d] {
			t := &s.ties[k]
			x := t.Other(d)
			if t.Donor == d && flows(t.Form) && x != r && s.present[x] {
				fx := t.Level.Frac()
				v += value(x, fx, others+f1) - value(x, fx, others+f0)
			}
		}
	}
	return s.p.InfluenceWeight * v
}

// prospectiveSupport is the support per year donor d would give recipient r
// on a tie at level l, its budget being shared by level across its
// recipients (r's own current tie replaced).
func (s *Sim) prospectiveSupport(d, r int, l Level) float64 {
	if s.budget[d] == 0 {
		return 0
	}
	total := l.Frac()
	for _, k := range s.adj[d] {
		t := &s.ties[k]
		if t.Donor == d && flows(t.Form) && t.Other(d) != r && s.present[t.Other(d)] {
			total += t.Level.Frac()
		}
	}
	return s.budget[d] * l.Frac() / total
}

// feels returns the index into s.te of actor i's entry for threat k, or -1
// when i is not exposed to it (entries are in threat order after the
// background need).
func (s *Sim) feels(i, k int) int {
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
