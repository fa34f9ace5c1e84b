package sweep

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/entente/entente/results"
)

// SobolIndex is the variance-based sensitivity of one outcome to one factor:
// the first-order index S1 (the share of the outcome's variance the factor
// explains alone) and the total index ST (alone and through interactions),
// with 95% bootstrap percentile intervals.
//
// Estimators (Saltelli et al. 2010, Comput. Phys. Commun. 181:259, table 2,
// on outcomes centred by their mean over A and B, which leaves the estimates'
// expectation unchanged and removes the variance a large mean adds):
// S1_j = mean_n[f(B)_n · (f(AB_j)_n − f(A)_n)] / V and, after Jansen (1999),
// ST_j = mean_n[(f(A)_n − f(AB_j)_n)²] / 2V, with V the variance of all f(A)
// and f(B). The intervals are the 2.5 and 97.5 percentiles of the indices
// over Bootstrap resamples of the base rows (each resample recomputes V),
// drawn from a stream seeded by the design's seed.
type SobolIndex struct {
	Outcome         string
	Key             string
	N               int // base rows with finite outcomes
	S1, S1Low, S1Hi float64
	ST, STLow, STHi float64
	// Noise is the share of V that is the model's own noise in the point
	// means (the replicates' variance over their number), NaN when unknown.
	Noise float64
	// Warning says why the index should not be trusted ("" when nothing
	// is wrong): too few base rows, an index outside [0, 1] beyond its
	// interval, intervals wider than half the unit range, or noise.
	Warning string
}

// SobolHeader is the header line of sobol.csv.
var SobolHeader = []string{"outcome", "key", "n", "s1", "s1_low", "s1_high", "st", "st_low", "st_high", "noise_share", "warning"}

// Bootstrap is the number of bootstrap resamples behind the Sobol and
// Morris intervals.
const Bootstrap = 1000

// MinSobolRows is the fewest base rows below which Sobol indices carry a
// warning: with fewer the estimates are dominated by sampling error (Saltelli
// et al. 2010 use 500 and more).
const MinSobolRows = 100

// MaxNoiseShare is the share of an outcome's variance across points above
// which the model's own noise (too few replicates) earns a warning.
const MaxNoiseShare = 0.1

// SobolEstimator collects the outcomes of a Sobol design's points, in point
// order, and estimates the indices. Memory is O(outcomes × base rows ×
// (factors + 2)).
type SobolEstimator struct {
	d        *Design
	outcomes []string
	k        int
	next     int
	// y[o][n*(k+2)+c]: outcome o, base row n, column c (0 A, 1 B, 2+j AB_j)
	y     [][]float64
	noise []results.Welford // outcome: per point, the variance of its mean
}

// NewSobolEstimator starts an estimator for a Sobol design.
func NewSobolEstimator(d *Design, outcomes []string) (*SobolEstimator, error) {
	if d.Kind != Sobol {
		return nil, errors.New("sweep: Sobol indices need a sobol design")
	}
	e := &SobolEstimator{d: d, outcomes: outcomes, k: len(d.Factors),
		y: make([][]float64, len(outcomes)), noise: make([]results.Welford, len(outcomes))}
	return e, nil
}

// Add folds in point i's outcomes (one value per outcome, e.g. the mean over
// replicates). Points must come in order 0, 1, 2, ...
func (e *SobolEstimator) Add(i int, y []float64) error {
	if i != e.next {
		return fmt.Errorf("sweep: Sobol point %d given, want %d (points in order)", i, e.next)
	}
	if len(y) != len(e.outcomes) {
		return fmt.Errorf("sweep: Sobol point %d has %d outcomes, want %d", i, len(y), len(e.outcomes))
	}
	e.next++
	for o, v := range y {
		e.y[o] = append(e.y[o], v)
	}
	return nil
}

// AddReplicates folds in point i from each outcome's accumulator over the
// point's replicates: the mean as Add, and the variance of that mean
// (sd²/n), from which the estimator tells how much of the outcome's variance
// is the model's own noise.
func (e *SobolEstimator) AddReplicates(i int, acc []results.Welford) error {
	y := make([]float64, len(acc))
	for o := range acc {
		y[o] = math.NaN()
		if acc[o].N > 0 {
			y[o] = acc[o].Mean
		}
		if v := acc[o].Var(); finite(v) {
			e.noise[o].Add(v / float64(acc[o].N))
		}
	}
	return e.Add(i, y)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// sobolRows returns the complete base rows of outcome o: those whose f(A),
// f(B) and every f(AB_j) are finite.
func (e *SobolEstimator) sobolRows(o int) [][]float64 {
	w := e.k + 2
	var rows [][]float64
	y := e.y[o]
	for n := 0; (n+1)*w <= len(y); n++ {
		r := y[n*w : (n+1)*w]
		ok := true
		for _, v := range r {
			if !finite(v) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, r)
		}
	}
	return rows
}

