package metrics

import "math/rand/v2"

// louvain is the Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre
// 2008) at resolution 1 on the projection's actors that have at least one
// edge, in flat slices: the level graph is a CSR with self weights, and a
// level's local moving visits its nodes in an order drawn from the seeded
// source. It replaces gonum's community.Modularize, which holds each level
// in maps and was 95 % of the allocations of a step; the tests check its Q
// with gonum's community.Q and compare its partitions with Modularize's.
//
// Isolates are left out: an isolate has no neighbouring community to move
// to and no node moves into its community, so it stays a singleton that
// adds nothing to Q (its k is 0) and is not a bloc.
type louvain struct {
	// level graph: n nodes, CSR without self loops, self weights apart
	n    int
	off  []int32
	nbr  []int32
	wt   []float64
	self []float64 // weight of the edges inside the node (each once)
	k    []float64 // weighted degree: sum of wt + 2 self
	// next level, built from the current one
	off2  []int32
	nbr2  []int32
	wt2   []float64
	self2 []float64
	k2    []float64

	comm    []int32   // community of each level node
	tot     []float64 // summed k of each community
	order   []int32
	nw      []float64 // weight from the node being moved to each community
	seen    []int32   // marker: nw of the community is current
	touch   []int32   // communities adjacent to the node being moved
	waiting []bool    // in the queue of localMoving
	relab   []int32   // community -> next-level node
	byComm  []int32   // level nodes grouped by community
	start   []int32
	member  []int32 // original (compact) node -> level node
	idx     []int32 // projection node -> compact node, -1 for isolates
}

// run partitions the projection's non-isolated nodes and returns the
// modularity Q of the partition and the number of its communities with at
// least 2 actors. The projection must have an edge. The partition is in
// l.member (compact node -> community) and l.idx (actor -> compact node).
func (l *louvain) run(p *projection, rng *rand.Rand) (q float64, blocs int) {
	l.level0(p)
	m2 := 0.0 // 2m: the summed degree, the same at every level
	for _, k := range l.k[:l.n] {
		m2 += k
	}
	for {
		moved := l.localMoving(m2, rng)
		if !moved {
			break
		}
		l.aggregate()
	}
	// Q of the final partition: every level node is its own community
	size := l.start[:0]
	size = resize(size, l.n)
	clear(size)
	for _, c := range l.member {
		size[c]++
	}
	for c := 0; c < l.n; c++ {
		q += l.self[c]/(m2/2) - (l.k[c]/m2)*(l.k[c]/m2)
		if size[c] >= 2 {
			blocs++
		}
	}
	return q, blocs
}

// level0 builds the first level graph: the projection without isolates,
// renumbered 0..n-1 in ascending actor order.
func (l *louvain) level0(p *projection) {
	idx := resize(l.idx, p.n)
	l.idx = idx
	n := int32(0)
	for u := range idx {
		if p.off[u] == p.off[u+1] {
			idx[u] = -1
			continue
		}
		idx[u] = n
		n++
	}
	l.n = int(n)
	off, self, k, member := resize(l.off, l.n+1), resize(l.self, l.n), resize(l.k, l.n), resize(l.member, l.n)
	l.off, l.self, l.k, l.member = off, self, k, member
	// isolates have no arcs, so the arcs keep their order and only their
	// ends are renumbered
	nbr := resize(l.nbr, len(p.nbr))
	l.nbr = nbr
	for j, v := range p.nbr {
		nbr[j] = idx[v]
	}
	l.wt = append(l.wt[:0], p.wt...)
	off[0] = 0
	for u, c := range idx {
		if c < 0 {
			continue
		}
		off[c+1] = p.off[u+1]
		self[c] = 0
		k[c] = p.strength[u]
		member[c] = c
	}
}

