package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/runner"
)

// Files of a branching run.
const (
	BranchesDir     = "branches"
	BranchesFile    = "branches.json"
	DifferencesFile = "differences.csv"
)

// DifferencesHeader is the header of differences.csv: per branch after the
// first, step, metric and actor, the paired difference branch − first branch
// across replicates (mean, sd and 95% Student-t interval).
var DifferencesHeader = []string{"branch", "key", "value", "step", "metric", "actor", "n", "mean", "sd", "ci_low", "ci_high"}

// BranchConfig is a branching run: each replicate runs the scenario (with
// Overrides) to step BranchAt, then continues once per value of Key, from
// the same state and random stream (sim.Sim.Branch: common random numbers),
// under the world and parameters of the scenario loaded with Key=value.
type BranchConfig struct {
	Scenario   string   // built-in name or file
	Overrides  []string // applied before the branch and to every branch
	Key        string   // the dotted key each branch sets (e.g. retrenchment.political)
	Values     []string // one branch per value, as --set takes it ("0.8", "{shape: step, peak: 0.9, start: 40}")
	BranchAt   int      // the step at which the run branches, in [0, Steps]
	Seed       uint64
	Replicates int
	Steps      int // 0: the scenario's steps
	Workers    int
	Out        string
	Metrics    []string // nil: the scenario's outputs
	Actors     []string // nil: the scenario's outputs
	Every      int      // 0: the scenario's outputs
	// Charts, when set, draws each branch's charts (results.Options.Charts).
	Charts   results.ChartFunc
	Progress func(done, total int)
}

// BranchReport is what a branching run wrote.
type BranchReport struct {
	Dir      string
	Branches []string // branch folders: Dir/branches/b0, b1, ...
	Runs     int      // replicates finished (each with every branch)
	Complete bool
	// Differences are the rows of differences.csv.
	Differences []DifferenceRow
}

// DifferenceRow is one line of differences.csv.
type DifferenceRow struct {
	Branch int
	Value  string
	results.SummaryRow
}

// branchRun is one replicate: the rows of each branch (each including the
// shared history).
type branchRun [][]results.Row

// branchPlan is what a branching run checks before it writes anything:
// the base scenario, each branch's, the steps and the metrics.
type branchPlan struct {
	base  *scenarios.Scenario
	scs   []*scenarios.Scenario
	steps int
	mo    metrics.Options
}

// CheckBranches makes every check RunBranches makes before it writes
// anything (the branch values load, the metrics and actors exist, each
// branch keeps the cast), so that a caller can refuse before it claims an
// output folder.
func CheckBranches(c BranchConfig) error {
	_, err := planBranches(c)
	return err
}

func planBranches(c BranchConfig) (*branchPlan, error) {
	if len(c.Values) == 0 {
		return nil, errors.New("sweep: branch: no branch values: give --branch KEY=V1,V2,...")
	}
	if c.Key == "" {
		return nil, errors.New("sweep: branch: no key to branch on")
	}
	if c.Replicates < 1 {
		return nil, fmt.Errorf("sweep: branch: replicates = %d: want at least 1", c.Replicates)
	}
	src, err := scenarios.Open(c.Scenario)
	if err != nil {
		return nil, err
	}
	base, err := src.Load(c.Overrides...)
	if err != nil {
		return nil, err
	}
	steps := c.Steps
	if steps == 0 {
		steps = base.Steps
	}
	if c.BranchAt < 0 || c.BranchAt > steps {
		return nil, fmt.Errorf("sweep: branch: --branch-at %d: want a step in [0, %d]", c.BranchAt, steps)
	}
	scs := make([]*scenarios.Scenario, len(c.Values))
	var errs []error
	for b, v := range c.Values {
		sc, err := src.Load(append(slices.Clone(c.Overrides), c.Key+"="+v)...)
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep: branch %s=%s: %w", c.Key, v, err))
			continue
		}
		scs[b] = sc
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	mo := runner.MetricsOptions(base, c.Metrics, c.Actors, c.Every, c.Seed)
	if _, err := metrics.NewObserver(base.World, mo); err != nil {
		return nil, err
	}
	// a branch must keep the cast: try it on a fresh run before anything is written
	probe, err := sim.New(base.World, base.Params, sim.RunSeed(c.Seed, base.Name, 0, 0))
	if err != nil {
		return nil, err
	}
	for b := range scs {
		if _, err := probe.Branch(scs[b].World, scs[b].Params); err != nil {
			return nil, fmt.Errorf("sweep: branch %s=%s: %w", c.Key, c.Values[b], err)
		}
	}
	return &branchPlan{base: base, scs: scs, steps: steps, mo: mo}, nil
}

