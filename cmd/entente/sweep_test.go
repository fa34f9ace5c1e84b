package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var sweepArgs = []string{"sweep", "classroom", "--vary", "retrenchment.political=0:0.8:3", "--vary", "parameters.temperature=0.5:1.5:2",
	"--replicates", "2", "--steps", "8", "--seed", "2", "--charts=false"}

func TestSweepCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sw")
	code, stdout, errs := run(t, append(sweepArgs, "--out", out, "--workers", "2")...)
	if code != 0 {
		t.Fatalf("sweep: %d %s %s", code, stdout, errs)
	}
	if !strings.Contains(stdout, "6 points x 2 replicates") || !strings.Contains(stdout, "outcomes.csv") {
		t.Fatalf("stdout %q", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "outcomes.csv"))
	if err != nil || strings.Count(string(b), "\n") != 13 {
		t.Fatalf("outcomes.csv: %v\n%s", err, b)
	}
	// the same command again is refused; with --resume it runs nothing
	if code, _, errs := run(t, append(sweepArgs, "--out", out)...); code == 0 || !strings.Contains(errs, "--resume") {
		t.Fatalf("rerun: %d %q", code, errs)
	}
	code, stdout, errs = run(t, append(sweepArgs, "--out", out, "--resume")...)
	if code != 0 || !strings.Contains(stdout, "0 points run, 6 already complete") {
		t.Fatalf("resume: %d %q %q", code, stdout, errs)
	}
	// shards merged equal the one-machine sweep
	var shards []string
	for _, s := range []string{"0/2", "1/2"} {
		dir := filepath.Join(t.TempDir(), "shard")
		if code, stdout, errs := run(t, append(sweepArgs, "--out", dir, "--shard", s)...); code != 0 || !strings.Contains(stdout, "entente merge") {
			t.Fatalf("shard %s: %d %q %q", s, code, stdout, errs)
		}
		shards = append(shards, dir)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	code, stdout, errs = run(t, append([]string{"merge", "--charts=false", "--out", merged}, shards...)...)
	if code != 0 || !strings.Contains(stdout, "6 points") {
		t.Fatalf("merge: %d %q %q", code, stdout, errs)
	}
	for _, f := range []string{"sweep.json", "points.csv", "outcomes.csv", "outcomes_summary.csv", "points/p0003/timeseries.csv"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(merged, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: merged differs from one machine", f)
		}
	}
}

func TestSweepCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "classroom"}, "--vary"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political"}, "KEY=FROM:TO:N"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:x:3"}, "not a number"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1"}, "number of values"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.politcal=0:1:3"}, "did you mean political"},
		{[]string{"sweep", "classroom", "--vary", "parameters.temprature=0:1:3"}, "did you mean temperature"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:2:3"}, "out of range"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--shard", "3/2"}, "0 <= I < N"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--shard", "x"}, "I/N"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--design", "sobel"}, "unknown design"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--resume"}, "--out"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--replicates", "0", "--out", dir}, "replicates"},
		{[]string{"sweep", "no-such-scenario", "--vary", "retrenchment.political=0:1:3"}, "no-such-scenario"},
		{[]string{"merge", dir}, "--out"},
		{[]string{"merge", "--out", filepath.Join(dir, "m"), dir}, "not a sweep folder"},
	}
	for _, c := range cases {
		code, _, errs := run(t, c.args...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Contains(errs, "panic") {
			t.Errorf("%v: code %d, %q (want %q)", c.args, code, errs, c.want)
		}
	}
}

// TestMain lets the test binary act as the entente command, so a test can
// run a sweep in a child process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("ENTENTE_TEST_MAIN") == "1" {
		os.Exit(execute(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// A sweep killed with SIGKILL mid-way and resumed writes the same files as an
// uninterrupted one.
func TestSweepResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	args := []string{"sweep", "classroom", "--vary", "retrenchment.political=0:0.8:5", "--vary", "parameters.temperature=0.01,0.5",
		"--replicates", "2", "--steps", "40", "--seed", "4", "--charts=false", "--workers", "1"}
	ref := filepath.Join(t.TempDir(), "ref")
	if code, o, e := run(t, append(args, "--out", ref)...); code != 0 {
		t.Fatalf("%d %s %s", code, o, e)
	}
	out := filepath.Join(t.TempDir(), "killed")
	cmd := exec.Command(os.Args[0], append(args, "--out", out)...)
	cmd.Env = append(os.Environ(), "ENTENTE_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// kill it once a few points are done (or when it ends first on a fast machine)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	killed := false
	for !killed {
		select {
		case <-done:
			killed = true // finished before the kill: resume must still be a no-op
		default:
			if m, _ := filepath.Glob(filepath.Join(out, "points", "p*", "outcomes.csv")); len(m) >= 3 {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				<-done
				killed = true
			}
			time.Sleep(time.Millisecond)
		}
	}
	code, stdout, errs := run(t, append(args, "--out", out, "--resume")...)
	if code != 0 {
		t.Fatalf("resume: %d %s %s", code, stdout, errs)
	}
	t.Log(strings.TrimSpace(stdout))
	for _, f := range []string{"sweep.json", "points.csv", "outcomes.csv", "outcomes_summary.csv", "points/p0004/timeseries.csv", "points/p0009/summary.csv"} {
		a, _ := os.ReadFile(filepath.Join(ref, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after kill and resume", f)
		}
	}
}
