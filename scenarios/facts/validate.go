package facts

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/spatial/r1"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"

	"github.com/entente/entente/sim"
)

// Axis is one dimension of the robustness check: a parameter and the range
// it is sampled over.
type Axis struct {
	Name   string
	Lo, Hi float64
}

// TemperatureHi is the top of the temperatures the robustness check
// samples (MODEL.md: "over temperatures up to at least 0.1"; the calibrated
// default sits above it).
const TemperatureHi = 0.15

// ValidationAxes are the dimensions of the robustness check: every
// parameter whose default is an assumption (sim.Assumed), over its
// plausible range, and the temperature from 0.005 to TemperatureHi.
// Calibrated parameters stay at their calibrated values, sourced and
// design ones at theirs.
func ValidationAxes() []Axis {
	axes := []Axis{{Name: "temperature", Lo: 0.005, Hi: TemperatureHi}}
	for _, s := range sim.ParamSpecs {
		if s.Basis == sim.Assumed && s.PlausibleHi > s.PlausibleLo {
			axes = append(axes, Axis{Name: s.Name, Lo: s.PlausibleLo, Hi: s.PlausibleHi})
		}
	}
	return axes
}

// Point is one point of the robustness check: the parameters and, for
// each fact (in All's order), whether it held there.
type Point struct {
	Values []float64 // one per axis
	Holds  []bool    // one per fact checked, in the order they were given (All for the whole check)
	// Err is set when the point could not be evaluated (it then counts as
	// not holding).
	Err error
}

// Validation is the outcome of Validate.
type Validation struct {
	Axes   []Axis
	Points []Point
	Seed   uint64
}

// Share is the share of points at which fact k holds.
func (v *Validation) Share(k int) float64 {
	if len(v.Points) == 0 {
		return math.NaN()
	}
	return float64(v.held(k)) / float64(len(v.Points))
}

// held is the number of points at which fact k holds.
func (v *Validation) held(k int) int {
	n := 0
	for _, p := range v.Points {
		if p.Holds[k] {
			n++
		}
	}
	return n
}

// ShareInterval is the 95 % Wilson interval of Share(k), the points
// taken as independent draws from the parameters' plausible region: a
// share of 35 of 50 (70 %) is 56.2-80.9 %, so one below or above a target
// of 80 % is not told apart from it by 50 points. (Each point's verdict is
// itself a draw of its check's replicates, which the interval does not
// count.)
func (v *Validation) ShareInterval(k int) (lo, hi float64) {
	return wilson(v.held(k), len(v.Points), z95)
}

// sameTo6 reports whether a and b agree to six significant digits (the
// precision hypercube.csv writes).
func sameTo6(a, b float64) bool {
	return strconv.FormatFloat(a, 'g', 6, 64) == strconv.FormatFloat(b, 'g', 6, 64)
}

// Validate runs every fact over a Latin hypercube of n points of the axes
// (gonum's samplemv.LatinHypercube, one point per stratum of each axis;
// integer parameters are rounded), starting from base (the defaults), each
// fact with reps replicates (0: its test's) and seeds from seed. Points are
// evaluated in order; progress, when set, is called after each. A cancelled
// context stops it and returns the points done so far with ctx's error.
func Validate(ctx context.Context, base sim.Params, axes []Axis, n, reps int, seed uint64, progress func(done, total int, p Point)) (*Validation, error) {
	return ValidateFrom(ctx, base, axes, n, reps, seed, nil, progress)
}

// ValidateFrom is Validate continuing an earlier run of the same design
// that stopped after the points done (a resumed robustness check): it
// checks that they are this design's first points (their values, to the
// six significant digits hypercube.csv keeps) and evaluates the rest. The
// result is that of an uninterrupted run: each point's seeds depend only on
// its index.
func ValidateFrom(ctx context.Context, base sim.Params, axes []Axis, n, reps int, seed uint64, done []Point, progress func(done, total int, p Point)) (*Validation, error) {
	return ValidateFacts(ctx, All, base, axes, n, reps, seed, done, progress)
}

// ValidateFacts is ValidateFrom for the facts fs alone (in All's order or
// any other), each point's Holds in fs's order: one fact's robustness
// checked with more replicates than the whole check can afford. A fact's
// seeds at a point are those of the whole check (seed plus the point's
// index), so its column is the same as it would be among all seven.
func ValidateFacts(ctx context.Context, fs []Fact, base sim.Params, axes []Axis, n, reps int, seed uint64, done []Point, progress func(done, total int, p Point)) (*Validation, error) {
	if len(fs) == 0 {
		return nil, fmt.Errorf("facts: validate needs at least one fact")
	}
	if n < 1 {
		return nil, fmt.Errorf("facts: validate needs at least one point, got %d", n)
	}
	bounds := make([]r1.Interval, len(axes))
	specs := make([]*sim.ParamSpec, len(axes))
	for k, a := range axes {
		s, ok := sim.LookupParam(a.Name)
		if !ok {
			return nil, fmt.Errorf("facts: validate: no parameter %q", a.Name)
		}
		if !(a.Lo < a.Hi) {
			return nil, fmt.Errorf("facts: validate: %s range [%g, %g] is empty", a.Name, a.Lo, a.Hi)
		}
		specs[k] = s
		bounds[k] = r1.Interval{Min: a.Lo, Max: a.Hi}
	}
	src := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	batch := mat.NewDense(n, len(axes), nil)
	samplemv.LatinHypercube{Q: distmv.NewUniform(bounds, src), Src: src}.Sample(batch)
	v := &Validation{Axes: axes, Seed: seed}
	if len(done) > n {
		return nil, fmt.Errorf("facts: validate: %d points done, more than the %d of the design", len(done), n)
	}
	for i, pt := range done {
		if len(pt.Values) != len(axes) || len(pt.Holds) != len(fs) {
			return nil, fmt.Errorf("facts: validate: point %d done has %d values and %d facts, want %d and %d", i+1, len(pt.Values), len(pt.Holds), len(axes), len(fs))
		}
		for k, s := range specs {
			x := batch.At(i, k)
			if s.Integer {
				x = math.Round(x)
			}
			if !sameTo6(x, pt.Values[k]) {
				return nil, fmt.Errorf("facts: validate: point %d done has %s = %g, but this design (seed %d, %d points) gives %g: not the same check", i+1, axes[k].Name, pt.Values[k], seed, n, x)
			}
			pt.Values[k] = x
		}
		v.Points = append(v.Points, pt)
	}
	for i := len(done); i < n; i++ {
		if err := ctx.Err(); err != nil {
			return v, err
		}
		p := base
		pt := Point{Values: make([]float64, len(axes)), Holds: make([]bool, len(fs))}
		for k, s := range specs {
			x := batch.At(i, k)
			if s.Integer {
				x = math.Round(x)
			}
			pt.Values[k] = x
			s.Set(&p, x)
		}
		for k, f := range fs {
			r := reps
			if r <= 0 {
				r = f.Reps
			}
			res, err := f.Check(p, r, seed+uint64(i))
			if err != nil {
				pt.Err = fmt.Errorf("point %d, %s: %w", i+1, f.Name, err)
				break
			}
			pt.Holds[k] = res.Holds
		}
		v.Points = append(v.Points, pt)
		if progress != nil {
			progress(i+1, n, pt)
		}
	}
	return v, nil
}
