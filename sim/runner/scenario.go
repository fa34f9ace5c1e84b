package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// Config is a run of a loaded scenario into a result set.
type Config struct {
	Scenario           *scenarios.Scenario
	Seed               uint64
	Replicates         int
	Steps              int // 0: the scenario's steps
	Workers            int
	Out                string   // result set folder
	Metrics            []string // nil: the scenario's outputs (or the default set)
	Actors             []string // nil: the scenario's outputs
	Every              int      // 0: the scenario's outputs
	Snapshots          []int    // nil: the scenario's outputs, else first and last step (the last step is always taken)
	SnapshotEvery      int      // also snapshot every k steps (0: none); with TieLists, tie lists per step
	SnapshotReplicates int      // replicates that take snapshots, from the first (0: 1; -1: all)
	Charts             results.ChartFunc
	TieLists           bool
	// Timeline writes replicate 0's network at every step as one dynamic
	// GEXF (results.TimelineFile).
	Timeline bool
	Progress func(done, total int)
	// Events writes events.csv: every event of every replicate in words.
	Events bool
	// Explain writes decisions.csv: every decision of these actors (IDs, or
	// "all") in every replicate.
	Explain []string
	// Resume continues the result set in Out (killed, interrupted or cut
	// short), running only the replicates it lacks; Force replaces it.
	// Without either, a folder that holds a result set is refused.
	Resume, Force bool
	// Tally, when set with Events, is given every event of the set's
	// events.csv as the set comes to hold it (results.Options.Tally): the
	// CLI tallies the report's key events with it.
	Tally func(replicate int, e *results.EventRow)
	// Finish, when set, is called on the folder of a complete set, still
	// locked, after its final manifest (results.Options.Finish; tallied
	// says Tally saw every event of its events.csv): the CLI writes
	// report.html with it.
	Finish func(dir string, tallied bool) error
	// Keep, when set, is given each snapshot the set writes
	// (results.Options.Keep): the CLI keeps the first replicate's for
	// report.html.
	Keep func(replicate int, snap *results.Snapshot)
}

// Report is what a finished (or interrupted) run produced.
type Report struct {
	Dir      string
	Runs     int // replicates in the set: kept and run now
	Kept     int // replicates kept from before (Resume)
	Complete bool
	// Folder says whether Out held a set, and what Force removed.
	Folder   *results.Folder
	Summary  []results.SummaryRow
	Manifest results.Manifest
}

// ParamMap returns every model parameter by name.
func ParamMap(p *sim.Params) map[string]float64 {
	m := make(map[string]float64, len(sim.ParamSpecs))
	for i := range sim.ParamSpecs {
		m[sim.ParamSpecs[i].Name] = sim.ParamSpecs[i].Get(p)
	}
	return m
}

// MetricsOptions are what a run of sc records: the scenario's outputs,
// with metrics and actors replaced when not nil and every when not 0.
func MetricsOptions(sc *scenarios.Scenario, names, actors []string, every int, seed uint64) metrics.Options {
	mo := metrics.Options{Metrics: sc.Outputs.Metrics, Actors: sc.Outputs.Actors, Every: sc.Outputs.Every, Seed: seed}
	if names != nil {
		mo.Metrics = names
	}
	if actors != nil {
		mo.Actors = actors
	}
	if every != 0 {
		mo.Every = every
	}
	return mo
}

// SnapshotSteps are the steps a run of c snapshots: the chosen steps
// (Config.Snapshots, else the scenario's, else the first), negative ones
// counted from the end, and always the last step, so that the final network
// is the run's whatever its length; dropped are the chosen steps after the
// last (e.g. a scenario's snapshot at 100 in a run of 50 steps).
func (c *Config) SnapshotSteps() (take, dropped []int) {
	steps := c.Steps
	if steps == 0 {
		steps = c.Scenario.Steps
	}
	snaps := c.Snapshots
	if snaps == nil {
		snaps = c.Scenario.Outputs.Snapshots
	}
	if len(snaps) == 0 {
		snaps = []int{0}
	}
	for _, s := range append(slices.Clone(snaps), steps) {
		t := s
		if s < 0 {
			t = steps + 1 + s
		}
		if t < 0 || t > steps {
			if !slices.Contains(dropped, s) {
				dropped = append(dropped, s)
			}
			continue
		}
		if !slices.Contains(take, t) {
			take = append(take, t)
		}
	}
	slices.Sort(take)
	return take, dropped
}

