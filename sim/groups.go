package sim

import (
	"math"
	"slices"
)

// Minilateral groups (sources 002, 003): small sets of states around one
// issue, formed, joined, deepened, left and dissolved as a whole. A security
// group protects its members against the threats it is about only; an
// economic group (technology, resources) brings economic value and lock-in.

// Members' protection from their groups is kept lazily. A change of a
// group (formed, joined, deepened, left, dissolved) moves the protection of
// every member, and a coalition has thousands and changes tens of times a
// step; the changes after a member's last read in the step need never be
// applied to it, as the step's refresh recomputes every actor's protection
// (on Synthetic(5000), steps 21-100, 45 % of the changes' members apply
// them). So a change is logged (regroup) with the group as it stands after
// it, and each actor applies the changes since it was last current when
// its protection is next read (settle): for each, its shares of the group
// taken back and its new ones added, the same arithmetic in the same order
// as applying the change to every member at once, so the same protection
// whenever it is read. What a share depends on besides the group — the
// member's own and a source's capability, presence and reliability, and
// who is present — does not move between two refreshes, but for an
// organisation's first member or its last (whether it pools its members:
// addMember and removeMember settle everyone first).

// groupChange is a change of group slot gi as its members apply it: the
// group after it (alive false: dissolved), and who joined or left (-1), or
// for a new group its members. about, srcs and members are ranges of the
// log's ints (copies: a slot's arrays are reused).
type groupChange struct {
	gi             int
	alive, created bool
	kind           GroupKind
	level          Level
	age            int
	n              int
	cap, capRel    float64
	joiner, leaver int
	about, srcs    [2]int32
	members        [2]int32
}

// heldShare is one of an actor's shares of a group's protection that its
// protection includes: group slot gi, threat entry e, protection c.
type heldShare struct {
	gi, e int32
	c     float64
}

// logInts copies xs into the log's ints and returns their range.
func (s *Sim) logInts(xs []int) [2]int32 {
	lo := len(s.glogInts)
	s.glogInts = append(s.glogInts, xs...)
	return [2]int32{int32(lo), int32(len(s.glogInts))}
}

func (s *Sim) loggedInts(r [2]int32) []int { return s.glogInts[r[0]:r[1]] }

// regroup logs a change of group gi for its members' protection (settle):
// joiner or leaver is the actor that joined or left (-1), created says
// the group is new.
func (s *Sim) regroup(gi, joiner, leaver int, created bool) {
	g := &s.groups[gi]
	c := groupChange{gi: gi, alive: g.alive, created: created, kind: g.Kind, level: g.Level, age: g.Age,
		n: g.agg.n, cap: g.agg.cap, capRel: g.agg.capRel, joiner: joiner, leaver: leaver}
	at := int32(len(s.glog) + 1) // (joinedAt: 1 + this change's index)
	if g.alive {
		c.about, c.srcs = s.logInts(g.About), s.logInts(g.agg.srcs)
		if created {
			c.members = s.logInts(g.Members)
			for _, m := range g.Members {
				s.joinedAt[m] = at
			}
		}
		if joiner >= 0 {
			s.joinedAt[joiner] = at
		}
	}
	s.glog = append(s.glog, c)
}

// settle brings actor i's protection up to date with the logged changes of
// its groups before it is read.
func (s *Sim) settle(i int) {
	if int(s.synced[i]) != len(s.glog) {
		if len(s.held[i]) == 0 && s.joinedAt[i] <= s.synced[i] {
			// no shares, and no change since it was current made it a
			// member: settleFrom would walk the changes and apply none
			if settleSkipped != nil {
				settleSkipped(s, i)
			}
			s.synced[i] = int32(len(s.glog))
			return
		}
		s.settleFrom(i)
	}
}

// settleSkipped, when set (by a test), is called with each actor whose
// changes settle skips, before it skips them.
var settleSkipped func(s *Sim, i int)

