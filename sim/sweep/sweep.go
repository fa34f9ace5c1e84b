package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/runner"
)

// Files at the top of a sweep folder, and inside each point's folder.
const (
	ManifestFile        = "sweep.json"
	PointsFile          = "points.csv"
	OutcomesFile        = "outcomes.csv"
	OutcomesSummaryFile = "outcomes_summary.csv"
	MorrisFile          = "morris.csv"
	SobolFile           = "sobol.csv"
	PointsDir           = "points"
	ChartDir            = "charts"
)

// Config is a sweep: a scenario, the factors varied and how, and where the
// results go.
type Config struct {
	Scenario   string   // built-in name or file, as scenarios.Load takes it
	Overrides  []string // base overrides ("KEY=VALUE"), applied before each point's
	Factors    []Factor
	Design     string // Grid (default), LHS or Morris
	Points     int    // lhs: sample size; morris: trajectories
	Levels     int    // morris: levels (0: DefaultLevels)
	Replicates int
	Steps      int // 0: the scenario's steps
	Seed       uint64
	Workers    int    // <= 0: GOMAXPROCS; does not change the output
	Out        string // the sweep folder
	// OutcomeSteps are the steps outcomes.csv reports (nil: the last step).
	OutcomeSteps []int
	// Metrics recorded in each point's timeseries.csv besides the outcome
	// measures (nil: the scenario's outputs, or the default set).
	Metrics []string
	// Resume continues a sweep in Out, running only the points missing;
	// Force replaces the result set in Out. Without either, a folder that
	// holds a result set is refused.
	Resume, Force bool
	// Shard and Shards select the points with index % Shards == Shard
	// (Shards <= 1: every point). A shard writes its points and sweep.json;
	// Merge assembles the top-level files.
	Shard, Shards int
	// Charts, when set, draws the sweep's charts at the end (unsharded).
	Charts ChartFunc
	// Progress, when set, is called after each replicate of any point.
	Progress func(done, total int)
}

// Manifest is sweep.json. It holds no times and no worker counts, so it is
// byte-identical between an uninterrupted, a resumed and a merged sweep.
type Manifest struct {
	Tool         string   `json:"tool"`
	Version      string   `json:"version"`
	Scenario     string   `json:"scenario"`
	ScenarioFile string   `json:"scenario_file"`
	ScenarioHash string   `json:"scenario_hash"` // of the base scenario with Overrides
	Overrides    []string `json:"overrides"`
	Factors      []Factor `json:"factors"`
	Design       string   `json:"design"`
	Samples      int      `json:"samples"` // lhs: points drawn; morris: trajectories; grid: 0
	Levels       int      `json:"levels"`  // morris levels; 0 otherwise
	Seed         uint64   `json:"seed"`
	Points       int      `json:"points"`
	Replicates   int      `json:"replicates"`
	Steps        int      `json:"steps"`         // the steps option (0: each point's scenario steps)
	OutcomeSteps []int    `json:"outcome_steps"` // empty: the last step
	Outcomes     []string `json:"outcomes"`      // outcome columns of outcomes.csv
	Metrics      []string `json:"metrics"`       // metrics option (nil: the scenario's outputs)
	Shard        string   `json:"shard"`         // "I/N" for a shard, "" for the whole sweep
	PointsDone   int      `json:"points_done"`   // complete points of this folder's slice
	Complete     bool     `json:"complete"`
	Files        []string `json:"files"` // top-level files, sorted (points/ not listed)
}

// Report is what a sweep did.
type Report struct {
	Dir      string
	Points   int // points of this folder's slice
	Run      int // points run now
	Skipped  int // points already complete (resume)
	Runs     int // replicates run now
	Complete bool
	Manifest Manifest
	// Folder says whether Out held a result set, and what Force removed.
	Folder *results.Folder
}

// PointDir is the folder of point i inside a sweep folder.
func PointDir(dir string, i int) string {
	return filepath.Join(dir, PointsDir, fmt.Sprintf("p%04d", i))
}

// prepared is a validated sweep.
type prepared struct {
	cfg     *Config
	src     *scenarios.Source // the scenario read and parsed once
	base    *scenarios.Scenario
	design  *Design
	cols    []outcome
	patrons []string
	man     Manifest
}

