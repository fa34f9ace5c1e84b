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

	"gonum.org/v1/gonum/graph/topo"

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
	// Seed for the Louvain community detection: each step's source is a
	// ChaCha8 seeded with SHA-256(tag ‖ Seed ‖ step), so the partition is a
	// function of (Seed, step, network) only.
	Seed uint64
	// Graph selects the projection the structural metrics are computed on.
	Graph GraphOptions
}

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
	}
	return 0
}

// Observer computes the metrics of one run step by step. It keeps reusable
// buffers and is not safe for concurrent use: use one per worker or run.
type Observer struct {
	w        *sim.World
	net      []int // selected network-level metric ids, catalog order
	per      []int // selected per-actor metric ids, catalog order
	actors   []int
	actorIDs []string
	every    int
	seed     uint64
	gopt     GraphOptions

	cheapNeed, costlyNeed int

	val  [numMetrics]float64
	proj projection
	comp compact // the projection without isolates, for Louvain

	// per-node scratch
	tri     []float64 // edges among each node's neighbours
	mark    []int32
	upper   []int32   // start of each node's neighbours with higher ids
	bc      []float64 // betweenness, each unordered pair once
	sigma   []float64
	delta   []float64
	dist    []int32
	queue   []int32
	succ    []int32 // successors on shortest paths, by queue position
	succOff []int32
	leaves  []int32 // betweenness: leaves each node stands for as a source
	pr, prx []float64
	prw     []float64 // pagerank: per-arc coefficients
	src     *rand.ChaCha8
}

