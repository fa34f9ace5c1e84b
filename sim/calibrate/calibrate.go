package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// Bound is a fitted parameter and its search interval. The optimiser works
// on z in R: x = Lo + σ(z)·(Hi − Lo), or on the log scale when Log is set
// (x = Lo·(Hi/Lo)^σ(z)), so every point it tries is inside the interval.
type Bound struct {
	Name   string
	Lo, Hi float64
	Log    bool
}

// DefaultBounds are the parameters fitted by default: those that set how
// often commitments are revisited and how much binding costs and holds,
// which the yearly statistics of the alliance panel (density, isolates,
// transitivity, yearly and five-year persistence) identify, and the costs
// of non-binding ties, which the stationarity of the baseline's
// cross-section identifies (Stationary).
//
//   - temperature: the logit noise of choice and consent (persistence,
//     the churn of bilateral alliances).
//   - opportunity_rate: how often commitments come up at all (the speed of
//     change per year; threats add opportunities through alarm).
//   - autonomy_weight: the cost of binding (accessions and withdrawals).
//   - upkeep_cost: the cost per level of a tie (the depth of ties).
//   - lockin_weight: the value of joint programmes and standards an old
//     tie or membership holds (persistence of old pacts).
//   - entrapment_weight: the cost of committing to a threatened partner
//     (who is admitted).
//   - base_need: the background demand for protection (why pacts hold).
//   - tie_cost: the cost of any tie at all (density; with the cross-section,
//     the number of non-binding ties).
//   - creation_cost: the one-off cost of a new agreement (persistence
//     against the rate of change: ties costly to make but not worth
//     leaving).
//   - influence_weight: the value of standing over a weaker partner (with
//     the cross-section's donor ties: what keeps donors giving).
//   - partnership_rate: how often partnerships come up (with the
//     cross-section's tie ages: how often non-binding ties end and are
//     replaced).
//   - umbrella_weight: the patron's stake in its partners' protection
//     (with the cross-section's patron ties: whether the patron keeps its
//     hub and spokes; the alliance panel has no patron and is silent on it).
var DefaultBounds = []Bound{
	{"temperature", 0.005, 0.15, true},
	{"opportunity_rate", 0.01, 2, true},
	{"autonomy_weight", 0.02, 0.6, true},
	{"upkeep_cost", 0.0005, 0.05, true},
	{"lockin_weight", 0.01, 1, true},
	{"entrapment_weight", 0.005, 0.3, true},
	{"base_need", 0.05, 2, true},
	{"tie_cost", 0.001, 0.5, true},
	{"creation_cost", 0.001, 1, true},
	{"influence_weight", 0.005, 1, true},
	{"partnership_rate", 0.05, 4, true},
	{"umbrella_weight", 0.01, 1, true},
}

// Block is a set of the calibrated parameters fitted together on the
// moments that identify them, the others held (docs/calibration/README.md,
// "Two blocks"). The project's calibration (make calibrate) fits the
// blocks in order, each from the values the ones before it fitted.
type Block struct {
	Name string
	// Params are the block's parameters (names in DefaultBounds).
	Params []string
	// Stationary reports whether the block's objective includes the
	// stationarity of the cross-section (Config.Stationary); without it
	// the objective is the record's alone.
	Stationary bool
	// Starts are the block's further starting points (Config.Starts).
	Starts []Start
	Doc    string
}

// Blocks partition DefaultBounds. The record observes defence pacts only:
// the commitment parameters (how noisy and how frequent choices are, the
// cost of binding, lock-in, entrapment, the need for protection, the cost
// of a new agreement) are fitted on it alone. The parameters of
// non-binding ties, which the record does not observe, are fitted next,
// with the record block held, on the record together with the
// stationarity of the cross-section (the only moments that see them).
var Blocks = []Block{
	{Name: "record", Stationary: false,
		Params: []string{"temperature", "opportunity_rate", "autonomy_weight", "lockin_weight", "entrapment_weight", "base_need", "creation_cost"},
		Doc:    "the commitment parameters, on the alliance record alone"},
	{Name: "cross-section", Stationary: true,
		Params: []string{"upkeep_cost", "tie_cost", "influence_weight", "partnership_rate", "umbrella_weight"},
		Doc:    "the parameters of non-binding ties, on the record and the cross-section's stationarity, the record block held"},
}

