package calibrate_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/sim/calibrate"
)

// A calibration cut short after some evaluations and resumed from its
// checkpoint ends with the fit of an uninterrupted run: the same history,
// evaluation for evaluation, the same fitted values and objectives.
// Evaluations in the checkpoint are read back, not simulated again: an
// objective altered in the checkpoint shows in the resumed history.
func TestResumeReplaysTheCheckpoint(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1995)
	tg := target(t, p, 1995)
	bounds := []calibrate.Bound{{Name: "temperature", Lo: 0.005, Hi: 0.15, Log: true}, {Name: "lockin_weight", Lo: 0.01, Hi: 1, Log: true}}
	cfg := calibrate.Config{Scenario: sc, Target: tg, Bounds: bounds, FitLast: 3, MaxEvals: 6,
		Starts:  []calibrate.Start{{{Name: "temperature", Value: 0.02}}},
		Options: calibrate.Options{Replicates: 1, Seed: 5}}
	id, err := cfg.Identity("test")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, calibrate.CheckpointFile)
	w, err := calibrate.CreateCheckpoint(path, id)
	if err != nil {
		t.Fatal(err)
	}
	full := cfg
	full.Progress = func(e calibrate.Eval) {
		if err := w.Write(e); err != nil {
			t.Error(err)
		}
	}
	want, err := calibrate.Run(context.Background(), full)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	gotID, evals, good, err := calibrate.ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if gotID != id || len(evals) != want.Evals {
		t.Fatalf("checkpoint: identity %s (want %s), %d evaluations (want %d)", gotID, id, len(evals), want.Evals)
	}
	if info, _ := os.Stat(path); info.Size() != good {
		t.Fatalf("checkpoint of %d bytes, %d read as good", info.Size(), good)
	}
	for i, e := range evals {
		h := want.History[i]
		if e.N != h.N || e.Start != h.Start || e.Held != h.Held || e.Objective != h.Objective || e.Stationary != h.Stationary || !slices.Equal(e.Values, h.Values) {
			t.Fatalf("checkpoint evaluation %d: %+v, the run's %+v", i+1, e, h)
		}
	}
	if evals[0].Out != want.StartOut {
		t.Fatalf("the start's out-of-sample objective: %v in the checkpoint, %v in the fit", evals[0].Out, want.StartOut)
	}
	// cut short after k evaluations: the first, within the second start's
	// search, before the last, after all
	if want.Starts[1].Evals == 0 {
		t.Fatalf("the second start made no evaluations: %+v", want.Starts)
	}
	for _, k := range []int{1, want.Evals - want.Starts[1].Evals + 1, want.Evals - 1, want.Evals} {
		resumed := cfg
		resumed.Replay = evals[:k]
		var simulated []int
		resumed.Progress = func(e calibrate.Eval) { simulated = append(simulated, e.N) }
		got, err := calibrate.Run(context.Background(), resumed)
		if err != nil {
			t.Fatalf("resumed after %d: %v", k, err)
		}
		if got.Evals != want.Evals || !slices.Equal(got.Best, want.Best) || got.Objective != want.Objective ||
			got.OutOfSample != want.OutOfSample || got.StartIn != want.StartIn || got.StartOut != want.StartOut || got.Status != want.Status {
			t.Fatalf("resumed after %d: %d evaluations, best %v (%v, out %v), status %s; uninterrupted: %d, %v (%v, out %v), %s",
				k, got.Evals, got.Best, got.Objective, got.OutOfSample, got.Status, want.Evals, want.Best, want.Objective, want.OutOfSample, want.Status)
		}
		for i, e := range got.History {
			h := want.History[i]
			if e.Objective != h.Objective || e.Start != h.Start || e.Held != h.Held || !slices.Equal(e.Values, h.Values) {
				t.Fatalf("resumed after %d: evaluation %d %+v, uninterrupted %+v", k, i+1, e, h)
			}
		}
		if len(simulated) != want.Evals {
			t.Fatalf("resumed after %d: Progress saw %d evaluations, want all %d (the replayed ones too)", k, len(simulated), want.Evals)
		}
	}
	// replayed, not simulated again
	altered := slices.Clone(evals[:3])
	altered[2].Objective += 1000
	resumed := cfg
	resumed.Replay = altered
	got, err := calibrate.Run(context.Background(), resumed)
	if err != nil {
		t.Fatal(err)
	}
	if got.History[2].Objective != evals[2].Objective+1000 {
		t.Fatalf("evaluation 3 resumed: objective %v, want the checkpoint's %v", got.History[2].Objective, evals[2].Objective+1000)
	}
	// a checkpoint that asks for other values is refused
	wrong := slices.Clone(evals[:2])
	wrong[1].Values = []float64{0.1, 0.1}
	resumed.Replay = wrong
	if _, err := calibrate.Run(context.Background(), resumed); err == nil || !strings.Contains(err.Error(), "evaluation 2 asks for") {
		t.Fatalf("a diverging checkpoint: %v, want an error naming evaluation 2", err)
	}
	// the identity follows what decides the evaluations, not the workers
	other := cfg
	other.Options.Workers = 3
	if id2, _ := other.Identity("test"); id2 != id {
		t.Errorf("the identity changed with the workers")
	}
	for name, c := range map[string]calibrate.Config{
		"seed":   func() calibrate.Config { c := cfg; c.Options.Seed = 6; return c }(),
		"evals":  func() calibrate.Config { c := cfg; c.MaxEvals = 9; return c }(),
		"starts": func() calibrate.Config { c := cfg; c.Starts = nil; return c }(),
		"bounds": func() calibrate.Config { c := cfg; c.Bounds = bounds[:1]; return c }(),
	} {
		if id2, _ := c.Identity("test"); id2 == id {
			t.Errorf("the identity did not change with the %s", name)
		}
	}
	if id2, _ := cfg.Identity("another version"); id2 == id {
		t.Errorf("the identity did not change with the caller's extra")
	}
}