// settleFrom applies to i's protection the changes logged since it was
// last current: for each change of a group it has shares of or is a member
// of after the change, its shares taken back, then its shares of the group
// as it stands after the change added (groupContrib with the other
// members' sum, as othersOf), the exp(−P) of the entries left pending.
func (s *Sim) settleFrom(i int) {
	for t := int(s.synced[i]); t < len(s.glog); t++ {
		r := &s.glog[t]
		h := s.held[i]
		has := false
		for _, x := range h {
			if int(x.gi) == r.gi {
				has = true
				break
			}
		}
		member := has
		switch {
		case !r.alive:
			member = false
		case r.created:
			_, member = slices.BinarySearch(s.loggedInts(r.members), i)
		case r.joiner == i:
			member = true
		case r.leaver == i:
			member = false
		}
		if !has && !member {
			continue
		}
		kept := h[:0]
		for _, x := range h {
			if int(x.gi) != r.gi {
				kept = append(kept, x)
				continue
			}
			s.te[x.e].P -= x.c
			s.te[x.e].eP = pendingEP
		}
		if member && s.present[i] {
			sh := s.groupShareOf(i)
			a := agg{n: r.n - 1, cap: r.cap - sh.cap, capRel: r.capRel - sh.capRel, srcs: s.loggedInts(r.srcs), excl: i, extra: -1}
			about := s.loggedInts(r.about)
			for _, k := range about {
				if e := s.feels(i, k); e >= 0 {
					c := s.groupContrib(i, r.kind, r.level, r.age, about, &a, &s.te[e])
					s.te[e].P += c
					s.te[e].eP = pendingEP
					kept = append(kept, heldShare{int32(r.gi), int32(e), c})
				}
			}
		}
		s.held[i] = kept
	}
	s.synced[i] = int32(len(s.glog))
}

// settleAll brings every actor's protection up to date and empties the log.
func (s *Sim) settleAll() {
	for i := 0; i < s.n; i++ {
		s.settle(i)
	}
	s.clearLog()
}

// clearLog empties the log of group changes: every actor's protection is
// current (settleAll, or refresh about to recompute it).
func (s *Sim) clearLog() {
	s.glog, s.glogInts = s.glog[:0], s.glogInts[:0]
	clear(s.synced)
	clear(s.joinedAt)
}

// mainThreat is the threat of a class that i feels most this step (-1: none).
func (s *Sim) mainThreat(i int, class ThreatClass) int {
	best, bestT := -1, 0.0
	for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
		x := &s.te[e]
		if x.class == class && x.T > bestT {
			best, bestT = x.k, x.T
		}
	}
	return best
}

// excluded reports whether j may not be in a group about threat k: its
// source, or an organisation that contains it.
func (s *Sim) excluded(j, k int) bool {
	if k < 0 {
		return false
	}
	src := s.w.Threats[k].Source
	return src >= 0 && (j == src || (s.isOrg[j] && s.isMemberOf(src, j)))
}

// groupOptions adds proposing, joining, deepening and leaving minilaterals.
func (s *Sim) groupOptions(i int) {
	p := &s.p
	maxSize := int(p.MaxGroupSize)
	mine := 0
	for _, g := range s.inGroups[i] {
		if s.groups[g].Kind == Minilateral {
			mine++
		}
	}
	// (minilaterals are on the partnership agenda; the random draws below
	// are made on either, so that the stream does not depend on it)
	want := s.wants(ChooseProposeGroup, Cooperation, -1)
	// propose: i and its best-valued state candidates, up to 4 members
	if mine < 3 && want {
		best := option{kind: ChooseProposeGroup, j: -1, tie: -1, group: -1, donor: -1, level: Nominal, u: math.Inf(-1)}
		for _, issue := range [3]Issue{IssueDeterrence, IssueTerrorism, IssueTechnology} {
			about := -1
			if c := issue.Class(); c != Economic {
				if about = s.mainThreat(i, c); about < 0 {
					continue
				}
			}
			prop := s.proposal(i, about)
			if len(prop) < 3 {
				continue
			}
			a := s.aggInto(prop, i, s.srcBuf)
			s.srcBuf = a.srcs[:0]
			ab := aboutList(about)
			t := s.groupTerms(i, Minilateral, issue, groupSide{}, groupSide{l: Nominal, a: &a, about: ab}, p.InitialTrust)
			if u := t.sum(); u > best.u {
				best.u, best.t, best.issue, best.about = u, t, issue, about
			}
		}
		if !math.IsInf(best.u, -1) && s.onAgenda(&best) {
			s.opts = append(s.opts, best)
		}
	}
	// join a candidate's group
	for _, j := range s.cands {
		if !s.state[j] || len(s.inGroups[j]) == 0 {
			continue
		}
		gi := s.inGroups[j][s.rng.IntN(len(s.inGroups[j]))]
		g := &s.groups[gi]
		if !want || g.Kind != Minilateral || len(g.Members) >= maxSize || s.inGroup(gi, i) || s.excludedFrom(i, g) || !s.concerns(i, g) {
			break
		}
		t := s.groupTerms(i, g.Kind, g.Issue, groupSide{}, groupSide{l: g.Level, a: &g.agg, age: g.Age, about: g.About, newcomer: true}, s.p.InitialTrust)
		s.addOpt(&option{kind: ChooseJoinGroup, j: -1, tie: -1, group: gi, donor: -1, issue: g.Issue, level: g.Level, about: -1, t: t})
		break
	}
	// deepen or leave one of its own minilaterals (coalitions have their
	// own options)
	if mine > 0 {
		gi, r := -1, s.rng.IntN(mine)
		for _, x := range s.inGroups[i] {
			if s.groups[x].Kind == Minilateral {
				if r == 0 {
					gi = x
					break
				}
				r--
			}
		}
		g := &s.groups[gi]
		if want && g.Kind == Minilateral {
			a := s.others(g, i)
			cur := groupSide{l: g.Level, a: &a, age: g.Age, about: g.About}
			if g.Level < Advanced {
				t := s.groupTerms(i, g.Kind, g.Issue, cur, groupSide{l: g.Level + 1, a: &a, age: g.Age, about: g.About}, g.Trust)
				s.addOpt(&option{kind: ChooseDeepenGroup, j: -1, tie: -1, group: gi, donor: -1, level: g.Level + 1, about: -1, t: t})
			}
			t := s.groupTerms(i, g.Kind, g.Issue, cur, groupSide{}, g.Trust)
			t[TermReputation] -= p.AbandonPenalty * g.Trust * groupGivenUp(g)
			s.addOpt(&option{kind: ChooseLeaveGroup, j: -1, tie: -1, group: gi, donor: -1, level: None, about: -1, t: t})
		}
	}
}

