package main

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
)

// setFiles reads a result set's files but manifest.json (which records
// times and workers) and fails on any hidden file left behind.
func setFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "." && strings.HasPrefix(d.Name(), ".") {
			t.Errorf("%s left in %s", rel, dir)
		}
		if d.IsDir() || rel == "manifest.json" {
			return nil
		}
		out[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSet(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for f, b := range want {
		if !bytes.Equal(got[f], b) {
			t.Errorf("%s differs", f)
		}
	}
}

// A run into a folder holding a result set is refused; --force replaces it
// and says so; --resume of a complete set runs nothing.
func TestRunFolderProtection(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"run", "classroom", "--replicates", "2", "--steps", "6", "--charts=false", "--out", dir}
	if code, o, e := run(t, args...); code != 0 {
		t.Fatalf("%d %s %s", code, o, e)
	}
	code, _, errs := run(t, args...)
	if code != 1 || !strings.Contains(errs, "already holds a result set (classroom, 2 replicates, complete)") || !strings.Contains(errs, "--force") {
		t.Fatalf("second run: %d %q", code, errs)
	}
	code, out, errs := run(t, append(args, "--resume")...)
	if code != 0 || !strings.Contains(out, "is complete (2 of 2 replicates): nothing to run") {
		t.Fatalf("--resume of a complete set: %d %q %q", code, out, errs)
	}
	if code, o, e := run(t, append(args, "--force", "--explain", "EAS")...); code != 0 {
		t.Fatalf("--force --explain: %d %s %s", code, o, e)
	}
	for _, f := range []string{"events.csv", "decisions.csv", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	code, _, errs = run(t, "run", "classroom", "--replicates", "1", "--steps", "3", "--charts=false", "--out", dir, "--force")
	if code != 0 || !strings.Contains(errs, "replaced the result set in "+dir+" (--force): removed ") || !strings.Contains(errs, "kept notes.txt") {
		t.Fatalf("--force: %d %q", code, errs)
	}
	for _, f := range []string{"events.csv", "decisions.csv", "report.html"} {
		if !strings.Contains(errs, f) {
			t.Errorf("--force did not remove %s: %q", f, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "rep0_step6.graphml")); err == nil {
		t.Error("a snapshot of the replaced set survived --force")
	}
	if _, err := os.Stat(filepath.Join(dir, "decisions.csv")); err == nil {
		t.Error("decisions.csv of the replaced set survived --force")
	}
	if code, _, errs := run(t, append(args, "--resume", "--force")...); code == 0 || !strings.Contains(errs, "one of them") {
		t.Errorf("--resume --force: %d %q", code, errs)
	}
	if code, _, errs := run(t, "run", "classroom", "--resume"); code == 0 || !strings.Contains(errs, "--out") {
		t.Errorf("--resume without --out: %d %q", code, errs)
	}
	// a folder of other files is never written to
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "thesis.tex"), nil, 0o644)
	if code, _, errs := run(t, "run", "classroom", "--steps", "2", "--out", other, "--force"); code == 0 || !strings.Contains(errs, "holds no result set") {
		t.Errorf("--force into a folder of other files: %d %q", code, errs)
	}
	// branching runs are protected the same way
	br := filepath.Join(t.TempDir(), "br")
	bargs := []string{"run", "classroom", "--replicates", "1", "--steps", "4", "--charts=false", "--branch-at", "2", "--branch", "retrenchment.political=0,0.9", "--out", br}
	if code, o, e := run(t, bargs...); code != 0 {
		t.Fatalf("branches: %d %s %s", code, o, e)
	}
	if code, _, errs := run(t, bargs...); code == 0 || !strings.Contains(errs, "already holds a result set") {
		t.Errorf("branches twice: %d %q", code, errs)
	}
	if code, _, errs := run(t, append(bargs, "--force")...); code != 0 || !strings.Contains(errs, "replaced") {
		t.Errorf("branches --force: %d %q", code, errs)
	}
	if code, _, errs := run(t, append(bargs, "--force", "--explain", "EAS")...); code == 0 || !strings.Contains(errs, "--explain does not apply to a branching run") {
		t.Errorf("branches --explain: %d %q", code, errs)
	}
	// compare and calibrate output folders too (no CDM data needed to be refused)
	if code, _, errs := run(t, "compare", "--import-year", "1990", "--data", t.TempDir(), "--out", dir); code == 0 || strings.Contains(errs, "panic") {
		t.Errorf("compare into a run's folder: %d %q", code, errs)
	}
}

// child starts the test binary as the entente command (see TestMain).
func child(t *testing.T, args ...string) (*exec.Cmd, chan error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "ENTENTE_TEST_MAIN=1")
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return cmd, done
}

