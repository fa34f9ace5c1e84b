// Package metrics provides the time series of network structure that a run
// records at every step: counts of ties by form and level, density, groups,
// clustering, centralisation, support flows, communities, components, the
// defence-dyad network and the centralities of followed actors.
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
// formula, reference); Describe prints it after GraphDefinition.
//
// # The graph
//
// Structural metrics are computed on one weighted undirected graph, the
// projection, returned by Graph and defined in GraphDefinition. Its nodes
// are the actors in the system (sim.Sim.InSystem): actors that have not
// entered, or have left, are not nodes and count in N for no metric (their
// per-actor network values are NaN). A pairwise tie adds its level (nominal
// 1 .. advanced 4) to the weight of its pair, whatever its form; a
// minilateral group of k members at level L adds L/(k-1) to every pair of
// members; a coalition at level L adds L to every leader-member pair; an
// organisation or informal group adds MembershipWeight(commitment) = 1 + 3 x
// commitment between itself and each current member in the system (the
// lists sim.Sim.MembersOf returns, read through OrganisationsOf); an
// organisation with a mutual-defence charter (Actor.MutualDefence) also adds
// that weight over k-1 to every pair of its k member states, which count as
// bound. Contributions to one pair are summed. GraphOptions can leave out
// groups, coalitions or membership. Tie counts, mean level, density and
// binding share count pairwise ties only.
//
// The defence-dyad metrics (dyads, dyad_density, dyad_transitivity,
// dyad_isolates) use a second graph: the states in the system, two joined
// when bound by mutual defence (a bilateral alliance, or common membership
// of a mutual-defence organisation): the pairs sim.Sim.DefenceDyads yields,
// the unit of the Correlates of War and ATOP alliance data.
//
// # Algorithms and cost
//
// The metrics run on flat slices (compressed sparse rows with sorted
// neighbour lists, bitsets on small graphs) and allocate nothing in steady
// state. gonum is the oracle of the tests (community.Q and
// community.Modularize, network.Betweenness, topo.ConnectedComponents) and
// serves callers through Graph:
//
//   - Louvain (Blondel et al. 2008) on the projection's actors with edges,
//     each level's nodes moved from a queue (Traag et al. 2019), the node order
//     drawn from a ChaCha8 seeded with SHA-256(tag ‖ Options.Seed): the
//     partition is a function of the seed and the network, so the same network
//     gives the same communities at any step of any replicate;
//   - betweenness: on at most 128 actors with edges, from the distances and
//     path counts of all pairs (bit-parallel breadth-first search), for the
//     followed actors only; up to ExactBetweenness (1,000) actors, Brandes'
//     algorithm (on bitsets when dense, on the sparse rows otherwise; leaves
//     are not run as sources); above, Brandes from Options.Pivots (200)
//     sources drawn by a hash of the seed and the actor, scaled by c/k
//     (Brandes & Pich 2007), with the error bound of BetweennessBound;
//   - PageRank: the linear system of the random walk with teleport, solved by
//     conjugate gradients on its symmetric form to a relative residual of
//     1e-14 (about 50 sweeps instead of the 180 of power iteration);
//   - components by breadth-first search; triangles by intersecting upper
//     neighbour lists.
//
// An Observer remembers the last projection it saw: when the network did
// not change (same actors in the system, edges and weights), the structural
// results are reused; when only weights changed, the unweighted ones
// (clustering, components, betweenness) are. Every value is a function of
// the network and the options only, so reuse changes no digit.
//
// # Determinism
//
// Output is byte-identical across repeated runs with the same seeds and
// whatever the order in which a pooled Observer sees the runs. Every value
// is finally rounded to 12 significant digits.
//
// # References
//
// Baglioni, Geraci, Pellegrini & Lastres 2012, ASONAM (leaves in
// betweenness); Barrat, Barthélemy, Pastor-Satorras & Vespignani 2004, PNAS
// 101:3747 (strength); Blondel, Guillaume, Lambiotte & Lefebvre 2008, J.
// Stat. Mech. P10008 (Louvain); Brandes 2001, J. Math. Sociol. 25:163
// (betweenness); Brandes & Pich 2007, Int. J. Bifurcation and Chaos 17:2303
// (pivots); Brin & Page 1998 (PageRank); Freeman 1977, Sociometry 40:35 and
// Freeman 1978/79, Social Networks 1:215 (betweenness, centralisation);
// Garlaschelli & Loffredo 2004, PRL 93:268701 (reciprocity); Gibler 2009,
// International Military Alliances (COW alliance dyads); Hoeffding 1963,
// JASA 58:13 and Serfling 1974, Ann. Stat. 2:39 (the bound); Leeds et al.
// 2002, Int. Interactions 28:237 (ATOP); Newman 2010, Networks: An
// Introduction (ch. 6-7, transitivity, components); Newman & Girvan 2004, PRE
// 69:026113 (modularity); Traag, Waltman & van Eck 2019, Sci. Rep. 9:5233
// (queue of nodes); Watts & Strogatz 1998, Nature 393:440 (local
// clustering); Wasserman & Faust 1994, Social Network Analysis.
package metrics
