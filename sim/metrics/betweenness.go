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
	o.dist = resize(o.dist, n)
	o.queue = resize(o.queue, n+1) // +1: the branch-free search writes one past the tail
	o.succOff = resize(o.succOff, n+1)
	o.succ = resize(o.succ, len(p.nbr)+1)
	sigma, dist, bc := o.sigma, o.dist, o.bc
	off, nbr := p.off, p.nbr
	for i := range dist {
		dist[i], sigma[i] = -1, 0
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
	if o.pivots >= 0 && c > o.pivots {
		// draw o.pivots of the candidates (partial Fisher-Yates)
		o.seedSource("entente/between\x00", o.fingerprint(true))
		for i := 0; i < o.pivots; i++ {
			j := i + o.rng.IntN(c-i)
			o.cand[i], o.cand[j] = o.cand[j], o.cand[i]
		}
		sources = o.cand[:o.pivots]
		o.bcScale = float64(c) / float64(o.pivots)
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
	sigma, coef, dist, queue, bc := o.sigma, o.delta, o.dist, o.queue, o.bc
	succ, succOff := o.succ, o.succOff
	off, nbr := p.off, p.nbr
	leaves, runs := o.leaves, o.runs
	for s := range n {
		if runs[s] == 0 && leaves[s] == 0 {
			continue
		}
		mult := float64(runs[s] + leaves[s])
		sigma[s], dist[s] = 1, 0 // sigma is 0 and dist -1 elsewhere
		queue[0] = int32(s)
		head, tail, ns := 0, 1, int32(0)
		for head < tail {
			v := queue[head]
			succOff[head] = ns
			head++
			dv1, sv := dist[v]+1, sigma[v]
			for _, w := range nbr[off[v]:off[v+1]] {
				// branch-free: whether w is new (dist -1) or one hop
				// further (dist dv1) is unpredictable
				dw := dist[w]
				fresh := int32(uint32(dw) >> 31)
				d := dw - dv1
				next := fresh | int32(1^((uint32(d)|uint32(-d))>>31))
				dist[w] = dw + fresh*(dv1-dw)
				sigma[w] += sv * float64(next)
				queue[tail] = w
				tail += int(fresh)
				succ[ns] = w
				ns += next
			}
		}
		succOff[tail] = ns
		// walk the queue backwards: a node's successors lie further on
		for q := tail - 1; q > 0; q-- {
			v := queue[q]
			acc := 0.0
			for _, w := range succ[succOff[q]:succOff[q+1]] {
				acc += coef[w]
			}
			d := sigma[v] * acc
			bc[v] += mult * d
			coef[v] = (1 + d) / sigma[v]
		}
		bc[s] += float64(leaves[s]) * float64(tail-2)
		for _, v := range queue[:tail] {
			dist[v], sigma[v] = -1, 0
		}
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
	p := o.proj
	words := (c + 63) / 64
	cand := o.cand[:c]
	slices.Sort(cand) // the sampled draw shuffled them
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
		// the levels of the search as bitsets (lb) and as runs of the
		// queue (lstart), and the edges of the shortest-path DAG from each
		// level to the next, by level, in (from, to) ascending order
		// (pstart: where each level's edges start)
		lstart := append(o.lstart[:0], 0, 1)
		pstart := append(o.pstart[:0], 0)
		pv, pw := o.pv[:0], o.pw[:0]
		lb := resize(o.lbits, words)
		clear(lb)
		lb[k>>6] |= 1 << (k & 63)
		queue[0] = int32(k)
		sigma[k] = 1
		tail := 1
		for lv := 0; ; lv++ {
			base := len(lb)
			lb = slices.Grow(lb, words)[:base+words]
			next := lb[base : base+words : base+words]
			clear(next)
			lo, hi := lstart[lv], lstart[lv+1]
			for _, v := range queue[lo:hi] {
				row := adj[int(v)*words:][:len(next)]
				for i := range next {
					next[i] |= row[i]
				}
			}
			found := uint64(0)
			for i := range next {
				x := next[i] &^ visited[i]
				next[i] = x
				visited[i] |= x
				found |= x
			}
			if found == 0 {
				lb = lb[:base]
				break
			}
			for i, x := range next {
				for ; x != 0; x &= x - 1 {
					w := int32(i<<6 | bits.TrailingZeros64(x))
					queue[tail] = w
					sigma[w] = 0
					tail++
				}
			}
			// the DAG edges out of this level, pushed from each node:
			// predecessor counts are integers, so their order does not
			// matter
			for _, v := range queue[lo:hi] {
				row := adj[int(v)*words:][:len(next)]
				sv := sigma[v]
				for j := range next {
					for y := row[j] & next[j]; y != 0; y &= y - 1 {
						w := int32(j<<6 | bits.TrailingZeros64(y))
						sigma[w] += sv
						pv = append(pv, v)
						pw = append(pw, w)
					}
				}
			}
			pstart = append(pstart, int32(len(pv)))
			lstart = append(lstart, int32(tail))
		}
		// back from the last level: the nodes of a level get their
		// dependency once every node of the next has its coefficient;
		// each node's successors are summed in ascending order, as in
		// brandesCSR
		nl := len(lstart) - 1 // levels 0..nl-1
		acc := coef           // acc[v] gathers while v's level waits; coef once done
		for q := lstart[nl-1]; q < lstart[nl]; q++ {
			acc[queue[q]] = 0
		}
		for lv := nl - 1; lv >= 1; lv-- {
			for _, v := range queue[lstart[lv]:lstart[lv+1]] {
				d := sigma[v] * acc[v]
				bcc[v] += mult * d
				coef[v] = (1 + d) / sigma[v]
			}
			for _, v := range queue[lstart[lv-1]:lstart[lv]] {
				acc[v] = 0
			}
			seg := pv[pstart[lv-1]:pstart[lv]]
			ws := pw[pstart[lv-1]:pstart[lv]][:len(seg)]
			for e, v := range seg {
				acc[v] += coef[ws[e]]
			}
		}
		bcc[k] += float64(leaves[s]) * float64(tail-2)
		o.lstart, o.lbits, o.pstart, o.pv, o.pw = lstart, lb, pstart, pv, pw
	}
	for k, u := range cand {
		o.bc[u] = bcc[k]
	}
}
