package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/results/report"
	"github.com/entente/entente/scenarios"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := execute(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestList(t *testing.T) {
	code, out, _ := run(t, "list")
	if code != 0 || !strings.Contains(out, "taiwan-crisis") || !strings.Contains(out, "classroom") {
		t.Fatalf("list: %d %q", code, out)
	}
	if code, out, _ := run(t, "list", "parameters"); code != 0 || !strings.Contains(out, "temperature") {
		t.Fatalf("list parameters: %d %q", code, out)
	}
	if code, out, _ := run(t, "list", "metrics"); code != 0 || !strings.Contains(out, "density") {
		t.Fatalf("list metrics: %d %q", code, out)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\nactors:\n  - id: A\n    capability: 1.5\n  - id: B\nties:\n  - a: A\n    b: C\n"), 0o644)
	code, _, errs := run(t, "validate", bad)
	if code != 1 || !strings.Contains(errs, "bad.yaml") || !strings.Contains(errs, "capability") || !strings.Contains(errs, "unknown actor") {
		t.Fatalf("validate bad: %d %q", code, errs)
	}
	code, out, _ := run(t, "validate", "nordic-2022")
	if code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("validate built-in: %d %q", code, out)
	}
}

func TestRunWritesAResultSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := run(t, "run", "classroom", "--replicates", "3", "--steps", "12", "--workers", "2",
		"--set", "parameters.temperature=0.02", "--charts=false", "--out", dir)
	if code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	for _, f := range []string{"manifest.json", "timeseries.csv", "summary.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(out, "density") || !strings.Contains(out, dir) {
		t.Fatalf("summary: %q", out)
	}
	m, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if !strings.Contains(string(m), `"parameters.temperature=0.02"`) || !strings.Contains(string(m), `"complete": true`) {
		t.Fatalf("manifest: %s", m)
	}
}

// The report a run writes from the key events it tallied (reportTally) is
// the one written from events.csv, and reportTally's Finish takes its key
// events from the tally when told the set tallied them all, from the file
// otherwise.
func TestRunReportFromTheTally(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, out, errs := run(t, "run", "classroom", "--replicates", "3", "--steps", "12", "--workers", "2", "--charts=false", "--out", dir); code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	page := func() string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, report.File))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := page()
	if !strings.Contains(want, "Key events") || !strings.Contains(want, " of 3 replicates</li>") {
		t.Fatal("the run's page lists no key events")
	}
	if _, err := report.Write(dir); err != nil {
		t.Fatal(err)
	}
	if page() != want {
		t.Error("the run's page differs from the one written from events.csv")
	}
	_, _, finish := reportTally() // a tally that saw nothing
	if err := finish(dir, true); err != nil {
		t.Fatal(err)
	}
	if got := page(); !strings.Contains(got, "The 0 events the most replicates saw (of 0 events in events.csv") {
		t.Error("Finish told the set tallied every event did not use the tally")
	}
	if err := finish(dir, false); err != nil {
		t.Fatal(err)
	}
	if page() != want {
		t.Error("Finish told the set did not tally every event did not read events.csv")
	}
}

func TestRunBadInput(t *testing.T) {
	cases := [][]string{
		{"run", "classroom", "--steps", "-5"},
		{"run", "classroom", "--set", "parameters.temperature=-2"},
		{"run", "no-such-scenario"},
		{"run", "classroom", "--replicates", "0"},
		{"run", "classroom", "--out", "/proc/nope"},
	}
	for _, c := range cases {
		code, _, errs := run(t, c...)
		if code == 0 || errs == "" || strings.Contains(errs, "panic") {
			t.Errorf("%v: code %d, %q", c, code, errs)
		}
	}
}

func TestRunBranches(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "br")
	code, out, errs := run(t, "run", "classroom", "--replicates", "2", "--steps", "15", "--charts=false",
		"--branch-at", "5", "--branch", "retrenchment.political=0,0.9", "--out", dir)
	if code != 0 {
		t.Fatalf("branching run: %d %s %s", code, out, errs)
	}
	for _, f := range []string{"differences.csv", "branches/b0/timeseries.csv", "branches/b1/summary.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if code, _, errs := run(t, "run", "classroom", "--branch", "retrenchment.political=0,1"); code == 0 || !strings.Contains(errs, "--branch-at") {
		t.Fatalf("--branch without --branch-at: %d %q", code, errs)
	}
}

