package sim

// Coalitions (sources 001, 003): temporary arrangements bound to one threat,
// of either class. When a threat's intensity reaches coalition_form, its
// most capable exposed actor leads a coalition that exposed actors join by
// their own utility; it dissolves after coalition_patience years below
// coalition_dissolve. Nothing forbids a coalition against a state threat:
// it deters less than an alliance because it is temporary (its credibility
// rests on the patience after the threat recedes, not on a treaty term and
// an alliance's age; see credibility), which is why exposed states prefer
// binding alliances and accession under a major state threat.

// coalitions forms and dissolves threat-bound coalitions.
func (s *Sim) coalitions() {
	p := &s.p
	patience := int(p.CoalitionPatience*s.w.StepsPerYearOr1() + 0.5)
	for k := range s.w.Threats {
		c := s.coalition[k]
		if c >= 0 {
			g := &s.groups[c]
			if s.intensity[k] < p.CoalitionDissolve {
				g.below++
			} else {
				g.below = 0
			}
			if g.below > patience || (g.below > 0 && patience == 0) {
				s.dissolve(c)
			}
			continue
		}
		if s.intensity[k] < p.CoalitionForm || len(s.expo[k]) == 0 {
			continue
		}
		// the most capable exposed actor leads (by its own forces: an
		// organisation's members lead through themselves)
		leader, best := -1, -1.0
		for _, x := range s.expo[k] {
			if v := s.ownForces(x.actor) * s.hot[x.actor].rel; v > best && s.present[x.actor] && s.mayJoinCoalition(x.actor, k) {
				leader, best = x.actor, v
			}
		}
		if leader < 0 {
			continue
		}
		issue := IssueTerrorism
		if s.w.Threats[k].Class() == Conventional {
			issue = IssueDeterrence
		}
		about := []int{k}
		mem := append(s.tmp[:0], leader)
		a := s.aggOf(mem, -1)
		for _, x := range s.expo[k] {
			i := x.actor
			if i == leader || !s.present[i] || !s.mayJoinCoalition(i, k) {
				continue
			}
			t := s.groupTerms(i, CoalitionGroup, issue, groupSide{}, groupSide{l: Initial, a: &a, about: about}, p.InitialTrust)
			s.consentSubject = Choice{Kind: ChooseJoinCoalition, Partner: -1, Group: -1, Issue: issue, Level: Initial}
			if s.decide(i, t, nil, leader) {
				mem = append(mem, i)
				s.addTo(&a, i, 1)
				s.addSrc(&a, i)
			}
		}
		s.tmp = mem
		if len(mem) < 2 {
			continue
		}
		gi := s.addGroup(CoalitionGroup, issue, k, leader, Initial, mem, about)
		s.nameGroup(gi, "coalition against "+s.w.Threats[k].Name)
		g := &s.groups[gi]
		s.coalition[k] = gi
		s.emit(Event{Kind: CoalitionFormed, Actor: leader, Other: k, Group: g.ID, Level: g.Level, Size: len(g.Members), Issue: issue})
		s.regroup(gi, -1, -1, true)
	}
}

// mayJoinCoalition reports whether i may be in a coalition against threat
// k: not the threat's source or an organisation with the source among its
// members (excluded); not an informal group, a forum that commits no forces
// (it holds no alliance and gives no assistance either); and, against a
// state threat, an organisation only if the threat exposes one of the
// regions it acts in or the organisation itself: regional organisations
// act in their region (source 004), as an organisation's mutual defence
// is its members' and its ties beyond its region are never mutual defence.
// Against a transnational threat organisations join from afar (the EU,
// NATO and the Arab League in the coalition against ISIS, source 001).
func (s *Sim) mayJoinCoalition(i, k int) bool {
	if s.excluded(i, k) {
		return false
	}
	if s.w.Actors[i].Kind == Informal {
		return false
	}
	if !s.isOrg[i] {
		return true
	}
	th := &s.w.Threats[k]
	if th.Class() != Conventional {
		return true
	}
	if th.ActorExposure[i] > 0 {
		return true
	}
	for _, r := range s.actsIn[i] {
		if th.RegionExposure[s.regionNames[r]] > 0 {
			return true
		}
	}
	return false
}

// coalitionOptions adds joining or leaving active coalitions.
func (s *Sim) coalitionOptions(i int) {
	for _, gi := range s.activeCoalitions {
		g := &s.groups[gi]
		k := g.Threat
		if s.inGroup(gi, i) {
			if i != g.Leader {
				a := s.others(g, i)
				t := s.groupTerms(i, g.Kind, g.Issue, groupSide{l: g.Level, a: &a, age: g.Age, about: g.About}, groupSide{}, g.Trust)
				t[TermReputation] -= s.p.AbandonPenalty * g.Trust * groupGivenUp(g)
				s.addOpt(&option{kind: ChooseLeaveCoalition, j: -1, tie: -1, group: gi, donor: -1, level: None, about: -1, t: t})
			}
			continue
		}
		if s.PerceivedThreatOf(i, k) <= 0 || !s.mayJoinCoalition(i, k) {
			continue
		}
		t := s.groupTerms(i, g.Kind, g.Issue, groupSide{}, groupSide{l: g.Level, a: &g.agg, age: g.Age, about: g.About, newcomer: true}, s.p.InitialTrust)
		s.addOpt(&option{kind: ChooseJoinCoalition, j: -1, tie: -1, group: gi, donor: -1, level: g.Level, about: -1, t: t})
	}
}
