package metrics

import (
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// louvain runs gonum's Louvain (community.Modularize, resolution 1) on the
// projection's nodes that have at least one edge and returns the modularity
// of the partition found and the number of its communities with at least 2
// actors. The projection must have an edge.
//
// Isolates are left out: an isolate has no neighbouring community to move to
// and no node moves into its community, so it stays a singleton that adds
// nothing to Q (its k is 0) and is not a bloc. Leaving it out only spares
// Louvain the work (and shortens the node list it shuffles, so the partition
// drawn for a seed is not the one drawn on the full node set).
//
// Q is gonum's community.Q of the top level of Modularize's result, whose
// nodes are the communities (a node's self weight is the weight inside its
// community, its degree the summed degree of its members): that is the
// modularity of the partition, without a second pass over the member pairs
// of every community of the base graph.
func (o *Observer) louvain() (q float64, blocs int) {
	c := &o.comp
	c.build(&o.proj)
	r := community.Modularize(c, 1, o.src)
	q = community.Q(r, nil, 1)
	for _, m := range r.Communities() {
		if len(m) >= 2 {
			blocs++
		}
	}
	return q, blocs
}

// compact is the projection restricted to its non-isolated nodes, renumbered
// 0..k-1 in ascending actor order, with the same sorted neighbour lists. It
// implements graph.WeightedUndirected, iterating in ascending ID order.
type compact struct {
	n        int
	idx      []int32 // projection node -> compact node, -1 for isolates
	off      []int32
	nbr      []int32
	wt       []float64
	nodes    []graph.Node
	nbrNodes []graph.Node
}

func (c *compact) build(p *projection) {
	c.idx = resize(c.idx, p.n)
	k := int32(0)
	for u := 0; u < p.n; u++ {
		if p.off[u] == p.off[u+1] {
			c.idx[u] = -1
			continue
		}
		c.idx[u] = k
		k++
	}
	c.n = int(k)
	c.off = resize(c.off, c.n+1)
	c.nbr = resize(c.nbr, len(p.nbr))
	c.wt = resize(c.wt, len(p.wt))
	c.nbrNodes = resize(c.nbrNodes, len(p.nbr))
	if len(c.nodes) < c.n {
		c.nodes = make([]graph.Node, c.n)
		for i := range c.nodes {
			c.nodes[i] = simple.Node(i)
		}
	}
	c.off[0] = 0
	e := 0
	for u := 0; u < p.n; u++ {
		if c.idx[u] < 0 {
			continue
		}
		for j := p.off[u]; j < p.off[u+1]; j++ {
			v := c.idx[p.nbr[j]] // ascending, as the renumbering keeps order
			c.nbr[e], c.wt[e], c.nbrNodes[e] = v, p.wt[j], c.nodes[v]
			e++
		}
		c.off[c.idx[u]+1] = int32(e)
	}
}

func (c *compact) find(u, v int64) int {
	if u < 0 || u >= int64(c.n) || v < 0 || v >= int64(c.n) {
		return -1
	}
	lo, hi := int(c.off[u]), int(c.off[u+1])
	k, ok := slices.BinarySearch(c.nbr[lo:hi], int32(v))
	if !ok {
		return -1
	}
	return lo + k
}

var _ graph.WeightedUndirected = (*compact)(nil)

func (c *compact) Node(id int64) graph.Node {
	if id < 0 || id >= int64(c.n) {
		return nil
	}
	return c.nodes[id]
}

// Nodes hands out a copy: gonum may sort or shuffle the slice it receives.
func (c *compact) Nodes() graph.Nodes {
	if c.n == 0 {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(slices.Clone(c.nodes[:c.n]))
}

func (c *compact) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(c.n) || c.off[id] == c.off[id+1] {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(c.nbrNodes[c.off[id]:c.off[id+1]])
}

func (c *compact) HasEdgeBetween(x, y int64) bool { return c.find(x, y) >= 0 }

func (c *compact) Edge(u, v int64) graph.Edge { return c.WeightedEdge(u, v) }

func (c *compact) EdgeBetween(x, y int64) graph.Edge { return c.WeightedEdge(x, y) }

func (c *compact) WeightedEdgeBetween(x, y int64) graph.WeightedEdge { return c.WeightedEdge(x, y) }

func (c *compact) WeightedEdge(u, v int64) graph.WeightedEdge {
	k := c.find(u, v)
	if k < 0 {
		return nil
	}
	return simple.WeightedEdge{F: c.nodes[u], T: c.nodes[v], W: c.wt[k]}
}

// Weight returns the weight of the edge x-y; 0 and true for x == y.
func (c *compact) Weight(x, y int64) (float64, bool) {
	if x == y && x >= 0 && x < int64(c.n) {
		return 0, true
	}
	k := c.find(x, y)
	if k < 0 {
		return 0, false
	}
	return c.wt[k], true
}
