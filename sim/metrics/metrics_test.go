package metrics_test

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/network"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// Triangle 0-1-2 with a pendant 3 on 2, and an isolate 4:
//
//	0 --1-- 1
//	 \     /
//	  2   3        (edge labels are levels = weights)
//	   \ /
//	    2 --4-- 3      4
func TestTrianglePendant(t *testing.T) {
	w := world(5, []sim.TieSpec{
		tie(0, 1, sim.Cooperation, sim.Nominal),
		tie(0, 2, sim.Alliance, sim.Initial),
		tie(1, 2, sim.Cooperation, sim.Institutionalised),
		tie(2, 3, sim.Alliance, sim.Advanced),
	}, nil)
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	check(t, got, map[string]float64{
		"ties_total": 4, "ties_cooperation": 2, "ties_alliance": 2, "ties_assistance": 0,
		"ties_nominal": 1, "ties_initial": 1, "ties_institutionalised": 1, "ties_advanced": 1,
		"mean_level":    2.5, // (1+2+3+4)/4
		"density":       0.4, // 4 / (5*4/2)
		"binding_share": 0.5, // 2 alliances of 4
		"edges":         4,
		// t_i (edges among neighbours) = 1,1,1,0,0; triplets k(k-1)/2 = 1,1,3,0,0
		"transitivity":   3.0 / 5,
		"avg_clustering": (1 + 1 + 1.0/3) / 5,
		// k = 2,2,3,1,0, k_max 3: sum(3-k) = 1+1+0+2+3 = 7 over (N-1)(N-2) = 12
		"degree_centralisation": 7.0 / 12,
		// s = 3,4,9,4,0, s_max 9: sum(9-s) = 6+5+0+5+9 = 25 over 12 * w_max 4
		"strength_centralisation": 25.0 / 48,
		"components":              2, // {0,1,2,3} and {4}
		"largest_component":       0.8,
		"isolates":                1,
		"total_support":           0, "support_asymmetry": 0, "support_gini": 0,
		"minilaterals": 0, "minilateral_mean_size": 0, "coalitions": 0, "coalition_members": 0,
		"degree/S0": 2, "degree/S2": 3, "degree/S4": 0,
		"strength/S0": 3, "strength/S1": 4, "strength/S2": 9, "strength/S3": 4, "strength/S4": 0,
		"ties/S2":       3,
		"clustering/S0": 1, "clustering/S2": 1.0 / 3, "clustering/S3": 0,
		// 2 lies on the shortest paths 0-3 and 1-3: 2 of (N-1)(N-2)/2 = 6 pairs
		"betweenness/S2": 1.0 / 3, "betweenness/S0": 0, "betweenness/S3": 0, "betweenness/S4": 0,
		"groups/S0": 0,
	}, 1e-12)
	sum := 0.0
	for _, a := range allActors(s) {
		sum += got["pagerank/"+a]
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("pagerank sums to %v, want 1", sum)
	}
	// the isolate only gets the teleport and dangling share, the least of all
	for _, a := range []string{"S0", "S1", "S2", "S3"} {
		if got["pagerank/S4"] >= got["pagerank/"+a] {
			t.Errorf("pagerank of the isolate %v >= pagerank of %s %v", got["pagerank/S4"], a, got["pagerank/"+a])
		}
	}
	if !(got["pagerank/S2"] > got["pagerank/S1"]) {
		t.Errorf("pagerank of the hub S2 %v not above S1 %v", got["pagerank/S2"], got["pagerank/S1"])
	}
}

// A star of 5 around 0, all nominal.
func TestStar(t *testing.T) {
	var ties []sim.TieSpec
	for i := 1; i < 5; i++ {
		ties = append(ties, tie(0, i, sim.Cooperation, sim.Nominal))
	}
	s := newSim(t, world(5, ties, nil))
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	// PageRank: x_c = 0.03 + 0.85*4 x_l, x_l = 0.03 + 0.85 x_c/4 (teleport
	// (1-0.85)/5 = 0.03) => x_c = 0.132/0.2775, x_l = (1-x_c)/4.
	xc := 0.132 / 0.2775
	check(t, got, map[string]float64{
		"degree_centralisation":   1,
		"strength_centralisation": 1,
		"transitivity":            0,
		"avg_clustering":          0,
		"density":                 0.4,
		"components":              1,
		"largest_component":       1,
		"betweenness/S0":          1, // on every one of the 6 leaf pairs
		"betweenness/S1":          0,
		"pagerank/S0":             xc,
		"pagerank/S1":             (1 - xc) / 4,
		"pagerank/S4":             (1 - xc) / 4,
		"modularity":              0, // m > 0; a star has no community structure: Louvain keeps one community (Q = 0)
	}, 1e-9)
}

