package calibrate

import (
	"cmp"
	"math"
	"slices"

	"github.com/entente/entente/scenarios/cdm"
)

// Statistic names, in report order.
const (
	StatEdges        = "edges"
	StatDensity      = "density"
	StatTransitivity = "transitivity"
	StatIsolates     = "isolates"
	StatDegreeKS     = "degree_ks"
	StatTop10        = "top10_overlap"
	StatPersistence  = "persistence"
	StatPersistence5 = "persistence5"
)

// Stats are the statistics compared between simulated and observed years,
// in this order. degree_ks is the two-sample Kolmogorov–Smirnov distance
// between the simulated and the observed degree distributions of the year
// (0 for the observed series); top10_overlap is the share of the observed
// ten highest-degree states among the simulated ten (1 for the observed
// series; ties in degree are broken by actor order); persistence in year t
// is the share of year t−1 ties still present in year t (undefined in the
// first year); persistence5 is the share of the ties of year t−5 still
// present in year t (undefined in the first five years).
var Stats = []string{StatEdges, StatDensity, StatTransitivity, StatIsolates, StatDegreeKS, StatTop10, StatPersistence, StatPersistence5}

// NumStats is len(Stats).
const NumStats = 8

const (
	iEdges = iota
	iDensity
	iTransitivity
	iIsolates
	iKS
	iTop10
	iPersistence
	iPersistence5
)

// Net is an undirected simple network on N nodes, its edges sorted.
type Net struct {
	N     int
	Edges []cdm.Edge
}

// NewNet builds a network from edges in any order and orientation; self-ties
// and duplicates are dropped.
func NewNet(n int, edges []cdm.Edge) Net {
	es := make([]cdm.Edge, 0, len(edges))
	for _, e := range edges {
		if e.A == e.B {
			continue
		}
		if e.A > e.B {
			e.A, e.B = e.B, e.A
		}
		es = append(es, e)
	}
	slices.SortFunc(es, func(x, y cdm.Edge) int { return cmp.Or(x.A-y.A, x.B-y.B) })
	return Net{N: n, Edges: slices.Compact(es)}
}

// Degrees returns each node's degree.
func (g Net) Degrees() []int {
	d := make([]int, g.N)
	for _, e := range g.Edges {
		d[e.A]++
		d[e.B]++
	}
	return d
}

// Density is edges / (N(N−1)/2).
func (g Net) Density() float64 {
	if g.N < 2 {
		return 0
	}
	return float64(len(g.Edges)) / (float64(g.N) * float64(g.N-1) / 2)
}

// Isolates counts nodes without an edge.
func (g Net) Isolates() int {
	k := 0
	for _, d := range g.Degrees() {
		if d == 0 {
			k++
		}
	}
	return k
}

// Transitivity is the global clustering coefficient: 3 × triangles /
// connected triples (0 without triples), as metrics' transitivity. Triangles
// are counted once per edge by merging sorted neighbour lists.
func (g Net) Transitivity() float64 {
	deg := make([]int32, g.N+1)
	for _, e := range g.Edges {
		deg[e.A+1]++
		deg[e.B+1]++
	}
	off := make([]int32, g.N+1)
	for i := 1; i <= g.N; i++ {
		off[i] = off[i-1] + deg[i]
	}
	nbr := make([]int32, 2*len(g.Edges))
	fill := slices.Clone(off[:g.N])
	// edges sorted by (A, B) (NewNet), with A < B: each node's smaller
	// neighbours first, from its edges as B, in ascending order, then its
	// larger ones, from its edges as A, ascending: each list comes out
	// sorted, with no sort
	for _, e := range g.Edges {
		nbr[fill[e.B]] = int32(e.A)
		fill[e.B]++
	}
	for _, e := range g.Edges {
		nbr[fill[e.A]] = int32(e.B)
		fill[e.A]++
	}
	triangles, triples := 0.0, 0.0
	for i := 0; i < g.N; i++ {
		k := float64(fill[i] - off[i])
		triples += k * (k - 1) / 2
	}
	for _, e := range g.Edges {
		a, b := nbr[off[e.A]:fill[e.A]], nbr[off[e.B]:fill[e.B]]
		for x, y := 0, 0; x < len(a) && y < len(b); {
			switch {
			case a[x] < b[y]:
				x++
			case a[x] > b[y]:
				y++
			default:
				triangles++
				x++
				y++
			}
		}
	}
	if triples == 0 {
		return 0
	}
	// each triangle is found once per edge: 3 times; 3 × triangles / triples
	return triangles / triples
}

// KS is the two-sample Kolmogorov–Smirnov distance sup_x |F_a(x) − F_b(x)|
// between two samples of whole numbers (0 if either is empty).
func KS(a, b []int) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	d := 0.0
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		var v int
		switch {
		case j >= len(y) || (i < len(x) && x[i] <= y[j]):
			v = x[i]
		default:
			v = y[j]
		}
		for i < len(x) && x[i] == v {
			i++
		}
		for j < len(y) && y[j] == v {
			j++
		}
		d = math.Max(d, math.Abs(float64(i)/float64(len(x))-float64(j)/float64(len(y))))
	}
	return d
}

// TopK returns the k nodes of highest degree (ties broken by index).
func TopK(deg []int, k int) []int {
	k = max(0, min(k, len(deg)))
	// insertion into the k best so far, in order of degree, then index:
	// what a stable sort of every node by degree puts first, without it
	top := make([]int, 0, k)
	for i, d := range deg {
		if len(top) == k && (k == 0 || d <= deg[top[k-1]]) {
			continue
		}
		pos := len(top)
		for pos > 0 && deg[top[pos-1]] < d {
			pos--
		}
		if len(top) < k {
			top = append(top, 0)
		}
		copy(top[pos+1:], top[pos:len(top)-1])
		top[pos] = i
	}
	return top
}

// Overlap is |a ∩ b| / max(|a|, |b|) (0 for two empty sets).
func Overlap(a, b []int) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 0
	}
	k := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			k++
		}
	}
	return float64(k) / float64(n)
}

// Persistence is the share of prev's edges present in cur (NaN if prev has
// none). Both are networks as NewNet builds them (edges sorted, each once).
func Persistence(prev, cur Net) float64 {
	if len(prev.Edges) == 0 {
		return math.NaN()
	}
	// both edge lists are sorted (NewNet): walk them together
	k, c := 0, 0
	for _, e := range prev.Edges {
		for c < len(cur.Edges) && cmp.Or(cur.Edges[c].A-e.A, cur.Edges[c].B-e.B) < 0 {
			c++
		}
		if c < len(cur.Edges) && cur.Edges[c] == e {
			k++
		}
	}
	return float64(k) / float64(len(prev.Edges))
}

// measure fills the statistics of a network against the observed one of
// the same year; prev holds the networks of the years before, oldest first.
func measure(g Net, prev []Net, obs Net, out []float64) {
	deg := g.Degrees()
	od := obs.Degrees()
	out[iEdges] = float64(len(g.Edges))
	out[iDensity] = g.Density()
	out[iTransitivity] = g.Transitivity()
	iso := 0
	for _, d := range deg {
		if d == 0 {
			iso++
		}
	}
	out[iIsolates] = float64(iso)
	out[iKS] = KS(deg, od)
	out[iTop10] = Overlap(TopK(deg, 10), TopK(od, 10))
	out[iPersistence], out[iPersistence5] = math.NaN(), math.NaN()
	if n := len(prev); n > 0 {
		out[iPersistence] = Persistence(prev[n-1], g)
		if n >= 5 {
			out[iPersistence5] = Persistence(prev[n-5], g)
		}
	}
}
