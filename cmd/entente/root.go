package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/runner"
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// execute runs the command line and returns the process exit code:
// 0 success, 1 an error in the input or the run, 130 interrupted.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if perr := stopCPUProfile(); perr != nil && err == nil {
		err = perr
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.code != 130 {
			fmt.Fprintln(stderr, "entente:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "entente:", err)
	if runner.Interrupted(err) {
		return 130
	}
	return 1
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	v := viper.New()
	v.SetEnvPrefix("ENTENTE")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()
	root := &cobra.Command{
		Use:   "entente",
		Short: "Simulate alliance dynamics under threats and patron retrenchment",
		Long: `entente simulates how states, regional organisations and informal groups of
states form, deepen and abandon security ties (alliances, cooperation,
coalitions, assistance, minilateral groups) under configurable threats and
patron (US) retrenchment, and records the time series of network structure
over many replicates.

Start with a built-in scenario:
  entente list                      the built-in scenarios
  entente describe taiwan-crisis    its actors, ties, threats and parameters
  entente run taiwan-crisis --replicates 20 --set retrenchment.political=0.8

Every flag of every command can also be set by environment variable,
ENTENTE_<FLAG> with dashes as underscores: ENTENTE_REPLICATES=50,
ENTENTE_SEED=7, ENTENTE_SHARD=0/4, ENTENTE_SNAPSHOT_EVERY=1. A variable is
checked like its flag (ENTENTE_SEED=abc is an error); a flag given on the
command line wins; a list flag such as --vary takes several values
separated by semicolons. ENTENTE_SET adds overrides before --set (separated
by spaces or semicolons). A variable that names no flag is reported.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       results.Version,
	}
	cpuprofile := root.PersistentFlags().String("cpuprofile", "", "write a CPU profile of the command to this file (Go pprof format: 'go tool pprof bin/entente FILE' shows where the time went)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		warnUnknownEnv(root, os.Environ(), stderr)
		if err := envFlags(cmd, os.LookupEnv); err != nil {
			return err
		}
		return startCPUProfile(*cpuprofile)
	}
	root.AddCommand(newRunCmd(v, stdout, stderr), newValidateCmd(stdout), newListCmd(stdout),
		newDescribeCmd(stdout), newVersionCmd(stdout))
	for _, add := range extraCommands {
		root.AddCommand(add(v, stdout, stderr))
	}
	return root
}

// extraCommands are further subcommands (sweep, merge, serve, import,
// compare, calibrate), each registered by the init function of its own file
// so that the files stay independent.
var extraCommands []func(v *viper.Viper, stdout, stderr io.Writer) *cobra.Command

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and the commit the binary was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m := results.NewManifest()
			fmt.Fprintf(stdout, "entente %s", m.Version)
			if m.Commit != "" {
				fmt.Fprintf(stdout, " (commit %s)", m.Commit)
			}
			fmt.Fprintln(stdout)
			return nil
		},
	}
}

// bindFlags lets viper read the named flags of a command as PREFIX.NAME.
// The environment reaches them through the flags (envFlags), so that a
// variable is parsed and checked exactly as its flag.
func bindFlags(v *viper.Viper, cmd *cobra.Command, prefix string, names ...string) {
	for _, name := range names {
		_ = v.BindPFlag(prefix+"."+name, cmd.Flags().Lookup(name))
	}
}

// envName is the environment variable of a flag: ENTENTE_ and the name in
// capitals, dashes as underscores.
func envName(flag string) string {
	return "ENTENTE_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// envSkip are flags the environment does not set: help and version, and
// set, whose ENTENTE_SET adds to --set instead (see overrides).
var envSkip = []string{"help", "version", "set"}

// envFlags sets every flag of cmd not given on the command line from its
// ENTENTE_ variable, through the flag's own parser, so that a bad value is
// an error naming the variable (never a silent zero). Values of list flags
// that repeat (--vary, --overlay) are separated by semicolons.
func envFlags(cmd *cobra.Command, lookup func(string) (string, bool)) error {
	var errs []error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || slices.Contains(envSkip, f.Name) {
			return
		}
		name := envName(f.Name)
		val, ok := lookup(name)
		if !ok {
			return
		}
		vals := []string{val}
		if f.Value.Type() == "stringArray" {
			vals = nil
			for _, v := range strings.FieldsFunc(val, func(r rune) bool { return r == ';' || r == '\n' }) {
				if v = strings.TrimSpace(v); v != "" {
					vals = append(vals, v)
				}
			}
		}
		for _, v := range vals {
			if err := cmd.Flags().Set(f.Name, strings.TrimSpace(v)); err != nil {
				errs = append(errs, fmt.Errorf("environment variable %s=%q: not a valid --%s: want %s", name, val, f.Name, wantOf(f)))
				return
			}
		}
		_ = cmd.Flags().SetAnnotation(f.Name, envAnnotation, []string{name})
	})
	return errors.Join(errs...)
}

// envAnnotation marks a flag envFlags set from the environment.
const envAnnotation = "entente-env"

// flagSource names where a flag's value came from, for error messages that
// check it further: its ENTENTE_ variable when envFlags set it, else --NAME.
func flagSource(cmd *cobra.Command, flag string) string {
	if f := cmd.Flags().Lookup(flag); f != nil {
		if a := f.Annotations[envAnnotation]; len(a) == 1 {
			return a[0]
		}
	}
	return "--" + flag
}

// wantOf says in words what a flag takes.
func wantOf(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "uint", "uint64", "uint32":
		return "a whole number >= 0"
	case "int", "int64", "int32":
		return "a whole number"
	case "float64", "float32":
		return "a number"
	case "bool":
		return "true or false"
	case "intSlice":
		return "whole numbers separated by commas"
	case "duration":
		return "a duration such as 30s"
	}
	return "a value such as " + f.Name + " takes (see --help)"
}

// warnUnknownEnv reports ENTENTE_ variables that name no flag of any
// command (a typo would otherwise be ignored in silence).
func warnUnknownEnv(root *cobra.Command, environ []string, w io.Writer) {
	known := map[string]bool{"ENTENTE_SET": true, "ENTENTE_TEST_MAIN": true}
	var names []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if n := envName(f.Name); !known[n] {
				known[n] = true
				names = append(names, n)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "ENTENTE_") || known[k] {
			continue
		}
		msg := fmt.Sprintf("entente: warning: %s is not an option of any command; ignored", k)
		if c := sim.Closest(k, names); c != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", c)
		}
		fmt.Fprintln(w, msg)
	}
}

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