// sobolOf computes S1 and ST of every factor from the base rows idx of rows
// (centred by their own mean), into s1 and st; ok is false when V is 0.
func sobolOf(rows [][]float64, idx []int, k int, s1, st []float64) (v float64, ok bool) {
	mean := 0.0
	for _, n := range idx {
		mean += rows[n][0] + rows[n][1]
	}
	mean /= float64(2 * len(idx))
	ss := 0.0
	for _, n := range idx {
		a, b := rows[n][0]-mean, rows[n][1]-mean
		ss += a*a + b*b
	}
	v = ss / float64(2*len(idx)-1)
	if !(v > 0) {
		return v, false
	}
	clear(s1)
	clear(st)
	for _, n := range idx {
		r := rows[n]
		fa, fb := r[0]-mean, r[1]-mean
		for j := 0; j < k; j++ {
			fab := r[2+j] - mean
			s1[j] += fb * (fab - fa)
			st[j] += (fa - fab) * (fa - fab) / 2
		}
	}
	for j := 0; j < k; j++ {
		s1[j] /= float64(len(idx)) * v
		st[j] /= float64(len(idx)) * v
	}
	return v, true
}

// Indices returns one SobolIndex per (outcome, factor), outcomes in the
// order given, factors in design order. An outcome that does not vary gets
// NaN indices.
func (e *SobolEstimator) Indices() []SobolIndex {
	var out []SobolIndex
	rng := rand.New(rand.NewChaCha8(streamSeed("sobol-bootstrap", e.d.Seed)))
	k := e.k
	for o, name := range e.outcomes {
		rows := e.sobolRows(o)
		n := len(rows)
		first := len(out)
		for j := range e.d.Factors {
			out = append(out, SobolIndex{Outcome: name, Key: e.d.Factors[j].Key, N: n,
				S1: math.NaN(), S1Low: math.NaN(), S1Hi: math.NaN(), ST: math.NaN(), STLow: math.NaN(), STHi: math.NaN(), Noise: math.NaN()})
		}
		if n < 2 {
			continue
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		s1, st := make([]float64, k), make([]float64, k)
		v, ok := sobolOf(rows, idx, k, s1, st)
		if !ok {
			continue
		}
		noise := math.NaN()
		if e.noise[o].N > 0 {
			noise = e.noise[o].Mean / v
		}
		// bootstrap: resample base rows with replacement
		bs1, bst := make([][]float64, k), make([][]float64, k)
		for j := range k {
			bs1[j] = make([]float64, 0, Bootstrap)
			bst[j] = make([]float64, 0, Bootstrap)
		}
		r1, rt := make([]float64, k), make([]float64, k)
		for range Bootstrap {
			for i := range idx {
				idx[i] = rng.IntN(n)
			}
			if _, ok := sobolOf(rows, idx, k, r1, rt); !ok {
				continue
			}
			for j := range k {
				bs1[j] = append(bs1[j], r1[j])
				bst[j] = append(bst[j], rt[j])
			}
		}
		for j := range k {
			x := &out[first+j]
			x.S1, x.ST, x.Noise = s1[j], st[j], noise
			x.S1Low, x.S1Hi = percentiles(bs1[j])
			x.STLow, x.STHi = percentiles(bst[j])
			x.Warning = sobolWarning(x)
		}
	}
	return out
}

// sobolWarning says what is wrong with an index, "" when nothing is.
func sobolWarning(x *SobolIndex) string {
	var w []string
	if x.N < MinSobolRows {
		w = append(w, fmt.Sprintf("only %d base rows (want %d or more: raise --points)", x.N, MinSobolRows))
	}
	if x.S1Hi < 0 || x.S1Low > 1 || x.STHi < 0 || x.STLow > 1 {
		w = append(w, "an index outside [0, 1] beyond its interval: the sample is too small")
	} else if x.S1Hi-x.S1Low > 0.5 || x.STHi-x.STLow > 0.5 {
		w = append(w, "intervals wider than 0.5")
	}
	if x.Noise > MaxNoiseShare {
		w = append(w, fmt.Sprintf("model noise is %.0f%% of the variance (raise --replicates)", 100*x.Noise))
	}
	return strings.Join(w, "; ")
}

// percentiles returns the 2.5 and 97.5 percentiles of xs (sorted in place),
// by linear interpolation between order statistics; NaN when xs is empty.
func percentiles(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	return quantile(xs, 0.025), quantile(xs, 0.975)
}

func quantile(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	i := int(h)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// SobolWarnings sums up the warnings of a set of indices: one line per
// distinct warning, with the outcomes it concerns.
func SobolWarnings(idx []SobolIndex) []string {
	return summarise(len(idx), func(i int) (string, string) { return idx[i].Warning, idx[i].Outcome })
}

// summarise groups warnings: "W (outcomes a, b)".
func summarise(n int, at func(i int) (warning, outcome string)) []string {
	var order []string
	by := map[string][]string{}
	for i := range n {
		w, o := at(i)
		if w == "" {
			continue
		}
		for _, part := range strings.Split(w, "; ") {
			if _, ok := by[part]; !ok {
				order = append(order, part)
			}
			if !slices.Contains(by[part], o) {
				by[part] = append(by[part], o)
			}
		}
	}
	out := make([]string, len(order))
	for i, w := range order {
		out[i] = fmt.Sprintf("%s (%s)", w, strings.Join(by[w], ", "))
	}
	return out
}

// WriteSobol writes indices as sobol.csv (header SobolHeader; NaN as an
// empty field).
func WriteSobol(w io.Writer, idx []SobolIndex) error {
	cw := newCSV(w)
	cw.row(SobolHeader...)
	for _, x := range idx {
		cw.row(x.Outcome, x.Key, fmt.Sprint(x.N), fmtNA(x.S1), fmtNA(x.S1Low), fmtNA(x.S1Hi), fmtNA(x.ST), fmtNA(x.STLow), fmtNA(x.STHi),
			fmtNA(x.Noise), x.Warning)
	}
	return cw.flush()
}
