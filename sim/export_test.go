package sim

import (
	"fmt"
	"math"
	"slices"
)

// Hooks for the external tests in package sim_test (which can use simtest).

// ProtectionDrift recomputes every actor's protection from the current
// structure and returns the largest difference from what the run holds
// (the incremental bookkeeping within a step must be exact).
func (s *Sim) ProtectionDrift() (float64, string) {
	s.settleAll() // (the protection as read: groups' changes applied)
	count := make([]int32, s.n)
	for _, a := range s.apps {
		count[a.applicant]++
	}
	for i := range count {
		if count[i] != s.nApps[i] {
			return math.Inf(1), fmt.Sprintf("actor %d: %d pending applications, counted %d", i, count[i], s.nApps[i])
		}
	}
	held := make([]float64, len(s.te))
	heldE := make([]float64, len(s.te))
	for e := range s.te {
		held[e], heldE[e] = s.te[e].P, s.te[e].eP
		if ep := s.te[e].eP; ep == ep && ep != math.Exp(-s.te[e].P) { // (NaN: pending, expP)
			return math.Inf(1), fmt.Sprintf("actor %d entry %d: exp(-P) held %g, P %g", s.EntryActor(e), e, s.te[e].eP, s.te[e].P)
		}
	}
	heldT := make([]float64, len(s.te))
	for e := range s.te {
		heldT[e] = s.te[e].T
	}
	heldConvT := make([]float64, s.n)
	for i := range heldConvT {
		heldConvT[i] = s.hot[i].convT
	}
	defer func() {
		for i := range heldConvT {
			s.hot[i].convT = heldConvT[i]
		}
	}()
	worst, where := 0.0, ""
	// from scratch: without what the memos of deliver remember (a memo
	// that gave a stale value would show as drift)
	s.memo = deliverMemo2{}
	for i := 0; i < s.n; i++ {
		s.reprotect(i)
	}
	for e := range s.te {
		if d := math.Abs(s.te[e].P - held[e]); d > worst {
			worst, where = d, fmt.Sprintf("actor %d entry %d (threat %d) P %g, held %g", s.EntryActor(e), e, s.te[e].k, s.te[e].P, held[e])
		}
		if d := math.Abs(s.te[e].T - heldT[e]); d > worst {
			worst, where = d, fmt.Sprintf("entry %d (threat %d) T %g, held %g", e, s.te[e].k, s.te[e].T, heldT[e])
		}
		s.te[e].P, s.te[e].T, s.te[e].eP = held[e], heldT[e], heldE[e]
	}
	return worst, where
}

// Terms exposes a tie change's terms for actor i.
func (s *Sim) TieChange(i, j int, f0 Form, l0 Level, f1 Form, l1 Level) [NumTerms]float64 {
	pr := s.pairOf(i, j)
	return s.tieTerms(&pr, tieState{f: f0, l: l0, donor: -1}, tieState{f: f1, l: l1, donor: -1}, s.p.InitialTrust)
}

// JoinChange exposes the terms of i's accession to organisation o.
func (s *Sim) JoinChange(i, o int) [NumTerms]float64 { return s.joinTerms(i, o, false, 0) }

// EntryActor returns the actor whose threat entry e is.
func (s *Sim) EntryActor(e int) int {
	for i := 0; i < s.n; i++ {
		if int(s.teOff[i]) <= e && e < int(s.teOff[i+1]) {
			return i
		}
	}
	return -1
}

// Describe29 lists an actor's ties, groups and memberships (debugging).
func (s *Sim) Links(i int) string {
	out := fmt.Sprintf("actor %d orgs %v groups:", i, s.memberOf[i])
	for _, g := range s.inGroups[i] {
		out += fmt.Sprintf(" [%v %v about %v]", s.groups[g].Kind, s.groups[g].Members, s.groups[g].About)
	}
	out += " ties:"
	for _, k := range s.adj[i] {
		out += fmt.Sprintf(" %d(%v)", s.ties[k].Other(i), s.ties[k].Form)
	}
	return out
}

// Contribs lists actor i's protection contributions against entry e (debugging).
func (s *Sim) Contribs(i, e int) string {
	x := &s.te[e]
	out := fmt.Sprintf("self %.6f;", s.p.SelfHelp*s.hot[i].effCap)
	for _, o := range s.memberOf[i] {
		out += fmt.Sprintf(" org%d %.6f;", o, s.memberContrib(i, o, x))
	}
	for _, k := range s.adj[i] {
		t := &s.ties[k]
		out += fmt.Sprintf(" tie%d %.6f (cap %.6f rel %.6f src %d form %v lvl %v);", t.Other(i), s.tieContrib(i, t.Other(i), t.Form, t.Level, t.Age, x), s.capFor(x, t.Other(i)), s.hot[t.Other(i)].rel, x.src, t.Form, t.Level)
	}
	for _, gi := range s.inGroups[i] {
		g := &s.groups[gi]
		a := s.others(g, i)
		out += fmt.Sprintf(" g%d %.6f;", g.ID, s.groupContrib(i, g.Kind, g.Level, g.Age, g.About, &a, x))
	}
	for k := range s.apps {
		a := &s.apps[k]
		if a.applicant == i {
			out += fmt.Sprintf(" app %.6f;", s.assuranceContrib(a, s.ratifiedShare(a), x))
		}
	}
	return out
}

// RatifyTerms is member m's view of i's accession to o, by term.
func (s *Sim) RatifyTerms(m, i, o int) [NumTerms]float64 { return s.ratifyTerms(m, i, o) }

// SetDensePairs sets the largest world whose ties are looked up in a table
// (worlds built after the call) and returns the previous limit.
func SetDensePairs(n int) int {
	old := densePairs
	densePairs = n
	return old
}

