package sim

import "math"

// Assistance (sources 003, 004): security force assistance is a form of tie
// a donor offers and a recipient accepts; converting it needs consent. A
// donor's budget, aid_rate x its normalised economy a year (a patron's
// shrinks with its military retrenchment, and Actor.Aid can cut it), is
// shared across its recipients by level. Support builds the recipient's
// assisted capability at assist_efficiency; what it keeps depends on its
// absorptive capacity: the stock decays at assist_decay x A/(A + own base)
// a year, so a force built from scratch on a small base cannot be sustained
// when the sponsor exits. For the same reason a force a donor sustains
// does not count against a threat whose source is that donor (or an
// organisation the source belongs to): its sustainment (spares,
// maintenance, training) is what the donor withdraws first in a conflict
// with its recipient, so each recipient's stock is kept by donor (aidBy),
// all parts decaying alike, and the part from a threat's source is taken
// out of the recipient's own capability against that threat (reprotect,
// capFor) and out of the value of the flow (tieTerms, umbrellaStake).

// aidPart is the part of a recipient's assisted capability one donor built.
type aidPart struct {
	donor int32
	a     float64
}

// budgets sets each donor's assistance budget for this step.
func (s *Sim) budgets() {
	for i := 0; i < s.n; i++ {
		b := 0.0
		if s.present[i] && s.w.Actors[i].Kind != Informal {
			b = s.p.AidRate * s.hot[i].econN
			if s.patron[i] {
				b *= 1 - s.retMil
			}
			if a := s.w.Actors[i].Aid; a != nil {
				b *= a.At(s.t)
			}
		}
		s.budget[i] = b
	}
}

// updateFlows sets each flow tie's support for this step and, when apply is
// true, moves it into the recipients' assisted capability, which decays as
// it outgrows the recipient's own base. A donor whose budget was cut is
// seen to cut support (reputation).
func (s *Sim) updateFlows(apply bool) {
	s.budgets()
	dt := s.dt
	if apply {
		for i := range s.assisted {
			a := s.assisted[i]
			if a > 0 {
				loss := s.p.AssistDecay * dt * a / (a + s.ownBase(i))
				s.assisted[i] = a * max(0, 1-loss)
				parts := s.aidBy[i][:0]
				for _, pt := range s.aidBy[i] {
					if pt.a *= max(0, 1-loss); pt.a > 0 {
						parts = append(parts, pt)
					}
				}
				s.aidBy[i] = parts
			}
			if b0, b1 := s.prevBud[i], s.budget[i]; b0 > 0 && b1 < b0 && s.hasRecipients(i) {
				s.observe(i, 1-b1/b0) // a cut in support is seen
			}
			s.prevBud[i] = s.budget[i]
		}
	}
	// support per recipient: the donor's budget shared by level
	for k := range s.ties {
		t := &s.ties[k]
		t.Support = 0
		if !t.alive || t.Donor < 0 || !s.present[t.A] || !s.present[t.B] || !flows(t.Form) {
			continue
		}
		t.Support = s.prospectiveSupport(t.Donor, t.Other(t.Donor), t.Level) * dt
		if apply {
			s.addAid(t.Other(t.Donor), t.Donor, s.p.AssistEfficiency*t.Support)
		}
	}
}

// addAid adds capability v that donor d built to recipient r's stock.
func (s *Sim) addAid(r, d int, v float64) {
	s.assisted[r] += v
	if v <= 0 {
		return
	}
	parts := s.aidBy[r]
	for k := range parts {
		if int(parts[k].donor) == d {
			parts[k].a += v
			return
		}
	}
	s.aidBy[r] = append(parts, aidPart{int32(d), v})
	if len(s.sourceOf[d]) > 0 || s.isOrg[d] {
		s.srcHeld[r] = true
		s.hot[r].flags |= hotSlow
	}
}

// aidCounts reports whether capability donor d sustains counts against a
// threat whose source is src (-1: none): not when d is the source or an
// organisation the source is a present member of.
func (s *Sim) aidCounts(d, src int) bool {
	if src < 0 {
		return true
	}
	return d != src && !(s.isOrg[d] && s.present[src] && s.isMemberOf(src, d))
}

// aidFrom is the part of j's assisted capability that does not count
// against a threat whose source is src (0 unless srcHeld[j]).
func (s *Sim) aidFrom(j, src int) float64 {
	if !s.srcHeld[j] || src < 0 {
		return 0
	}
	v := 0.0
	for _, pt := range s.aidBy[j] {
		if !s.aidCounts(int(pt.donor), src) {
			v += pt.a
		}
	}
	return v
}

// ownBase is actor i's own capability, the base that absorbs assistance
// (source 003): a state's, or for an organisation with members the
// capability its members bring (an organisation absorbs through them).
func (s *Sim) ownBase(i int) float64 {
	if s.isOrg[i] && len(s.members[i]) > 0 {
		return s.orgPool[i].cap
	}
	return s.capN[i]
}

func (s *Sim) hasRecipients(d int) bool {
	for _, k := range s.adj[d] {
		if s.ties[k].Donor == d {
			return true
		}
	}
	return false
}

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
