package sim

import (
	"math"
)

// The utility an actor i draws from its ties and groups (model description,
// "Utility"):
//
//	U_i = -Σ_c need_ic · exp(-P_ic)                       security, per threat class c
//	    + Σ_ties  frac · (we·hub_j + ws·(2·sim_ij-1) + wt·trust)  economic, similarity, trust
//	    - Σ_ties  wa·aut_i·bind(form)·frac + wu·level            autonomy and upkeep
//	    + groups analogously, - coordination cost
//
// P_ic is protection: own effective capability plus what partners
// contribute, capability × reliability × commitment of the form and level.
// Security is concave in protection, so a partner's value falls as others
// protect i and rises when a patron's reliability erodes: hedging is a
// property of the utility, not a rule.

// commitment of a tie's form against the conventional and transnational
// threat classes, relative to an advanced alliance.
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

// bindingness of a tie's form for autonomy cost, relative to an alliance.
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
	hubK            = 10 // degree at which half the network part of hub value is reached
)

// refresh recomputes every derived quantity from the current structure and
// the profiles at step s.t.
func (s *Sim) refresh() {
	s.invalidate()
	s.dirty = false
	w, p := s.w, &s.p
	s.retPol = w.Political.At(s.t)
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
		}
		s.intensity[k] = v
	}
	patronRel := math.Max(0, 1-p.PoliticalWeight*s.retPol-p.MilitaryWeight*s.retMil)
	// capability and reliability, members before their organisations
	for _, o := range s.order {
		i := int(o)
		a := &w.Actors[i]
		if len(a.Members) == 0 {
			s.effCap[i] = math.Max(0, s.capN[i]+s.assisted[i]-p.DonorDrain*s.outflow[i])
			r := s.rep[i]
			if s.patron[i] {
				r *= patronRel
			}
			s.rel[i] = r
			continue
		}
		sumCap, sumRel := 0.0, 0.0
		for _, m := range a.Members {
			sumCap += s.effCap[m]
			sumRel += s.effCap[m] * s.rel[m]
		}
		s.effCap[i] = math.Max(0, sumCap+s.assisted[i]-p.DonorDrain*s.outflow[i])
		r := s.rep[i]
		if sumCap > 0 {
			r *= sumRel / sumCap
		}
		if s.patron[i] {
			r *= patronRel
		}
		s.rel[i] = r
	}
	for i := 0; i < s.n; i++ {
		d := float64(s.deg[i])
		s.hub[i] = 0.5*s.econN[i] + 0.5*d/(d+hubK)
		s.needC[i] = p.BaseNeed
		s.needT[i] = 0
		s.threat[i] = 0
	}
	for k := range w.Threats {
		src := w.Threats[k].Source
		conv := w.Threats[k].Class() == Conventional
		for _, x := range s.expo[k] {
			if s.w.Actors[x.actor].Enter > s.t {
				continue // not in the system yet
			}
			v := s.intensity[k] * x.e * s.valueFactor(x.dist)
			if src >= 0 {
				if t, ok := s.TieBetween(x.actor, src); ok {
					v *= 1 - p.Accommodation*t.Level.Frac()
				}
			}
			if conv {
				s.needC[x.actor] += v
			} else {
				s.needT[x.actor] += v
			}
			s.threat[x.actor] += v
		}
	}
	// protection
	for i := 0; i < s.n; i++ {
		self := p.SelfHelp * s.effCap[i]
		s.protC[i], s.protT[i] = self, self
		for _, o := range s.memberOf[i] {
			c := p.Protection * w.Actors[o].Commitment * math.Max(0, s.capFor(i, o)-s.effCap[i]) * s.rel[o]
			s.protC[i] += c
			s.protT[i] += c
		}
	}
	for i := range s.dep {
		s.dep[i] = 0 // protection from patrons, made a share below
	}
	for k := range s.ties {
		t := &s.ties[k]
		if !t.alive {
			continue
		}
		c, tr := s.tieContrib(t.A, t.B, t.Form, t.Level)
		s.protC[t.A] += c
		s.protT[t.A] += tr
		if s.patron[t.B] {
			s.dep[t.A] += c
		}
		c, tr = s.tieContrib(t.B, t.A, t.Form, t.Level)
		s.protC[t.B] += c
		s.protT[t.B] += tr
		if s.patron[t.A] {
			s.dep[t.B] += c
		}
	}
	for i := range s.dep {
		if partners := s.protC[i] - p.SelfHelp*s.effCap[i]; partners > 0 {
			s.dep[i] = math.Min(1, s.dep[i]/partners)
		}
	}
	for k := range s.groups {
		g := &s.groups[k]
		if g.alive {
			g.agg = s.aggOf(g.Members, -1)
		}
	}
}

