package sweep

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/entente/entente/results"
)

// SobolIndex is the variance-based sensitivity of one outcome to one factor:
// the first-order index S1 (the share of the outcome's variance the factor
// explains alone) and the total index ST (alone and through interactions),
// with approximate 95% intervals.
//
// Estimators (Saltelli et al. 2010, Comput. Phys. Commun. 181:259, table 2):
// S1_j = mean_n[f(B)_n · (f(AB_j)_n − f(A)_n)] / V and, after Jansen (1999),
// ST_j = mean_n[(f(A)_n − f(AB_j)_n)²] / 2V, with V the variance of all f(A)
// and f(B). The intervals are ±1.96 standard errors of the mean in the
// numerator over V (V's own uncertainty is left out).
type SobolIndex struct {
	Outcome         string
	Key             string
	N               int // base rows with finite outcomes
	S1, S1Low, S1Hi float64
	ST, STLow, STHi float64
}

// SobolHeader is the header line of sobol.csv.
var SobolHeader = []string{"outcome", "key", "n", "s1", "s1_low", "s1_high", "st", "st_low", "st_high"}

// SobolEstimator folds the outcomes of a Sobol design's points, in point
// order, into indices. Memory is O(outcomes × factors).
type SobolEstimator struct {
	d        *Design
	outcomes []string
	k        int
	next     int
	fa, fb   []float64           // this block's f(A) and f(B)
	v        []results.Welford   // outcome: all f(A) and f(B)
	s1, st   [][]results.Welford // outcome -> factor: per-row terms
}

// NewSobolEstimator starts an estimator for a Sobol design.
func NewSobolEstimator(d *Design, outcomes []string) (*SobolEstimator, error) {
	if d.Kind != Sobol {
		return nil, errors.New("sweep: Sobol indices need a sobol design")
	}
	k := len(d.Factors)
	e := &SobolEstimator{d: d, outcomes: outcomes, k: k,
		fa: make([]float64, len(outcomes)), fb: make([]float64, len(outcomes)),
		v: make([]results.Welford, len(outcomes))}
	e.s1 = make([][]results.Welford, len(outcomes))
	e.st = make([][]results.Welford, len(outcomes))
	for o := range outcomes {
		e.s1[o] = make([]results.Welford, k)
		e.st[o] = make([]results.Welford, k)
	}
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
	switch pos := i % (e.k + 2); pos {
	case 0:
		copy(e.fa, y)
	case 1:
		copy(e.fb, y)
		for o := range y {
			if finite(e.fa[o]) && finite(e.fb[o]) {
				e.v[o].Add(e.fa[o])
				e.v[o].Add(e.fb[o])
			}
		}
	default:
		j := pos - 2
		for o, fab := range y {
			fa, fb := e.fa[o], e.fb[o]
			if !finite(fa) || !finite(fb) || !finite(fab) {
				continue
			}
			e.s1[o][j].Add(fb * (fab - fa))
			e.st[o][j].Add((fa - fab) * (fa - fab) / 2)
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Indices returns one SobolIndex per (outcome, factor), outcomes in the
// order given, factors in design order. An outcome that does not vary gets
// NaN indices.
func (e *SobolEstimator) Indices() []SobolIndex {
	var out []SobolIndex
	for o, name := range e.outcomes {
		variance := e.v[o].SD() * e.v[o].SD()
		for j := range e.d.Factors {
			s1, st := e.s1[o][j], e.st[o][j]
			x := SobolIndex{Outcome: name, Key: e.d.Factors[j].Key, N: s1.N,
				S1: math.NaN(), S1Low: math.NaN(), S1Hi: math.NaN(), ST: math.NaN(), STLow: math.NaN(), STHi: math.NaN()}
			if s1.N > 1 && variance > 0 {
				x.S1 = s1.Mean / variance
				h := 1.96 * s1.SD() / math.Sqrt(float64(s1.N)) / variance
				x.S1Low, x.S1Hi = x.S1-h, x.S1+h
				x.ST = st.Mean / variance
				h = 1.96 * st.SD() / math.Sqrt(float64(st.N)) / variance
				x.STLow, x.STHi = x.ST-h, x.ST+h
			}
			out = append(out, x)
		}
	}
	return out
}

// WriteSobol writes indices as sobol.csv (header SobolHeader; NaN as an
// empty field).
func WriteSobol(w io.Writer, idx []SobolIndex) error {
	cw := newCSV(w)
	cw.row(SobolHeader...)
	for _, x := range idx {
		cw.row(x.Outcome, x.Key, fmt.Sprint(x.N), fmtNA(x.S1), fmtNA(x.S1Low), fmtNA(x.S1Hi), fmtNA(x.ST), fmtNA(x.STLow), fmtNA(x.STHi))
	}
	return cw.flush()
}
