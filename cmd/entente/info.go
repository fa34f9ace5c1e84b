package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

func newValidateCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE|SCENARIO...",
		Short: "Check scenario files: exit 0 with a summary, or 1 with every error",
		Long: `Check one or more scenario files (or built-in names) without running them.
Each valid file gets a one-line summary; each invalid one every error found, with
the file, line, field path and a hint.`,
		Example: `  entente validate my-world.yaml
  entente validate scenarios/builtin/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, ref := range args {
				sc, err := scenarios.Load(ref)
				if err != nil {
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					continue
				}
				w := sc.World
				fmt.Fprintf(stdout, "%s: ok: %s, %d actors, %d ties, %d groups, %d threats, %d steps\n",
					ref, sc.Name, len(w.Actors), len(w.Ties), len(w.Groups), len(w.Threats), sc.Steps)
			}
			if bad > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d of %d scenario files invalid", bad, len(args))}
			}
			return nil
		},
	}
}

func newListCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [scenarios|metrics|parameters]",
		Short: "List built-in scenarios, the metrics a run can record, or the model parameters",
		Example: `  entente list
  entente list metrics
  entente list parameters
  entente list parameters --markdown   # the table of docs/MODEL.md: unit, neutral value, plausible range, basis`,
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: []string{"scenarios", "metrics", "parameters"},
		RunE: func(cmd *cobra.Command, args []string) error {
			what := "scenarios"
			if len(args) == 1 {
				what = args[0]
			}
			switch what {
			case "scenarios":
				tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
				for _, in := range scenarios.List() {
					fmt.Fprintf(tw, "%s\t%s\n", in.Name, in.Summary)
				}
				return tw.Flush()
			case "metrics":
				if err := metrics.Describe(stdout); err != nil {
					return err
				}
				fmt.Fprintln(stdout)
				if err := results.DescribeIntervals(stdout, metrics.Names()); err != nil {
					return err
				}
				fmt.Fprintln(stdout)
				return results.DescribeExports(stdout)
			case "parameters", "params":
				if md, _ := cmd.Flags().GetBool("markdown"); md {
					return sim.WriteParamTable(stdout)
				}
				return printParams(stdout, nil)
			}
			return fmt.Errorf("list %q: want scenarios, metrics or parameters", what)
		},
	}
	cmd.Flags().Bool("markdown", false, "list parameters as a Markdown table with unit, neutral value, plausible range and basis")
	return cmd
}

func printParams(w io.Writer, p *sim.Params) error {
	def := sim.DefaultParams()
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if p == nil {
		fmt.Fprintln(tw, "parameter\tdefault\trange\tsource\tmeaning")
	} else {
		fmt.Fprintln(tw, "parameter\tvalue\tdefault\trange\tmeaning")
	}
	for i := range sim.ParamSpecs {
		s := &sim.ParamSpecs[i]
		rng := fmt.Sprintf("[%g, %g]", s.Min, s.Max)
		if p == nil {
			fmt.Fprintf(tw, "%s\t%g\t%s\t%s\t%s\n", s.Name, s.Get(&def), rng, s.Source, s.Doc)
		} else {
			mark := ""
			if s.Get(p) != s.Get(&def) {
				mark = " *"
			}
			fmt.Fprintf(tw, "%s\t%g%s\t%g\t%s\t%s\n", s.Name, s.Get(p), mark, s.Get(&def), rng, s.Doc)
		}
	}
	return tw.Flush()
}

func newDescribeCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "describe SCENARIO|FILE",
		Short: "Show a scenario's actors, ties, groups, threats and parameters",
		Long: `Show a scenario's actors, ties, groups, threats, retrenchment, parameters and
some of the keys --set and --vary take. With --keys, list every settable key
instead, one a line: the key, its kind (number: --vary takes it; value: text,
a choice or true/false; list; profile: a number or a profile mapping) and its
value in the file after the overrides ("-": the default).`,
		Example: `  entente describe nordic-2022
  entente describe taiwan-crisis --set retrenchment.political=0.8
  entente describe classroom --keys | grep threats`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			over, err := overrides(cmd)
			if err != nil {
				return err
			}
			sc, err := scenarios.Load(args[0], over...)
			if err != nil {
				return err
			}
			if keys, _ := cmd.Flags().GetBool("keys"); keys {
				return printKeys(stdout, sc)
			}
			describe(stdout, sc)
			return nil
		},
	}
	cmd.Flags().Bool("keys", false, "list every settable key with its kind and value")
	addOverrideFlags(cmd)
	return cmd
}

