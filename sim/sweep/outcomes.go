package sweep

import (
	"fmt"
	"math"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim"
)

// OutcomeMetrics are the network-level measures outcomes.csv holds for every
// (point, replicate), at each outcome step.
var OutcomeMetrics = []string{"minilaterals", "minilaterals_without_patron", "binding_share", "blocs", "density", "ties_total"}

// PatronMetrics are the per-actor measures outcomes.csv holds for every
// patron of the scenario (actors with patron: true), as METRIC_ID.
var PatronMetrics = []string{"pagerank", "degree"}

// outcome is one column of outcomes.csv.
type outcome struct {
	name   string
	metric string
	actor  string
	step   int // -1: the run's last step
}

// outcomeColumns lists the columns: for each step, the network-level
// measures, then each patron's. With more than one outcome step, names end
// in _t{step}.
func outcomeColumns(patrons []string, steps []int) []outcome {
	if len(steps) == 0 {
		steps = []int{-1}
	}
	var out []outcome
	for _, st := range steps {
		suffix := ""
		if len(steps) > 1 {
			suffix = fmt.Sprintf("_t%d", st)
		}
		for _, m := range OutcomeMetrics {
			out = append(out, outcome{name: m + suffix, metric: m, step: st})
		}
		for _, p := range patrons {
			for _, m := range PatronMetrics {
				out = append(out, outcome{name: m + "_" + p + suffix, metric: m, actor: p, step: st})
			}
		}
	}
	return out
}

func outcomeNames(cols []outcome) []string {
	n := make([]string, len(cols))
	for i, c := range cols {
		n[i] = c.name
	}
	return n
}

// Patrons returns the ids of the world's patrons, in actor order.
func Patrons(w *sim.World) []string {
	var ids []string
	for i := range w.Actors {
		if w.Actors[i].Patron {
			ids = append(ids, w.Actors[i].ID)
		}
	}
	return ids
}

type outKey struct {
	step          int
	metric, actor string
}

// outcomeSink passes runs on to a result set and keeps each replicate's
// outcomes (a few numbers per replicate).
type outcomeSink struct {
	set  *results.Set
	cols map[outKey]int
	n    int
	rows [][]float64
}

func newOutcomeSink(set *results.Set, cols []outcome, steps int) *outcomeSink {
	s := &outcomeSink{set: set, cols: map[outKey]int{}, n: len(cols)}
	for i, c := range cols {
		st := c.step
		if st < 0 {
			st = steps
		}
		s.cols[outKey{st, c.metric, c.actor}] = i
	}
	return s
}

func (s *outcomeSink) AddRun(rep int, rows []results.Row) error {
	vals := make([]float64, s.n)
	for i := range vals {
		vals[i] = math.NaN()
	}
	for _, r := range rows {
		if c, ok := s.cols[outKey{r.Step, r.Metric, r.Actor}]; ok {
			vals[c] = r.Value
		}
	}
	s.rows = append(s.rows, vals)
	return s.set.AddRun(rep, rows)
}

func (s *outcomeSink) AddSnapshot(rep int, snap results.Snapshot) error {
	return s.set.AddSnapshot(rep, snap)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
