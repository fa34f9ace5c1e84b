package metrics

import (
	"math"
	"math/bits"
	"slices"
)

// BetweennessBound returns the error bound of sampled betweenness: with k
// pivots drawn without replacement among the c actors in the system that
// have an edge, out of n in the system, the estimate of one actor's
// normalised betweenness is within eps of the exact value with probability
// at least 1 - alpha, where
//
//	eps = R sqrt((1 - (k-1)/c) ln(2/alpha) / (2k)),  R = c/(n-1).
//
// Each pivot s contributes X_s = c delta_s(v) / ((n-1)(n-2)), delta_s(v) its
// dependency on v (Brandes 2001), which lies in [0, R]; the estimate is the
// mean of X over the pivots, whose expectation is the exact value (Brandes &
// Pich 2007), and the bound is Hoeffding's (1963) with Serfling's (1974)
// finite-population factor for sampling without replacement. It is 0 when
// k >= c (the computation is then exact). alpha must be in (0, 1).
func BetweennessBound(n, c, k int, alpha float64) float64 {
	if k >= c || n < 3 || c < 1 || k < 1 {
		return 0
	}
	r := float64(c) / float64(n-1)
	f := 1 - float64(k-1)/float64(c)
	return r * math.Sqrt(f*math.Log(2/alpha)/(2*float64(k)))
}

// betweenness computes unnormalised shortest-path betweenness (hops, weights
// ignored) of every node of the projection with Brandes' algorithm (Brandes
// 2001), counting each unordered pair once: exactly, from every source, when
// at most o.pivots actors have an edge (or o.pivots < 0), and otherwise from
// o.pivots sources drawn uniformly without replacement among them, the sums
// scaled by c/k (Brandes & Pich 2007; see BetweennessBound). The draw is
// seeded from Options.Seed and the edges, so the estimate is a function of
// the network.
//
// It is the algorithm of gonum's network.Betweenness on flat slices instead
// of maps (gonum's version allocates maps per source and took ~85% of
// Observe's time, 30 ms at N = 200). TestBetweennessMatchesGonum checks the
// two agree.
//
// The breadth-first search from each source records, for every node in
// queue order, its successors on shortest paths (neighbours one hop
// further), so that the accumulation walks only the edges of the
// shortest-path DAG, without testing distances, and each node's dependency
// is one sum (Brandes 2001, eq. 6, in the successor form):
//
//	delta(v) = sigma(v) * sum_{w in succ(v)} (1 + delta(w)) / sigma(w)
//
// with one division per reached node. Only the nodes the search reached are
// reset between sources, and sources without edges are skipped, as are
// leaves hanging from a node of higher degree (Baglioni et al. 2012, Fast
// exact computation of betweenness centrality in social networks): see
// below.
func (o *Observer) betweenness() {
	p := o.proj
	n := p.n
	o.bc = resize(o.bc, n)
	clear(o.bc)
	o.sigma = resize(o.sigma, n)
	o.delta = resize(o.delta, n) // (1 + delta(w)) / sigma(w)
	o.st = resize(o.st, n)
	o.queue = resize(o.queue, n+1) // +1: the branch-free search writes one past the tail
	o.succOff = resize(o.succOff, n+1)
	o.succ = resize(o.succ, len(p.nbr)+1)
	bc := o.bc
	off, nbr := p.off, p.nbr
	for i := range o.st {
		o.st[i] = bfsState{dist: -1}
	}
	// A leaf (degree 1) whose neighbour u has other neighbours is not run as
	// a source: every shortest path from it continues as one from u, so its
	// dependency on any other node equals u's, and on u it is the number of
	// other nodes it reaches. u's run counts once more per such leaf.
	// runs[s] is how many times s counts as its own source (0 or 1),
	// leaves[s] how many of its leaves it stands for.
	o.leaves = resize(o.leaves, n)
	o.runs = resize(o.runs, n)
	leaves, runs := o.leaves, o.runs
	clear(leaves)
	clear(runs)
	o.cand = o.cand[:0]
	for s := range n {
		if off[s] < off[s+1] {
			o.cand = append(o.cand, int32(s))
		}
	}
	c := len(o.cand)
	o.bcScale = 1
	sources := o.cand
	if o.pivots >= 0 && c > max(ExactBetweenness, o.pivots) {
		sources = o.pivotsOf(o.cand)
		o.bcScale = float64(c) / float64(o.pivots)
	} else if c <= pairsMax && o.betweennessPairs(c) {
		return
	}
	for _, s := range sources {
		if off[s]+1 == off[s+1] {
			if u := nbr[off[s]]; off[u+1]-off[u] >= 2 {
				leaves[u]++
				continue
			}
		}
		runs[s] = 1
	}
	if words := (c + 63) / 64; c*words <= p.m {
		o.bitAdjacency(c)
		o.brandesBits(c)
	} else {
		o.brandesCSR()
	}
	for i := range bc {
		bc[i] /= 2 // every unordered pair was counted from both ends
	}
	if o.bcScale != 1 {
		for i := range bc {
			bc[i] *= o.bcScale
		}
	}
}