// Two triangles joined by an edge, and an isolate: Louvain finds the two
// triangles. m = 7, each triangle has degree sum 7:
// Q = 6/7 - 2 (7/14)^2 = 6/7 - 1/2.
func TestTwoTriangles(t *testing.T) {
	l := sim.Nominal
	w := world(7, []sim.TieSpec{
		tie(0, 1, sim.Cooperation, l), tie(1, 2, sim.Cooperation, l), tie(0, 2, sim.Cooperation, l),
		tie(3, 4, sim.Cooperation, l), tie(4, 5, sim.Cooperation, l), tie(3, 5, sim.Cooperation, l),
		tie(2, 3, sim.Cooperation, l),
	}, nil)
	s := newSim(t, w)
	for seed := uint64(0); seed < 5; seed++ {
		got := observe(t, s, metrics.Options{Metrics: []string{"modularity", "blocs", "components"}, Seed: seed})
		check(t, got, map[string]float64{
			"modularity": 6.0/7 - 0.5,
			"blocs":      2, // the isolate 6 is a community of one, not a bloc
			"components": 2,
		}, 1e-12)
	}
}

// A minilateral {0,1,2} at level 2 (weight 2/(3-1) = 1 per pair) on top of a
// tie 0-1 at level 3, and a coalition {3,4,5} at level 1 led by 3 (star 3-4,
// 3-5 of weight 1).
func TestGroups(t *testing.T) {
	w := world(6, []sim.TieSpec{tie(0, 1, sim.Cooperation, sim.Institutionalised)}, []sim.GroupSpec{
		{Name: "quad", Kind: sim.Minilateral, Issue: sim.IssueMaritime, Level: sim.Initial, Members: []int{0, 1, 2}, Threat: -1, Leader: -1},
		{Name: "coal", Kind: sim.CoalitionGroup, Issue: sim.IssueTerrorism, Level: sim.Nominal, Members: []int{3, 4, 5}, Threat: 0, Leader: 3},
	})
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	check(t, got, map[string]float64{
		"ties_total": 1, "density": 1.0 / 15,
		"minilaterals": 1, "minilateral_mean_size": 3, "minilateral_mean_level": 2,
		"coalitions": 1, "coalition_members": 3,
		"edges":       5, // 0-1, 0-2, 1-2, 3-4, 3-5
		"strength/S0": 5, // tie 3 + group 1 + group 1
		"strength/S1": 5, "strength/S2": 2, "strength/S3": 2, "strength/S4": 1,
		"degree/S3":  2,
		"components": 2, "isolates": 0,
		"groups/S0": 1, "groups/S3": 1, "ties/S0": 1, "ties/S2": 0,
	}, 1e-12)
	// transitivity: triangle 0-1-2 (t = 1,1,1) and the open triplet 4-3-5:
	// 3 closed of 4 triplets
	if g := got["transitivity"]; math.Abs(g-0.75) > 1e-12 {
		t.Errorf("transitivity = %v, want 0.75", g)
	}

	noGroups := observe(t, s, metrics.Options{Metrics: []string{"edges", "isolates"}, Graph: metrics.GraphOptions{ExcludeGroups: true}})
	check(t, noGroups, map[string]float64{"edges": 1, "isolates": 4}, 0)
	noCoal := observe(t, s, metrics.Options{Metrics: []string{"edges", "isolates"}, Graph: metrics.GraphOptions{ExcludeCoalitions: true}})
	check(t, noCoal, map[string]float64{"edges": 3, "isolates": 3}, 0)

	g := metrics.Graph(s, metrics.GraphOptions{})
	if n := g.Nodes().Len(); n != 6 {
		t.Errorf("Graph has %d nodes, want 6", n)
	}
	for _, c := range []struct {
		a, b int64
		w    float64
	}{{0, 1, 4}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}, {3, 5, 1}} {
		if w, ok := g.Weight(c.a, c.b); !ok || w != c.w {
			t.Errorf("Graph weight %d-%d = %v, %v; want %v", c.a, c.b, w, ok, c.w)
		}
	}
	if g.HasEdgeBetween(4, 5) {
		t.Error("Graph: coalition members 4 and 5 joined; want a star around the leader")
	}
}

