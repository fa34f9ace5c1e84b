package sweep

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

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

// OutcomeRange is the range of an outcome column (e.g. "binding_share",
// "pagerank_USA_t40"): that of its metric, by the longest outcome measure
// its name starts with; the whole line for a name it does not know.
func OutcomeRange(name string) results.Range {
	best := ""
	for _, m := range append(slices.Clone(OutcomeMetrics), PatronMetrics...) {
		if (name == m || strings.HasPrefix(name, m+"_")) && len(m) > len(best) {
			best = m
		}
	}
	if best == "" {
		return results.RangeOf(name)
	}
	return results.RangeOf(best)
}

// OutcomeSummary is one line of outcomes_summary.csv.
type OutcomeSummary struct {
	Point   int
	Outcome string
	results.Welford
	CILow, CIHigh float64
}

// ReadOutcomesSummary reads a sweep's outcomes_summary.csv.
func ReadOutcomesSummary(dir string) ([]OutcomeSummary, error) {
	var out []OutcomeSummary
	err := ScanOutcomesSummary(dir, func(s *OutcomeSummary) error {
		out = append(out, *s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []OutcomeSummary{}
	}
	return out, nil
}

// ScanOutcomesSummary reads a sweep's outcomes_summary.csv row by row,
// giving each to fn (the row is fn's only during the call), without
// holding the file: a page that shows some points of a large sweep reads
// it so.
func ScanOutcomesSummary(dir string, fn func(*OutcomeSummary) error) error {
	path := filepath.Join(dir, OutcomesSummaryFile)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil && err != io.EOF {
		return fmt.Errorf("sweep: %s: %w", path, err)
	}
	if strings.Join(head, ",") != strings.Join(OutcomesSummaryHeader, ",") {
		return fmt.Errorf("sweep: %s: want the header %q", path, strings.Join(OutcomesSummaryHeader, ","))
	}
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sweep: %s: %w", path, err)
		}
		var s OutcomeSummary
		if s.Point, err = strconv.Atoi(rec[0]); err != nil {
			return fmt.Errorf("sweep: %s:%d: point: %w", path, i+2, err)
		}
		s.Outcome = rec[1]
		if s.N, err = strconv.Atoi(rec[2]); err != nil {
			return fmt.Errorf("sweep: %s:%d: n: %w", path, i+2, err)
		}
		var sd float64
		for k, p := range []*float64{&s.Mean, &sd, &s.CILow, &s.CIHigh} {
			if *p, err = parseNA(rec[3+k]); err != nil {
				return fmt.Errorf("sweep: %s:%d: %s: %w", path, i+2, OutcomesSummaryHeader[3+k], err)
			}
		}
		if s.N > 1 && !math.IsNaN(sd) {
			s.M2 = sd * sd * float64(s.N-1)
		}
		if err := fn(&s); err != nil {
			return err
		}
	}
}

// readCSV reads a whole CSV file, checking its header.
func readCSV(path string, header []string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(header, ",") {
		return nil, fmt.Errorf("sweep: %s: want the header %q", path, strings.Join(header, ","))
	}
	return recs[1:], nil
}

// ReadPoints reads a sweep's points.csv: the factor keys and, per point, its
// values.
func ReadPoints(dir string) (keys []string, points [][]float64, err error) {
	keys, err = ScanPoints(dir, func(_ int, vals []float64) error {
		points = append(points, slices.Clone(vals))
		return nil
	})
	return keys, points, err
}

// ScanPoints reads a sweep's points.csv row by row, giving fn each point's
// index and values (the slice is fn's only during the call), without
// holding the file; it returns the factor keys.
func ScanPoints(dir string, fn func(i int, vals []float64) error) (keys []string, err error) {
	path := filepath.Join(dir, PointsFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	head, err := r.Read()
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if len(head) < 2 || head[0] != "point" {
		return nil, fmt.Errorf("sweep: %s: want a header point,KEY,...", path)
	}
	keys = head[1:]
	r.ReuseRecord = true
	vals := make([]float64, len(keys))
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return keys, nil
		}
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: %w", path, err)
		}
		for k := range keys {
			if vals[k], err = strconv.ParseFloat(rec[1+k], 64); err != nil {
				return nil, fmt.Errorf("sweep: %s:%d: %s: %w", path, i+2, keys[k], err)
			}
		}
		if err := fn(i, vals); err != nil {
			return nil, err
		}
	}
}

// MaxTablePoints is the most points PrintOutcomes lists one by one; a larger
// sweep gets each outcome's lowest and highest point instead.
const MaxTablePoints = 25

