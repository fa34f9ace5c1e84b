package sim

import (
	"fmt"
	"slices"
)

// Hooks for the tests of review_structure_test.go (package sim_test).

// StateDifferences lists where two runs' derived state differs: values,
// autonomy, threat entries and the per-actor hot record.
func StateDifferences(s, c *Sim) []string {
	var out []string
	for i := range s.values {
		if !slices.Equal(s.values[i], c.values[i]) {
			out = append(out, fmt.Sprintf("values[%d] (%s): run %v, other %v", i, s.w.Actors[i].ID, s.values[i], c.values[i]))
		}
		if s.autonomy[i] != c.autonomy[i] {
			out = append(out, fmt.Sprintf("autonomy[%d] (%s): run %v, other %v", i, s.w.Actors[i].ID, s.autonomy[i], c.autonomy[i]))
		}
	}
	for e := range s.te {
		if s.te[e] != c.te[e] {
			out = append(out, fmt.Sprintf("te[%d] actor %d: %+v vs %+v", e, s.EntryActor(e), s.te[e], c.te[e]))
			break
		}
	}
	for i := range s.hot {
		if s.hot[i] != c.hot[i] {
			out = append(out, fmt.Sprintf("hot[%d]: %+v vs %+v", i, s.hot[i], c.hot[i]))
			break
		}
	}
	return out
}

// RefreshChanges refreshes a clone of s once more and describes the first
// actor whose capability, presence, reliability or hub position that
// changes ("": none, as for a state a step ends with).
func RefreshChanges(s *Sim) string {
	c := s.Clone()
	c.refresh()
	for _, o := range s.order {
		i := int(o)
		if s.hot[i] != c.hot[i] {
			return fmt.Sprintf("actor %d (%s): %+v, refreshed again %+v", i, s.w.Actors[i].ID, s.hot[i], c.hot[i])
		}
	}
	return ""
}

// StaleValueFactors lists threat entries whose exposure times value factor
// differs from what the current values give.
func StaleValueFactors(s *Sim) []string {
	var out []string
	for k := range s.expo {
		src := s.w.Threats[k].Source
		if src < 0 {
			continue
		}
		for _, ex := range s.expo[k] {
			want := ex.e * s.valueFactor(s.dist(ex.actor, src))
			if e := s.feels(ex.actor, k); e >= 0 && s.te[e].e != want {
				out = append(out, fmt.Sprintf("actor %s threat %s: e %v, current values give %v", s.w.Actors[ex.actor].ID, s.w.Threats[k].Name, s.te[e].e, want))
			}
		}
	}
	return out
}

// AssuranceAgainst is the interim protection applicant a draws against
// threat k from the members of o that have ratified its pending
// application (0: none pending), and the pool it is drawn from.
func (s *Sim) AssuranceAgainst(a, o, k int) (got float64, ok bool) {
	for i := range s.apps {
		ap := &s.apps[i]
		if ap.applicant != a || ap.org != o {
			continue
		}
		for e := s.teOff[a]; e < s.teOff[a+1]; e++ {
			if s.te[e].k == k {
				return s.assuranceContrib(ap, s.ratifiedShare(ap), &s.te[e]), true
			}
		}
	}
	return 0, false
}

// Ratify records that member m has ratified a's application to o (a test's
// shortcut past the members' decisions).
func (s *Sim) Ratify(a, o, m int) {
	for i := range s.apps {
		if ap := &s.apps[i]; ap.applicant == a && ap.org == o && !slices.Contains(ap.ratified, m) {
			ap.ratified = append(ap.ratified, m)
		}
	}
}

// CapabilityAgainst is what partner j brings against i's entry for threat
// k (capFor).
func (s *Sim) CapabilityAgainst(i, j, k int) float64 {
	for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
		if s.te[e].k == k {
			return s.capFor(&s.te[e], j)
		}
	}
	return -1
}

// PendApplication files a's application to o without asking any member (a
// test's shortcut: Ratify then records who has ratified).
func (s *Sim) PendApplication(a, o int) {
	s.apps = append(s.apps, application{applicant: a, org: o, since: s.t})
	s.nApps[a]++
}

// LiveTies is the number of actor i's live ties, with partners in the
// system or not.
func (s *Sim) LiveTies(i int) int { return len(s.adj[i]) }
