// Package runner executes replicates of a scenario on a pool of workers and
// delivers each finished run, in replicate order, to a Sink: the time series
// of network structure (sim/metrics) and network snapshots. Output is a pure
// function of the Job: per-run seeds come from sim.RunSeed(master seed,
// scenario, point, replicate), every run has its own Sim and Observer, and
// runs reach the sink in index order whatever the number of workers.
//
// Memory is bounded: at most 2 x workers finished or running replicates are
// held at once; each is handed to the sink and dropped as soon as every
// replicate before it has been.
package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// Job is one parameter point of a scenario, run for Replicates replicates.
type Job struct {
	Scenario   string // name, part of every run's seed
	Point      int    // parameter point index (sweeps), part of every run's seed
	World      *sim.World
	Params     sim.Params
	Steps      int
	Replicates int
	// FirstReplicate offsets replicate indices (resumed or sharded work).
	FirstReplicate int
	Seed           uint64
	Metrics        metrics.Options
	Snapshots      []int // steps to snapshot; negative counts from the end (-1 = last)
	SnapshotEvery  int   // also snapshot every k steps (0: only Snapshots)
	// Timeline records replicate 0's network at every step into one
	// dynamic graph (results.Timeline), for a sink that takes it
	// (TimelineSink).
	Timeline bool
	// SnapshotReplicates is how many replicates, from replicate 0, take
	// snapshots: 0 means 1 (replicate 0 only); -1 every replicate. The count
	// is of replicate indices, not of this job's replicates, so a resumed
	// job (FirstReplicate > 0) snapshots exactly what an uninterrupted one
	// would.
	SnapshotReplicates int
	Workers            int // <= 0: GOMAXPROCS
	// Setup, when set, is called on each new Sim before step 0 is observed
	// (e.g. to apply live overrides). It must be deterministic.
	Setup func(s *sim.Sim)
	// Progress, when set, is called after each replicate is delivered.
	Progress func(done, total int)
	// Events records every event of every step (sim.Sim.Events) in words,
	// for a sink that takes them (EventSink).
	Events bool
	// Explain records every decision of these actors (IDs; "all": every
	// actor) with its options, terms, probabilities and consent, for a sink
	// that takes them (DecisionSink): results.DecisionsFile.
	Explain []string
}

// Run is one finished replicate.
type Run struct {
	Replicate int
	Rows      []results.Row
	Snapshots []results.Snapshot
	Events    []results.EventRow // with Job.Events
	Decisions []byte             // with Job.Explain: decisions.csv rows
	Timeline  *results.Timeline  // with Job.Timeline, replicate 0's
}

// TimelineSink is a Sink that also takes replicate 0's timeline
// (Job.Timeline), delivered after its snapshots; results.Set is one.
type TimelineSink interface {
	AddTimeline(replicate int, t *results.Timeline) error
}

// DecisionSink is a Sink that also takes each replicate's decision rows
// (results.AppendDecision), delivered after its events and before its rows
// (a replicate without decisions of the explained actors brings none).
type DecisionSink interface {
	AddDecisions(replicate int, rows []byte) error
}

// EventSink is a Sink that also takes each replicate's events, delivered
// after its snapshots and before its rows (a replicate without events
// brings none); results.Set is one.
type EventSink interface {
	AddEvents(replicate int, events []results.EventRow) error
}

// eventRows appends the events of s's last step in words.
func eventRows(s *sim.Sim, dst []results.EventRow) []results.EventRow {
	w := s.World()
	id := func(i int) string {
		if i < 0 || i >= len(w.Actors) {
			return ""
		}
		return w.Actors[i].ID
	}
	for _, e := range s.Events() {
		other := id(e.Other)
		if e.OtherIsThreat() && e.Other < len(w.Threats) {
			other = w.Threats[e.Other].Name
		}
		dst = append(dst, results.EventRow{Step: e.Step, Kind: e.Kind.String(), Actor: id(e.Actor), Other: other, Group: e.Group, Text: s.DescribeAction(e)})
	}
	return dst
}

// Sink receives finished runs in replicate order: each run's snapshots
// first, then its events and decisions (EventSink, DecisionSink), then its
// rows. AddRun is the run's commit: a resumable sink that has a
// replicate's rows has all the rest of it too.
type Sink interface {
	AddRun(replicate int, rows []results.Row) error
	AddSnapshot(replicate int, snap results.Snapshot) error
}

// Validate checks the job's numbers and builds nothing.
func (j *Job) Validate() error {
	var errs []error
	if j.World == nil {
		errs = append(errs, errors.New("runner: no world"))
	}
	if j.Steps < 0 {
		errs = append(errs, fmt.Errorf("runner: steps = %d is negative: want a number of steps >= 0 (e.g. --steps 100)", j.Steps))
	}
	if j.Steps > scenarios.MaxSteps {
		errs = append(errs, fmt.Errorf("runner: steps = %d: at most %d steps", j.Steps, scenarios.MaxSteps))
	}
	if j.Replicates < 1 {
		errs = append(errs, fmt.Errorf("runner: replicates = %d: want at least 1 (e.g. --replicates 20)", j.Replicates))
	}
	if err := j.Params.Validate(); err != nil {
		errs = append(errs, err)
	}
	if j.World != nil {
		var ids []string
		for i := range j.World.Actors {
			ids = append(ids, j.World.Actors[i].ID)
		}
		for _, a := range j.Explain {
			if a != "all" && j.World.ActorIndex(a) < 0 {
				hint := ""
				if c := sim.Closest(a, ids); c != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", c)
				}
				errs = append(errs, fmt.Errorf("runner: --explain %s: no actor %q in the scenario%s", a, a, hint))
			}
		}
	}
	return errors.Join(errs...)
}

