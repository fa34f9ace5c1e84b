// Package report writes report.html, one self-contained page per result
// set, sweep or branching run: what was run (scenario, file, hash,
// overrides, seed, replicates, steps, version), then for a result set each
// metric over time with its 95% interval, the network at the snapshot steps,
// and the key events in plain words with how many replicates saw them; for
// a sweep its outcome table, heat maps, response curves and the Morris (mu*,
// sigma) or Sobol plots with their intervals and warnings; for a branching
// run the paired differences of each branch from the first.
//
// The page is offline: every picture is inline SVG, it loads no script,
// style sheet, font or image from anywhere, and it holds no time stamp, so
// it is a pure function of the folder's other files. [Write] is the entry
// point (`entente sweep`, `entente merge` and a branching `entente run`
// call it at the end); a result set's `entente run` calls [WriteTallied]
// with the [EventTally] of key events it gathered as the set wrote
// events.csv (results.Options.Tally), which gives the same page without
// reading that file back.
package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/sim/sweep"
)

// File is the report's name inside the folder.
const File = results.ReportFile

// MaxNetworks is the most snapshot steps the page draws (evenly spaced,
// the first and last always).
const MaxNetworks = 6

// MaxEvents is the most key events the page lists.
const MaxEvents = 30

// Write writes dir/report.html for the result set, sweep or branching run
// in dir (recognised by its manifest.json, sweep.json or branches.json) and
// returns its path.
func Write(dir string) (string, error) { return WriteTallied(dir, nil) }

// WriteTallied is Write with a result set's key events taken from events,
// a tally of every event of its events.csv (made as the run wrote the file:
// results.Options.Tally), instead of from reading the file again; nil reads
// it. The page is the same either way.
func WriteTallied(dir string, events *EventTally) (string, error) {
	return WriteKept(dir, events, nil)
}

// Networks keeps the first replicate's snapshots as a set writes them
// (results.Options.Keep), so that its page draws them without reading
// their GraphML back (10 ms of CPU for a 230-actor snapshot: results'
// BenchmarkSnapshotXML). It keeps at most maxKept; the page reads
// any other it draws from its file. Not safe for concurrent use: a set
// calls Keep with its lock held.
type Networks struct{ by map[int]*results.Snapshot }

// maxKept bounds what a Networks holds, and so the memory a run keeps for
// its page (a snapshot of the baseline's 82 actors as filed holds about
// 0.1 MB): a run with more snapshots keeps its first ones, and the page,
// which draws MaxNetworks spread over all, reads the others from their
// files.
const maxKept = 8

// NewNetworks returns an empty Networks.
func NewNetworks() *Networks { return &Networks{by: map[int]*results.Snapshot{}} }

// Keep keeps replicate 0's snapshot (others' are not drawn) as its
// GraphML file has it (results.AsFiled), which is what the page draws.
func (n *Networks) Keep(replicate int, snap *results.Snapshot) {
	if replicate != 0 || len(n.by) >= maxKept {
		return
	}
	if f, ok := results.AsFiled(snap); ok {
		n.by[snap.Step] = &f
	}
}

// Len is how many snapshots n holds.
func (n *Networks) Len() int { return len(n.by) }

// at is the kept snapshot of step s, if any (nil n: none).
func (n *Networks) at(s int) (*results.Snapshot, bool) {
	if n == nil {
		return nil, false
	}
	snap, ok := n.by[s]
	return snap, ok
}

// WriteKept is WriteTallied drawing the networks nets kept (nil: none)
// instead of reading their snapshots' GraphML.
func WriteKept(dir string, events *EventTally, nets *Networks) (string, error) {
	var p *page
	var err error
	switch {
	case exists(filepath.Join(dir, sweep.ManifestFile)):
		p, err = sweepPage(dir)
	case exists(filepath.Join(dir, sweep.BranchesFile)):
		p, err = branchPage(dir)
	case exists(filepath.Join(dir, results.ManifestFile)):
		p, err = setPage(dir, events, nets)
	default:
		return "", fmt.Errorf("report: %s holds no result set (manifest.json), sweep (sweep.json) or branching run (branches.json)", dir)
	}
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, File)
	if err := results.WriteFileAtomic(path, func(w io.Writer) error { return pageTemplate.Execute(w, p) }); err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	if err := listReport(dir); err != nil {
		return path, err
	}
	return path, nil
}

