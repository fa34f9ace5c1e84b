package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// wholeCheck runs the robustness check of every fact at two points (one
// replicate, seed 4) into dir and returns its arguments but --out.
func wholeCheck(t *testing.T, dir string) []string {
	t.Helper()
	args := []string{"facts", "--hypercube", "2", "--replicates", "1", "--seed", "4"}
	if code, _, errs := run(t, append(args, "--out", dir)...); code != 0 {
		t.Fatalf("hypercube: exit %d: %s", code, errs)
	}
	return args
}

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
	args := wholeCheck(t, full)
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

// facts --only runs the named checks alone, by a fact's number or a
// guard's first words, and refuses a name that matches nothing or more
// than one check, listing the names.
// With --knockout each fact that holds gets a verdict (through its
// mechanism, or as much without it), and the run ends with one line that
// sorts the facts it ran by verdict, each in exactly one list.
func TestFactsVerdicts(t *testing.T) {
	code, out, errs := run(t, "facts", "--only", "3,6", "--knockout", "--replicates", "3")
	if code != 0 {
		t.Fatalf("facts --only 3,6 --knockout: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "facts holding through their mechanism: ") {
		t.Fatalf("last line %q, want the summary of verdicts", last)
	}
	head, rest, _ := strings.Cut(strings.TrimPrefix(last, "facts holding through their mechanism: "), "; holding as much without it: ")
	mid, tail, _ := strings.Cut(rest, "; not holding: ")
	for _, n := range []string{"3", "6"} {
		in := 0
		for _, l := range []string{head, mid, tail} {
			for _, x := range strings.Split(l, ", ") {
				if x == n {
					in++
				}
			}
		}
		if in != 1 {
			t.Errorf("fact %s in %d of the summary's lists: %q", n, in, last)
		}
		held := strings.Contains(out, "fact "+n+" holds:")
		verdict := strings.Contains(out, "verdict: fact "+n+" holds")
		if held != verdict {
			t.Errorf("fact %s held %v but has a verdict line %v:\n%s", n, held, verdict, out)
		}
	}
	if code, out, _ := run(t, "facts", "--only", "3,6", "--replicates", "2"); code != 0 || !strings.Contains(out, "(--knockout checks their mechanisms)") {
		t.Errorf("facts without --knockout: exit %d, summary missing:\n%s", code, out)
	}
}

// --seeds N runs each fact on N master seeds and counts those it holds on;
// a bad count, or --seeds with --hypercube, is refused.
func TestFactsSeeds(t *testing.T) {
	code, out, errs := run(t, "facts", "--only", "3,source", "--seeds", "2", "--seed", "4", "--replicates", "2")
	if code != 0 {
		t.Fatalf("facts --seeds 2: exit %d: %s", code, errs)
	}
	for _, want := range []string{"seed 4: fact 3 ", "seed 5: fact 3 ", "facts holding, by seeds 4 to 5: fact 3 ",
		"seed 4: guard: source inside", "seed 5: guard: source inside", "guard: source inside holds on "} {
		if !strings.Contains(out, want) {
			t.Errorf("facts --seeds 2 --seed 4 printed:\n%s\nwant %q", out, want)
		}
	}
	holds := strings.Count(out, ": fact 3 holds:")
	if want := fmt.Sprintf("fact 3 holds on %d of 2 seeds", holds); !strings.Contains(out, want) {
		t.Errorf("facts --seeds 2 printed:\n%s\nwant %q", out, want)
	}
	if code, _, errs := run(t, "facts", "--seeds", "0"); code == 0 || !strings.Contains(errs, "--seeds 0") {
		t.Errorf("--seeds 0: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, "facts", "--seeds", "2", "--hypercube", "50", "--out", t.TempDir()); code == 0 || !strings.Contains(errs, "drop --seeds") {
		t.Errorf("--seeds with --hypercube: exit %d, %q", code, errs)
	}
}

func TestFactsOnly(t *testing.T) {
	code, out, errs := run(t, "facts", "--only", "3", "--only", "guard: source", "--replicates", "2")
	if code != 0 {
		t.Fatalf("facts --only 3,source: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "fact 3 ") || !strings.Contains(out, "guard: source inside") {
		t.Errorf("facts --only 3,source printed:\n%s\nwant fact 3 and the source-inside guard", out)
	}
	if !strings.Contains(errs, "facts: fact 3 (1 of 2") || !strings.Contains(errs, "(2 of 2") {
		t.Errorf("facts --only 3,source: progress on stderr %q, want a line per check (1 of 2, 2 of 2)", errs)
	}
	for _, other := range []string{"fact 1 ", "fact 7 ", "guard: rival alliance", "guard: baseline stays"} {
		if strings.Contains(out, other) {
			t.Errorf("facts --only 3,source also ran %q:\n%s", other, out)
		}
	}
	for _, c := range []struct{ arg, want string }{
		{"nope", "no such fact or guard"},
		{"fact", "give more of the name"},
		{"9", "no such fact or guard"},
		{" ", "names no check"},
	} {
		if code, _, errs := run(t, "facts", "--only", c.arg); code == 0 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "fact 7") {
			t.Errorf("facts --only %s: exit %d, stderr %q; want a refusal saying %q and listing the names", c.arg, code, errs, c.want)
		}
	}
	if code, _, errs := run(t, "facts", "--only", "2,accommodation", "--hypercube", "50", "--out", t.TempDir()); code == 0 || !strings.Contains(errs, "not guards") {
		t.Errorf("facts --only with a guard and --hypercube: exit %d, %q; want a refusal", code, errs)
	}
}

// The robustness check of named facts alone (--only with --hypercube)
// writes their columns only, each the same as the whole check's column at
// the same points and seeds; its folder resumes only with the same facts.
func TestHypercubeOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the facts at two points")
	}
	tmp := t.TempDir()
	full, one := filepath.Join(tmp, "full"), filepath.Join(tmp, "one")
	args := wholeCheck(t, full)
	code, out, errs := run(t, append(args, "--only", "3,6", "--out", one)...)
	if code != 0 {
		t.Fatalf("hypercube --only 3,6: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "fact 3") || !strings.Contains(out, "fact 6") || strings.Contains(out, "fact 1 ") {
		t.Errorf("hypercube --only 3,6 reports other facts or not these:\n%s", out)
	}
	column := func(dir, name string) []string {
		b, err := os.ReadFile(filepath.Join(dir, "hypercube.csv"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		head := strings.Split(lines[0], ",")
		k := slices.Index(head, name)
		if k < 0 {
			t.Fatalf("%s/hypercube.csv has no column %s: %v", dir, name, head)
		}
		var col []string
		for _, l := range lines[1:] {
			col = append(col, strings.Split(l, ",")[k])
		}
		return col
	}
	for _, name := range []string{"fact_3", "fact_6", "temperature"} {
		if a, b := column(full, name), column(one, name); !slices.Equal(a, b) {
			t.Errorf("%s: the whole check gives %v, --only 3,6 gives %v", name, a, b)
		}
	}
	b, err := os.ReadFile(filepath.Join(one, "hypercube.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "fact_1") {
		t.Errorf("hypercube --only 3,6 wrote other facts' columns:\n%s", b)
	}
	if code, _, errs := run(t, append(args, "--only", "3", "--out", one, "--resume")...); code == 0 || !strings.Contains(errs, "the facts (--only)") {
		t.Errorf("resume with other facts: exit %d, %q; want a refusal naming the facts", code, errs)
	}
	if code, _, errs := run(t, append(args, "--only", "3,6", "--out", one, "--resume")...); code != 0 {
		t.Errorf("resume with the same facts: exit %d, %q", code, errs)
	}
}