// The checkpoint reads back what was written, bit for bit (NaN and ±Inf
// included); a last line a kill cut short is dropped and counted out of the
// good bytes; anything else malformed is an error naming its line.
func TestCheckpointFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, calibrate.CheckpointFile)
	id := strings.Repeat("ab", 32)
	w, err := calibrate.CreateCheckpoint(path, id)
	if err != nil {
		t.Fatal(err)
	}
	evals := []calibrate.Eval{
		{N: 1, Values: []float64{0.1, 1.0 / 3}, Objective: 0.1 + 0.2, Out: math.Inf(1), Stationary: "baseline: assistance x0.52\t\"quoted\""},
		{N: 2, Start: 1, Held: true, Values: []float64{5e-324, math.MaxFloat64}, Objective: math.NaN(), Out: -0.0},
	}
	for _, e := range evals {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	gotID, got, good, err := calibrate.ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if gotID != id || len(got) != 2 {
		t.Fatalf("read %s and %d evaluations", gotID, len(got))
	}
	for i, e := range got {
		if !sameEval(e, evals[i]) {
			t.Fatalf("evaluation %d read back as %+v, written %+v", i+1, e, evals[i])
		}
	}
	data, _ := os.ReadFile(path)
	// a torn last line: dropped, and appending goes on from the good bytes
	torn := append(slices.Clone(data), []byte("3\t0\t0\t0.5\t0.7\t0.1 0.")...)
	if err := os.WriteFile(path, torn, 0o644); err != nil {
		t.Fatal(err)
	}
	_, got, good, err = calibrate.ReadCheckpoint(path)
	if err != nil || len(got) != 2 || good != int64(len(data)) {
		t.Fatalf("torn last line: %d evaluations, %d good bytes of %d, %v", len(got), good, len(data), err)
	}
	w, err = calibrate.AppendCheckpoint(path, good)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(calibrate.Eval{N: 3, Values: []float64{1}, Objective: 2, Out: 3}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, got, _, err = calibrate.ReadCheckpoint(path); err != nil || len(got) != 3 || got[2].Objective != 2 {
		t.Fatalf("after appending: %d evaluations, %v", len(got), err)
	}
	for _, c := range []struct{ name, text, want string }{
		{"not a checkpoint", "hello\n", "line 1"},
		{"no identity", "# entente calibrate checkpoint 1\n", "no identity line"},
		{"bad identity", "# entente calibrate checkpoint 1\n# identity xyz\n", "line 2"},
		{"fields", "# entente calibrate checkpoint 1\n# identity " + id + "\n1\t0\t0\n", "line 3: 3 tab-separated fields"},
		{"order", "# entente calibrate checkpoint 1\n# identity " + id + "\n2\t0\t0\t1\t1\t0.5\t\"\"\n", "line 3: evaluation 2 after 0"},
		{"number", "# entente calibrate checkpoint 1\n# identity " + id + "\n1\t0\t0\tone\t1\t0.5\t\"\"\n", "in_sample \"one\""},
		{"held", "# entente calibrate checkpoint 1\n# identity " + id + "\n1\t0\tyes\t1\t1\t0.5\t\"\"\n", "held \"yes\""},
		{"quote", "# entente calibrate checkpoint 1\n# identity " + id + "\n1\t0\t0\t1\t1\t0.5\tbare\n", "want a quoted string"},
	} {
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := calibrate.ReadCheckpoint(path); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want an error naming the file and %q", c.name, err, c.want)
		}
	}
	if _, _, _, err := calibrate.ReadCheckpoint(filepath.Join(dir, "none.tsv")); !errors.Is(err, calibrate.ErrNoCheckpoint) {
		t.Errorf("a missing checkpoint: %v, want ErrNoCheckpoint", err)
	}
}