// listReport adds report.html to the files the folder's manifest lists
// (manifest.json or sweep.json), so that whatever replaces the folder's
// contents knows it.
func listReport(dir string) error {
	for _, name := range []string{sweep.ManifestFile, results.ManifestFile} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
		var files []string
		if f, ok := raw["files"]; ok {
			if err := json.Unmarshal(f, &files); err != nil {
				return fmt.Errorf("report: %s: files: %w", path, err)
			}
		}
		if slices.Contains(files, File) {
			return nil
		}
		files = append(files, File)
		slices.Sort(files)
		if name == results.ManifestFile {
			m, err := results.ReadManifest(bytes.NewReader(b))
			if err != nil {
				return err
			}
			m.Files = files
			out, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				return err
			}
			return results.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(append(out, '\n')); return err })
		}
		var m sweep.Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
		m.Files = files
		out, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		return results.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(append(out, '\n')); return err })
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// page is what the template shows.
type page struct {
	Title    string
	Kind     string // "result set", "sweep", "branching run"
	Facts    [][2]string
	Notes    []string
	Warnings []string
	Sections []section
}

type section struct {
	Title string
	Intro string
	Table *table
	Figs  []figure
	Items []string
}

type table struct {
	Head []string
	Rows [][]string
	Num  []bool // right-aligned columns
}

type figure struct {
	SVG     template.HTML
	Caption string
	Wide    bool // a network: the whole width
}

func svgOf(fn func(io.Writer) error) (template.HTML, error) {
	var b bytes.Buffer
	if err := fn(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:] // drop an XML prologue or comment before the element
	}
	return template.HTML(s), nil //nolint: our own SVG, every text escaped
}

func short(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func interval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "–"
	}
	return "[" + short(lo) + ", " + short(hi) + "]"
}

// runFacts are the lines of "what was run" from a result set's manifest.
func runFacts(m results.Manifest) [][2]string {
	over := "none"
	if len(m.Overrides) > 0 {
		over = strings.Join(m.Overrides, "; ")
	}
	version := m.Tool + " " + m.Version
	if m.Commit != "" {
		version += " (commit " + m.Commit
		if m.Dirty {
			version += ", with uncommitted changes"
		}
		version += ")"
	}
	done := fmt.Sprintf("%d of %d", m.RunsDone, m.Replicates)
	if !m.Complete {
		done += " (incomplete: the run was cut short)"
	}
	return [][2]string{
		{"scenario", m.Scenario}, {"scenario file", m.ScenarioFile}, {"scenario hash", m.ScenarioHash},
		{"overrides", over}, {"seed", strconv.FormatUint(m.Seed, 10)}, {"replicates", done},
		{"steps", strconv.Itoa(m.Steps)}, {"metrics", orDefault(strings.Join(m.Metrics, ", "), "the scenario's (see summary.csv)")},
		{"followed actors", strings.Join(m.Actors, ", ")}, {"version", version},
	}
}

