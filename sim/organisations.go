package sim

import (
	"iter"
	"math"
	"slices"
)

// Organisations made of members (sources 002, 004). An organisation's
// capability, reliability, values and exposure derive from its members; it
// decides through them (see relational and orgConsent). Membership is
// dynamic: a state joins by accession, which every member must ratify
// (veto players: a member with a grievance holds the application until
// concessions resolve it, as Turkey and Hungary held Sweden's), and leaves
// by withdrawal. Membership of an organisation with a mutual-defence
// charter brings its members' protection and binds every pair of members.
// The system's composition changes too: states and organisations enter and
// leave (Actor.Enter, Exit, Absent), and a successor takes over its
// predecessors' memberships and ties (Actor.Inherits).

// Dyad is a pair of states bound by mutual defence at a step: through a
// bilateral alliance (Via = -1) or through common membership of an
// organisation whose charter carries a mutual-defence clause (Via = the
// organisation's index). A < B. This is the unit the Correlates of War and
// ATOP alliance data count.
type Dyad struct {
	A, B int
	Via  int
}

// MembersOf returns the current members of actor o (an organisation or
// informal group) that are in the system, sorted by index; nil for a
// state. The slice is a read-only view, valid until the next change of
// membership or the next Step.
func (s *Sim) MembersOf(o int) []int {
	if s.memberView[o] == nil && len(s.members[o]) > 0 {
		v := make([]int, 0, len(s.members[o]))
		for _, m := range s.members[o] {
			if s.present[m.actor] {
				v = append(v, m.actor)
			}
		}
		s.memberView[o] = v
	}
	return s.memberView[o]
}

// OrganisationsOf returns the organisations and groups actor i currently
// belongs to (read-only view, valid until the next Step).
func (s *Sim) OrganisationsOf(i int) []int { return s.memberOf[i] }

// InSystem reports whether actor i is in the system at this step: it has
// entered, has not left and is not absent.
func (s *Sim) InSystem(i int) bool { return s.present[i] }

// Pending yields the accession applications under way: applicant,
// organisation, the step it applied, and how many members have ratified.
func (s *Sim) Pending() iter.Seq2[[2]int, [2]int] {
	return func(yield func([2]int, [2]int) bool) {
		for _, a := range s.apps {
			if !yield([2]int{a.applicant, a.org}, [2]int{a.since, len(a.ratified)}) {
				return
			}
		}
	}
}

// DefenceDyads yields every pair of states in the system bound by a
// mutual-defence treaty at this step, once per pair, in ascending (A, B)
// order: a bilateral alliance first, otherwise the first mutual-defence
// organisation (by index) both belong to. This is the unit the Correlates
// of War and ATOP alliance data count: written treaties in force, so an
// interim assurance to an applicant is not one (see CommittedDyads). A
// successor and the predecessor it continues are never a dyad.
func (s *Sim) DefenceDyads() iter.Seq[Dyad] {
	return func(yield func(Dyad) bool) {
		for _, d := range s.dyads(nil, false) {
			if !yield(d) {
				return
			}
		}
	}
}

// DefenceDyadList is DefenceDyads as a slice the Sim owns, valid until
// the next call or the next step: a caller reading the dyads at every step
// (compare, calibrate) allocates none once it has grown.
func (s *Sim) DefenceDyadList() []Dyad {
	s.dyadBuf = s.dyads(s.dyadBuf[:0], false)
	return s.dyadBuf
}

// CommittedDyads yields the defence dyads and, besides them, every
// applicant to a mutual-defence organisation with each member that has
// ratified its accession (the member's interim assurance, as the 2022
// assurances to Finland and Sweden), in the same order and with the same
// rule for successors.
func (s *Sim) CommittedDyads() iter.Seq[Dyad] {
	return func(yield func(Dyad) bool) {
		for _, d := range s.dyads(nil, true) {
			if !yield(d) {
				return
			}
		}
	}
}

