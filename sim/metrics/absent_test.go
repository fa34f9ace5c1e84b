package metrics_test

import (
	"math"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// An absent actor's per-actor network values are NaN, its pairwise ties too
// (its ties are hidden from ties_total); ties used to count them.
func TestTiesOfAnAbsentActor(t *testing.T) {
	w := world(4, []sim.TieSpec{tie(0, 1, sim.Cooperation, sim.Initial), tie(0, 3, sim.Cooperation, sim.Initial)}, nil)
	w.Actors[3].Absent = []sim.Span{{From: 0, To: 5}}
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	if v := got["ties/S3"]; !math.IsNaN(v) {
		t.Errorf("ties/S3 of the absent S3 = %v, want NaN", v)
	}
	if got["ties/S0"] != 1 || got["ties_total"] != 1 {
		t.Errorf("ties/S0 = %v, ties_total = %v: want 1 and 1 (the tie with the absent S3 hidden)", got["ties/S0"], got["ties_total"])
	}
}

// A minilateral group keeps an absent member (it returns with it) but the
// member is out of the system: minilateral_mean_size counts the members in
// the system, as the projection does (weight L/(k-1), k members in the
// system) and as ties_total hides the ties of absent actors. It used to
// count every member.
func TestMinilateralSizeOfAnAbsentMember(t *testing.T) {
	w := world(4, nil, []sim.GroupSpec{
		{Name: "quad", Kind: sim.Minilateral, Issue: sim.IssueMaritime, Level: sim.Initial, Members: []int{0, 1, 2, 3}, Threat: -1, Leader: -1},
	})
	w.Actors[3].Absent = []sim.Span{{From: 0, To: 5}}
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	check(t, got, map[string]float64{
		"minilaterals": 1, "minilateral_mean_size": 3,
		"strength/S0": 2, // the group's level 2 over the 3 members in the system
	}, 1e-12)
}

// A patron absent from the system, kept by its minilateral, does not make
// the group one with the patron meanwhile, and a coalition's absent member
// is not among coalition_members (both counted every member before, unlike
// minilateral_mean_size and the projection).
func TestGroupCountsOfAbsentMembers(t *testing.T) {
	w := world(6, nil, []sim.GroupSpec{
		{Name: "quad", Kind: sim.Minilateral, Issue: sim.IssueMaritime, Level: sim.Initial, Members: []int{0, 1, 2, 3}, Threat: -1, Leader: -1},
		{Name: "coalition", Kind: sim.CoalitionGroup, Issue: sim.IssueTerrorism, Level: sim.Initial, Members: []int{3, 4, 5}, Threat: 0, Leader: -1},
	})
	w.Actors[3].Patron = true
	w.Actors[3].Absent = []sim.Span{{From: 0, To: 5}}
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	check(t, got, map[string]float64{"minilaterals": 1, "minilaterals_without_patron": 1, "coalitions": 1, "coalition_members": 2}, 1e-12)
}
