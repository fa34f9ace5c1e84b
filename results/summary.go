package results

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// Confidence is the level of the intervals in summary.csv.
const Confidence = 0.95

// SummaryRow is one line of summary.csv: a metric (of one actor, or
// network-level when Actor is empty) at one step, across replicates. SD,
// CILow and CIHigh are NaN (empty fields in the file) when N < 2, Mean when
// N is 0.
type SummaryRow struct {
	Step          int
	Metric, Actor string
	N             int
	Mean, SD      float64
	CILow, CIHigh float64
}

// Welford accumulates a mean and variance in one pass (Welford's algorithm),
// numerically stable and in O(1) memory. The zero value is empty.
type Welford struct {
	N    int
	Mean float64
	M2   float64 // sum of squared deviations from the mean
}

// Add folds x in.
func (w *Welford) Add(x float64) {
	w.N++
	d := x - w.Mean
	w.Mean += d / float64(w.N)
	w.M2 += d * (x - w.Mean)
}

// Merge folds in another accumulator (Chan et al.'s parallel update), as when
// merging the summaries of sweep shards.
func (w *Welford) Merge(o Welford) {
	if o.N == 0 {
		return
	}
	if w.N == 0 {
		*w = o
		return
	}
	n := w.N + o.N
	d := o.Mean - w.Mean
	w.M2 += o.M2 + d*d*float64(w.N)*float64(o.N)/float64(n)
	w.Mean += d * float64(o.N) / float64(n)
	w.N = n
}

// WelfordOf recovers an accumulator from a summary row (M2 = sd²·(n-1)), so
// summaries of disjoint replicate sets (sweep shards) can be merged with
// Merge. The result is exact up to the rounding of sd.
func WelfordOf(r SummaryRow) Welford {
	w := Welford{N: r.N, Mean: r.Mean}
	if r.N == 0 {
		return Welford{}
	}
	if r.N > 1 && !math.IsNaN(r.SD) {
		w.M2 = r.SD * r.SD * float64(r.N-1)
	}
	return w
}

// Row returns the accumulator as a summary row with a 95% interval.
func (w *Welford) Row(step int, metric, actor string) SummaryRow {
	return w.row(step, metric, actor, Confidence)
}

// Var is the sample variance (n-1 denominator); NaN when N < 2.
func (w *Welford) Var() float64 {
	if w.N < 2 {
		return math.NaN()
	}
	return w.M2 / float64(w.N-1)
}

// SD is the sample standard deviation; NaN when N < 2.
func (w *Welford) SD() float64 { return math.Sqrt(w.Var()) }

// CI is the two-sided Student-t interval of the mean at level conf (e.g.
// 0.95): mean ± t_{(1+conf)/2, n-1} sd/√n. NaN bounds when N < 2.
func (w *Welford) CI(conf float64) (lo, hi float64) {
	if w.N < 2 {
		return math.NaN(), math.NaN()
	}
	h := TQuantile((1+conf)/2, w.N-1) * w.SD() / math.Sqrt(float64(w.N))
	return w.Mean - h, w.Mean + h
}

