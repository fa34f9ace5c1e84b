package metrics

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/entente/entente/sim"
)

// GraphOptions selects what the weighted undirected projection of a Sim
// contains. The zero value is the full projection the metrics use.
type GraphOptions struct {
	// ExcludeGroups leaves out every group edge (minilaterals and
	// coalitions): only pairwise ties remain.
	ExcludeGroups bool
	// ExcludeCoalitions leaves out the coalitions' leader-member edges but
	// keeps the minilaterals' co-membership edges.
	ExcludeCoalitions bool
}

// Graph returns the weighted undirected projection of the Sim's current
// network that the structural metrics are computed on. Node IDs are actor
// indices; every actor is a node, isolates included. Edge weights:
//
//   - a pairwise tie adds its level (nominal 1 .. advanced 4), whatever its form;
//   - a minilateral group of k members at level L adds L/(k-1) to every pair of
//     its members, so that each member's strength grows by L;
//   - a coalition at level L adds L to every leader-member pair (a star around
//     its leader; without a leader it is treated like a minilateral);
//
// and contributions to the same pair are summed. The graph is built in
// sorted ID order; note that a simple graph iterates a Go map, so algorithms
// run on it are not reproducible to the last bit (the metrics use an
// ordered internal graph instead). Absent edges have weight +Inf, self
// weight is 0.
func Graph(s *sim.Sim, opt GraphOptions) *simple.WeightedUndirectedGraph {
	var p projection
	p.build(s, opt)
	g := simple.NewWeightedUndirectedGraph(0, math.Inf(1))
	for i := 0; i < p.n; i++ {
		g.AddNode(simple.Node(i))
	}
	for u := 0; u < p.n; u++ {
		for k := p.off[u]; k < p.off[u+1]; k++ {
			if v := p.nbr[k]; int(v) > u {
				g.SetWeightedEdge(simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: p.wt[k]})
			}
		}
	}
	return g
}

type edge struct {
	a, b int32
	w    float64
}

// projection is the weighted undirected projection in compressed sparse row
// form with sorted neighbour lists. It implements graph.WeightedUndirected
// with a deterministic iteration order (IDs ascending), which is what makes
// gonum's algorithms reproducible on it.
type projection struct {
	n        int
	edges    []edge       // scratch: raw contributions
	tmp      []edge       // scratch for sorting
	cnt      []int32      // scratch for sorting
	off      []int32      // len n+1
	nbr      []int32      // neighbour ids, ascending within a node
	wt       []float64    // weights parallel to nbr
	nbrNodes []graph.Node // neighbour nodes parallel to nbr
	nodes    []graph.Node // 0..n-1
	fill     []int32      // scratch
	strength []float64
	m        int     // undirected edges
	wmax     float64 // largest edge weight
}

func (p *projection) build(s *sim.Sim, opt GraphOptions) {
	n := s.N()
	p.n = n
	p.edges = p.edges[:0]
	for t := range s.Ties() {
		a, b := t.A, t.B
		if a > b {
			a, b = b, a
		}
		p.edges = append(p.edges, edge{int32(a), int32(b), float64(t.Level)})
	}
	if !opt.ExcludeGroups {
		for g := range s.Groups() {
			mem := g.Members
			if len(mem) < 2 {
				continue
			}
			l := float64(g.Level)
			if g.Kind == sim.CoalitionGroup && g.Leader >= 0 && g.Has(g.Leader) {
				if opt.ExcludeCoalitions {
					continue
				}
				for _, m := range mem {
					if m != g.Leader {
						p.edges = append(p.edges, edge{int32(min(m, g.Leader)), int32(max(m, g.Leader)), l})
					}
				}
				continue
			}
			if g.Kind == sim.CoalitionGroup && opt.ExcludeCoalitions {
				continue
			}
			w := l / float64(len(mem)-1)
			for i, a := range mem {
				for _, b := range mem[i+1:] {
					p.edges = append(p.edges, edge{int32(min(a, b)), int32(max(a, b)), w})
				}
			}
		}
	}
	// Sort by (a, b), stably: contributions to one pair are summed in the
	// order they were produced (ties, then groups, each in slot order).
	p.sortEdges(n)
	// merge duplicates
	e := p.edges
	k := 0
	for i := 0; i < len(e); {
		cur := e[i]
		j := i + 1
		for j < len(e) && e[j].a == cur.a && e[j].b == cur.b {
			cur.w += e[j].w
			j++
		}
		if cur.a != cur.b && cur.w > 0 {
			e[k] = cur
			k++
		}
		i = j
	}
	e = e[:k]
	p.edges = e
	p.m = len(e)

	p.off = resize(p.off, n+1)
	clear(p.off)
	for _, x := range e {
		p.off[x.a+1]++
		p.off[x.b+1]++
	}
	for i := 0; i < n; i++ {
		p.off[i+1] += p.off[i]
	}
	total := int(p.off[n])
	p.nbr = resize(p.nbr, total)
	p.wt = resize(p.wt, total)
	p.nbrNodes = resize(p.nbrNodes, total)
	p.fill = resize(p.fill, n)
	copy(p.fill, p.off[:n])
	// Edges are sorted by (a, b) with a < b. The first pass gives every node
	// its lower neighbours in ascending order, the second its upper ones, so
	// each neighbour list ends up sorted.
	for _, x := range e {
		f := p.fill[x.b]
		p.nbr[f], p.wt[f] = x.a, x.w
		p.fill[x.b]++
	}
	for _, x := range e {
		f := p.fill[x.a]
		p.nbr[f], p.wt[f] = x.b, x.w
		p.fill[x.a]++
	}
	if len(p.nodes) != n {
		p.nodes = make([]graph.Node, n)
		for i := range p.nodes {
			p.nodes[i] = simple.Node(i)
		}
	}
	for k, v := range p.nbr {
		p.nbrNodes[k] = p.nodes[v]
	}
	p.strength = resize(p.strength, n)
	p.wmax = 0
	for u := 0; u < n; u++ {
		sum := 0.0
		for k := p.off[u]; k < p.off[u+1]; k++ {
			sum += p.wt[k]
			p.wmax = max(p.wmax, p.wt[k])
		}
		p.strength[u] = sum
	}
}

