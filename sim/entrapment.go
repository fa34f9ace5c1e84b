package sim

// Entrapment (source 002; docs/MODEL.md, 7.3): what committing to a
// threatened partner, or admitting a threatened applicant to a pact, may
// draw an actor into.

// gap is the threat j faces beyond what i faces itself: what i may be
// drawn into by committing to j (entrapment), Σ_k max(0, T_jk − T_ik)
// over the state threats j feels.
func (s *Sim) gap(i, j int) float64 {
	v := 0.0
	if h := &s.hot[j]; h.nConv <= 1 {
		// one state threat at most: read off j's hot record, not its
		// entries (a partner's entries are a cache miss in a large world)
		if h.nConv == 0 || h.convT == 0 || int(h.convSrc) == i {
			return v
		}
		own := 0.0
		if f := s.feels(i, int(h.convK)); f >= 0 {
			own = s.te[f].T
		}
		v += max(0, h.convT-own)
		return v
	}
	tj := s.te[s.teOff[j]+1 : s.teOff[j+1]]
	if s.teIdx != nil {
		// i's entry for each of j's threats from the table
		row := s.teIdx[i*len(s.w.Threats) : (i+1)*len(s.w.Threats)]
		for e := range tj {
			x := &tj[e]
			if x.class != Conventional || x.T == 0 || x.src == i {
				continue
			}
			own := 0.0
			if f := row[x.k]; f >= 0 {
				own = s.te[f].T
			}
			v += max(0, x.T-own)
		}
		return v
	}
	// both actors' entries are sorted by threat: walk i's alongside j's
	// (the first entry of each is the background need)
	ti, f := s.te[s.teOff[i]+1:s.teOff[i+1]], 0
	for e := range tj {
		x := &tj[e]
		if x.class != Conventional || x.T == 0 || x.src == i {
			continue
		}
		for f < len(ti) && ti[f].k < x.k {
			f++
		}
		own := 0.0
		if f < len(ti) && ti[f].k == x.k {
			own = ti[f].T
		}
		v += max(0, x.T-own)
	}
	return v
}

// pactGap is the threat applicant j brings into organisation o beyond
// what member i is already drawn into: for each state threat j feels, the
// part above the most that i or another present member of o feels (a pact
// already committed against a threat adds little entrapment by admitting
// another of its targets).
func (s *Sim) pactGap(i, j, o int) float64 {
	v := 0.0
	for e := s.teOff[j] + 1; e < s.teOff[j+1]; e++ {
		x := &s.te[e]
		if x.class != Conventional || x.T == 0 || x.src == i {
			continue
		}
		most := 0.0
		if f := s.feels(i, x.k); f >= 0 {
			most = s.te[f].T
		}
		for _, m := range s.members[o] {
			if m.actor != j && s.present[m.actor] {
				if f := s.feels(m.actor, x.k); f >= 0 {
					most = max(most, s.te[f].T)
				}
			}
		}
		v += max(0, x.T-most)
	}
	return v
}
