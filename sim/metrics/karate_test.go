package metrics_test

import (
	"fmt"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// karate is Zachary's karate club (Zachary 1977, J. Anthropol. Res. 33:452),
// 34 members and 78 edges, 1-indexed as in the paper; row i lists i's
// neighbours j > i.
var karate = [][]int{
	1:  {2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 18, 20, 22, 32},
	2:  {3, 4, 8, 14, 18, 20, 22, 31},
	3:  {4, 8, 9, 10, 14, 28, 29, 33},
	4:  {8, 13, 14},
	5:  {7, 11},
	6:  {7, 11, 17},
	7:  {17},
	9:  {31, 33, 34},
	10: {34},
	14: {34},
	15: {33, 34},
	16: {33, 34},
	19: {33, 34},
	20: {34},
	21: {33, 34},
	23: {33, 34},
	24: {26, 28, 30, 33, 34},
	25: {26, 28, 32},
	26: {32},
	27: {30, 34},
	28: {34},
	29: {32, 34},
	30: {33, 34},
	31: {33, 34},
	32: {33, 34},
	33: {34},
}

// Known values for the unweighted karate club. They come from the
// literature and the networkx documentation and tutorials (networkx is not
// installable here, so they are hard-coded, not recomputed):
//   - transitivity 0.2556818 = 3 x 45 triangles / 528 connected triplets
//     (nx.transitivity; Newman 2010 uses the same definition);
//   - average clustering 0.5706385 (nx.average_clustering, nodes of degree
//     < 2 counted as 0);
//   - normalised betweenness 0.4376353 for member 1 and 0.3040750 for
//     member 34 (nx.betweenness_centrality, normalised by (n-1)(n-2)/2);
//   - PageRank 0.0970018 for member 1 and 0.1009179 for member 34
//     (nx.pagerank, alpha 0.85, on the unweighted graph). networkx stops
//     once the L1 change falls below n x 1e-6 (after 20 iterations here), so
//     its figures are off by about 5e-6; iterated to convergence (an
//     independent plain power iteration, 93 iterations to 1e-16) they are
//     0.09699728538829554 and 0.10091918233262498;
//   - Louvain modularity about 0.42 (Blondel et al. 2008 report 0.42; the
//     optimum is 0.4198, Brandes et al. 2008). Louvain is a heuristic whose
//     result depends on the node order it draws: some seeds end in a local
//     optimum near 0.40.
//
// Degree centralisation is worked out here: k_max = 17 (member 34), sum
// of degrees 156, so sum(17 - k_i) = 34 x 17 - 156 = 422 over 33 x 32.
func TestKarate(t *testing.T) {
	var ties []sim.TieSpec
	for i, row := range karate {
		for _, j := range row {
			ties = append(ties, tie(i-1, j-1, sim.Cooperation, sim.Nominal))
		}
	}
	if len(ties) != 78 {
		t.Fatalf("%d edges, want 78", len(ties))
	}
	w := world(34, ties, nil)
	for i := range w.Actors {
		w.Actors[i].ID = fmt.Sprint(i + 1)
	}
	s := newSim(t, w)
	got := observe(t, s, metrics.Options{Metrics: []string{"all"}, Actors: []string{"1", "34", "33"}, Seed: 1})
	check(t, got, map[string]float64{
		"transitivity":          0.2556818181818182,
		"avg_clustering":        0.5706384782076823,
		"betweenness/1":         0.43763528138528146,
		"betweenness/34":        0.30407497594997596,
		"degree_centralisation": 422.0 / (33 * 32),
		"degree/34":             17,
		"degree/1":              16,
		"degree/33":             12,
		"components":            1,
		"density":               78.0 / (34 * 33 / 2),
	}, 1e-9)
	check(t, got, map[string]float64{
		"pagerank/1":  0.09700181758983709,
		"pagerank/34": 0.1009179167487121,
	}, 1e-5)
	check(t, got, map[string]float64{
		"pagerank/1":  0.09699728538829554,
		"pagerank/34": 0.10091918233262498,
	}, 1e-10)
	for seed := uint64(0); seed < 10; seed++ {
		q := observe(t, s, metrics.Options{Metrics: []string{"modularity", "blocs"}, Seed: seed})
		if m := q["modularity"]; m < 0.39 || m > 0.41979 {
			t.Errorf("seed %d: Louvain modularity %v, want in [0.39, 0.4198]", seed, m)
		}
		if b := q["blocs"]; b < 3 || b > 5 {
			t.Errorf("seed %d: %v blocs, want 3 to 5", seed, b)
		}
	}
}
