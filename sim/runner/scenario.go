package runner

import (
	"context"
	"errors"
	"fmt"
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
	Snapshots          []int    // nil: the scenario's outputs, else first and last step
	SnapshotEvery      int      // also snapshot every k steps (0: none); with TieLists, tie lists per step
	SnapshotReplicates int      // replicates that take snapshots, from the first (0: 1; -1: all)
	Charts             results.ChartFunc
	TieLists           bool
	Progress           func(done, total int)
	// Events writes events.csv: every event of every replicate in words.
	Events bool
	// Explain writes decisions.csv: every decision of these actors (IDs, or
	// "all") in every replicate.
	Explain []string
}

// Report is what a finished (or interrupted) run produced.
type Report struct {
	Dir      string
	Runs     int
	Complete bool
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

// Job builds the runner job of a config (exported for sweeps and tests).
func (c *Config) Job() *Job {
	sc := c.Scenario
	steps := c.Steps
	if steps == 0 {
		steps = sc.Steps
	}
	mo := MetricsOptions(sc, c.Metrics, c.Actors, c.Every, c.Seed)
	snaps := c.Snapshots
	if snaps == nil {
		snaps = sc.Outputs.Snapshots
	}
	if len(snaps) == 0 {
		snaps = []int{0, -1}
	}
	return &Job{Scenario: sc.Name, World: sc.World, Params: sc.Params, Steps: steps, Replicates: c.Replicates,
		Seed: c.Seed, Metrics: mo, Snapshots: snaps, SnapshotEvery: c.SnapshotEvery, SnapshotReplicates: c.SnapshotReplicates, Workers: c.Workers, Progress: c.Progress, Events: c.Events, Explain: c.Explain}
}

// RunScenario checks the output folder, runs the replicates and writes the
// result set. Interrupted by ctx, it keeps every finished replicate and
// marks the set incomplete; the error is then ctx's.
func RunScenario(ctx context.Context, c *Config) (*Report, error) {
	j := c.Job()
	if err := j.Validate(); err != nil {
		return nil, err
	}
	if _, err := metrics.NewObserver(j.World, j.Metrics); err != nil {
		return nil, err
	}
	if err := results.CheckWritable(c.Out); err != nil {
		return nil, err
	}
	sc := c.Scenario
	m := results.NewManifest()
	m.Scenario, m.ScenarioFile, m.ScenarioHash, m.Overrides = sc.Name, sc.File, sc.Hash, sc.Overrides
	m.Parameters, m.Seed, m.Replicates, m.Steps, m.Workers = ParamMap(&j.Params), c.Seed, c.Replicates, j.Steps, c.Workers
	m.Metrics, m.Actors, m.Started = j.Metrics.Metrics, j.Metrics.Actors, time.Now().UTC()
	set, err := results.Create(c.Out, m, results.Options{Snapshots: j.Snapshots, Charts: c.Charts, TieLists: c.TieLists})
	if err != nil {
		return nil, err
	}
	n, runErr := Execute(ctx, j, set)
	complete := runErr == nil && n == c.Replicates
	closeErr := set.Close(complete, time.Now().UTC())
	rep := &Report{Dir: c.Out, Runs: n, Complete: complete, Manifest: m}
	if sum, err := results.ReadSummary(c.Out + "/summary.csv"); err == nil {
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