// succeeds reports whether a continues b (Actor.Inherits): a successor
// and its predecessor are one polity, never a dyad, in the year both are
// coded (Germany and the Federal Republic in 1990).
func (s *Sim) succeeds(a, b int) bool { return slices.Contains(s.w.Actors[a].Inherits, b) }

// AppendDefenceDyads appends the defence dyads (as DefenceDyads yields
// them) to out and returns it: for callers that reuse a buffer.
func (s *Sim) AppendDefenceDyads(out []Dyad) []Dyad { return s.dyads(out, false) }

// dyads appends the defence dyads to out, sorted, with the interim
// assurances of pending accessions if assured.
func (s *Sim) dyads(out []Dyad, assured bool) []Dyad {
	// every pair as found (a pair bound twice found twice), then sorted
	// stably by pair and each pair's first kept: the treaty found first
	// (a bilateral alliance, then the organisations in order) names it
	from := len(out)
	add := func(a, b, via int) {
		if a == b || !s.state[a] || !s.state[b] || !s.present[a] || !s.present[b] || s.succeeds(a, b) || s.succeeds(b, a) {
			return
		}
		if a > b {
			a, b = b, a
		}
		out = append(out, Dyad{A: a, B: b, Via: via})
	}
	for k := range s.ties {
		if t := &s.ties[k]; t.alive && t.Form == Alliance {
			add(t.A, t.B, -1)
		}
	}
	for o := range s.w.Actors {
		if !s.w.Actors[o].MutualDefence || !s.present[o] {
			continue
		}
		mem := s.members[o]
		for x, a := range mem {
			for _, b := range mem[x+1:] {
				add(a.actor, b.actor, o)
			}
		}
	}
	// an applicant and the members that have ratified its accession
	for k := range s.apps {
		if !assured {
			break
		}
		a := &s.apps[k]
		if !s.w.Actors[a.org].MutualDefence || !s.present[a.org] {
			continue
		}
		for _, m := range a.ratified {
			if s.isMemberOf(m, a.org) {
				add(a.applicant, m, a.org)
			}
		}
	}
	found := out[from:]
	byPair := func(x, y Dyad) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	}
	if assured {
		slices.SortStableFunc(found, byPair)
	} else {
		// without the applicants, the order found is by Via (-1, a
		// bilateral alliance, then the organisations in order, and one
		// Via for each pair from one source): sorting by pair, then Via,
		// is the stable sort's result, by a faster sort
		slices.SortFunc(found, func(x, y Dyad) int {
			if c := byPair(x, y); c != 0 {
				return c
			}
			return x.Via - y.Via
		})
	}
	found = slices.CompactFunc(found, func(x, y Dyad) bool { return x.A == y.A && x.B == y.B })
	return out[:from+len(found)]
}

// pendingApp returns the index of i's application to o, or -1.
func (s *Sim) pendingApp(i, o int) int {
	if s.nApps[i] == 0 {
		return -1
	}
	for k := range s.apps {
		if s.apps[k].applicant == i && s.apps[k].org == o {
			return k
		}
	}
	return -1
}

// dropApp removes the application in slot k.
func (s *Sim) dropApp(k int) {
	s.nApps[s.apps[k].applicant]--
	s.apps = slices.Delete(s.apps, k, k+1)
}

// mayApply reports whether o's charter lets state i apply: o is not
// closed, and it names i among the states it admits (Actor.Admits:
// wherever they are, as the Arab League admits the Comoros) or, naming
// none, acts in i's region.
func (s *Sim) mayApply(i, o int) bool {
	a := &s.w.Actors[o]
	if a.Closed {
		return false
	}
	if len(a.Admits) > 0 {
		return slices.Contains(a.Admits, i)
	}
	return s.actsInRegion(o, s.region[i])
}

// actsInRegion reports whether organisation o acts in region r (its own
// short list of regions, not the region's list of organisations).
func (s *Sim) actsInRegion(o, r int) bool { return slices.Contains(s.actsIn[o], r) }

