package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/entente/entente/sim"
)

// Designs a sweep can use.
const (
	Grid   = "grid"   // full factorial over each factor's values
	LHS    = "lhs"    // Latin hypercube sample of Points points
	Morris = "morris" // Points one-at-a-time trajectories on Levels levels (elementary effects)
	Sobol  = "sobol"  // Saltelli's scheme: Points base rows × (factors + 2) points (Sobol indices)
)

// Factor is one varied scenario value: a dotted key (as --set takes) with
// either a range From..To (N grid levels; N may be 0 for lhs and morris,
// which sample the range) or explicit Values.
type Factor struct {
	Key     string    `json:"key"`
	From    float64   `json:"from"`
	To      float64   `json:"to"`
	N       int       `json:"n"`
	Values  []float64 `json:"values"`
	Integer bool      `json:"integer"` // values are rounded to whole numbers
}

// IsRange reports whether the factor is a range rather than a list.
func (f *Factor) IsRange() bool { return len(f.Values) == 0 }

// String is the factor as --vary takes it.
func (f *Factor) String() string {
	if !f.IsRange() {
		s := make([]string, len(f.Values))
		for i, v := range f.Values {
			s[i] = FormatValue(v)
		}
		return f.Key + "=" + strings.Join(s, ",")
	}
	s := f.Key + "=" + FormatValue(f.From) + ":" + FormatValue(f.To)
	if f.N > 0 {
		s += ":" + strconv.Itoa(f.N)
	}
	return s
}

// FormatValue writes a value as overrides and CSV files do: the shortest
// text that reads back to the same float64.
func FormatValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// ParseFactor parses a --vary argument: KEY=FROM:TO:N (N evenly spaced
// values, both ends included), KEY=FROM:TO (a range for lhs and morris) or
// KEY=V1,V2,... (a list; a single value is a list of one).
func ParseFactor(s string) (Factor, error) {
	key, val, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.TrimSpace(val) == "" {
		return Factor{}, fmt.Errorf("sweep: --vary %q: want KEY=FROM:TO:N or KEY=V1,V2,... (e.g. retrenchment.political=0:0.8:3)", s)
	}
	f := Factor{Key: key, Integer: integerKey(key)}
	num := func(t string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("sweep: --vary %q: %q is not a number", s, strings.TrimSpace(t))
		}
		return v, nil
	}
	if strings.Contains(val, ":") {
		parts := strings.Split(val, ":")
		if len(parts) > 3 {
			return Factor{}, fmt.Errorf("sweep: --vary %q: want FROM:TO:N, got %d fields", s, len(parts))
		}
		var err error
		if f.From, err = num(parts[0]); err != nil {
			return Factor{}, err
		}
		if f.To, err = num(parts[1]); err != nil {
			return Factor{}, err
		}
		if len(parts) == 3 {
			n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
			if err != nil || n < 1 {
				return Factor{}, fmt.Errorf("sweep: --vary %q: N = %q: want a whole number of values >= 1", s, parts[2])
			}
			if n > 1 && f.From == f.To {
				return Factor{}, fmt.Errorf("sweep: --vary %q: FROM equals TO, so %d values would all be the same", s, n)
			}
			f.N = n
		}
		if f.To < f.From {
			return Factor{}, fmt.Errorf("sweep: --vary %q: TO (%s) is below FROM (%s)", s, FormatValue(f.To), FormatValue(f.From))
		}
		return f, nil
	}
	for _, t := range strings.Split(val, ",") {
		v, err := num(t)
		if err != nil {
			return Factor{}, err
		}
		f.Values = append(f.Values, v)
	}
	return f, nil
}

// integerKey reports whether a scenario key takes whole numbers.
func integerKey(key string) bool {
	if strings.HasPrefix(key, "parameters.") {
		if p, ok := sim.LookupParam(key); ok {
			return p.Integer
		}
	}
	for _, suf := range []string{"steps", ".start", ".end", ".half_life", ".age", "outputs.every"} {
		if key == suf || strings.HasSuffix(key, suf) {
			return true
		}
	}
	return false
}

// Design is the list of parameter points a sweep runs, a pure function of
// its kind, factors, sizes and seed.
type Design struct {
	Kind    string
	Factors []Factor
	Points  int // lhs: sample size; morris: trajectories (r)
	Levels  int // morris: levels p (even)
	Seed    uint64

	n     int
	unit  [][]float64 // lhs, morris: point -> factor -> position in [0, 1]
	moves []move      // morris: per point, the factor moved to reach it (-1 at a trajectory's start)
}

type move struct {
	factor int
	delta  float64 // signed step in unit scale
}

// DefaultLevels is the number of Morris levels when none is given.
const DefaultLevels = 4

// MaxPoints is the most points a design may have (each point is a folder
// of results, run with every replicate).
const MaxPoints = 1_000_000

func tooMany(what string, n string) error {
	return fmt.Errorf("sweep: the %s design has %s points, more than the %d a sweep may have: lower --points or the values per key", what, n, MaxPoints)
}

