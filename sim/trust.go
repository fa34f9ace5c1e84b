package sim

import "math"

// Trust, age and reputation (source 003: "trust and interdependence are
// built over time"). Every step a tie or group lasts, it ages and its
// trust closes trust_growth of the gap to 1 a year. Lock-in (joint
// programmes, common standards) follows from a tie's age (lockin). An
// actor's reputation is the running record of its decisions (observe).

// perStep converts a share per year to the share per step.
func (s *Sim) perStep(perYear float64) float64 {
	if perYear >= 1 {
		return 1
	}
	return 1 - math.Pow(1-perYear, s.dt)
}

// grow ages ties and groups and grows their trust.
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
	for o := range s.orgYears {
		if s.present[o] && s.isOrg[o] {
			s.orgYears[o] += s.dt
		}
	}
}

// observe updates what others learn of actor i from one of its decisions
// that bears on its commitments (option.bearsOnCommitments), its answer to
// a request to deepen one, or a cut in its support:
// its reputation closes reputation_learning of the gap to 1 − severity,
// severity 0 for a decision that keeps its commitments and up to 1 for
// abandoning a fully trusted advanced tie. Partners' belief in a patron's
// reliability thus follows what they see it do (source 002), not its
// retrenchment profile.
func (s *Sim) observe(i int, severity float64) {
	x := 1 - max(0, min(1, severity))
	s.rep[i] += s.p.ReputationLearning * (x - s.rep[i])
}
