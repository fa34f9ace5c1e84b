package sweep

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/entente/entente/results"
)

// MorrisEffect is the elementary-effects screening of one outcome by one
// factor (Morris 1991; mu* after Campolongo, Cariboni & Saltelli 2007).
// Effects are measured per unit of the factor's whole range: an elementary
// effect is (y(x + Δe_j) − y(x)) / Δ with x and Δ in the unit hypercube, so a
// linear y = b·x_j over From..To has every effect b·(To − From).
type MorrisEffect struct {
	Outcome string
	Key     string
	R       int     // elementary effects computed (trajectories with a finite outcome)
	Mu      float64 // mean of the effects (signed: effects of opposite sign cancel)
	MuStar  float64 // mean of the absolute effects: the factor's importance
	Sigma   float64 // standard deviation of the effects: non-linearity or interactions
}

// MorrisHeader is the header line of morris.csv.
var MorrisHeader = []string{"outcome", "key", "r", "mu", "mu_star", "sigma"}

// MorrisEstimator folds the outcomes of a Morris design's points, given in
// point order, into elementary effects. Memory is O(outcomes × factors).
type MorrisEstimator struct {
	d        *Design
	outcomes []string
	prev     []float64
	next     int
	ee       [][]results.Welford // outcome -> factor
	abs      [][]float64
}

// NewMorrisEstimator starts an estimator for a Morris design.
func NewMorrisEstimator(d *Design, outcomes []string) (*MorrisEstimator, error) {
	if d.Kind != Morris {
		return nil, errors.New("sweep: Morris effects need a morris design")
	}
	m := &MorrisEstimator{d: d, outcomes: outcomes}
	m.ee = make([][]results.Welford, len(outcomes))
	m.abs = make([][]float64, len(outcomes))
	for o := range outcomes {
		m.ee[o] = make([]results.Welford, len(d.Factors))
		m.abs[o] = make([]float64, len(d.Factors))
	}
	return m, nil
}

// Add folds in point i's outcomes (one value per outcome, e.g. the mean over
// replicates). Points must come in order 0, 1, 2, ...
func (m *MorrisEstimator) Add(i int, y []float64) error {
	if i != m.next {
		return fmt.Errorf("sweep: Morris point %d given, want %d (points in order)", i, m.next)
	}
	if len(y) != len(m.outcomes) {
		return fmt.Errorf("sweep: Morris point %d has %d outcomes, want %d", i, len(y), len(m.outcomes))
	}
	m.next++
	mv := m.d.moves[i]
	if mv.factor >= 0 {
		for o := range y {
			e := (y[o] - m.prev[o]) / mv.delta
			if math.IsNaN(e) || math.IsInf(e, 0) {
				continue
			}
			m.ee[o][mv.factor].Add(e)
			m.abs[o][mv.factor] += math.Abs(e)
		}
	}
	m.prev = append(m.prev[:0], y...)
	return nil
}

// Effects returns one MorrisEffect per (outcome, factor), outcomes in the
// order given, factors in design order.
func (m *MorrisEstimator) Effects() []MorrisEffect {
	var out []MorrisEffect
	for o, name := range m.outcomes {
		for j := range m.d.Factors {
			w := m.ee[o][j]
			e := MorrisEffect{Outcome: name, Key: m.d.Factors[j].Key, R: w.N, Mu: math.NaN(), MuStar: math.NaN(), Sigma: w.SD()}
			if w.N > 0 {
				e.Mu, e.MuStar = w.Mean, m.abs[o][j]/float64(w.N)
			}
			out = append(out, e)
		}
	}
	return out
}

// WriteMorris writes effects as morris.csv (header MorrisHeader; NaN as an
// empty field).
func WriteMorris(w io.Writer, effects []MorrisEffect) error {
	cw := newCSV(w)
	cw.row(MorrisHeader...)
	for _, e := range effects {
		cw.row(e.Outcome, e.Key, fmt.Sprint(e.R), fmtNA(e.Mu), fmtNA(e.MuStar), fmtNA(e.Sigma))
	}
	return cw.flush()
}
