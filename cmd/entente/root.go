package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/entente/entente/results"
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

Every flag can also be set by environment variable: ENTENTE_<FLAG>, e.g.
ENTENTE_REPLICATES=50 or ENTENTE_SEED=7 (flags win over the environment).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       results.Version,
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

// bindFlags lets viper read the named flags of a command as PREFIX.NAME,
// from the flag when given, else from ENTENTE_NAME (dashes as underscores),
// else the flag's default.
func bindFlags(v *viper.Viper, cmd *cobra.Command, prefix string, names ...string) {
	for _, name := range names {
		_ = v.BindPFlag(prefix+"."+name, cmd.Flags().Lookup(name))
		_ = v.BindEnv(prefix+"."+name, "ENTENTE_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_")))
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
