package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/results/report"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/sweep"
)

func newRunCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run SCENARIO|FILE",
		Short: "Run replicates of a scenario and write a result set",
		Long: `Run replicates of a built-in scenario (see 'entente list') or a scenario file,
and write a result set: manifest.json, timeseries.csv (tidy long format:
replicate,step,metric,actor,value), summary.csv (mean, sd and 95% interval per
step and metric), network snapshots (GraphML, GEXF for Gephi) and charts.

Any scenario value can be changed with --set KEY=VALUE by its dotted key: a
threat or profile by name, a profile set to a number becoming constant.
Overrides can also come from ENTENTE_SET, separated by spaces or semicolons.

With --branch-at STEP --branch KEY=V1,V2,... every replicate runs to STEP and
then continues once per value, from the same state and random stream (common
random numbers), so differences between branches come from the intervention:
branches/b0, b1, ... hold a result set per branch, differences.csv the paired
differences from the first branch with 95% intervals.

Every run writes events.csv, every event in words, and once finished (or
resumed to the end) report.html, one offline page with what was run, each
metric over time with its interval, the network at the snapshot steps and the
key events with how many replicates saw them.
With --explain, decisions.csv holds every decision of the named actors: each
option weighed, its change in utility by term, its probability, whether it was
chosen and the other side's consent; 'entente explain' tells it in words.

Snapshots are taken at the scenario's snapshot steps (or --snapshots) and
always at the last step, so the final network is the run's whatever its
length; snapshot steps after the end (--steps or --set steps shorter than
the scenario) are skipped with a note. --timeline also writes the first
replicate's network at every step as one dynamic GEXF,
snapshots/rep0_timeline.gexf: open it in Gephi and play its timeline (each
actor present while in the system, each tie while it lasts, their values
by interval).

The output is a pure function of the scenario, overrides, --seed, --replicates
and --steps: byte-identical whatever --workers. A folder that already holds a
result set is refused: --force replaces it (removing what it held first;
files that are not part of a result set stay), --resume continues it. Each
finished replicate is on disk before the next is written, so a run stopped in
any way (Ctrl-C, kill -9, a lost machine) keeps them: rerun the same command
with --resume to run only the missing replicates; the set ends byte-identical
to an uninterrupted one. A second run into a folder being written fails at
once.`,
		Example: `  entente run taiwan-crisis --replicates 20 --seed 1
  entente run us-retrenchment --set retrenchment.political=0.6 --set parameters.temperature=0.02
  entente run taiwan-crisis --set threats.china.intensity.peak=0.9 --actors USA,CHN,JPN --out results/out/tw
  entente run my-world.yaml --steps 50 --metrics density,minilaterals,binding_share
  entente run taiwan-crisis --replicates 200 --out results/out/tw200 --resume
  entente run taiwan-crisis --branch-at 10 --branch retrenchment.military=0,0.5,0.9 --replicates 20
  entente run nordic-2022 --explain FIN,SWD --out results/out/nordic && entente explain results/out/nordic --actor FIN
  entente run nordic-2022 --replicates 5 --timeline --out results/out/nordic-timeline   # then open snapshots/rep0_timeline.gexf in Gephi`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, v, args[0], stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.Uint64("seed", 1, "master seed; every replicate's stream derives from it")
	f.Int("replicates", 10, "number of replicates")
	f.Int("steps", 0, "steps per run (0: the scenario's steps)")
	f.Int("workers", 0, "parallel workers (0: one per CPU); does not change the output")
	f.String("out", "", "result set folder (default results/out/SCENARIO-TIME)")
	f.StringSlice("metrics", nil, "metrics to record, comma-separated ('all', 'default' or names; see 'entente list metrics')")
	f.StringSlice("actors", nil, "actor ids to follow with per-actor series (degree, betweenness, ...)")
	f.Int("every", 0, "compute costly metrics every k steps (0: the scenario's setting)")
	f.IntSlice("snapshots", nil, "steps to snapshot the network (negative counts from the end; default first and last)")
	f.Int("snapshot-replicates", 1, "how many replicates (from the first) write snapshots; -1: every replicate")
	f.Int("snapshot-every", 0, "also snapshot the network every k steps (1: every step; with --tie-lists, tie lists per step)")
	f.Bool("charts", true, "draw charts (PNG and SVG) of the chosen metrics and of the final network")
	f.Bool("tie-lists", false, "also write each snapshot's ties and groups as CSV")
	f.Bool("timeline", false, "also write the first replicate's network at every step as one dynamic GEXF (snapshots/rep0_timeline.gexf, for Gephi's timeline)")
	f.Int("branch-at", -1, "branch every replicate at this step (with --branch): branches share history and random numbers")
	f.String("branch", "", "KEY=V1,V2,...: one branch per value of a dotted key from --branch-at on; differences.csv pairs them")
	f.StringSlice("explain", nil, "write decisions.csv: every decision of these actors (ids, or all) with its options, utility terms, probabilities and consent; read it with 'entente explain'")
	f.Bool("resume", false, "continue the result set in --out (cut short by Ctrl-C, kill or a crash): run only the replicates it lacks")
	f.Bool("force", false, "replace the result set in --out: remove what it held, then run")
	addOverrideFlags(cmd)
	bindFlags(v, cmd, "run", "seed", "replicates", "steps", "workers", "out", "metrics", "actors", "every", "charts", "tie-lists")
	return cmd
}

