package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/results/report"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/sweep"
)

func init() { extraCommands = append(extraCommands, newSweepCmd) }

func newSweepCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sweep SCENARIO|FILE --vary KEY=FROM:TO:N [--vary ...]",
		Short: "Run a scenario over a grid, Latin hypercube or Morris design of parameter values",
		Long: `Run replicates of a scenario at every point of a parameter design and collect
outcome measures per point and replicate.

Any numeric scenario value can be varied by its dotted key (the keys of --set;
'entente describe SCENARIO' lists them):
  --vary KEY=FROM:TO:N     N evenly spaced values, both ends included
  --vary KEY=V1,V2,...     the values listed
  --vary KEY=FROM:TO       a range, for --design lhs, morris or sobol

Designs: grid (every combination; the first --vary varies slowest), lhs (a
Latin hypercube of --points points drawn from --seed), morris (--points
trajectories on --levels levels; writes morris.csv with the elementary effects
mu, mu* and sigma of every outcome) and sobol (Saltelli's scheme on --points
base rows, points x (keys + 2) points; writes sobol.csv with the first-order
and total Sobol indices of every outcome). Both carry 95% bootstrap intervals,
the share of the model's own noise and a warning, printed at the end, when the
sample is too small or too noisy for them (raise --points or --replicates).

The folder gets sweep.json (the sweep), points.csv (point and one column per
varied key), outcomes.csv (a row per point and replicate: the varied values
and minilaterals, minilaterals_without_patron, binding_share, blocs, density,
ties_total, and the
pagerank and degree of each patron, at the last step or at --outcome-steps),
outcomes_summary.csv (mean and 95% interval per point), timeseries.csv (every
point's time series, the varied keys as columns), charts/ (a heat map over the
first two varied keys, and each outcome against each key), report.html (an
offline page with the outcome table and every chart) and points/pNNNN/ (a
result set per point: manifest, timeseries, summary). The outcome table is
printed at the end.

A design has at most 1,000,000 points. A folder that already holds a result
set is refused: --resume continues the sweep in it, --force replaces it
(removing what it held first); a second sweep into a folder being written
fails at once. Ctrl-C or a killed process keeps every finished point: rerun
the same command with --resume to run only what is missing. --shard I/N (or
ENTENTE_SHARD) runs every N-th point (from I) for a cluster; 'entente merge'
combines the shards. --vary steps=... varies the run length (not with
--steps).`,
		Example: `  entente sweep us-retrenchment --vary retrenchment.political=0:0.8:3 --vary parameters.temperature=0.5:1.5:2
  entente sweep taiwan-crisis --vary retrenchment.political=0:1:5 --vary threats.china.intensity.peak=0.3:0.9:4 --replicates 10
  entente sweep classroom --design lhs --points 50 --vary parameters.rivalry_weight=0:0.3 --vary retrenchment.political=0:1
  entente sweep classroom --design morris --points 10 --vary parameters.rivalry_weight=0:0.3 --vary parameters.trust_weight=0:0.1
  entente sweep classroom --design sobol --points 200 --replicates 2 --vary parameters.rivalry_weight=0:0.3 --vary retrenchment.political=0:1
  entente sweep classroom --vary retrenchment.political=0:1:11 --out sw --resume
  entente sweep classroom --vary retrenchment.political=0:1:11 --shard 0/4 --out sw-0`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("want one scenario (a built-in name or a file), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, v, args[0], stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringArray("vary", nil, "a varied value: KEY=FROM:TO:N, KEY=V1,V2,... or KEY=FROM:TO (lhs, morris, sobol); repeatable")
	f.String("design", sweep.Grid, "design: grid, lhs, morris or sobol")
	f.Int("points", 10, "lhs: points to draw; morris: trajectories; sobol: base rows")
	f.Int("levels", sweep.DefaultLevels, "morris: levels of each factor (even)")
	f.Uint64("seed", 1, "master seed: every run's stream and the lhs and morris draws derive from it")
	f.Int("replicates", 5, "replicates per point")
	f.Int("steps", 0, "steps per run (0: the scenario's steps)")
	f.Int("workers", 0, "parallel workers (0: one per CPU); does not change the output")
	f.String("out", "", "sweep folder (default results/out/SCENARIO-sweep-TIME)")
	f.IntSlice("outcome-steps", nil, "steps at which outcomes.csv reports the outcomes (default: the last step)")
	f.StringSlice("metrics", nil, "metrics each point's timeseries.csv records besides the outcomes (default: the scenario's)")
	f.Bool("resume", false, "finish the sweep in --out: run only the points not complete")
	f.Bool("force", false, "replace the result set in --out: remove what it held, then sweep")
	f.String("shard", "", "run only shard I of N (points with index % N == I), e.g. 0/4; combine with 'entente merge'")
	addOverrideFlags(cmd)
	f.Bool("charts", true, "draw the heat map and response charts (PNG and SVG)")
	bindFlags(v, cmd, "sweep", "design", "points", "levels", "seed", "replicates", "steps", "workers", "out", "charts")
	return cmd
}