func readManifest(dir string) (results.Manifest, error) {
	f, err := os.Open(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		return results.Manifest{}, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	return results.ReadManifest(f)
}

// setPage is the report of a result set; events, when not nil, tallies
// its events.csv.
func setPage(dir string, events *EventTally, nets *Networks) (*page, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	p := &page{Title: m.Scenario, Kind: "result set", Facts: runFacts(m)}
	secs, notes, err := setSections(dir, m, events, nets)
	if err != nil {
		return nil, err
	}
	p.Sections, p.Notes = secs, notes
	return p, nil
}

// setSections are the sections of a result set's page: the summary table,
// the metrics over time, the networks and the key events (from events,
// or events.csv when nil).
func setSections(dir string, m results.Manifest, events *EventTally, kept *Networks) ([]section, []string, error) {
	// the networks are read and drawn while the rest is made: a run's page
	// is made once its workers are done, when the cores are free
	var nets []figure
	var netErr error
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { nets, netErr = networkFigures(dir, m.Actors, kept) })
	var notes []string
	rows, err := results.ReadSummary(filepath.Join(dir, results.SummaryFile))
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	var secs []section
	var tb bytes.Buffer
	_ = results.PrintSummary(&tb, rows)
	secs = append(secs, section{Title: "Network-level metrics", Intro: "Mean over replicates at the first and last step, where it was highest and lowest, and its largest change between two recorded steps; the interval is the 95% interval of the mean at the last step (never outside the metric's range: see `entente list metrics`).",
		Table: summaryTable(rows)})
	var figs []figure
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Metric] {
			continue
		}
		seen[r.Metric] = true
		if charts.AllZero(rows, r.Metric) {
			continue
		}
		svg, err := svgOf(func(w io.Writer) error { return charts.SeriesSVG(w, rows, r.Metric) })
		if err != nil {
			return nil, nil, err
		}
		rng := results.RangeOf(r.Metric)
		figs = append(figs, figure{SVG: svg, Caption: fmt.Sprintf("%s: range %s, interval %s.", r.Metric, rng, rng.Method())})
	}
	intro := "Each metric's mean over replicates with its 95% interval."
	if z := charts.ZeroMetrics(rows); len(z) > 0 {
		intro += " Zero at every step, so not drawn: " + strings.Join(z, ", ") + "."
	}
	secs = append(secs, section{Title: "Metrics over time", Intro: intro, Figs: figs})
	// networks
	wg.Wait()
	if netErr != nil {
		return nil, nil, netErr
	}
	if len(nets) > 0 {
		secs = append(secs, section{Title: "The network", Intro: "Replicate 0 at its snapshot steps (snapshots/*.graphml, .gexf): laid out by region, groups as hulls, followed actors in bold. Hover over a node, tie or hull for its name.", Figs: nets})
	}
	// events
	if events == nil {
		if events, err = ReadEventTally(filepath.Join(dir, results.EventsFile)); err != nil {
			return nil, nil, err
		}
	}
	if events != nil {
		secs = append(secs, events.section(m.RunsDone))
	} else {
		notes = append(notes, "No events.csv: the run did not record events.")
	}
	return secs, notes, nil
}

func summaryTable(rows []results.SummaryRow) *table {
	t := &table{Head: []string{"metric", "first", "highest (step)", "lowest (step)", "largest change", "last", "95% interval"},
		Num: []bool{false, true, true, true, true, true, true}}
	type acc struct {
		first, last, hi, lo, prev results.SummaryRow
		d                         float64
		from, to                  int
		n                         int
	}
	var order []string
	by := map[string]*acc{}
	for _, r := range rows {
		if r.Actor != "" || math.IsNaN(r.Mean) {
			continue
		}
		a, ok := by[r.Metric]
		if !ok {
			a = &acc{first: r, hi: r, lo: r, prev: r, from: -1}
			by[r.Metric] = a
			order = append(order, r.Metric)
		}
		if r.Mean > a.hi.Mean {
			a.hi = r
		}
		if r.Mean < a.lo.Mean {
			a.lo = r
		}
		if d := r.Mean - a.prev.Mean; a.n > 0 && math.Abs(d) > math.Abs(a.d) {
			a.d, a.from, a.to = d, a.prev.Step, r.Step
		}
		a.n++
		a.prev, a.last = r, r
	}
	for _, name := range order {
		a := by[name]
		ch := "none"
		if a.from >= 0 && a.d != 0 {
			ch = fmt.Sprintf("%+.3g (step %d to %d)", a.d, a.from, a.to)
		}
		t.Rows = append(t.Rows, []string{name, short(a.first.Mean), fmt.Sprintf("%s (%d)", short(a.hi.Mean), a.hi.Step),
			fmt.Sprintf("%s (%d)", short(a.lo.Mean), a.lo.Step), ch, short(a.last.Mean) + fmt.Sprintf(" (step %d)", a.last.Step), interval(a.last.CILow, a.last.CIHigh)})
	}
	return t
}

var snapName = regexp.MustCompile(`^rep(\d+)_step(\d+)\.graphml$`)

