package metrics

// betweenness computes unnormalised shortest-path betweenness (hops, weights
// ignored) of every node of the projection with Brandes' algorithm (Brandes
// 2001), counting each unordered pair once.
//
// It is the algorithm of gonum's network.Betweenness on flat slices instead
// of maps: gonum's version allocates maps per source and took ~85% of
// Observe's time (30 ms at N = 200); this one takes well under a
// millisecond there. TestBetweennessMatchesGonum checks the two agree.
func (o *Observer) betweenness() {
	p := &o.proj
	n := p.n
	o.bc = resize(o.bc, n)
	clear(o.bc)
	o.sigma = resize(o.sigma, n)
	o.delta = resize(o.delta, n)
	o.dist = resize(o.dist, n)
	o.queue = resize(o.queue, n)
	sigma, delta, dist, queue, bc := o.sigma, o.delta, o.dist, o.queue, o.bc
	off, nbr := p.off, p.nbr
	for s := 0; s < n; s++ {
		if off[s] == off[s+1] {
			continue
		}
		for i := range dist {
			dist[i] = -1
		}
		clear(delta)
		sigma[s], dist[s] = 1, 0
		queue[0] = int32(s)
		head, tail := 0, 1
		for head < tail {
			v := queue[head]
			head++
			dv1, sv := dist[v]+1, sigma[v]
			for _, w := range nbr[off[v]:off[v+1]] {
				switch dist[w] {
				case -1:
					dist[w] = dv1
					sigma[w] = sv
					queue[tail] = w
					tail++
				case dv1:
					sigma[w] += sv
				}
			}
		}
		// the queue holds the reached nodes in order of non-decreasing
		// distance: walk it backwards
		for q := tail - 1; q > 0; q-- {
			w := queue[q]
			dw1 := dist[w] - 1
			coef := (1 + delta[w]) / sigma[w]
			for _, v := range nbr[off[w]:off[w+1]] {
				if dist[v] == dw1 {
					delta[v] += sigma[v] * coef
				}
			}
			bc[w] += delta[w]
		}
	}
	for i := range o.bc {
		o.bc[i] /= 2 // every unordered pair was counted from both ends
	}
}