// capFor is the capability partner j brings to i's protection: its
// effective capability, less that of the sources of threats i is exposed to
// when j is such a source or counts one among its members (an alliance with
// the SCO does not protect Finland from Russia).
func (s *Sim) capFor(i, j int) float64 {
	c := s.effCap[j]
	for _, k := range s.within[j] {
		if _, exposed := s.exposureOf(k, i); exposed {
			c -= s.effCap[s.w.Threats[k].Source]
		}
	}
	return math.Max(0, c)
}

// valueFactor: actors close to a threat's source in values feel less of it.
func (s *Sim) valueFactor(dist float64) float64 {
	if dist < 0 {
		return 1
	}
	return math.Min(1, dist/s.p.ThreatValueScale)
}

// tieContrib is the protection actor i draws from a tie with j.
func (s *Sim) tieContrib(i, j int, f Form, l Level) (conv, trans float64) {
	if l == None {
		return 0, 0
	}
	cc, ct := s.commit(f)
	base := s.p.Protection * s.capFor(i, j) * s.rel[j] * l.Frac()
	return base * cc, base * ct
}

func (s *Sim) groupClass(g *Group) ThreatClass {
	if g.Kind == CoalitionGroup && g.Threat >= 0 {
		return s.w.Threats[g.Threat].Class()
	}
	return g.Issue.Class()
}

func (s *Sim) groupCommit(kind GroupKind, l Level) float64 {
	if kind == CoalitionGroup {
		return s.p.CoalitionCommit
	}
	return s.p.GroupCommit * l.Frac()
}

// secDelta is the change in i's security utility when its protection changes
// by (dC, dT) and its need by (nC, nT).
func (s *Sim) secDelta(i int, dC, dT, nC, nT float64) float64 {
	ec, et := s.protExp(i)
	d := 0.0
	if dC != 0 || nC != 0 {
		d += s.needC[i]*ec - (s.needC[i]+nC)*ec*math.Exp(-dC)
	}
	if nT != 0 || (dT != 0 && s.needT[i] != 0) {
		d += s.needT[i]*et - (s.needT[i]+nT)*et*math.Exp(-dT)
	}
	return d
}

// protExp returns exp(-protection) of actor i in both classes, cached for
// the last actor asked until protection changes (invalidate).
func (s *Sim) protExp(i int) (ec, et float64) {
	if i != s.cacheI {
		pc, pt := s.prot(i)
		s.cacheI, s.cacheEC, s.cacheET = i, math.Exp(-pc), math.Exp(-pt)
	}
	return s.cacheEC, s.cacheET
}

// invalidate drops the protection cache; call whenever protection changes.
func (s *Sim) invalidate() { s.cacheI = -1 }

// prot is i's protection: the base (own capability, memberships, ties) kept
// in protC/protT plus what its groups give, computed from their sums.
func (s *Sim) prot(i int) (conv, trans float64) {
	conv, trans = s.protC[i], s.protT[i]
	for _, gi := range s.inGroups[i] {
		g := &s.groups[gi]
		class := s.groupClass(g)
		if class == Economic {
			continue
		}
		c := s.p.Protection * s.groupCommit(g.Kind, g.Level) * (g.agg.capRel - s.effCap[i]*s.rel[i])
		if class == Conventional {
			conv += c
		} else {
			trans += c
		}
	}
	return conv, trans
}

// marginalSecurity is i's security value of one more unit of protection in
// both classes (the derivative of the security utility).
func (s *Sim) marginalSecurity(i int) float64 {
	ec, et := s.protExp(i)
	return s.needC[i]*ec + s.needT[i]*et
}

// support is the flow a donor sends on a tie of the given level per step.
func (s *Sim) support(donor int, l Level) float64 {
	v := s.p.SupportRate * s.econN[donor] * l.Frac()
	if s.patron[donor] {
		v *= 1 - s.retMil
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
		if x, ok := s.exposureOf(k, j); ok {
			v += s.intensity[k] * x.e * s.valueFactor(x.dist)
		}
	}
	return v
}

// donorOf decides the direction of flow of a new tie between a and b: the
// side with DonorRatio times the other's resources gives; -1 is symmetric.
func (s *Sim) donorOf(a, b int) int {
	ra, rb := s.resources(a), s.resources(b)
	switch {
	case ra > 0 && ra >= s.p.DonorRatio*rb:
		return a
	case rb > 0 && rb >= s.p.DonorRatio*ra:
		return b
	}
	return -1
}

// pair holds what i's utility of a tie with j depends on besides the
// form, level, flow and trust, computed once per pair and opportunity.
type pair struct {
	i, j   int
	static float64 // economic_weight·hub_j + similarity_weight·(2·sim_ij − 1)
	infl   float64 // influence over j
	lev    float64 // leverage over j as a threat's source
	prot   float64 // protection·capFor(i, j)·rel_j
	aut    float64 // autonomy_weight·autonomy_i
	source bool    // j is the source of some threat
}