func TestOverlayAndDescribeSet(t *testing.T) {
	dir := t.TempDir()
	ov := filepath.Join(dir, "fit.overlay")
	os.WriteFile(ov, []byte("# from calibrate\nparameters.temperature=0.03\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, errs := run(t, "run", "classroom", "--replicates", "1", "--steps", "3", "--charts=false",
		"--overlay", ov, "--set", "parameters.upkeep_cost=0.02", "--out", out)
	if code != 0 {
		t.Fatalf("run --overlay: %d %s %s", code, stdout, errs)
	}
	m, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if !strings.Contains(string(m), `"temperature": 0.03`) || !strings.Contains(string(m), `"upkeep_cost": 0.02`) {
		t.Fatalf("overlay and --set not in the manifest: %s", m)
	}
	code, stdout, _ = run(t, "describe", "classroom", "--set", "retrenchment.political=0.7")
	if code != 0 || !strings.Contains(stdout, "constant 0.7") {
		t.Fatalf("describe --set: %d %s", code, stdout)
	}
	if code, _, errs := run(t, "run", "classroom", "--overlay", filepath.Join(dir, "missing")); code == 0 || !strings.Contains(errs, "missing") {
		t.Fatalf("missing overlay: %d %q", code, errs)
	}
}

// Every example in --help names real scenarios and keys: each example line
// that runs a built-in with --set or --vary must load.
func TestHelpExamplesLoad(t *testing.T) {
	root := newRoot(io.Discard, io.Discard)
	checked := 0
	for _, c := range root.Commands() {
		for _, line := range strings.Split(c.Example, "\n") {
			f := strings.Fields(line)
			if len(f) < 3 || f[0] != "entente" || (f[1] != "run" && f[1] != "sweep" && f[1] != "describe") {
				continue
			}
			if _, ok := scenarios.Builtin(f[2]); !ok {
				continue
			}
			var over []string
			for i := 3; i+1 < len(f); i++ {
				switch f[i] {
				case "--set":
					over = append(over, f[i+1])
				case "--vary":
					k, v, _ := strings.Cut(f[i+1], "=")
					v = strings.Split(strings.Split(v, ":")[0], ",")[0]
					over = append(over, k+"="+v)
				}
			}
			if _, err := scenarios.Load(f[2], over...); err != nil {
				t.Errorf("%s example %q: %v", c.Name(), strings.TrimSpace(line), err)
			}
			checked++
		}
	}
	if checked < 4 {
		t.Fatalf("only %d examples checked", checked)
	}
}

func TestTieListsPerStep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ties")
	if code, out, errs := run(t, "run", "classroom", "--replicates", "1", "--steps", "3", "--charts=false",
		"--snapshot-every", "1", "--tie-lists", "--out", dir); code != 0 {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	for step := 0; step <= 3; step++ {
		if _, err := os.Stat(filepath.Join(dir, "snapshots", fmt.Sprintf("rep0_step%d_ties.csv", step))); err != nil {
			t.Error(err)
		}
	}
	if code, _, _ := run(t, "run", "classroom", "--snapshot-every", "-1"); code == 0 {
		t.Error("negative --snapshot-every accepted")
	}
}

// --timeline writes the first replicate's network at every step as one
// dynamic GEXF (the same whatever --workers), listed in the manifest, which
// records it: a resume without
// it is refused; a branching run refuses it.
func TestTimelineFlag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tl")
	if code, out, errs := run(t, "run", "classroom", "--replicates", "2", "--steps", "6", "--charts=false", "--timeline", "--out", dir); code != 0 {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "snapshots", "rep0_timeline.gexf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`mode="dynamic"`)) || !bytes.Contains(b, []byte(`start="0" end="6"`)) {
		t.Fatalf("the timeline is not a dynamic graph of steps 0 to 6:\n%.600s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "rep1_timeline.gexf")); err == nil {
		t.Error("a timeline of the second replicate")
	}
	one := filepath.Join(t.TempDir(), "one")
	if code, _, errs := run(t, "run", "classroom", "--replicates", "2", "--steps", "6", "--charts=false", "--timeline", "--workers", "1", "--out", one); code != 0 {
		t.Fatal(errs)
	}
	if b1, _ := os.ReadFile(filepath.Join(one, "snapshots", "rep0_timeline.gexf")); !bytes.Equal(b1, b) {
		t.Error("the timeline differs with one worker")
	}
	m, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(m, []byte(`"timeline": true`)) || !bytes.Contains(m, []byte(`"snapshots/rep0_timeline.gexf"`)) {
		t.Fatalf("the manifest does not record the timeline:\n%s", m)
	}
	if code, _, errs := run(t, "run", "classroom", "--replicates", "3", "--steps", "6", "--charts=false", "--out", dir, "--resume"); code == 0 || !strings.Contains(errs, "timeline") {
		t.Fatalf("a resume without --timeline: %d %s", code, errs)
	}
	plain := filepath.Join(t.TempDir(), "plain")
	if code, _, errs := run(t, "run", "classroom", "--replicates", "1", "--steps", "3", "--charts=false", "--out", plain); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(plain, "snapshots", "rep0_timeline.gexf")); err == nil {
		t.Error("a timeline without --timeline")
	}
	if code, _, errs := run(t, "run", "classroom", "--timeline", "--branch-at", "2", "--branch", "retrenchment.political=0,1", "--out", filepath.Join(t.TempDir(), "b")); code == 0 || !strings.Contains(errs, "--timeline") {
		t.Fatalf("a branching run with --timeline: %d %s", code, errs)
	}
}