// openTo reports whether i may apply to organisation o now: o is in the
// system with members, not an informal group, i neither a member nor an
// applicant, and o's charter admits it (mayApply).
func (s *Sim) openTo(i, o int) bool {
	return s.present[o] && len(s.members[o]) > 0 && !s.isMemberOf(i, o) && s.pendingApp(i, o) < 0 &&
		s.w.Actors[o].Kind != Informal && s.mayApply(i, o)
}

// accessionOptions adds applying to the organisations i may apply to
// (those acting in its region, then those whose charter names it) and
// withdrawing from those i belongs to.
func (s *Sim) accessionOptions(i int) {
	eligible := func(o int) bool { return s.openTo(i, o) }
	apply := func(o int) {
		t := s.joinTerms(i, o, false, 0)
		s.addOpt(&option{kind: ChooseAccede, j: o, tie: -1, group: -1, donor: -1, level: None, about: -1, t: t})
	}
	// those acting in its region: all of them where at most k
	// (candidates) are open to it, as in every built-in and imported
	// world; otherwise k of them drawn at random, as it weighs k sampled
	// partners (bounded attention; a world of thousands of organisations
	// keeps a step of O(N k) utility evaluations)
	open := s.openOrgs(i, eligible)
	s.orgCands = open
	for _, o := range open {
		apply(o)
	}
	for _, o := range s.chartered[i] {
		if !s.actsInRegion(o, s.region[i]) && eligible(o) {
			apply(o)
		}
	}
	for _, o := range s.memberOf[i] {
		if !s.present[o] || s.w.Actors[o].Kind == Informal {
			continue
		}
		since, _ := s.memberSince(o, i)
		t := s.joinTerms(i, o, true, since)
		s.addOpt(&option{kind: ChooseWithdraw, j: o, tie: -1, group: -1, donor: -1, level: None, about: -1, t: t})
	}
}

// openOrgs is the organisations acting in i's region that are open to it
// (eligible), in their order, or k (candidates) of them drawn by a partial
// Fisher-Yates shuffle of that list when more are. It does not build the
// list: a region of a large world has thousands of organisations, and the
// list is those open to any state of the region (accBase) but for the
// few i belongs to or has applied to, and for those whose charter names
// the states they admit (accCharter). The same organisations in the same
// order, and the same draws from the run's stream.
func (s *Sim) openOrgs(i int, eligible func(int) bool) []int {
	r := s.region[i]
	if s.accDirty {
		s.rebuildAccBase()
	}
	acts, base := s.acts[r], s.accBase[r]
	// the list's departures from base, by position in acts: those of base
	// i may not apply to (out) and the chartered ones it may (in)
	dev := s.accDev[:0]
	drop := func(o int) {
		if !s.openToAll(o) {
			return
		}
		for x, rr := range s.actsIn[o] {
			if rr == r {
				pos := s.actsAt[o][x]
				for _, d := range dev {
					if d.pos == pos {
						return
					}
				}
				dev = append(dev, accDev{pos, false})
			}
		}
	}
	for _, o := range s.memberOf[i] {
		drop(o)
	}
	if s.nApps[i] > 0 {
		for k := range s.apps {
			if s.apps[k].applicant == i {
				drop(s.apps[k].org)
			}
		}
	}
	for _, pos := range s.accCharter[r] {
		if eligible(acts[pos]) {
			dev = append(dev, accDev{pos, true})
		}
	}
	slices.SortFunc(dev, func(a, b accDev) int { return int(a.pos - b.pos) })
	s.accDev = dev
	n := len(base)
	for _, d := range dev {
		if d.in {
			n++
		} else {
			n--
		}
	}
	// at is the list's p-th organisation
	at := func(p int) int {
		b := 0 // (base[:b] passed)
		for _, d := range dev {
			nb, _ := slices.BinarySearch(base[b:], d.pos)
			if p < nb {
				return acts[base[b+p]]
			}
			p -= nb
			b += nb
			if d.in {
				if p == 0 {
					return acts[d.pos]
				}
				p--
			} else {
				b++ // (base[b] is d.pos: not open to i)
			}
		}
		return acts[base[b+p]]
	}
	open := s.orgCands[:0]
	k := int(s.p.Candidates)
	if n <= k {
		for p := 0; p < n; p++ {
			open = append(open, at(p))
		}
		return open
	}
	// the shuffle's first k places; a place it has not written holds the
	// list's organisation at that place (swapped: what it was written)
	sw := s.accSwap[:0]
	get := func(p int) int {
		for _, x := range sw {
			if x[0] == p {
				return x[1]
			}
		}
		return at(p)
	}
	set := func(p, o int) {
		for x := range sw {
			if sw[x][0] == p {
				sw[x][1] = o
				return
			}
		}
		sw = append(sw, [2]int{p, o})
	}
	for c := 0; c < k; c++ {
		d := c + s.rng.IntN(n-c)
		oc, od := get(c), get(d)
		set(c, od)
		set(d, oc)
	}
	for c := 0; c < k; c++ {
		open = append(open, get(c))
	}
	s.accSwap = sw
	return open
}