// overrides gathers a scenario's overrides in the order they apply:
// ENTENTE_SET (separated by spaces or semicolons), then each --overlay file,
// then --set, so that a later one wins.
func overrides(cmd *cobra.Command) ([]string, error) {
	var out []string
	if env := os.Getenv("ENTENTE_SET"); env != "" {
		out = append(out, strings.FieldsFunc(env, func(r rune) bool { return r == ';' || r == ' ' || r == '\n' })...)
	}
	if f := cmd.Flags().Lookup("overlay"); f != nil {
		files, _ := cmd.Flags().GetStringArray("overlay")
		for _, path := range files {
			o, err := scenarios.ReadOverlay(path)
			if err != nil {
				return nil, err
			}
			out = append(out, o...)
		}
	}
	sets, _ := cmd.Flags().GetStringArray("set")
	return append(out, sets...), nil
}

// addOverrideFlags adds --set and --overlay to a command.
func addOverrideFlags(cmd *cobra.Command) {
	cmd.Flags().StringArray("set", nil, "override a scenario value by dotted key, KEY=VALUE (repeatable; see 'entente describe SCENARIO')")
	cmd.Flags().StringArray("overlay", nil, "file of KEY=VALUE overrides, one per line (e.g. calibrated.overlay from 'entente calibrate'); applied before --set")
}