// networkFigures draws replicate 0's snapshots (at most MaxNetworks steps).
func networkFigures(dir string, focus []string, kept *Networks) ([]figure, error) {
	ents, err := os.ReadDir(filepath.Join(dir, results.SnapshotDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var steps []int
	for _, e := range ents {
		if m := snapName.FindStringSubmatch(e.Name()); m != nil && m[1] == "0" {
			s, _ := strconv.Atoi(m[2])
			steps = append(steps, s)
		}
	}
	slices.Sort(steps)
	if len(steps) > MaxNetworks {
		var pick []int
		for k := range MaxNetworks {
			pick = append(pick, steps[k*(len(steps)-1)/(MaxNetworks-1)])
		}
		steps = slices.Compact(pick)
	}
	// each read and drawn in a goroutine of its own (GraphML is slow to
	// parse), the first error in step order returned
	figs, errs := make([]figure, len(steps)), make([]error, len(steps))
	var wg sync.WaitGroup
	for i, s := range steps {
		wg.Go(func() { figs[i], errs[i] = networkFigure(dir, s, focus, kept) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return figs, nil
}

// networkFigure draws replicate 0's snapshot at step s: the one kept, or
// the one its GraphML holds.
func networkFigure(dir string, s int, focus []string, kept *Networks) (figure, error) {
	snap, ok := kept.at(s)
	if !ok {
		path := filepath.Join(dir, results.SnapshotDir, fmt.Sprintf("rep0_step%d.graphml", s))
		f, err := os.Open(path)
		if err != nil {
			return figure{}, fmt.Errorf("report: %w", err)
		}
		read, err := results.ReadGraphML(f)
		f.Close()
		if err != nil {
			return figure{}, fmt.Errorf("report: %s: %w", path, err)
		}
		snap = &read
	}
	svg, err := svgOf(func(w io.Writer) error { return charts.NetworkSVG(w, snap, charts.NetworkOptions{Focus: focus}) })
	if err != nil {
		return figure{}, err
	}
	return figure{SVG: svg, Caption: fmt.Sprintf("Step %d (snapshots/rep0_step%d.graphml).", s, s), Wide: true}, nil
}

// sweepPage is the report of a sweep.
func sweepPage(dir string) (*page, error) {
	b, err := os.ReadFile(filepath.Join(dir, sweep.ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var m sweep.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, sweep.ManifestFile), err)
	}
	var factors []string
	for _, f := range m.Factors {
		factors = append(factors, f.String())
	}
	over := "none"
	if len(m.Overrides) > 0 {
		over = strings.Join(m.Overrides, "; ")
	}
	steps := "the scenario's"
	if m.Steps > 0 {
		steps = strconv.Itoa(m.Steps)
	}
	p := &page{Title: m.Scenario + " sweep", Kind: "sweep", Facts: [][2]string{
		{"scenario", m.Scenario}, {"scenario file", m.ScenarioFile}, {"scenario hash", m.ScenarioHash}, {"base overrides", over},
		{"design", m.Design}, {"varied", strings.Join(factors, "; ")}, {"points", strconv.Itoa(m.Points)},
		{"replicates per point", strconv.Itoa(m.Replicates)}, {"steps", steps}, {"seed", strconv.FormatUint(m.Seed, 10)},
		{"version", m.Tool + " " + m.Version},
	}}
	if !m.Complete {
		p.Notes = append(p.Notes, fmt.Sprintf("Incomplete: %d of %d points done; finish with --resume.", m.PointsDone, m.Points))
		return p, nil
	}
	warns, err := sweep.SensitivityWarnings(dir)
	if err != nil {
		return nil, err
	}
	p.Warnings = warns
	tab, err := outcomeTable(dir)
	if err != nil {
		return nil, err
	}
	p.Sections = append(p.Sections, section{Title: "Outcomes", Intro: "Mean of each outcome over a point's replicates (the 95% intervals are in outcomes_summary.csv; every row of every replicate in outcomes.csv, every time series in timeseries.csv).", Table: tab})
	switch m.Design {
	case sweep.Morris:
		sec, err := morrisSection(dir, m.Outcomes)
		if err != nil {
			return nil, err
		}
		p.Sections = append(p.Sections, sec)
	case sweep.Sobol:
		sec, err := sobolSection(dir, m.Outcomes)
		if err != nil {
			return nil, err
		}
		p.Sections = append(p.Sections, sec)
	}
	heat, resp, err := chartFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(heat) > 0 {
		p.Sections = append(p.Sections, section{Title: "Heat maps", Intro: "Mean of each outcome over the first two varied keys (a phase diagram).", Figs: heat})
	}
	if len(resp) > 0 {
		p.Sections = append(p.Sections, section{Title: "Response curves", Intro: "Mean of each outcome against each varied key, the other keys pooled, with its 95% interval.", Figs: resp})
	}
	if len(heat)+len(resp) == 0 {
		p.Notes = append(p.Notes, "No charts/: the sweep ran with --charts=false.")
	}
	return p, nil
}

func outcomeTable(dir string) (*table, error) {
	keys, points, err := sweep.ReadPoints(dir)
	if err != nil {
		return nil, err
	}
	// the means of the points the table shows, the file read row by row
	// (a large sweep's summary is not held)
	const maxRows = 200
	var names []string
	type pointOutcome struct {
		point   int
		outcome string
	}
	mean := map[pointOutcome]float64{}
	err = sweep.ScanOutcomesSummary(dir, func(s *sweep.OutcomeSummary) error {
		if !slices.Contains(names, s.Outcome) {
			names = append(names, s.Outcome)
		}
		if s.Point < maxRows {
			mean[pointOutcome{s.Point, s.Outcome}] = s.Mean
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t := &table{Head: append(append([]string{"point"}, keys...), names...)}
	for range t.Head {
		t.Num = append(t.Num, true)
	}
	for i, pv := range points {
		if i == maxRows {
			t.Rows = append(t.Rows, []string{fmt.Sprintf("… %d more points in outcomes_summary.csv", len(points)-maxRows)})
			break
		}
		row := []string{strconv.Itoa(i)}
		for _, v := range pv {
			row = append(row, strconv.FormatFloat(v, 'g', 4, 64))
		}
		for _, n := range names {
			row = append(row, short(mean[pointOutcome{i, n}]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	return csvAll(f, path)
}

func num(s string) float64 {
	if s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

func morrisSection(dir string, outcomes []string) (section, error) {
	recs, err := readCSV(filepath.Join(dir, sweep.MorrisFile))
	if err != nil {
		return section{}, err
	}
	var es []sweep.MorrisEffect
	for _, r := range recs[1:] {
		if len(r) < len(sweep.MorrisHeader) {
			continue
		}
		n, _ := strconv.Atoi(r[2])
		es = append(es, sweep.MorrisEffect{Outcome: r[0], Key: r[1], R: n, Mu: num(r[3]), MuStar: num(r[4]), Sigma: num(r[5]),
			MuStarLow: num(r[6]), MuStarHi: num(r[7]), SigmaLow: num(r[8]), SigmaHi: num(r[9]), NoiseFloor: num(r[10]), Warning: r[11]})
	}
	sec := section{Title: "Morris screening", Intro: "Each varied key's mu* (mean absolute elementary effect: importance) against sigma (their spread: non-linearity or interactions), with 95% bootstrap intervals (morris.csv). Effects are per unit of each key's whole range."}
	for _, o := range outcomes {
		svg, err := svgOf(func(w io.Writer) error { return charts.MorrisSVG(w, es, o) })
		if err != nil {
			return section{}, err
		}
		sec.Figs = append(sec.Figs, figure{SVG: svg, Caption: o})
	}
	return sec, nil
}

func sobolSection(dir string, outcomes []string) (section, error) {
	recs, err := readCSV(filepath.Join(dir, sweep.SobolFile))
	if err != nil {
		return section{}, err
	}
	var idx []sweep.SobolIndex
	for _, r := range recs[1:] {
		if len(r) < len(sweep.SobolHeader) {
			continue
		}
		n, _ := strconv.Atoi(r[2])
		idx = append(idx, sweep.SobolIndex{Outcome: r[0], Key: r[1], N: n, S1: num(r[3]), S1Low: num(r[4]), S1Hi: num(r[5]),
			ST: num(r[6]), STLow: num(r[7]), STHi: num(r[8]), Noise: num(r[9]), Warning: r[10]})
	}
	sec := section{Title: "Sobol indices", Intro: "First-order (S1) and total (ST) indices of each varied key with 95% bootstrap intervals (sobol.csv); the warnings above say where the sample is too small or too noisy for them."}
	for _, o := range outcomes {
		svg, err := svgOf(func(w io.Writer) error { return charts.SobolSVG(w, idx, o) })
		if err != nil {
			return section{}, err
		}
		sec.Figs = append(sec.Figs, figure{SVG: svg, Caption: o})
	}
	return sec, nil
}

// chartFiles inlines the sweep's SVG charts from charts/.
func chartFiles(dir string) (heat, resp []figure, err error) {
	ents, err := os.ReadDir(filepath.Join(dir, sweep.ChartDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".svg") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, sweep.ChartDir, name))
		if err != nil {
			return nil, nil, fmt.Errorf("report: %w", err)
		}
		svg, err := svgOf(func(w io.Writer) error { _, err := w.Write(b); return err })
		if err != nil {
			return nil, nil, err
		}
		fig := figure{SVG: cleanSVG(svg), Caption: "charts/" + name}
		if strings.HasPrefix(name, "heatmap_") {
			heat = append(heat, fig)
		} else {
			resp = append(resp, fig)
		}
	}
	return heat, resp, nil
}

// cleanSVG drops what a standalone SVG file may carry that HTML does not
// want inline: scripts and external references (gonum's SVGs have none,
// but the page must stay offline whatever the folder holds).
func cleanSVG(s template.HTML) template.HTML {
	x := string(s)
	x = regexp.MustCompile(`(?is)<script.*?</script>`).ReplaceAllString(x, "")
	x = regexp.MustCompile(`(?i)\s(xlink:)?href="(https?:)?//[^"]*"`).ReplaceAllString(x, "")
	x = regexp.MustCompile(`(?i)\son\w+="[^"]*"`).ReplaceAllString(x, "")
	return template.HTML(x)
}

// branchPage is the report of a branching run.
func branchPage(dir string) (*page, error) {
	b, err := os.ReadFile(filepath.Join(dir, sweep.BranchesFile))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var info struct {
		Tool, Version, Commit, Scenario, Key string
		File                                 string   `json:"scenario_file"`
		Hash                                 string   `json:"scenario_hash"`
		Overrides                            []string `json:"overrides"`
		Values                               []string `json:"values"`
		BranchAt                             int      `json:"branch_at"`
		Seed                                 uint64   `json:"seed"`
		Replicates                           int      `json:"replicates"`
		Steps                                int      `json:"steps"`
		RunsDone                             int      `json:"runs_done"`
		Complete                             bool     `json:"complete"`
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, sweep.BranchesFile), err)
	}
	over := "none"
	if len(info.Overrides) > 0 {
		over = strings.Join(info.Overrides, "; ")
	}
	var branches []string
	for i, v := range info.Values {
		branches = append(branches, fmt.Sprintf("b%d: %s=%s", i, info.Key, v))
	}
	p := &page{Title: info.Scenario + " branches", Kind: "branching run", Facts: [][2]string{
		{"scenario", info.Scenario}, {"scenario file", info.File}, {"scenario hash", info.Hash}, {"overrides", over},
		{"branches", strings.Join(branches, "; ")}, {"branch at step", strconv.Itoa(info.BranchAt)},
		{"seed", strconv.FormatUint(info.Seed, 10)}, {"replicates", fmt.Sprintf("%d of %d", info.RunsDone, info.Replicates)},
		{"steps", strconv.Itoa(info.Steps)}, {"version", info.Tool + " " + info.Version},
	}}
	recs, err := readCSV(filepath.Join(dir, sweep.DifferencesFile))
	if err != nil {
		return nil, err
	}
	by := map[string][]charts.Difference{}
	var metrics []string
	last := map[string][]string{}
	for _, r := range recs[1:] {
		if len(r) < len(sweep.DifferencesHeader) || r[5] != "" {
			continue
		}
		step, _ := strconv.Atoi(r[3])
		name := "b" + r[0] + " (" + r[2] + ")"
		if _, ok := by[r[4]]; !ok {
			metrics = append(metrics, r[4])
		}
		by[r[4]] = append(by[r[4]], charts.Difference{Branch: name, Step: step, Mean: num(r[7]), Low: num(r[9]), High: num(r[10])})
		if step == info.Steps {
			last[r[4]] = append(last[r[4]], name+": "+short(num(r[7]))+" "+interval(num(r[9]), num(r[10])))
		}
	}
	tab := &table{Head: []string{"metric", fmt.Sprintf("difference from b0 at step %d [95%% interval]", info.Steps)}}
	sec := section{Title: "Paired differences", Intro: "Each branch minus the first, replicate by replicate (they share history up to the branch step and random numbers after it), with the 95% interval of the mean difference (differences.csv)."}
	for _, mname := range metrics {
		tab.Rows = append(tab.Rows, []string{mname, strings.Join(last[mname], "; ")})
		allZero := true
		for _, d := range by[mname] {
			if d.Mean != 0 || (!math.IsNaN(d.Low) && d.Low != 0) || (!math.IsNaN(d.High) && d.High != 0) {
				allZero = false
			}
		}
		if allZero {
			continue
		}
		svg, err := svgOf(func(w io.Writer) error { return charts.DifferencesSVG(w, mname, by[mname]) })
		if err != nil {
			return nil, err
		}
		sec.Figs = append(sec.Figs, figure{SVG: svg, Caption: mname})
	}
	p.Sections = append(p.Sections, section{Title: "At the last step", Table: tab}, sec)
	return p, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