// brandesCSR runs Brandes' algorithm from every node with runs or leaves,
// breadth-first over the CSR, adding each source's dependencies, times
// its multiplicity, to o.bc.
func (o *Observer) brandesCSR() {
	p := o.proj
	n := p.n
	leaves, runs := o.leaves, o.runs
	for s := range n {
		if runs[s] == 0 && leaves[s] == 0 {
			continue
		}
		tail := searchCSR(p.off, p.nbr, o.st, o.queue, o.succ, o.succOff, int32(s))
		accumulateCSR(o.queue[:tail], o.succ, o.succOff, o.st, o.delta, o.bc, float64(runs[s]+leaves[s]))
		o.bc[s] += float64(leaves[s]) * float64(tail-2)
		for _, v := range o.queue[:tail] {
			o.st[v] = bfsState{dist: -1}
		}
	}
}

// searchCSR is the breadth-first search of Brandes' algorithm from s: it
// fills dist and sigma (which must be -1 and 0 everywhere), the queue in
// order of discovery, and each queued node's successors on shortest paths
// (succ[succOff[q]:succOff[q+1]] for the node at queue position q). It
// returns the number of nodes reached. A small function of its own, so that
// the compiler keeps its loop in registers.
func searchCSR(off, nbr []int32, st []bfsState, queue, succ, succOff []int32, s int32) int {
	st[s] = bfsState{dist: 0, sigma: 1}
	queue[0] = s
	head, tail, ns := 0, 1, 0
	for head < tail {
		v := queue[head]
		succOff[head] = int32(ns)
		head++
		dv1, sv := st[v].dist+1, st[v].sigma
		for _, w := range nbr[off[v]:off[v+1]] {
			// branch-free: whether w is new (dist -1) or one hop
			// further (dist dv1) is unpredictable
			x := &st[w]
			dw := x.dist
			fresh := int32(uint32(dw) >> 31)
			d := dw - dv1
			next := fresh | int32(1^((uint32(d)|uint32(-d))>>31))
			x.dist = dw + fresh*(dv1-dw)
			x.sigma += sv * float64(next)
			queue[tail] = w
			tail += int(fresh)
			succ[ns] = w
			ns += int(next)
		}
	}
	succOff[tail] = int32(ns)
	return tail
}

// bfsState is a node's distance from the source (-1: not reached) and its
// number of shortest paths from it, side by side for the search.
type bfsState struct {
	dist  int32
	sigma float64
}

// accumulateCSR walks the queue of a search backwards (a node's successors
// lie further on), adding each node's dependency times mult to bc; coef
// holds (1 + delta(w)) / sigma(w).
func accumulateCSR(queue, succ, succOff []int32, st []bfsState, coef, bc []float64, mult float64) {
	for q := len(queue) - 1; q > 0; q-- {
		v := queue[q]
		acc := 0.0
		for _, w := range succ[succOff[q]:succOff[q+1]] {
			acc += coef[w]
		}
		sv := st[v].sigma
		d := sv * acc
		bc[v] += mult * d
		coef[v] = (1 + d) / sv
	}
}