func (s *Sim) pairOf(i, j int) pair {
	p := &s.p
	return pair{
		i: i, j: j,
		static: p.EconomicWeight*s.hub[j] + p.SimilarityWeight*(2*s.Similarity(i, j)-1),
		infl:   s.influence(i, j),
		lev:    s.leverage(i, j),
		prot:   p.Protection * s.capFor(i, j) * s.rel[j],
		aut:    p.AutonomyWeight * s.w.Actors[i].Autonomy,
		source: len(s.sourceOf[j]) > 0,
	}
}

// linear is the part of i's utility of the tie that is linear in it
// (everything but security).
func (s *Sim) linear(pr *pair, f Form, l Level, donor int, trust float64) float64 {
	if l == None {
		return 0
	}
	p := &s.p
	frac := l.Frac()
	i, j := pr.i, pr.j
	// influence over a weaker partner grows with the bindingness of the
	// form (basing, interoperability, command: source 003); a threat's
	// source gains leverage over those it threatens (the other side of
	// accommodation, source 002)
	b := bind(f, false)
	u := frac * (pr.static + p.TrustWeight*trust + p.InfluenceWeight*((1+b)*pr.infl+2*pr.lev))
	u -= pr.aut * bind(f, donor >= 0 && donor != i) * frac
	u -= p.UpkeepCost * float64(l)
	if s.patron[i] {
		// retrenchment makes the patron less willing to hold ties, binding
		// ones most (source 002)
		u -= p.Reluctance * s.retPol * float64(l) * (1 + b)
	}
	if donor == i {
		u += p.InfluenceWeight * frac
	} else if donor == j {
		// the recipient values the capability the flow will build up:
		// its steady state is efficiency x support / decay
		if p.AssistDecay > 0 {
			u += s.marginalSecurity(i) * p.SelfHelp * p.AssistEfficiency * s.support(j, l) / p.AssistDecay
		}
	}
	return u
}

// delta is the change in i's utility when its tie with j goes from
// (f0, l0) to (f1, l1), the flow direction being donor (-1 symmetric).
func (s *Sim) delta(pr *pair, f0 Form, l0 Level, f1 Form, l1 Level, donor int, trust float64) float64 {
	cc0, ct0 := s.commit(f0)
	cc1, ct1 := s.commit(f1)
	f0r, f1r := pr.prot*l0.Frac(), pr.prot*l1.Frac()
	var nC, nT float64
	if pr.source {
		nC, nT = s.accommodationNeed(pr.i, pr.j, l0, l1)
	}
	d := s.secDelta(pr.i, f1r*cc1-f0r*cc0, f1r*ct1-f0r*ct0, nC, nT)
	d += s.linear(pr, f1, l1, donor, trust) - s.linear(pr, f0, l0, donor, trust)
	if l1 == None && l0 != None {
		d -= s.p.AbandonPenalty * trust * l0.Frac()
	}
	return d
}

// tieDelta is delta for a pair computed on the spot.
func (s *Sim) tieDelta(i, j int, f0 Form, l0 Level, f1 Form, l1 Level, donor int, trust float64) float64 {
	pr := s.pairOf(i, j)
	return s.delta(&pr, f0, l0, f1, l1, donor, trust)
}

// accommodationNeed is how much i's need (conventional, transnational)
// changes when its tie level with j moves from l0 to l1, where j is the
// source of threats i perceives.
func (s *Sim) accommodationNeed(i, j int, l0, l1 Level) (nC, nT float64) {
	if len(s.sourceOf[j]) == 0 || l0 == l1 {
		return 0, 0
	}
	for _, k := range s.sourceOf[j] {
		x, ok := s.exposureOf(k, i)
		if !ok {
			continue
		}
		v := s.intensity[k] * x.e * s.valueFactor(x.dist) * s.p.Accommodation * (l0.Frac() - l1.Frac())
		if s.w.Threats[k].Class() == Conventional {
			nC += v
		} else {
			nT += v
		}
	}
	return nC, nT
}

