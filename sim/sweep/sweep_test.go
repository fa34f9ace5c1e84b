package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/sim/sweep"
)

func factors(t *testing.T, args ...string) []sweep.Factor {
	t.Helper()
	var fs []sweep.Factor
	for _, a := range args {
		f, err := sweep.ParseFactor(a)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	return fs
}

// small is a classroom sweep of 4 points x 2 replicates x 8 steps.
func small(t *testing.T, out string) *sweep.Config {
	return &sweep.Config{
		Scenario: "classroom", Factors: factors(t, "retrenchment.political=0:0.8:2", "parameters.temperature=0.01,0.5"),
		Replicates: 2, Steps: 8, Seed: 3, Workers: 2, Out: out,
	}
}

// topFiles are the byte-compared files of a finished sweep.
var topFiles = []string{"sweep.json", "points.csv", "outcomes.csv", "outcomes_summary.csv", "timeseries.csv"}

func pointFiles(n int) []string {
	var fs []string
	for i := range n {
		for _, f := range []string{"timeseries.csv", "summary.csv", "outcomes.csv"} {
			fs = append(fs, filepath.Join("points", "p000"+string(rune('0'+i)), f))
		}
	}
	return fs
}

func sameFiles(t *testing.T, a, b string, files []string) {
	t.Helper()
	for _, f := range files {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs:\n%s\n---\n%s", f, x, y)
		}
	}
}

func TestSweepGrid(t *testing.T) {
	out := t.TempDir()
	rep, err := sweep.Run(context.Background(), small(t, out))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete || rep.Points != 4 || rep.Run != 4 || rep.Runs != 8 {
		t.Fatalf("report %+v", rep)
	}
	pts, _ := os.ReadFile(filepath.Join(out, "points.csv"))
	want := "point,retrenchment.political,parameters.temperature\n0,0,0.01\n1,0,0.5\n2,0.8,0.01\n3,0.8,0.5\n"
	if string(pts) != want {
		t.Fatalf("points.csv:\n%s", pts)
	}
	oc, _ := os.ReadFile(filepath.Join(out, "outcomes.csv"))
	lines := strings.Split(strings.TrimSpace(string(oc)), "\n")
	if len(lines) != 9 || !strings.HasPrefix(lines[0], "point,replicate,retrenchment.political,parameters.temperature,minilaterals,minilaterals_without_patron,binding_share,blocs,density,ties_total,pagerank_") {
		t.Fatalf("outcomes.csv:\n%s", oc)
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, ",,") || strings.HasSuffix(l, ",") {
			t.Errorf("missing outcome: %s", l)
		}
	}
	t.Log(string(oc))
	// a second run into the same folder without --resume is refused
	if _, err := sweep.Run(context.Background(), small(t, out)); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("rerun: %v", err)
	}
	// resuming a complete sweep runs nothing and leaves the files alone
	c := small(t, out)
	c.Resume = true
	before, _ := os.ReadFile(filepath.Join(out, "outcomes.csv"))
	rep, err = sweep.Run(context.Background(), c)
	if err != nil || rep.Run != 0 || rep.Skipped != 4 {
		t.Fatalf("resume complete: %+v %v", rep, err)
	}
	after, _ := os.ReadFile(filepath.Join(out, "outcomes.csv"))
	if !bytes.Equal(before, after) {
		t.Fatal("resume changed outcomes.csv")
	}
	_ = errors.New
}

// A sweep into a folder that holds a result set is refused unless --resume
// (a sweep) or --force; a second writer is refused while the first runs.
func TestSweepFolderProtection(t *testing.T) {
	out := t.TempDir()
	if _, err := sweep.Run(context.Background(), small(t, out)); err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.Run(context.Background(), small(t, out)); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("sweep into a sweep: %v", err)
	}
	os.WriteFile(filepath.Join(out, "points", "p0001", "stray.csv"), []byte("old"), 0o644)
	c := small(t, out)
	c.Force, c.Factors = true, factors(t, "retrenchment.political=0:0.8:3")
	rep, err := sweep.Run(context.Background(), c)
	if err != nil || !rep.Folder.Held || !rep.Complete || rep.Points != 3 {
		t.Fatalf("--force: %v %+v", err, rep)
	}
	if _, err := os.Stat(filepath.Join(out, "points", "p0003")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a point of the replaced sweep survived --force")
	}
	if _, err := os.Stat(filepath.Join(out, "points", "p0001", "stray.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a file of the replaced sweep survived --force")
	}
	c.Resume = true
	if _, err := sweep.Run(context.Background(), c); err == nil || !strings.Contains(err.Error(), "one of them") {
		t.Errorf("--resume --force: %v", err)
	}
	// a run's result set is not a sweep to resume
	run := t.TempDir()
	os.WriteFile(filepath.Join(run, "manifest.json"), []byte(`{"tool": "entente", "scenario": "classroom"}`), 0o644)
	c = small(t, run)
	c.Resume = true
	if _, err := sweep.Run(context.Background(), c); err == nil || !strings.Contains(err.Error(), "not a sweep") {
		t.Errorf("resume a sweep in a run's folder: %v", err)
	}
}

// --vary steps works on a built-in whose snapshots pass the varied end; it
// cannot be combined with --steps.
func TestVarySteps(t *testing.T) {
	c := small(t, t.TempDir())
	c.Steps, c.Factors = 0, factors(t, "steps=4,9")
	rep, err := sweep.Run(context.Background(), c)
	if err != nil || rep.Points != 2 {
		t.Fatalf("--vary steps: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(c.Out, "points", "p0001", "timeseries.csv"))
	if !strings.Contains(string(b), "\n1,9,") || strings.Contains(string(b), "\n1,10,") {
		t.Errorf("point steps=9 does not end at step 9")
	}
	c = small(t, t.TempDir())
	c.Factors = factors(t, "steps=4,9")
	if _, err := sweep.Run(context.Background(), c); err == nil || !strings.Contains(err.Error(), "--steps") {
		t.Errorf("--vary steps with --steps: %v", err)
	}
	c = small(t, t.TempDir())
	c.Steps = 100_001
	if _, err := sweep.Run(context.Background(), c); err == nil || !strings.Contains(err.Error(), "100000") {
		t.Errorf("steps over the cap: %v", err)
	}
}
