package sim

import (
	"fmt"
	"slices"
)

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
	s.pair[pairKey(int32(a), int32(b))] = k
	s.adj[a] = append(s.adj[a], k)
	s.adj[b] = append(s.adj[b], k)
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

// removeTie deletes the tie in slot k.
func (s *Sim) removeTie(k int) {
	t := &s.ties[k]
	delete(s.pair, pairKey(int32(t.A), int32(t.B)))
	s.adj[t.A] = removeInt(s.adj[t.A], k)
	s.adj[t.B] = removeInt(s.adj[t.B], k)
	s.deg[t.A]--
	s.deg[t.B]--
	t.alive = false
	s.freeTies = append(s.freeTies, k)
	s.numTies--
}

// addGroup creates a group from sorted or unsorted members and returns its slot.
func (s *Sim) addGroup(kind GroupKind, issue Issue, threat, leader int, l Level, members []int) int {
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
	*g = Group{ID: s.nextGroup, Kind: kind, Issue: issue, Threat: threat, Leader: leader, Level: l,
		Members: mem, Trust: s.p.InitialTrust, alive: true}
	g.Name = fmt.Sprintf("%s-%d", kind, g.ID)
	s.nextGroup++
	for _, m := range mem {
		s.inGroups[m] = append(s.inGroups[m], k)
	}
	g.agg = s.aggOf(mem, -1)
	s.numGroups++
	s.invalidate()
	return k
}

func (s *Sim) groupJoin(k, i int) {
	g := &s.groups[k]
	pos, _ := slices.BinarySearch(g.Members, i)
	g.Members = slices.Insert(g.Members, pos, i)
	s.inGroups[i] = append(s.inGroups[i], k)
	s.addTo(&g.agg, i, 1)
	s.invalidate()
}

func (s *Sim) groupLeave(k, i int) {
	g := &s.groups[k]
	g.Members = removeInt(g.Members, i)
	s.inGroups[i] = removeInt(s.inGroups[i], k)
	s.addTo(&g.agg, i, -1)
	s.invalidate()
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
	g.alive = false
	g.Members = g.Members[:0]
	s.freeGroups = append(s.freeGroups, k)
	s.numGroups--
	s.invalidate()
}

// isMember reports whether one of a, b is a member organisation of the other.
func (s *Sim) isMember(a, b int) bool {
	return slices.Contains(s.memberOf[a], b) || slices.Contains(s.memberOf[b], a)
}

// inGroup reports whether actor i is a member of the group in slot k, in
// O(groups of i) rather than O(members of the group): coalitions can be
// large.
func (s *Sim) inGroup(k, i int) bool {
	return slices.Contains(s.inGroups[i], k)
}