// accDev is a departure of an actor's list of open organisations from its
// region's base list: position pos in acts, in the list or out of it.
type accDev struct {
	pos int32
	in  bool
}

// openToAll reports whether organisation o is open to every state of the
// regions it acts in that is neither a member nor an applicant: in the
// system, with members, not an informal group, not closed, admitting
// states by region (its charter names none).
func (s *Sim) openToAll(o int) bool {
	a := &s.w.Actors[o]
	return s.present[o] && len(s.members[o]) > 0 && a.Kind != Informal && !a.Closed && len(a.Admits) == 0
}

// rebuildAccBase lists for each region the positions in acts of the
// organisations open to all (accBase) and of those whose charter names
// the states they admit (accCharter), after presence or an organisation's
// having members changed (accDirty).
func (s *Sim) rebuildAccBase() {
	s.accDirty = false
	if len(s.accBase) != len(s.acts) {
		s.accBase, s.accCharter = make([][]int32, len(s.acts)), make([][]int32, len(s.acts))
	}
	for r, acts := range s.acts {
		base, ch := s.accBase[r][:0], s.accCharter[r][:0]
		for pos, o := range acts {
			switch {
			case len(s.w.Actors[o].Admits) > 0:
				ch = append(ch, int32(pos))
			case s.openToAll(o):
				base = append(base, int32(pos))
			}
		}
		s.accBase[r], s.accCharter[r] = base, ch
	}
}

// apply lodges i's application to o; every member ratifies or holds it.
// It reports whether i became a member at once.
func (s *Sim) apply(i, o int, opt *option) bool {
	a := application{applicant: i, org: o, since: s.t}
	s.apps = append(s.apps, a)
	s.nApps[i]++
	s.emit(Event{Kind: AccessionRequested, Actor: i, Other: o, Group: -1})
	return s.ratify(len(s.apps)-1, opt)
}

// ratify lets every member that has not yet ratified application k decide
// (a member that ratifies assures the applicant of its protection in the
// interim: the 2022 assurances to Finland and Sweden);
// when all have, the applicant joins. A member that refuses only because
// of a grievance against the applicant (it would accept but for the
// rivalry term) holds the application: it stays pending while concessions
// ease the grievance. A refusal on substance (security, entrapment,
// similarity) rejects it. ratify reports whether the applicant joined; a
// rejected application is removed.
func (s *Sim) ratify(k int, opt *option) bool {
	a := &s.apps[k]
	i, o := a.applicant, a.org
	held := false
	for _, m := range s.members[o] {
		mi := m.actor
		if !s.present[mi] || slices.Contains(a.ratified, mi) {
			continue
		}
		t := s.ratifyTerms(mi, i, o)
		s.consentSubject = Choice{Kind: ChooseAccede, Partner: o, Group: -1}
		if s.decide(mi, t, opt, i) {
			a.ratified = append(a.ratified, mi)
			continue
		}
		if t.sum()-t[TermRivalry] > 0 {
			if !slices.Contains(a.held, mi) {
				a.held = append(a.held, mi)
				s.emit(Event{Kind: AccessionHeld, Actor: i, Other: o, Group: -1, Size: mi})
			}
			held = true
			continue
		}
		s.emit(Event{Kind: AccessionRejected, Actor: i, Other: o, Group: -1, Size: mi})
		s.dropApp(k)
		s.reprotect(i)
		return false
	}
	if held {
		s.reprotect(i)
		return false
	}
	s.dropApp(k)
	s.accede(i, o)
	return true
}

