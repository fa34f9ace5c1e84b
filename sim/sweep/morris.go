package sweep

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/entente/entente/results"
)

// MorrisEffect is the elementary-effects screening of one outcome by one
// factor (Morris 1991; mu* after Campolongo, Cariboni & Saltelli 2007).
// Effects are measured per unit of the factor's whole range: an elementary
// effect is (y(x + Δe_j) − y(x)) / Δ with x and Δ in the unit hypercube, so a
// linear y = b·x_j over From..To has every effect b·(To − From). The
// intervals are 95% bootstrap percentile intervals over Bootstrap resamples
// of the trajectories, drawn from a stream seeded by the design's seed.
type MorrisEffect struct {
	Outcome string
	Key     string
	R       int     // elementary effects computed (trajectories with a finite outcome)
	Mu      float64 // mean of the effects (signed: effects of opposite sign cancel)
	MuStar  float64 // mean of the absolute effects: the factor's importance
	Sigma   float64 // standard deviation of the effects: non-linearity or interactions

	MuStarLow, MuStarHi float64
	SigmaLow, SigmaHi   float64
	// NoiseFloor is the mean absolute effect the model's own noise in the
	// point means would give alone (sqrt(2/π)·sqrt(var_a + var_b)/|Δ| with
	// var the variance of a point's mean over its replicates); NaN when
	// unknown.
	NoiseFloor float64
	// Warning says why the effect should not be trusted ("" when nothing is
	// wrong): too few trajectories, or mu* within twice the noise floor.
	Warning string
}

// MorrisHeader is the header line of morris.csv.
var MorrisHeader = []string{"outcome", "key", "r", "mu", "mu_star", "sigma", "mu_star_low", "mu_star_high", "sigma_low", "sigma_high", "noise_floor", "warning"}

// MinMorrisTrajectories is the fewest trajectories below which Morris
// effects carry a warning (Campolongo et al. 2007 use 10 and more).
const MinMorrisTrajectories = 10

// MorrisEstimator collects the outcomes of a Morris design's points, given in
// point order, as elementary effects. Memory is O(outcomes × trajectories ×
// factors).
type MorrisEstimator struct {
	d        *Design
	outcomes []string
	prev     []float64
	prevVar  []float64
	next     int
	// ee[o][t*k+j]: outcome o, trajectory t, factor j (NaN when missing)
	ee    [][]float64
	floor [][]results.Welford // outcome -> factor: the noise of each effect
	traj  int
}

// NewMorrisEstimator starts an estimator for a Morris design.
func NewMorrisEstimator(d *Design, outcomes []string) (*MorrisEstimator, error) {
	if d.Kind != Morris {
		return nil, errors.New("sweep: Morris effects need a morris design")
	}
	m := &MorrisEstimator{d: d, outcomes: outcomes, traj: -1}
	m.ee = make([][]float64, len(outcomes))
	m.floor = make([][]results.Welford, len(outcomes))
	for o := range outcomes {
		m.floor[o] = make([]results.Welford, len(d.Factors))
	}
	return m, nil
}

// Add folds in point i's outcomes (one value per outcome, e.g. the mean over
// replicates). Points must come in order 0, 1, 2, ...
func (m *MorrisEstimator) Add(i int, y []float64) error {
	return m.add(i, y, nil)
}

// AddReplicates folds in point i from each outcome's accumulator over the
// point's replicates: the mean as Add, and the variance of that mean, from
// which the estimator finds the effects' noise floor.
func (m *MorrisEstimator) AddReplicates(i int, acc []results.Welford) error {
	y, v := make([]float64, len(acc)), make([]float64, len(acc))
	for o := range acc {
		y[o], v[o] = math.NaN(), math.NaN()
		if acc[o].N > 0 {
			y[o] = acc[o].Mean
		}
		if acc[o].N > 1 {
			v[o] = acc[o].Var() / float64(acc[o].N)
		}
	}
	return m.add(i, y, v)
}

// step is the move that led to point i, as a share of its factor's range:
// the planned step in the unit hypercube, or, for a range of whole numbers,
// the step its values actually took (two levels may give the same whole
// number: then 0, and the effect is left out).
func (m *MorrisEstimator) step(i int, mv move) float64 {
	f := &m.d.Factors[mv.factor]
	if !f.Integer || !f.IsRange() || f.To == f.From || i == 0 {
		return mv.delta
	}
	j := mv.factor
	return (m.d.value(j, m.d.unit[i][j]) - m.d.value(j, m.d.unit[i-1][j])) / (f.To - f.From)
}

