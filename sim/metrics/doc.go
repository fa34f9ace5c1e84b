// Package metrics provides the time series of network structure that a run
// records at every step: counts of ties by form and level, density, groups,
// clustering, centralisation, support flows, communities, components and the
// centralities of followed actors.
//
// # Use
//
// Build one Observer per run (or per worker) with NewObserver, then call
// Observe after every step:
//
//	ob, err := metrics.NewObserver(w, metrics.Options{Actors: []string{"USA"}, Every: 4, Seed: 1})
//	...
//	for s.T() < steps {
//		s.Step()
//		vals = ob.Observe(s, vals[:0])
//	}
//
// Observe appends Values in a fixed order (network-level metrics in catalog
// order, then per-actor metrics in catalog order, one value per followed
// actor). Costly metrics (betweenness, pagerank, modularity, blocs) are
// computed only on steps that are multiples of Options.Every and are omitted,
// not NaN, on other steps. Catalog documents every metric (definition,
// formula, reference); Describe prints it.
//
// # The projection
//
// Structural metrics (edges, clustering, centralisation, components,
// isolates, communities, degree, strength, betweenness, pagerank) are
// computed on a weighted undirected projection of the network, returned by
// Graph. Its nodes are all actors (by index). A pairwise tie adds its level
// (nominal 1, initial 2, institutionalised 3, advanced 4) to the weight of
// its pair, whatever its form. A minilateral group of k members at level L
// adds L/(k-1) to every pair of members, so that membership raises each
// member's strength by L, as one tie at level L would. A coalition at level
// L adds L to every leader-member pair. Contributions to one pair are summed.
// GraphOptions can leave out groups or coalitions. Tie counts, mean level,
// density and binding share count pairwise ties only; groups are counted by
// the group metrics.
//
// Unweighted measures (degree, transitivity, clustering, betweenness,
// components) treat every edge of the projection as present or absent;
// weighted ones (strength, strength centralisation, pagerank, modularity)
// use the weights.
//
// # Determinism
//
// Output is byte-identical across repeated runs with the same seeds. gonum's
// simple graphs iterate Go maps, so the metrics run gonum's algorithms
// (community.Modularize and community.Q, topo.ConnectedComponents) on an
// internal graph with sorted neighbour lists instead; Louvain gets a ChaCha8
// source seeded from Options.Seed and the step. Louvain runs on the
// projection's actors that have at least one edge (isolates stay singletons
// whatever it does and add nothing to Q), and Q is read off the top level of
// its result, whose nodes are the communities. Two measures do not call
// gonum: PageRank is a power iteration from the uniform vector (gonum's
// network.PageRank starts from a vector drawn from the global random
// source, so its digits below the tolerance change from run to run), and
// betweenness is Brandes' algorithm on flat slices (gonum's
// network.Betweenness, on per-source maps, was 30 ms of a 35 ms Observe at
// N = 200); the tests check it against network.Betweenness. Every value is
// finally rounded to 12 significant digits.
//
// # References
//
// Barrat, Barthélemy, Pastor-Satorras & Vespignani 2004, PNAS 101:3747
// (strength); Blondel, Guillaume, Lambiotte & Lefebvre 2008, J. Stat. Mech.
// P10008 (Louvain); Brandes 2001, J. Math. Sociol. 25:163 (betweenness);
// Brin & Page 1998 (PageRank); Freeman 1977, Sociometry 40:35 and Freeman
// 1978/79, Social Networks 1:215 (betweenness, centralisation); Garlaschelli
// & Loffredo 2004, PRL 93:268701 (reciprocity); Newman 2010, Networks: An
// Introduction (ch. 6-7, transitivity, components); Newman & Girvan 2004, PRE
// 69:026113 (modularity); Watts & Strogatz 1998, Nature 393:440 (local
// clustering); Wasserman & Faust 1994, Social Network Analysis.
package metrics