// accede makes i a member of o now; membership replaces a partnership
// tie i had with o (one relation per pair).
func (s *Sim) accede(i, o int) {
	if k, tied := s.tieSlot(i, o); tied {
		s.removeTie(k)
	}
	s.addMember(o, i, s.t)
	s.emit(Event{Kind: Acceded, Actor: i, Other: o, Group: -1})
	s.membershipChanged(o)
	// a group formed against a threat cannot hold its source: an
	// organisation that the source has joined leaves the group
	for _, gi := range slices.Clone(s.inGroups[o]) {
		if g := &s.groups[gi]; g.alive && s.excludedFrom(o, g) {
			s.quitGroup(o, gi)
			s.reprotect(o)
		}
	}
}

// membershipChanged recomputes what a change of o's membership touches
// within the step: the pool its members' protection draws on, every
// member's, applicant's and partner's protection (a source that joins no
// longer protects o's partners against itself). The organisation's own
// capability and reliability, which its partners see, follow at the next
// refresh (as every actor's capability does).
func (s *Sim) membershipChanged(o int) {
	var sum pool
	for _, m := range s.members[o] {
		if s.present[m.actor] {
			sum = sum.plus(s.shareOf(m.actor))
		}
	}
	s.orgPool[o] = sum
	// its values and autonomy follow its members (it decides through them)
	s.deriveFromCurrent(o)
	s.refactor(o)
	for _, m := range s.members[o] {
		s.reprotect(m.actor)
	}
	s.reprotect(o)
	for k := range s.apps {
		if s.apps[k].org == o {
			s.reprotect(s.apps[k].applicant)
		}
	}
	// a partner of o is protected by o less the sources among its members
	for _, k := range s.adj[o] {
		s.reprotect(s.ties[k].Other(o))
	}
}

// ratifications gives every pending application a new round: holdouts
// decide again after the applicant's concessions have eased their
// grievance.
func (s *Sim) ratifications() {
	if len(s.apps) == 0 {
		return
	}
	// the share of a grievance resolved this step: concession_rate a year,
	// compounded over the step; a rate of 1 resolves it at once
	resolved := 1.0
	if s.p.ConcessionRate < 1 {
		resolved = 1 - math.Pow(1-s.p.ConcessionRate, s.dt)
	}
	for k := 0; k < len(s.apps); {
		a := &s.apps[k]
		i, o := a.applicant, a.org
		if !s.present[i] || !s.present[o] || s.isMemberOf(i, o) {
			s.dropApp(k)
			continue
		}
		// concessions: holdouts' grievances against the applicant ease
		for _, m := range s.members[o] {
			if !slices.Contains(a.ratified, m.actor) {
				if e := s.Enmity(m.actor, i); e > 0 {
					s.setEnmity(m.actor, i, e*(1-resolved))
					if _, ok := s.TieBetween(m.actor, i); ok {
						// (a tie between them protects as far as their enmity allows: reliabilityTo)
						s.reprotect(m.actor)
						s.reprotect(i)
					}
				}
			}
		}
		n := len(s.apps)
		s.ratify(k, nil)
		if len(s.apps) < n {
			continue // joined or rejected: removed
		}
		k++
	}
}

// withdraw takes i out of o (unilateral; it costs reputation).
func (s *Sim) withdraw(i, o int) {
	since, _ := s.memberSince(o, i)
	trust := s.memberTrust(s.t - since)
	s.severity = trust * max(s.w.Actors[o].Commitment, 0.25)
	s.removeMember(o, i)
	s.emit(Event{Kind: Withdrew, Actor: i, Other: o, Group: -1, Age: s.t - since})
	s.membershipChanged(o)
	s.reprotect(i)
}