func profileText(p sim.Profile) string {
	switch p.Shape {
	case sim.Constant:
		return fmt.Sprintf("constant %g", p.Base)
	case sim.Step:
		return fmt.Sprintf("step %g -> %g at %d", p.Base, p.Peak, p.Start)
	case sim.Ramp:
		return fmt.Sprintf("ramp %g -> %g over %d..%d", p.Base, p.Peak, p.Start, p.End)
	case sim.Pulse:
		return fmt.Sprintf("pulse %g on [%d, %d), %g otherwise", p.Peak, p.Start, p.End, p.Base)
	case sim.ShockDecay:
		return fmt.Sprintf("shock %g at %d decaying to %g (half-life %g)", p.Peak, p.Start, p.Base, p.HalfLife)
	case sim.Series:
		return fmt.Sprintf("series of %d points", len(p.Points))
	}
	return p.Shape.String()
}

func describe(w io.Writer, sc *scenarios.Scenario) {
	wd := sc.World
	fmt.Fprintf(w, "%s (%s)\n%s\n\nsteps: %d\n", sc.Name, sc.File, strings.TrimSpace(sc.Description), sc.Steps)
	if len(sc.Overrides) > 0 {
		fmt.Fprintf(w, "overrides: %s\n", strings.Join(sc.Overrides, ", "))
	}
	fmt.Fprintf(w, "\nACTORS (%d)\n", len(wd.Actors))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tkind\tregion\tcapability\teconomy\tautonomy\tmembers")
	for _, a := range wd.Actors {
		name := a.Name
		if a.Patron {
			name += " (patron)"
		}
		var mem []string
		for _, m := range a.Members {
			mem = append(mem, wd.Actors[m].ID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.4g\t%.4g\t%.2g\t%s\n", a.ID, name, a.Kind, a.Region, a.Capability, a.Economy, a.Autonomy, strings.Join(mem, " "))
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nTIES (%d)\n", len(wd.Ties))
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, t := range wd.Ties {
		flow := "symmetric"
		if t.Donor >= 0 {
			flow = wd.Actors[t.Donor].ID + " gives"
		}
		fmt.Fprintf(tw, "%s - %s\t%s\t%s\t%s\n", wd.Actors[t.A].ID, wd.Actors[t.B].ID, t.Form, t.Level, flow)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nGROUPS (%d)\n", len(wd.Groups))
	for _, g := range wd.Groups {
		var mem []string
		for _, m := range g.Members {
			mem = append(mem, wd.Actors[m].ID)
		}
		fmt.Fprintf(w, "  %s: %s on %s, %s: %s\n", g.Name, g.Kind, g.Issue, g.Level, strings.Join(mem, " "))
	}
	fmt.Fprintf(w, "\nTHREATS (%d)\n", len(wd.Threats))
	for _, t := range wd.Threats {
		src := "no source"
		if t.Source >= 0 {
			src = "from " + wd.Actors[t.Source].ID
		}
		var exp []string
		regions := make([]string, 0, len(t.RegionExposure))
		for r := range t.RegionExposure {
			regions = append(regions, r)
		}
		sort.Strings(regions)
		for _, r := range regions {
			exp = append(exp, fmt.Sprintf("%s %g", r, t.RegionExposure[r]))
		}
		ids := make([]int, 0, len(t.ActorExposure))
		for a := range t.ActorExposure {
			ids = append(ids, a)
		}
		sort.Ints(ids)
		for _, a := range ids {
			exp = append(exp, fmt.Sprintf("%s %g", wd.Actors[a].ID, t.ActorExposure[a]))
		}
		fmt.Fprintf(w, "  %s: %s, %s; %s; exposes %s\n", t.Name, t.Kind, src, profileText(t.Intensity), strings.Join(exp, ", "))
	}
	fmt.Fprintf(w, "\nRETRENCHMENT\n  political: %s\n  military: %s\n", profileText(wd.Political), profileText(wd.Military))
	fmt.Fprintf(w, "\nPARAMETERS (* differs from the default)\n")
	_ = printParams(w, &sc.Params)
	keys := scenarios.Keys(sc)
	all := scenarios.SettableKeys(sc)
	fmt.Fprintf(w, "\nSETTABLE KEYS (%d, %d of them numbers --vary takes; use with --set KEY=VALUE), for example:\n", len(all), len(keys))
	for i, k := range keys {
		if i == 12 {
			fmt.Fprintf(w, "  ... and %d more: 'entente describe %s --keys' lists every one\n", len(all)-12, describeRef(sc))
			break
		}
		fmt.Fprintf(w, "  %s\n", k)
	}
}

// describeRef is how to name sc on a command line.
func describeRef(sc *scenarios.Scenario) string {
	if r, ok := strings.CutPrefix(sc.File, "builtin:"); ok {
		return r
	}
	return sc.File
}

// printKeys lists every settable key: key, kind, value.
func printKeys(w io.Writer, sc *scenarios.Scenario) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "key\tkind\tvalue")
	for _, k := range scenarios.SettableKeys(sc) {
		v := k.Value
		if v == "" {
			v = "-"
		}
		if len(v) > 80 {
			v = v[:77] + "..."
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Name, k.Kind, v)
	}
	return tw.Flush()
}
