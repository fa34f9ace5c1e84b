package sim

import "math"

// Trust and age (source 003: "trust and interdependence are built over
// time"). Every step a tie or group lasts, it ages and its trust closes
// trust_growth of the gap to 1 a year; reputation recovers
// reputation_recovery of what was lost a year (others forget). Lock-in
// (joint programmes, common standards) follows from a tie's age (lockin).

// perStep converts a share per year to the share per step.
func (s *Sim) perStep(perYear float64) float64 {
	if perYear >= 1 {
		return 1
	}
	return 1 - math.Pow(1-perYear, s.dt)
}

// grow ages ties and groups, grows their trust, and lets reputation recover.
func (s *Sim) grow() {
	g := s.perStep(s.p.TrustGrowth)
	for k := range s.ties {
		t := &s.ties[k]
		if t.alive && s.present[t.A] && s.present[t.B] {
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
	r := s.perStep(s.p.ReputationRecovery)
	for i := range s.rep {
		s.rep[i] += r * (1 - s.rep[i])
	}
}