// NewDesign builds a design. Grid needs every range factor to have N; lhs
// needs Points >= 1; morris needs range factors, Points trajectories and an
// even number of Levels >= 2.
func NewDesign(kind string, factors []Factor, points, levels int, seed uint64) (*Design, error) {
	d := &Design{Kind: kind, Factors: factors, Points: points, Levels: levels, Seed: seed}
	if len(factors) == 0 {
		return nil, errors.New("sweep: nothing to vary: give at least one --vary KEY=FROM:TO:N")
	}
	seen := map[string]bool{}
	for _, f := range factors {
		if seen[f.Key] {
			return nil, fmt.Errorf("sweep: %s is varied twice", f.Key)
		}
		seen[f.Key] = true
	}
	switch kind {
	case Grid:
		d.n = 1
		for _, f := range factors {
			k := len(f.Values)
			if f.IsRange() {
				if f.N < 1 {
					return nil, fmt.Errorf("sweep: --vary %s: a grid needs the number of values, KEY=FROM:TO:N", f.String())
				}
				k = f.N
			}
			if d.n > MaxPoints/k {
				return nil, tooMany("grid", "over a million")
			}
			d.n *= k
		}
		d.Points, d.Levels = 0, 0
	case LHS:
		if points < 1 {
			return nil, fmt.Errorf("sweep: a Latin hypercube needs --points >= 1 (got %d)", points)
		}
		if points > MaxPoints {
			return nil, tooMany("lhs", fmt.Sprint(points))
		}
		d.n, d.Levels = points, 0
		rng := rand.New(rand.NewChaCha8(streamSeed("lhs", seed)))
		d.unit = make([][]float64, points)
		for i := range d.unit {
			d.unit[i] = make([]float64, len(factors))
		}
		for j := range factors {
			perm := rng.Perm(points)
			for i := range points {
				d.unit[i][j] = (float64(perm[i]) + rng.Float64()) / float64(points)
			}
		}
	case Morris:
		if points < 1 {
			return nil, fmt.Errorf("sweep: a Morris design needs --points >= 1 trajectories (got %d)", points)
		}
		if levels == 0 {
			levels = DefaultLevels
			d.Levels = levels
		}
		if levels < 2 || levels%2 != 0 {
			return nil, fmt.Errorf("sweep: Morris levels = %d: want an even number >= 2 (4 is usual)", levels)
		}
		for _, f := range factors {
			if !f.IsRange() {
				return nil, fmt.Errorf("sweep: --vary %s: a Morris design needs a range KEY=FROM:TO", f.String())
			}
		}
		k := len(factors)
		if points > MaxPoints/(k+1) {
			return nil, tooMany("morris", fmt.Sprintf("%d x %d", points, k+1))
		}
		d.n = points * (k + 1)
		rng := rand.New(rand.NewChaCha8(streamSeed("morris", seed)))
		half := levels / 2
		step := float64(half) / float64(levels-1) // Δ = p / (2(p-1))
		for range points {
			lv := make([]int, k)
			for j := range lv {
				lv[j] = rng.IntN(levels)
			}
			order := rng.Perm(k)
			emit := func(m move) {
				u := make([]float64, k)
				for j := range lv {
					u[j] = float64(lv[j]) / float64(levels-1)
				}
				d.unit = append(d.unit, u)
				d.moves = append(d.moves, m)
			}
			emit(move{factor: -1})
			for _, j := range order {
				if lv[j] >= half {
					lv[j] -= half
					emit(move{j, -step})
				} else {
					lv[j] += half
					emit(move{j, step})
				}
			}
		}
	case Sobol:
		if points < 2 {
			return nil, fmt.Errorf("sweep: a Sobol design needs --points >= 2 base rows (got %d; a few hundred give usable indices)", points)
		}
		for _, f := range factors {
			if !f.IsRange() {
				return nil, fmt.Errorf("sweep: --vary %s: a Sobol design needs a range KEY=FROM:TO", f.String())
			}
		}
		k := len(factors)
		if points > MaxPoints/(k+2) {
			return nil, tooMany("sobol", fmt.Sprintf("%d x %d", points, k+2))
		}
		d.n, d.Levels = points*(k+2), 0
		// two independent Latin hypercubes A and B; row n of the design is
		// the block A_n, B_n, AB^(1)_n, ..., AB^(k)_n where AB^(j) is A with
		// column j taken from B (Saltelli et al. 2010, Comput. Phys. Commun.
		// 181:259)
		rng := rand.New(rand.NewChaCha8(streamSeed("sobol", seed)))
		lhs := func() [][]float64 {
			m := make([][]float64, points)
			for i := range m {
				m[i] = make([]float64, k)
			}
			for j := range k {
				perm := rng.Perm(points)
				for i := range points {
					m[i][j] = (float64(perm[i]) + rng.Float64()) / float64(points)
				}
			}
			return m
		}
		a, b := lhs(), lhs()
		d.unit = make([][]float64, 0, d.n)
		for n := range points {
			d.unit = append(d.unit, a[n], b[n])
			for j := range k {
				ab := append([]float64(nil), a[n]...)
				ab[j] = b[n][j]
				d.unit = append(d.unit, ab)
			}
		}
	default:
		return nil, fmt.Errorf("sweep: unknown design %q: want grid, lhs, morris or sobol", kind)
	}
	return d, nil
}