// ---- the system's composition -------------------------------------------

// composition applies this step's entries, exits and absences; it reports
// whether anything changed.
func (s *Sim) composition() bool {
	if s.t > s.lastEntry {
		return false
	}
	clear(s.memberView) // presence may change
	changed := s.revalue()
	// entries and returns first, so that a successor entering at the step
	// its predecessor leaves inherits the predecessor's ties, memberships
	// and groups before the exit ends them (Czechoslovakia's successors in
	// 1993); then absences and exits
	for i := range s.w.Actors {
		if s.gone[i] || s.present[i] || !s.presentAt(i, s.t) {
			continue
		}
		changed = true
		s.setPresent(i, true)
		if s.t == s.w.Actors[i].Enter {
			s.enter(i)
		} else {
			s.emit(Event{Kind: ActorReturned, Actor: i, Other: -1, Group: -1})
		}
	}
	for i := range s.w.Actors {
		if s.gone[i] || s.presentAt(i, s.t) {
			continue
		}
		a := &s.w.Actors[i]
		exits := a.Exit > 0 && s.t >= a.Exit
		if !s.present[i] && !exits {
			continue
		}
		// (an actor absent when its exit comes leaves all the same)
		changed = true
		wasPresent := s.present[i]
		s.setPresent(i, false)
		switch {
		case exits:
			s.exit(i)
		case wasPresent:
			s.emit(Event{Kind: ActorAbsent, Actor: i, Other: -1, Group: -1})
		}
	}
	if changed {
		s.accDirty = true // (presence moved)
		// values changed, or members came or went (a successor's
		// inherited memberships, a founding, an exit)
		s.rederive()
	}
	return changed
}

// enter brings actor i into the system: its founding members (an
// organisation) and what it inherits from its predecessors.
func (s *Sim) enter(i int) {
	a := &s.w.Actors[i]
	s.emit(Event{Kind: ActorEntered, Actor: i, Other: -1, Group: -1})
	for _, m := range a.Members {
		s.addMember(i, m, s.t)
	}
	for _, pre := range a.Inherits {
		for _, o := range slices.Clone(s.memberOf[pre]) {
			since, _ := s.memberSince(o, pre)
			s.addMember(o, i, since)
			s.emit(Event{Kind: Acceded, Actor: i, Other: o, Group: -1})
		}
		for _, k := range s.adj[pre] {
			t := s.ties[k]
			j := t.Other(pre)
			if j == i {
				continue
			}
			if _, tied := s.tieSlot(i, j); tied || s.isMember(i, j) {
				continue
			}
			donor := t.Donor
			if donor == pre {
				donor = i
			}
			nk := s.addTie(i, j, t.Form, t.Level, donor)
			s.ties[nk].Age, s.ties[nk].Trust = t.Age, t.Trust
		}
		for _, gi := range slices.Clone(s.inGroups[pre]) {
			if !s.inGroup(gi, i) {
				s.groupJoin(gi, i)
			}
		}
	}
}

// exit takes actor i out of the system for good: its ties, memberships,
// groups and applications end; an organisation that exits dissolves.
func (s *Sim) exit(i int) {
	s.gone[i] = true
	s.emit(Event{Kind: ActorLeft, Actor: i, Other: -1, Group: -1})
	for len(s.adj[i]) > 0 {
		s.removeTie(s.adj[i][0])
	}
	for _, o := range slices.Clone(s.memberOf[i]) {
		s.removeMember(o, i)
	}
	for _, m := range slices.Clone(s.members[i]) {
		s.removeMember(i, m.actor)
	}
	for _, gi := range slices.Clone(s.inGroups[i]) {
		g := &s.groups[gi]
		s.groupLeave(gi, i)
		if len(g.Members) < minMembers(g.Kind) {
			s.dissolve(gi)
		}
	}
	for k := 0; k < len(s.apps); {
		if s.apps[k].applicant == i || s.apps[k].org == i {
			s.dropApp(k)
			continue
		}
		k++
	}
}
