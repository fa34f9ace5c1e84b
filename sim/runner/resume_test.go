package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
)

func classroomConfig(t *testing.T, out string, over ...string) *runner.Config {
	t.Helper()
	sc, err := scenarios.Load("classroom", over...)
	if err != nil {
		t.Fatal(err)
	}
	return &runner.Config{Scenario: sc, Seed: 3, Replicates: 6, Steps: 12, Workers: 2, Out: out, SnapshotReplicates: 2,
		Events: true, Explain: []string{"EAS", "WES"}, Timeline: true,
		Charts: func(dir string, rows []results.SummaryRow, last *results.Snapshot) ([]string, error) {
			s := "no snapshot"
			if last != nil {
				s = fmt.Sprintf("final network at step %d, %d edges", last.Step, len(last.Edges))
			}
			return []string{"final.txt"}, os.WriteFile(filepath.Join(dir, "final.txt"), []byte(s), 0o644)
		}}
}

// dirFiles reads every file of a set but its manifest (which records times).
func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "manifest.json" {
			out[rel], err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A run cancelled after a few replicates and resumed (with other workers)
// ends byte-identical to an uninterrupted one; a folder with a result set
// is refused without --resume or --force, and --force replaces it.
func TestRunScenarioResume(t *testing.T) {
	ref := filepath.Join(t.TempDir(), "ref")
	if _, err := runner.RunScenario(context.Background(), classroomConfig(t, ref)); err != nil {
		t.Fatal(err)
	}
	want := dirFiles(t, ref)
	for _, f := range []string{"snapshots/rep1_step12.gexf", "snapshots/rep0_timeline.gexf", "charts/final.txt", "events.csv", "decisions.csv"} {
		if want[f] == nil {
			t.Fatalf("reference lacks %s: %v", f, slices.Sorted(mapKeys(want)))
		}
	}
	if _, err := runner.RunScenario(context.Background(), classroomConfig(t, ref)); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("a second run into the folder: %v", err)
	}

	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	c := classroomConfig(t, out)
	c.Workers = 1
	c.Progress = func(done, total int) {
		if done == 1 {
			cancel()
		}
	}
	rep, err := runner.RunScenario(ctx, c)
	if !runner.Interrupted(err) || rep.Complete || rep.Runs < 1 || rep.Runs >= 6 {
		t.Fatalf("cancelled: %v %+v", err, rep)
	}
	first := rep.Runs
	other := classroomConfig(t, out, "parameters.temperature=0.5")
	other.Resume = true
	if _, err := runner.RunScenario(context.Background(), other); err == nil || !strings.Contains(err.Error(), "not the same run") {
		t.Fatalf("resume with other parameters: %v", err)
	}
	c = classroomConfig(t, out)
	c.Resume, c.Workers = true, 3
	var seen []int
	c.Progress = func(done, total int) { seen = append(seen, done, total) }
	rep, err = runner.RunScenario(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete || rep.Kept != first || rep.Runs != 6 || len(seen) == 0 || seen[0] != first+1 || seen[1] != 6 {
		t.Fatalf("resumed: %+v, progress %v", rep, seen)
	}
	got := dirFiles(t, out)
	if !slices.Equal(slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want))) {
		t.Fatalf("files %v, want %v", slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want)))
	}
	for f, b := range want {
		if !bytes.Equal(got[f], b) {
			t.Errorf("%s differs after resume", f)
		}
	}
	// the kept replicates' files stay listed (the timeline of replicate 0,
	// written before the cut, among them)
	if m, err := os.ReadFile(filepath.Join(out, "manifest.json")); err != nil || !bytes.Contains(m, []byte(`"snapshots/rep0_timeline.gexf"`)) {
		t.Errorf("the resumed manifest does not list the timeline (%v)", err)
	}
	// resuming a complete set runs nothing but Finish (the CLI's report),
	// which is told that no event was tallied
	finished, events := 0, 0
	c.Tally = func(int, *results.EventRow) { events++ }
	c.Finish = func(dir string, tallied bool) error {
		if dir != out || tallied {
			t.Errorf("Finish(%q, tallied %v), want %q, false", dir, tallied, out)
		}
		finished++
		return nil
	}
	rep, err = runner.RunScenario(context.Background(), c)
	if err != nil || !rep.Complete || rep.Kept != 6 || rep.Runs != 6 || finished != 1 || events != 0 {
		t.Fatalf("resume of a complete set: %v %+v, Finish called %d times, %d events tallied", err, rep, finished, events)
	}
	c.Tally = nil
	// --force replaces: a shorter run leaves nothing of the longer one
	c = classroomConfig(t, out)
	c.Force, c.Replicates, c.Steps = true, 2, 5
	rep, err = runner.RunScenario(context.Background(), c)
	if err != nil || !rep.Folder.Held || len(rep.Folder.Removed) == 0 {
		t.Fatalf("force: %v %+v", err, rep)
	}
	for f := range dirFiles(t, out) {
		if strings.Contains(f, "step12") {
			t.Errorf("%s of the replaced set survived --force", f)
		}
	}
	c.Resume = true
	if _, err := runner.RunScenario(context.Background(), c); err == nil {
		t.Error("--resume with --force: no error")
	}
}

// The last step is always snapshotted; chosen steps after the last are
// dropped and reported; negative steps count from the end.
func TestSnapshotSteps(t *testing.T) {
	sc, err := scenarios.Load("us-retrenchment") // snapshots: [0, 10, 60, 100]
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		steps       int
		snaps       []int
		take, drops string
	}{
		{0, nil, "[0 10 60 100]", "[]"},
		{50, nil, "[0 10 50]", "[60 100]"},
		{150, nil, "[0 10 60 100 150]", "[]"},
		{30, []int{5, -1, -11, 40}, "[5 20 30]", "[40]"},
		{3, []int{-9}, "[3]", "[-9]"},
	} {
		cfg := &runner.Config{Scenario: sc, Steps: c.steps, Snapshots: c.snaps}
		take, dropped := cfg.SnapshotSteps()
		if fmt.Sprint(take) != c.take || fmt.Sprint(append([]int{}, dropped...)) != c.drops {
			t.Errorf("steps %d snapshots %v: take %v dropped %v, want %s %s", c.steps, c.snaps, take, dropped, c.take, c.drops)
		}
	}
	// a scenario without snapshots: the first and the last step
	cl, _ := scenarios.Load("baseline")
	if take, _ := (&runner.Config{Scenario: cl, Steps: 7}).SnapshotSteps(); fmt.Sprint(take) != "[0 7]" {
		t.Errorf("baseline, 7 steps: %v", take)
	}
}

func mapKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
