package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"
)

// Range is the set of values a measure can take, [Lo, Hi]; an infinite end
// is open. It decides how summary intervals are computed (Welford.CIWithin):
// on the angular (arcsine square root) scale for a bounded range, the
// square-root scale for a half-open one, plainly for the whole line.
type Range struct{ Lo, Hi float64 }

// Unbounded is the whole real line.
var Unbounded = Range{math.Inf(-1), math.Inf(1)}

// Unit is [0, 1], the range of shares, densities and normalised centralities.
var Unit = Range{0, 1}

// NonNegative is [0, ∞), the range of counts and sums of non-negative terms.
var NonNegative = Range{0, math.Inf(1)}

// Unbounded reports whether r is the whole real line.
func (r Range) Unbounded() bool { return math.IsInf(r.Lo, -1) && math.IsInf(r.Hi, 1) }

// Scale names the scale the interval is computed on: "angular", "sqrt" or
// "identity".
func (r Range) Scale() string {
	switch {
	case r.Unbounded():
		return "identity"
	case math.IsInf(r.Lo, 0) || math.IsInf(r.Hi, 0):
		return "sqrt"
	}
	return "angular"
}

// String is the range in interval notation, e.g. "[0, 1]" or "[0, inf)".
func (r Range) String() string {
	lo, hi := "(-inf", "inf)"
	if !math.IsInf(r.Lo, 0) {
		lo = fmt.Sprintf("[%g", r.Lo)
	}
	if !math.IsInf(r.Hi, 0) {
		hi = fmt.Sprintf("%g]", r.Hi)
	}
	return lo + ", " + hi
}

// Method says in words how the interval of a measure with range r is
// computed, for `entente list metrics` and the report.
func (r Range) Method() string {
	switch r.Scale() {
	case "angular":
		return "Student-t on the angular scale"
	case "sqrt":
		return "Student-t on the square-root scale"
	}
	return "Student-t"
}

// Difference is the range of a difference of two values of range r (paired
// differences between branches): [-(b-a), b-a] for a bounded r, the whole
// line otherwise.
func (r Range) Difference() Range {
	if math.IsInf(r.Lo, 0) || math.IsInf(r.Hi, 0) {
		return Unbounded
	}
	w := r.Hi - r.Lo
	return Range{-w, w}
}

// metricRanges are the ranges of the metrics of sim/metrics' catalog
// (`entente list metrics`). A metric missing here gets the plain Student-t
// interval; a test checks that every catalog metric is listed.
var metricRanges = map[string]Range{
	// counts
	"ties_total": NonNegative, "ties_cooperation": NonNegative, "ties_alliance": NonNegative,
	"ties_assistance": NonNegative, "ties_nominal": NonNegative, "ties_initial": NonNegative,
	"ties_institutionalised": NonNegative, "ties_advanced": NonNegative,
	"minilaterals": NonNegative, "minilaterals_without_patron": NonNegative, "coalitions": NonNegative,
	"coalition_members": NonNegative, "edges": NonNegative, "components": NonNegative,
	"isolates": NonNegative, "blocs": NonNegative, "degree": NonNegative, "ties": NonNegative,
	"groups": NonNegative, "minilateral_mean_size": NonNegative,
	"dyads": NonNegative, "dyad_isolates": NonNegative,
	// sums of non-negative terms
	"total_support": NonNegative, "strength": NonNegative, "in_strength": NonNegative,
	"out_strength": NonNegative, "effective_capability": NonNegative, "perceived_threat": NonNegative,
	// levels, nominal 1 .. advanced 4 (0 without ties or groups)
	"mean_level": {0, 4}, "minilateral_mean_level": {0, 4},
	// shares and normalised measures
	"density": Unit, "binding_share": Unit, "transitivity": Unit, "avg_clustering": Unit,
	"degree_centralisation": Unit, "strength_centralisation": Unit, "largest_component": Unit,
	"support_asymmetry": Unit, "support_gini": Unit, "clustering": Unit, "betweenness": Unit,
	"pagerank": Unit, "reliability": Unit, "dyad_density": Unit, "dyad_transitivity": Unit,
	// Newman-Girvan modularity lies in [-1/2, 1]
	"modularity": {-0.5, 1},
}

// MetricRange returns the range of a metric of the catalog, and whether it
// is known.
func MetricRange(metric string) (Range, bool) {
	r, ok := metricRanges[metric]
	return r, ok
}

// RangeOf is MetricRange, the whole line for a metric it does not know.
func RangeOf(metric string) Range {
	if r, ok := metricRanges[metric]; ok {
		return r
	}
	return Unbounded
}

// RangedMetrics lists the metrics with a known range, sorted.
func RangedMetrics() []string {
	out := make([]string, 0, len(metricRanges))
	for k := range metricRanges {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// DescribeIntervals writes, for `entente list metrics`, how summary.csv's
// interval of each named metric is computed: its range and scale.
func DescribeIntervals(w io.Writer, names []string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "# intervals (summary.csv ci_low, ci_high: 95% interval of the mean over replicates, never outside the metric's range)")
	fmt.Fprintln(tw, "metric\trange\tinterval")
	for _, n := range names {
		r, ok := MetricRange(n)
		m := r.Method()
		if !ok {
			m = "Student-t (range unknown)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", n, r, m)
	}
	fmt.Fprintln(tw, "Student-t: mean ± t(0.975, n-1)·sd/√n. On a scale: computed there (delta method) and mapped back, cut at the range's ends;")
	fmt.Fprintln(tw, "the angular scale is asin(√u) with u = (x-lo)/(hi-lo) (shares, Bartlett 1947), the square-root scale √(x-lo) (counts, Anscombe 1948).")
	return tw.Flush()
}

// DescribeExports writes, for `entente list metrics`, what the network
// exports hold: the graph the structural metrics are computed on.
func DescribeExports(w io.Writer) error {
	_, err := io.WriteString(w, `# the exported graph (snapshots/rep{R}_step{T}.graphml and .gexf)
Every actor is a node (in_system false for one not yet in the system; organisations,
members, groups and the coalitions it leads as attributes). Every edge of the weighted
projection the structural metrics are computed on (sim/metrics Graph: a pairwise tie adds
its level, a minilateral of k members at level L adds L/(k-1) to each pair of members, a
coalition at level L adds L to each leader-member pair) is one edge, with id SOURCE--TARGET
(the same in every snapshot), weight (the projection's), via (tie, member, minilateral:NAME,
coalition:NAME) and the tie's attributes when the pair has one. networkx's read_graphml on
it, restricted to the nodes with in_system true (the metrics count no other), gives the
engine's edges, degree, strength, transitivity, components and isolates.
With --tie-lists: _ties.csv (pairwise ties), _groups.csv (groups, members, coalition
leader) and _dyads.csv (a,b,via: states bound by mutual defence, via "alliance" or the
organisation's id).
`)
	return err
}
