package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// run --explain writes decisions.csv; explain tells what the actor did,
// across replicates, with the terms that drove it; a run without it, an
// actor without decisions and a missing --actor get errors that say what
// to do; the same run explains the same way whatever the workers; without
// --actor it summarises the whole run's draws.
func TestExplain(t *testing.T) {
	base := t.TempDir()
	dirs := []string{filepath.Join(base, "w1"), filepath.Join(base, "w2")}
	for i, dir := range dirs {
		code, out, errs := run(t, "run", "nordic-2022", "--replicates", "3", "--steps", "10", "--workers", []string{"1", "2"}[i],
			"--explain", "FIN,SWD", "--charts=false", "--out", dir)
		if code != 0 || !strings.Contains(out, "decisions.csv") {
			t.Fatalf("run --explain: %d %s %s", code, out, errs)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dirs[0], "decisions.csv"))
	b, _ := os.ReadFile(filepath.Join(dirs[1], "decisions.csv"))
	if len(a) == 0 || string(a) != string(b) {
		t.Fatal("decisions.csv differs with the number of workers")
	}
	code, out, errs := run(t, "explain", dirs[0], "--actor", "FIN")
	if code != 0 {
		t.Fatalf("explain: %d %s", code, errs)
	}
	if !regexp.MustCompile(`FIN in nordic-2022 \(seed 1\), 3 replicates, every step: \d+ decisions\.`).MatchString(out) {
		t.Errorf("explain lacks its header:\n%s", out)
	}
	for _, want := range []string{"What it did", "Why, on average: utility ", "Terms: security, "} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`chosen \d+ times in \d of 3 replicates`).MatchString(out) || !regexp.MustCompile(`driven by [a-z]+ \(\+`).MatchString(out) {
		t.Errorf("explain does not count replicates or name the driving terms:\n%s", out)
	}
	code, out, _ = run(t, "explain", dirs[0], "--actor", "SWD", "--step", "3")
	if code != 0 || !regexp.MustCompile(`step 3: \d+ decisions?\.`).MatchString(out) {
		t.Errorf("explain --step: %d\n%s", code, out)
	}
	code, out, _ = run(t, "explain", dirs[0], "--actor", "FIN", "--partner", "NATO")
	if code != 0 || !strings.Contains(out, "options with NATO") {
		t.Errorf("explain --partner: %d\n%s", code, out)
	}
	if code, _, errs := run(t, "explain", dirs[0], "--actor", "USA"); code != 1 || !strings.Contains(errs, "holds those of FIN, SWD") {
		t.Errorf("unknown actor: %d %s", code, errs)
	}
	// without --actor, the whole run: what the model drew, by kind, against doing nothing
	code, out, errs = run(t, "explain", dirs[0])
	if code != 0 || !regexp.MustCompile(`nordic-2022 \(seed 1\), 3 replicates, 2 actors \(FIN, SWD\): \d+ decisions at temperature 0\.\d+\.`).MatchString(out) ||
		!strings.Contains(out, "| nothing | ") || !strings.Contains(out, "What the model drew, by kind of option") {
		t.Errorf("explain without --actor: %d %s\n%s", code, errs, out)
	}
	code, out, errs = run(t, "explain", dirs[0], "--csv")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) < 2 ||
		lines[0] != "kind,drawn,above_nothing,best,mean_utility,mean_behind_best,temperature,answers,yes,yes_against,no_against" ||
		!regexp.MustCompile(`(?m)^nothing,\d+,0,\d+,0,`).MatchString(out) {
		t.Errorf("explain --csv: %d %s\n%s", code, errs, out)
	}
	if code, _, errs := run(t, "explain", dirs[0], "--actor", "FIN", "--csv"); code != 1 || !strings.Contains(errs, "--csv is the summary of the whole run") {
		t.Errorf("--csv with --actor: %d %s", code, errs)
	}
	if code, _, errs := run(t, "explain", dirs[0], "--step", "3"); code != 1 || !strings.Contains(errs, "--step needs --actor") {
		t.Errorf("--step without --actor: %d %s", code, errs)
	}
	plain := filepath.Join(base, "plain")
	if code, _, errs := run(t, "run", "classroom", "--replicates", "1", "--steps", "3", "--charts=false", "--out", plain); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, "explain", plain, "--actor", "PAT"); code != 1 || !strings.Contains(errs, "--explain PAT") {
		t.Errorf("no decisions.csv: %d %s", code, errs)
	}
	if code, _, errs := run(t, "run", "classroom", "--explain", "NOPE", "--replicates", "1", "--out", filepath.Join(base, "x")); code != 1 || !strings.Contains(errs, `no actor "NOPE"`) {
		t.Errorf("--explain NOPE: %d %s", code, errs)
	}
}