// Job builds the runner job of a config (exported for sweeps and tests).
func (c *Config) Job() *Job {
	sc := c.Scenario
	steps := c.Steps
	if steps == 0 {
		steps = sc.Steps
	}
	mo := MetricsOptions(sc, c.Metrics, c.Actors, c.Every, c.Seed)
	snaps, _ := c.SnapshotSteps()
	return &Job{Scenario: sc.Name, World: sc.World, Params: sc.Params, Steps: steps, Replicates: c.Replicates,
		Seed: c.Seed, Metrics: mo, Snapshots: snaps, SnapshotEvery: c.SnapshotEvery, SnapshotReplicates: c.SnapshotReplicates, Timeline: c.Timeline, Workers: c.Workers, Progress: c.Progress, Events: c.Events, Explain: c.Explain}
}

// RunScenario claims the output folder, runs the replicates and writes the
// result set. Each finished replicate is on disk before the next is
// delivered, so a run killed at any moment (Ctrl-C, kill -9, a lost node)
// keeps them; with Resume it runs only the replicates the set lacks and ends
// byte-identical to an uninterrupted run. Interrupted by ctx, it marks the
// set incomplete; the error is then ctx's.
func RunScenario(ctx context.Context, c *Config) (*Report, error) {
	j := c.Job()
	if err := j.Validate(); err != nil {
		return nil, err
	}
	if _, err := metrics.NewObserver(j.World, j.Metrics); err != nil {
		return nil, err
	}
	mode := results.New
	switch {
	case c.Resume && c.Force:
		return nil, errors.New("runner: --resume continues a result set and --force replaces it: give one of them")
	case c.Resume:
		mode = results.Resume
	case c.Force:
		mode = results.Replace
	}
	sc := c.Scenario
	m := results.NewManifest()
	m.Scenario, m.ScenarioFile, m.ScenarioHash, m.Overrides = sc.Name, sc.File, sc.Hash, sc.Overrides
	m.Parameters, m.Seed, m.Replicates, m.Steps, m.Workers = ParamMap(&j.Params), c.Seed, c.Replicates, j.Steps, c.Workers
	m.Metrics, m.Actors, m.Started = j.Metrics.Metrics, j.Metrics.Actors, time.Now().UTC()
	m.Every, m.Snapshots, m.SnapshotEvery, m.SnapshotReplicates, m.TieLists = max(1, j.Metrics.Every), j.Snapshots, j.SnapshotEvery, max(1, j.SnapshotReplicates), c.TieLists
	if j.SnapshotReplicates < 0 {
		m.SnapshotReplicates = -1
	}
	m.Events, m.Explain, m.Timeline = c.Events, c.Explain, c.Timeline
	set, err := results.Create(c.Out, m, results.Options{Snapshots: j.Snapshots, Charts: c.Charts, TieLists: c.TieLists, Mode: mode, Resumable: true,
		Events: c.Events, Decisions: len(c.Explain) > 0, Tally: c.Tally, Finish: c.Finish, Keep: c.Keep})
	if err != nil {
		return nil, err
	}
	kept, already := set.Kept()
	rep := &Report{Dir: c.Out, Kept: kept, Folder: set.Folder()}
	var n int
	var runErr error
	if !already && kept < c.Replicates {
		j.FirstReplicate, j.Replicates = kept, c.Replicates-kept
		if c.Progress != nil {
			j.Progress = func(done, _ int) { c.Progress(kept+done, c.Replicates) }
		}
		n, runErr = Execute(ctx, j, set)
	}
	complete := runErr == nil && kept+n == c.Replicates
	closeErr := set.Close(complete, time.Now().UTC())
	rep.Runs, rep.Complete, rep.Manifest = kept+n, complete, m
	if sum, err := results.ReadSummary(filepath.Join(c.Out, results.SummaryFile)); err == nil {
		rep.Summary = sum
	}
	if runErr != nil {
		return rep, runErr
	}
	if closeErr != nil {
		return rep, fmt.Errorf("runner: writing the result set: %w", closeErr)
	}
	return rep, nil
}

// Interrupted reports whether err is a cancellation (Ctrl-C).
func Interrupted(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