func runRun(cmd *cobra.Command, v *viper.Viper, ref string, stdout, stderr io.Writer) error {
	over, err := overrides(cmd)
	if err != nil {
		return err
	}
	sc, err := scenarios.Load(ref, over...)
	if err != nil {
		return err
	}
	resume, _ := cmd.Flags().GetBool("resume")
	force, _ := cmd.Flags().GetBool("force")
	out := v.GetString("run.out")
	switch {
	case resume && force:
		return errors.New("--resume continues the result set in --out and --force replaces it: give one of them")
	case resume && out == "":
		return errors.New("--resume needs the --out folder of the run to continue")
	case out == "":
		out = defaultOut(sc.Name, "")
	}
	cfg := &runner.Config{
		Scenario: sc, Seed: v.GetUint64("run.seed"), Replicates: v.GetInt("run.replicates"), Steps: v.GetInt("run.steps"),
		Workers: v.GetInt("run.workers"), Out: out, Every: v.GetInt("run.every"), TieLists: v.GetBool("run.tie-lists"),
		Events: true,
	}
	cfg.Tally, cfg.Keep, cfg.Finish = reportTally()
	if cmd.Flags().Changed("steps") && (cfg.Steps <= 0 || cfg.Steps > scenarios.MaxSteps) {
		return fmt.Errorf("--steps %d: want a number of steps from 1 to %d", cfg.Steps, scenarios.MaxSteps)
	}
	if err := checkWorkers(cfg.Workers); err != nil {
		return err
	}
	if cfg.Replicates < 1 {
		return fmt.Errorf("--replicates %d: want at least 1 (e.g. --replicates 20)", cfg.Replicates)
	}
	if cfg.Every < 0 {
		return fmt.Errorf("--every %d: want 0 (the scenario's setting) or a number of steps >= 1", cfg.Every)
	}
	cfg.Resume, cfg.Force = resume, force
	if m := v.GetStringSlice("run.metrics"); len(m) > 0 {
		cfg.Metrics = m
	}
	if a := v.GetStringSlice("run.actors"); len(a) > 0 {
		cfg.Actors = a
	}
	cfg.Explain, _ = cmd.Flags().GetStringSlice("explain")
	cfg.Timeline, _ = cmd.Flags().GetBool("timeline")
	cfg.SnapshotEvery, _ = cmd.Flags().GetInt("snapshot-every")
	cfg.SnapshotReplicates, _ = cmd.Flags().GetInt("snapshot-replicates")
	if cfg.SnapshotReplicates < -1 || cfg.SnapshotReplicates == 0 {
		return fmt.Errorf("--snapshot-replicates %d: want a number of replicates >= 1, or -1 for every replicate", cfg.SnapshotReplicates)
	}
	if cfg.SnapshotEvery < 0 {
		return fmt.Errorf("--snapshot-every %d: want a number of steps >= 0", cfg.SnapshotEvery)
	}
	if snaps, _ := cmd.Flags().GetIntSlice("snapshots"); len(snaps) > 0 {
		cfg.Snapshots = snaps
	}
	if v.GetBool("run.charts") {
		cfg.Charts = charts.Writer(cfg.Seed)
	}
	cfg.Progress = progress(stderr, cfg.Replicates, "replicates")
	if at, _ := cmd.Flags().GetInt("branch-at"); at >= 0 || cmd.Flags().Changed("branch") {
		if len(cfg.Explain) > 0 {
			return errors.New("--explain does not apply to a branching run (--branch-at, --branch): explain a plain run of the scenario")
		}
		if cfg.Timeline {
			return errors.New("--timeline does not apply to a branching run (--branch-at, --branch): record the timeline of a plain run of the scenario")
		}
		return runBranches(cmd, ref, cfg, stdout, stderr)
	}
	steps := cfg.Steps
	if steps == 0 {
		steps = sc.Steps
	}
	if _, dropped := cfg.SnapshotSteps(); len(dropped) > 0 {
		var after, before []int
		for _, s := range dropped {
			if s < 0 {
				before = append(before, s)
			} else {
				after = append(after, s)
			}
		}
		if len(after) > 0 {
			fmt.Fprintf(stderr, "note: snapshot steps %s are after the last step (%d): skipped; the last step is snapshotted\n", joinInts(after), steps)
		}
		if len(before) > 0 {
			fmt.Fprintf(stderr, "note: snapshot steps %s count back from the end past step 0 (the run has %d steps): skipped; the last step is snapshotted\n", joinInts(before), steps)
		}
	}
	fmt.Fprintf(stderr, "running %s: %d replicates x %d steps, seed %d\n", sc.Name, cfg.Replicates, steps, cfg.Seed)
	rep, err := runner.RunScenario(cmd.Context(), cfg)
	if rep != nil {
		sayFolder(stderr, rep.Folder, rep.Dir, rep.Kept, cfg.Replicates)
		printSummary(stdout, rep)
	}
	if err != nil {
		if runner.Interrupted(err) && rep != nil {
			fmt.Fprintf(stderr, "interrupted: kept %d of %d replicates in %s (manifest.json says complete: false); rerun the same command with --resume --out %s to finish\n",
				rep.Runs, cfg.Replicates, rep.Dir, rep.Dir)
			return &exitError{code: 130, err: err}
		}
		return err
	}
	page := filepath.Join(rep.Dir, report.File)
	if rep.Kept == cfg.Replicates {
		fmt.Fprintf(stdout, "\n%s is complete (%d of %d replicates): nothing to run\nreport: %s\n", rep.Dir, rep.Kept, cfg.Replicates, page)
		return nil
	}
	fmt.Fprintf(stdout, "\nwrote %s (manifest.json, timeseries.csv, summary.csv, events.csv, snapshots/", rep.Dir)
	if len(cfg.Explain) > 0 {
		fmt.Fprint(stdout, ", decisions.csv")
	}
	if cfg.Charts != nil {
		fmt.Fprint(stdout, ", charts/")
	}
	fmt.Fprintf(stdout, ")\nreport: %s\n", page)
	return nil
}

