package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios/facts"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/runner"
)

func init() { extraCommands = append(extraCommands, newFactsCmd) }

func newFactsCmd(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "facts [--set NAME=VALUE ...] [--only FACT,...] [--hypercube N --out DIR]",
		Short: "Check the model's stylised facts and plausibility guards, at given parameters or over a Latin hypercube",
		Long: `Run the seven stylised facts of the model description (MODEL.md: retrenchment
breeds minilateralism, a major threat drives binding alliances, coalitions end
with their threat, asymmetric hubs, trust lowers the hazard of abandonment,
sponsor exit hurts, the Taiwan crisis), each against its control (shock
against no shock, high against low retrenchment) over replicates of the
built-in scenarios, and the plausibility guards (outcomes no expert would
accept must stay rare). Prints, for each, whether it holds and the figures
it rests on. --knockout also runs each fact with the mechanism that produces
it removed, and gives each fact that holds a verdict: it vanishes with its
mechanism (the mechanism explains it), or it holds as much without (the
mechanism named is not what produces it). A last line sorts the facts run by
verdict. --seeds N runs each fact and guard on N master seeds (--seed and
the next ones) and says on how many it holds (a fact, with --knockout:
through its mechanism). --only runs the named facts and guards alone (a fact's number, or a
guard's name or its first words).

By default the parameters are the calibrated defaults (docs/calibration);
--set changes any of them ('entente list params' lists them).

--hypercube N runs the robustness check: N points of a Latin hypercube over
the plausible range of every parameter whose default is an assumption, and
the temperature from 0.005 to 0.15, the calibrated ones held at their
values; it reports the share of points at which each fact holds, with its
95 % Wilson interval (50 points tell 70 % from 80 % only loosely), and
writes hypercube.csv (one row per point: the parameters, then 1/0 per fact)
and hypercube.json (axes, seed, version) into --out, both rewritten after
every point. It takes several seconds per point; Ctrl-C or a kill stops it and
keeps the points done, and --resume goes on from there with the same
result as an uninterrupted run. With --only it checks the named facts alone
(at the same points and seeds as the whole check), so that one fact's
robustness can be measured with more replicates than the whole check can
afford: --replicates applies to every fact checked.`,
		Example: `  entente facts
  entente facts --knockout
  entente facts --only 7 --knockout --replicates 96
  entente facts --only 6 --seeds 6
  entente facts --only 2,accommodation
  entente facts --set temperature=0.05 --set reputation_learning=0.5
  entente facts --hypercube 50 --out results/out/validate
  entente facts --hypercube 50 --out results/out/validate --resume
  entente facts --hypercube 50 --only 7 --replicates 384 --out results/out/validate7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			p := sim.DefaultParams()
			sets, _ := f.GetStringArray("set")
			for _, kv := range sets {
				if err := setParam(&p, kv); err != nil {
					return err
				}
			}
			seed, _ := f.GetUint64("seed")
			reps, _ := f.GetInt("replicates")
			if reps < 0 {
				return fmt.Errorf("--replicates %d: want 0 (each check's own number) or more", reps)
			}
			n, _ := f.GetInt("hypercube")
			if n < 0 {
				return fmt.Errorf("--hypercube %d: want a number of points (50 or more for the robustness check)", n)
			}
			only, _ := f.GetStringSlice("only")
			if f.Changed("seeds") && n > 0 {
				return errors.New("--seeds and --hypercube: the robustness check draws its points from --seed; drop --seeds")
			}
			if knock, _ := f.GetBool("knockout"); knock && n > 0 {
				return errors.New("--knockout and --hypercube: the robustness check checks the facts, not their knock-outs; drop --knockout")
			}
			if n == 0 {
				for _, name := range []string{"out", "resume", "force"} {
					if f.Changed(name) {
						return fmt.Errorf("--%s: only the robustness check (--hypercube N) writes a folder; drop --%s, or add --hypercube 50", name, name)
					}
				}
			}
			if n > 0 {
				out, _ := f.GetString("out")
				if out == "" {
					return errors.New("--hypercube needs --out DIR for hypercube.csv (e.g. --out results/out/validate)")
				}
				fs, gs, err := selectChecks(only)
				if err != nil {
					return err
				}
				if len(only) > 0 && len(gs) > 0 {
					return fmt.Errorf("--only %s with --hypercube: the robustness check checks facts, not guards (%s); name facts alone, e.g. --only 7", strings.Join(only, ","), gs[0].Name)
				}
				return hypercube(cmd, stdout, stderr, p, fs, n, reps, seed, out)
			}
			runFacts, runGuards, err := selectChecks(only)
			if err != nil {
				return err
			}
			knock, _ := f.GetBool("knockout")
			var explained, unexplained, failed, held []string // fact numbers by verdict
			total, done, start := len(runFacts)+len(runGuards), 0, time.Now()
			progress := func(name string, reps int) {
				done++
				fmt.Fprintf(stderr, "facts: %s (%d of %d, %d replicates; %s elapsed)\n", name, done, total, reps, time.Since(start).Round(time.Second))
			}
			nSeeds, _ := f.GetInt("seeds")
			if nSeeds < 1 {
				return fmt.Errorf("--seeds %d: want a number of master seeds, 1 or more", nSeeds)
			}
			var bySeeds []string // "fact N k/n" per fact, with several seeds
			for _, fc := range runFacts {
				r := fc.Reps
				if reps > 0 {
					r = reps
				}
				progress(fc.Name, r)
				num := strings.TrimPrefix(fc.Name, "fact ")
				var good []string // the seeds it holds on (through its mechanism, with --knockout)
				for sd := seed; sd < seed+uint64(nSeeds); sd++ {
					lead := ""
					if nSeeds > 1 {
						lead = fmt.Sprintf("seed %d: ", sd)
					}
					res, err := fc.Check(p, r, sd)
					if err != nil {
						return err
					}
					fmt.Fprintf(stdout, "%s%s\n", lead, res)
					if sd == seed {
						fmt.Fprintf(stdout, "  %s\n", fc.Doc)
					}
					if nSeeds == 1 {
						switch {
						case !res.Holds:
							failed = append(failed, num)
						case !knock:
							held = append(held, num)
						}
					}
					explains := res.Holds
					if knock {
						kp, what := fc.Knockout(p)
						ko, err := fc.Check(kp, r, sd)
						if err != nil {
							return err
						}
						fmt.Fprintf(stdout, "  knock-out (%s): %s\n", what, ko)
						switch {
						case res.Holds && !ko.Holds:
							if nSeeds == 1 {
								explained = append(explained, num)
							}
							fmt.Fprintf(stdout, "  verdict: %s holds, and vanishes with its mechanism removed\n", fc.Name)
						case res.Holds:
							explains = false
							if nSeeds == 1 {
								unexplained = append(unexplained, num)
							}
							fmt.Fprintf(stdout, "  verdict: %s holds, but as much with its mechanism removed: that mechanism is not what produces it\n", fc.Name)
						}
					}
					if explains {
						good = append(good, strconv.FormatUint(sd, 10))
					}
					if err := cmd.Context().Err(); err != nil {
						return err
					}
				}
				if nSeeds > 1 {
					how := "holds"
					if knock {
						how = "holds through its mechanism"
					}
					seeds := ""
					if len(good) > 0 {
						seeds = " (" + strings.Join(good, ", ") + ")"
					}
					fmt.Fprintf(stdout, "%s %s on %d of %d seeds%s\n", fc.Name, how, len(good), nSeeds, seeds)
					bySeeds = append(bySeeds, fmt.Sprintf("%s %d/%d", fc.Name, len(good), nSeeds))
				}
			}
			for _, g := range runGuards {
				r := g.Reps
				if reps > 0 {
					r = reps
				}
				progress("guard: "+g.Name, r)
				var good []string
				for sd := seed; sd < seed+uint64(nSeeds); sd++ {
					res, err := g.Check(p, r, sd)
					if err != nil {
						return err
					}
					if nSeeds > 1 {
						fmt.Fprintf(stdout, "seed %d: ", sd)
					}
					fmt.Fprintf(stdout, "%s\n", res)
					if sd == seed {
						fmt.Fprintf(stdout, "  %s\n", g.Doc)
					}
					if res.Holds {
						good = append(good, strconv.FormatUint(sd, 10))
					}
					if err := cmd.Context().Err(); err != nil {
						return err
					}
				}
				if nSeeds > 1 {
					seeds := ""
					if len(good) > 0 {
						seeds = " (" + strings.Join(good, ", ") + ")"
					}
					fmt.Fprintf(stdout, "guard: %s holds on %d of %d seeds%s\n", g.Name, len(good), nSeeds, seeds)
				}
			}
			if nSeeds > 1 && len(runFacts) > 0 {
				how := "holding"
				if knock {
					how = "holding through their mechanism"
				}
				fmt.Fprintf(stdout, "facts %s, by seeds %d to %d: %s\n", how, seed, seed+uint64(nSeeds)-1, strings.Join(bySeeds, ", "))
			} else if len(runFacts) > 1 {
				list := func(xs []string) string {
					if len(xs) == 0 {
						return "none"
					}
					return strings.Join(xs, ", ")
				}
				if knock {
					fmt.Fprintf(stdout, "facts holding through their mechanism: %s; holding as much without it: %s; not holding: %s\n", list(explained), list(unexplained), list(failed))
				} else {
					fmt.Fprintf(stdout, "facts holding: %s (--knockout checks their mechanisms); not holding: %s\n", list(held), list(failed))
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArray("set", nil, "a parameter NAME=VALUE (repeatable; parameters.NAME also works)")
	f.Uint64("seed", 1, "master seed of the checks' replicates")
	f.Int("replicates", 0, "replicates per check (0: each check's own, as in the tests)")
	f.Int("seeds", 1, "run each fact and guard on this many master seeds (--seed, --seed+1, ...) and count those it holds on")
	f.Bool("knockout", false, "also run each fact with its producing mechanism removed")
	f.StringSlice("only", nil, "run only these facts and guards: a fact's number (7) or name ('fact 7'), a guard's name or its first words ('accommodation'); comma-separated or repeated")
	f.Int("hypercube", 0, "run the robustness check over N points of a Latin hypercube (50 or more)")
	f.String("out", "", "output folder of --hypercube")
	f.Bool("force", false, "replace what --out holds from an earlier run")
	f.Bool("resume", false, "go on with the robustness check in --out that Ctrl-C, a kill or a crash cut short (same --hypercube, --seed, --replicates and parameters)")
	return cmd
}

// selectChecks returns the facts and guards --only names, in their usual
// order: all of them when it names none. A name is a fact's number or Name,
// or a guard's Name or its beginning, case aside; one that matches nothing,
// or more than one check, is an error that lists the names.
func selectChecks(only []string) ([]facts.Fact, []facts.Guard, error) {
	if len(only) == 0 {
		return facts.All, facts.Guards, nil
	}
	var names []string
	for _, fc := range facts.All {
		names = append(names, fc.Name)
	}
	for _, g := range facts.Guards {
		names = append(names, g.Name)
	}
	want := map[string]bool{}
	for _, o := range only {
		o = strings.ToLower(strings.TrimSpace(o))
		o = strings.TrimSpace(strings.TrimPrefix(o, "guard:")) // as the output names a guard
		if o == "" {
			continue
		}
		if _, err := strconv.Atoi(o); err == nil {
			o = "fact " + o
		}
		var hits []string
		for _, n := range names {
			if l := strings.ToLower(n); l == o {
				hits = []string{n}
				break
			} else if strings.HasPrefix(l, o) {
				hits = append(hits, n)
			}
		}
		switch len(hits) {
		case 0:
			return nil, nil, fmt.Errorf("--only %q: no such fact or guard (the names: %s)", o, strings.Join(names, ", "))
		case 1:
			want[hits[0]] = true
		default:
			return nil, nil, fmt.Errorf("--only %q matches %s: give more of the name", o, strings.Join(hits, ", "))
		}
	}
	if len(want) == 0 {
		return nil, nil, fmt.Errorf("--only %q names no check (the names: %s)", strings.Join(only, ","), strings.Join(names, ", "))
	}
	var fs []facts.Fact
	for _, fc := range facts.All {
		if want[fc.Name] {
			fs = append(fs, fc)
		}
	}
	var gs []facts.Guard
	for _, g := range facts.Guards {
		if want[g.Name] {
			gs = append(gs, g)
		}
	}
	return fs, gs, nil
}

// setParam applies "NAME=VALUE" to p, with the parameter's own range check.
func setParam(p *sim.Params, kv string) error {
	name, val, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("--set %q: want NAME=VALUE, e.g. --set temperature=0.05", kv)
	}
	spec, ok := sim.LookupParam(name)
	if !ok {
		return fmt.Errorf("--set %q: no parameter %q ('entente list params' lists them)", kv, name)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil {
		return fmt.Errorf("--set %q: %q is not a number", kv, val)
	}
	spec.Set(p, x)
	if err := p.Validate(); err != nil {
		return fmt.Errorf("--set %q: %w", kv, err)
	}
	return nil
}

// hypercubeMeta is hypercube.json: the manifest of the robustness check,
// its axes, the number of points of its design and the share of points at
// which each fact holds.
type hypercubeMeta struct {
	*results.Manifest
	Axes   []facts.Axis       `json:"axes"`
	Points int                `json:"points"`
	Facts  []string           `json:"facts,omitempty"` // the facts checked (--only), in the columns' order; all seven when absent
	Shares map[string]float64 `json:"share_holding"`
}

// factNames are the names of fs.
func factNames(fs []facts.Fact) []string {
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	return names
}

func hypercube(cmd *cobra.Command, stdout, stderr io.Writer, p sim.Params, fs []facts.Fact, n, reps int, seed uint64, out string) error {
	resume, _ := cmd.Flags().GetBool("resume")
	var folder *results.Folder
	var err error
	if resume {
		folder, err = results.Claim(out, results.Resume)
	} else {
		folder, err = claimOut(cmd, out)
	}
	if err != nil {
		return err
	}
	defer folder.Release()
	axes := facts.ValidationAxes()
	var done []facts.Point
	if resume {
		if done, err = readHypercube(out, p, fs, axes, n, reps, seed); err != nil {
			return err
		}
		if len(done) == n {
			fmt.Fprintf(stderr, "hypercube: %s already holds all %d points\n", out, n)
		} else {
			fmt.Fprintf(stderr, "hypercube: resuming %s after %d of %d points\n", out, len(done), n)
		}
	}
	write := func(points []facts.Point, complete bool) error {
		return writeHypercube(out, p, fs, axes, points, n, reps, seed, complete)
	}
	start := time.Now()
	fmt.Fprintf(stderr, "hypercube: %d points over %d parameters, %d facts each\n", n, len(axes), len(fs))
	points := append([]facts.Point(nil), done...)
	var writeErr error
	v, runErr := facts.ValidateFacts(cmd.Context(), fs, p, axes, n, reps, seed, done, func(d, total int, pt facts.Point) {
		held := 0
		for _, h := range pt.Holds {
			if h {
				held++
			}
		}
		el := time.Since(start)
		left := time.Duration(float64(el) / float64(d-len(done)) * float64(total-d))
		fmt.Fprintf(stderr, "  point %d/%d: %d of %d facts hold (%s elapsed, about %s left)\n", d, total, held, len(pt.Holds), el.Round(time.Second), left.Round(time.Second))
		// every point is on disk as soon as it is done: a kill loses at
		// most the point under way, and --resume goes on from there
		points = append(points, pt)
		if err := write(points, false); err != nil && writeErr == nil {
			writeErr = err
		}
	})
	if v == nil {
		return runErr
	}
	if writeErr != nil {
		return writeErr
	}
	if err := write(v.Points, runErr == nil && len(v.Points) == n); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "robustness over %d points (Latin hypercube of %d parameters, seed %d):\n", len(v.Points), len(v.Axes), seed)
	for k, f := range fs {
		lo, hi := v.ShareInterval(k)
		fmt.Fprintf(stdout, "  %-7s holds at %5.1f%% of points (95 %% interval %.1f-%.1f %%)\n", f.Name, 100*v.Share(k), 100*lo, 100*hi)
	}
	fmt.Fprintf(stdout, "wrote %s\n", out)
	if runErr != nil && len(v.Points) < n {
		more := ""
		if len(fs) < len(facts.All) {
			var nums []string
			for _, f := range fs {
				nums = append(nums, strings.TrimPrefix(f.Name, "fact "))
			}
			more += " --only " + strings.Join(nums, ",")
		}
		if reps > 0 {
			more += fmt.Sprintf(" --replicates %d", reps)
		}
		fmt.Fprintf(stderr, "hypercube: stopped after %d of %d points; 'entente facts --hypercube %d --seed %d%s --out %s --resume' goes on (with the same --set)\n", len(v.Points), n, n, seed, more, out)
	}
	return runErr
}

// writeHypercube writes hypercube.csv (a row per point done) and then
// hypercube.json, each atomically.
func writeHypercube(out string, p sim.Params, fs []facts.Fact, axes []facts.Axis, points []facts.Point, n, reps int, seed uint64, complete bool) error {
	v := facts.Validation{Axes: axes, Points: points, Seed: seed}
	err := results.WriteFileAtomic(filepath.Join(out, "hypercube.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		head := []string{"point"}
		for _, a := range axes {
			head = append(head, a.Name)
		}
		for _, f := range fs {
			head = append(head, strings.ReplaceAll(f.Name, " ", "_"))
		}
		head = append(head, "error")
		if err := cw.Write(head); err != nil {
			return err
		}
		for i, pt := range points {
			row := []string{strconv.Itoa(i + 1)}
			for _, x := range pt.Values {
				row = append(row, strconv.FormatFloat(x, 'g', 6, 64))
			}
			for _, h := range pt.Holds {
				row = append(row, map[bool]string{true: "1", false: "0"}[h])
			}
			msg := ""
			if pt.Err != nil {
				msg = pt.Err.Error()
			}
			if err := cw.Write(append(row, msg)); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	m := results.NewManifest()
	m.Scenario = "facts (built-ins)"
	m.Parameters, m.Seed, m.Replicates = runner.ParamMap(&p), seed, reps
	m.Complete, m.RunsDone, m.Files = complete, len(points), []string{"hypercube.csv"}
	meta := hypercubeMeta{&m, axes, n, factNames(fs), map[string]float64{}}
	for k, f := range fs {
		meta.Shares[f.Name] = v.Share(k)
	}
	js, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	return writeBytes(filepath.Join(out, "hypercube.json"), append(js, '\n'))
}

// readHypercube reads the points an earlier robustness check in out has
// done, after checking that it is the same check: the same parameters,
// axes, number of points, replicates and seed.
func readHypercube(out string, p sim.Params, fs []facts.Fact, axes []facts.Axis, n, reps int, seed uint64) ([]facts.Point, error) {
	jsPath := filepath.Join(out, "hypercube.json")
	b, err := os.ReadFile(jsPath)
	if err != nil {
		return nil, fmt.Errorf("--resume: %s holds no robustness check to resume (%w); run without --resume", out, err)
	}
	var m results.Manifest
	meta := hypercubeMeta{Manifest: &m}
	if err := json.Unmarshal(b, &meta); err != nil {
		return nil, fmt.Errorf("--resume: %s: %w", jsPath, err)
	}
	differ := func(what string, was, now any) error {
		return fmt.Errorf("--resume: %s was made with %s %v, this run asks %v: resume with the same flags, or start afresh with --force", jsPath, what, was, now)
	}
	switch {
	case meta.Points != n:
		return nil, differ("--hypercube", meta.Points, n)
	case m.Seed != seed:
		return nil, differ("--seed", m.Seed, seed)
	case m.Replicates != reps:
		return nil, differ("--replicates", m.Replicates, reps)
	case !slices.Equal(meta.Axes, axes):
		return nil, differ("the axes", meta.Axes, axes)
	}
	was := meta.Facts
	if was == nil {
		was = factNames(facts.All) // a check written before --only went with --hypercube
	}
	if !slices.Equal(was, factNames(fs)) {
		return nil, differ("the facts (--only)", strings.Join(was, ", "), strings.Join(factNames(fs), ", "))
	}
	now := runner.ParamMap(&p)
	for k, x := range now {
		if was, ok := m.Parameters[k]; !ok || was != x {
			return nil, differ("parameter "+k, m.Parameters[k], x)
		}
	}
	csvPath := filepath.Join(out, "hypercube.csv")
	fh, err := os.Open(csvPath)
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("--resume: %s: %w", csvPath, err)
	}
	width := 1 + len(axes) + len(fs) + 1
	var points []facts.Point
	for r, row := range rows {
		if r == 0 {
			continue
		}
		if len(row) != width || row[0] != strconv.Itoa(r) {
			return nil, fmt.Errorf("--resume: %s line %d: want point %d with %d columns, got %d columns: start afresh with --force", csvPath, r+1, r, width, len(row))
		}
		pt := facts.Point{Values: make([]float64, len(axes)), Holds: make([]bool, len(fs))}
		for k := range axes {
			x, err := strconv.ParseFloat(row[1+k], 64)
			if err != nil {
				return nil, fmt.Errorf("--resume: %s line %d, %s: %w", csvPath, r+1, axes[k].Name, err)
			}
			pt.Values[k] = x
		}
		for k := range fs {
			switch c := row[1+len(axes)+k]; c {
			case "1":
				pt.Holds[k] = true
			case "0":
			default:
				return nil, fmt.Errorf("--resume: %s line %d, %s: %q is not 1 or 0", csvPath, r+1, fs[k].Name, c)
			}
		}
		if msg := row[width-1]; msg != "" {
			pt.Err = errors.New(msg)
		}
		points = append(points, pt)
	}
	if len(points) != m.RunsDone {
		return nil, fmt.Errorf("--resume: %s has %d points, %s says %d: start afresh with --force", csvPath, len(points), jsPath, m.RunsDone)
	}
	return points, nil
}
