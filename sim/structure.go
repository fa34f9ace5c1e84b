package sim

import (
	"fmt"
	"slices"
)

// The bookkeeping of the network: ties, groups, memberships and enmity.
// Every change of structure goes through these functions.

// addTie creates a tie and returns its slot. The caller ensures no tie exists.
func (s *Sim) addTie(a, b int, f Form, l Level, donor int) int {
	if a > b {
		a, b = b, a
	}
	t := Tie{A: a, B: b, Form: f, Level: l, Donor: donor, Trust: s.p.InitialTrust, alive: true}
	var k int
	if n := len(s.freeTies); n > 0 {
		k = s.freeTies[n-1]
		s.freeTies = s.freeTies[:n-1]
		s.ties[k] = t
	} else {
		k = len(s.ties)
		s.ties = append(s.ties, t)
	}
	s.setSlot(a, b, k)
	s.adj[a] = append(s.adj[a], k)
	s.adj[b] = append(s.adj[b], k)
	s.adjP[a] = append(s.adjP[a], int32(b))
	s.adjP[b] = append(s.adjP[b], int32(a))
	s.deg[a]++
	s.deg[b]++
	s.numTies++
	return k
}

func removeInt(xs []int, v int) []int {
	for i, x := range xs {
		if x == v {
			copy(xs[i:], xs[i+1:])
			return xs[:len(xs)-1]
		}
	}
	return xs
}

// unlink removes tie k from actor a's adjacency (the tie and its partner
// at the same position, the order of the rest kept).
func (s *Sim) unlink(a, k int) {
	if x := slices.Index(s.adj[a], k); x >= 0 {
		s.adj[a] = slices.Delete(s.adj[a], x, x+1)
		s.adjP[a] = slices.Delete(s.adjP[a], x, x+1)
	}
}

// removeTie deletes the tie in slot k.
func (s *Sim) removeTie(k int) {
	t := &s.ties[k]
	s.setSlot(t.A, t.B, -1)
	s.unlink(t.A, k)
	s.unlink(t.B, k)
	s.deg[t.A]--
	s.deg[t.B]--
	t.alive = false
	s.freeTies = append(s.freeTies, k)
	s.numTies--
}

// addGroup creates a group from sorted or unsorted members and returns its slot.
func (s *Sim) addGroup(kind GroupKind, issue Issue, threat, leader int, l Level, members, about []int) int {
	var k int
	if n := len(s.freeGroups); n > 0 {
		k = s.freeGroups[n-1]
		s.freeGroups = s.freeGroups[:n-1]
	} else {
		k = len(s.groups)
		s.groups = append(s.groups, Group{})
	}
	g := &s.groups[k]
	mem := append(g.Members[:0], members...)
	slices.Sort(mem)
	ab := append(g.About[:0], about...)
	*g = Group{ID: s.nextGroup, Kind: kind, Issue: issue, Threat: threat, Leader: leader, Level: l,
		Members: mem, About: ab, Trust: s.p.InitialTrust, alive: true}
	g.Name = fmt.Sprintf("%s-%d", kind, g.ID)
	s.groupNames = append(s.groupNames, g.Name)
	s.nextGroup++
	for _, m := range mem {
		s.inGroups[m] = append(s.inGroups[m], k)
	}
	g.agg = s.aggOf(mem, -1)
	s.numGroups++
	if kind == CoalitionGroup {
		s.activeCoalitions = append(s.activeCoalitions, k)
		slices.Sort(s.activeCoalitions)
	}
	return k
}

// nameGroup names the group in slot k (its name kept by ID for the events).
func (s *Sim) nameGroup(k int, name string) {
	g := &s.groups[k]
	g.Name = name
	s.groupNames[g.ID] = name
}

func (s *Sim) groupJoin(k, i int) {
	g := &s.groups[k]
	pos, _ := slices.BinarySearch(g.Members, i)
	g.Members = slices.Insert(g.Members, pos, i)
	s.inGroups[i] = append(s.inGroups[i], k)
	s.addTo(&g.agg, i, 1)
	s.addSrc(&g.agg, i)
}