func aboutList(k int) []int {
	if k < 0 {
		return nil
	}
	return []int{k}
}

// concerns reports whether group g is about something i has a stake in:
// a security group about a threat i feels, or a technology or resources
// group (about no threat). A state joins a minilateral for its issue
// (source 002: small groups "around one issue"), as a coalition is joined
// only by those who feel its threat (coalitionOptions): a maritime group
// against China is not one Mexico joins.
func (s *Sim) concerns(i int, g *Group) bool {
	if len(g.About) == 0 {
		return true
	}
	for _, k := range g.About {
		if s.PerceivedThreatOf(i, k) > 0 {
			return true
		}
	}
	return false
}

// excludedFrom reports whether i may not join group g (it is the source of
// a threat the group is about).
func (s *Sim) excludedFrom(i int, g *Group) bool {
	for _, k := range g.About {
		if s.excluded(i, k) {
			return true
		}
	}
	return false
}

// proposal picks up to three state candidates i values most as partners
// (fewer when max_group_size is smaller than four; none of them the source
// of the threat the group would be about) and returns them with i in s.tmp,
// or nil when fewer than two qualify or i already sits in a group with all
// of them.
func (s *Sim) proposal(i, about int) []int {
	size := min(4, int(s.p.MaxGroupSize))
	if size < 3 {
		return nil
	}
	prop := append(s.tmp[:0], i)
	var score [8]float64
	for c, j := range s.cands {
		if !s.state[j] || s.isMember(i, j) || s.excluded(j, about) {
			continue
		}
		v := math.NaN()
		if c < len(s.candVal) {
			v = s.candVal[c]
		}
		if math.IsNaN(v) {
			v = s.tieDelta(i, j, tieState{f: Cooperation, l: None, donor: -1}, tieState{f: Cooperation, l: Nominal, donor: -1}, s.p.InitialTrust)
			if c < len(s.candVal) {
				s.candVal[c] = v
			}
		}
		// insertion into the top three
		pos := len(prop)
		for pos > 1 && v > score[pos-1] {
			pos--
		}
		if pos > size-1 {
			continue
		}
		prop = append(prop, 0)
		copy(prop[pos+1:], prop[pos:])
		copy(score[pos+1:], score[pos:len(prop)-1])
		prop[pos], score[pos] = j, v
		if len(prop) > size {
			prop = prop[:size]
		}
	}
	s.tmp = prop
	if len(prop) < 3 {
		return nil
	}
	for _, gi := range s.inGroups[i] {
		all := true
		for _, m := range prop[1:] {
			if !s.inGroup(gi, m) {
				all = false
				break
			}
		}
		if all {
			return nil
		}
	}
	return prop
}

