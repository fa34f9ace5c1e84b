package metrics

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/entente/entente/sim"
)

// Spec documents one metric.
type Spec struct {
	Name      string // snake_case, e.g. "density", "ties_alliance", "betweenness"
	Family    string // documentation group: ties, groups, structure, support, communities, defence, actor
	Doc       string // one-line definition
	Formula   string // formula in plain text
	Reference string // literature reference
	PerActor  bool   // yields one value per followed actor
	Costly    bool   // computed only every Options.Every steps
}

// metric ids, in documentation order. The order of this list is the order of
// Catalog and the order in which Observe appends values.
const (
	mTiesTotal = iota
	mTiesCooperation
	mTiesAlliance
	mTiesAssistance
	mTiesNominal
	mTiesInitial
	mTiesInstitutionalised
	mTiesAdvanced
	mMeanLevel
	mDensity
	mBindingShare

	mMinilaterals
	mMinilateralsNoPatron
	mMinilateralMeanSize
	mMinilateralMeanLevel
	mCoalitions
	mCoalitionMembers

	mEdges
	mTransitivity
	mAvgClustering
	mDegreeCentralisation
	mStrengthCentralisation
	mComponents
	mLargestComponent
	mIsolates

	mTotalSupport
	mSupportAsymmetry
	mSupportGini

	mModularity
	mBlocs

	mDyads
	mDyadDensity
	mDyadTransitivity
	mDyadIsolates

	mDegree
	mStrength
	mTies
	mClustering
	mBetweenness
	mPageRank
	mInStrength
	mOutStrength
	mEffectiveCapability
	mPerceivedThreat
	mReliability
	mGroups

	numMetrics
)

const projDoc = "on the projection (the graph)"

// GraphDefinition defines, in plain words, the graph the structural
// metrics are computed on and the defence-dyad network. Describe prints it
// first.
const GraphDefinition = `The graph ("the projection"): one weighted undirected graph per step.
  Nodes: the actors in the system at the step (states, organisations, informal
  groups). An actor that has not entered yet, or has left, is not a node and
  does not count in N for any metric; its per-actor network values are NaN.
  Edges: two actors are joined when any of these holds; the weight is the sum
  of their contributions:
    - a pairwise tie (any form): its level, nominal 1 .. advanced 4;
    - a minilateral group of k members at level L: L/(k-1) to each pair of
      members (so membership raises a member's strength by L);
    - a coalition at level L: L to each leader-member pair;
    - an organisation or informal group and each of its current members:
      1 + 3 x commitment (a dialogue forum of commitment 0 weighs 1, a full
      mutual-defence commitment 4);
    - an organisation whose charter has a mutual-defence clause
      (mutual_defence: true in a scenario; NATO's Article 5, the Rio Treaty)
      with k member states in the system: (1 + 3 x commitment)/(k-1) to each
      pair of them, which count as bound.
  Unweighted measures (degree, transitivity, clustering, components,
  betweenness) count an edge as present or absent; weighted ones (strength,
  strength centralisation, PageRank, modularity) use the weights.
The defence-dyad network (family "defence"): the states in the system, two
  joined when bound by mutual defence at the step, by a bilateral alliance or
  by common membership of a mutual-defence organisation (each pair once): the
  unit of the Correlates of War and ATOP alliance data. S = its nodes.`