// waitFor polls until ok or the child ends; false when it ended first.
func waitFor(done chan error, ok func() bool) bool {
	for {
		select {
		case err := <-done:
			done <- err
			return false
		default:
		}
		if ok() {
			return true
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A run killed with SIGKILL keeps every replicate it finished; --resume
// runs only the others and the set ends byte-identical to an uninterrupted
// run, with no temporary file left. While the killed run still writes, a
// second run into its folder fails at once.
func TestRunResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	args := []string{"run", "classroom", "--replicates", "8", "--steps", "60", "--seed", "5", "--workers", "1", "--snapshot-replicates", "3", "--tie-lists", "--charts=false",
		"--explain", "EAS,WES"}
	ref := filepath.Join(t.TempDir(), "ref")
	if code, o, e := run(t, append(args, "--out", ref, "--workers", "2")...); code != 0 {
		t.Fatalf("%d %s %s", code, o, e)
	}
	want := setFiles(t, ref)
	// every replicate's events and decisions are there, with the report
	for _, f := range []string{"events.csv", "decisions.csv"} {
		reps := map[string]bool{}
		for _, line := range strings.Split(string(want[f]), "\n")[1:] {
			if r, _, ok := strings.Cut(line, ","); ok {
				reps[r] = true
			}
		}
		if len(reps) != 8 {
			t.Errorf("%s of the reference holds %d replicates, want 8", f, len(reps))
		}
	}
	if !bytes.Contains(want["report.html"], []byte("<svg")) {
		t.Error("the reference has no report.html with pictures")
	}
	out := filepath.Join(t.TempDir(), "killed")
	cmd, done := child(t, append(args, "--out", out)...)
	parts := func() int {
		m, _ := filepath.Glob(filepath.Join(out, ".parts", "rep*.csv"))
		return len(m)
	}
	killed := waitFor(done, func() bool { return parts() >= 3 })
	if killed {
		// the first run is still writing: a second one is refused at once
		code, _, errs := run(t, append(args, "--out", out, "--force")...)
		if code == 0 || !strings.Contains(errs, "another entente process is writing to it") {
			t.Errorf("a second run into a folder being written: %d %q", code, errs)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
	}
	<-done
	kept := parts()
	t.Logf("killed after %d of 8 replicates (killed: %v)", kept, killed)
	if killed && kept < 3 {
		t.Fatalf("%d replicates kept after the kill, want >= 3", kept)
	}
	code, _, errs := run(t, append(args, "--out", out)...)
	if code == 0 || !strings.Contains(errs, "--resume") {
		t.Errorf("a run into the killed one's folder without --resume: %d %q", code, errs)
	}
	code, stdout, errs := run(t, append(args, "--out", out, "--resume")...)
	if code != 0 {
		t.Fatalf("resume: %d %s %s", code, stdout, errs)
	}
	if killed && !strings.Contains(errs, "resuming "+out+": ") {
		t.Errorf("resume did not say what it kept: %q", errs)
	}
	sameSet(t, want, setFiles(t, out))
	if !bytes.Contains(want["snapshots/rep2_step60_ties.csv"], []byte("source")) {
		t.Error("the reference lacks replicate 2's tie list")
	}
	// the manifest lists every file of the set, report.html included
	for _, dir := range []string{ref, out} {
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m results.Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, f := range m.Files {
			listed[f] = true
		}
		for f := range want {
			if !listed[f] {
				t.Errorf("%s: manifest.json does not list %s", dir, f)
			}
		}
		if !m.Complete || len(m.Files) != len(want)+1 {
			t.Errorf("%s: complete %v, %d files listed, want %d", dir, m.Complete, len(m.Files), len(want)+1)
		}
	}
	// a resume with other --explain actors is refused: its decisions would
	// not be those of one run
	if code, _, errs := run(t, "run", "classroom", "--replicates", "8", "--steps", "60", "--seed", "5", "--snapshot-replicates", "3", "--tie-lists", "--charts=false",
		"--explain", "EAS", "--out", out, "--resume"); code == 0 || !strings.Contains(errs, "explain") {
		t.Errorf("resume with other --explain actors: %d %q", code, errs)
	}
}

// --set steps=N and a shorter --steps work on every built-in, and the last
// step is always snapshotted.
func TestStepsOverrideOnEveryBuiltin(t *testing.T) {
	for _, in := range scenarios.List() {
		dir := filepath.Join(t.TempDir(), in.Name)
		code, _, errs := run(t, "run", in.Name, "--set", "steps=3", "--replicates", "1", "--charts=false", "--out", dir)
		if code != 0 {
			t.Errorf("%s --set steps=3: %d %s", in.Name, code, errs)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "snapshots", "rep0_step3.graphml")); err != nil {
			t.Errorf("%s: the last step is not snapshotted: %v", in.Name, err)
		}
	}
	dir := filepath.Join(t.TempDir(), "short")
	code, _, errs := run(t, "run", "taiwan-crisis", "--steps", "12", "--replicates", "1", "--charts=false", "--out", dir)
	if code != 0 || !strings.Contains(errs, "note: snapshot steps 20, 50, 100 are after the last step (12)") {
		t.Fatalf("--steps 12: %d %q", code, errs)
	}
	for _, s := range []string{"rep0_step0.gexf", "rep0_step10.gexf", "rep0_step12.gexf"} {
		if _, err := os.Stat(filepath.Join(dir, "snapshots", s)); err != nil {
			t.Error(err)
		}
	}
	sw := filepath.Join(t.TempDir(), "sw")
	code, stdout, errs := run(t, "sweep", "nordic-2022", "--vary", "steps=2,4", "--replicates", "1", "--charts=false", "--out", sw)
	if code != 0 || !strings.Contains(stdout, "2 points") {
		t.Fatalf("sweep --vary steps: %d %q %q", code, stdout, errs)
	}
	if code, _, errs := run(t, "run", "classroom", "--steps", "100001"); code == 0 || !strings.Contains(errs, "100000") {
		t.Errorf("--steps over the cap: %d %q", code, errs)
	}
}

// Every ENTENTE_ variable is parsed by its flag: a bad one is an error that
// names it, on every command; a good one sets the flag; the command line
// wins; a variable naming no flag is reported.
func TestEnvironmentLikeFlags(t *testing.T) {
	t.Setenv("ENTENTE_SEED", "abc")
	code, _, errs := run(t, "run", "classroom", "--steps", "2", "--out", t.TempDir())
	if code != 1 || !strings.Contains(errs, `ENTENTE_SEED="abc": not a valid --seed: want a whole number >= 0`) {
		t.Errorf("ENTENTE_SEED=abc: %d %q", code, errs)
	}
	if code, _, errs := run(t, "compare", "--import-year", "1990"); code != 1 || !strings.Contains(errs, "ENTENTE_SEED") {
		t.Errorf("compare with ENTENTE_SEED=abc: %d %q", code, errs)
	}
	os.Unsetenv("ENTENTE_SEED")

	// each command's flags, from a fake environment
	for _, c := range []struct {
		args []string
		env  map[string]string
		flag string
		want string
	}{
		{[]string{"compare"}, map[string]string{"ENTENTE_REPLICATES": "7"}, "replicates", "7"},
		{[]string{"calibrate"}, map[string]string{"ENTENTE_EVALS": "3", "ENTENTE_IMPORT_YEAR": "1990"}, "evals", "3"},
		{[]string{"sweep"}, map[string]string{"ENTENTE_SHARD": "1/4"}, "shard", "1/4"},
		{[]string{"sweep"}, map[string]string{"ENTENTE_VARY": "steps=2,3; parameters.temperature=0:1:2"}, "vary", `["steps=2,3",parameters.temperature=0:1:2]`},
		{[]string{"run"}, map[string]string{"ENTENTE_SNAPSHOT_EVERY": "2"}, "snapshot-every", "2"},
		{[]string{"run", "--seed", "9"}, map[string]string{"ENTENTE_SEED": "4"}, "seed", "9"},
		{[]string{"merge"}, map[string]string{"ENTENTE_FORCE": "true"}, "force", "true"},
	} {
		cmd := subcommand(t, c.args...)
		if err := envFlags(cmd, lookupIn(c.env)); err != nil {
			t.Errorf("%v %v: %v", c.args, c.env, err)
			continue
		}
		if got := cmd.Flags().Lookup(c.flag).Value.String(); got != c.want {
			t.Errorf("%v %v: --%s = %s, want %s", c.args, c.env, c.flag, got, c.want)
		}
	}
	for _, c := range []struct {
		cmd string
		env map[string]string
	}{
		{"compare", map[string]string{"ENTENTE_REPLICATES": "x"}},
		{"calibrate", map[string]string{"ENTENTE_FIT_TO": "1995.5"}},
		{"sweep", map[string]string{"ENTENTE_CHARTS": "maybe"}},
		{"run", map[string]string{"ENTENTE_SNAPSHOTS": "0,a"}},
		{"serve", map[string]string{"ENTENTE_OPEN": "2"}},
	} {
		if err := envFlags(subcommand(t, c.cmd), lookupIn(c.env)); err == nil || !strings.Contains(err.Error(), "environment variable ENTENTE_") {
			t.Errorf("%s %v: %v", c.cmd, c.env, err)
		}
	}
	var w bytes.Buffer
	warnUnknownEnv(newRoot(io.Discard, io.Discard), []string{"ENTENTE_REPLICATE=5", "ENTENTE_SEED=1", "ENTENTE_SET=x=1", "HOME=/"}, &w)
	if got := w.String(); !strings.Contains(got, "ENTENTE_REPLICATE is not an option of any command; ignored (did you mean ENTENTE_REPLICATES?)") || strings.Count(got, "\n") != 1 {
		t.Errorf("warning: %q", got)
	}
	// ENTENTE_SHARD reaches a real sweep
	t.Setenv("ENTENTE_SHARD", "1/2")
	sw := filepath.Join(t.TempDir(), "sw")
	code, stdout, errs := run(t, append(sweepArgs, "--out", sw)...)
	if code != 0 || !strings.Contains(stdout, "shard 1/2: 3 points") {
		t.Errorf("ENTENTE_SHARD=1/2: %d %q %q", code, stdout, errs)
	}
}

func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// subcommand finds a command of a fresh root with its flags parsed from args.
func subcommand(t *testing.T, args ...string) *cobra.Command {
	t.Helper()
	root := newRoot(io.Discard, io.Discard)
	cmd, rest, err := root.Find(args)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// describe --keys lists every settable key; describe points to it.
func TestDescribeKeys(t *testing.T) {
	code, out, _ := run(t, "describe", "nordic-2022", "--keys")
	if code != 0 || strings.Count(out, "\n") < 2000 {
		t.Fatalf("describe --keys: %d, %d lines", code, strings.Count(out, "\n"))
	}
	for _, want := range []string{"steps  ", "actors.FIN.enter", "ties.0.trust", "threats.russia.intensity.peak", "outputs.snapshots.4", "parameters.temperature"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe --keys lacks %s", want)
		}
	}
	code, out, _ = run(t, "describe", "nordic-2022")
	if code != 0 || !strings.Contains(out, "'entente describe nordic-2022 --keys' lists every one") {
		t.Errorf("describe: %d %q", code, out[max(0, len(out)-300):])
	}
}

// The default output folder stays inside results/out whatever the name.
func TestDefaultOutStaysInResults(t *testing.T) {
	for _, name := range []string{"../../etc", "/abs/x", "..", "a/../../b", ""} {
		got := defaultOut(name, "sweep")
		if rel, err := filepath.Rel(filepath.Join("results", "out"), got); err != nil || strings.HasPrefix(rel, "..") || strings.Contains(rel, string(filepath.Separator)) {
			t.Errorf("defaultOut(%q) = %s", name, got)
		}
	}
	// validate catches an unknown metric, as run would
	f := filepath.Join(t.TempDir(), "m.yaml")
	os.WriteFile(f, []byte("actors: [{id: A}, {id: B}]\noutputs: {metrics: [densty]}\n"), 0o644)
	if code, _, errs := run(t, "validate", f); code != 1 || !strings.Contains(errs, "did you mean density?") {
		t.Errorf("validate with an unknown metric: %d %q", code, errs)
	}
}

// FuzzEnvFlags: any value of any variable is either refused with a message
// naming the variable or sets its flag to a value the flag reads back.
func FuzzEnvFlags(f *testing.F) {
	for _, s := range []string{"7", "abc", "", "-1", "1e3", "0,10,-1", "true", "0/4", "a=1;b=2", "18446744073709551616"} {
		f.Add("seed", s)
		f.Add("snapshots", s)
		f.Add("vary", s)
	}
	f.Add("charts", "maybe")
	f.Add("shard", "1/2")
	f.Fuzz(func(t *testing.T, flag, val string) {
		for _, name := range []string{"run", "sweep"} {
			cmd := subcommand(t, name)
			fl := cmd.Flags().Lookup(flag)
			if fl == nil {
				continue
			}
			env := map[string]string{envName(flag): val}
			err := envFlags(cmd, lookupIn(env))
			if slices.Contains(envSkip, flag) {
				if err != nil {
					t.Fatalf("%s is not set from the environment, yet: %v", flag, err)
				}
				continue
			}
			if err != nil {
				if !strings.Contains(err.Error(), envName(flag)) {
					t.Fatalf("error without the variable: %v", err)
				}
				continue
			}
			noValue := fl.Value.Type() == "stringArray" && !slices.ContainsFunc(strings.FieldsFunc(val, func(r rune) bool { return r == ';' || r == '\n' }),
				func(v string) bool { return strings.TrimSpace(v) != "" })
			if !fl.Changed && !noValue {
				t.Fatalf("%s=%q accepted but --%s not set", envName(flag), val, flag)
			}
		}
	})
}