func (s *Sim) exposureOf(k, i int) (exposure, bool) {
	xs := s.expo[k]
	lo, hi := 0, len(xs)
	for lo < hi {
		m := (lo + hi) / 2
		if xs[m].actor < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(xs) && xs[lo].actor == i {
		return xs[lo], true
	}
	return exposure{}, false
}

// PerceivedThreatOf is actor i's perceived threat from threat k this step.
func (s *Sim) PerceivedThreatOf(i, k int) float64 {
	x, ok := s.exposureOf(k, i)
	if !ok || !s.Active(i) {
		return 0
	}
	v := s.intensity[k] * x.e * s.valueFactor(x.dist)
	if src := s.w.Threats[k].Source; src >= 0 {
		if t, ok := s.TieBetween(i, src); ok {
			v *= 1 - s.p.Accommodation*t.Level.Frac()
		}
	}
	return v
}

// applyTieChange updates the protection and need of both sides for a tie
// change (incremental bookkeeping within a step).
func (s *Sim) applyTieChange(a, b int, f0 Form, l0 Level, f1 Form, l1 Level) {
	s.invalidate()
	for _, side := range [2][2]int{{a, b}, {b, a}} {
		i, j := side[0], side[1]
		c0, t0 := s.tieContrib(i, j, f0, l0)
		c1, t1 := s.tieContrib(i, j, f1, l1)
		s.protC[i] += c1 - c0
		s.protT[i] += t1 - t0
		nC, nT := s.accommodationNeed(i, j, l0, l1)
		s.needC[i] += nC
		s.needT[i] += nT
		s.threat[i] += nC + nT
	}
}

// aggOf sums the members' contributions, leaving out excl (-1: none).
func (s *Sim) aggOf(members []int, excl int) agg {
	var a agg
	for _, m := range members {
		if m != excl {
			s.addTo(&a, m, 1)
		}
	}
	return a
}

// addTo adds (sign 1) or removes (sign -1) actor m's contribution.
func (s *Sim) addTo(a *agg, m int, sign int) {
	f := float64(sign)
	a.n += sign
	a.capRel += f * s.effCap[m] * s.rel[m]
	a.hubs += f * s.hub[m]
	if s.patron[m] {
		a.patrons += sign
	}
	for d, v := range s.w.Actors[m].Values {
		a.v[d] += f * v
	}
}

// others is the sum over g's members other than i.
func (s *Sim) others(g *Group, i int) agg {
	a := g.agg
	for _, k := range s.inGroups[i] {
		if &s.groups[k] == g {
			s.addTo(&a, i, -1)
			break
		}
	}
	return a
}

// plus returns a with actor m added.
func (s *Sim) plus(a agg, m int) agg {
	s.addTo(&a, m, 1)
	return a
}

// centroidSimilarity is the similarity of i's values to the mean values of
// the group's other members, in [0, 1].
func (s *Sim) centroidSimilarity(i int, a *agg) float64 {
	if s.maxDist == 0 || a.n == 0 {
		return 0.5
	}
	sum := 0.0
	for d, v := range s.w.Actors[i].Values {
		x := v - a.v[d]/float64(a.n)
		sum += x * x
	}
	return 1 - math.Sqrt(sum)/s.maxDist
}

// groupValue is member i's utility from a group of the given kind, class and
// level whose other members sum to a, except its security part, plus the
// group's protection for i (returned separately, for the class).
func (s *Sim) groupValue(i int, kind GroupKind, class ThreatClass, l Level, a *agg, trust float64) (linear, prot float64) {
	if l == None || a.n < 1 {
		return 0, 0
	}
	p := &s.p
	frac := l.Frac()
	econ := p.EconomicWeight * a.hubs
	if class == Economic {
		econ *= p.EconomicIssueBonus
	}
	b := bindMinilateral
	if kind == CoalitionGroup {
		b = bindCoalition
	}
	linear = frac*(econ+p.SimilarityWeight*(2*s.centroidSimilarity(i, a)-1)+p.TrustWeight*trust) -
		p.AutonomyWeight*s.w.Actors[i].Autonomy*b*frac -
		p.UpkeepCost*p.GroupUpkeep*float64(l) -
		p.CoordinationCost*float64(a.n-1)*frac
	if s.patron[i] {
		linear -= p.Reluctance * s.retPol * float64(l)
	}
	if kind == Minilateral && p.HedgeWeight > 0 && s.dep[i] > 0 && a.patrons == 0 {
		// hedging (source 002): a minilateral without the patron insures
		// against the erosion of its political umbrella
		linear += p.HedgeWeight * s.retPol * s.dep[i] * frac
	}
	if class != Economic {
		prot = p.Protection * s.groupCommit(kind, l) * a.capRel
	}
	return linear, prot
}

// groupDelta is the change in i's utility when a group moves from level l0
// with other members a0 to level l1 with other members a1 (nil: i not in it).
func (s *Sim) groupDelta(i int, kind GroupKind, class ThreatClass, l0 Level, a0 *agg, l1 Level, a1 *agg, trust float64) float64 {
	var lin0, p0, lin1, p1 float64
	if a0 != nil {
		lin0, p0 = s.groupValue(i, kind, class, l0, a0, trust)
	}
	if a1 != nil {
		lin1, p1 = s.groupValue(i, kind, class, l1, a1, trust)
	}
	d := lin1 - lin0
	switch class {
	case Conventional:
		d += s.secDelta(i, p1-p0, 0, 0, 0)
	case Transnational:
		d += s.secDelta(i, 0, p1-p0, 0, 0)
	}
	return d
}
