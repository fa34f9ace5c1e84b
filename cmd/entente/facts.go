package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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
		Use:   "facts [--set NAME=VALUE ...] [--hypercube N --out DIR]",
		Short: "Check the model's stylised facts and plausibility guards, at given parameters or over a Latin hypercube",
		Long: `Run the seven stylised facts of the model description (MODEL.md: retrenchment
breeds minilateralism, a major threat drives binding alliances, coalitions end
with their threat, asymmetric hubs, trust lowers the hazard of abandonment,
sponsor exit hurts, the Taiwan crisis), each against its control (shock
against no shock, high against low retrenchment) over replicates of the
built-in scenarios, and the plausibility guards (outcomes no expert would
accept must stay rare). Prints, for each, whether it holds and the figures
it rests on. --knockout also runs each fact with the mechanism that produces
it removed.

By default the parameters are the calibrated defaults (docs/calibration);
--set changes any of them ('entente list params' lists them).

--hypercube N runs the robustness check: N points of a Latin hypercube over
the plausible range of every parameter whose default is an assumption, and
the temperature from 0.005 to 0.15, the calibrated ones held at their
values; it reports the share of points at which each fact holds and writes
hypercube.csv (one row per point: the parameters, then 1/0 per fact) and
hypercube.json (axes, seed, version) into --out. It takes several seconds
per point; Ctrl-C stops it and keeps the points done.`,
		Example: `  entente facts
  entente facts --knockout
  entente facts --set temperature=0.05 --set reputation_learning=0.5
  entente facts --hypercube 50 --out results/out/validate`,
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
			if n > 0 {
				out, _ := f.GetString("out")
				if out == "" {
					return errors.New("--hypercube needs --out DIR for hypercube.csv (e.g. --out results/out/validate)")
				}
				return hypercube(cmd, stdout, stderr, p, n, reps, seed, out)
			}
			knock, _ := f.GetBool("knockout")
			for _, fc := range facts.All {
				r := fc.Reps
				if reps > 0 {
					r = reps
				}
				res, err := fc.Check(p, r, seed)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%s\n  %s\n", res, fc.Doc)
				if knock {
					kp, what := fc.Knockout(p)
					ko, err := fc.Check(kp, r, seed)
					if err != nil {
						return err
					}
					fmt.Fprintf(stdout, "  knock-out (%s): %s\n", what, ko)
				}
				if err := cmd.Context().Err(); err != nil {
					return err
				}
			}
			for _, g := range facts.Guards {
				r := g.Reps
				if reps > 0 {
					r = reps
				}
				res, err := g.Check(p, r, seed)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "%s\n  %s\n", res, g.Doc)
				if err := cmd.Context().Err(); err != nil {
					return err
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArray("set", nil, "a parameter NAME=VALUE (repeatable; parameters.NAME also works)")
	f.Uint64("seed", 1, "master seed of the checks' replicates")
	f.Int("replicates", 0, "replicates per check (0: each check's own, as in the tests)")
	f.Bool("knockout", false, "also run each fact with its producing mechanism removed")
	f.Int("hypercube", 0, "run the robustness check over N points of a Latin hypercube (50 or more)")
	f.String("out", "", "output folder of --hypercube")
	f.Bool("force", false, "replace what --out holds from an earlier run")
	return cmd
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

func hypercube(cmd *cobra.Command, stdout, stderr io.Writer, p sim.Params, n, reps int, seed uint64, out string) error {
	folder, err := claimOut(cmd, out)
	if err != nil {
		return err
	}
	defer folder.Release()
	axes := facts.ValidationAxes()
	start := time.Now()
	fmt.Fprintf(stderr, "hypercube: %d points over %d parameters, %d facts each\n", n, len(axes), len(facts.All))
	v, runErr := facts.Validate(cmd.Context(), p, axes, n, reps, seed, func(done, total int, pt facts.Point) {
		held := 0
		for _, h := range pt.Holds {
			if h {
				held++
			}
		}
		el := time.Since(start)
		left := time.Duration(float64(el) / float64(done) * float64(total-done))
		fmt.Fprintf(stderr, "  point %d/%d: %d of %d facts hold (%s elapsed, about %s left)\n", done, total, held, len(pt.Holds), el.Round(time.Second), left.Round(time.Second))
	})
	if v == nil {
		return runErr
	}
	err = results.WriteFileAtomic(filepath.Join(out, "hypercube.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		head := []string{"point"}
		for _, a := range v.Axes {
			head = append(head, a.Name)
		}
		for _, f := range facts.All {
			head = append(head, strings.ReplaceAll(f.Name, " ", "_"))
		}
		head = append(head, "error")
		if err := cw.Write(head); err != nil {
			return err
		}
		for i, pt := range v.Points {
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
	m.Complete, m.RunsDone, m.Files = runErr == nil && len(v.Points) == n, len(v.Points), []string{"hypercube.csv"}
	meta := struct {
		*results.Manifest
		Axes   []facts.Axis       `json:"axes"`
		Points int                `json:"points"`
		Shares map[string]float64 `json:"share_holding"`
	}{&m, v.Axes, len(v.Points), map[string]float64{}}
	for k, f := range facts.All {
		meta.Shares[f.Name] = v.Share(k)
	}
	js, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	if err := writeBytes(filepath.Join(out, "hypercube.json"), append(js, '\n')); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "robustness over %d points (Latin hypercube of %d parameters, seed %d):\n", len(v.Points), len(v.Axes), seed)
	for k, f := range facts.All {
		fmt.Fprintf(stdout, "  %-7s holds at %5.1f%% of points\n", f.Name, 100*v.Share(k))
	}
	fmt.Fprintf(stdout, "wrote %s\n", out)
	return runErr
}
