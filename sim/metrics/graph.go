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
	// coalitions).
	ExcludeGroups bool
	// ExcludeCoalitions leaves out the coalitions' leader-member edges but
	// keeps the minilaterals' co-membership edges.
	ExcludeCoalitions bool
	// ExcludeMembership leaves out the organisations' membership edges and
	// the defence pairs of mutual-defence organisations: only pairwise ties
	// and groups remain, as in the projection before membership counted.
	ExcludeMembership bool
}

// MembershipWeight is the weight of the edge between an organisation whose
// membership commitment is c (Actor.Commitment, in [0, 1]) and each of its
// members: 1 + 3c, the tie-level scale from nominal (1, a dialogue forum of
// commitment 0) to advanced (4, a full mutual-defence commitment).
func MembershipWeight(c float64) float64 { return 1 + 3*math.Max(0, math.Min(1, c)) }

// Graph returns the weighted undirected projection of the Sim's current
// network that the structural metrics are computed on. Its nodes are the
// actors in the system (sim.Sim.InSystem), with their actor indices as
// IDs, isolates included; actors not (or no longer) in the system are not
// nodes. Edge weights:
//
//   - a pairwise tie adds its level (nominal 1 .. advanced 4), whatever its form;
//   - a minilateral group of k members at level L adds L/(k-1) to every pair of
//     its members, so that each member's strength grows by L;
//   - a coalition at level L adds L to every leader-member pair (a star around
//     its leader; without a leader it is treated like a minilateral);
//   - an organisation (or informal group) adds MembershipWeight(commitment)
//     = 1 + 3 x commitment to the edge between itself and each of its current
//     members (sim.Sim.MembersOf);
//   - an organisation with a mutual-defence charter (Actor.MutualDefence)
//     whose k member states are in the system also binds every pair of them:
//     each pair gets MembershipWeight/(k-1), so that a member state's
//     strength grows by the membership weight once more, as from a
//     minilateral;
//
// and contributions to the same pair are summed. Only edges between actors
// in the system count. The graph is built in sorted ID order; note that a
// simple graph iterates a Go map, so algorithms run on it are not
// reproducible to the last bit (the metrics use an ordered internal graph
// instead). Absent edges have weight +Inf, self weight is 0.
func Graph(s *sim.Sim, opt GraphOptions) *simple.WeightedUndirectedGraph {
	var p projection
	p.build(s, opt)
	g := simple.NewWeightedUndirectedGraph(0, math.Inf(1))
	for i := 0; i < p.n; i++ {
		if p.in[i] {
			g.AddNode(simple.Node(i))
		}
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
// form with sorted neighbour lists, over all actor indices 0..n-1; actors
// not in the system have no edges and in[i] false. It implements
// graph.WeightedUndirected with a deterministic iteration order (IDs
// ascending) over the actors in the system, which is what makes gonum's
// algorithms reproducible on it (the tests use them as oracles).
type projection struct {
	n        int
	nIn      int          // actors in the system
	in       []bool       // in the system
	edges    []edge       // scratch: raw contributions
	tmp      []edge       // scratch for sorting
	cnt      []int32      // scratch for sorting
	off      []int32      // len n+1
	nbr      []int32      // neighbour ids, ascending within a node
	wt       []float64    // weights parallel to nbr
	nbrNodes []graph.Node // neighbour nodes parallel to nbr, built on demand
	nodes    []graph.Node // 0..n-1, built on demand
	fill     []int32      // scratch
	strength []float64
	m        int     // undirected edges
	wmax     float64 // largest edge weight
	states   []int   // scratch: member states of an organisation
}

func (p *projection) build(s *sim.Sim, opt GraphOptions) { p.buildWith(s, opt, nil) }

// membersOf returns every actor's current members that are in the system,
// ascending: the lists sim.Sim.MembersOf returns (TestMembersMatchEngine),
// gathered from the read-only views sim.Sim.OrganisationsOf of the actors
// in the system, into lists' buffers, so that an Observe allocates nothing
// (MembersOf allocates a list per call).
func membersOf(s *sim.Sim, lists [][]int) [][]int {
	lists = resize(lists, s.N())
	for o := range lists {
		lists[o] = lists[o][:0]
	}
	for i := range lists {
		if !s.InSystem(i) {
			continue
		}
		for _, o := range s.OrganisationsOf(i) {
			lists[o] = append(lists[o], i)
		}
	}
	return lists
}

// buildWith builds the projection, reading memberships from members
// (membersOf; nil: from s).
func (p *projection) buildWith(s *sim.Sim, opt GraphOptions, members [][]int) {
	n := s.N()
	p.n = n
	p.in = resize(p.in, n)
	p.nIn = 0
	for i := range n {
		p.in[i] = s.InSystem(i)
		if p.in[i] {
			p.nIn++
		}
	}
	in := p.in
	p.edges = p.edges[:0]
	for t := range s.Ties() {
		a, b := t.A, t.B
		if !in[a] || !in[b] {
			continue
		}
		if a > b {
			a, b = b, a
		}
		p.edges = append(p.edges, edge{int32(a), int32(b), float64(t.Level)})
	}
	if !opt.ExcludeGroups {
		for g := range s.Groups() {
			mem := g.Members
			k := 0
			for _, m := range mem {
				if in[m] {
					k++
				}
			}
			if k < 2 {
				continue
			}
			l := float64(g.Level)
			if g.Kind == sim.CoalitionGroup && g.Leader >= 0 && g.Has(g.Leader) && in[g.Leader] {
				if opt.ExcludeCoalitions {
					continue
				}
				for _, m := range mem {
					if m != g.Leader && in[m] {
						p.edges = append(p.edges, edge{int32(min(m, g.Leader)), int32(max(m, g.Leader)), l})
					}
				}
				continue
			}
			if g.Kind == sim.CoalitionGroup && opt.ExcludeCoalitions {
				continue
			}
			w := l / float64(k-1)
			for i, a := range mem {
				if !in[a] {
					continue
				}
				for _, b := range mem[i+1:] {
					if in[b] {
						p.edges = append(p.edges, edge{int32(min(a, b)), int32(max(a, b)), w})
					}
				}
			}
		}
	}
	if !opt.ExcludeMembership {
		actors := s.World().Actors
		if members == nil {
			members = membersOf(s, nil)
		}
		for o := range n {
			mem := members[o]
			if len(mem) == 0 || !in[o] {
				continue
			}
			w := MembershipWeight(actors[o].Commitment)
			for _, m := range mem {
				if m != o && in[m] {
					p.edges = append(p.edges, edge{int32(min(m, o)), int32(max(m, o)), w})
				}
			}
			if !actors[o].MutualDefence {
				continue
			}
			p.states = p.states[:0]
			for _, m := range mem {
				if m != o && in[m] && actors[m].Kind == sim.State {
					p.states = append(p.states, m)
				}
			}
			if len(p.states) < 2 {
				continue
			}
			wp := w / float64(len(p.states)-1)
			for i, a := range p.states {
				for _, b := range p.states[i+1:] {
					p.edges = append(p.edges, edge{int32(min(a, b)), int32(max(a, b)), wp})
				}
			}
		}
	}
	p.finish(n)
}

// finish turns p.edges (a < b or a == b, any order) into the sorted CSR:
// contributions to one pair are summed in the order they were produced,
// self pairs and pairs of weight 0 are dropped.
func (p *projection) finish(n int) {
	p.n = n
	p.sortEdges(n)
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

	off := resize(p.off, n+1)
	clear(off)
	for _, x := range e {
		off[x.a+1]++
		off[x.b+1]++
	}
	for i := range n {
		off[i+1] += off[i]
	}
	total := int(off[n])
	nbr, wt, fill := resize(p.nbr, total), resize(p.wt, total), resize(p.fill, n)
	copy(fill, off[:n])
	// Edges are sorted by (a, b) with a < b. The first pass gives every node
	// its lower neighbours in ascending order, the second its upper ones, so
	// each neighbour list ends up sorted.
	for _, x := range e {
		f := fill[x.b]
		nbr[f], wt[f] = x.a, x.w
		fill[x.b]++
	}
	for _, x := range e {
		f := fill[x.a]
		nbr[f], wt[f] = x.b, x.w
		fill[x.a]++
	}
	strength := resize(p.strength, n)
	wmax := 0.0
	for u := range n {
		sum := 0.0
		for _, w := range wt[off[u]:off[u+1]] {
			sum += w
			wmax = max(wmax, w)
		}
		strength[u] = sum
	}
	p.off, p.nbr, p.wt, p.fill, p.strength, p.wmax = off, nbr, wt, fill, strength, wmax
	p.nbrNodes = p.nbrNodes[:0] // stale until gonumView
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

// sameTopology reports whether p and q have the same nodes in the system
// and the same edges; same whether their weights are also equal, bit for
// bit.
func (p *projection) compare(q *projection) (sameTopology, same bool) {
	if p.n != q.n || p.nIn != q.nIn || p.m != q.m || !slices.Equal(p.in, q.in) ||
		!slices.Equal(p.off, q.off) || !slices.Equal(p.nbr, q.nbr) {
		return false, false
	}
	for k, w := range p.wt {
		if math.Float64bits(w) != math.Float64bits(q.wt[k]) {
			return true, false
		}
	}
	return true, true
}

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

// ---- graph.WeightedUndirected, for gonum's algorithms (tests, oracles) ----

var _ graph.WeightedUndirected = (*projection)(nil)

// gonumView builds the node values gonum's interfaces hand out.
func (p *projection) gonumView() {
	if len(p.nodes) != p.n {
		p.nodes = make([]graph.Node, p.n)
		for i := range p.nodes {
			p.nodes[i] = simple.Node(i)
		}
	}
	p.nbrNodes = resize(p.nbrNodes, len(p.nbr))
	for k, v := range p.nbr {
		p.nbrNodes[k] = p.nodes[v]
	}
}

func (p *projection) Node(id int64) graph.Node {
	if id < 0 || id >= int64(p.n) || !p.in[id] {
		return nil
	}
	p.ensureView()
	return p.nodes[id]
}

func (p *projection) ensureView() {
	if len(p.nodes) != p.n || len(p.nbrNodes) != len(p.nbr) {
		p.gonumView()
	}
}

// Nodes returns the nodes in the system in ascending ID order. It hands out
// a copy: some gonum algorithms sort or shuffle the slice they receive.
func (p *projection) Nodes() graph.Nodes {
	if p.nIn == 0 {
		return graph.Empty
	}
	p.ensureView()
	ns := make([]graph.Node, 0, p.nIn)
	for i, in := range p.in {
		if in {
			ns = append(ns, p.nodes[i])
		}
	}
	return iterator.NewOrderedNodes(ns)
}

func (p *projection) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(p.n) || p.off[id] == p.off[id+1] {
		return graph.Empty
	}
	p.ensureView()
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
	return simple.WeightedEdge{F: simple.Node(u), T: simple.Node(v), W: p.wt[k]}
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