// SetTEIndexMax sets the largest actors × threats table of threat entries
// (worlds built after the call; 0: none, entries are searched) and returns
// the previous limit.
func SetTEIndexMax(n int) int {
	old := teIndexMax
	teIndexMax = n
	return old
}

// SetMDBits sets how many mutual-defence organisations get a bit in the
// membership mask (worlds built after the call; 0: the membership lists
// only) and returns the previous number.
func SetMDBits(n int) int {
	old := mdBits
	mdBits = n
	return old
}

// TieChangeDonor is TieChange with the donors of both sides.
func (s *Sim) TieChangeDonor(i, j int, f0 Form, l0 Level, d0 int, f1 Form, l1 Level, d1 int) [NumTerms]float64 {
	pr := s.pairOf(i, j)
	return s.tieTerms(&pr, tieState{f: f0, l: l0, donor: d0}, tieState{f: f1, l: l1, donor: d1}, s.p.InitialTrust)
}

// AssistedFrom is the part of i's assisted capability donor d built.
func (s *Sim) AssistedFrom(i, d int) float64 {
	for _, pt := range s.aidBy[i] {
		if int(pt.donor) == d {
			return pt.a
		}
	}
	return 0
}

// CopiesDrift names the first of the copies kept for speed that differs
// from what it copies ("" when none): an actor's hot flags (present,
// patron, isOrg or srcHeld), its hot record's first state threat (kept
// for gap; its perceived threat where it is the only one, as gap reads
// it) against its threat entries, its partners in adjP against its
// ties in adj, and, for each present state, the organisations openOrgs
// offers it against the direct list (every organisation acting in its
// region open to it, in order, then k of them by the same partial
// Fisher-Yates), each drawn from its own copy of the
// run's stream, so the run itself draws nothing. The lists are checked for
// every stride-th state (from the step's number on); sampled counts those
// longer than k (the shuffle's path).
func (s *Sim) CopiesDrift(stride int) (drift string, sampled int) {
	for i := 0; i < s.n; i++ {
		h := &s.hot[i]
		want := uint8(0)
		if s.present[i] {
			want |= hotPresent
		}
		if s.patron[i] {
			want |= hotPatron
		}
		if s.isOrg[i] || s.srcHeld[i] {
			want |= hotSlow
		}
		if h.flags != want {
			return fmt.Sprintf("actor %d: hot flags %03b, want %03b", i, h.flags, want), 0
		}
		n, k, src, T := int32(0), int32(-1), int32(-1), 0.0
		for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
			if x := &s.te[e]; x.class == Conventional {
				if n == 0 {
					k, src, T = int32(x.k), int32(x.src), x.T
				}
				n++
			}
		}
		if h.nConv != n || h.convK != k || h.convSrc != src || (n == 1 && h.convT != T) {
			return fmt.Sprintf("actor %d: hot state threat (n %d, k %d, source %d, T %g), entries (n %d, k %d, source %d, T %g)", i, h.nConv, h.convK, h.convSrc, h.convT, n, k, src, T), 0
		}
		// adjP: the partner of each tie in adj, read instead of the tie
		// (reprotect, buildOptions)
		if len(s.adjP[i]) != len(s.adj[i]) {
			return fmt.Sprintf("actor %d: %d partners in adjP, %d ties in adj", i, len(s.adjP[i]), len(s.adj[i])), 0
		}
		for x, k := range s.adj[i] {
			if j := s.ties[k].Other(i); int(s.adjP[i][x]) != j {
				return fmt.Sprintf("actor %d: adjP[%d] is %d, its tie's other side %d", i, x, s.adjP[i][x], j), 0
			}
		}
	}
	for i := s.t % stride; i < s.n; i += stride {
		if !s.present[i] || !s.state[i] {
			continue
		}
		a, b := s.Clone(), s.Clone()
		got := slices.Clone(a.openOrgs(i, func(o int) bool { return a.openTo(i, o) }))
		var want []int
		for _, o := range b.acts[b.region[i]] {
			if b.openTo(i, o) {
				want = append(want, o)
			}
		}
		if k := int(b.p.Candidates); len(want) > k {
			sampled++
			for c := 0; c < k; c++ {
				d := c + b.rng.IntN(len(want)-c)
				want[c], want[d] = want[d], want[c]
			}
			want = want[:k]
		}
		if !slices.Equal(got, want) {
			return fmt.Sprintf("actor %d: openOrgs %v, the direct list %v", i, got, want), sampled
		}
		if a.rng.Uint64() != b.rng.Uint64() {
			return fmt.Sprintf("actor %d: openOrgs and the direct list drew differently from the stream", i), sampled
		}
	}
	return "", sampled
}

// CheckSettleSkips makes settle check, for each actor whose logged changes
// it skips (no shares held, joinedAt no later than its last sync), that
// none of them makes it a member, the only way settleFrom could apply one
// to an actor holding no shares; the first failure goes into *failure,
// and *skipped counts the skips. off restores the unchecked settle.
func CheckSettleSkips() (failure *string, skipped *int, off func()) {
	failure, skipped = new(string), new(int)
	settleSkipped = func(s *Sim, i int) {
		*skipped++
		for t := int(s.synced[i]); t < len(s.glog) && *failure == ""; t++ {
			r := &s.glog[t]
			if !r.alive {
				continue
			}
			_, in := slices.BinarySearch(s.loggedInts(r.members), i)
			if r.joiner == i || (r.created && in) {
				*failure = fmt.Sprintf("step %d: actor %d skipped change %d of group slot %d, which made it a member", s.t, i, t, r.gi)
			}
		}
	}
	return failure, skipped, func() { settleSkipped = nil }
}
