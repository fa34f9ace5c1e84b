package sim

// Rivalry and the signed network (docs/MODEL.md, 7.10): how strongly an
// actor stands with another, and the triadic balance of enmity and amity
// that a positive tie is worth (Warren 2010; the core tie of source 002).
// The enmity itself is kept in structure.go (setEnmity).

// reliabilityTo is how far i can count on partner j's tie to protect it:
// j's reliability (what partners have seen it do), less the enmity between
// them. A rival's promise to come to one's defence is not credible: states
// in a strategic rivalry see each other as a source of threat (Thompson &
// Dreyer 2012's definition of a rivalry), so an alliance with a rival at
// enmity 1 protects not at all, one at enmity 0.5 half as surely (the
// signed network, docs/MODEL.md 7.10). Ties only: an organisation's or a
// group's protection is collective (its pooled reliability).
func (s *Sim) reliabilityTo(i, j int) float64 {
	r := s.hot[j].rel
	if len(s.enemies[i]) == 0 {
		return r
	}
	return r * max(0, 1-s.Enmity(i, j))
}

func (s *Sim) memberCommit(a, b int) float64 {
	if s.isMemberOf(a, b) {
		return max(0.5, s.w.Actors[b].Commitment)
	}
	return max(0.5, s.w.Actors[a].Commitment)
}

// rivalryOf is the signed-network value of a positive tie between i and j
// per level (triadic balance, Warren 2010): −E_ij (j is a rival);
// −Σ_k E_ik·A_jk (j stands with i's rival k: the friend of my enemy);
// −Σ_k E_jk·A_ik (j is the rival of i's friend k: the core tie, source
// 002: a tie to the patron's rival costs with the patron); +Σ_k E_ik·E_jk
// (a common rival brings them together).
func (s *Sim) rivalryOf(i, j int) float64 {
	v := 0.0
	present, isOrg, mdMask := s.present, s.isOrg, s.mdMask
	// E_jk looked up in a row of j's enmities, set here and cleared below
	ej := s.enemies[j]
	if len(s.enemyRow) != s.n {
		s.enemyRow = make([]float64, s.n)
	}
	row := s.enemyRow
	for _, x := range ej {
		row[x.j] = x.e
	}
	aj := s.alignerOf(j)
	for _, x := range s.enemies[i] {
		k := x.j
		if k == j {
			v -= x.e
			continue
		}
		if !present[k] {
			continue
		}
		a, ok := aj.quick(k, isOrg, mdMask)
		if !ok {
			a = aj.with(k)
		}
		v -= x.e * a
		v += x.e * row[k]
	}
	if len(ej) == 0 {
		return v
	}
	ai := s.alignerOf(i)
	for _, x := range ej {
		k := x.j
		row[k] = 0
		if k == i || !present[k] {
			continue
		}
		a, ok := ai.quick(k, isOrg, mdMask)
		if !ok {
			a = ai.with(k)
		}
		v -= x.e * a
	}
	return v
}

// standWith is how strongly a tie's two sides stand with each other (the
// signed network's A through a tie): its form's conventional commitment,
// 0.5 for assistance, times its level's share.
func (s *Sim) standWith(t *Tie) float64 {
	c, _ := s.commit(t.Form)
	if t.Form == Assistance {
		c = 0.5
	}
	return c * t.Level.Frac()
}

// oneIfAny is 1 if m has a bit set, else 0, without a branch (whether two
// actors share a mutual-defence organisation is a coin toss to the
// processor's predictor).
func oneIfAny(m uint64) float64 { return float64((m | -m) >> 63) }

// aligner is A_j· for one j (with), what it reads of j looked up once:
// the signed network's walks ask how strongly one actor stands with each
// of many rivals.
type aligner struct {
	s    *Sim
	j    int
	row  []int32 // j's row of the tie table (nil: a large world, tieSlot)
	mask uint64  // j's mutual-defence organisations (mdAll)
	org  bool    // j has members
	of   bool    // j is a member of some organisation
	fast bool    // row, mdAll and j without members: rivalryOf's common case
}

func (s *Sim) alignerOf(j int) aligner {
	a := aligner{s: s, j: j, mask: s.mdMask[j], org: s.isOrg[j], of: len(s.memberOf[j]) > 0}
	if s.pairM != nil {
		a.row = s.pairM[j*s.n : (j+1)*s.n]
		a.fast = s.mdAll && !a.org
	}
	return a
}

// quick is with(k) in its common case, inlined in rivalryOf's walks (no
// tie between two actors without members in a world of the tie table,
// where only a common mutual-defence organisation aligns them), and
// whether it applies (isOrg and mdMask: the Sim's, held by the caller).
func (a *aligner) quick(k int, isOrg []bool, mdMask []uint64) (float64, bool) {
	if a.fast && a.row[k] == 0 && !isOrg[k] {
		return oneIfAny(a.mask & mdMask[k]), true
	}
	return 0, false
}

// with is how strongly j stands with k: an alliance or common membership
// of a mutual-defence organisation 1, another tie its commitment share x
// level, nothing 0 (the signed network's A_jk).
func (a *aligner) with(k int) float64 {
	s := a.s
	v := 0.0
	slot := -1
	if a.row != nil {
		slot = int(a.row[k]) - 1
	} else if t, ok := s.tieSlot(a.j, k); ok {
		slot = t
	}
	if slot >= 0 {
		v = s.standWith(&s.ties[slot])
	}
	if v < 1 {
		if s.mdAll {
			if a.mask&s.mdMask[k] != 0 {
				return 1
			}
		} else if a.of && len(s.memberOf[k]) > 0 {
			for _, o := range s.memberOf[a.j] {
				if s.w.Actors[o].MutualDefence && s.isMemberOf(k, o) {
					return 1
				}
			}
		}
	}
	if (a.org || s.isOrg[k]) && s.isMember(a.j, k) {
		return max(v, s.memberCommit(a.j, k))
	}
	return v
}

// relational is the part of i's valuation of a partner that comes from who
// the partner is: similarity and the signed network. An organisation takes
// its members' capability-weighted view (it decides through its members).
func (s *Sim) relational(i, j int) (sim, riv float64) {
	return s.relationalOf(i, j, true)
}

// relationalOf is relational, leaving the signed network out (riv 0) when
// withRivalry is false: its dearest part, which not every caller needs.
func (s *Sim) relationalOf(i, j int, withRivalry bool) (sim, riv float64) {
	if s.isOrg[i] && len(s.members[i]) > 0 {
		wsum := 0.0
		for _, m := range s.members[i] {
			if !s.present[m.actor] || m.actor == j {
				continue
			}
			w := s.hot[m.actor].effCap + 1e-6
			sim += w * (2*s.Similarity(m.actor, j) - 1)
			if withRivalry {
				riv += w * s.rivalryOf(m.actor, j)
			}
			wsum += w
		}
		if wsum > 0 {
			return sim / wsum, riv / wsum
		}
		return 0, 0
	}
	if !withRivalry {
		return 2*s.Similarity(i, j) - 1, 0
	}
	return 2*s.Similarity(i, j) - 1, s.rivalryOf(i, j)
}