// brandesBits is brandesCSR on dense graphs: the c nodes with edges are
// renumbered 0..c-1 in ascending order and each has its neighbours as a
// bitset, so that a breadth-first level is found with one OR per node of
// the level and a word-wise AND NOT, and the shortest-path DAG between two
// levels is read off adjacency AND level, without visiting the edges inside
// a level or back to the previous one. It adds the same numbers in the same
// order as brandesCSR (predecessor counts are integers; each node's
// successors are summed in ascending order), so the results are identical.
func (o *Observer) brandesBits(c int) {
	words := (c + 63) / 64
	cand := o.cand[:c]
	adj := o.adjBits
	o.visited = resize(o.visited, words)
	sigma := resize(o.sigma, c)
	coef := resize(o.delta, c)
	queue := o.queue[:c]
	bcc := resize(o.bcc, c)
	clear(bcc)
	o.sigma, o.delta, o.bcc = sigma, coef, bcc
	leaves, runs := o.leaves, o.runs
	visited := o.visited
	for k, s := range cand {
		if runs[s] == 0 && leaves[s] == 0 {
			continue
		}
		mult := float64(runs[s] + leaves[s])
		clear(visited)
		visited[k>>6] |= 1 << (k & 63)
		// the levels of the search as bitsets (lb, words each) and as runs
		// of the queue (lstart)
		lstart := append(o.lstart[:0], 0, 1)
		lb := resize(o.lbits, words)
		clear(lb)
		lb[k>>6] |= 1 << (k & 63)
		queue[0] = int32(k)
		sigma[k] = 1
		tail := 1
		for lv := 0; ; lv++ {
			base := len(lb)
			lb = slices.Grow(lb, words)[:base+words]
			cur := lb[base-words : base : base]
			next := lb[base : base+words : base+words]
			clear(next)
			for _, v := range queue[lstart[lv]:lstart[lv+1]] {
				r := int(v) * words
				row := adj[r : r+len(next) : r+len(next)]
				for i, x := range row {
					next[i] |= x
				}
			}
			found := uint64(0)
			for i, x := range next {
				x &^= visited[i]
				next[i] = x
				visited[i] |= x
				found |= x
			}
			if found == 0 {
				lb = lb[:base]
				break
			}
			// each new node's paths: the sum over its predecessors, its
			// neighbours on this level
			for i, x := range next {
				for ; x != 0; x &= x - 1 {
					w := i<<6 | bits.TrailingZeros64(x)
					queue[tail] = int32(w)
					tail++
					r := w * words
					row := adj[r : r+len(cur) : r+len(cur)]
					sg := 0.0
					for j, y := range row {
						for y &= cur[j]; y != 0; y &= y - 1 {
							sg += sigma[j<<6|bits.TrailingZeros64(y)]
						}
					}
					sigma[w] = sg
				}
			}
			lstart = append(lstart, int32(tail))
		}
		// back from the last level: a node's successors are its
		// neighbours on the next level, summed in ascending order as in
		// brandesCSR
		nl := len(lstart) - 1 // levels 0..nl-1
		for _, v := range queue[lstart[nl-1]:lstart[nl]] {
			coef[v] = 1 / sigma[v] // (1 + 0) / sigma: no successors
		}
		for lv := nl - 2; lv >= 1; lv-- {
			nb := lb[(lv+1)*words : (lv+2)*words : (lv+2)*words]
			for _, v := range queue[lstart[lv]:lstart[lv+1]] {
				r := int(v) * words
				row := adj[r : r+len(nb) : r+len(nb)]
				acc := 0.0
				for j, y := range row {
					for y &= nb[j]; y != 0; y &= y - 1 {
						acc += coef[j<<6|bits.TrailingZeros64(y)]
					}
				}
				d := sigma[v] * acc
				bcc[v] += mult * d
				coef[v] = (1 + d) / sigma[v]
			}
		}
		bcc[k] += float64(leaves[s]) * float64(tail-2)
		o.lstart, o.lbits = lstart, lb
	}
	for k, u := range cand {
		o.bc[u] = bcc[k]
	}
}