var catalog = [numMetrics]Spec{
	mTiesTotal: {Name: "ties_total", Family: "ties",
		Doc:       "number of live pairwise ties (any form, any level)",
		Formula:   "M = |{pairwise ties}|",
		Reference: "Wasserman & Faust 1994 ch.4"},
	mTiesCooperation: {Name: "ties_cooperation", Family: "ties",
		Doc:       "pairwise ties of form cooperation (non-binding security cooperation)",
		Formula:   "|{ties : form = cooperation}|",
		Reference: "MODEL.md (tie forms)"},
	mTiesAlliance: {Name: "ties_alliance", Family: "ties",
		Doc:       "pairwise ties of form alliance (binding mutual defence)",
		Formula:   "|{ties : form = alliance}|",
		Reference: "MODEL.md (tie forms); Snyder 1997"},
	mTiesAssistance: {Name: "ties_assistance", Family: "ties",
		Doc:       "pairwise ties of form assistance (security force assistance)",
		Formula:   "|{ties : form = assistance}|",
		Reference: "MODEL.md (tie forms)"},
	mTiesNominal: {Name: "ties_nominal", Family: "ties",
		Doc:       "pairwise ties at level nominal",
		Formula:   "|{ties : level = nominal (1)}|",
		Reference: "MODEL.md (tie levels, source 004)"},
	mTiesInitial: {Name: "ties_initial", Family: "ties",
		Doc:       "pairwise ties at level initial",
		Formula:   "|{ties : level = initial (2)}|",
		Reference: "MODEL.md (tie levels, source 004)"},
	mTiesInstitutionalised: {Name: "ties_institutionalised", Family: "ties",
		Doc:       "pairwise ties at level institutionalised",
		Formula:   "|{ties : level = institutionalised (3)}|",
		Reference: "MODEL.md (tie levels, source 004)"},
	mTiesAdvanced: {Name: "ties_advanced", Family: "ties",
		Doc:       "pairwise ties at level advanced",
		Formula:   "|{ties : level = advanced (4)}|",
		Reference: "MODEL.md (tie levels, source 004)"},
	mMeanLevel: {Name: "mean_level", Family: "ties",
		Doc:       "mean level of the pairwise ties (nominal 1 .. advanced 4); 0 without ties",
		Formula:   "sum_ties level / M",
		Reference: "MODEL.md (tie levels, source 004)"},
	mDensity: {Name: "density", Family: "ties",
		Doc:       "pairwise ties as a share of all possible pairs of actors in the system",
		Formula:   "M / (N(N-1)/2), N = actors in the system",
		Reference: "Wasserman & Faust 1994 s.4.2"},
	mBindingShare: {Name: "binding_share", Family: "ties",
		Doc:       "share of the pairwise ties that are binding (alliances); 0 without ties",
		Formula:   "ties_alliance / ties_total",
		Reference: "MODEL.md (stylised fact 2)"},

	mMinilaterals: {Name: "minilaterals", Family: "groups",
		Doc:       "number of live minilateral groups",
		Formula:   "|{groups : kind = minilateral}|",
		Reference: "MODEL.md (minilateral groups as hyperedges)"},
	mMinilateralsNoPatron: {Name: "minilaterals_without_patron", Family: "groups",
		Doc:       "number of live minilateral groups none of whose members in the system is a patron (hedging)",
		Formula:   "|{groups : kind = minilateral, no member in the system with patron = true}|",
		Reference: "MODEL.md (stylised fact 1); source 002"},
	mMinilateralMeanSize: {Name: "minilateral_mean_size", Family: "groups",
		Doc:       "mean number of members in the system of the minilateral groups (an absent member, kept by its group, is not counted); 0 without groups",
		Formula:   "sum_g |members(g) in the system| / minilaterals",
		Reference: "MODEL.md (minilateral groups)"},
	mMinilateralMeanLevel: {Name: "minilateral_mean_level", Family: "groups",
		Doc:       "mean level of the minilateral groups (1..4); 0 without groups",
		Formula:   "sum_g level_g / minilaterals",
		Reference: "MODEL.md (minilateral groups)"},
	mCoalitions: {Name: "coalitions", Family: "groups",
		Doc:       "number of live threat-bound coalitions",
		Formula:   "|{groups : kind = coalition}|",
		Reference: "MODEL.md (coalitions)"},
	mCoalitionMembers: {Name: "coalition_members", Family: "groups",
		Doc:       "number of distinct actors in the system in at least one coalition (an absent member, kept by its coalition, is not counted)",
		Formula:   "|union_c members(c) in the system|",
		Reference: "MODEL.md (coalitions)"},

	mEdges: {Name: "edges", Family: "structure",
		Doc:       "edges of the projection (pairs joined by a tie, a shared group, a membership or a common mutual-defence organisation)",
		Formula:   "|E(projection)|",
		Reference: "Newman 2010 s.6.1"},
	mTransitivity: {Name: "transitivity", Family: "structure",
		Doc:       "global clustering: share of connected triplets that are closed, " + projDoc + ", weights ignored",
		Formula:   "3 x triangles / connected triplets = sum_i t_i / sum_i k_i(k_i-1)/2",
		Reference: "Newman 2010 s.7.9 (eq. 7.41); Wasserman & Faust 1994"},
	mAvgClustering: {Name: "avg_clustering", Family: "structure",
		Doc:       "mean local clustering over the actors in the system (degree < 2 counts 0), " + projDoc + ", weights ignored",
		Formula:   "(1/N) sum_i t_i / (k_i(k_i-1)/2)",
		Reference: "Watts & Strogatz 1998"},
	mDegreeCentralisation: {Name: "degree_centralisation", Family: "structure",
		Doc:       "Freeman degree centralisation " + projDoc + ": 1 for a star, 0 for a regular graph",
		Formula:   "sum_i (k_max - k_i) / ((N-1)(N-2))",
		Reference: "Freeman 1978/79, Social Networks 1:215"},
	mStrengthCentralisation: {Name: "strength_centralisation", Family: "structure",
		Doc:       "Freeman centralisation of strength (weighted degree) " + projDoc + ", normalised by a star whose edges all carry the largest edge weight",
		Formula:   "sum_i (s_max - s_i) / ((N-1)(N-2) w_max), w_max = largest edge weight",
		Reference: "Freeman 1978/79; Barrat et al. 2004 PNAS 101:3747 (strength)"},
	mComponents: {Name: "components", Family: "structure",
		Doc:       "connected components " + projDoc + " (isolates count as components)",
		Formula:   "|topo.ConnectedComponents(projection)|",
		Reference: "Newman 2010 s.6.12"},
	mLargestComponent: {Name: "largest_component", Family: "structure",
		Doc:       "share of actors in the largest connected component " + projDoc,
		Formula:   "max_c |c| / N",
		Reference: "Newman 2010 s.6.12"},
	mIsolates: {Name: "isolates", Family: "structure",
		Doc:       "actors in the system with no edge " + projDoc + " (no tie, no group, no membership)",
		Formula:   "|{i : k_i = 0}|",
		Reference: "Wasserman & Faust 1994 s.4.3"},

	mTotalSupport: {Name: "total_support", Family: "support",
		Doc:       "support flowing donor -> recipient this step, summed over ties",
		Formula:   "sum_ties support = sum_i out_strength_i",
		Reference: "MODEL.md (assistance flows, source 004)"},
	mSupportAsymmetry: {Name: "support_asymmetry", Family: "support",
		Doc:       "share of pairwise tie strength (level) on directed donor -> recipient ties, i.e. 1 - weighted reciprocity with each tie counted once; 0 without ties",
		Formula:   "sum_{ties with a donor} level / sum_ties level",
		Reference: "Garlaschelli & Loffredo 2004 PRL 93:268701 (reciprocity)"},
	mSupportGini: {Name: "support_gini", Family: "support",
		Doc:       "Gini coefficient of out-strength (support given) over the actors in the system: 0 equal, -> 1 one donor; 0 without support",
		Formula:   "sum_i (2i - N - 1) x_(i) / (N sum_i x_i), x sorted ascending, i = 1..N",
		Reference: "Gini 1912; Damgaard & Weiner 2000"},

	mModularity: {Name: "modularity", Family: "communities",
		Doc:       "modularity Q of the Louvain partition of the weighted projection, resolution 1, node order drawn from the run's seed (the same network always gives the same partition); 0 without edges",
		Formula:   "Q = 1/2m sum_ij [A_ij - k_i k_j / 2m] delta(c_i, c_j)",
		Reference: "Newman & Girvan 2004; Blondel et al. 2008 (Louvain)",
		Costly:    true},
	mBlocs: {Name: "blocs", Family: "communities",
		Doc:       "number of Louvain communities with at least 2 actors (isolates are not blocs)",
		Formula:   "|{c in Louvain partition : |c| >= 2}|",
		Reference: "Blondel et al. 2008",
		Costly:    true},

	mDyads: {Name: "dyads", Family: "defence",
		Doc:       "pairs of states in the system bound by mutual defence: a bilateral alliance, or common membership of a mutual-defence organisation in the system (each pair once)",
		Formula:   "D = |{ {a,b} : a, b states in the system, alliance(a,b) or a, b in o with o mutual-defence }|",
		Reference: "Gibler 2009 (COW Formal Alliances v4); Leeds et al. 2002 (ATOP)"},
	mDyadDensity: {Name: "dyad_density", Family: "defence",
		Doc:       "defence dyads as a share of all pairs of states in the system; 0 with fewer than 2 states",
		Formula:   "D / (S(S-1)/2), S = states in the system",
		Reference: "Wasserman & Faust 1994 s.4.2; Maoz 2010, Networks of Nations"},
	mDyadTransitivity: {Name: "dyad_transitivity", Family: "defence",
		Doc:       "global clustering of the defence-dyad network of states: share of connected triplets of states that are closed; 0 without triplets",
		Formula:   "sum_i t_i / sum_i k_i(k_i-1)/2 on the defence-dyad network",
		Reference: "Newman 2010 s.7.9; Maoz 2010; Cranmer, Desmarais & Menninga 2012 (alliance transitivity)"},
	mDyadIsolates: {Name: "dyad_isolates", Family: "defence",
		Doc:       "states in the system bound by mutual defence to no other state",
		Formula:   "|{a state in the system : no defence dyad of a}|",
		Reference: "Wasserman & Faust 1994 s.4.3"},

	mDegree: {Name: "degree", Family: "actor", PerActor: true,
		Doc:       "neighbours " + projDoc + " (tie partners, group co-members, the actor's organisations or members, co-members of a mutual-defence organisation); NaN while not in the system",
		Formula:   "k_i = |{j : w_ij > 0}|",
		Reference: "Wasserman & Faust 1994 s.4.3"},
	mStrength: {Name: "strength", Family: "actor", PerActor: true,
		Doc:       "weighted degree " + projDoc + ": tie levels plus group shares plus membership weights; NaN while not in the system",
		Formula:   "s_i = sum_j w_ij",
		Reference: "Barrat et al. 2004 PNAS 101:3747"},
	mTies: {Name: "ties", Family: "actor", PerActor: true,
		Doc:       "number of pairwise ties of the actor with actors in the system (groups not counted); NaN while not in the system",
		Formula:   "|{ties of i}|",
		Reference: "Wasserman & Faust 1994 s.4.3"},
	mClustering: {Name: "clustering", Family: "actor", PerActor: true,
		Doc:       "local clustering coefficient " + projDoc + ", weights ignored; 0 for degree < 2; NaN while not in the system",
		Formula:   "C_i = t_i / (k_i(k_i-1)/2), t_i = edges among i's neighbours",
		Reference: "Watts & Strogatz 1998"},
	mBetweenness: {Name: "betweenness", Family: "actor", PerActor: true, Costly: true,
		Doc:       "normalised shortest-path betweenness " + projDoc + ", paths counted in hops (weights ignored); exact up to 1,000 actors with edges, above estimated from 200 random sources (Options.Pivots; error bound: metrics.BetweennessBound, 0.09 at 5,000 actors, alpha 0.05); NaN while not in the system",
		Formula:   "sum_{s<t, s,t != i} sigma_st(i)/sigma_st / ((N-1)(N-2)/2); sampled: (c/k) sum over k pivots s of delta_s(i)/2, c = actors with edges",
		Reference: "Freeman 1977 Sociometry 40:35; Brandes 2001; Brandes & Pich 2007 (pivots)"},
	mPageRank: {Name: "pagerank", Family: "actor", PerActor: true, Costly: true,
		Doc:       "weighted PageRank " + projDoc + " (each edge an arc both ways with its weight), damping 0.85, uniform teleport over the actors in the system; sums to 1 over them; solved by conjugate gradients to 1e-14; NaN while not in the system",
		Formula:   "x_i = (1-d)/N + d (sum_j w_ji/s_j x_j + sum_{j: s_j=0} x_j/N), d = 0.85",
		Reference: "Brin & Page 1998; Newman 2010 s.7.4"},
	mInStrength: {Name: "in_strength", Family: "actor", PerActor: true,
		Doc:       "support the actor receives this step over its assistance flows",
		Formula:   "sum_{ties, donor != i} support",
		Reference: "Barrat et al. 2004 (in-strength); MODEL.md (flows)"},
	mOutStrength: {Name: "out_strength", Family: "actor", PerActor: true,
		Doc:       "support the actor gives this step over its assistance flows",
		Formula:   "sum_{ties, donor = i} support",
		Reference: "Barrat et al. 2004 (out-strength); MODEL.md (flows)"},
	mEffectiveCapability: {Name: "effective_capability", Family: "actor", PerActor: true,
		Doc:       "the engine's effective capability (own or members', plus assisted, less support tied up)",
		Formula:   "sim.EffectiveCapability(i)",
		Reference: "MODEL.md (capability, assistance)"},
	mPerceivedThreat: {Name: "perceived_threat", Family: "actor", PerActor: true,
		Doc:       "the engine's total perceived threat of the actor, summed over threats",
		Formula:   "sim.PerceivedThreat(i)",
		Reference: "MODEL.md (threats); Walt 1987"},
	mReliability: {Name: "reliability", Family: "actor", PerActor: true,
		Doc:       "how reliable partners see the actor, in [0, 1]",
		Formula:   "sim.Reliability(i)",
		Reference: "MODEL.md (retrenchment)"},
	mGroups: {Name: "groups", Family: "actor", PerActor: true,
		Doc:       "number of live groups (minilaterals and coalitions) the actor is a member of",
		Formula:   "|{g : i in g}|",
		Reference: "MODEL.md (minilateral groups)"},
}

