package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/runner"
)

// Network selects which simulated ties count as the alliance network.
type Network string

const (
	// Binding counts ties of form alliance only: the analogue of the CDM
	// defence pacts (the default).
	Binding Network = "alliance"
	// AllTies counts every pairwise tie (cooperation, alliance, assistance).
	AllTies Network = "all"
)

// Target is the observed series a simulation is set beside: one network per
// step, step 0 being year First.
type Target struct {
	First int
	N     int
	Nets  []Net
	// stats[step][stat]; read with Observed.
	stats [][]float64
}

// TargetFromPanel is the observed panel from year to its end.
func TargetFromPanel(p *cdm.Panel, year int) (*Target, error) {
	if !p.Has(year) {
		return nil, fmt.Errorf("calibrate: year %d outside the panel's %d..%d", year, p.First, p.Last)
	}
	nets := make([]Net, 0, p.Last-year+1)
	for y := year; y <= p.Last; y++ {
		nets = append(nets, NewNet(len(p.States), p.Network(y)))
	}
	return NewTarget(year, len(p.States), nets), nil
}

// NewTarget builds a target from observed networks, one per year from first.
func NewTarget(first, n int, nets []Net) *Target {
	t := &Target{First: first, N: n, Nets: nets}
	t.stats = make([][]float64, len(nets))
	for s := range nets {
		t.stats[s] = make([]float64, NumStats)
		var prev *Net
		if s > 0 {
			prev = &nets[s-1]
		}
		measure(nets[s], prev, nets[s], t.stats[s])
	}
	return t
}

// Steps is the number of steps after the first year.
func (t *Target) Steps() int { return len(t.Nets) - 1 }

// Observed returns the observed value of statistic k (index into Stats) at
// step s.
func (t *Target) Observed(s, k int) float64 { return t.stats[s][k] }

// SetObserved replaces the observed value of a statistic (synthetic targets:
// an engine run's mean series taken as "observed").
func (t *Target) SetObserved(s, k int, v float64) { t.stats[s][k] = v }

// Options of a simulation.
type Options struct {
	Replicates int
	Seed       uint64
	Workers    int     // <= 0: GOMAXPROCS; does not change results
	Network    Network // "" means Binding
}

// Sims holds the statistics of simulated replicates: V[rep][step][stat].
type Sims struct {
	V [][][]float64
}

// Mean is the mean over replicates of statistic k at step s (NaN values
// skipped).
func (r *Sims) Mean(s, k int) float64 {
	sum, n := 0.0, 0
	for _, rep := range r.V {
		if v := rep[s][k]; !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// Band is the central 95% interval of the replicates (empirical 2.5% and
// 97.5% quantiles, linear interpolation) of statistic k at step s.
func (r *Sims) Band(s, k int) (lo, hi float64) {
	var xs []float64
	for _, rep := range r.V {
		if v := rep[s][k]; !math.IsNaN(v) {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	return quantile(xs, 0.025), quantile(xs, 0.975)
}

func quantile(xs []float64, q float64) float64 {
	h := q * float64(len(xs)-1)
	i := int(math.Floor(h))
	if i+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[i] + (h-float64(i))*(xs[i+1]-xs[i])
}

// Simulate runs replicates of the scenario under params with sim/runner
// (seeds sim.RunSeed(seed, scenario name, 0, replicate): the same for every
// call, i.e. common random numbers) for the target's steps, and measures
// every step's network against the target's network of the same step.
func Simulate(ctx context.Context, sc *scenarios.Scenario, params sim.Params, tg *Target, o Options) (*Sims, error) {
	if len(sc.World.Actors) != tg.N {
		return nil, fmt.Errorf("calibrate: scenario %s has %d actors, the observed networks %d", sc.Name, len(sc.World.Actors), tg.N)
	}
	if o.Replicates < 1 {
		return nil, fmt.Errorf("calibrate: replicates = %d: want at least 1", o.Replicates)
	}
	net := o.Network
	if net == "" {
		net = Binding
	}
	if net != Binding && net != AllTies {
		return nil, fmt.Errorf("calibrate: network %q: want %q or %q", net, Binding, AllTies)
	}
	snaps := make([]int, tg.Steps()+1)
	for i := range snaps {
		snaps[i] = i
	}
	j := &runner.Job{
		Scenario:   sc.Name,
		World:      sc.World,
		Params:     params,
		Steps:      tg.Steps(),
		Replicates: o.Replicates,
		Seed:       o.Seed,
		Metrics:    metrics.Options{Metrics: []string{"ties_total"}},
		Snapshots:  snaps, SnapshotReplicates: -1,
		Workers: o.Workers,
	}
	index := make(map[string]int, tg.N)
	for i, a := range sc.World.Actors {
		index[a.ID] = i
	}
	k := &sink{tg: tg, index: index, net: net, out: &Sims{V: make([][][]float64, o.Replicates)}}
	if _, err := runner.Execute(ctx, j, k); err != nil {
		return nil, err
	}
	return k.out, nil
}

type sink struct {
	tg    *Target
	index map[string]int
	net   Network
	out   *Sims
	prev  Net
	buf   []cdm.Edge
}

func (k *sink) AddRun(int, []results.Row) error { return nil }

func (k *sink) AddSnapshot(rep int, snap results.Snapshot) error {
	k.buf = k.buf[:0]
	for _, e := range snap.Edges {
		if k.net == Binding && !e.Binding() {
			continue
		}
		k.buf = append(k.buf, cdm.Edge{A: k.index[e.Source], B: k.index[e.Target]})
	}
	g := NewNet(k.tg.N, k.buf)
	if k.out.V[rep] == nil {
		k.out.V[rep] = make([][]float64, k.tg.Steps()+1)
	}
	row := make([]float64, NumStats)
	var prev *Net
	if snap.Step > 0 {
		prev = &k.prev
	}
	measure(g, prev, k.tg.Nets[snap.Step], row)
	k.out.V[rep][snap.Step] = row
	k.prev = g
	return nil
}

// Row is one line of compare.csv.
type Row struct {
	Year     int
	Stat     string
	Observed float64
	Mean     float64 // simulated mean over replicates
	Lo, Hi   float64 // central 95% of the replicates
}

// CompareHeader is the header of compare.csv.
var CompareHeader = []string{"year", "statistic", "observed", "sim_mean", "sim_lo", "sim_hi"}

// Compare sets each simulated year beside the observed one, for every
// statistic (persistence from the second year on).
func Compare(tg *Target, r *Sims) []Row {
	var rows []Row
	for s := range tg.Nets {
		for k, name := range Stats {
			if k == iPersistence && s == 0 {
				continue
			}
			lo, hi := r.Band(s, k)
			rows = append(rows, Row{Year: tg.First + s, Stat: name, Observed: tg.Observed(s, k), Mean: r.Mean(s, k), Lo: lo, Hi: hi})
		}
	}
	return rows
}
