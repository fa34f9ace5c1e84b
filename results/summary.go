package results

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"text/tabwriter"

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
// numerically stable and in O(1) memory, and the smallest and largest value
// seen. The zero value is empty.
type Welford struct {
	N    int
	Mean float64
	M2   float64 // sum of squared deviations from the mean
	// Min and Max are the extreme values added; NaN when unknown (an
	// accumulator recovered from a summary row by WelfordOf).
	Min, Max float64
}

// Add folds x in.
func (w *Welford) Add(x float64) {
	if w.N == 0 {
		w.Min, w.Max = x, x
	} else {
		w.Min, w.Max = nanMin(w.Min, x), nanMax(w.Max, x)
	}
	w.N++
	d := x - w.Mean
	w.Mean += d / float64(w.N)
	w.M2 += d * (x - w.Mean)
}

// nanMin is min that keeps NaN (unknown) sticky.
func nanMin(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return min(a, b)
}

func nanMax(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return max(a, b)
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
	w.Min, w.Max = nanMin(w.Min, o.Min), nanMax(w.Max, o.Max)
}

// WelfordOf recovers an accumulator from a summary row (M2 = sd²·(n-1)), so
// summaries of disjoint replicate sets (sweep shards) can be merged with
// Merge. The result is exact up to the rounding of sd; Min and Max are
// unknown (NaN).
func WelfordOf(r SummaryRow) Welford {
	if r.N == 0 {
		return Welford{}
	}
	w := Welford{N: r.N, Mean: r.Mean, Min: math.NaN(), Max: math.NaN()}
	if r.N > 1 && !math.IsNaN(r.SD) {
		w.M2 = r.SD * r.SD * float64(r.N-1)
	}
	return w
}

// Row returns the accumulator as a summary row with a 95% Student-t
// interval (no range: see RowWithin).
func (w *Welford) Row(step int, metric, actor string) SummaryRow {
	return w.RowWithin(step, metric, actor, Unbounded)
}