// LookupBlock returns the block of that name.
func LookupBlock(name string) (Block, bool) {
	for _, b := range Blocks {
		if b.Name == name {
			return b, true
		}
	}
	return Block{}, false
}

// ParamList is the block's parameters as a --params value.
func (b Block) ParamList() string { return strings.Join(b.Params, ",") }

// DefaultParamList is DefaultBounds as a --params value.
func DefaultParamList() string {
	var b strings.Builder
	for i, d := range DefaultBounds {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d.Name)
	}
	return b.String()
}

// ParseBounds reads "name[:lo:hi]" items (comma-separated); without an
// interval a default one is used (DefaultBounds, else the parameter's range).
func ParseBounds(s string) ([]Bound, error) {
	var out []Bound
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		f := strings.Split(item, ":")
		spec, ok := sim.LookupParam(f[0])
		if !ok {
			return nil, fmt.Errorf("calibrate: unknown parameter %q (see 'entente list parameters')", f[0])
		}
		b := Bound{Name: spec.Name, Lo: spec.Min, Hi: spec.Max}
		for _, d := range DefaultBounds {
			if d.Name == spec.Name {
				b = d
			}
		}
		switch len(f) {
		case 1:
		case 3:
			lo, err1 := strconv.ParseFloat(f[1], 64)
			hi, err2 := strconv.ParseFloat(f[2], 64)
			if err1 != nil || err2 != nil || !(lo < hi) || lo < spec.Min || hi > spec.Max {
				return nil, fmt.Errorf("calibrate: %q: want name:lo:hi with %g <= lo < hi <= %g", item, spec.Min, spec.Max)
			}
			b.Lo, b.Hi = lo, hi
			b.Log = lo > 0 && hi/lo >= 20
		default:
			return nil, fmt.Errorf("calibrate: %q: want name or name:lo:hi", item)
		}
		if spec.Integer {
			return nil, fmt.Errorf("calibrate: %s is whole-numbered; Nelder–Mead fits continuous parameters", spec.Name)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, errors.New("calibrate: no parameters to fit")
	}
	return out, nil
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// X maps an unbounded coordinate to the parameter value.
func (b Bound) X(z float64) float64 {
	u := sigmoid(z)
	if b.Log {
		return b.Lo * math.Pow(b.Hi/b.Lo, u)
	}
	return b.Lo + u*(b.Hi-b.Lo)
}

// Z is the inverse of X (values are clamped just inside the interval).
func (b Bound) Z(x float64) float64 {
	var u float64
	if b.Log {
		u = math.Log(x/b.Lo) / math.Log(b.Hi/b.Lo)
	} else {
		u = (x - b.Lo) / (b.Hi - b.Lo)
	}
	u = math.Min(math.Max(u, 1e-3), 1-1e-3)
	return math.Log(u / (1 - u))
}

// Moment is a statistic in the objective with its unit of misfit.
type Moment struct {
	Stat     string
	Scale    float64 // one unit of misfit: absolute, or relative to the observed value
	Relative bool
}

// DefaultMoments: density and isolates within 10% of the observed value,
// transitivity within 0.05, yearly persistence within 0.01 and five-year
// persistence within 0.02 count as one unit of misfit each.
var DefaultMoments = []Moment{
	{StatDensity, 0.1, true},
	{StatTransitivity, 0.05, false},
	{StatIsolates, 0.1, true},
	{StatPersistence, 0.01, false},
	{StatPersistence5, 0.02, false},
}

// Objective is the simulated-method-of-moments distance over steps
// [from, to]: the mean over moments and steps of ((sim mean − observed) /
// unit)², skipping undefined values.
func Objective(tg *Target, r *Sims, moments []Moment, from, to int) float64 {
	sum, n := 0.0, 0
	for _, m := range moments {
		k := statIndex(m.Stat)
		for s := max(from, 0); s <= min(to, tg.Steps()); s++ {
			obs, sm := tg.Observed(s, k), r.Mean(s, k)
			if math.IsNaN(obs) || math.IsNaN(sm) {
				continue
			}
			unit := m.Scale
			if m.Relative {
				unit = m.Scale * math.Max(math.Abs(obs), 1e-9)
			}
			d := (sm - obs) / unit
			sum += d * d
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

func statIndex(name string) int {
	for k, s := range Stats {
		if s == name {
			return k
		}
	}
	return -1
}

// Config of a calibration.
type Config struct {
	Scenario *scenarios.Scenario // the imported world; its parameters are the start
	Target   *Target
	Bounds   []Bound  // nil: DefaultBounds
	Moments  []Moment // nil: DefaultMoments
	// FitLast is the last step fitted (steps 1..FitLast); later steps are
	// out of sample. 0: all steps.
	FitLast  int
	MaxEvals int // evaluations of the objective (default 60), per start
	// Starts are further starting points: each is the scenario's start
	// with the named fitted parameters set to these values. Nelder–Mead
	// (with its restarts) runs from the scenario's start, MaxEvals
	// evaluations; then from each of these in two stages, MaxEvals
	// evaluations each: first the other parameters with the named ones
	// held (a point of the objective's profile over them), then all of
	// them from the best point found. The best evaluation of all is the
	// fit: a multi-start search for an objective with more than one
	// basin, where a start in another basin looks worse than it is until
	// the other parameters have adapted to it (docs/calibration/README.md,
	// "The temperature").
	Starts  []Start
	Options Options
	// Stationary, when set, adds the moments of a cross-section assumed
	// stationary (see Stationary) to the in-sample objective.
	Stationary *Stationary
	// Progress, when set, receives every evaluation as it finishes.
	Progress func(e Eval)
	// Replay holds the evaluations a calibration with the same Identity
	// made before it was cut short (ReadCheckpoint): Run takes the first
	// len(Replay) evaluations from it instead of simulating them (each
	// must ask for exactly the values it records, or Run stops with an
	// error), then goes on simulating. The optimiser is deterministic and
	// the objective a deterministic function of the values, so the fit
	// equals an uninterrupted run's.
	Replay []Eval
}

// Start is a starting point of the search: fitted parameters and the
// values they start from (the others start where the scenario has them).
type Start []Setting

// Setting is one parameter's value.
type Setting struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// String is the start as NAME=VALUE,... (the --start syntax).
func (st Start) String() string {
	var b strings.Builder
	for i, x := range st {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(x.Name + "=" + strconv.FormatFloat(x.Value, 'g', -1, 64))
	}
	return b.String()
}

// ParseStart reads a start, NAME=VALUE[,NAME=VALUE...].
func ParseStart(s string) (Start, error) {
	var st Start
	for _, item := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("calibrate: start %q: want NAME=VALUE[,NAME=VALUE...]", s)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("calibrate: start %q: %s=%q is not a number", s, name, val)
		}
		st = append(st, Setting{Name: strings.TrimSpace(name), Value: v})
	}
	return st, nil
}

// CheckStarts reports the first start that Run would refuse with these
// bounds: one naming a parameter that is not fitted, a value outside its
// interval, or every fitted parameter (nothing left for its first stage).
func CheckStarts(bounds []Bound, starts []Start) error {
	if bounds == nil {
		bounds = DefaultBounds
	}
	var names []string
	for _, b := range bounds {
		names = append(names, b.Name)
	}
	for _, st := range starts {
		held := map[string]bool{}
		for _, x := range st {
			i := slices.IndexFunc(bounds, func(b Bound) bool { return b.Name == x.Name })
			if i < 0 {
				return fmt.Errorf("calibrate: start %s: %s is not a fitted parameter (fitted: %s)", st, x.Name, strings.Join(names, ", "))
			}
			if b := bounds[i]; x.Value < b.Lo || x.Value > b.Hi {
				return fmt.Errorf("calibrate: start %s: %s=%g is outside its interval [%g, %g]", st, x.Name, x.Value, b.Lo, b.Hi)
			}
			held[x.Name] = true
		}
		if len(held) >= len(bounds) {
			return fmt.Errorf("calibrate: start %s names every fitted parameter: leave some for its first stage to fit", st)
		}
	}
	return nil
}

// StartResult is what the search found from one start.
type StartResult struct {
	Start     string    `json:"start"` // "" for the scenario's own start
	From      []float64 `json:"from"`
	Best      []float64 `json:"best"`
	Objective float64   `json:"objective_in_sample"`
	Evals     int       `json:"evaluations"`
	Status    string    `json:"status"`
}

// Eval is one evaluation of the objective.
type Eval struct {
	N         int
	Start     int       `json:",omitempty"` // which start's search (0: the scenario's own start)
	Held      bool      `json:",omitempty"` // in that start's first stage, its parameters held
	Values    []float64 // parameter values, in the order of Bounds
	Objective float64
	// Stationary describes the stationarity moments of the evaluation
	// (empty without Config.Stationary).
	Stationary string `json:",omitempty"`
	// Out is the objective out of sample (the checkpoint keeps it: a
	// resumed calibration needs the start's; fit.json gives it for the fit
	// alone). NaN but for the first evaluation: the search's evaluations
	// simulate the fitted steps alone.
	Out float64 `json:"-"`
}

// Fit is the outcome of a calibration.
type Fit struct {
	Bounds      []Bound    `json:"-"`
	Names       []string   `json:"parameters"`
	Start       []float64  `json:"start"`
	Best        []float64  `json:"fitted"`
	Objective   float64    `json:"objective_in_sample"`
	OutOfSample float64    `json:"objective_out_of_sample"`
	StartIn     float64    `json:"start_objective_in_sample"`
	StartOut    float64    `json:"start_objective_out_of_sample"`
	Evals       int        `json:"evaluations"`
	Status      string     `json:"status"`
	History     []Eval     `json:"history"`
	Params      sim.Params `json:"-"` // the scenario's parameters with the fitted values
	Sims        *Sims      `json:"-"` // replicates at the fitted values
	// Interrupted marks a fit cut short (Ctrl-C): Best is the best
	// evaluation so far, OutOfSample is NaN and Sims nil.
	Interrupted bool `json:"interrupted,omitempty"`
	// Restarts counts the restarts of Nelder–Mead from the best point,
	// over all starts.
	Restarts int `json:"restarts,omitempty"`
	// Starts is what the search found from each start (when there are
	// several: Config.Starts).
	Starts []StartResult `json:"starts,omitempty"`
}

// Params returns p with the bounds' parameters set to xs.
func Params(p sim.Params, bounds []Bound, xs []float64) (sim.Params, error) {
	for i, b := range bounds {
		spec, ok := sim.LookupParam(b.Name)
		if !ok {
			return p, fmt.Errorf("calibrate: unknown parameter %q", b.Name)
		}
		spec.Set(&p, xs[i])
	}
	return p, p.Validate()
}

// settings are the bounds, moments, last fitted step and budget Run uses:
// Config's, or their defaults where it leaves them unset.
func (c *Config) settings() (bounds []Bound, moments []Moment, fitLast, maxEvals int) {
	bounds, moments, fitLast, maxEvals = c.Bounds, c.Moments, c.FitLast, c.MaxEvals
	if bounds == nil {
		bounds = DefaultBounds
	}
	if moments == nil {
		moments = DefaultMoments
	}
	if c.Target != nil && (fitLast <= 0 || fitLast > c.Target.Steps()) {
		fitLast = c.Target.Steps()
	}
	if maxEvals <= 0 {
		maxEvals = 60
	}
	return bounds, moments, fitLast, maxEvals
}

// Run fits the parameters by Nelder–Mead (gonum/optimize) on the transformed
// space, minimising Objective over the fitted steps of replicate means.
// Every evaluation uses the same seeds (common random numbers), so the
// objective is a deterministic function of the parameters and the fit is
// reproducible from the seed.
func Run(ctx context.Context, c Config) (*Fit, error) {
	bounds, moments, fitLast, maxEvals := c.settings()
	for _, m := range moments {
		if statIndex(m.Stat) < 0 || m.Scale <= 0 {
			return nil, fmt.Errorf("calibrate: moment %q (scale %g): want a statistic of %v and a positive scale", m.Stat, m.Scale, Stats)
		}
	}
	base := c.Scenario.Params
	fit := &Fit{Bounds: bounds}
	z0 := make([]float64, len(bounds))
	for i, b := range bounds {
		spec, _ := sim.LookupParam(b.Name)
		if spec == nil {
			return nil, fmt.Errorf("calibrate: unknown parameter %q", b.Name)
		}
		fit.Names = append(fit.Names, b.Name)
		z0[i] = b.Z(spec.Get(&base))
		fit.Start = append(fit.Start, b.X(z0[i]))
	}
	var runErr error
	lastStat := ""
	// eval is the objective at xs, in and out of sample; the next
	// evaluation comes from Config.Replay while it lasts (replay false: the
	// fitted values' replicates, which the checkpoint does not keep). The
	// search reads the objective in sample alone: with full false the
	// replicates stop at the last fitted step and the objective out of
	// sample is NaN (the start's and the fit's are full: the report gives
	// those two).
	eval := func(xs []float64, replay, full bool) (float64, float64, *Sims) {
		if n := len(fit.History); replay && n < len(c.Replay) {
			e := c.Replay[n]
			if !slices.Equal(e.Values, xs) {
				runErr = fmt.Errorf("calibrate: resuming: evaluation %d asks for %v, the checkpoint has %v: it was not written by this calibration (or by this version of the model)", n+1, xs, e.Values)
				return math.Inf(1), math.Inf(1), nil
			}
			lastStat = e.Stationary
			return e.Objective, e.Out, nil
		}
		p, err := Params(base, bounds, xs)
		if err != nil {
			runErr = err
			return math.Inf(1), math.Inf(1), nil
		}
		o := c.Options
		if !full {
			o.Horizon = fitLast
		}
		r, err := Simulate(ctx, c.Scenario, p, c.Target, o)
		if err != nil {
			runErr = err
			return math.Inf(1), math.Inf(1), nil
		}
		in := Objective(c.Target, r, moments, 1, fitLast)
		extra, what, err := c.Stationary.misfit(ctx, p, c.Options)
		if err != nil {
			runErr = err
			return math.Inf(1), math.Inf(1), nil
		}
		lastStat = what
		if c.Stationary != nil {
			// the panel's objective is a mean over moments (each a series of
			// fitted years); each of the cross-section's moments counts as
			// one more such series
			in = (in*float64(len(moments)) + extra) / float64(len(moments)+numMoments)
		}
		if !full {
			return in, math.NaN(), r
		}
		return in, Objective(c.Target, r, moments, fitLast+1, c.Target.Steps()), r
	}
	// the starting points: the scenario's own, then Config.Starts (with
	// the coordinates each holds in its first stage)
	if err := CheckStarts(bounds, c.Starts); err != nil {
		return nil, err
	}
	starts := [][]float64{z0}
	held := [][]bool{nil}
	for _, st := range c.Starts {
		z := slices.Clone(z0)
		h := make([]bool, len(bounds))
		for _, x := range st {
			i := slices.IndexFunc(bounds, func(b Bound) bool { return b.Name == x.Name })
			z[i], h[i] = bounds[i].Z(x.Value), true
		}
		starts, held = append(starts, z), append(held, h)
	}
	cur, holding := 0, false // the start whose search is running, and its stage
	xsOf := func(z []float64) []float64 {
		xs := make([]float64, len(z))
		for i, b := range bounds {
			xs[i] = b.X(z[i])
		}
		return xs
	}
	record := func(xs []float64, f, out float64) {
		e := Eval{N: len(fit.History) + 1, Start: cur, Held: holding, Values: xs, Objective: f, Stationary: lastStat, Out: out}
		fit.History = append(fit.History, e)
		if c.Progress != nil {
			c.Progress(e)
		}
	}
	var res *optimize.Result
	var err error
	restarts := 0
	// search runs Nelder–Mead from z (objective f) over the coordinates
	// free (all when nil; the others held at z's values) until budget
	// evaluations, used of them already spent, and returns the best point
	// of its evaluations. Nelder–Mead on a simulated objective stalls early
	// (the noise left by common random numbers makes small steps look
	// flat): while the budget allows a fresh simplex, it restarts from the
	// best point with a smaller one (restarted Nelder–Mead, as in Kelley
	// 1999).
	search := func(z []float64, f float64, free []bool, budget, used int) ([]float64, float64) {
		var idx []int
		for i := range z {
			if free == nil || free[i] {
				idx = append(idx, i)
			}
		}
		first := len(fit.History) - used
		zBest, fBest := z, f
		full := func(sub []float64) []float64 {
			zz := slices.Clone(zBest)
			for k, i := range idx {
				zz[i] = sub[k]
			}
			return zz
		}
		problem := optimize.Problem{Func: func(sub []float64) float64 {
			if runErr != nil {
				return math.Inf(1)
			}
			xs := xsOf(full(sub))
			f, out, _ := eval(xs, true, false)
			if runErr != nil {
				return math.Inf(1)
			}
			record(xs, f, out)
			return f
		}}
		n := 0
		for size := 1.0; ; size /= 2 {
			left := budget - (len(fit.History) - first)
			if left < 2*(len(idx)+1) && n > 0 || left < 1 {
				break
			}
			x0 := make([]float64, len(idx))
			for k, i := range idx {
				x0[k] = zBest[i]
			}
			res, err = optimize.Minimize(problem, x0, &optimize.Settings{
				InitValues:      &optimize.Location{F: fBest},
				FuncEvaluations: left,
				Converger:       &optimize.FunctionConverge{Absolute: 1e-4, Relative: 1e-4, Iterations: 15},
				Concurrent:      1,
			}, &optimize.NelderMead{SimplexSize: size})
			if runErr != nil || res == nil {
				break
			}
			for _, e := range fit.History[first:] {
				if e.Objective < fBest {
					fBest = e.Objective
					zBest = make([]float64, len(bounds))
					for i, b := range bounds {
						zBest[i] = b.Z(e.Values[i])
					}
				}
			}
			if res.Status != optimize.FunctionConvergence {
				break // the budget is spent (or the optimiser failed)
			}
			n++
		}
		restarts += n
		return zBest, fBest
	}
	for k, zStart := range starts {
		cur, holding = k, held[k] != nil
		first := len(fit.History)
		xs := xsOf(zStart)
		fStart, fOut, _ := eval(xs, true, k == 0)
		if runErr != nil {
			break
		}
		if k == 0 {
			fit.Start, fit.StartIn, fit.StartOut = xs, fStart, fOut
		}
		record(xs, fStart, fOut)
		if k == 0 {
			search(zStart, fStart, nil, maxEvals, 1)
		} else {
			// first the others fitted with the start's parameters held
			// (a point of the profile of the objective over them), then
			// all of them from there: a start in a basin the others have
			// not yet adapted to would look worse than it is
			free := make([]bool, len(held[k]))
			for i, h := range held[k] {
				free[i] = !h
			}
			z, f := search(zStart, fStart, free, maxEvals, 1)
			if runErr == nil {
				holding = false
				search(z, f, nil, maxEvals, 0)
			}
		}
		if runErr != nil {
			break
		}
		if len(starts) > 1 {
			sr := StartResult{From: xs, Objective: math.Inf(1), Evals: len(fit.History) - first, Status: status(res)}
			if k > 0 {
				sr.Start = c.Starts[k-1].String()
			}
			for _, e := range fit.History[first:] {
				if e.Objective < sr.Objective {
					sr.Best, sr.Objective = e.Values, e.Objective
				}
			}
			fit.Starts = append(fit.Starts, sr)
		}
	}
	fit.Restarts = restarts
	if runErr != nil {
		if (errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded)) && len(fit.History) > 0 {
			// interrupted: keep the best evaluation so far; it has no
			// out-of-sample objective or fitted-value replicates
			best := 0
			for i, e := range fit.History {
				if e.Objective < fit.History[best].Objective {
					best = i
				}
			}
			fit.Best, fit.Objective = fit.History[best].Values, fit.History[best].Objective
			fit.Evals, fit.Status, fit.Interrupted = len(fit.History), "interrupted", true
			fit.OutOfSample = math.NaN()
			fit.Params, _ = Params(base, bounds, fit.Best)
			return fit, runErr
		}
		return nil, runErr
	}
	if err != nil && res == nil {
		return nil, fmt.Errorf("calibrate: %w", err)
	}
	// The best evaluation seen (the optimiser's result is one of them).
	best := 0
	for i, e := range fit.History {
		if e.Objective < fit.History[best].Objective {
			best = i
		}
	}
	fit.Best = fit.History[best].Values
	fit.Evals = len(fit.History)
	fit.Status = status(res)
	if restarts > 0 {
		fit.Status += fmt.Sprintf(" (after %d restarts)", restarts)
	}
	var r *Sims
	fit.Objective, fit.OutOfSample, r = eval(fit.Best, false, true)
	if runErr != nil {
		return nil, runErr
	}
	fit.Sims = r
	fit.Params, _ = Params(base, bounds, fit.Best)
	return fit, nil
}

// status is the optimiser's last status, or what stopped the search
// before it ran (a budget spent on the starting point).
func status(res *optimize.Result) string {
	if res == nil {
		return "FunctionEvaluationLimit"
	}
	return res.Status.String()
}

// Overlay is the overlay file of fitted values: one "parameters.NAME=VALUE"
// override per line (the --set syntax), after a comment header.
func (f *Fit) Overlay(header string) []byte {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(header), "\n") {
		if line != "" {
			b.WriteString("# " + line + "\n")
		}
	}
	for i, name := range f.Names {
		fmt.Fprintf(&b, "parameters.%s=%s\n", name, strconv.FormatFloat(f.Best[i], 'g', -1, 64))
	}
	return []byte(b.String())
}