// FuzzReadCheckpoint: any bytes give evaluations or an error, never a
// panic; what parses counts its good bytes within the file, and written
// back it reads the same.
func FuzzReadCheckpoint(f *testing.F) {
	id := strings.Repeat("0f", 32)
	f.Add([]byte("# entente calibrate checkpoint 1\n# identity " + id + "\n1\t0\t0\t0.5\t0.7\t0.1 0.2\t\"x\"\n"))
	f.Add([]byte("# entente calibrate checkpoint 1\n# identity " + id + "\n1\t0\t1\tNaN\t+Inf\t1e-300\t\"a\\tb\"\n2\t1\t0\t1"))
	f.Add([]byte(""))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.tsv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		gotID, evals, good, err := calibrate.ReadCheckpoint(path)
		if err != nil {
			return
		}
		if good < 0 || good > int64(len(data)) {
			t.Fatalf("%d good bytes of %d", good, len(data))
		}
		w, err := calibrate.CreateCheckpoint(path, gotID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evals {
			if err := w.Write(e); err != nil {
				t.Fatal(err)
			}
		}
		w.Close()
		id2, again, _, err := calibrate.ReadCheckpoint(path)
		if err != nil || id2 != gotID || len(again) != len(evals) {
			t.Fatalf("written back: %s, %d evaluations, %v (read %s, %d)", id2, len(again), err, gotID, len(evals))
		}
		for i := range evals {
			if !sameEval(again[i], evals[i]) {
				t.Fatalf("evaluation %d: %+v written back as %+v", i+1, evals[i], again[i])
			}
		}
	})
}

// sameEval reports whether a and b are the same evaluation, bit for bit
// (any NaN equal to any NaN: the text form has one spelling for them).
func sameEval(a, b calibrate.Eval) bool {
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || (math.IsNaN(x) && math.IsNaN(y))
	}
	if a.N != b.N || a.Start != b.Start || a.Held != b.Held || a.Stationary != b.Stationary || len(a.Values) != len(b.Values) ||
		!same(a.Objective, b.Objective) || !same(a.Out, b.Out) {
		return false
	}
	for i := range a.Values {
		if !same(a.Values[i], b.Values[i]) {
			return false
		}
	}
	return true
}
