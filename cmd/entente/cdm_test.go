package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim/calibrate"
)

func cdmData(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "empirical")
	if _, err := os.Stat(filepath.Join(dir, cdm.NodesFile)); err != nil {
		t.Skipf("CDM panel not found at %s (shared/ must sit beside the repository): %v", dir, err)
	}
	return dir
}

func TestImportCompareCalibrateCommands(t *testing.T) {
	data := cdmData(t)
	tmp := t.TempDir()
	scen := filepath.Join(tmp, "cdm-1995.yaml")
	var out, errb bytes.Buffer
	if code := execute(context.Background(), []string{"import", "cdm", "--year", "1995", "--data", data, "--out", scen}, &out, &errb); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errb.String())
	}
	if _, err := scenarios.Load(scen); err != nil {
		t.Fatalf("imported file does not load: %v", err)
	}
	cmpDir := filepath.Join(tmp, "cmp")
	out.Reset()
	if code := execute(context.Background(), []string{"compare", scen, "--data", data, "--replicates", "2", "--out", cmpDir}, &out, &errb); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errb.String())
	}
	csv, err := os.ReadFile(filepath.Join(cmpDir, "compare.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(csv), "year,statistic,observed,sim_mean,sim_lo,sim_hi\n1995,edges,674,674,674,674\n") {
		t.Errorf("compare.csv starts %q", string(csv[:min(len(csv), 120)]))
	}
	for _, f := range []string{"charts/density.png", "charts/density.svg", "charts/persistence.png"} {
		if _, err := os.Stat(filepath.Join(cmpDir, f)); err != nil {
			t.Error(err)
		}
	}
	calDir := filepath.Join(tmp, "cal")
	out.Reset()
	if code := execute(context.Background(), []string{"calibrate", "--import-year", "1995", "--data", data, "--replicates", "2",
		"--evals", "4", "--fit-to", "1998", "--params", "upkeep_cost,temperature", "--out", calDir}, &out, &errb); code != 0 {
		t.Fatalf("calibrate: exit %d: %s", code, errb.String())
	}
	if n := strings.Count(out.String(), "\neval "); n != 4 { // one line per evaluation
		t.Errorf("%d progress lines after the first:\n%s", n, out.String())
	}
	for _, f := range []string{"calibrated.overlay", "fit.json", "report.md", "compare.csv", "charts/transitivity.svg"} {
		if _, err := os.Stat(filepath.Join(calDir, f)); err != nil {
			t.Error(err)
		}
	}
	// the overlay feeds compare
	out.Reset()
	if code := execute(context.Background(), []string{"compare", "--import-year", "1995", "--data", data, "--replicates", "2",
		"--overlay", filepath.Join(calDir, "calibrated.overlay"), "--out", filepath.Join(tmp, "cmp2")}, &out, &errb); code != 0 {
		t.Fatalf("compare --overlay: exit %d: %s", code, errb.String())
	}
	// bad input: clear errors
	errb.Reset()
	if code := execute(context.Background(), []string{"import", "cdm", "--year", "1981", "--data", tmp}, &out, &errb); code != 1 ||
		!strings.Contains(errb.String(), cdm.NodesFile) {
		t.Errorf("missing data: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := execute(context.Background(), []string{"compare", "--data", data}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "--import-year") {
		t.Errorf("compare without a scenario: exit %d, %q", code, errb.String())
	}
	// --block: the record block fits its parameters on the record alone
	blkDir := filepath.Join(tmp, "blk")
	out.Reset()
	if code := execute(context.Background(), []string{"calibrate", "--import-year", "1995", "--data", data, "--replicates", "2",
		"--evals", "2", "--fit-to", "1998", "--block", "record", "--out", blkDir}, &out, &errb); code != 0 {
		t.Fatalf("calibrate --block record: exit %d: %s", code, errb.String())
	}
	ov, err := os.ReadFile(filepath.Join(blkDir, "calibrated.overlay"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range calibrate.Blocks[0].Params {
		if !strings.Contains(string(ov), "parameters."+n+"=") {
			t.Errorf("--block record: %s not fitted:\n%s", n, ov)
		}
	}
	if strings.Contains(string(ov), "parameters.tie_cost=") || strings.Contains(out.String(), "(baseline:") {
		t.Errorf("--block record fitted beyond its block, or with the cross-section:\n%s\n%s", ov, out.String())
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--block", "alliances"}, "want one of record, cross-section"},
		{[]string{"--block", "record", "--params", "temperature"}, "give one of them"},
		{[]string{"--block", "record", "--stationary", "baseline"}, "drop --stationary"},
		{[]string{"--block", "record", "--start", "temperature"}, "--start: calibrate: start \"temperature\": want NAME=VALUE"},
		{[]string{"--block", "record", "--fit-to", "1998", "--replicates", "1", "--start", "temperature=0.5"}, "temperature=0.5 is outside its interval [0.005, 0.15]"},
		{[]string{"--block", "record", "--fit-to", "1998", "--replicates", "1", "--start", "tie_cost=0.1"}, "tie_cost is not a fitted parameter"},
	} {
		errb.Reset()
		args := append([]string{"calibrate", "--import-year", "1995", "--data", data, "--evals", "1", "--out", filepath.Join(tmp, "bad")}, c.args...)
		if code := execute(context.Background(), args, &out, &errb); code != 1 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("calibrate %v: exit %d, %q, want %q", c.args, code, errb.String(), c.want)
		}
		if _, err := os.Stat(filepath.Join(tmp, "bad")); err == nil {
			t.Errorf("calibrate %v: refused, but left its output folder behind", c.args)
		}
	}
}

// A calibration cut short goes on with --resume to the files an
// uninterrupted run writes, byte for byte: its evaluations.tsv (here cut
// after two evaluations, mid-line, as a kill leaves it) is read back, the
// rest simulated. A checkpoint of another calibration, --resume with
// --force, and a folder of other results are refused; a folder holding only
// a checkpoint is a result set (--force replaces it, a plain run refuses it
// and offers --resume).
func TestCalibrateResume(t *testing.T) {
	tmp := t.TempDir()
	args := func(out string, extra ...string) []string {
		return append([]string{"calibrate", "--import-year", "1995", "--replicates", "1", "--evals", "4", "--fit-to", "1998",
			"--params", "upkeep_cost,temperature", "--stationary", "", "--out", out}, extra...)
	}
	var out, errb bytes.Buffer
	full := filepath.Join(tmp, "full")
	if code := execute(context.Background(), args(full), &out, &errb); code != 0 {
		t.Fatalf("calibrate: exit %d: %s", code, errb.String())
	}
	ck, err := os.ReadFile(filepath.Join(full, calibrate.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(ck), "\n")
	if n := strings.Count(out.String(), "\neval "); len(lines) != 3+n+1 || lines[len(lines)-1] != "" {
		t.Fatalf("%s: %d lines for %d evaluations:\n%s", calibrate.CheckpointFile, len(lines)-1, n, ck)
	}
	cut := filepath.Join(tmp, "cut")
	if err := os.MkdirAll(cut, 0o755); err != nil {
		t.Fatal(err)
	}
	torn := strings.Join(lines[:5], "") + lines[5][:len(lines[5])/2]
	if err := os.WriteFile(filepath.Join(cut, calibrate.CheckpointFile), []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	// a plain run refuses the folder and offers --resume
	errb.Reset()
	if code := execute(context.Background(), args(cut), &out, &errb); code != 1 || !strings.Contains(errb.String(), "--resume") {
		t.Fatalf("a plain run into a cut calibration: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := execute(context.Background(), args(cut, "--resume", "--force"), &out, &errb); code != 1 || !strings.Contains(errb.String(), "give one of them") {
		t.Fatalf("--resume --force: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := execute(context.Background(), append(args(cut, "--resume"), "--evals", "5"), &out, &errb); code != 1 || !strings.Contains(errb.String(), "another calibration") {
		t.Fatalf("--resume with another budget: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	if code := execute(context.Background(), args(cut, "--resume"), &out, &errb); code != 0 {
		t.Fatalf("--resume: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "after 2 evaluations") {
		t.Errorf("--resume says %q, want it to name the 2 evaluations read back", errb.String())
	}
	for _, f := range []string{calibrate.CheckpointFile, "calibrated.overlay", "fit.json", "report.md", "compare.csv", "charts/density.svg"} {
		a, err := os.ReadFile(filepath.Join(full, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(cut, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the resumed and the uninterrupted calibration", f)
		}
	}
	// --resume into an empty folder starts afresh; into other results it is refused
	errb.Reset()
	if code := execute(context.Background(), args(filepath.Join(tmp, "new"), "--resume"), &out, &errb); code != 0 || !strings.Contains(errb.String(), "starting afresh") {
		t.Fatalf("--resume into a new folder: exit %d, %q", code, errb.String())
	}
	cmp := filepath.Join(tmp, "cmp")
	if code := execute(context.Background(), []string{"compare", "--import-year", "1995", "--replicates", "1", "--out", cmp}, &out, &errb); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := execute(context.Background(), args(cmp, "--resume"), &out, &errb); code != 1 || !strings.Contains(errb.String(), "no "+calibrate.CheckpointFile) {
		t.Fatalf("--resume into a comparison: exit %d, %q", code, errb.String())
	}
	// a folder holding only a checkpoint is replaced by --force
	only := filepath.Join(tmp, "only")
	if err := os.MkdirAll(only, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(only, calibrate.CheckpointFile), []byte(lines[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	errb.Reset()
	if code := execute(context.Background(), args(only, "--force"), &out, &errb); code != 0 {
		t.Fatalf("--force over a checkpoint alone: exit %d: %s", code, errb.String())
	}
}
