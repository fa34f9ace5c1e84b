package metrics_test

import (
	"math"
	"slices"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// alliesWorld: states A, B, C, D, E, G and F (F enters at step 3); NATO
// (commitment 0.9, mutual defence) of A, B, C; FORUM (commitment 0, no
// defence clause) of C, D; ties A-D cooperation nominal, D-E alliance
// initial, A-E alliance institutionalised, NATO-G cooperation nominal.
func alliesWorld(t *testing.T) (*sim.World, map[string]int) {
	t.Helper()
	b := simtest.NewBuilder()
	v := []float64{0.5, 0.5, 0.5}
	for _, id := range []string{"A", "B", "C", "D", "E", "G", "F"} {
		b.State(id, "R", 0.05, 0.05, v, 0.5)
	}
	nato := b.Org("NATO", "R", 0.9, 0.1, v, "A", "B", "C")
	b.Org("FORUM", "R", 0, 0.01, v, "C", "D")
	w := b.W
	w.Actors[nato].MutualDefence = true
	w.Actors[b.I("F")].Enter = 3
	tie := func(a, c string, f sim.Form, l sim.Level) sim.TieSpec {
		return sim.TieSpec{A: b.I(a), B: b.I(c), Form: f, Level: l, Donor: -1}
	}
	w.Ties = []sim.TieSpec{
		tie("A", "D", sim.Cooperation, sim.Nominal),
		tie("D", "E", sim.Alliance, sim.Initial),
		tie("A", "E", sim.Alliance, sim.Institutionalised),
		tie("NATO", "G", sim.Cooperation, sim.Nominal), // only states ally bilaterally
	}
	w.Threats = []sim.Threat{{Name: "th", Kind: "terrorism", Source: -1, Intensity: sim.ConstantProfile(0)}}
	w.Political = sim.ConstantProfile(0)
	w.Military = sim.ConstantProfile(0)
	idx := map[string]int{}
	for i, a := range w.Actors {
		idx[a.ID] = i
	}
	return w, idx
}

// TestMembershipInProjection checks the membership edges (1 + 3 x
// commitment between an organisation and each member), the defence pairs
// of a mutual-defence organisation (its weight over k - 1 per pair of its k
// member states), that actors not in the system are not nodes and do not
// count in N, and the defence-dyad metrics.
func TestMembershipInProjection(t *testing.T) {
	w, id := alliesWorld(t)
	s := newSim(t, w)
	all := []string{"A", "B", "C", "D", "E", "G", "F", "NATO", "FORUM"}
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: all, Seed: 1})
	nato := metrics.MembershipWeight(0.9) // 3.7
	if math.Abs(nato-3.7) > 1e-15 || metrics.MembershipWeight(0) != 1 || metrics.MembershipWeight(1) != 4 {
		t.Fatalf("MembershipWeight(0.9) = %v, (0) = %v, (1) = %v", nato, metrics.MembershipWeight(0), metrics.MembershipWeight(1))
	}
	pair := nato / 2 // NATO has 3 member states
	check(t, got, map[string]float64{
		"ties_total": 4,
		"density":    4.0 / (8 * 7 / 2), // 8 actors in the system: F has not entered
		// ties A-D, D-E, A-E, NATO-G; NATO-A, -B, -C; FORUM-C, -D; A-B, A-C, B-C
		"edges":             12,
		"isolates":          0, // F is not in the system, G hangs on NATO
		"components":        1,
		"largest_component": 1,
		"degree/A":          5, // D, E, NATO, B, C
		"degree/C":          4, // NATO, FORUM, A, B
		"degree/NATO":       4, // A, B, C, G
		"strength/A":        1 + 3 + nato + 2*pair,
		"strength/C":        nato + 1 + 2*pair,
		"strength/FORUM":    2,
		"ties/F":            0,
		// defence dyads among the 6 states in the system: D-E, A-E (alliances),
		// A-B, A-C, B-C (NATO); not NATO-G nor A-D (cooperation)
		"dyads":        5,
		"dyad_density": 5.0 / 15,
		// closed: triangle A-B-C (t = 1 at A, B, C); triplets: A 3 (B, C, E),
		// B 1, C 1, E 1 (A, D), D 0
		"dyad_transitivity": 3.0 / 6,
		"dyad_isolates":     1, // G
	}, 1e-12)
	for _, m := range []string{"degree", "strength", "clustering", "betweenness", "pagerank"} {
		if v, ok := got[m+"/F"]; !ok || !math.IsNaN(v) {
			t.Errorf("%s/F = %v, want NaN: F is not in the system", m, v)
		}
	}
	sum := 0.0
	for _, a := range all[:6] {
		sum += got["pagerank/"+a]
	}
	sum += got["pagerank/NATO"] + got["pagerank/FORUM"]
	if math.Abs(sum-1) > 1e-10 { // values rounded to 12 digits
		t.Errorf("pagerank sums to %v over the actors in the system", sum)
	}

	g := metrics.Graph(s, metrics.GraphOptions{})
	if n := g.Nodes().Len(); n != 8 {
		t.Errorf("Graph has %d nodes, want the 8 in the system", n)
	}
	if g.Node(int64(id["F"])) != nil {
		t.Error("Graph has F, which is not in the system")
	}
	for _, c := range []struct {
		a, b string
		w    float64
	}{{"NATO", "A", nato}, {"FORUM", "D", 1}, {"A", "B", pair}, {"B", "C", pair}, {"A", "E", 3}, {"NATO", "G", 1}} {
		if x, ok := g.Weight(int64(id[c.a]), int64(id[c.b])); !ok || math.Abs(x-c.w) > 1e-12 {
			t.Errorf("weight %s-%s = %v, %v; want %v", c.a, c.b, x, ok, c.w)
		}
	}
	if g.HasEdgeBetween(int64(id["C"]), int64(id["D"])) {
		t.Error("C-D joined: FORUM has no defence clause, so its members are not paired")
	}

	no := observe(t, s, metrics.Options{Metrics: []string{"edges", "isolates", "dyads"}, Graph: metrics.GraphOptions{ExcludeMembership: true}})
	check(t, no, map[string]float64{"edges": 4, "isolates": 3, "dyads": 5}, 0) // B, C, FORUM alone; dyads do not depend on the projection

	// F enters at step 3 and then counts
	for s.T() < 3 {
		s.Step()
	}
	after := observe(t, s, metrics.Options{Metrics: []string{"density", "ties_total", "degree"}, Actors: []string{"F"}})
	if want := after["ties_total"] / (9 * 8 / 2); math.Abs(after["density"]-want) > 1e-12 {
		t.Errorf("step 3: density %v, want ties / 36 = %v", after["density"], want)
	}
	if math.IsNaN(after["degree/F"]) {
		t.Error("step 3: degree of F is NaN after it entered")
	}
}