func prepare(c *Config) (*prepared, error) {
	if c.Design == "" {
		c.Design = Grid
	}
	if c.Replicates < 1 {
		return nil, fmt.Errorf("sweep: replicates = %d: want at least 1", c.Replicates)
	}
	if c.Steps < 0 || c.Steps > scenarios.MaxSteps {
		return nil, fmt.Errorf("sweep: steps = %d: want a number of steps in [1, %d] (0: the scenario's)", c.Steps, scenarios.MaxSteps)
	}
	if c.Steps != 0 && slices.ContainsFunc(c.Factors, func(f Factor) bool { return f.Key == "steps" }) {
		return nil, errors.New("sweep: --vary steps and --steps both set the run length: give one of them")
	}
	if c.Shards > 1 && (c.Shard < 0 || c.Shard >= c.Shards) {
		return nil, fmt.Errorf("sweep: shard %d/%d: want 0 <= I < N", c.Shard, c.Shards)
	}
	for _, s := range c.OutcomeSteps {
		if s < 0 {
			return nil, fmt.Errorf("sweep: outcome step %d is negative", s)
		}
	}
	src, err := scenarios.Open(c.Scenario)
	if err != nil {
		return nil, err
	}
	base, err := src.Load(c.Overrides...)
	if err != nil {
		return nil, err
	}
	if err := checkFactors(c, src, base); err != nil {
		return nil, err
	}
	d, err := NewDesign(c.Design, c.Factors, c.Points, c.Levels, c.Seed)
	if err != nil {
		return nil, err
	}
	steps := c.Steps
	if steps == 0 {
		steps = base.Steps
	}
	for _, s := range c.OutcomeSteps {
		if s > steps {
			return nil, fmt.Errorf("sweep: outcome step %d is after the last step %d", s, steps)
		}
	}
	p := &prepared{cfg: c, src: src, base: base, design: d, patrons: Patrons(base.World)}
	p.cols = outcomeColumns(p.patrons, c.OutcomeSteps)
	p.man = Manifest{
		Tool: results.Tool, Version: results.Version, Scenario: base.Name, ScenarioFile: base.File, ScenarioHash: base.Hash,
		Overrides: nonNil(c.Overrides), Factors: c.Factors, Design: d.Kind, Samples: d.Points, Levels: d.Levels, Seed: c.Seed,
		Points: d.Len(), Replicates: c.Replicates, Steps: c.Steps, OutcomeSteps: nonNilInt(c.OutcomeSteps),
		Outcomes: outcomeNames(p.cols), Metrics: c.Metrics, Files: []string{},
	}
	for i := range p.man.Factors {
		if p.man.Factors[i].Values == nil {
			p.man.Factors[i].Values = []float64{}
		}
	}
	if c.Shards > 1 {
		p.man.Shard = fmt.Sprintf("%d/%d", c.Shard, c.Shards)
	}
	// the metric options must be valid for the world before anything runs
	if _, err := metrics.NewObserver(base.World, p.metricOptions(base, steps)); err != nil {
		return nil, err
	}
	return p, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilInt(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

var indexSegment = regexp.MustCompile(`\.[0-9]+(\.|$)`)

// checkFactors validates every varied key: it must be a numeric key of the
// scenario (scenarios.Keys, or a list element by index) and the loader must
// accept its extreme values.
func checkFactors(c *Config, src *scenarios.Source, base *scenarios.Scenario) error {
	keys := scenarios.Keys(base)
	var errs []error
	for _, f := range c.Factors {
		vals := f.Values
		if f.IsRange() {
			vals = []float64{f.From, f.To}
		}
		var loadErr error
		for _, v := range vals {
			if f.Integer {
				v = roundHalf(v)
			}
			if _, err := src.Load(append(slices.Clone(c.Overrides), f.Key+"="+FormatValue(v))...); err != nil {
				loadErr = fmt.Errorf("sweep: --vary %s: %w", f.String(), err)
				break
			}
		}
		if loadErr != nil {
			errs = append(errs, loadErr)
			continue
		}
		if !slices.Contains(keys, f.Key) && !indexSegment.MatchString(f.Key) {
			errs = append(errs, fmt.Errorf("sweep: --vary %s: %s is not a numeric value of %s%s (entente describe %s lists the keys)",
				f.String(), f.Key, base.Name, suggest(f.Key, keys), base.Name))
		}
	}
	return errors.Join(errs...)
}

func roundHalf(v float64) float64 {
	if v < 0 {
		return -roundHalf(-v)
	}
	return float64(int64(v + 0.5))
}

// suggest returns "; did you mean K?" for the key nearest to s, if close.
func suggest(s string, keys []string) string {
	best, bd := "", 1<<30
	for _, k := range keys {
		if d := editDistance(s, k); d < bd {
			best, bd = k, d
		}
	}
	if best == "" || bd > max(2, len(s)/4) {
		return ""
	}
	return "; did you mean " + best + "?"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// metricOptions are the metrics a point records: the chosen (or the
// scenario's) metrics plus the outcome measures, every patron followed, and
// costly metrics computed on every outcome step.
func (p *prepared) metricOptions(sc *scenarios.Scenario, steps int) metrics.Options {
	names := p.cfg.Metrics
	if names == nil {
		names = sc.Outputs.Metrics
	}
	if len(names) == 0 {
		names = []string{"default"}
	}
	names = append(slices.Clone(names), OutcomeMetrics...)
	if len(p.patrons) > 0 {
		names = append(names, PatronMetrics...)
	}
	actors := slices.Clone(sc.Outputs.Actors)
	for _, a := range p.patrons {
		if !slices.Contains(actors, a) {
			actors = append(actors, a)
		}
	}
	every := max(1, sc.Outputs.Every)
	ost := p.cfg.OutcomeSteps
	if len(ost) == 0 {
		ost = []int{steps}
	}
	for _, s := range ost {
		if s > 0 {
			every = gcd(every, s)
		}
	}
	return metrics.Options{Metrics: names, Actors: actors, Every: every, Seed: p.cfg.Seed}
}

func (p *prepared) inSlice(i int) bool {
	return p.cfg.Shards <= 1 || i%p.cfg.Shards == p.cfg.Shard
}

func (p *prepared) sliceLen() int {
	n := 0
	for i := range p.design.Len() {
		if p.inSlice(i) {
			n++
		}
	}
	return n
}

// PointComplete reports whether point i of the sweep in dir is finished: its
// manifest.json says complete, its outcomes.csv exists, and every file it
// lists has the digest it records (a point's files are not synced one by
// one: one cut short by a crash is rerun, never read).
func PointComplete(dir string, i int) bool {
	pd := PointDir(dir, i)
	f, err := os.Open(filepath.Join(pd, results.ManifestFile))
	if err != nil {
		return false
	}
	m, err := results.ReadManifest(f)
	f.Close()
	if err != nil || !m.Complete {
		return false
	}
	if _, err = os.Stat(filepath.Join(pd, OutcomesFile)); err != nil {
		return false
	}
	return results.VerifyDigests(pd, &m) == nil
}

// comparable is the manifest without what changes as a sweep progresses.
func (m Manifest) comparable() []byte {
	m.Version, m.Shard, m.PointsDone, m.Complete, m.Files = "", "", 0, false, nil
	b, _ := json.Marshal(m)
	return b
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("sweep: %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return m, nil
}

// writeManifest writes the sweep's manifest, its commit, and then syncs
// its folder, so that the manifest and every file renamed into the folder
// before it (the top-level files) survive a crash of the machine.
func writeManifest(dir string, m Manifest) error {
	err := results.WriteFileAtomic(filepath.Join(dir, ManifestFile), func(w io.Writer) error {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		return err
	}
	return syncFolder(dir)
}

// syncFolder syncs a folder after renames into it (a variable for the tests).
var syncFolder = results.SyncFolder

// Run runs a sweep (or a shard of one, or the rest of an interrupted one
// with Resume) and, when every point is complete and the sweep is not
// sharded, writes the top-level files. Interrupted by ctx, it keeps every
// finished point and returns ctx's error; Resume runs the rest.
func Run(ctx context.Context, c *Config) (*Report, error) {
	p, err := prepare(c)
	if err != nil {
		return nil, err
	}
	if c.Out == "" {
		return nil, errors.New("sweep: no output folder")
	}
	mode := results.New
	switch {
	case c.Resume && c.Force:
		return nil, errors.New("sweep: --resume continues a sweep and --force replaces it: give one of them")
	case c.Resume:
		mode = results.Resume
	case c.Force:
		mode = results.Replace
	}
	folder, err := results.Claim(c.Out, mode)
	if err != nil {
		return nil, err
	}
	defer folder.Release()
	if c.Resume && folder.Held {
		old, err := readManifest(c.Out)
		if errors.Is(err, os.ErrNotExist) {
			if _, err := os.Stat(filepath.Join(c.Out, results.ManifestFile)); err == nil {
				return nil, fmt.Errorf("sweep: %s holds the result set of a run, not a sweep: choose another --out, or replace it with --force", c.Out)
			}
		} else if err != nil {
			return nil, err
		} else if !bytes.Equal(old.comparable(), p.man.comparable()) || old.Shard != p.man.Shard {
			return nil, fmt.Errorf("sweep: %s holds a different sweep (scenario, factors, design, seed, replicates, steps, outcomes or shard differ): --resume needs the same command", c.Out)
		}
	}
	if err := folder.Clean(); err != nil {
		return nil, err
	}
	rep := &Report{Dir: c.Out, Points: p.sliceLen(), Folder: folder}
	var todo []int
	for i := range p.design.Len() {
		if !p.inSlice(i) {
			continue
		}
		if c.Resume && PointComplete(c.Out, i) {
			rep.Skipped++
			continue
		}
		todo = append(todo, i)
	}
	man := p.man
	man.PointsDone = rep.Skipped
	if err := writeManifest(c.Out, man); err != nil {
		return nil, err
	}
	runErr := p.runPoints(ctx, todo, rep)
	man.PointsDone = rep.Skipped + rep.Run
	if runErr != nil {
		_ = writeManifest(c.Out, man)
		rep.Manifest = man
		return rep, runErr
	}
	if c.Shards <= 1 {
		files, err := assemble(c.Out, p.design, outcomeNames(p.cols), c.Charts, true)
		if err != nil {
			rep.Manifest = man
			return rep, err
		}
		man.Files = files
	} else {
		man.Files = []string{ManifestFile}
	}
	man.Complete = true
	rep.Complete = true
	rep.Manifest = man
	return rep, writeManifest(c.Out, man)
}

// runPoints runs the points in todo on the worker pool: several points at
// once when there are more workers than replicates' worth of work.
func (p *prepared) runPoints(ctx context.Context, todo []int, rep *Report) error {
	if len(todo) == 0 {
		return nil
	}
	workers := p.cfg.Workers
	if workers <= 0 {
		workers = runtimeWorkers()
	}
	pw := min(workers, len(todo))
	inner := max(1, workers/pw)
	total := len(todo) * p.cfg.Replicates
	var done atomic.Int64
	progress := func() {
		n := done.Add(1)
		if p.cfg.Progress != nil {
			p.cfg.Progress(int(n), total)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range pw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runs, err := p.runPoint(ctx, i, inner, progress)
				mu.Lock()
				rep.Runs += runs
				if err == nil {
					rep.Run++
				} else if firstErr == nil || (runner.Interrupted(firstErr) && !runner.Interrupted(err)) {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, i := range todo {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// runPoint runs point i's replicates into its own result set, then writes
// its outcomes.csv, then closes the set (manifest.json complete: the mark
// that the point is done).
func (p *prepared) runPoint(ctx context.Context, i, workers int, progress func()) (int, error) {
	dir := PointDir(p.cfg.Out, i)
	if err := os.RemoveAll(dir); err != nil {
		return 0, err
	}
	ov := append(slices.Clone(p.cfg.Overrides), p.design.Overrides(i)...)
	sc, err := p.src.Load(ov...)
	if err != nil {
		return 0, fmt.Errorf("sweep: point %d (%s): %w", i, strings.Join(p.design.Overrides(i), " "), err)
	}
	steps := p.cfg.Steps
	if steps == 0 {
		steps = sc.Steps
	}
	mo := p.metricOptions(sc, steps)
	job := &runner.Job{Scenario: sc.Name, Point: i, World: sc.World, Params: sc.Params, Steps: steps,
		Replicates: p.cfg.Replicates, Seed: p.cfg.Seed, Metrics: mo, Workers: workers,
		Progress: func(int, int) { progress() }}
	m := results.NewManifest()
	m.Scenario, m.ScenarioFile, m.ScenarioHash, m.Overrides = sc.Name, sc.File, sc.Hash, sc.Overrides
	m.Parameters, m.Seed, m.Replicates, m.Steps, m.Workers = runner.ParamMap(&sc.Params), p.cfg.Seed, p.cfg.Replicates, steps, workers
	m.Metrics, m.Actors, m.Started = mo.Metrics, mo.Actors, time.Now().UTC()
	m.Extra = map[string]any{"sweep_point": i}
	set, err := results.Create(dir, m, results.Options{Inside: true})
	if err != nil {
		return 0, err
	}
	sink := newOutcomeSink(set, p.cols, steps)
	n, runErr := runner.Execute(ctx, job, sink)
	if runErr != nil {
		_ = set.Close(false, time.Now().UTC())
		return n, runErr
	}
	vals := p.design.Point(i)
	err = set.WriteFile(OutcomesFile, func(w io.Writer) error {
		cw := newCSV(w)
		cw.row(outcomesHeader(p.design, outcomeNames(p.cols))...)
		for r, row := range sink.rows {
			f := []string{fmt.Sprint(i), fmt.Sprint(r)}
			for _, v := range vals {
				f = append(f, FormatValue(v))
			}
			for _, v := range row {
				f = append(f, fmtNA(v))
			}
			cw.row(f...)
		}
		return cw.flush()
	})
	if err != nil {
		_ = set.Close(false, time.Now().UTC())
		return n, err
	}
	return n, set.Close(true, time.Now().UTC())
}

func outcomesHeader(d *Design, names []string) []string {
	h := []string{"point", "replicate"}
	for _, f := range d.Factors {
		h = append(h, f.Key)
	}
	return append(h, names...)
}
