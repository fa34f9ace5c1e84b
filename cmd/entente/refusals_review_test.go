package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A refused command leaves no output folder behind (a review found these
// six leaving an empty folder, or for calibrate one whose checkpoint then
// refused the corrected command), and a value that means nothing is
// refused instead of taken as a default.
func TestRefusalsLeaveNoFolder(t *testing.T) {
	cases := []struct {
		args []string
		says string
	}{
		{[]string{"run", "classroom", "--replicates", "2", "--steps", "5", "--charts=false", "--branch-at", "2", "--branch", "retrenchment.political=0,1.5"}, "retrenchment"},
		{[]string{"run", "classroom", "--replicates", "2", "--steps", "5", "--charts=false", "--branch-at", "2", "--branch", "retrenchment.political=0,1", "--metrics", "nosuch"}, "nosuch"},
		{[]string{"compare", "--import-year", "1981", "--replicates", "0"}, "--replicates 0"},
		{[]string{"compare", "--import-year", "1981", "--replicates", "1", "--network", "bogus"}, "--network"},
		{[]string{"calibrate", "--import-year", "1981", "--replicates", "0", "--evals", "1"}, "--replicates 0"},
		{[]string{"calibrate", "--import-year", "1981", "--replicates", "1", "--evals", "1", "--stationary", "nosuch"}, "--stationary"},
		{[]string{"calibrate", "--import-year", "1981", "--replicates", "1", "--evals", "0"}, "--evals 0"},
		{[]string{"calibrate", "--import-year", "1981", "--replicates", "1", "--evals", "-3"}, "--evals -3"},
	}
	for i, c := range cases {
		dir := filepath.Join(t.TempDir(), "out")
		code, _, errs := run(t, append(c.args, "--out", dir)...)
		if code != 1 || !strings.Contains(errs, c.says) {
			t.Errorf("case %d %v: exit %d, want 1 with %q: %s", i, c.args, code, c.says, errs)
		}
		if _, err := os.Stat(dir); err == nil {
			ents, _ := os.ReadDir(dir)
			t.Errorf("case %d %v: refused (%q) but left %s with %d entries", i, c.args, errs, dir, len(ents))
		}
	}
}

// explain refuses a negative --step (it meant every step), and facts
// refuses flags that only the robustness check reads, instead of ignoring
// them.
func TestFlagsThatMeanNothingAreRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"explain", t.TempDir(), "--actor", "USA", "--step", "-5"}, "--step -5"},
		{[]string{"facts", "--only", "2", "--out", filepath.Join(t.TempDir(), "f")}, "--out"},
		{[]string{"facts", "--only", "2", "--resume"}, "--resume"},
		{[]string{"facts", "--hypercube", "2", "--knockout", "--out", filepath.Join(t.TempDir(), "h")}, "--knockout"},
	} {
		code, _, errs := run(t, c.args...)
		if code != 1 || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d, want 1 with %q: %s", c.args, code, c.says, errs)
		}
	}
}
