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

// umbrellaStake is patron i's stake in what a change of its tie with j
// from s0 to s1 does to j's protection (the political umbrella as the will
// to use it; the defender's interest in its protege of extended-deterrence
// models): umbrella_weight times i's political engagement (1 − political
// retrenchment) times j's own change in security from i's protection, as
// j values it (its concave security over the threats it feels): the
// protection its commitment gives and the capability its support would
// build (assistGain). Only a patron has the stake.
func (s *Sim) umbrellaStake(i, j int, s0, s1 tieState) float64 {
	w := s.p.UmbrellaWeight
	if w == 0 || !s.patron[i] || s.retPol >= 1 || (s0.f == s1.f && s0.l == s1.l && s0.age == s1.age && s0.donor == s1.donor) {
		return 0
	}
	var m0, m1 exposureMemo
	r := s.reliabilityTo(j, i)
	in0, in1 := s.inputOf(s0), s.inputOf(s1)
	same := s0.f == s1.f && s0.l == s1.l && s0.age == s1.age
	// the capability its support would build in j (as j values it: tieTerms)
	fa := 1.0
	if a0, a1 := s.assistGain(j, i, s0), s.assistGain(j, i, s1); a1 != a0 {
		fa = math.Exp(-s.p.SelfHelp * (a1 - a0))
	}
	d := 0.0
	pi := s.partnerCapOf(i)
	s.settle(j)
	tes := s.te[s.teOff[j]:s.teOff[j+1]]
	for e := range tes {
		x := &tes[e]
		if x.T == 0 {
			continue
		}
		q := fa
		if fa != 1 && !s.aidCounts(i, x.src) {
			q = 1 // (what i's support builds in j does not count against i's own threat)
		}
		if !same {
			pc := s.p.Protection * pi.against(x)
			q *= m1.of(in1.of(pc, x.class), r)
			if in0.on {
				q /= m0.of(in0.of(pc, x.class), r)
			}
		}
		d += x.T * expP(x) * (1 - q)
	}
	return w * (1 - s.retPol) * d
}