func (s *Sim) groupLeave(k, i int) {
	g := &s.groups[k]
	g.Members = removeInt(g.Members, i)
	s.inGroups[i] = removeInt(s.inGroups[i], k)
	s.addTo(&g.agg, i, -1)
	s.delSrc(&g.agg, i)
}

// removeGroup dissolves the group in slot k.
func (s *Sim) removeGroup(k int) {
	g := &s.groups[k]
	for _, m := range g.Members {
		s.inGroups[m] = removeInt(s.inGroups[m], k)
	}
	if g.Kind == CoalitionGroup && g.Threat >= 0 && s.coalition[g.Threat] == k {
		s.coalition[g.Threat] = -1
	}
	if g.Kind == CoalitionGroup {
		s.activeCoalitions = removeInt(s.activeCoalitions, k)
	}
	g.alive = false
	g.Members = g.Members[:0]
	s.freeGroups = append(s.freeGroups, k)
	s.numGroups--
}

// addMember makes actor m a member of organisation o since step since.
func (s *Sim) addMember(o, m, since int) {
	ms := s.members[o]
	pos, found := slices.BinarySearchFunc(ms, m, func(x membership, m int) int { return x.actor - m })
	if found {
		return
	}
	if len(ms) == 0 && s.isOrg[o] && len(s.w.Actors[o].Members) == 0 {
		s.settleAll() // (o is to pool its members: its share of a group changes)
	}
	if len(ms) == 0 {
		s.accDirty = true // (o has members: open to applicants)
	}
	s.members[o] = slices.Insert(ms, pos, membership{actor: m, since: since})
	s.memberView[o] = nil
	s.memberOf[m] = append(s.memberOf[m], o)
	slices.Sort(s.memberOf[m])
	if b := s.mdBit[o]; b >= 0 {
		s.mdMask[m] |= 1 << b
	}
}

// removeMember ends m's membership of o.
func (s *Sim) removeMember(o, m int) {
	ms := s.members[o]
	pos, found := slices.BinarySearchFunc(ms, m, func(x membership, m int) int { return x.actor - m })
	if !found {
		return
	}
	if len(ms) == 1 && s.isOrg[o] && len(s.w.Actors[o].Members) == 0 {
		s.settleAll() // (o is to pool no one: its share of a group changes)
	}
	s.members[o] = slices.Delete(ms, pos, pos+1)
	if len(s.members[o]) == 0 {
		s.accDirty = true
	}
	s.memberView[o] = nil
	s.memberOf[m] = removeInt(s.memberOf[m], o)
	if b := s.mdBit[o]; b >= 0 {
		s.mdMask[m] &^= 1 << b
	}
}

// memberSince returns the step m joined o, and whether it is a member.
func (s *Sim) memberSince(o, m int) (int, bool) {
	ms := s.members[o]
	pos, found := slices.BinarySearchFunc(ms, m, func(x membership, m int) int { return x.actor - m })
	if !found {
		return 0, false
	}
	return ms[pos].since, true
}

// isMemberOf reports whether m is a member of o.
func (s *Sim) isMemberOf(m, o int) bool { return slices.Contains(s.memberOf[m], o) }

// isMember reports whether one of a, b is a member organisation of the other.
func (s *Sim) isMember(a, b int) bool { return s.isMemberOf(a, b) || s.isMemberOf(b, a) }

// inGroup reports whether actor i is a member of the group in slot k, in
// O(groups of i) rather than O(members of the group): coalitions can be
// large.
func (s *Sim) inGroup(k, i int) bool { return slices.Contains(s.inGroups[i], k) }

// setEnmity sets the enmity between a and b (both directions); 0 removes it.
func (s *Sim) setEnmity(a, b int, e float64) {
	for _, side := range [2][2]int{{a, b}, {b, a}} {
		i, j := side[0], side[1]
		xs := s.enemies[i]
		pos, found := slices.BinarySearchFunc(xs, j, func(x enemy, j int) int { return x.j - j })
		switch {
		case found && e > 0:
			xs[pos].e = e
		case found:
			s.enemies[i] = slices.Delete(xs, pos, pos+1)
		case e > 0:
			s.enemies[i] = slices.Insert(xs, pos, enemy{j: j, e: e})
		}
	}
}