// bitAdjacency gives the c candidates (o.cand, ascending) numbers 0..c-1
// (o.cidx) and their neighbours as bitsets of (c+63)/64 words (o.adjBits).
func (o *Observer) bitAdjacency(c int) {
	p := o.proj
	words := (c + 63) / 64
	cand := o.cand[:c]
	o.cidx = resize(o.cidx, p.n)
	for k, u := range cand {
		o.cidx[u] = int32(k)
	}
	o.adjBits = resize(o.adjBits, c*words)
	adj := o.adjBits
	clear(adj)
	for k, u := range cand {
		row := adj[k*words : (k+1)*words]
		for _, v := range p.nbr[p.off[u]:p.off[u+1]] {
			x := o.cidx[v]
			row[x>>6] |= 1 << (x & 63)
		}
	}
}

// pivotsOf returns o.pivots of the candidates drawn uniformly without
// replacement: those with the smallest keys, a key being a hash of
// Options.Seed and the actor index (SplitMix64), ties broken by index. The
// candidates are left in ascending order, the pivots too. The draw depends on
// the seed and on which actors are candidates only, so a network that gains
// or loses a few edges keeps (almost) the same pivots, and its estimate moves
// with the network rather than with the draw.
func (o *Observer) pivotsOf(cand []int32) []int32 {
	o.keys = o.keys[:0]
	for _, u := range cand {
		o.keys = append(o.keys, pivotKey{splitmix(o.seed ^ (uint64(u)+1)*0x9e3779b97f4a7c15), u})
	}
	slices.SortFunc(o.keys, func(a, b pivotKey) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.u - b.u)
	})
	o.piv = o.piv[:0]
	for _, k := range o.keys[:o.pivots] {
		o.piv = append(o.piv, k.u)
	}
	slices.Sort(o.piv)
	return o.piv
}

