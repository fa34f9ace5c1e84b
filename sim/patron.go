package sim

import "math"

// The patron (source 002). Its retrenchment has two profiles. The military
// umbrella is capability present: a patron's partners can count on
// (1 − military retrenchment) of its capability (Presence), and its
// assistance budget shrinks alike. The political umbrella is the will to
// use it: political retrenchment raises the patron's own autonomy
// preference (autonomyOf), so it commits less readily, lowers binding ties
// and turns down requests. Partners do not read the profile: they learn
// the patron's reliability from what it does (reputation falls when it
// abandons or lowers ties, refuses requests, cuts support). Its policy
// follows a stochastic regime that switches every patron_term years on
// average and shifts the political retrenchment by ±volatility ("seismic
// shifts in American policy every few years").

// switchRegime draws the patron's regime for this step; it reports whether
// it switched.
func (s *Sim) switchRegime() bool {
	if s.p.Volatility == 0 || !s.hasPatron() {
		return false
	}
	if s.rng.Float64() < 1-math.Exp(-s.dt/s.p.PatronTerm) {
		s.regime = -s.regime
		return true
	}
	return false
}

func (s *Sim) hasPatron() bool {
	for _, p := range s.patron {
		if p {
			return true
		}
	}
	return false
}

// Regime is the patron's current policy regime: +1 (retrenching more than
// its profile) or −1 (less).
func (s *Sim) Regime() float64 { return s.regime }
