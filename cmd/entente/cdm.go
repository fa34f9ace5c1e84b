package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/calibrate"
	"github.com/entente/entente/sim/runner"
)

func init() {
	extraCommands = append(extraCommands, newImportCmd, newCompareCmd, newCalibrateCmd)
}

func newImportCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import SOURCE",
		Short: "Build a scenario file from empirical data (source: cdm)",
		Long: `Build a scenario file from an empirical panel. The one source is cdm: the
Cranmer-Desmarais-Menninga alliance panel 1981-2000 (164 states, defence
alliances, militarised disputes, contiguity, Polity, COW CINC) in --data.

The scenario starts from the observed world of --year (states, capabilities,
values, the year's defence alliances as ties, one conventional threat per
state in a militarised dispute) and runs one step per year to 2000. The
design is documented in 'go doc github.com/entente/entente/scenarios/cdm'.`,
		Example: `  entente import cdm --year 1981 --out cdm-1981.yaml
  entente import cdm --year 1990 --data ../shared/data/empirical --out cdm-1990.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "cdm" {
				return fmt.Errorf("import: unknown source %q: want cdm", args[0])
			}
			f := cmd.Flags()
			year, _ := f.GetInt("year")
			dir, _ := f.GetString("data")
			out, _ := f.GetString("out")
			data, err := cdm.Import(dir, year)
			if err != nil {
				return err
			}
			if _, err := scenarios.Parse(out, data); err != nil {
				return fmt.Errorf("import: the generated scenario does not load: %w", err)
			}
			if out == "" || out == "-" {
				_, err := stdout.Write(data)
				return err
			}
			if fi, err := os.Stat(out); err == nil && fi.IsDir() {
				return fmt.Errorf("import: --out %s is a folder: give a file name, e.g. --out %s", out, filepath.Join(out, fmt.Sprintf("cdm-%d.yaml", year)))
			}
			if err := results.WriteFileAtomic(out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
				return outFileError(out, err)
			}
			fmt.Fprintf(stdout, "wrote %s (cdm %d)\n", out, year)
			return nil
		},
	}
	f := cmd.Flags()
	f.Int("year", 1981, "first year: the observed world the scenario starts from")
	f.String("data", cdm.DefaultDir, "folder of the CDM panel files")
	f.String("out", "", "scenario file to write (default: standard output)")
	return cmd
}

// outFileError is the error of a scenario file that could not be written
// to --out: it names the file and the flag, and says how to fix it.
func outFileError(out string, err error) error {
	dir := filepath.Dir(out)
	var fix string
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fix = fmt.Sprintf("create the folder %s first, or give --out a file in a folder that exists", dir)
	case errors.Is(err, syscall.ENOTDIR):
		fix = fmt.Sprintf("%s is not a folder: give --out a file in a folder", dir)
	case errors.Is(err, fs.ErrPermission):
		fix = fmt.Sprintf("make the folder %s writable, or give --out a file in another folder", dir)
	default:
		fix = "give --out a file in a folder you can write to, or leave --out out to print the scenario"
	}
	cause := err // the system's reason, without the layers that name the file again
	var errno syscall.Errno
	if errors.As(err, &errno) {
		cause = errno
	}
	return fmt.Errorf("import: cannot write --out %s: %v (%s)", out, cause, fix)
}

// cdmSource is the scenario and observed target a compare or calibrate uses.
type cdmSource struct {
	sc     *scenarios.Scenario
	target *calibrate.Target
	year   int
	panel  *cdm.Panel
	over   []string
}

func loadCDM(cmd *cobra.Command, args []string) (*cdmSource, error) {
	f := cmd.Flags()
	dir, _ := f.GetString("data")
	year, _ := f.GetInt("import-year")
	over, err := overrides(cmd)
	if err != nil {
		return nil, err
	}
	p, err := cdm.ReadPanel(dir)
	if err != nil {
		return nil, err
	}
	var sc *scenarios.Scenario
	switch {
	case len(args) == 1 && year != 0:
		return nil, fmt.Errorf("give a scenario file or --import-year, not both")
	case len(args) == 1:
		sc, err = scenarios.Load(args[0], over...)
		if err != nil {
			return nil, err
		}
		y, ok := strings.CutPrefix(sc.Name, "cdm-")
		year, err = strconv.Atoi(y)
		if !ok || err != nil {
			return nil, fmt.Errorf("scenario %s: name %q is not cdm-YEAR (made by 'entente import cdm'); use --import-year", args[0], sc.Name)
		}
	case year != 0:
		data, err := p.Scenario(year)
		if err != nil {
			return nil, err
		}
		sc, err = scenarios.Parse(fmt.Sprintf("cdm-%d.yaml", year), data, over...)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("give a scenario file made by 'entente import cdm' or --import-year YEAR")
	}
	tg, err := calibrate.TargetFromPanel(p, year)
	if err != nil {
		return nil, err
	}
	if sc.Steps < tg.Steps() {
		tg = calibrate.NewTarget(year, tg.N, tg.Nets[:sc.Steps+1])
	}
	return &cdmSource{sc: sc, target: tg, year: year, panel: p, over: over}, nil
}

func cdmFlags(cmd *cobra.Command, reps int) {
	f := cmd.Flags()
	f.Int("import-year", 0, "import the CDM panel from this year instead of reading a scenario file")
	f.String("data", cdm.DefaultDir, "folder of the CDM panel files")
	f.Int("replicates", reps, "replicates per evaluation")
	f.Uint64("seed", 1, "master seed (the same seeds for every evaluation: common random numbers)")
	f.Int("workers", 0, "parallel workers (0: one per CPU); does not change the output")
	f.String("network", string(calibrate.Dyads), "simulated network compared with the defence pacts: dyads (bilateral alliances and common membership of a mutual-defence organisation), alliance (bilateral alliances only) or all (every pairwise tie and dyad)")
	f.Bool("force", false, "replace what --out holds from an earlier compare or calibrate (a folder holding results is refused otherwise)")
	addOverrideFlags(cmd)
}

// claimOut claims a compare or calibrate output folder: refused when it
// holds results, unless --force, which replaces them.
func claimOut(cmd *cobra.Command, out string) (*results.Folder, error) {
	mode := results.New
	if force, _ := cmd.Flags().GetBool("force"); force {
		mode = results.Replace
	}
	f, err := results.Claim(out, mode)
	var occ *results.OccupiedError
	if errors.As(err, &occ) {
		// the message offers --resume where the command has it
		occ.Resume = cmd.Flags().Lookup("resume") != nil
	}
	if err != nil {
		return nil, err
	}
	sayFolder(cmd.ErrOrStderr(), f, out, 0, 0)
	return f, nil
}

// checkSimOptions refuses --replicates and --network values the
// simulation would refuse, before an output folder is claimed.
func checkSimOptions(cmd *cobra.Command) error {
	o := simOptions(cmd)
	if o.Replicates < 1 {
		return fmt.Errorf("--replicates %d: want at least 1", o.Replicates)
	}
	switch o.Network {
	case "", calibrate.Dyads, calibrate.Binding, calibrate.AllTies:
		return nil
	}
	return fmt.Errorf("--network %q: want %q, %q or %q", o.Network, calibrate.Dyads, calibrate.Binding, calibrate.AllTies)
}

func simOptions(cmd *cobra.Command) calibrate.Options {
	f := cmd.Flags()
	reps, _ := f.GetInt("replicates")
	seed, _ := f.GetUint64("seed")
	workers, _ := f.GetInt("workers")
	net, _ := f.GetString("network")
	return calibrate.Options{Replicates: reps, Seed: seed, Workers: workers, Network: calibrate.Network(net)}
}

func newCompareCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "compare [SCENARIO.yaml]",
		Short: "Set each simulated year beside the observed CDM alliance network",
		Long: `Run an imported CDM scenario (a file from 'entente import cdm', or
--import-year YEAR) with replicates to 2000 and set every simulated year beside
the observed one: edges, density, global transitivity, isolates, the
Kolmogorov-Smirnov distance between simulated and observed degree
distributions, the overlap of the top-10 degree states, and tie persistence
(share of the previous year's ties still present).

Writes compare.csv (year,statistic,observed,sim_mean,sim_lo,sim_hi; the band
is the central 95% of the replicates), one chart per statistic (observed
line over the simulated band, PNG and SVG) and compare.json (scenario, its
hash, overrides, parameters, seed, replicates, version) into --out. A folder
that already holds results is refused; --force replaces them.`,
		Example: `  entente compare --import-year 1981 --replicates 20 --out results/out/compare
  entente compare cdm-1981.yaml --overlay calibrated.overlay --out results/out/compare-fit`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, _ := cmd.Flags().GetInt("workers")
			if err := checkWorkers(w); err != nil {
				return err
			}
			src, err := loadCDM(cmd, args)
			if err != nil {
				return err
			}
			if err := checkSimOptions(cmd); err != nil {
				return fmt.Errorf("compare: %w", err)
			}
			out, _ := cmd.Flags().GetString("out")
			if out == "" {
				out = filepath.Join("results", "out", "compare-"+filepath.Base(src.sc.Name))
			}
			folder, err := claimOut(cmd, out)
			if err != nil {
				return err
			}
			defer folder.Release()
			opt := simOptions(cmd)
			r, err := calibrate.Simulate(cmd.Context(), src.sc, src.sc.Params, src.target, opt)
			if err != nil {
				return err
			}
			rows := calibrate.Compare(src.target, r)
			if err := writeCompare(out, rows); err != nil {
				return err
			}
			m := results.NewManifest()
			m.Scenario, m.ScenarioFile, m.ScenarioHash, m.Overrides = src.sc.Name, src.sc.File, src.sc.Hash, src.sc.Overrides
			m.Parameters, m.Seed, m.Replicates, m.Steps = runner.ParamMap(&src.sc.Params), opt.Seed, opt.Replicates, src.target.Steps()
			m.Complete, m.RunsDone, m.Files = true, opt.Replicates, []string{"compare.csv", "charts/"}
			js, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				return err
			}
			if err := writeBytes(filepath.Join(out, "compare.json"), append(js, '\n')); err != nil {
				return err
			}
			printCompare(stdout, rows, src.target)
			if src.year == 1981 {
				printTargets(stdout, calibrate.Targets(rows))
			}
			if one, _ := cmd.Flags().GetBool("one-step"); one {
				p := src.panel
				world := func(year int) (*sim.World, string, error) {
					data, err := p.Scenario(year)
					if err != nil {
						return nil, "", err
					}
					sc, err := scenarios.Parse(fmt.Sprintf("cdm-%d.yaml", year), data, src.over...)
					if err != nil {
						return nil, "", err
					}
					return sc.World, sc.Name, nil
				}
				osr, err := calibrate.OneStep(cmd.Context(), p, world, src.sc.Params, opt)
				if err != nil {
					return err
				}
				if err := writeRows(filepath.Join(out, "onestep.csv"), osr); err != nil {
					return err
				}
				printOneStep(stdout, osr)
			}
			fmt.Fprintln(stdout, "\nbeside a stochastic actor-oriented model of the same panel (issue 12's reference):")
			for _, r := range calibrate.SAOMReference {
				fmt.Fprintf(stdout, "  %-34s %-16s %-10s %-12s %s\n", r.Model, r.Stat, r.Years, r.Value, r.Note)
			}
			fmt.Fprintf(stdout, "wrote %s\n", out)
			return nil
		},
	}
	cdmFlags(cmd, 20)
	cmd.Flags().String("out", "", "output folder (default results/out/compare-SCENARIO)")
	cmd.Flags().Bool("one-step", false, "also the conditional one-step-ahead check: every year simulated from the observed world of the year before, imported from the panel with the same overrides (onestep.csv)")
	return cmd
}

// printTargets prints the project's targets on the record with their
// figures (a run from 1981).
func printTargets(w io.Writer, checks []calibrate.Check) {
	ok := 0
	for _, c := range checks {
		if c.OK {
			ok++
		}
	}
	fmt.Fprintf(w, "\ntargets on the alliance record (issue 12): %d of %d met\n", ok, len(checks))
	for _, c := range checks {
		mark := "MISS"
		if c.OK {
			mark = "ok  "
		}
		fmt.Fprintf(w, "  %s %-60s %s\n", mark, c.Target, c.Value)
	}
}

// printOneStep summarises the one-step-ahead rows: per statistic, the mean
// observed and simulated value over the years.
func printOneStep(w io.Writer, rows []calibrate.Row) {
	fmt.Fprintln(w, "\none step ahead (each year from the observed year before), means over 1982-2000:")
	for _, st := range calibrate.Stats {
		var o, m float64
		n := 0
		for _, r := range rows {
			if r.Stat == st {
				o, m, n = o+r.Observed, m+r.Mean, n+1
			}
		}
		if n > 0 {
			fmt.Fprintf(w, "  %-14s observed %8.4g  simulated %8.4g\n", st, o/float64(n), m/float64(n))
		}
	}
}

func newCalibrateCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calibrate [SCENARIO.yaml]",
		Short: "Fit model parameters to the CDM alliance panel (simulated method of moments)",
		Long: `Fit the model's behavioural parameters to the observed CDM alliance networks
by the simulated method of moments: gonum's Nelder-Mead on a bounded,
transformed space minimises the standardised squared distance between
replicate means and the observed density, transitivity, isolates, yearly and
five-year persistence of the defence dyads over the fitted years (--fit-to,
default 1995; the later years to 2000 are out of sample), together with the
stationarity of a cross-section the panel does not observe (--stationary,
default the built-in baseline: its tie counts by form and with support, share
of deep ties, mean tie age and number of ties under two years old held over
its run). Every evaluation uses the same seeds (common random numbers), so
the fit is reproducible from --seed.
One line per evaluation shows the values and the objective. The search reads
the objective in sample alone, so its evaluations simulate the fitted years
only (14 of the record's 19 years); the objective out of sample is worked out
for the start and for the fit (report.md, fit.json).

Each evaluation is also appended to evaluations.tsv in --out as it finishes
(synced to disk; its out_of_sample column is NaN but for the start's), so a
calibration that Ctrl-C, a kill or a lost node cut short goes on with
--resume: the same command reads the evaluations done back
instead of simulating them again (the search is deterministic, so it asks for
the same values in the same order) and continues from there; the result is
the one an uninterrupted run writes, byte for byte. A checkpoint written by
another calibration (other data, parameters, bounds, starts, budget, seed,
replicates or version) is refused.

--start NAME=VALUE[,NAME=VALUE...] (repeatable) adds a starting point: the
search runs from the scenario's values (after --overlay and --set), --evals
evaluations; then from each --start in two stages of --evals evaluations:
first the other parameters with the named ones held at the start's values (a
point of the objective's profile), then all of them from the best point found.
The best evaluation of all is the fit (a multi-start search: the objective can
have more than one basin). fit.json lists what each start found; the
evaluation lines name each start and stage.

Writes into --out: calibrated.overlay (one parameters.NAME=VALUE override per
line; 'entente compare --overlay' reads it, and each line is a --set),
fit.json, report.md (observed vs simulated, in and out of sample),
compare.csv and charts at the fitted values. A folder that already holds
results is refused; --force replaces them, --resume continues them.

Default parameters (--params NAME[:LO:HI],...): the parameters whose defaults
are calibrated ('entente list parameters --markdown', basis "calibrated").
--block NAME fits one block of the project's own calibration instead
(calibrate.Blocks; give the earlier blocks' results with --overlay):
` + blockHelp() + `
'make calibrate' runs them in order; its output is behind the defaults
(docs/calibration/README.md).`,
		Example: `  entente calibrate --import-year 1981 --replicates 8 --evals 250 --out results/out/calibrate
  entente calibrate cdm-1981.yaml --params upkeep_cost,temperature:0.001:0.1 --evals 30
  entente calibrate --import-year 1981 --block record --evals 200 --out results/out/calibrate-record
  entente calibrate --import-year 1981 --block cross-section --overlay results/out/calibrate-record/calibrated.overlay
  entente calibrate --import-year 1981 --block record --evals 200 --out results/out/calibrate-record --resume`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCalibrate(cmd, args, stdout)
		},
	}
	cdmFlags(cmd, 10)
	f := cmd.Flags()
	f.String("params", calibrate.DefaultParamList(), "parameters to fit: NAME or NAME:LO:HI, comma-separated")
	f.String("block", "", "fit one block of the project's calibration instead of --params: "+strings.Join(blockNames(), " or "))
	f.String("stationary", "baseline", "a built-in scenario whose observed cross-section is assumed the model's stationary state (its tie count and depth held over its run: the non-binding ties the panel does not observe); empty for none")
	f.Int("evals", 60, "evaluations of the objective (each runs --replicates replicates), per start")
	f.StringArray("start", nil, "a further starting point of the search, NAME=VALUE[,NAME=VALUE...] of fitted parameters (repeatable; a --block adds its own)")
	f.Int("fit-to", 1995, "last year fitted; later years are out of sample")
	f.String("out", "", "output folder (default results/out/calibrate-SCENARIO)")
	f.Bool("resume", false, "go on with the calibration in --out that Ctrl-C, a kill or a crash cut short (the same command): the evaluations in its "+calibrate.CheckpointFile+" are read back, not simulated again")
	return cmd
}

// openCheckpoint starts the calibration's checkpoint in its folder, or with
// resume reads the one there into cfg.Replay and reopens it to go on. A
// checkpoint of another calibration (another identity) is refused; so is a
// folder holding a result set without one. An empty folder starts afresh.
func openCheckpoint(stderr io.Writer, cfg *calibrate.Config, folder *results.Folder, resume bool) (*calibrate.CheckpointWriter, error) {
	id, err := cfg.Identity(results.Version)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(folder.Dir, calibrate.CheckpointFile)
	if !resume {
		return calibrate.CreateCheckpoint(path, id)
	}
	had, evals, good, err := calibrate.ReadCheckpoint(path)
	switch {
	case errors.Is(err, calibrate.ErrNoCheckpoint) && !folder.Held:
		fmt.Fprintf(stderr, "calibrate: %s holds nothing to resume: starting afresh\n", folder.Dir)
		return calibrate.CreateCheckpoint(path, id)
	case errors.Is(err, calibrate.ErrNoCheckpoint):
		return nil, fmt.Errorf("calibrate: --resume: %s holds a result set but no %s (a calibration made before checkpoints, or another command's results): --force starts afresh", folder.Dir, calibrate.CheckpointFile)
	case err != nil:
		return nil, fmt.Errorf("%w (--force starts afresh)", err)
	case had != id:
		return nil, fmt.Errorf("calibrate: --resume: %s was written by another calibration (identity %.12s, this one %.12s: other data, parameters, --params or --block, --start, --evals, --fit-to, --stationary, --seed, --replicates, --network or version): run the command that wrote it, or --force to start afresh", path, had, id)
	}
	cfg.Replay = evals
	fmt.Fprintf(stderr, "calibrate: resuming %s after %d evaluations from %s\n", folder.Dir, len(evals), calibrate.CheckpointFile)
	return calibrate.AppendCheckpoint(path, good)
}

// blockNames are the names of calibrate.Blocks, in order.
func blockNames() []string {
	out := make([]string, len(calibrate.Blocks))
	for i, b := range calibrate.Blocks {
		out[i] = b.Name
	}
	return out
}

// blockHelp describes calibrate.Blocks for --help: one paragraph a block,
// its name, what it fits on and its parameters.
func blockHelp() string {
	var b strings.Builder
	for _, bl := range calibrate.Blocks {
		fmt.Fprintf(&b, "  %s: %s (%s)", bl.Name, bl.Doc, strings.Join(bl.Params, ", "))
		if !bl.Stationary {
			b.WriteString("; without --stationary")
		}
		for _, st := range bl.Starts {
			fmt.Fprintf(&b, "; also from --start %s", st)
		}
		b.WriteString(".\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func runCalibrate(cmd *cobra.Command, args []string, stdout io.Writer) error {
	f := cmd.Flags()
	w, _ := f.GetInt("workers")
	if err := checkWorkers(w); err != nil {
		return err
	}
	src, err := loadCDM(cmd, args)
	if err != nil {
		return err
	}
	ps, _ := f.GetString("params")
	stationary, _ := f.GetString("stationary")
	var starts []calibrate.Start
	if name, _ := f.GetString("block"); name != "" {
		b, ok := calibrate.LookupBlock(name)
		if !ok {
			return fmt.Errorf("calibrate: --block %q: want one of %s", name, strings.Join(blockNames(), ", "))
		}
		if f.Changed("params") {
			return errors.New("calibrate: --block and --params both name the parameters to fit: give one of them")
		}
		if !b.Stationary && f.Changed("stationary") {
			return fmt.Errorf("calibrate: --block %s fits on the record alone: drop --stationary", b.Name)
		}
		ps = b.ParamList()
		if !b.Stationary {
			stationary = ""
		}
		starts = append(starts, b.Starts...)
	}
	extra, _ := f.GetStringArray("start")
	for _, x := range extra {
		st, err := calibrate.ParseStart(x)
		if err != nil {
			return fmt.Errorf("calibrate: --start: %w", err)
		}
		starts = append(starts, st)
	}
	bounds, err := calibrate.ParseBounds(ps)
	if err != nil {
		return err
	}
	if err := calibrate.CheckStarts(bounds, starts); err != nil {
		return fmt.Errorf("%w (--start)", err)
	}
	evals, _ := f.GetInt("evals")
	if evals < 1 {
		return fmt.Errorf("calibrate: --evals %d: want at least 1 evaluation", evals)
	}
	if err := checkSimOptions(cmd); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	fitTo, _ := f.GetInt("fit-to")
	fitLast := fitTo - src.year
	if fitLast < 1 || fitLast > src.target.Steps() {
		return fmt.Errorf("calibrate: --fit-to %d: want a year in %d..%d", fitTo, src.year+1, src.year+src.target.Steps())
	}
	resume, _ := f.GetBool("resume")
	if force, _ := f.GetBool("force"); resume && force {
		return errors.New("calibrate: --resume continues the calibration in --out and --force replaces it: give one of them")
	}
	var stat *calibrate.Stationary
	if name := stationary; name != "" {
		over, err := overrides(cmd)
		if err != nil {
			return err
		}
		ssc, err := scenarios.Load(name, over...)
		if err != nil {
			return fmt.Errorf("calibrate: --stationary: %w", err)
		}
		stat = &calibrate.Stationary{Name: ssc.Name, World: ssc.World, Steps: ssc.Steps}
	}
	out, _ := f.GetString("out")
	if out == "" {
		out = filepath.Join("results", "out", "calibrate-"+filepath.Base(src.sc.Name))
	}
	var folder *results.Folder
	if resume {
		folder, err = results.Claim(out, results.Resume)
	} else {
		folder, err = claimOut(cmd, out)
	}
	if err != nil {
		return err
	}
	defer folder.Release()
	opt := simOptions(cmd)
	fmt.Fprintf(stdout, "calibrating %s: %d replicates per evaluation, seed %d, fit %d-%d, out of sample %d-%d\n",
		src.sc.Name, opt.Replicates, opt.Seed, src.year+1, fitTo, fitTo+1, src.year+src.target.Steps())
	cfg := calibrate.Config{
		Scenario: src.sc, Target: src.target, Bounds: bounds, FitLast: fitLast, MaxEvals: evals, Options: opt, Stationary: stat,
		Starts: starts,
	}
	ckpt, err := openCheckpoint(cmd.ErrOrStderr(), &cfg, folder, resume)
	if err != nil {
		return err
	}
	defer ckpt.Close()
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	var ckptErr error
	lastStart, lastHeld := -1, false
	cfg.Progress = func(e calibrate.Eval) {
		if e.N > len(cfg.Replay) && ckptErr == nil {
			if ckptErr = ckpt.Write(e); ckptErr != nil {
				cancel() // a calibration that cannot keep its checkpoint stops
			}
		}
		var b strings.Builder
		if e.Start != lastStart && len(starts) > 0 {
			from := "the scenario's values"
			if e.Start > 0 {
				from = starts[e.Start-1].String() + ", held while the others are fitted"
			}
			fmt.Fprintf(&b, "start %d of %d: %s\n", e.Start+1, len(starts)+1, from)
		} else if e.Start > 0 && lastHeld && !e.Held {
			fmt.Fprintf(&b, "start %d of %d: all parameters free from the best point so far\n", e.Start+1, len(starts)+1)
		}
		lastStart, lastHeld = e.Start, e.Held
		fmt.Fprintf(&b, "eval %3d ", e.N)
		for i, bd := range bounds {
			fmt.Fprintf(&b, " %s=%.5g", bd.Name, e.Values[i])
		}
		fmt.Fprintf(&b, "  objective %.5g", e.Objective)
		if e.Stationary != "" {
			fmt.Fprintf(&b, "  (%s)", e.Stationary)
		}
		b.WriteString("\n")
		io.WriteString(stdout, b.String())
	}
	fit, err := calibrate.Run(ctx, cfg)
	if ckptErr != nil {
		return ckptErr
	}
	if err != nil && fit != nil && fit.Interrupted {
		// Ctrl-C: keep the best evaluation so far
		header := fmt.Sprintf("entente calibrate %s: %s, seed %d, %d replicates, INTERRUPTED after %d evaluations, fit %d-%d\nbest objective in sample so far %.4g (start %.4g); not judged out of sample\nuse: entente compare --import-year %d --overlay FILE, or each line as --set",
			src.sc.Name, results.Version, opt.Seed, opt.Replicates, fit.Evals, src.year+1, fitTo, fit.Objective, fit.StartIn, src.year)
		if werr := writeBytes(filepath.Join(out, "calibrated.overlay"), fit.Overlay(header)); werr != nil {
			return werr
		}
		js, jerr := json.MarshalIndent(struct {
			Scenario    string            `json:"scenario"`
			Seed        uint64            `json:"seed"`
			Interrupted bool              `json:"interrupted"`
			Parameters  []string          `json:"parameters"`
			Best        []float64         `json:"best_so_far"`
			Objective   float64           `json:"objective_in_sample"`
			History     []calibrate.Eval  `json:"history"`
			Bounds      []calibrate.Bound `json:"bounds"`
		}{src.sc.Name, opt.Seed, true, fit.Names, fit.Best, fit.Objective, fit.History, bounds}, "", "  ")
		if jerr != nil {
			return jerr
		}
		if werr := writeBytes(filepath.Join(out, "fit.json"), append(js, '\n')); werr != nil {
			return werr
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "interrupted after %d evaluations: kept the best so far in %s (calibrated.overlay, fit.json); the same command with --resume goes on\n", fit.Evals, out)
		return &exitError{code: 130, err: err}
	}
	if err != nil {
		return err
	}
	header := fmt.Sprintf("entente calibrate %s: %s, seed %d, %d replicates, %d evaluations, fit %d-%d\nobjective in sample %.4g (start %.4g), out of sample %.4g (start %.4g)\nuse: entente compare --import-year %d --overlay FILE, or each line as --set",
		src.sc.Name, results.Version, opt.Seed, opt.Replicates, fit.Evals, src.year+1, fitTo, fit.Objective, fit.StartIn, fit.OutOfSample, fit.StartOut, src.year)
	if err := writeBytes(filepath.Join(out, "calibrated.overlay"), fit.Overlay(header)); err != nil {
		return err
	}
	rows := calibrate.Compare(src.target, fit.Sims)
	build := results.NewManifest()
	js, err := json.MarshalIndent(struct {
		Tool     string `json:"tool"`
		Version  string `json:"version"`
		Commit   string `json:"commit"`
		File     string `json:"scenario_file"`
		Hash     string `json:"scenario_hash"`
		Scenario string `json:"scenario"`
		Seed     uint64 `json:"seed"`
		Reps     int    `json:"replicates"`
		Network  string `json:"network"`
		FitYears [2]int `json:"fit_years"`
		OutYears [2]int `json:"out_of_sample_years"`
		*calibrate.Fit
		Bounds  []calibrate.Bound  `json:"bounds"`
		Moments []calibrate.Moment `json:"moments"`
	}{build.Tool, build.Version, build.Commit, src.sc.File, src.sc.Hash, src.sc.Name, opt.Seed, opt.Replicates, string(opt.Network), [2]int{src.year + 1, fitTo}, [2]int{fitTo + 1, src.year + src.target.Steps()}, fit, bounds, calibrate.DefaultMoments}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeBytes(filepath.Join(out, "fit.json"), append(js, '\n')); err != nil {
		return err
	}
	if err := writeBytes(filepath.Join(out, "report.md"), fitReport(src, fit, rows, fitTo, opt)); err != nil {
		return err
	}
	if err := writeCompare(out, rows); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "fitted:")
	for i, n := range fit.Names {
		fmt.Fprintf(stdout, " %s=%.5g", n, fit.Best[i])
	}
	fmt.Fprintf(stdout, "\nobjective in sample %.4g (start %.4g), out of sample %.4g (start %.4g)\n", fit.Objective, fit.StartIn, fit.OutOfSample, fit.StartOut)
	printCompare(stdout, rows, src.target)
	fmt.Fprintf(stdout, "wrote %s\n", out)
	return nil
}

func writeBytes(path string, b []byte) error {
	return results.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

func ff(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// writeCompare writes compare.csv and a chart per statistic into dir.
// writeRows writes rows as compare.csv does.
func writeRows(path string, rows []calibrate.Row) error {
	return results.WriteFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(calibrate.CompareHeader)
		for _, r := range rows {
			cw.Write([]string{strconv.Itoa(r.Year), r.Stat, ff(r.Observed), ff(r.Mean), ff(r.Lo), ff(r.Hi)})
		}
		cw.Flush()
		return cw.Error()
	})
}

func writeCompare(dir string, rows []calibrate.Row) error {
	err := results.WriteFileAtomic(filepath.Join(dir, "compare.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(calibrate.CompareHeader)
		for _, r := range rows {
			cw.Write([]string{strconv.Itoa(r.Year), r.Stat, ff(r.Observed), ff(r.Mean), ff(r.Lo), ff(r.Hi)})
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cd := filepath.Join(dir, "charts")
	if err := os.MkdirAll(cd, 0o755); err != nil {
		return err
	}
	// the charts are independent and a PNG's encoding is most of their
	// cost: drawn concurrently, as many at once as there are processors
	errs := make([]error, len(calibrate.Stats))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k, st := range calibrate.Stats {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			errs[k] = compareChart(rows, st, filepath.Join(cd, st))
			<-sem
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// compareChart draws the observed line over the simulated band and mean
// (charts.Compare); the distances to the observed network (degree KS,
// top-10 overlap) have no observed series but the value of a perfect match.
func compareChart(rows []calibrate.Row, stat, base string) error {
	var cr []charts.CompareRow
	for _, r := range rows {
		if r.Stat == stat {
			cr = append(cr, charts.CompareRow{Year: r.Year, Observed: r.Observed, Mean: r.Mean, Low: r.Lo, High: r.Hi})
		}
	}
	if len(cr) == 0 {
		return nil
	}
	ref := stat == calibrate.StatDegreeKS || stat == calibrate.StatTop10
	for _, ext := range []string{".png", ".svg"} {
		if err := charts.Compare(base+ext, cr, stat, ref); err != nil {
			return err
		}
	}
	return nil
}

// printCompare prints the headline statistics for a few years.
func printCompare(w io.Writer, rows []calibrate.Row, tg *calibrate.Target) {
	show := map[int]bool{tg.First: true, tg.First + tg.Steps(): true}
	for _, y := range []int{1990, 1995} {
		show[y] = true
	}
	fmt.Fprintf(w, "%-6s %-14s %10s %10s %21s\n", "year", "statistic", "observed", "sim_mean", "sim 95%")
	for _, r := range rows {
		if show[r.Year] {
			fmt.Fprintf(w, "%-6d %-14s %10.4g %10.4g   [%8.4g, %8.4g]\n", r.Year, r.Stat, r.Observed, r.Mean, r.Lo, r.Hi)
		}
	}
}

func fitReport(src *cdmSource, fit *calibrate.Fit, rows []calibrate.Row, fitTo int, opt calibrate.Options) []byte {
	var b strings.Builder
	last := src.year + src.target.Steps()
	fmt.Fprintf(&b, "# Calibration of %s to the CDM alliance panel\n\n", src.sc.Name)
	fmt.Fprintf(&b, "Simulated method of moments, Nelder–Mead (gonum/optimize) on a logit-transformed bounded space; %d replicates per evaluation with common random numbers (seed %d); simulated network: %s ties. Fitted years %d–%d, out of sample %d–%d. %d evaluations, status %s.\n\n",
		opt.Replicates, opt.Seed, orDefault(string(opt.Network), "alliance"), src.year+1, fitTo, fitTo+1, last, fit.Evals, fit.Status)
	b.WriteString("| parameter | start | fitted | search interval |\n|---|---|---|---|\n")
	for i, bd := range fit.Bounds {
		scale := "linear"
		if bd.Log {
			scale = "log"
		}
		fmt.Fprintf(&b, "| %s | %.4g | %.4g | [%g, %g] %s |\n", bd.Name, fit.Start[i], fit.Best[i], bd.Lo, bd.Hi, scale)
	}
	fmt.Fprintf(&b, "\nObjective (mean squared standardised misfit; units: density and isolates 10%% of observed, transitivity 0.05, persistence 0.01): in sample %.4g (start %.4g), out of sample %.4g (start %.4g).\n\n",
		fit.Objective, fit.StartIn, fit.OutOfSample, fit.StartOut)
	best := -1
	for i, e := range fit.History {
		if e.Stationary != "" && (best < 0 || e.Objective < fit.History[best].Objective) {
			best = i
		}
	}
	if best >= 0 {
		fmt.Fprintf(&b, "The in-sample objective includes the stationarity of a cross-section the panel does not observe (each of its moments one more series; units: tie counts 25%% or their Poisson spread, deep share 0.1, mean age 25%%). At the best evaluation, over its run: %s.\n\n", fit.History[best].Stationary)
	}
	b.WriteString("## Means over the years, observed vs simulated\n\n| statistic | observed in sample | simulated in sample | observed out of sample | simulated out of sample |\n|---|---|---|---|---|\n")
	for _, st := range calibrate.Stats {
		var oi, si, oo, so float64
		var ni, no int
		for _, r := range rows {
			if r.Stat != st || r.Year == src.year {
				continue
			}
			if r.Year <= fitTo {
				oi, si, ni = oi+r.Observed, si+r.Mean, ni+1
			} else {
				oo, so, no = oo+r.Observed, so+r.Mean, no+1
			}
		}
		fmt.Fprintf(&b, "| %s | %.4g | %.4g | %.4g | %.4g |\n", st, oi/float64(max(ni, 1)), si/float64(max(ni, 1)), oo/float64(max(no, 1)), so/float64(max(no, 1)))
	}
	b.WriteString("\n## Selected years\n\n| year | statistic | observed | simulated mean | simulated 95% |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		if r.Year == 1990 || r.Year == fitTo || r.Year == last {
			fmt.Fprintf(&b, "| %d | %s | %.4g | %.4g | [%.4g, %.4g] |\n", r.Year, r.Stat, r.Observed, r.Mean, r.Lo, r.Hi)
		}
	}
	b.WriteString("\nEvery year: compare.csv; charts: charts/STATISTIC.png. Reproduce with the same command and --seed.\n")
	return []byte(b.String())
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