// RowWithin returns the accumulator as a summary row with a 95% interval
// that stays within r (see CIWithin).
func (w *Welford) RowWithin(step int, metric, actor string, r Range) SummaryRow {
	row := SummaryRow{Step: step, Metric: metric, Actor: actor, N: w.N, Mean: w.Mean, SD: w.SD()}
	if w.N == 0 {
		row.Mean = math.NaN()
	}
	row.CILow, row.CIHigh = w.CIWithin(Confidence, r)
	return row
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
// 0.95): mean ± t_{(1+conf)/2, n-1} sd/√n. NaN bounds when N < 2. It knows
// no range: a count's interval can go below 0. Use CIWithin for a measure
// with a range.
func (w *Welford) CI(conf float64) (lo, hi float64) {
	if w.N < 2 {
		return math.NaN(), math.NaN()
	}
	h := TQuantile((1+conf)/2, w.N-1) * w.SD() / math.Sqrt(float64(w.N))
	return w.Mean - h, w.Mean + h
}

// CIWithin is the interval of the mean at level conf that stays inside the
// range r of the measure: the Student-t interval on a variance-stabilising
// scale (the delta method), cut at the ends of r on that scale and mapped
// back:
//
//   - r = [a, b] (shares, levels): the angular scale g(u) = asin(√u) of
//     u = (x-a)/(b-a), g(u) ± t·se_u/(2√(u(1-u))), with se_u = sd/((b-a)√n),
//     cut to [0, π/2] (Bartlett 1947; the scale of proportions);
//   - r = [a, ∞) (counts, sums of non-negative terms): the square-root scale
//     of x-a, √v ± t·se/(2√v), cut at 0 (Anscombe 1948; the scale of
//     counts); likewise (-∞, b];
//   - r = (-∞, ∞): the plain Student-t interval, mean ± t·se.
//
// The interval holds the mean, is asymmetric near a bound and never crosses
// it, and, unlike the logit or log scales, stays moderate with two or three
// replicates. When every value is the same (sd = 0) it is [mean, mean]; when
// N < 2 it is NaN. Should a value lie outside r (the range is a promise of
// the metric, not checked elsewhere), it falls back to the plain interval.
func (w *Welford) CIWithin(conf float64, r Range) (lo, hi float64) {
	if w.N < 2 {
		return math.NaN(), math.NaN()
	}
	m, sd := w.Mean, w.SD()
	if r.Unbounded() || w.Min < r.Lo || w.Max > r.Hi || m < r.Lo || m > r.Hi || !finite(m) || !finite(sd) {
		return w.CI(conf)
	}
	if sd == 0 {
		return m, m
	}
	t := TQuantile((1+conf)/2, w.N-1)
	se := sd / math.Sqrt(float64(w.N))
	switch {
	case !math.IsInf(r.Lo, 0) && !math.IsInf(r.Hi, 0):
		width := r.Hi - r.Lo
		u := (m - r.Lo) / width
		if u <= 0 || u >= 1 { // the mean is at a bound yet sd > 0: only by rounding
			return max(r.Lo, m-t*se), min(r.Hi, m+t*se)
		}
		h := t * (se / width) / (2 * math.Sqrt(u*(1-u)))
		g := math.Asin(math.Sqrt(u))
		back := func(x float64) float64 {
			x = min(max(x, 0), math.Pi/2)
			s := math.Sin(x)
			return r.Lo + width*s*s
		}
		return min(back(g-h), m), max(back(g+h), m)
	case !math.IsInf(r.Lo, 0):
		v := m - r.Lo
		if v <= 0 {
			return r.Lo, m + t*se
		}
		s := math.Sqrt(v)
		h := t * se / (2 * s)
		l := max(s-h, 0)
		return min(r.Lo+l*l, m), max(r.Lo+(s+h)*(s+h), m)
	default:
		v := r.Hi - m
		if v <= 0 {
			return m - t*se, r.Hi
		}
		s := math.Sqrt(v)
		h := t * se / (2 * s)
		l := max(s-h, 0)
		return min(r.Hi-(s+h)*(s+h), m), max(r.Hi-l*l, m)
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// TQuantile is the p quantile of Student's t distribution with df degrees of
// freedom. Values are cached (a summary asks for the same few thousands of
// times), so a call costs a map look-up after the first.
func TQuantile(p float64, df int) float64 {
	k := tKey{p, df}
	tCache.RLock()
	q, ok := tCache.m[k]
	tCache.RUnlock()
	if ok {
		return q
	}
	q = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
	tCache.Lock()
	if tCache.m == nil {
		tCache.m = map[tKey]float64{}
	}
	if len(tCache.m) < 1<<16 {
		tCache.m[k] = q
	}
	tCache.Unlock()
	return q
}

type tKey struct {
	p  float64
	df int
}

var tCache struct {
	sync.RWMutex
	m map[tKey]float64
}

// Summarizer folds rows into one Welford accumulator per (step, metric,
// actor): memory is O(steps × series) whatever the number of replicates.
// NaN values are skipped (they count in no n); a (step, metric, actor)
// without a value has no row. Rows of the result are sorted
// by step, then metric in order of first appearance, then actor in order of
// first appearance. Feeding the same rows in the same order gives the same
// bits. Each row's interval stays within its metric's range (RangeOf,
// Welford.CIWithin).
type Summarizer struct {
	series  map[seriesKey]int
	keys    []seriesKey
	ranges  []Range     // per series
	accs    [][]Welford // per series, indexed by step
	metrics map[string]int
	actors  map[string]int
	rangeOf func(metric string) Range
}

type seriesKey struct{ metric, actor string }

// NewSummarizer returns an empty Summarizer whose intervals respect each
// metric's range (RangeOf).
func NewSummarizer() *Summarizer { return NewSummarizerWith(RangeOf) }

// NewDifferenceSummarizer returns an empty Summarizer for paired differences
// of metric values (branch minus first branch): a difference of a metric of
// range r has range r.Difference().
func NewDifferenceSummarizer() *Summarizer {
	return NewSummarizerWith(func(m string) Range { return RangeOf(m).Difference() })
}

// NewSummarizerWith returns an empty Summarizer that takes each metric's
// range from rangeOf (nil: Unbounded, plain Student-t intervals).
func NewSummarizerWith(rangeOf func(metric string) Range) *Summarizer {
	if rangeOf == nil {
		rangeOf = func(string) Range { return Unbounded }
	}
	return &Summarizer{series: map[seriesKey]int{}, metrics: map[string]int{}, actors: map[string]int{}, rangeOf: rangeOf}
}

// Add folds in one value.
func (s *Summarizer) Add(step int, metric, actor string, v float64) {
	k := seriesKey{metric, actor}
	id, ok := s.series[k]
	if !ok {
		id = len(s.keys)
		s.series[k] = id
		s.keys = append(s.keys, k)
		s.ranges = append(s.ranges, s.rangeOf(metric))
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
	maxStep, n := 0, 0
	for _, a := range s.accs {
		maxStep = max(maxStep, len(a))
		for k := range a {
			if a[k].N > 0 {
				n++
			}
		}
	}
	if n == 0 {
		return nil
	}
	rows := make([]SummaryRow, 0, n)
	for step := 0; step < maxStep; step++ {
		for _, id := range ids {
			a := s.accs[id]
			if step >= len(a) || a[step].N == 0 {
				continue
			}
			k := s.keys[id]
			rows = append(rows, a[step].RowWithin(step, k.metric, k.actor, s.ranges[id]))
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

// PrintSummary writes a text table of the network-level metrics of a
// summary, one line per metric: its mean at the first step, the step where
// its mean was highest and where lowest, the step of its largest change
// between two recorded steps, and its mean with the 95% interval at the
// last step, so that a measure that rises and falls does not read "0 → 0".
func PrintSummary(w io.Writer, rows []SummaryRow) error {
	type track struct {
		first, last         SummaryRow
		hi, lo              SummaryRow
		prev                SummaryRow
		change              float64
		changeFrom, change2 int
		seen                bool
	}
	var order []string
	tracks := map[string]*track{}
	for _, r := range rows {
		if r.Actor != "" || math.IsNaN(r.Mean) {
			continue
		}
		t, ok := tracks[r.Metric]
		if !ok {
			t = &track{first: r, hi: r, lo: r, prev: r, changeFrom: -1}
			tracks[r.Metric] = t
			order = append(order, r.Metric)
		}
		if r.Mean > t.hi.Mean {
			t.hi = r
		}
		if r.Mean < t.lo.Mean {
			t.lo = r
		}
		if d := r.Mean - t.prev.Mean; t.seen && math.Abs(d) > math.Abs(t.change) {
			t.change, t.changeFrom, t.change2 = d, t.prev.Step, r.Step
		}
		t.seen = true
		t.prev, t.last = r, r
	}
	if len(order) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "metric\tfirst\thighest (step)\tlowest (step)\tlargest change\tlast mean\t95%% interval\n")
	for _, m := range order {
		t := tracks[m]
		ci := "-"
		if !math.IsNaN(t.last.CILow) {
			ci = fmt.Sprintf("[%.4g, %.4g]", t.last.CILow, t.last.CIHigh)
		}
		change := "none"
		if t.changeFrom >= 0 && t.change != 0 {
			change = fmt.Sprintf("%+.3g, step %d to %d", t.change, t.changeFrom, t.change2)
		}
		fmt.Fprintf(tw, "%s\t%.4g (step %d)\t%.4g (%d)\t%.4g (%d)\t%s\t%.4g (step %d)\t%s\n",
			m, t.first.Mean, t.first.Step, t.hi.Mean, t.hi.Step, t.lo.Mean, t.lo.Step, change, t.last.Mean, t.last.Step, ci)
	}
	return tw.Flush()
}