// localMoving moves nodes of the level graph between communities while that
// raises modularity and reports whether any node moved. Moving node i from
// its community (after taking it out) to community c changes Q by
// (w_ic - tot_c k_i / 2m) / m, w_ic the weight between i and c's nodes: i
// goes where that is largest, staying put on a tie (and unless the gain
// beats staying by more than rounding).
//
// The nodes wait in a queue, first all of them in an order drawn from rng;
// when a node moves, those of its neighbours that are not waiting and not
// in its new community join the queue's end, as only their best move can
// have changed (the queue of Traag, Waltman & van Eck 2019, Leiden's fast
// local move). It ends when the queue is empty: no node can then raise Q by
// moving, the end point of Blondel et al.'s sweeps, reached visiting each
// node about twice instead of once per sweep.
func (l *louvain) localMoving(m2 float64, rng *rand.Rand) bool {
	n := l.n
	l.comm = resize(l.comm, n)
	l.tot = resize(l.tot, n)
	l.nw = resize(l.nw, n)
	l.seen = resize(l.seen, n)
	l.order = resize(l.order, n)
	l.waiting = resize(l.waiting, n)
	for i := range n {
		l.comm[i] = int32(i)
		l.tot[i] = l.k[i]
		l.seen[i] = -1
		l.order[i] = int32(i)
		l.waiting[i] = true
	}
	for i := n - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		l.order[i], l.order[j] = l.order[j], l.order[i]
	}
	// the queue is a ring over l.order: at most n nodes wait at once
	comm, tot, nw, seen, waiting, queue := l.comm, l.tot, l.nw, l.seen, l.waiting, l.order
	head, size := 0, n
	moved := false
	stamp := int32(-1) // seen[c] == stamp: nw[c] is the current node's
	for visits := 0; size > 0 && visits < 1000*n; visits++ {
		i := queue[head]
		head++
		if head == n {
			head = 0
		}
		size--
		waiting[i] = false
		stamp++
		ci := comm[i]
		ki := l.k[i]
		l.touch = l.touch[:0]
		seen[ci], nw[ci] = stamp, 0
		lo, hi := l.off[i], l.off[i+1]
		nbr, wt := l.nbr[lo:hi], l.wt[lo:hi]
		wt = wt[:len(nbr)]
		for j, u := range nbr {
			c := comm[u]
			if seen[c] != stamp {
				seen[c], nw[c] = stamp, 0
				l.touch = append(l.touch, c)
			}
			nw[c] += wt[j]
		}
		tot[ci] -= ki
		best, gain := ci, nw[ci]-tot[ci]*ki/m2
		eps := 1e-12 * ki
		for _, c := range l.touch {
			if g := nw[c] - tot[c]*ki/m2; g > gain+eps {
				best, gain = c, g
			}
		}
		tot[best] += ki
		if best == ci {
			continue
		}
		comm[i] = best
		moved = true
		for _, u := range nbr {
			if !waiting[u] && comm[u] != best {
				waiting[u] = true
				t := head + size
				if t >= n {
					t -= n
				}
				queue[t] = u
				size++
			}
		}
	}
	for i := range n {
		seen[i] = -1
	}
	return moved
}

// aggregate makes the communities of the level the nodes of the next one:
// numbered in order of their first node, with the weights between them
// summed and the weight inside each kept as its self weight.
func (l *louvain) aggregate() {
	n := l.n
	l.relab = resize(l.relab, n)
	for c := range n {
		l.relab[c] = -1
	}
	nc := int32(0)
	for i := range n {
		if c := l.comm[i]; l.relab[c] < 0 {
			l.relab[c] = nc
			nc++
		}
	}
	// group level nodes by community (counting sort, ascending within)
	l.start = resize(l.start, int(nc)+1)
	clear(l.start)
	for i := range n {
		l.start[l.relab[l.comm[i]]+1]++
	}
	for c := range int(nc) {
		l.start[c+1] += l.start[c]
	}
	l.byComm = resize(l.byComm, n)
	fill := l.order[:n] // reuse as a cursor array
	copy(fill, l.start[:nc])
	for i := range n {
		c := l.relab[l.comm[i]]
		l.byComm[fill[c]] = int32(i)
		fill[c]++
	}
	l.off2 = resize(l.off2, int(nc)+1)
	l.self2 = resize(l.self2, int(nc))
	l.k2 = resize(l.k2, int(nc))
	l.nbr2 = l.nbr2[:0]
	l.wt2 = l.wt2[:0]
	nw, seen := l.nw, l.seen
	l.off2[0] = 0
	for c := int32(0); c < nc; c++ {
		self, k := 0.0, 0.0
		l.touch = l.touch[:0]
		for _, i := range l.byComm[l.start[c]:l.start[c+1]] {
			self += l.self[i]
			k += l.k[i]
			for j := l.off[i]; j < l.off[i+1]; j++ {
				d := l.relab[l.comm[l.nbr[j]]]
				if d == c {
					self += l.wt[j] / 2 // each inner edge is seen from both ends
					continue
				}
				if seen[d] != c {
					seen[d], nw[d] = c, 0
					l.touch = append(l.touch, d)
				}
				nw[d] += l.wt[j]
			}
		}
		for _, d := range l.touch {
			l.nbr2 = append(l.nbr2, d)
			l.wt2 = append(l.wt2, nw[d])
		}
		l.off2[c+1] = int32(len(l.nbr2))
		l.self2[c], l.k2[c] = self, k
	}
	for i := range l.member {
		l.member[i] = l.relab[l.comm[l.member[i]]]
	}
	for i := range n {
		seen[i] = -1
	}
	l.n = int(nc)
	l.off, l.off2 = l.off2, l.off
	l.nbr, l.nbr2 = l.nbr2, l.nbr
	l.wt, l.wt2 = l.wt2, l.wt
	l.self, l.self2 = l.self2, l.self
	l.k, l.k2 = l.k2, l.k
}