// sortEdges sorts p.edges by (a, b), stably, with two counting-sort passes
// (by b, then by a) over node ids in [0, n).
func (p *projection) sortEdges(n int) {
	if len(p.edges) < 2 {
		return
	}
	p.tmp = resize(p.tmp, len(p.edges))
	p.cnt = resize(p.cnt, n+1)
	pass := func(dst, src []edge, key func(edge) int32) {
		cnt := p.cnt
		clear(cnt)
		for _, e := range src {
			cnt[key(e)+1]++
		}
		for i := 1; i <= n; i++ {
			cnt[i] += cnt[i-1]
		}
		for _, e := range src {
			k := key(e)
			dst[cnt[k]] = e
			cnt[k]++
		}
	}
	pass(p.tmp, p.edges, func(e edge) int32 { return e.b })
	pass(p.edges, p.tmp, func(e edge) int32 { return e.a })
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (p *projection) degree(u int) int { return int(p.off[u+1] - p.off[u]) }

// find returns the position of v in u's neighbour list, or -1.
func (p *projection) find(u, v int64) int {
	if u < 0 || u >= int64(p.n) || v < 0 || v >= int64(p.n) {
		return -1
	}
	lo, hi := int(p.off[u]), int(p.off[u+1])
	k, ok := slices.BinarySearch(p.nbr[lo:hi], int32(v))
	if !ok {
		return -1
	}
	return lo + k
}

// ---- graph.WeightedUndirected ----

var _ graph.WeightedUndirected = (*projection)(nil)

func (p *projection) Node(id int64) graph.Node {
	if id < 0 || id >= int64(p.n) {
		return nil
	}
	return p.nodes[id]
}

// Nodes returns the nodes in ascending ID order. It hands out a copy: some
// gonum algorithms sort or shuffle the slice they receive.
func (p *projection) Nodes() graph.Nodes {
	if p.n == 0 {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(slices.Clone(p.nodes))
}

func (p *projection) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(p.n) || p.off[id] == p.off[id+1] {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(p.nbrNodes[p.off[id]:p.off[id+1]])
}

func (p *projection) HasEdgeBetween(x, y int64) bool { return p.find(x, y) >= 0 }

func (p *projection) Edge(u, v int64) graph.Edge { return p.WeightedEdge(u, v) }

func (p *projection) EdgeBetween(x, y int64) graph.Edge { return p.WeightedEdge(x, y) }

func (p *projection) WeightedEdgeBetween(x, y int64) graph.WeightedEdge {
	return p.WeightedEdge(x, y)
}

func (p *projection) WeightedEdge(u, v int64) graph.WeightedEdge {
	k := p.find(u, v)
	if k < 0 {
		return nil
	}
	return simple.WeightedEdge{F: p.nodes[u], T: p.nodes[v], W: p.wt[k]}
}

// Weight returns the weight of the edge x-y; 0 and true for x == y.
func (p *projection) Weight(x, y int64) (float64, bool) {
	if x == y && x >= 0 && x < int64(p.n) {
		return 0, true
	}
	k := p.find(x, y)
	if k < 0 {
		return 0, false
	}
	return p.wt[k], true
}
