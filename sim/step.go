package sim

import "math"

// Step advances the run by one period:
//
//  1. the system's composition changes (entries, exits, absences,
//     successions); the patron's policy regime may switch; threat
//     intensities and retrenchment are read off their profiles, and
//     perceived threats, capability, reliability and protection are
//     recomputed;
//  2. coalitions form around threats that pass coalition_form and dissolve
//     after coalition_patience below coalition_dissolve; pending
//     accessions get a round of ratification;
//  3. actors get opportunities at their rates, one for commitments
//     (alliances, membership) and one for partnerships (cooperation,
//     assistance, groups, coalitions), both higher for more capable actors;
//     an alarming rise of perceived threat puts at once on the agenda what
//     addresses it: commitments for state threats, partnerships for
//     transnational ones; in an order drawn from the run's stream, each weighs its options
//     (multinomial logit over the change in utility at the given
//     temperature); anything that deepens another's commitment needs its
//     consent (a binary logit at the same temperature);
//  4. trust and age grow on lasting ties and groups (reputation moves only
//     with what others see an actor do: observe);
//  5. support flows from donors to recipients; assisted capability decays.
func (s *Sim) Step() {
	s.t++
	s.events = s.events[:0]
	copy(s.prevThreat, s.threat)
	for i := range s.prevThreat {
		if !s.present[i] {
			// out of the system last step: no threat of its own that
			// could have risen (an actor entering is not alarmed by
			// arriving)
			s.prevThreat[i] = math.NaN()
		} else if s.p.Alarm > 0 {
			s.prevConv[i] = s.conventionalThreat(i)
		}
	}
	moved := s.composition()
	if s.switchRegime() && !moved && !s.dirty {
		// the regime enters the derived state only through the political
		// retrenchment (autonomyOf, umbrellaStake: refresh derives nothing
		// else from it), so a switch alone sets that as refresh would and
		// leaves the rest to the profiles' test below (on Synthetic(5000)
		// the patron switched in 8 of 40 steps, each a refresh)
		s.retPol = s.political()
	}
	// the state was refreshed at the end of the last step; recompute it
	// only if something it depends on moved with the clock, and only the
	// perceived threats when nothing but the threats' intensities moved
	// (a ramp or a pulse moves them every step)
	if moved || s.dirty {
		s.refresh()
	} else if changed, threatsOnly := s.profilesMoved(); threatsOnly {
		s.rethreat()
	} else if changed {
		s.refresh()
	}
	s.coalitions()
	s.ratifications()

	s.actList, s.actKind = s.actList[:0], s.actKind[:0]
	p := &s.p
	add := func(i int, kind uint8) {
		s.actList = append(s.actList, i)
		s.actKind = append(s.actKind, kind)
	}
	for i := 0; i < s.n; i++ {
		if !s.present[i] {
			continue
		}
		if s.controlled(i) {
			add(i, agendaAll)
			continue
		}
		cap := 1 + p.RateCapacity*s.res[i]
		for _, a := range [2]struct {
			rate float64
			kind uint8
		}{{p.OpportunityRate * cap * s.dt, agendaCommitment}, {p.PartnershipRate * cap * s.dt, agendaPartnership}} {
			whole := int(a.rate)
			for r := 0; r < whole; r++ {
				add(i, a.kind)
			}
			if frac := a.rate - float64(whole); frac > 0 && s.rng.Float64() < frac {
				add(i, a.kind)
			}
		}
		// an alarming rise of perceived threat puts security on the agenda
		// at once: one opportunity per alarm's worth of rise (source 002:
		// within weeks of the invasion both asked to join NATO), on the
		// agenda of the threat's remedies: commitments against state
		// threats, partnerships against transnational ones
		if p.Alarm > 0 && !math.IsNaN(s.prevThreat[i]) {
			conv := s.conventionalThreat(i)
			for r := conv - s.prevConv[i]; r >= p.Alarm; r -= p.Alarm {
				add(i, agendaCommitment)
			}
			for r := (s.threat[i] - conv) - (s.prevThreat[i] - s.prevConv[i]); r >= p.Alarm; r -= p.Alarm {
				add(i, agendaPartnership)
			}
		}
	}
	s.rng.Shuffle(len(s.actList), func(a, b int) {
		s.actList[a], s.actList[b] = s.actList[b], s.actList[a]
		s.actKind[a], s.actKind[b] = s.actKind[b], s.actKind[a]
	})
	for k, i := range s.actList {
		if s.present[i] {
			s.opportunity(i, s.actKind[k])
		}
	}

	s.grow()
	s.updateFlows(true)
	s.refresh()
}

// conventionalThreat is the part of i's perceived threat that comes from
// state (conventional) threats.
func (s *Sim) conventionalThreat(i int) float64 {
	v := 0.0
	for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
		if x := &s.te[e]; x.class == Conventional {
			v += x.T
		}
	}
	return v
}

// profilesMoved reports whether a threat intensity or the retrenchment read
// at the current step differs from the values the state was computed with,
// and whether the intensities alone moved (without escalation, which reads
// the structure: rethreat then brings the state up to date).
func (s *Sim) profilesMoved() (changed, threatsOnly bool) {
	pol, mil := s.political(), s.w.Military.At(s.t)
	if !math.IsNaN(s.ovMil) {
		mil = s.ovMil
	}
	if pol != s.retPol || mil != s.retMil {
		return true, false
	}
	if s.p.Escalation > 0 {
		return true, false
	}
	for i := range s.w.Actors {
		if a := s.w.Actors[i].Aid; a != nil && a.At(s.t) != a.At(s.t-1) {
			return true, false
		}
	}
	for k := range s.w.Threats {
		v := s.w.Threats[k].Intensity.At(s.t)
		if ov := s.ovIntensity[k]; !math.IsNaN(ov) {
			v = ov
		}
		if v != s.intensity[k] {
			return true, true
		}
	}
	return false, false
}

// political is the political retrenchment at step s.t: the profile's moved
// by the patron's regime, or the override.
func (s *Sim) political() float64 {
	if !math.IsNaN(s.ovPol) {
		return s.ovPol
	}
	return clamp01(s.w.Political.At(s.t) + s.p.Volatility*s.regime)
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