func (m *MorrisEstimator) add(i int, y, vars []float64) error {
	if i != m.next {
		return fmt.Errorf("sweep: Morris point %d given, want %d (points in order)", i, m.next)
	}
	if len(y) != len(m.outcomes) {
		return fmt.Errorf("sweep: Morris point %d has %d outcomes, want %d", i, len(y), len(m.outcomes))
	}
	m.next++
	k := len(m.d.Factors)
	mv := m.d.moves[i]
	if mv.factor < 0 {
		m.traj++
		for o := range m.ee {
			for range k {
				m.ee[o] = append(m.ee[o], math.NaN())
			}
		}
	} else {
		delta := m.step(i, mv)
		for o := range y {
			e := (y[o] - m.prev[o]) / delta
			if math.IsNaN(e) || math.IsInf(e, 0) {
				continue
			}
			m.ee[o][m.traj*k+mv.factor] = e
			if vars != nil && m.prevVar != nil && finite(vars[o]) && finite(m.prevVar[o]) {
				m.floor[o][mv.factor].Add(math.Sqrt(2/math.Pi) * math.Sqrt(vars[o]+m.prevVar[o]) / math.Abs(delta))
			}
		}
	}
	m.prev = append(m.prev[:0], y...)
	if vars != nil {
		m.prevVar = append(m.prevVar[:0], vars...)
	} else {
		m.prevVar = nil
	}
	return nil
}

// morrisStats returns mu, mu* and sigma of the effects es (NaN skipped),
// and how many there are.
func morrisStats(es []float64) (n int, mu, muStar, sigma float64) {
	var w results.Welford
	abs := 0.0
	for _, e := range es {
		if math.IsNaN(e) {
			continue
		}
		w.Add(e)
		abs += math.Abs(e)
	}
	if w.N == 0 {
		return 0, math.NaN(), math.NaN(), math.NaN()
	}
	return w.N, w.Mean, abs / float64(w.N), w.SD()
}

// Effects returns one MorrisEffect per (outcome, factor), outcomes in the
// order given, factors in design order.
func (m *MorrisEstimator) Effects() []MorrisEffect {
	var out []MorrisEffect
	k := len(m.d.Factors)
	rng := rand.New(rand.NewChaCha8(streamSeed("morris-bootstrap", m.d.Seed)))
	nt := m.traj + 1
	col := make([]float64, nt)
	pick := make([]int, nt)
	for o, name := range m.outcomes {
		for j := range m.d.Factors {
			for t := range nt {
				col[t] = m.ee[o][t*k+j]
			}
			e := MorrisEffect{Outcome: name, Key: m.d.Factors[j].Key, NoiseFloor: math.NaN(),
				MuStarLow: math.NaN(), MuStarHi: math.NaN(), SigmaLow: math.NaN(), SigmaHi: math.NaN()}
			e.R, e.Mu, e.MuStar, e.Sigma = morrisStats(col)
			if f := m.floor[o][j]; f.N > 0 {
				e.NoiseFloor = f.Mean
			}
			if e.R >= 2 {
				bmu, bsd := make([]float64, 0, Bootstrap), make([]float64, 0, Bootstrap)
				res := make([]float64, nt)
				for range Bootstrap {
					for t := range pick {
						pick[t] = rng.IntN(nt)
						res[t] = col[pick[t]]
					}
					n, _, ms, sd := morrisStats(res)
					if n == 0 {
						continue
					}
					bmu = append(bmu, ms)
					if n > 1 {
						bsd = append(bsd, sd)
					}
				}
				e.MuStarLow, e.MuStarHi = percentiles(bmu)
				e.SigmaLow, e.SigmaHi = percentiles(bsd)
			}
			e.Warning = morrisWarning(&e)
			out = append(out, e)
		}
	}
	return out
}

func morrisWarning(e *MorrisEffect) string {
	var w []string
	if e.R < MinMorrisTrajectories {
		w = append(w, fmt.Sprintf("only %d trajectories (want %d or more: raise --points)", e.R, MinMorrisTrajectories))
	}
	if e.MuStar < 2*e.NoiseFloor {
		w = append(w, "mu* within twice the model's noise (raise --replicates)")
	}
	return strings.Join(w, "; ")
}

// MorrisWarnings sums up the warnings of a set of effects: one line per
// distinct warning, with the outcomes it concerns.
func MorrisWarnings(effects []MorrisEffect) []string {
	return summarise(len(effects), func(i int) (string, string) { return effects[i].Warning, effects[i].Outcome })
}

// WriteMorris writes effects as morris.csv (header MorrisHeader; NaN as an
// empty field).
func WriteMorris(w io.Writer, effects []MorrisEffect) error {
	cw := newCSV(w)
	cw.row(MorrisHeader...)
	for _, e := range effects {
		cw.row(e.Outcome, e.Key, fmt.Sprint(e.R), fmtNA(e.Mu), fmtNA(e.MuStar), fmtNA(e.Sigma),
			fmtNA(e.MuStarLow), fmtNA(e.MuStarHi), fmtNA(e.SigmaLow), fmtNA(e.SigmaHi), fmtNA(e.NoiseFloor), e.Warning)
	}
	return cw.flush()
}