// propose asks i's proposal partners to form a minilateral group on the
// issue about a threat; those who decline drop out, and the group forms if
// at least three remain, each consenting to the group as it stands.
func (s *Sim) propose(i int, issue Issue, about int, o *option) bool {
	p := &s.p
	mem := s.proposal(i, about)
	if len(mem) < 3 {
		return false
	}
	mem = append([]int(nil), mem...)
	ab := aboutList(about)
	for pass := 0; pass < 3; pass++ {
		kept := []int{mem[0]}
		for _, m := range mem[1:] {
			a := s.aggOf(mem, m)
			t := s.groupTerms(m, Minilateral, issue, groupSide{}, groupSide{l: Nominal, a: &a, about: ab}, p.InitialTrust)
			if s.decide(m, t, o, i) {
				kept = append(kept, m)
			}
		}
		if len(kept) == len(mem) {
			break
		}
		mem = kept
		if len(mem) < 3 {
			break
		}
	}
	if len(mem) < 3 {
		s.emit(Event{Kind: GroupRejected, Actor: i, Other: -1, Group: -1, Level: Nominal, Size: len(mem), Issue: issue})
		return false
	}
	gi := s.addGroup(Minilateral, issue, -1, -1, Nominal, mem, ab)
	g := &s.groups[gi]
	s.emit(Event{Kind: GroupFormed, Actor: i, Other: -1, Group: g.ID, Level: Nominal, Size: len(g.Members), Issue: issue})
	s.regroup(gi, -1, -1, true)
	return true
}

// join lets i join group gi with every member's consent (coalitions are
// open to every exposed actor: source 001's 79 members).
func (s *Sim) join(i, gi int, o *option) bool {
	g := &s.groups[gi]
	if g.Kind != CoalitionGroup {
		for _, m := range g.Members {
			if !s.present[m] {
				continue
			}
			a0 := s.others(g, m)
			a1 := s.plus(a0, i)
			t := s.groupTerms(m, g.Kind, g.Issue, groupSide{l: g.Level, a: &a0, age: g.Age, about: g.About},
				groupSide{l: g.Level, a: &a1, age: g.Age, about: g.About}, g.Trust)
			if !s.decide(m, t, o, i) {
				s.emit(Event{Kind: GroupRejected, Actor: i, Other: m, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
				return false
			}
		}
	}
	s.groupJoin(gi, i)
	s.emit(Event{Kind: GroupJoined, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
	s.regroup(gi, i, -1, false)
	return true
}

// deepenGroup raises group gi's level if every other member consents.
func (s *Sim) deepenGroup(i, gi int, o *option) bool {
	g := &s.groups[gi]
	for _, m := range g.Members {
		if m == i || !s.present[m] {
			continue
		}
		a := s.others(g, m)
		t := s.groupTerms(m, g.Kind, g.Issue, groupSide{l: g.Level, a: &a, age: g.Age, about: g.About},
			groupSide{l: g.Level + 1, a: &a, age: g.Age, about: g.About}, g.Trust)
		if !s.decide(m, t, o, i) {
			s.emit(Event{Kind: GroupRejected, Actor: i, Other: m, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
			return false
		}
	}
	g.Level++
	s.emit(Event{Kind: GroupDeepened, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: g.Issue})
	s.regroup(gi, -1, -1, false)
	return true
}

// leave takes i out of group gi (unilateral; it costs reputation), and
// dissolves the group if too few remain.
func (s *Sim) leave(i, gi int) {
	g := &s.groups[gi]
	s.severity = g.Trust * groupGivenUp(g)
	s.quitGroup(i, gi)
}

// minMembers is the fewest members a group of this kind keeps: a
// coalition two, a minilateral three.
func minMembers(k GroupKind) int {
	if k == CoalitionGroup {
		return 2
	}
	return 3
}

// quitGroup takes i out of group gi, with its events, dissolves the group
// if too few remain, and updates the members' protection.
func (s *Sim) quitGroup(i, gi int) {
	g := &s.groups[gi]
	s.groupLeave(gi, i)
	s.emit(Event{Kind: GroupLeft, Actor: i, Other: -1, Group: g.ID, Level: g.Level, Age: g.Age, Size: len(g.Members), Issue: g.Issue})
	if len(g.Members) < minMembers(g.Kind) {
		s.emit(Event{Kind: GroupDissolved, Actor: -1, Other: g.Threat, Group: g.ID, Level: g.Level, Age: g.Age, Issue: g.Issue})
		s.removeGroup(gi)
	}
	s.regroup(gi, -1, i, false)
}

// dissolve ends group gi and takes its protection from its members.
func (s *Sim) dissolve(gi int) {
	g := &s.groups[gi]
	s.emit(Event{Kind: GroupDissolved, Actor: -1, Other: g.Threat, Group: g.ID, Level: g.Level, Age: g.Age, Issue: g.Issue})
	s.removeGroup(gi)
	s.regroup(gi, -1, -1, false)
}
