package metrics

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/entente/entente/sim"
)

// Options selects what an Observer records.
type Options struct {
	// Metrics are metric names; empty means Default(). The words "all" and
	// "default" stand for those sets and may be mixed with names.
	Metrics []string
	// Actors are the ids of the actors the per-actor metrics follow. Without
	// actors, per-actor metrics yield nothing.
	Actors []string
	// Every: costly metrics are computed on steps that are multiples of
	// Every (<= 1: every step); on other steps they are omitted (no value,
	// not NaN).
	Every int
	// Seed for the randomised algorithms: Louvain's node order is drawn
	// afresh for each network from a ChaCha8 seeded with SHA-256(tag ‖
	// Seed), and the pivots of sampled betweenness are the actors with the
	// smallest hash of (Seed, actor). Their results are thus functions of
	// (Seed, network) only: the same network gives the same communities at
	// any step of any replicate.
	Seed uint64
	// Graph selects the projection the structural metrics are computed on.
	Graph GraphOptions
	// Pivots bounds the work of betweenness: it is exact when at most
	// max(ExactBetweenness, Pivots) actors in the system have an edge, and
	// above that estimated from Pivots sources drawn at random (Brandes &
	// Pich 2007), with the error bound of BetweennessBound. 0 means
	// DefaultPivots; a negative value makes it exact at any size.
	Pivots int
}

const (
	// ExactBetweenness is the size up to which betweenness is exact: at
	// most this many actors in the system with an edge.
	ExactBetweenness = 1000
	// DefaultPivots is the default of Options.Pivots, the number of
	// sources of sampled betweenness above ExactBetweenness connected
	// actors. At 5,000 actors (about 10,000 edges) it costs about 5 model
	// steps; its error bound is then 0.091 at alpha = 0.05
	// (BetweennessBound), the root-mean-square error some 20 times smaller.
	DefaultPivots = 200
)

// Value is one recorded number.
type Value struct {
	Metric string
	Actor  string // "" for network-level metrics
	Value  float64
}

// needs of a set of metrics, as bits
const (
	needProj = 1 << iota
	needClust
	needComp
	needBetween
	needPageRank
	needLouvain
	needDyads
)

func needOf(id int) int {
	switch id {
	case mEdges, mDegreeCentralisation, mStrengthCentralisation, mIsolates, mDegree, mStrength:
		return needProj
	case mTransitivity, mAvgClustering, mClustering:
		return needProj | needClust
	case mComponents, mLargestComponent:
		return needProj | needComp
	case mBetweenness:
		return needProj | needBetween
	case mPageRank:
		return needProj | needPageRank
	case mModularity, mBlocs:
		return needProj | needLouvain
	case mDyads, mDyadDensity, mDyadTransitivity, mDyadIsolates:
		return needDyads
	}
	return 0
}