// An assistance tie 0 -> 1 at level 4 and a cooperation 1-2 at level 2.
func TestSupport(t *testing.T) {
	w := world(3, []sim.TieSpec{
		{A: 0, B: 1, Form: sim.Assistance, Level: sim.Advanced, Donor: 0},
		tie(1, 2, sim.Cooperation, sim.Initial),
	}, nil)
	w.Actors[0].Economy = 1
	s := newSim(t, w)
	x := s.OutStrength(0)
	if x <= 0 {
		t.Fatalf("engine gives no support on an advanced assistance tie (out-strength %v)", x)
	}
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	check(t, got, map[string]float64{
		"ties_assistance":   1,
		"total_support":     x,
		"support_asymmetry": 4.0 / 6, // level on directed ties / all levels
		// out-strengths sorted 0, 0, x: (2*3-3-1) x / (3 x)
		"support_gini":    2.0 / 3,
		"out_strength/S0": x, "in_strength/S0": 0,
		"in_strength/S1": x, "out_strength/S1": 0,
		"effective_capability/S1": s.EffectiveCapability(1),
		"reliability/S0":          s.Reliability(0),
		"perceived_threat/S2":     s.PerceivedThreat(2),
	}, 1e-9)
}

func TestEmpty(t *testing.T) {
	s := newSim(t, world(4, nil, nil))
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: allActors(s)})
	for k, v := range got {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s = %v on an empty network", k, v)
		}
	}
	check(t, got, map[string]float64{"components": 4, "isolates": 4, "modularity": 0, "blocs": 0,
		"largest_component": 0.25, "pagerank/S0": 0.25}, 1e-12)
}

func TestErrors(t *testing.T) {
	w := world(3, nil, nil)
	w.Actors[1].ID = "FIN"
	cases := []struct {
		o    metrics.Options
		want []string
	}{
		{metrics.Options{Metrics: []string{"densty"}}, []string{`unknown metric "densty"`, `did you mean "density"`, "ties_alliance"}},
		{metrics.Options{Metrics: []string{"betweeness", "xyzzy"}}, []string{`"betweeness"`, `did you mean "betweenness"`, `"xyzzy"`}},
		{metrics.Options{Actors: []string{"FNI"}}, []string{`unknown actor "FNI"`, `did you mean "FIN"`}},
		{metrics.Options{Actors: []string{"FIN", "FIN"}}, []string{`"FIN" listed twice`}},
	}
	for _, c := range cases {
		_, err := metrics.NewObserver(w, c.o)
		if err == nil {
			t.Errorf("%+v: no error", c.o)
			continue
		}
		for _, s := range c.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%+v: error %q does not contain %q", c.o, err, s)
			}
		}
		if !strings.HasPrefix(err.Error(), "metrics: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
	if _, err := metrics.NewObserver(nil, metrics.Options{}); err == nil {
		t.Error("nil world: no error")
	}
}

func TestEveryAndOrder(t *testing.T) {
	w := world(4, []sim.TieSpec{tie(0, 1, sim.Cooperation, sim.Nominal), tie(1, 2, sim.Alliance, sim.Initial)}, nil)
	s := newSim(t, w)
	ob, err := metrics.NewObserver(w, metrics.Options{Metrics: []string{"pagerank", "density", "betweenness", "modularity", "degree"},
		Actors: []string{"S2", "S0"}, Every: 3})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range ob.Observe(s, nil) { // step 0: costly included
		names = append(names, v.Metric+"/"+v.Actor)
	}
	want := "density/ modularity/ degree/S2 degree/S0 betweenness/S2 betweenness/S0 pagerank/S2 pagerank/S0"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("order at step 0:\n got %s\nwant %s", got, want)
	}
	s.Step() // step 1: costly omitted
	names = names[:0]
	for _, v := range ob.Observe(s, nil) {
		if math.IsNaN(v.Value) {
			t.Errorf("%s/%s is NaN", v.Metric, v.Actor)
		}
		names = append(names, v.Metric+"/"+v.Actor)
	}
	if got, want := strings.Join(names, " "), "density/ degree/S2 degree/S0"; got != want {
		t.Errorf("order at step 1:\n got %s\nwant %s", got, want)
	}
	// per-actor metrics without actors yield nothing
	ob2, err := metrics.NewObserver(w, metrics.Options{Metrics: []string{"degree", "density"}})
	if err != nil {
		t.Fatal(err)
	}
	if vs := ob2.Observe(s, nil); len(vs) != 1 || vs[0].Metric != "density" {
		t.Errorf("without actors: %v", vs)
	}
}

func TestCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range metrics.Catalog() {
		if seen[c.Name] {
			t.Errorf("duplicate metric %s", c.Name)
		}
		seen[c.Name] = true
		if c.Name == "" || c.Doc == "" || c.Formula == "" || c.Reference == "" || c.Family == "" {
			t.Errorf("incomplete spec %+v", c)
		}
		if c.Name != strings.ToLower(c.Name) || strings.ContainsAny(c.Name, " -") {
			t.Errorf("%s is not snake_case", c.Name)
		}
	}
	for _, n := range metrics.Default() {
		if !seen[n] {
			t.Errorf("default metric %s not in the catalog", n)
		}
	}
	var b strings.Builder
	if err := metrics.Describe(&b); err != nil {
		t.Fatal(err)
	}
	for _, c := range metrics.Catalog() {
		if !strings.Contains(b.String(), c.Name) || !strings.Contains(b.String(), c.Reference) {
			t.Errorf("Describe lacks %s or its reference", c.Name)
		}
	}
}

// TestBetweennessMatchesGonum checks the flat-slice Brandes against gonum's
// network.Betweenness on the projection of stepped synthetic worlds.
func TestBetweennessMatchesGonum(t *testing.T) {
	for _, n := range []int{30, 120} {
		w := simtest.Synthetic(n, uint64(n))
		s := newSim(t, w)
		s.Run(20)
		g := metrics.Graph(s, metrics.GraphOptions{})
		ref := network.Betweenness(g) // every unordered pair counted twice
		got := observe(t, s, metrics.Options{Metrics: []string{"betweenness"}, Actors: allActors(s)})
		norm := float64((n - 1) * (n - 2))
		for i, a := range allActors(s) {
			if want := ref[int64(i)] / norm; math.Abs(got["betweenness/"+a]-want) > 1e-9 {
				t.Errorf("N=%d: betweenness of %s = %v, gonum gives %v", n, a, got["betweenness/"+a], want)
			}
		}
	}
}

// TestBetweennessLeaves checks the leaves Brandes does not run as sources
// against gonum on a broom (a path with leaves at both ends and one on an
// inner node), a separate edge (two leaves of each other) and a pendant path
// (a leaf whose neighbour has degree 2).
func TestBetweennessLeaves(t *testing.T) {
	var ties []sim.TieSpec
	for _, e := range [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {3, 5}, {0, 6}, {0, 7}, {2, 8},
		{9, 10}, {11, 12}, {12, 13}, {13, 11}, {13, 14}, {14, 15}} {
		ties = append(ties, tie(e[0], e[1], sim.Cooperation, sim.Initial))
	}
	w := world(17, ties, nil)
	s := newSim(t, w)
	g := metrics.Graph(s, metrics.GraphOptions{})
	ref := network.Betweenness(g)
	got := observe(t, s, metrics.Options{Metrics: []string{"betweenness"}, Actors: allActors(s)})
	norm := float64(16 * 15)
	for i, a := range allActors(s) {
		if want := ref[int64(i)] / norm; math.Abs(got["betweenness/"+a]-want) > 1e-12 {
			t.Errorf("betweenness of %s = %v, gonum gives %v", a, got["betweenness/"+a], want)
		}
	}
	if got["betweenness/S3"] == 0 || got["betweenness/S13"] == 0 {
		t.Error("the hubs of leaves have no betweenness: the test does not exercise them")
	}
}
