package sim

// Threats (sources 001, 002). A threat's perceived intensity for actor i is
// I_k(t) · exposure · min(1, distance in values to the source / scale) ·
// (1 − accommodation · level of i's tie with the source). A source does not
// threaten itself. With escalation > 0 a source raises its intensity in
// answer to the alignment formed against it: I = profile · (1 + escalation ·
// the share of its exposed actors newly bound by an alliance, a
// mutual-defence membership or a coalition against it).

// valueFactor: actors close to a threat's source in values feel less of it.
func (s *Sim) valueFactor(dist float64) float64 {
	if dist < 0 {
		return 1
	}
	return min(1, dist/s.p.ThreatValueScale)
}

// bound reports whether actor i is bound by a binding commitment: an
// alliance, membership of a mutual-defence organisation, or coalition k.
func (s *Sim) bound(i, k int) bool {
	for _, t := range s.adj[i] {
		if s.ties[t].Form == Alliance {
			return true
		}
	}
	for _, o := range s.memberOf[i] {
		if s.w.Actors[o].MutualDefence {
			return true
		}
	}
	if c := s.coalition[k]; c >= 0 && s.inGroup(c, i) {
		return true
	}
	return false
}

// boundAgainst counts threat k's exposed actors in the system that are bound.
func (s *Sim) boundAgainst(k int) int {
	c := 0
	for _, x := range s.expo[k] {
		if s.present[x.actor] && s.bound(x.actor, k) {
			c++
		}
	}
	return c
}

// alignmentAgainst is the share of threat k's exposed actors bound since
// step 0 (the alignment its source answers).
func (s *Sim) alignmentAgainst(k int) float64 {
	if len(s.expo[k]) == 0 {
		return 0
	}
	return max(0, float64(s.boundAgainst(k)-s.baseBound[k])/float64(len(s.expo[k])))
}