// Observer computes the metrics of one run step by step. It keeps reusable
// buffers and is not safe for concurrent use: use one per worker or run.
//
// It remembers the projection of its last Observe and what it computed on
// it: when the network did not change (same actors in the system, same
// edges, same weights), the structural metrics are reused instead of
// recomputed; when only weights changed, the unweighted ones (clustering,
// components, betweenness) are. Every value is a function of the network
// and the options only, so reuse changes no digit, whichever Sim (of the
// Observer's world) the previous Observe saw.
type Observer struct {
	w        *sim.World
	net      []int // selected network-level metric ids, catalog order
	per      []int // selected per-actor metric ids, catalog order
	actors   []int
	actorIDs []string
	every    int
	seed     uint64
	gopt     GraphOptions
	pivots   int

	cheapNeed, costlyNeed int

	val     [numMetrics]float64
	proj    *projection // the current step's
	last    *projection // the previous Observe's, kept to detect change
	lv      louvain
	dy      dyadNet
	in      []bool
	members [][]int // each actor's current members in the system, read once per Observe

	// generations: gen changes whenever the projection does, topo when
	// its nodes or edges do; each cached result records the generation it
	// was computed on (0: never)
	gen, topo                             uint64
	triGen, compGen, bcGen, prGen, louGen uint64
	built                                 bool // a projection was built before

	// per-node scratch
	tri         []float64 // edges among each node's neighbours
	mark        []int32
	upper       []int32   // start of each node's neighbours with higher ids
	bc          []float64 // betweenness, each unordered pair once
	sigma       []float64
	delta       []float64
	st          []bfsState
	queue       []int32
	succ        []int32 // successors on shortest paths, by queue position
	succOff     []int32
	leaves      []int32 // betweenness: leaves each node stands for as a source
	runs        []int32 // betweenness: times a node is run as its own source
	cand        []int32 // betweenness: candidate sources (actors with an edge)
	cidx        []int32 // betweenness on bitsets: actor -> candidate number
	adjBits     []uint64
	visited     []uint64
	lbits       []uint64 // the levels of a search, as bitsets
	lstart      []int32  // start of each level in the queue
	bcc         []float64
	keys        []pivotKey
	piv         []int32
	pd          []int32   // betweenness from pairs: distances, c x c
	ps          []float64 // ... path counts, then their inverses
	pv          []float64
	adj2        []bits128
	pr, prx     []float64
	prw         []float64 // pagerank: per-arc coefficients
	prIdx       []int32   // pagerank: actor -> node of the system solved
	prNode      []int32
	prEdges     []edge
	prComp      []int32
	prSize      []float64
	prStr       []float64
	dtri        []float64     // defence dyads: triangles per state
	src         *rand.ChaCha8 // Louvain's source, reset to louvainSeed for each network
	rng         *rand.Rand
	louvainSeed [32]byte

	comps, largest int // components and the size of the largest
	q              float64
	blocs          int
	bcScale        float64 // n'/k when betweenness was sampled, else 1
}