func runSweep(cmd *cobra.Command, v *viper.Viper, ref string, stdout, stderr io.Writer) error {
	varies, _ := cmd.Flags().GetStringArray("vary")
	if len(varies) == 0 {
		return errors.New("nothing to vary: give --vary KEY=FROM:TO:N (e.g. --vary retrenchment.political=0:0.8:3)")
	}
	over, err := overrides(cmd)
	if err != nil {
		return err
	}
	c := &sweep.Config{
		Scenario: ref, Overrides: over, Design: v.GetString("sweep.design"), Points: v.GetInt("sweep.points"),
		Levels: v.GetInt("sweep.levels"), Seed: v.GetUint64("sweep.seed"), Replicates: v.GetInt("sweep.replicates"),
		Steps: v.GetInt("sweep.steps"), Workers: v.GetInt("sweep.workers"), Out: v.GetString("sweep.out"),
	}
	if c.Design != sweep.Morris {
		c.Levels = 0
	}
	var errs []error
	for _, s := range varies {
		f, err := sweep.ParseFactor(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.Factors = append(c.Factors, f)
	}
	if err := checkWorkers(c.Workers); err != nil {
		errs = append(errs, err)
	}
	if cmd.Flags().Changed("steps") && (c.Steps <= 0 || c.Steps > scenarios.MaxSteps) {
		errs = append(errs, fmt.Errorf("--steps %d: want a number of steps from 1 to %d", c.Steps, scenarios.MaxSteps))
	}
	c.OutcomeSteps, _ = cmd.Flags().GetIntSlice("outcome-steps")
	if m, _ := cmd.Flags().GetStringSlice("metrics"); len(m) > 0 {
		c.Metrics = m
	}
	c.Resume, _ = cmd.Flags().GetBool("resume")
	c.Force, _ = cmd.Flags().GetBool("force")
	if c.Resume && c.Force {
		errs = append(errs, errors.New("--resume continues the sweep in --out and --force replaces it: give one of them"))
	}
	if s, _ := cmd.Flags().GetString("shard"); s != "" {
		i, n, err := sweep.ParseShard(s)
		if err != nil {
			errs = append(errs, err)
		}
		c.Shard, c.Shards = i, n
	}
	if c.Resume && c.Out == "" {
		errs = append(errs, errors.New("--resume needs the --out folder of the sweep to finish"))
	}
	if c.Replicates < 1 {
		errs = append(errs, fmt.Errorf("--replicates %d: want at least 1 replicate per point", c.Replicates))
	}
	if len(errs) == 0 {
		// each varied key at its first value, loaded now, so that a key the
		// scenario has not is refused before the sweep starts (a point's
		// scenario loads only when the point runs)
		src, err := scenarios.Open(ref)
		if err != nil {
			return err
		}
		for _, f := range c.Factors {
			first := f.From
			if !f.IsRange() {
				first = f.Values[0]
			}
			if _, err := src.Load(append(slices.Clone(over), f.Key+"="+sweep.FormatValue(first))...); err != nil {
				errs = append(errs, fmt.Errorf("--vary %s: %w", f.String(), err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if c.Out == "" {
		c.Out = defaultOut(strings.TrimSuffix(filepath.Base(ref), filepath.Ext(ref)), "sweep")
	}
	if v.GetBool("sweep.charts") {
		c.Charts = charts.Sweep
	}
	var once sync.Once
	var bar func(done, total int)
	c.Progress = func(done, total int) {
		once.Do(func() { bar = progress(stderr, total, "runs") })
		bar(done, total)
	}
	fmt.Fprintf(stderr, "sweeping %s (%s design): %d replicates per point, seed %d\n", ref, c.Design, c.Replicates, c.Seed)
	rep, err := sweep.Run(cmd.Context(), c)
	if rep != nil {
		sayFolder(stderr, rep.Folder, rep.Dir, 0, 0)
	}
	if err != nil {
		if runner.Interrupted(err) && rep != nil {
			fmt.Fprintf(stderr, "interrupted: %d of %d points complete in %s; rerun with --resume to finish\n",
				rep.Skipped+rep.Run, rep.Points, rep.Dir)
			return &exitError{code: 130, err: err}
		}
		return err
	}
	if c.Shards > 1 {
		fmt.Fprintf(stdout, "shard %d/%d: %d points (%d run, %d already complete) in %s; combine the shards with 'entente merge DIR... --out DIR'\n",
			c.Shard, c.Shards, rep.Points, rep.Run, rep.Skipped, rep.Dir)
		return nil
	}
	if err := sweep.PrintOutcomes(stdout, rep.Dir); err != nil {
		return err
	}
	warns, err := sweep.SensitivityWarnings(rep.Dir)
	if err != nil {
		return err
	}
	for _, w := range warns {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	page, err := report.Write(rep.Dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d points x %d replicates (%d points run, %d already complete)\nwrote %s (%s)\nreport: %s\n",
		rep.Points, c.Replicates, rep.Run, rep.Skipped, rep.Dir, strings.Join(topLevel(rep.Manifest.Files), ", "), page)
	return nil
}

// topLevel lists the files outside charts/, and charts/ once.
func topLevel(files []string) []string {
	var out []string
	chartsSeen := false
	for _, f := range files {
		if strings.HasPrefix(f, sweep.ChartDir+"/") {
			if !chartsSeen {
				out = append(out, sweep.ChartDir+"/")
				chartsSeen = true
			}
			continue
		}
		out = append(out, f)
	}
	return append(out, sweep.PointsDir+"/")
}