func (j *Job) wantSnapshot(rep, step int) bool {
	if n := max(1, j.SnapshotReplicates); j.SnapshotReplicates >= 0 && rep >= n {
		return false
	}
	if j.SnapshotEvery > 0 && step%j.SnapshotEvery == 0 {
		return true
	}
	for _, s := range j.Snapshots {
		if s == step || (s < 0 && j.Steps+1+s == step) {
			return true
		}
	}
	return false
}

// One runs a single replicate to completion (or until ctx is done) with a
// given observer, appending rows to dst.
func (j *Job) One(ctx context.Context, rep int, ob *metrics.Observer) (Run, error) {
	s, err := sim.New(j.World, j.Params, sim.RunSeed(j.Seed, j.Scenario, j.Point, rep))
	if err != nil {
		return Run{}, err
	}
	if j.Setup != nil {
		j.Setup(s)
	}
	run := Run{Replicate: rep}
	if len(j.Explain) > 0 {
		all := slices.Contains(j.Explain, "all")
		w := s.World()
		s.SetRecorder(func(d *sim.Decision) {
			if all || slices.Contains(j.Explain, w.Actors[d.Actor].ID) {
				run.Decisions = results.AppendDecision(run.Decisions, rep, s, d)
			}
		})
	}
	var vals []metrics.Value
	for {
		if err := ctx.Err(); err != nil {
			return Run{}, err
		}
		vals = ob.Observe(s, vals[:0])
		if run.Rows == nil {
			// step 0 records every metric: at most as many on each step
			run.Rows = make([]results.Row, 0, len(vals)*(j.Steps+1))
		}
		for _, v := range vals {
			run.Rows = append(run.Rows, results.Row{Replicate: rep, Step: s.T(), Metric: v.Metric, Actor: v.Actor, Value: v.Value})
		}
		snapped := j.wantSnapshot(rep, s.T())
		if snapped {
			run.Snapshots = append(run.Snapshots, results.SnapshotOf(s))
		}
		if j.Timeline && rep == 0 {
			if run.Timeline == nil {
				run.Timeline = results.NewTimeline(rep)
			}
			var snap results.Snapshot
			if snapped {
				snap = run.Snapshots[len(run.Snapshots)-1] // (the timeline only reads it)
			} else {
				snap = results.SnapshotOf(s)
			}
			if err := run.Timeline.Add(&snap); err != nil {
				return Run{}, err
			}
		}
		if s.T() >= j.Steps {
			return run, nil
		}
		s.Step()
		if j.Events {
			run.Events = eventRows(s, run.Events)
		}
	}
}

// Execute runs the job's replicates and hands them to sink in order. It
// returns the number of replicates delivered; on cancellation it stops
// starting runs, abandons the unfinished ones, delivers every finished run
// that has all its predecessors, and returns ctx's error.
func Execute(ctx context.Context, j *Job, sink Sink) (int, error) {
	if err := j.Validate(); err != nil {
		return 0, err
	}
	workers := j.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, j.Replicates)
	// observers are validated once up front so a bad metric name fails fast
	if _, err := metrics.NewObserver(j.World, j.Metrics); err != nil {
		return 0, err
	}
	obs := sync.Pool{New: func() any {
		ob, _ := metrics.NewObserver(j.World, j.Metrics)
		return ob
	}}
	work := func(ctx context.Context, i int) (Run, error) {
		ob := obs.Get().(*metrics.Observer)
		defer obs.Put(ob)
		return j.One(ctx, j.FirstReplicate+i, ob)
	}
	delivered := 0
	return Ordered(ctx, j.Replicates, workers, work, func(i int, run Run) error {
		if err := deliver(sink, run); err != nil {
			return err
		}
		delivered++
		if j.Progress != nil {
			j.Progress(delivered, j.Replicates)
		}
		return nil
	})
}

func deliver(sink Sink, run Run) error {
	for _, snap := range run.Snapshots {
		if err := sink.AddSnapshot(run.Replicate, snap); err != nil {
			return err
		}
	}
	if ts, ok := sink.(TimelineSink); ok && run.Timeline != nil {
		if err := ts.AddTimeline(run.Replicate, run.Timeline); err != nil {
			return err
		}
	}
	if es, ok := sink.(EventSink); ok && run.Events != nil {
		if err := es.AddEvents(run.Replicate, run.Events); err != nil {
			return err
		}
	}
	if ds, ok := sink.(DecisionSink); ok && run.Decisions != nil {
		if err := ds.AddDecisions(run.Replicate, run.Decisions); err != nil {
			return err
		}
	}
	return sink.AddRun(run.Replicate, run.Rows)
}