type pivotKey struct {
	key uint64
	u   int32
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// pairsMax is the largest number of connected actors for which betweenness
// is computed from all pairs (betweennessPairs) rather than by Brandes'
// accumulation.
const pairsMax = 128

// betweennessPairs computes the exact betweenness of the followed actors
// from the distances and shortest-path counts of all pairs, for graphs of
// at most pairsMax connected actors, where that is several times cheaper
// than Brandes' accumulation: for a followed v,
//
//	BC(v) = sum_{s<t, s,t != v, d(s,v)+d(v,t) = d(s,t)} sigma(s,v) sigma(v,t) / sigma(s,t)
//
// (Brandes 2001, eq. 1, with Bellman's criterion), a branch-free sum over
// pairs. The counts come from a breadth-first search from every actor on
// adjacency bitsets: a node two hops from s has popcount(adj(s) AND adj(t))
// shortest paths, one further the sum of the counts of its neighbours on
// the level before. It reports false (and computes nothing) when a count
// would reach 2^53, where float64 stops counting exactly; Brandes' algorithm
// then runs instead.
func (o *Observer) betweennessPairs(c int) bool {
	p := o.proj
	cand := o.cand[:c]
	o.cidx = resize(o.cidx, p.n)
	for k, u := range cand {
		o.cidx[u] = int32(k)
	}
	o.adj2 = resize(o.adj2, c)
	adj := o.adj2
	clear(adj)
	for k, u := range cand {
		for _, v := range p.nbr[p.off[u]:p.off[u+1]] {
			x := o.cidx[v]
			adj[k][x>>6&1] |= 1 << (x & 63)
		}
	}
	o.pd = resize(o.pd, c*c)
	o.ps = resize(o.ps, c*c)
	queue := o.queue[:c]
	D, S := o.pd, o.ps
	for s := range c {
		if !pairsFrom(adj, queue, D[s*c:(s+1)*c:(s+1)*c], S[s*c:(s+1)*c:(s+1)*c], s) {
			return false
		}
	}
	// the followed actors' counts, then 1/sigma(s,t) in place (0 for pairs
	// in different components)
	o.pv = o.pv[:0]
	for _, a := range o.actors {
		if a < p.n && p.in[a] && p.off[a] < p.off[a+1] {
			v := int(o.cidx[a])
			o.pv = append(o.pv, S[v*c:(v+1)*c]...)
		}
	}
	for st, x := range S {
		if x != 0 {
			S[st] = 1 / x
		}
	}
	row := 0
	for _, a := range o.actors {
		if a >= p.n || !p.in[a] || p.off[a] == p.off[a+1] {
			continue
		}
		v := int(o.cidx[a])
		dv := D[v*c : (v+1)*c : (v+1)*c]
		sv := o.pv[row*c : (row+1)*c : (row+1)*c][:len(dv)] // sigma(v, .)
		row++
		sv[v] = 0 // no pair with v at an end
		bc := pairSum(dv, sv, D, S, c)
		o.bc[a] = bc
	}
	return true
}

// pairsFrom fills the distances (ds) and shortest-path counts (ss) from s
// to every node by a breadth-first search on the adjacency bitsets, and
// reports false when a count reaches 2^53.
func pairsFrom(adj []bits128, queue []int32, ds []int32, ss []float64, s int) bool {
	const inf = 1 << 28
	for t := range ds {
		ds[t], ss[t] = inf, 0
	}
	ds[s], ss[s] = 0, 1
	as := adj[s]
	prev := as
	visited := as
	visited[s>>6&1] |= 1 << (s & 63)
	// level 1: the neighbours, one path each
	lo, hi := 0, 0
	for i, x := range prev {
		for ; x != 0; x &= x - 1 {
			t := i<<6 | bits.TrailingZeros64(x)
			queue[hi] = int32(t)
			hi++
			ds[t], ss[t] = 1, 1
		}
	}
	for k := int32(2); hi > lo; k++ {
		var next bits128
		for _, u := range queue[lo:hi] {
			next[0] |= adj[u][0]
			next[1] |= adj[u][1]
		}
		next[0] &^= visited[0]
		next[1] &^= visited[1]
		visited[0] |= next[0]
		visited[1] |= next[1]
		lo = hi
		for i, x := range next {
			for ; x != 0; x &= x - 1 {
				queue[hi] = int32(i<<6 | bits.TrailingZeros64(x))
				hi++
			}
		}
		if k == 2 {
			// predecessors are neighbours of s, with one path each
			for _, t := range queue[lo:hi] {
				n := bits.OnesCount64(adj[t][0]&as[0]) + bits.OnesCount64(adj[t][1]&as[1])
				ds[t], ss[t] = 2, float64(n)
			}
		} else {
			for _, t := range queue[lo:hi] {
				n := 0.0
				for x := adj[t][0] & prev[0]; x != 0; x &= x - 1 {
					n += ss[bits.TrailingZeros64(x)]
				}
				for x := adj[t][1] & prev[1]; x != 0; x &= x - 1 {
					n += ss[64|bits.TrailingZeros64(x)]
				}
				if n >= 1<<53 {
					return false
				}
				ds[t], ss[t] = k, n
			}
		}
		prev = next
	}
	return true
}

// pairSum is the betweenness of v from its row of distances (dv) and path
// counts (sv, with sv[v] = 0) and the distances (D) and inverse counts (S)
// of all pairs, c x c: the sum over pairs s < t with d(s,v) + d(v,t) =
// d(s,t) of sigma(s,v) sigma(v,t) / sigma(s,t).
func pairSum(dv []int32, sv []float64, D []int32, S []float64, c int) float64 {
	bc := 0.0
	for s := range c {
		if sv[s] == 0 {
			continue // s is v, or in another component
		}
		ds, is := D[s*c+s+1:(s+1)*c], S[s*c+s+1:(s+1)*c]
		dt, st := dv[s+1:], sv[s+1:]
		ds, is, st = ds[:len(dt)], is[:len(dt)], st[:len(dt)]
		a := dv[s]
		acc := 0.0
		for t, d := range dt {
			// the term when d(s,v) + d(v,t) = d(s,t), else 0, without a
			// branch: (m | -m) >> 31 is 0 when m = 0, else 1
			m := uint32(a + d - ds[t])
			acc += st[t] * is[t] * onPath[(m|-m)>>31]
		}
		bc += sv[s] * acc
	}
	return bc
}

// onPath[0] = 1: the pair's geodesics may pass v; onPath[1] = 0.
var onPath = [2]float64{1, 0}

// bits128 is a set of at most 128 nodes.
type bits128 [2]uint64