// PrintOutcomes prints a finished sweep's outcome table from dir: with at
// most MaxTablePoints points, each point's varied values and the mean of
// every outcome over its replicates; with more, for each outcome the spread
// of the point means and the points where it is lowest and highest. The
// intervals are in outcomes_summary.csv.
func PrintOutcomes(w io.Writer, dir string) error {
	// the points are read twice, streamed, and the outcomes once: a sweep of
	// any size is summed up holding one float per point and outcome (not its
	// files), so the end of a large sweep stays within its memory
	n := 0
	var few [][]float64 // the points' values while there are at most MaxTablePoints
	keys, err := ScanPoints(dir, func(i int, vals []float64) error {
		n++
		if i < MaxTablePoints {
			few = append(few, slices.Clone(vals))
		}
		return nil
	})
	if err != nil {
		return err
	}
	// mean[o][i] is outcome o's mean at point i; a point without a row for
	// an outcome counts as 0, and a later row for the same point and
	// outcome replaces an earlier one
	var names []string
	var mean [][]float64
	err = ScanOutcomesSummary(dir, func(s *OutcomeSummary) error {
		o := slices.Index(names, s.Outcome)
		if o < 0 {
			o = len(names)
			names = append(names, s.Outcome)
			mean = append(mean, make([]float64, n))
		}
		if s.Point >= 0 && s.Point < n {
			mean[o][s.Point] = s.Mean
		}
		return nil
	})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	defer tw.Flush()
	if n <= MaxTablePoints {
		fmt.Fprintln(w, "mean outcome per point over its replicates (intervals in outcomes_summary.csv):")
		fmt.Fprintf(tw, "point\t%s\t%s\t\n", strings.Join(keys, "\t"), strings.Join(names, "\t"))
		for i, p := range few {
			f := []string{strconv.Itoa(i)}
			for _, v := range p {
				f = append(f, FormatValue(v))
			}
			for o := range names {
				f = append(f, fmtShort(mean[o][i]))
			}
			fmt.Fprintf(tw, "%s\t\n", strings.Join(f, "\t"))
		}
		return nil
	}
	type row struct {
		name   string
		vs     []float64 // the point means that are not NaN
		lo, hi int
	}
	rows := make([]row, len(names))
	want := map[int][]float64{} // the points named as lowest or highest, their values read below
	for o, name := range names {
		var vs []float64
		lo, hi := -1, -1
		for i, v := range mean[o] {
			if math.IsNaN(v) {
				continue
			}
			vs = append(vs, v)
			if lo < 0 || v < mean[o][lo] {
				lo = i
			}
			if hi < 0 || v > mean[o][hi] {
				hi = i
			}
		}
		mean[o] = nil // its floats are no longer needed
		rows[o] = row{name: name, vs: vs, lo: lo, hi: hi}
		if len(vs) > 0 {
			want[lo], want[hi] = nil, nil
		}
	}
	if _, err := ScanPoints(dir, func(i int, vals []float64) error {
		if _, ok := want[i]; ok {
			want[i] = slices.Clone(vals)
		}
		return nil
	}); err != nil {
		return err
	}
	fmt.Fprintf(w, "outcomes over %d points (point means over replicates; every point in outcomes_summary.csv):\n", n)
	fmt.Fprintf(tw, "outcome\tlowest\tmedian\thighest\tlowest at\thighest at\t\n")
	at := func(i int) string {
		var parts []string
		for k, key := range keys {
			v := math.NaN() // (only if points.csv changed between its two reads)
			if k < len(want[i]) {
				v = want[i][k]
			}
			parts = append(parts, key+"="+FormatValue(v))
		}
		return strings.Join(parts, " ")
	}
	for _, r := range rows {
		if len(r.vs) == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t\t\t\n", r.name)
			continue
		}
		slices.Sort(r.vs)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.name, fmtShort(r.vs[0]), fmtShort(quantile(r.vs, 0.5)), fmtShort(r.vs[len(r.vs)-1]), at(r.lo), at(r.hi))
	}
	return nil
}

func fmtShort(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// SensitivityWarnings reads the warnings of a finished sweep's sobol.csv or
// morris.csv (whichever it has), one line per distinct warning with the
// outcomes concerned; none for other designs.
func SensitivityWarnings(dir string) ([]string, error) {
	for _, f := range []struct {
		file   string
		header []string
	}{{SobolFile, SobolHeader}, {MorrisFile, MorrisHeader}} {
		recs, err := readCSV(filepath.Join(dir, f.file), f.header)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		last := len(f.header) - 1
		return summarise(len(recs), func(i int) (string, string) { return recs[i][last], recs[i][0] }), nil
	}
	return nil, nil
}