// A negative --workers is refused by every command that takes it, before
// any work or output (0 asks for one worker per CPU).
func TestNegativeWorkersRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "w")
	for _, args := range [][]string{
		{"run", "classroom", "--workers", "-2", "--out", out},
		{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--workers", "-1", "--out", out},
		{"compare", "--import-year", "1981", "--replicates", "2", "--workers", "-1", "--out", out},
		{"calibrate", "--import-year", "1981", "--replicates", "2", "--evals", "2", "--workers", "-3", "--out", out},
	} {
		code, _, errs := run(t, args...)
		if code != 1 || !strings.Contains(errs, "--workers -") || !strings.Contains(errs, "want 0 (one per CPU)") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v: wrote %s", args, out)
		}
	}
}

// --every below 0 is refused; a snapshot step counted back from the end
// past step 0 is skipped with a note that says so (not "after the last
// step").
func TestEveryAndSnapshotStepsOutOfRange(t *testing.T) {
	if code, _, errs := run(t, "run", "classroom", "--every", "-1", "--out", filepath.Join(t.TempDir(), "e")); code != 1 || !strings.Contains(errs, "--every -1: want 0") {
		t.Errorf("--every -1: exit %d, %q", code, errs)
	}
	code, _, errs := run(t, "run", "classroom", "--replicates", "1", "--steps", "5", "--charts=false", "--snapshots", "-50,9", "--out", filepath.Join(t.TempDir(), "s"))
	if code != 0 || !strings.Contains(errs, "note: snapshot steps 9 are after the last step (5)") ||
		!strings.Contains(errs, "note: snapshot steps -50 count back from the end past step 0 (the run has 5 steps)") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

// A branching run with its branch step past the end, a sweep of no
// replicates and a sweep of a key the scenario has not are refused before
// their folder is made (and before the sweep is announced).
func TestRefusedBeforeTheFolder(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "classroom", "--branch-at", "500", "--branch", "retrenchment.political=0,1"}, "--branch-at 500: want a step in [0, 60]"},
		{[]string{"sweep", "classroom", "--vary", "retrenchment.political=0:1:3", "--replicates", "0"}, "--replicates 0: want at least 1"},
		{[]string{"sweep", "classroom", "--vary", "nonsense=0:1:3"}, `--vary nonsense=0:1:3: scenarios: builtin:classroom: --set nonsense: unknown key: "nonsense"`},
		{[]string{"sweep", "classroom", "--vary", "actors.ZZZ.autonomy=0.1,0.2"}, `no actor "ZZZ"`},
	} {
		out := filepath.Join(t.TempDir(), "x")
		code, _, errs := run(t, append(c.args, "--out", out)...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errs)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: made %s", c.args, out)
		}
		if strings.Contains(errs, "sweeping ") {
			t.Errorf("%v: announced the sweep before refusing it: %q", c.args, errs)
		}
	}
}