// TQuantile is the p quantile of Student's t distribution with df degrees of
// freedom.
func TQuantile(p float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// Row returns the accumulator as a summary row.
func (w *Welford) row(step int, metric, actor string, conf float64) SummaryRow {
	r := SummaryRow{Step: step, Metric: metric, Actor: actor, N: w.N, Mean: w.Mean, SD: w.SD()}
	if w.N == 0 {
		r.Mean = math.NaN()
	}
	r.CILow, r.CIHigh = w.CI(conf)
	return r
}

// Summarizer folds rows into one Welford accumulator per (step, metric,
// actor): memory is O(steps × series) whatever the number of replicates.
// NaN values are skipped (they count in no n). Rows of the result are sorted
// by step, then metric in order of first appearance, then actor in order of
// first appearance. Feeding the same rows in the same order gives the same
// bits.
type Summarizer struct {
	series  map[seriesKey]int
	keys    []seriesKey
	accs    [][]Welford // per series, indexed by step
	metrics map[string]int
	actors  map[string]int
}

type seriesKey struct{ metric, actor string }

// NewSummarizer returns an empty Summarizer.
func NewSummarizer() *Summarizer {
	return &Summarizer{series: map[seriesKey]int{}, metrics: map[string]int{}, actors: map[string]int{}}
}

// Add folds in one value.
func (s *Summarizer) Add(step int, metric, actor string, v float64) {
	k := seriesKey{metric, actor}
	id, ok := s.series[k]
	if !ok {
		id = len(s.keys)
		s.series[k] = id
		s.keys = append(s.keys, k)
		s.accs = append(s.accs, nil)
		if _, ok := s.metrics[metric]; !ok {
			s.metrics[metric] = len(s.metrics)
		}
		if _, ok := s.actors[actor]; !ok {
			s.actors[actor] = len(s.actors)
		}
	}
	if math.IsNaN(v) || step < 0 {
		return
	}
	a := s.accs[id]
	if step >= len(a) {
		a = append(a, make([]Welford, step+1-len(a))...)
		s.accs[id] = a
	}
	a[step].Add(v)
}

// Metrics returns the metric names in order of first appearance.
func (s *Summarizer) Metrics() []string { return orderOf(s.metrics) }

// Actors returns the actor names (with "" for network-level) in order of
// first appearance.
func (s *Summarizer) Actors() []string { return orderOf(s.actors) }

func orderOf(m map[string]int) []string {
	out := make([]string, len(m))
	for k, i := range m {
		out[i] = k
	}
	return out
}

// Rows returns the summary, sorted.
func (s *Summarizer) Rows() []SummaryRow {
	ids := make([]int, len(s.keys))
	for i := range ids {
		ids[i] = i
	}
	sort.Slice(ids, func(a, b int) bool {
		ka, kb := s.keys[ids[a]], s.keys[ids[b]]
		if ma, mb := s.metrics[ka.metric], s.metrics[kb.metric]; ma != mb {
			return ma < mb
		}
		return s.actors[ka.actor] < s.actors[kb.actor]
	})
	maxStep := 0
	for _, a := range s.accs {
		maxStep = max(maxStep, len(a))
	}
	var rows []SummaryRow
	for step := 0; step < maxStep; step++ {
		for _, id := range ids {
			a := s.accs[id]
			if step >= len(a) || a[step].N == 0 {
				continue
			}
			k := s.keys[id]
			rows = append(rows, a[step].row(step, k.metric, k.actor, Confidence))
		}
	}
	return rows
}

// WriteSummary writes summary rows as summary.csv data.
func WriteSummary(w io.Writer, rows []SummaryRow) error {
	b := make([]byte, 0, 256)
	b = append(b, "step,metric,actor,n,mean,sd,ci_low,ci_high\n"...)
	for i := range rows {
		r := &rows[i]
		b = strconv.AppendInt(b, int64(r.Step), 10)
		b = append(b, ',')
		b = appendField(b, r.Metric)
		b = append(b, ',')
		b = appendField(b, r.Actor)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.N), 10)
		for _, v := range [...]float64{r.Mean, r.SD, r.CILow, r.CIHigh} {
			b = append(b, ',')
			b = appendOptFloat(b, v)
		}
		b = append(b, '\n')
		if len(b) > 32<<10 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b)
	return err
}

// ReadSummary reads a summary.csv; empty fields read as NaN.
func ReadSummary(path string) ([]SummaryRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	return ParseSummary(f, path)
}

// ParseSummary reads summary.csv data from r; name is used in error messages.
func ParseSummary(r io.Reader, name string) ([]SummaryRow, error) {
	cr, err := newCSVReader(r, name, SummaryHeader)
	if err != nil {
		return nil, err
	}
	var rows []SummaryRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, csvErr(name, cr, err)
		}
		var s SummaryRow
		if s.Step, err = strconv.Atoi(rec[0]); err != nil {
			return nil, csvErr(name, cr, fmt.Errorf("step: %w", err))
		}
		s.Metric, s.Actor = rec[1], rec[2]
		if s.N, err = strconv.Atoi(rec[3]); err != nil {
			return nil, csvErr(name, cr, fmt.Errorf("n: %w", err))
		}
		for i, p := range [...]*float64{&s.Mean, &s.SD, &s.CILow, &s.CIHigh} {
			if *p, err = parseOptFloat(rec[4+i]); err != nil {
				return nil, csvErr(name, cr, fmt.Errorf("%s: %w", SummaryHeader[4+i], err))
			}
		}
		rows = append(rows, s)
	}
}