// checkWorkers refuses a negative --workers: 0 is the way to ask for one
// worker per CPU, and a negative number is a mistake, not a request.
func checkWorkers(n int) error {
	if n < 0 {
		return fmt.Errorf("--workers %d: want 0 (one per CPU) or a number of workers >= 1", n)
	}
	return nil
}

// reportTally returns a run's runner.Config.Tally, which tallies the key
// events of its report as the set writes events.csv, its Keep, which keeps
// the first replicate's networks as the set writes them, and its Finish,
// which writes the finished set's report.html from that tally (or, when
// the set says it did not tally every event, from events.csv) and those
// networks (or, for those it did not see, the GraphML files).
func reportTally() (func(int, *results.EventRow), func(int, *results.Snapshot), func(string, bool) error) {
	t, nets := report.NewEventTally(), report.NewNetworks()
	return t.Add, nets.Keep, func(dir string, tallied bool) error {
		events := t
		if !tallied {
			events = nil
		}
		_, err := report.WriteKept(dir, events, nets)
		return err
	}
}

// defaultOut is the folder a run or sweep writes to without --out:
// results/out/NAME-KIND-TIME. NAME comes from a loaded scenario, whose
// names cannot leave a folder; filepath.Base keeps it in results/out
// whatever it is.
func defaultOut(name, kind string) string {
	base := filepath.Base(filepath.Clean("/" + name))
	if base == "/" || base == "." || base == ".." {
		base = "scenario"
	}
	if kind != "" {
		base += "-" + kind
	}
	return filepath.Join("results", "out", base+"-"+time.Now().Format("20060102-150405"))
}

// sayFolder tells what the claimed folder held: replaced (--force) or
// continued (--resume).
func sayFolder(w io.Writer, f *results.Folder, dir string, kept, total int) {
	if f == nil || !f.Held {
		return
	}
	if len(f.Removed) > 0 {
		fmt.Fprintf(w, "replaced the result set in %s (--force): removed %s\n", dir, strings.Join(f.Removed, ", "))
		if len(f.Kept) > 0 {
			fmt.Fprintf(w, "kept %s (not part of a result set)\n", strings.Join(f.Kept, ", "))
		}
		return
	}
	if total > 0 && kept < total {
		fmt.Fprintf(w, "resuming %s: %d of %d replicates kept, running the other %d\n", dir, kept, total, total-kept)
	}
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// progress returns a progress callback: a bar on a terminal, otherwise a
// plain line about every tenth of the work (CI logs).
func progress(w io.Writer, total int, what string) func(done, total int) {
	var mu sync.Mutex
	if isTerminal(w) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		return func(done, _ int) {
			mu.Lock()
			defer mu.Unlock()
			_ = bar.Set(done)
		}
	}
	every := max(1, total/10)
	start := time.Now()
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done%every == 0 || done == total {
			el := time.Since(start)
			eta := time.Duration(float64(el) / float64(done) * float64(total-done))
			fmt.Fprintf(w, "%d/%d %s done, %s elapsed, about %s left\n", done, total, what, el.Round(time.Second), eta.Round(time.Second))
		}
	}
}