// streamSeed derives the design's own random stream from the master seed,
// independent of every run's stream.
func streamSeed(tag string, seed uint64) [32]byte {
	h := sha256.New()
	h.Write([]byte("entente/sweep/" + tag))
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Len is the number of points.
func (d *Design) Len() int { return d.n }

// Point returns the factor values of point i (in factor order).
func (d *Design) Point(i int) []float64 {
	out := make([]float64, len(d.Factors))
	if d.Kind == Grid {
		// the first factor varies slowest, as nested loops in factor order
		rest := i
		for j := len(d.Factors) - 1; j >= 0; j-- {
			f := &d.Factors[j]
			k := len(f.Values)
			if f.IsRange() {
				k = f.N
			}
			idx := rest % k
			rest /= k
			if f.IsRange() {
				out[j] = d.gridValue(f, idx)
			} else {
				out[j] = f.Values[idx]
			}
		}
		return out
	}
	for j := range d.Factors {
		out[j] = d.value(j, d.unit[i][j])
	}
	return out
}

// value maps a position u in [0, 1] to factor j's value.
func (d *Design) value(j int, u float64) float64 {
	f := &d.Factors[j]
	if !f.IsRange() {
		return f.Values[min(len(f.Values)-1, int(u*float64(len(f.Values))))]
	}
	if f.Integer {
		// the whole numbers of the range, each an equal share of [0, 1]
		// (rounding From + u·(To − From) would give the two ends half a
		// share each)
		lo, hi := math.Ceil(f.From), math.Floor(f.To)
		if hi < lo {
			return math.Round(f.From)
		}
		n := hi - lo + 1
		return lo + min(n-1, math.Floor(u*n))
	}
	v := f.From + u*(f.To-f.From)
	if u >= 1 {
		v = f.To
	}
	return v
}

// Unit returns point i's position in the unit hypercube (lhs and morris; nil
// for a grid).
func (d *Design) Unit(i int) []float64 {
	if d.unit == nil {
		return nil
	}
	return append([]float64(nil), d.unit[i]...)
}

// Overrides returns point i as scenario overrides "KEY=VALUE".
func (d *Design) Overrides(i int) []string {
	vals := d.Point(i)
	out := make([]string, len(vals))
	for j, v := range vals {
		out[j] = d.Factors[j].Key + "=" + FormatValue(v)
	}
	return out
}

// Centers are the values a chart groups points by for factor j: the grid
// values or list, the Morris levels, or ten equal bins of a sampled range.
//
// A factor with more than MaxCenters distinct values is grouped into
// MaxCenters equal bins over its range, so chart data stays small (a heat
// map holds bins² accumulators per outcome).
func (d *Design) Centers(j int) []float64 {
	c := d.centers(j)
	if len(c) <= MaxCenters {
		return c
	}
	lo, hi := c[0], c[len(c)-1]
	out := make([]float64, MaxCenters)
	for i := range out {
		out[i] = lo + (hi-lo)*(float64(i)+0.5)/MaxCenters
	}
	return out
}

// MaxCenters is the most bins a chart groups one factor's values into.
const MaxCenters = 25

func (d *Design) centers(j int) []float64 {
	f := &d.Factors[j]
	switch {
	case !f.IsRange():
		return uniqueSorted(f.Values)
	case d.Kind == Grid:
		c := make([]float64, f.N)
		for i := range c {
			c[i] = d.gridValue(f, i)
		}
		return uniqueSorted(c)
	case d.Kind == Morris:
		c := make([]float64, d.Levels)
		for i := range c {
			c[i] = d.value(j, float64(i)/float64(d.Levels-1))
		}
		return uniqueSorted(c)
	default:
		b := max(1, min(10, d.n))
		c := make([]float64, b)
		for i := range c {
			c[i] = f.From + (f.To-f.From)*(float64(i)+0.5)/float64(b)
		}
		return c
	}
}

func (d *Design) gridValue(f *Factor, idx int) float64 {
	v := f.From
	switch {
	case f.N == 1:
	case idx == f.N-1:
		v = f.To
	default:
		v = f.From + (f.To-f.From)*float64(idx)/float64(f.N-1)
	}
	if f.Integer {
		v = math.Round(v)
	}
	return v
}

func uniqueSorted(v []float64) []float64 {
	out := append([]float64(nil), v...)
	for i := 1; i < len(out); i++ {
		for k := i; k > 0 && out[k] < out[k-1]; k-- {
			out[k], out[k-1] = out[k-1], out[k]
		}
	}
	w := 0
	for i, x := range out {
		if i == 0 || x != out[w-1] {
			out[w] = x
			w++
		}
	}
	return out[:w]
}

// nearest returns the index of the center closest to v.
func nearest(centers []float64, v float64) int {
	best, bd := 0, math.Inf(1)
	for i, c := range centers {
		if d := math.Abs(c - v); d < bd {
			best, bd = i, d
		}
	}
	return best
}
