package sim

import "math"

// Lock-in (source 003) is a stock the joint programmes and common
// standards of a tie build at its level over its age: what leaving or
// lowering the tie gives up (the part of the level dropped), nothing that
// deepening gains at once (a deeper level builds its own over time).

// lockin is the share of a tie's full lock-in built after ageSteps.
func (s *Sim) lockin(ageSteps int) float64 {
	if ageSteps <= 0 {
		return 0
	}
	return 1 - math.Exp(-float64(ageSteps)*s.dt/s.p.LockTime)
}