// TestDyadsMatchEngine checks the defence dyads the metrics count against
// sim's DefenceDyads on stepped synthetic worlds whose organisations carry a
// mutual-defence clause.
func TestDyadsMatchEngine(t *testing.T) {
	for _, n := range []int{60, 200} {
		w := simtest.Synthetic(n, uint64(n))
		for i := range w.Actors {
			if len(w.Actors[i].Members) > 0 && i%40 == 19 {
				w.Actors[i].MutualDefence = true
			}
		}
		s := newSim(t, w)
		for s.T() < 10 {
			var pairs [][2]int
			states := 0
			deg := map[int]int{}
			for d := range s.DefenceDyads() {
				pairs = append(pairs, [2]int{d.A, d.B})
				deg[d.A]++
				deg[d.B]++
			}
			isolates := 0
			for i := range w.Actors {
				if w.Actors[i].Kind == sim.State && s.InSystem(i) {
					states++
					if deg[i] == 0 {
						isolates++
					}
				}
			}
			if !slices.IsSortedFunc(pairs, func(a, b [2]int) int {
				if a[0] != b[0] {
					return a[0] - b[0]
				}
				return a[1] - b[1]
			}) {
				t.Fatal("DefenceDyads out of order")
			}
			got := observe(t, s, metrics.Options{Metrics: []string{"dyads", "dyad_density", "dyad_isolates"}})
			check(t, got, map[string]float64{
				"dyads":         float64(len(pairs)),
				"dyad_density":  float64(len(pairs)) / (float64(states) * float64(states-1) / 2),
				"dyad_isolates": float64(isolates),
			}, 1e-12)
			if len(pairs) == 0 {
				t.Errorf("N=%d step %d: no dyads: the test does not exercise them", n, s.T())
			}
			// the slice compare and calibrate read is the same list, and
			// each pair names the treaty found first: its bilateral
			// alliance, else the first mutual-defence organisation
			// (in the world's order) that has both as members
			list := s.DefenceDyadList()
			if !slices.Equal(list, slices.Collect(s.DefenceDyads())) {
				t.Fatalf("N=%d step %d: DefenceDyadList differs from DefenceDyads", n, s.T())
			}
			for _, d := range list {
				want := -1
				if tie, ok := s.TieBetween(d.A, d.B); !ok || tie.Form != sim.Alliance {
					for o := range w.Actors {
						if w.Actors[o].MutualDefence && s.InSystem(o) && slices.Contains(s.MembersOf(o), d.A) && slices.Contains(s.MembersOf(o), d.B) {
							want = o
							break
						}
					}
				}
				if d.Via != want {
					t.Fatalf("N=%d step %d: dyad %d-%d via %d, want %d", n, s.T(), d.A, d.B, d.Via, want)
				}
			}
			s.Step()
		}
	}
}

// TestMembersMatchEngine checks the member lists the metrics gather from
// sim's OrganisationsOf views against sim's MembersOf, on stepped worlds
// with organisations and late entrants.
func TestMembersMatchEngine(t *testing.T) {
	w, _ := alliesWorld(t)
	worlds := []*sim.World{w, simtest.Synthetic(200, 3)}
	for _, w := range worlds {
		s := newSim(t, w)
		ob, err := metrics.NewObserver(w, metrics.Options{Metrics: []string{"edges"}})
		if err != nil {
			t.Fatal(err)
		}
		for s.T() < 6 {
			ob.Observe(s, nil)
			for o := range w.Actors {
				if got, want := metrics.MembersForTest(ob, o), s.MembersOf(o); !slices.Equal(got, want) {
					t.Fatalf("step %d: members of %s %v, MembersOf %v", s.T(), w.Actors[o].ID, got, want)
				}
			}
			s.Step()
		}
	}
}
