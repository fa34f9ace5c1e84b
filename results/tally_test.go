package results_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/results"
)

// tallied is one call of Options.Tally.
type tallied struct {
	rep int
	e   results.EventRow
}

// tallyEvents are a replicate's events for the tally tests: none for
// every third replicate, else a few, with quotes and commas in the words.
func tallyEvents(r int) []results.EventRow {
	var ev []results.EventRow
	for i := range r % 3 * 2 {
		ev = append(ev, results.EventRow{Step: i, Kind: []string{"tie_formed", "tie_rejected"}[i%2], Actor: "US", Other: "JP", Group: i - 1,
			Text: fmt.Sprintf(`US and "JP", event %d of replicate %d`, i, r)})
	}
	return ev
}

// fileEvents reads events.csv back as the calls Tally should have had.
func fileEvents(t *testing.T, dir string) []tallied {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, results.EventsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []tallied
	if err := results.ScanEvents(f, results.EventsFile, func(rep int, e results.EventRow) error {
		out = append(out, tallied{rep, e})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Options.Tally is given exactly the events of the set's events.csv, in
// its order, and Finish is told so: for a resumable set and another, for
// one resumed after a cut (the kept replicates' events read back from
// their parts), and for a replicate whose AddRun failed once after its
// events were written (tallied once, when it is committed; not at all if it
// never is). Finish is told
// nothing was tallied for a set Resume found complete, and without Events.
func TestTallyIsEventsCSV(t *testing.T) {
	m := tinyManifest()
	m.Replicates = 6
	options := func(mode results.Mode, resumable bool, got *[]tallied, tally *bool) results.Options {
		return results.Options{Mode: mode, Resumable: resumable, Events: true,
			Tally:  func(rep int, e *results.EventRow) { *got = append(*got, tallied{rep, *e}) },
			Finish: func(_ string, t bool) error { *tally = t; return nil }}
	}
	add := func(t *testing.T, s *results.Set, reps ...int) {
		t.Helper()
		for _, r := range reps {
			if ev := tallyEvents(r); ev != nil {
				if err := s.AddEvents(r, ev); err != nil {
					t.Fatal(err)
				}
			}
			if r == 4 { // rows AddRun refuses, after the events: nothing committed
				if err := s.AddRun(r, []results.Row{{Step: -1, Metric: "ties"}}); err == nil {
					t.Fatal("a negative step: no error")
				}
			}
			if err := s.AddRun(r, tinyRun(r)); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(t *testing.T, dir string, n int, got []tallied, tally bool) {
		t.Helper()
		want := fileEvents(t, dir)
		if len(want) != n {
			t.Fatalf("events.csv holds %d events, want %d", len(want), n)
		}
		if !slices.Equal(got, want) {
			t.Errorf("tallied %d events:\n%v\nevents.csv holds %d:\n%v", len(got), got, len(want), want)
		}
		if !tally {
			t.Error("Finish was told the events were not tallied")
		}
	}
	for _, resumable := range []bool{true, false} {
		t.Run(fmt.Sprint("resumable ", resumable), func(t *testing.T) {
			dir := t.TempDir()
			var got []tallied
			var tally bool
			s, err := results.Create(dir, m, options(results.New, resumable, &got, &tally))
			if err != nil {
				t.Fatal(err)
			}
			add(t, s, 0, 1, 2, 3, 4, 5)
			if err := s.Close(true, t0); err != nil {
				t.Fatal(err)
			}
			check(t, dir, 12, got, tally)
		})
	}
	for _, cut := range []int{1, 3, 5} {
		t.Run(fmt.Sprint("resumed after ", cut), func(t *testing.T) {
			dir := t.TempDir()
			var got []tallied
			var tally bool
			s, err := results.Create(dir, m, options(results.New, true, &got, &tally))
			if err != nil {
				t.Fatal(err)
			}
			var first []int
			for r := range cut {
				first = append(first, r)
			}
			add(t, s, first...)
			// the next replicate's events are written, then the process is
			// gone before its rows
			if ev := tallyEvents(cut); ev != nil {
				if err := s.AddEvents(cut, ev); err != nil {
					t.Fatal(err)
				}
			}
			s.Folder().Release()
			got = nil
			s, err = results.Create(dir, m, options(results.Resume, true, &got, &tally))
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := s.Kept(); n != cut {
				t.Fatalf("kept %d, want %d", n, cut)
			}
			var rest []int
			for r := cut; r < 6; r++ {
				rest = append(rest, r)
			}
			add(t, s, rest...)
			if err := s.Close(true, t0); err != nil {
				t.Fatal(err)
			}
			check(t, dir, 12, got, tally)

			// a complete set resumed tallies nothing, and says so
			got, tally = nil, true
			s, err = results.Create(dir, m, options(results.Resume, true, &got, &tally))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(true, t0); err != nil {
				t.Fatal(err)
			}
			if tally || got != nil {
				t.Errorf("a complete set resumed: tallied %v, %d events", tally, len(got))
			}
		})
	}
	// a replicate whose events are written but whose rows never are is
	// not in a resumable set's events.csv, closed complete or not
	t.Run("uncommitted replicate", func(t *testing.T) {
		dir := t.TempDir()
		var got []tallied
		var tally bool
		s, err := results.Create(dir, m, options(results.New, true, &got, &tally))
		if err != nil {
			t.Fatal(err)
		}
		add(t, s, 0, 1, 2, 3)
		if err := s.AddEvents(4, tallyEvents(4)); err != nil {
			t.Fatal(err)
		}
		if err := s.AddRun(4, []results.Row{{Step: -1, Metric: "ties"}}); err == nil {
			t.Fatal("a negative step: no error")
		}
		if err := s.Close(true, t0); err != nil {
			t.Fatal(err)
		}
		check(t, dir, 6, got, tally)
	})
	t.Run("damaged events part", func(t *testing.T) {
		dir := t.TempDir()
		var got []tallied
		var tally bool
		s, err := results.Create(dir, m, options(results.New, true, &got, &tally))
		if err != nil {
			t.Fatal(err)
		}
		add(t, s, 0, 1, 2)
		s.Folder().Release()
		os.WriteFile(filepath.Join(dir, results.PartsDir, "ev000002.csv"), []byte("1,0,tie_formed,US,JP,-1,x\n"), 0o644)
		if _, err := results.Create(dir, m, options(results.Resume, true, &got, &tally)); err == nil || !strings.Contains(err.Error(), "--force") {
			t.Errorf("resume with replicate 1's event in replicate 2's part: %v", err)
		}
	})
	t.Run("without events", func(t *testing.T) {
		dir := t.TempDir()
		var got []tallied
		tally := true
		o := options(results.New, true, &got, &tally)
		o.Events = false
		s, err := results.Create(dir, m, o)
		if err != nil {
			t.Fatal(err)
		}
		for r := range 6 {
			if err := s.AddRun(r, tinyRun(r)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(true, t0); err != nil {
			t.Fatal(err)
		}
		if tally || got != nil {
			t.Errorf("a set without events: tallied %v, %d events", tally, len(got))
		}
	})
}