// RunBranches runs the branching experiment and writes Out/branches/b{i}/ (a
// result set per branch; rows up to and including step BranchAt are the
// shared history, identical in every branch), Out/differences.csv and
// Out/branches.json. Replicate r starts from the same seed as replicate r of
// `entente run` (point 0), so the shared history is that run's.
func RunBranches(ctx context.Context, c BranchConfig) (*BranchReport, error) {
	plan, err := planBranches(c)
	if err != nil {
		return nil, err
	}
	base, steps, mo := plan.base, plan.steps, plan.mo
	type branch struct {
		sc  *scenarios.Scenario
		set *results.Set
	}
	brs := make([]branch, len(plan.scs))
	for b, sc := range plan.scs {
		brs[b].sc = sc
	}
	if err := results.CheckWritable(c.Out); err != nil {
		return nil, err
	}
	workers := c.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rep := &BranchReport{Dir: c.Out}
	for b := range brs {
		sc := brs[b].sc
		m := results.NewManifest()
		m.Scenario, m.ScenarioFile, m.ScenarioHash, m.Overrides = sc.Name, sc.File, sc.Hash, sc.Overrides
		m.Parameters, m.Seed, m.Replicates, m.Steps, m.Workers = runner.ParamMap(&sc.Params), c.Seed, c.Replicates, steps, workers
		m.Metrics, m.Actors, m.Started = mo.Metrics, mo.Actors, time.Now().UTC()
		m.Extra = map[string]any{"branch_at": c.BranchAt, "branch": c.Key + "=" + c.Values[b], "base_scenario_hash": base.Hash}
		dir := filepath.Join(c.Out, BranchesDir, fmt.Sprintf("b%d", b))
		set, err := results.Create(dir, m, results.Options{Charts: c.Charts})
		if err != nil {
			return nil, err
		}
		brs[b].set = set
		rep.Branches = append(rep.Branches, dir)
	}
	diffs := make([]*results.Summarizer, len(brs))
	for b := range diffs {
		diffs[b] = results.NewDifferenceSummarizer()
	}
	obs := make(chan []*metrics.Observer, workers)
	for range workers {
		list := make([]*metrics.Observer, len(brs)+1)
		list[0], _ = metrics.NewObserver(base.World, mo)
		for b := range brs {
			list[b+1], _ = metrics.NewObserver(brs[b].sc.World, mo)
		}
		obs <- list
	}
	work := func(ctx context.Context, r int) (branchRun, error) {
		ob := <-obs
		defer func() { obs <- ob }()
		s, err := sim.New(base.World, base.Params, sim.RunSeed(c.Seed, base.Name, 0, r))
		if err != nil {
			return nil, err
		}
		var vals []metrics.Value
		var shared []results.Row
		observe := func(o *metrics.Observer, s *sim.Sim, dst []results.Row) []results.Row {
			vals = o.Observe(s, vals[:0])
			for _, v := range vals {
				dst = append(dst, results.Row{Replicate: r, Step: s.T(), Metric: v.Metric, Actor: v.Actor, Value: v.Value})
			}
			return dst
		}
		for {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			shared = observe(ob[0], s, shared)
			if s.T() >= c.BranchAt {
				break
			}
			s.Step()
		}
		out := make(branchRun, len(brs))
		for b := range brs {
			bs, err := s.Branch(brs[b].sc.World, brs[b].sc.Params)
			if err != nil {
				return nil, err
			}
			rows := slices.Clone(shared)
			for bs.T() < steps {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				bs.Step()
				rows = observe(ob[b+1], bs, rows)
			}
			out[b] = rows
		}
		return out, nil
	}
	deliver := func(r int, run branchRun) error {
		first := run[0]
		for b, rows := range run {
			if b > 0 {
				if len(rows) != len(first) {
					return fmt.Errorf("sweep: branch %d of replicate %d has %d values, branch 0 %d", b, r, len(rows), len(first))
				}
				for k, x := range rows {
					y := first[k]
					if x.Step != y.Step || x.Metric != y.Metric || x.Actor != y.Actor {
						return fmt.Errorf("sweep: branch %d of replicate %d: values out of step with branch 0", b, r)
					}
					diffs[b].Add(x.Step, x.Metric, x.Actor, x.Value-y.Value)
				}
			}
			if err := brs[b].set.AddRun(r, rows); err != nil {
				return err
			}
		}
		if c.Progress != nil {
			c.Progress(r+1, c.Replicates)
		}
		return nil
	}
	n, runErr := runner.Ordered(ctx, c.Replicates, workers, work, deliver)
	rep.Runs = n
	rep.Complete = runErr == nil && n == c.Replicates
	var closeErrs []error
	for b := range brs {
		if err := brs[b].set.Close(rep.Complete, time.Now().UTC()); err != nil {
			closeErrs = append(closeErrs, err)
		}
	}
	for b := 1; b < len(brs); b++ {
		for _, row := range diffs[b].Rows() {
			rep.Differences = append(rep.Differences, DifferenceRow{Branch: b, Value: c.Values[b], SummaryRow: row})
		}
	}
	err = results.WriteFileAtomic(filepath.Join(c.Out, DifferencesFile), func(w io.Writer) error {
		cw := newCSV(w)
		cw.row(DifferencesHeader...)
		for _, d := range rep.Differences {
			cw.row(fmt.Sprint(d.Branch), c.Key, d.Value, fmt.Sprint(d.Step), d.Metric, d.Actor, fmt.Sprint(d.N),
				fmtNA(d.Mean), fmtNA(d.SD), fmtNA(d.CILow), fmtNA(d.CIHigh))
		}
		return cw.flush()
	})
	if err != nil {
		closeErrs = append(closeErrs, err)
	}
	m := results.NewManifest()
	info := map[string]any{
		"tool": m.Tool, "version": m.Version, "commit": m.Commit,
		"scenario": base.Name, "scenario_file": base.File, "scenario_hash": base.Hash, "overrides": nonNil(c.Overrides),
		"key": c.Key, "values": c.Values, "branch_at": c.BranchAt, "seed": c.Seed, "replicates": c.Replicates,
		"steps": steps, "runs_done": n, "complete": rep.Complete,
	}
	err = results.WriteFileAtomic(filepath.Join(c.Out, BranchesFile), func(w io.Writer) error {
		b, err := json.MarshalIndent(info, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
	if err != nil {
		closeErrs = append(closeErrs, err)
	}
	if runErr != nil {
		return rep, runErr
	}
	if err := errors.Join(closeErrs...); err != nil {
		return rep, fmt.Errorf("sweep: branch: writing results: %w", err)
	}
	return rep, nil
}