// NewObserver validates the options against the world and returns an
// Observer. Unknown metric names and actor ids are errors that list the
// valid names or suggest the closest one.
func NewObserver(w *sim.World, o Options) (*Observer, error) {
	if w == nil {
		return nil, errors.New("metrics: nil world")
	}
	ob := &Observer{w: w, every: o.Every, seed: o.Seed, gopt: o.Graph, pivots: o.Pivots,
		proj: new(projection), last: new(projection)}
	if ob.every < 1 {
		ob.every = 1
	}
	if ob.pivots == 0 {
		ob.pivots = DefaultPivots
	}
	var b [16 + 8]byte
	copy(b[:16], "entente/louvain\x00")
	binary.LittleEndian.PutUint64(b[16:], o.Seed)
	ob.louvainSeed = sha256.Sum256(b[:])
	ob.src = rand.NewChaCha8(ob.louvainSeed)
	ob.rng = rand.New(ob.src)
	names := o.Metrics
	if len(names) == 0 {
		names = []string{"default"}
	}
	var sel [numMetrics]bool
	var errs []error
	for _, raw := range names {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch name {
		case "all":
			for id := range sel {
				sel[id] = true
			}
			continue
		case "default":
			for _, n := range Default() {
				sel[indexOf(n)] = true
			}
			continue
		}
		id := indexOf(name)
		if id < 0 {
			errs = append(errs, fmt.Errorf("metrics: unknown metric %q%s; valid: all, default, %s",
				raw, suggest(name, Names()), strings.Join(Names(), ", ")))
			continue
		}
		sel[id] = true
	}
	ids := make([]string, len(w.Actors))
	for i := range w.Actors {
		ids[i] = w.Actors[i].ID
	}
	seen := map[string]bool{}
	for _, a := range o.Actors {
		i := w.ActorIndex(a)
		if i < 0 {
			errs = append(errs, fmt.Errorf("metrics: unknown actor %q%s", a, suggest(a, ids)))
			continue
		}
		if seen[a] {
			errs = append(errs, fmt.Errorf("metrics: actor %q listed twice", a))
			continue
		}
		seen[a] = true
		ob.actors = append(ob.actors, i)
		ob.actorIDs = append(ob.actorIDs, a)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for id := range sel {
		if !sel[id] {
			continue
		}
		c := &catalog[id]
		if c.PerActor {
			if len(ob.actors) == 0 {
				continue
			}
			ob.per = append(ob.per, id)
		} else {
			ob.net = append(ob.net, id)
		}
		if c.Costly {
			ob.costlyNeed |= needOf(id)
		} else {
			ob.cheapNeed |= needOf(id)
		}
	}
	return ob, nil
}

// Metrics returns the names the Observer records, network-level first, in
// the order Observe appends them (per-actor ones once per actor).
func (o *Observer) Metrics() []string {
	var out []string
	for _, id := range o.net {
		out = append(out, catalog[id].Name)
	}
	for _, id := range o.per {
		out = append(out, catalog[id].Name)
	}
	return out
}

// Actors returns the ids of the followed actors, in Options order.
func (o *Observer) Actors() []string { return slices.Clone(o.actorIDs) }

// Costly reports whether costly metrics are computed at the given step.
func (o *Observer) Costly(step int) bool { return o.every <= 1 || step%o.every == 0 }

// Observe appends the values of step s.T() to dst and returns it. The order
// is fixed: the selected network-level metrics in catalog order, then, for
// each selected per-actor metric in catalog order, one value per followed
// actor in Options order. Costly metrics appear only when Costly(s.T()).
// Values are rounded to 12 significant digits, so that repeated runs give
// byte-identical output. The Sim must be of the Observer's world.
func (o *Observer) Observe(s *sim.Sim, dst []Value) []Value {
	step := s.T()
	costly := o.Costly(step)
	need := o.cheapNeed
	if costly {
		need |= o.costlyNeed
	}
	o.compute(s, need, step)
	for _, id := range o.net {
		if catalog[id].Costly && !costly {
			continue
		}
		dst = append(dst, Value{Metric: catalog[id].Name, Value: round12(o.val[id])})
	}
	for _, id := range o.per {
		if catalog[id].Costly && !costly {
			continue
		}
		for k, i := range o.actors {
			v := math.NaN()
			if i < s.N() {
				v = o.actorValue(s, id, i)
			}
			dst = append(dst, Value{Metric: catalog[id].Name, Actor: o.actorIDs[k], Value: round12(v)})
		}
	}
	return dst
}

func (o *Observer) actorValue(s *sim.Sim, id, i int) float64 {
	p := o.proj
	switch id {
	case mDegree, mStrength, mClustering, mBetweenness, mPageRank:
		if i >= p.n || !p.in[i] {
			return math.NaN() // not a node of the network
		}
	}
	switch id {
	case mDegree:
		return float64(p.degree(i))
	case mStrength:
		return p.strength[i]
	case mTies:
		if !s.InSystem(i) {
			return math.NaN()
		}
		return float64(s.Degree(i))
	case mClustering:
		return localClustering(o.tri[i], p.degree(i))
	case mBetweenness:
		if p.nIn < 3 {
			return 0
		}
		return o.bc[i] / (float64(p.nIn-1) * float64(p.nIn-2) / 2)
	case mPageRank:
		return o.pr[i]
	case mInStrength:
		return s.InStrength(i)
	case mOutStrength:
		return s.OutStrength(i)
	case mEffectiveCapability:
		return s.EffectiveCapability(i)
	case mPerceivedThreat:
		return s.PerceivedThreat(i)
	case mReliability:
		return s.Reliability(i)
	case mGroups:
		c := 0
		for range s.GroupsOf(i) {
			c++
		}
		return float64(c)
	}
	return math.NaN()
}

// compute fills o.val for the network-level metrics and the per-node
// buffers the per-actor metrics read.
func (o *Observer) compute(s *sim.Sim, need, step int) {
	v := &o.val
	n := s.N()
	o.in = resize(o.in, n)
	nIn := 0
	for i := range n {
		o.in[i] = s.InSystem(i)
		if o.in[i] {
			nIn++
		}
	}

	// pairwise ties
	var byForm [sim.NumForms]int
	var byLevel [sim.MaxLevel + 1]int
	total, levels, directed := 0, 0, 0
	for t := range s.Ties() {
		total++
		if int(t.Form) < len(byForm) {
			byForm[t.Form]++
		}
		if int(t.Level) < len(byLevel) {
			byLevel[t.Level]++
		}
		levels += int(t.Level)
		if t.Donor >= 0 {
			directed += int(t.Level)
		}
	}
	v[mTiesTotal] = float64(total)
	v[mTiesCooperation] = float64(byForm[sim.Cooperation])
	v[mTiesAlliance] = float64(byForm[sim.Alliance])
	v[mTiesAssistance] = float64(byForm[sim.Assistance])
	v[mTiesNominal] = float64(byLevel[sim.Nominal])
	v[mTiesInitial] = float64(byLevel[sim.Initial])
	v[mTiesInstitutionalised] = float64(byLevel[sim.Institutionalised])
	v[mTiesAdvanced] = float64(byLevel[sim.Advanced])
	v[mMeanLevel] = ratio(float64(levels), float64(total))
	v[mDensity] = ratio(float64(total), float64(nIn)*float64(nIn-1)/2)
	v[mBindingShare] = ratio(float64(byForm[sim.Alliance]), float64(total))
	v[mSupportAsymmetry] = ratio(float64(directed), float64(levels))

	// groups
	mini, miniSize, miniLevel, coal, noPatron := 0, 0, 0, 0, 0
	o.mark = resize(o.mark, n)
	clear(o.mark)
	inCoal := 0
	actors := s.World().Actors
	for g := range s.Groups() {
		if g.Kind == sim.CoalitionGroup {
			coal++
			for _, m := range g.Members {
				if m < n && o.in[m] && o.mark[m] == 0 {
					o.mark[m] = 1
					inCoal++ // (actors in the system only, as below)
				}
			}
			continue
		}
		mini++
		miniLevel += int(g.Level)
		patron := false
		for _, m := range g.Members {
			if m < n && o.in[m] {
				// members in the system only, as in the projection: a
				// group kept by an absent patron is without it meanwhile
				miniSize++
				patron = patron || actors[m].Patron
			}
		}
		if !patron {
			noPatron++
		}
	}
	v[mMinilaterals] = float64(mini)
	v[mMinilateralsNoPatron] = float64(noPatron)
	v[mMinilateralMeanSize] = ratio(float64(miniSize), float64(mini))
	v[mMinilateralMeanLevel] = ratio(float64(miniLevel), float64(mini))
	v[mCoalitions] = float64(coal)
	v[mCoalitionMembers] = float64(inCoal)

	// support flows: out-strengths of the actors in the system, sorted
	// ascending for the Gini coefficient
	o.prx = resize(o.prx, n)
	x := o.prx[:0]
	sum := 0.0
	for i := range n {
		if o.in[i] {
			x = append(x, s.OutStrength(i))
			sum += x[len(x)-1]
		}
	}
	v[mTotalSupport] = sum
	v[mSupportGini] = gini(x)

	if need&(needDyads|needProj) != 0 {
		o.members = membersOf(s, o.members)
	}
	if need&needDyads != 0 {
		o.dyads(s)
	}
	if need&needProj == 0 {
		return
	}
	o.proj, o.last = o.last, o.proj
	p := o.proj
	p.buildWith(s, o.gopt, o.members)
	sameTopo, same := p.compare(o.last)
	if !same || !o.built {
		o.gen++
	}
	if !sameTopo || !o.built {
		o.topo++
	}
	o.built = true
	v[mEdges] = float64(p.m)
	kmax, smax, isolates := 0, 0.0, 0
	for i := range n {
		if !p.in[i] {
			continue
		}
		kmax = max(kmax, p.degree(i))
		smax = max(smax, p.strength[i])
		if p.degree(i) == 0 {
			isolates++
		}
	}
	dk, ds := 0.0, 0.0
	for i := range n {
		if p.in[i] {
			dk += float64(kmax - p.degree(i))
			ds += smax - p.strength[i]
		}
	}
	v[mIsolates] = float64(isolates)
	v[mDegreeCentralisation], v[mStrengthCentralisation] = 0, 0
	if nIn >= 3 {
		v[mDegreeCentralisation] = dk / float64((nIn-1)*(nIn-2))
		v[mStrengthCentralisation] = ratio(ds, float64((nIn-1)*(nIn-2))*p.wmax)
	}

	if need&needClust != 0 {
		if o.triGen != o.topo {
			o.tri = resize(o.tri, n)
			o.triangles(p, o.tri)
			o.triGen = o.topo
		}
		closed, triplets, local := 0.0, 0.0, 0.0
		for i := range n {
			if !p.in[i] {
				continue
			}
			k := float64(p.degree(i))
			closed += o.tri[i]
			triplets += k * (k - 1) / 2
			local += localClustering(o.tri[i], p.degree(i))
		}
		v[mTransitivity] = ratio(closed, triplets)
		v[mAvgClustering] = ratio(local, float64(nIn))
	}
	if need&needComp != 0 {
		if o.compGen != o.topo {
			o.components()
			o.compGen = o.topo
		}
		v[mComponents] = float64(o.comps)
		v[mLargestComponent] = ratio(float64(o.largest), float64(nIn))
	}
	if need&needBetween != 0 && o.bcGen != o.topo {
		o.betweenness()
		o.bcGen = o.topo
	}
	if need&needPageRank != 0 && o.prGen != o.gen {
		o.pagerank(0.85, 1e-14)
		o.prGen = o.gen
	}
	if need&needLouvain != 0 {
		if o.louGen != o.gen {
			o.q, o.blocs = 0, 0
			if p.m > 0 {
				o.src.Seed(o.louvainSeed)
				o.q, o.blocs = o.lv.run(p, o.rng)
			}
			o.louGen = o.gen
		}
		v[mModularity], v[mBlocs] = o.q, float64(o.blocs)
	}
}

// dyads computes the defence-dyad metrics.
func (o *Observer) dyads(s *sim.Sim) {
	d := &o.dy
	d.build(s, o.in)
	g := &d.g
	o.dtri = resize(o.dtri, g.n)
	o.triangles(g, o.dtri)
	closed, triplets, isolates := 0.0, 0.0, 0
	actors := s.World().Actors
	for i := range g.n {
		if !o.in[i] || actors[i].Kind != sim.State {
			continue
		}
		k := float64(g.degree(i))
		if k == 0 {
			isolates++
		}
		closed += o.dtri[i]
		triplets += k * (k - 1) / 2
	}
	v := &o.val
	v[mDyads] = float64(g.m)
	v[mDyadDensity] = ratio(float64(g.m), float64(d.states)*float64(d.states-1)/2)
	v[mDyadTransitivity] = ratio(closed, triplets)
	v[mDyadIsolates] = float64(isolates)
}

// components counts the connected components of the projection's actors in
// the system (isolates are components of one) and the size of the largest,
// by breadth-first search over the CSR.
func (o *Observer) components() {
	p := o.proj
	n := p.n
	o.mark = resize(o.mark, n)
	o.queue = resize(o.queue, n+1)
	mark, queue := o.mark, o.queue
	clear(mark)
	o.comps, o.largest = 0, 0
	for r := range n {
		if !p.in[r] || mark[r] != 0 {
			continue
		}
		o.comps++
		mark[r] = 1
		queue[0] = int32(r)
		head, tail := 0, 1
		for head < tail {
			u := queue[head]
			head++
			for _, w := range p.nbr[p.off[u]:p.off[u+1]] {
				if mark[w] == 0 {
					mark[w] = 1
					queue[tail] = w
					tail++
				}
			}
		}
		o.largest = max(o.largest, tail)
	}
}

// triangles counts, for every node of p, the edges among its neighbours
// (t_i = triangles through i) into tri. Every triangle u < v < w is found
// once, from u, by intersecting the upper neighbour lists (ids above the
// node's own) of u and v with a marker array, and counted at its three
// corners.
func (o *Observer) triangles(p *projection, tri []float64) {
	n := p.n
	clear(tri)
	o.mark = resize(o.mark, n)
	o.upper = resize(o.upper, n)
	mark, upper, off, nbr := o.mark, o.upper, p.off, p.nbr
	for u := range n {
		mark[u] = -1
		lo := off[u]
		k, _ := slices.BinarySearch(nbr[lo:off[u+1]], int32(u)) // u is not its own neighbour
		upper[u] = lo + int32(k)
	}
	for u := range n {
		up, hi := upper[u], off[u+1]
		if hi-up < 2 {
			continue
		}
		for _, w := range nbr[up:hi] {
			mark[w] = int32(u)
		}
		for _, v := range nbr[up:hi] {
			for _, w := range nbr[upper[v]:off[v+1]] {
				if mark[w] == int32(u) {
					tri[u]++
					tri[v]++
					tri[w]++
				}
			}
		}
	}
}

func localClustering(t float64, k int) float64 {
	if k < 2 {
		return 0
	}
	return t / (float64(k) * float64(k-1) / 2)
}

// pagerank is the weighted PageRank of the projection's actors in the
// system (damping d, uniform teleport, the mass of isolates spread
// uniformly; the actors not in the system are not nodes and keep 0), solved
// as a linear system rather than by power iteration, which needs about
// ln(tol)/ln(d), some 180 sweeps, at d = 0.85.
//
// Every node receives the same c from teleport and isolates, and a node
// with edges also d sum_j w_ij/s_j x_j, so x = c y on the actors with edges,
// where (I - d W S^-1) y = 1 (W the weights, S the strengths), and x = c on
// isolates, c fixed by sum x = 1. With y = S^1/2 z the system becomes
// (I - d S^-1/2 W S^-1/2) z = S^-1/2 1, symmetric positive definite with
// eigenvalues in [1-d, 1+d], which conjugate gradients solve to a relative
// residual of tol in about 50 iterations at d = 0.85 (condition number at
// most (1+d)/(1-d)); the error of x is then below tol/(1-d) relative. The
// operations run in a fixed order: the result is a function of the graph.
func (o *Observer) pagerank(d, tol float64) {
	p := o.proj
	n := p.n
	o.pr = resize(o.pr, n)
	x := o.pr
	clear(x)
	// the actors in the system with edges, numbered 0..c-1, and the CSR of
	// the scaled operator on them
	o.prIdx = resize(o.prIdx, n)
	o.prNode = o.prNode[:0]
	isolates := 0
	for i := range n {
		o.prIdx[i] = -1
		switch {
		case !p.in[i]:
		case p.off[i] == p.off[i+1]:
			isolates++
		default:
			o.prIdx[i] = int32(len(o.prNode))
			o.prNode = append(o.prNode, int32(i))
		}
	}
	c := len(o.prNode)
	if c > 0 {
		o.prx = resize(o.prx, 5*c)
		sq, z, r, q, dir := o.prx[:c], o.prx[c:2*c], o.prx[2*c:3*c], o.prx[3*c:4*c], o.prx[4*c:5*c]
		for k, i := range o.prNode {
			sq[k] = math.Sqrt(p.strength[i]) // S^1/2
		}
		// the operator's off-diagonal part as an edge list, each edge once
		o.prEdges = o.prEdges[:0]
		for _, e := range p.edges {
			a, b := o.prIdx[e.a], o.prIdx[e.b]
			o.prEdges = append(o.prEdges, edge{a, b, d * e.w / (sq[a] * sq[b])})
		}
		// Start from the exact solution along the eigenvectors of
		// eigenvalue 1-d, S^1/2 1_C for each connected component C: z0 =
		// |C| S^1/2 1_C / ((1-d) s_C), s_C the strength of C. The residual
		// b - A z0 = S^-1/2 1 - |C| S^1/2 1_C / s_C is orthogonal to them,
		// so conjugate gradients work on the rest of the spectrum, [1-d
		// lambda_2, 1+d], in fewer iterations.
		comp := resize(o.prComp, c)
		o.prComp = comp
		for k := range comp {
			comp[k] = int32(k)
		}
		find := func(k int32) int32 {
			for comp[k] != k {
				comp[k] = comp[comp[k]]
				k = comp[k]
			}
			return k
		}
		for _, e := range o.prEdges {
			if a, b := find(e.a), find(e.b); a != b {
				comp[max(a, b)] = min(a, b)
			}
		}
		size, strength := resize(o.prSize, c), resize(o.prStr, c)
		o.prSize, o.prStr = size, strength
		clear(size)
		clear(strength)
		for k := range comp {
			root := find(int32(k))
			comp[k] = root
			size[root]++
			strength[root] += sq[k] * sq[k]
		}
		bb := 0.0
		for k := range c {
			b := 1 / sq[k] // b = S^-1/2 1
			root := comp[k]
			z[k] = size[root] * sq[k] / ((1 - d) * strength[root])
			r[k] = b - size[root]*sq[k]/strength[root]
			dir[k] = r[k]
			bb += b * b
		}
		rr := 0.0
		for _, x := range r {
			rr += x * x
		}
		cg(o.prEdges, z, r, q, dir, rr, tol*tol*bb)
		for k, i := range o.prNode {
			x[i] = sq[k] * z[k] // y = S^1/2 z
		}
	}
	sum := float64(isolates)
	for _, i := range o.prNode {
		sum += x[i]
	}
	norm := 1 / sum
	for i := range n {
		switch {
		case !p.in[i]:
		case o.prIdx[i] < 0:
			x[i] = norm
		default:
			x[i] *= norm
		}
	}
}

// cg runs conjugate gradients on A z = b, A = I - (the symmetric
// off-diagonal part given by edges, each once), from z with residual r
// (b - A z) and direction dir = r, until the squared residual is at most
// stop, at most 1,000 iterations. A function of its own, so that the
// compiler keeps its loops in registers.
func cg(edges []edge, z, r, q, dir []float64, rr, stop float64) {
	n := len(z)
	r, q, dir = r[:n], q[:n], dir[:n]
	for iter := 0; iter < 1000 && rr > stop; iter++ {
		copy(q, dir)
		for _, e := range edges {
			q[e.a] -= e.w * dir[e.b]
			q[e.b] -= e.w * dir[e.a]
		}
		pq := 0.0
		for k, x := range q {
			pq += dir[k] * x
		}
		alpha := rr / pq
		rr2 := 0.0
		for k := range z {
			z[k] += alpha * dir[k]
			r[k] -= alpha * q[k]
			rr2 += r[k] * r[k]
		}
		beta := rr2 / rr
		rr = rr2
		for k := range dir {
			dir[k] = r[k] + beta*dir[k]
		}
	}
}

// gini returns the Gini coefficient of the non-negative xs (sorted in place).
func gini(xs []float64) float64 {
	slices.Sort(xs)
	n := float64(len(xs))
	sum, acc := 0.0, 0.0
	for i, x := range xs {
		sum += x
		acc += (2*float64(i+1) - n - 1) * x
	}
	if sum <= 0 {
		return 0
	}
	return acc / (n * sum)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// round12 rounds x to 12 significant digits.
func round12(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	e := math.Floor(math.Log10(math.Abs(x)))
	if e < -290 || e > 290 {
		return x
	}
	if e <= 11 {
		scale := math.Pow(10, 11-e)
		return math.Round(x*scale) / scale
	}
	scale := math.Pow(10, e-11)
	return math.Round(x/scale) * scale
}