// notDefault are the metrics of the catalog left out of Default.
var notDefault = []int{mMinilateralMeanLevel, mEdges, mAvgClustering, mSupportGini, mTies, mClustering}

// Catalog returns every metric in documentation order (grouped by Family).
// The returned slice is a copy.
func Catalog() []Spec { return slices.Clone(catalog[:]) }

// Default returns the names of the default set: every network-level measure
// except a few secondary ones (minilateral_mean_level, edges, avg_clustering,
// support_gini) and the key per-actor centralities and engine series.
func Default() []string {
	var names []string
	for id := range catalog {
		if !slices.Contains(notDefault, id) {
			names = append(names, catalog[id].Name)
		}
	}
	return names
}

// Names returns the names of every metric in catalog order.
func Names() []string {
	names := make([]string, len(catalog))
	for i := range catalog {
		names[i] = catalog[i].Name
	}
	return names
}

// Lookup returns the Spec of the named metric.
func Lookup(name string) (Spec, bool) {
	id := indexOf(name)
	if id < 0 {
		return Spec{}, false
	}
	return catalog[id], true
}

func indexOf(name string) int {
	for i := range catalog {
		if catalog[i].Name == name {
			return i
		}
	}
	return -1
}

// Describe prints GraphDefinition, then the catalog: per family, each
// metric's name, whether it is per actor or costly, its definition, formula
// and reference. It is what `entente list metrics` shows.
func Describe(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "%s\n\n", GraphDefinition); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	family := ""
	for _, s := range catalog {
		if s.Family != family {
			if family != "" {
				fmt.Fprintln(tw)
			}
			family = s.Family
			fmt.Fprintf(tw, "# %s\n", family)
		}
		var tags []string
		if s.PerActor {
			tags = append(tags, "per actor")
		}
		if s.Costly {
			tags = append(tags, "costly")
		}
		if slices.Contains(notDefault, indexOf(s.Name)) {
			tags = append(tags, "not default")
		}
		tag := ""
		if len(tags) > 0 {
			tag = " [" + strings.Join(tags, ", ") + "]"
		}
		fmt.Fprintf(tw, "%s%s\t%s\n", s.Name, tag, s.Doc)
		fmt.Fprintf(tw, "\tformula: %s\n", s.Formula)
		fmt.Fprintf(tw, "\tref: %s\n", s.Reference)
	}
	return tw.Flush()
}

// suggest returns a " (did you mean x?)" hint for the closest candidate to
// name, or "" when none is close.
func suggest(name string, candidates []string) string {
	if best := sim.Closest(name, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}
