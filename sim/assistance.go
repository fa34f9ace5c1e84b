package sim

// Assistance (sources 003, 004): security force assistance is a form of tie
// a donor offers and a recipient accepts; converting it needs consent. A
// donor's budget, aid_rate x its normalised economy a year (a patron's
// shrinks with its military retrenchment, and Actor.Aid can cut it), is
// shared across its recipients by level. Support builds the recipient's
// assisted capability at assist_efficiency; what it keeps depends on its
// absorptive capacity: the stock decays at assist_decay x A/(A + own base)
// a year, so a force built from scratch on a small base cannot be sustained
// when the sponsor exits.

// budgets sets each donor's assistance budget for this step.
func (s *Sim) budgets() {
	for i := 0; i < s.n; i++ {
		b := 0.0
		if s.present[i] && s.w.Actors[i].Kind != Informal {
			b = s.p.AidRate * s.econN[i]
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
			s.assisted[t.Other(t.Donor)] += s.p.AssistEfficiency * t.Support
		}
	}
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