// NewObserver validates the options against the world and returns an
// Observer. Unknown metric names and actor ids are errors that list the
// valid names or suggest the closest one.
func NewObserver(w *sim.World, o Options) (*Observer, error) {
	if w == nil {
		return nil, errors.New("metrics: nil world")
	}
	ob := &Observer{w: w, every: o.Every, seed: o.Seed, gopt: o.Graph}
	if ob.every < 1 {
		ob.every = 1
	}
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
	p := &o.proj
	switch id {
	case mDegree:
		return float64(p.degree(i))
	case mStrength:
		return p.strength[i]
	case mTies:
		return float64(s.Degree(i))
	case mClustering:
		return localClustering(o.tri[i], p.degree(i))
	case mBetweenness:
		if p.n < 3 {
			return 0
		}
		return o.bc[i] / (float64(p.n-1) * float64(p.n-2) / 2)
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
	v[mDensity] = ratio(float64(total), float64(n)*float64(n-1)/2)
	v[mBindingShare] = ratio(float64(byForm[sim.Alliance]), float64(total))
	v[mSupportAsymmetry] = ratio(float64(directed), float64(levels))

	// groups
	mini, miniSize, miniLevel, coal, noPatron := 0, 0, 0, 0, 0
	o.mark = resize(o.mark, n)
	clear(o.mark)
	inCoal := 0
	for g := range s.Groups() {
		if g.Kind == sim.CoalitionGroup {
			coal++
			for _, m := range g.Members {
				if m < n && o.mark[m] == 0 {
					o.mark[m] = 1
					inCoal++
				}
			}
			continue
		}
		mini++
		miniSize += len(g.Members)
		miniLevel += int(g.Level)
		patron := false
		for _, m := range g.Members {
			patron = patron || s.World().Actors[m].Patron
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

	// support flows: out-strengths sorted ascending for the Gini coefficient
	o.prx = resize(o.prx, n)
	sum := 0.0
	for i := 0; i < n; i++ {
		o.prx[i] = s.OutStrength(i)
		sum += o.prx[i]
	}
	v[mTotalSupport] = sum
	v[mSupportGini] = gini(o.prx)

	if need&needProj == 0 {
		return
	}
	p := &o.proj
	p.build(s, o.gopt)
	v[mEdges] = float64(p.m)
	kmax, smax, isolates := 0, 0.0, 0
	for i := 0; i < n; i++ {
		kmax = max(kmax, p.degree(i))
		smax = max(smax, p.strength[i])
		if p.degree(i) == 0 {
			isolates++
		}
	}
	dk, ds := 0.0, 0.0
	for i := 0; i < n; i++ {
		dk += float64(kmax - p.degree(i))
		ds += smax - p.strength[i]
	}
	v[mIsolates] = float64(isolates)
	v[mDegreeCentralisation], v[mStrengthCentralisation] = 0, 0
	if n >= 3 {
		v[mDegreeCentralisation] = dk / float64((n-1)*(n-2))
		v[mStrengthCentralisation] = ratio(ds, float64((n-1)*(n-2))*p.wmax)
	}

	if need&needClust != 0 {
		o.clustering()
		closed, triplets, local := 0.0, 0.0, 0.0
		for i := 0; i < n; i++ {
			k := float64(p.degree(i))
			closed += o.tri[i]
			triplets += k * (k - 1) / 2
			local += localClustering(o.tri[i], p.degree(i))
		}
		v[mTransitivity] = ratio(closed, triplets)
		v[mAvgClustering] = ratio(local, float64(n))
	}
	if need&needComp != 0 {
		cc := topo.ConnectedComponents(p)
		largest := 0
		for _, c := range cc {
			largest = max(largest, len(c))
		}
		v[mComponents] = float64(len(cc))
		v[mLargestComponent] = ratio(float64(largest), float64(n))
	}
	if need&needBetween != 0 {
		o.betweenness()
	}
	if need&needPageRank != 0 {
		o.pagerank(0.85, 1e-13)
	}
	if need&needLouvain != 0 {
		v[mModularity], v[mBlocs] = 0, 0
		if p.m > 0 {
			o.seedSource(step)
			q, blocs := o.louvain()
			v[mModularity], v[mBlocs] = q, float64(blocs)
		}
	}
}

// seedSource seeds the Louvain source for a step from Options.Seed.
func (o *Observer) seedSource(step int) {
	var b [8 + 8 + 16]byte
	copy(b[:16], "entente/louvain\x00")
	binary.LittleEndian.PutUint64(b[16:], o.seed)
	binary.LittleEndian.PutUint64(b[24:], uint64(step))
	seed := sha256.Sum256(b[:])
	if o.src == nil {
		o.src = rand.NewChaCha8(seed)
	} else {
		o.src.Seed(seed)
	}
}

// clustering counts, for every node, the edges among its neighbours
// (t_i = triangles through i). Every triangle u < v < w is found once, from
// u, by intersecting the upper neighbour lists (ids above the node's own) of
// u and v with a marker array, and counted at its three corners.
func (o *Observer) clustering() {
	p := &o.proj
	n := p.n
	o.tri = resize(o.tri, n)
	clear(o.tri)
	o.mark = resize(o.mark, n)
	o.upper = resize(o.upper, n)
	mark, upper, tri, off, nbr := o.mark, o.upper, o.tri, p.off, p.nbr
	for u := 0; u < n; u++ {
		mark[u] = -1
		lo := off[u]
		k, _ := slices.BinarySearch(nbr[lo:off[u+1]], int32(u)) // u is not its own neighbour
		upper[u] = lo + int32(k)
	}
	for u := 0; u < n; u++ {
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

// pagerank is a weighted PageRank by power iteration from the uniform
// vector. gonum's network.PageRank starts from a vector drawn from the global
// math/rand source, so its result differs between runs in the digits below
// its tolerance; this one is a pure function of the graph.
func (o *Observer) pagerank(d, tol float64) {
	p := &o.proj
	n := p.n
	o.pr = resize(o.pr, n)
	o.prx = resize(o.prx, n)
	// per-arc coefficient w_ji/s_j, computed once: the same products as
	// dividing in the loop, so the same digits
	o.prw = resize(o.prw, len(p.nbr))
	for k, j := range p.nbr {
		o.prw[k] = p.wt[k] / p.strength[j]
	}
	coef, off, nbr := o.prw, p.off, p.nbr
	x, y := o.pr, o.prx
	for i := range x {
		x[i] = 1 / float64(n)
	}
	for iter := 0; iter < 10000; iter++ {
		dangling := 0.0
		for j := 0; j < n; j++ {
			if p.strength[j] == 0 {
				dangling += x[j]
			}
		}
		base := (1-d)/float64(n) + d*dangling/float64(n)
		diff := 0.0
		for i := 0; i < n; i++ {
			acc := 0.0
			lo, hi := off[i], off[i+1]
			for k, j := range nbr[lo:hi] {
				acc += coef[int(lo)+k] * x[j]
			}
			y[i] = base + d*acc
			diff += math.Abs(y[i] - x[i])
		}
		x, y = y, x
		if diff < tol {
			break
		}
	}
	o.pr, o.prx = x, y
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
