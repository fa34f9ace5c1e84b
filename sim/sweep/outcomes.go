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
	path := filepath.Join(dir, PointsFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if len(recs) == 0 || len(recs[0]) < 2 || recs[0][0] != "point" {
		return nil, nil, fmt.Errorf("sweep: %s: want a header point,KEY,...", path)
	}
	keys = recs[0][1:]
	for i, r := range recs[1:] {
		vals := make([]float64, len(keys))
		for k := range keys {
			if vals[k], err = strconv.ParseFloat(r[1+k], 64); err != nil {
				return nil, nil, fmt.Errorf("sweep: %s:%d: %s: %w", path, i+2, keys[k], err)
			}
		}
		points = append(points, vals)
	}
	return keys, points, nil
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
	keys, points, err := ReadPoints(dir)
	if err != nil {
		return err
	}
	sum, err := ReadOutcomesSummary(dir)
	if err != nil {
		return err
	}
	var names []string
	mean := map[[2]any]float64{}
	for _, s := range sum {
		if !slices.Contains(names, s.Outcome) {
			names = append(names, s.Outcome)
		}
		mean[[2]any{s.Point, s.Outcome}] = s.Mean
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	defer tw.Flush()
	if len(points) <= MaxTablePoints {
		fmt.Fprintln(w, "mean outcome per point over its replicates (intervals in outcomes_summary.csv):")
		fmt.Fprintf(tw, "point\t%s\t%s\t\n", strings.Join(keys, "\t"), strings.Join(names, "\t"))
		for i, p := range points {
			f := []string{strconv.Itoa(i)}
			for _, v := range p {
				f = append(f, FormatValue(v))
			}
			for _, n := range names {
				f = append(f, fmtShort(mean[[2]any{i, n}]))
			}
			fmt.Fprintf(tw, "%s\t\n", strings.Join(f, "\t"))
		}
		return nil
	}
	fmt.Fprintf(w, "outcomes over %d points (point means over replicates; every point in outcomes_summary.csv):\n", len(points))
	fmt.Fprintf(tw, "outcome\tlowest\tmedian\thighest\tlowest at\thighest at\t\n")
	for _, n := range names {
		var vs []float64
		lo, hi := -1, -1
		for i := range points {
			v := mean[[2]any{i, n}]
			if math.IsNaN(v) {
				continue
			}
			vs = append(vs, v)
			if lo < 0 || v < mean[[2]any{lo, n}] {
				lo = i
			}
			if hi < 0 || v > mean[[2]any{hi, n}] {
				hi = i
			}
		}
		if len(vs) == 0 {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t\t\t\n", n)
			continue
		}
		slices.Sort(vs)
		at := func(i int) string {
			var parts []string
			for k, key := range keys {
				parts = append(parts, key+"="+FormatValue(points[i][k]))
			}
			return strings.Join(parts, " ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", n, fmtShort(vs[0]), fmtShort(quantile(vs, 0.5)), fmtShort(vs[len(vs)-1]), at(lo), at(hi))
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