// printSummary prints each network-level metric's first and last mean,
// its highest and lowest step and its largest change (results.PrintSummary).
func printSummary(w io.Writer, rep *runner.Report) {
	_ = results.PrintSummary(w, rep.Summary)
}

// runBranches runs a branching scenario (--branch-at, --branch).
func runBranches(cmd *cobra.Command, ref string, cfg *runner.Config, stdout, stderr io.Writer) error {
	at, _ := cmd.Flags().GetInt("branch-at")
	spec, _ := cmd.Flags().GetString("branch")
	key, vals, ok := strings.Cut(spec, "=")
	if at < 0 || !ok || key == "" || vals == "" {
		return fmt.Errorf("branching needs both --branch-at STEP (>= 0) and --branch KEY=V1,V2,... (got --branch-at %d --branch %q)", at, spec)
	}
	over, err := overrides(cmd)
	if err != nil {
		return err
	}
	if cfg.Resume {
		return errors.New("--resume does not continue a branching run (--branch-at): rerun it with --force")
	}
	// the branch step is checked before the folder is claimed, so that a
	// bad one leaves nothing behind
	if steps := cmp.Or(cfg.Steps, cfg.Scenario.Steps); at > steps {
		return fmt.Errorf("--branch-at %d: want a step in [0, %d] (the run has %d steps)", at, steps, steps)
	}
	bc := sweep.BranchConfig{
		Scenario: ref, Overrides: over, Key: key, Values: strings.Split(vals, ","), BranchAt: at,
		Seed: cfg.Seed, Replicates: cfg.Replicates, Steps: cfg.Steps, Workers: cfg.Workers, Out: cfg.Out,
		Metrics: cfg.Metrics, Actors: cfg.Actors, Every: cfg.Every, Charts: cfg.Charts, Progress: cfg.Progress,
	}
	// the branches' values, metrics and actors are checked before the
	// folder is claimed, so that a bad one leaves nothing behind
	if err := sweep.CheckBranches(bc); err != nil {
		return err
	}
	mode := results.New
	if cfg.Force {
		mode = results.Replace
	}
	folder, err := results.Claim(cfg.Out, mode)
	var occ *results.OccupiedError
	if errors.As(err, &occ) {
		occ.Resume = false // a branching run is not continued
	}
	if err != nil {
		return err
	}
	defer folder.Release()
	sayFolder(stderr, folder, cfg.Out, 0, 0)
	fmt.Fprintf(stderr, "running %s with %d branches on %s from step %d: %d replicates, seed %d\n", ref, len(bc.Values), key, at, cfg.Replicates, cfg.Seed)
	rep, err := sweep.RunBranches(cmd.Context(), bc)
	if rep != nil {
		printDifferences(stdout, rep)
	}
	if err != nil {
		if runner.Interrupted(err) && rep != nil {
			fmt.Fprintf(stderr, "interrupted: kept %d finished replicates in %s\n", rep.Runs, rep.Dir)
			return &exitError{code: 130, err: err}
		}
		return err
	}
	page, err := report.Write(rep.Dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s (branches/b0..b%d, differences.csv, branches.json)\nreport: %s\n", rep.Dir, len(rep.Branches)-1, page)
	return nil
}

// printDifferences prints each branch's paired difference from the first
// at the last step, for the network-level metrics.
func printDifferences(w io.Writer, rep *sweep.BranchReport) {
	last := -1
	for _, d := range rep.Differences {
		last = max(last, d.Step)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "branch\tmetric\tdifference from b0 at step %d\t95%% interval\n", last)
	for _, d := range rep.Differences {
		if d.Step != last || d.Actor != "" || d.Branch == 0 {
			continue
		}
		ci := "-"
		if !math.IsNaN(d.CILow) {
			ci = fmt.Sprintf("[%.4g, %.4g]", d.CILow, d.CIHigh)
		}
		fmt.Fprintf(tw, "b%d (%s)\t%s\t%+.4g\t%s\n", d.Branch, d.Value, d.Metric, d.Mean, ci)
	}
	_ = tw.Flush()
}
