package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A robustness check cut short (a kill between points leaves hypercube.csv
// and hypercube.json with the points done, complete false) goes on with
// --resume to the same files as an uninterrupted run; --resume with other
// flags is refused, and a second run needs --force.
func TestHypercubeResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the facts at three points")
	}
	tmp := t.TempDir()
	full, cut := filepath.Join(tmp, "full"), filepath.Join(tmp, "cut")
	args := []string{"facts", "--hypercube", "2", "--replicates", "1", "--seed", "4"}
	if code, _, errs := run(t, append(args, "--out", full)...); code != 0 {
		t.Fatalf("hypercube: exit %d: %s", code, errs)
	}
	want, err := os.ReadFile(filepath.Join(full, "hypercube.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// the state a kill after the first point leaves: the files as they
	// were written after it (hypercube.csv with one row, runs_done 1)
	if err := os.MkdirAll(cut, 0o755); err != nil {
		t.Fatal(err)
	}
	first := strings.SplitAfterN(string(want), "\n", 3)
	// the kept point with one verdict changed: a resumed run reuses the
	// points done (it must not recompute them), so the change survives
	cols := strings.Split(first[1], ",")
	k := len(cols) - 8 // fact_1 (seven facts, then the error column)
	cols[k] = map[string]string{"0": "1", "1": "0"}[cols[k]]
	row1 := strings.Join(cols, ",")
	if err := os.WriteFile(filepath.Join(cut, "hypercube.csv"), []byte(first[0]+row1), 0o644); err != nil {
		t.Fatal(err)
	}
	want = []byte(first[0] + row1 + first[2])
	b, err := os.ReadFile(filepath.Join(full, "hypercube.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	meta["runs_done"], meta["complete"] = 1, false
	b, _ = json.Marshal(meta)
	js := filepath.Join(cut, "hypercube.json")
	if err := os.WriteFile(js, b, 0o644); err != nil {
		t.Fatal(err)
	}

	if code, _, errs := run(t, "facts", "--hypercube", "2", "--replicates", "1", "--seed", "5", "--out", cut, "--resume"); code == 0 ||
		!strings.Contains(errs, "--seed 4") || !strings.Contains(errs, "--force") {
		t.Errorf("--resume with another seed: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, append(args, "--out", cut)...); code == 0 || !strings.Contains(errs, "--force") {
		t.Errorf("a new check into an earlier one: exit %d: %s", code, errs)
	}
	code, _, errs := run(t, append(args, "--out", cut, "--resume")...)
	if code != 0 || !strings.Contains(errs, "resuming") {
		t.Fatalf("--resume: exit %d: %s", code, errs)
	}
	got, _ := os.ReadFile(filepath.Join(cut, "hypercube.csv"))
	if string(got) != string(want) {
		t.Errorf("resumed:\n%s\nuninterrupted:\n%s", got, want)
	}
	b, _ = os.ReadFile(js)
	if !strings.Contains(string(b), `"complete": true`) || !strings.Contains(string(b), `"runs_done": 2`) {
		t.Errorf("resumed hypercube.json: %s", b)
	}
}
