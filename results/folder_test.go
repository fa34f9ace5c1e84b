package results_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/results"
)

// A folder that holds a result set is refused; --force (Replace) removes
// what the set held, and only that; a folder of other files is never used.
func TestClaimRefusesOccupiedFolders(t *testing.T) {
	dir := writeTiny(t, true)
	_, err := results.Create(dir, tinyManifest(), results.Options{})
	if err == nil || !strings.Contains(err.Error(), "already holds a result set (tiny, 2 replicates, complete)") ||
		!strings.Contains(err.Error(), "--resume") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("run into a result set: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, ".timeseries.csv.123.tmp"), []byte("x"), 0o644)
	s, err := results.Create(dir, tinyManifest(), results.Options{Mode: results.Replace})
	if err != nil {
		t.Fatal(err)
	}
	f := s.Folder()
	if !f.Held || !slices.Contains(f.Removed, "snapshots") || !slices.Contains(f.Removed, ".timeseries.csv.123.tmp") ||
		strings.Join(f.Kept, ",") != "notes.txt" {
		t.Errorf("replace: held %v removed %v kept %v", f.Held, f.Removed, f.Kept)
	}
	s.AddRun(0, tinyRun(0))
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshots")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the old set's snapshots survived a replace: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Error("a file that is not part of the set was removed")
	}
	if m := readManifest(t, dir); m.RunsDone != 1 || !m.Complete {
		t.Errorf("replaced manifest %+v", m)
	}

	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "thesis.tex"), []byte("x"), 0o644)
	for _, mode := range []results.Mode{results.New, results.Replace, results.Resume} {
		_, err := results.Create(other, tinyManifest(), results.Options{Mode: mode, Resumable: true})
		if err == nil || !strings.Contains(err.Error(), "holds no result set (thesis.tex)") {
			t.Errorf("%v into a folder of other files: %v", mode, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(other, "thesis.tex")); string(b) != "x" {
		t.Error("thesis.tex touched")
	}
}

// A second writer is refused while the first holds the folder; the lock
// goes with Close (and with the process, however it ends).
func TestClaimLocksAgainstASecondWriter(t *testing.T) {
	dir := t.TempDir()
	s, err := results.Create(dir, tinyManifest(), results.Options{Resumable: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []results.Mode{results.New, results.Replace, results.Resume} {
		if _, err := results.Claim(dir, mode); !errors.Is(err, results.ErrLocked) || !strings.Contains(err.Error(), dir) {
			t.Errorf("%v while another writes: %v", mode, err)
		}
	}
	if err := s.Close(false, t0); err != nil {
		t.Fatal(err)
	}
	f, err := results.Claim(dir, results.Resume)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	f.Release()
	f.Release()
}

// set files are the files of a finished set that must not depend on how it
// was made (manifest.json records times).
func setFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(d.Name(), ".") && rel != "." {
			t.Errorf("hidden file left: %s", rel)
		}
		if d.IsDir() || rel == "manifest.json" {
			return nil
		}
		got[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func resumable(dir string, mode results.Mode, last *string) results.Options {
	return results.Options{Mode: mode, Resumable: true, TieLists: true, Events: true, Decisions: true, Charts: func(cdir string, rows []results.SummaryRow, snap *results.Snapshot) ([]string, error) {
		desc := "none"
		if snap != nil {
			desc = fmt.Sprintf("step %d, %d nodes, %d edges", snap.Step, len(snap.Nodes), len(snap.Edges))
		}
		*last = desc
		return []string{"drawn.txt"}, os.WriteFile(filepath.Join(cdir, "drawn.txt"), []byte(fmt.Sprintf("%d rows, %s\n", len(rows), desc)), 0o644)
	}}
}

// addTiny adds replicates as a runner does: snapshots, events and
// decisions, then the rows (the commit). Odd replicates have no events
// and even ones no decisions.
func addTiny(t *testing.T, s *results.Set, reps ...int) {
	t.Helper()
	for _, r := range reps {
		if r == 0 {
			if err := s.AddSnapshot(0, tinySnapshot()); err != nil {
				t.Fatal(err)
			}
		}
		addTinyEvents(t, s, r)
		if err := s.AddRun(r, tinyRun(r)); err != nil {
			t.Fatal(err)
		}
	}
}

func addTinyEvents(t *testing.T, s *results.Set, r int) {
	t.Helper()
	if r%2 == 0 {
		ev := []results.EventRow{{Step: 1, Kind: "alliance", Actor: "US", Other: "JP", Group: -1, Text: fmt.Sprintf("US and JP, replicate %d", r)}}
		if err := s.AddEvents(r, ev); err != nil {
			t.Fatal(err)
		}
	} else if err := s.AddDecisions(r, fmt.Appendf(nil, "%d,2,US,0,nothing\n", r)); err != nil {
		t.Fatal(err)
	}
}

// A resumable set cut short at any point (here: the process gone without
// Close, leaving a snapshot of an unfinished replicate and temporary files)
// and resumed ends byte-identical to one written without a break.
func TestResumeEqualsUninterrupted(t *testing.T) {
	m := tinyManifest()
	m.Replicates = 4
	var lastRef, lastResumed string
	ref := filepath.Join(t.TempDir(), "ref")
	s, err := results.Create(ref, m, resumable(ref, results.New, &lastRef))
	if err != nil {
		t.Fatal(err)
	}
	addTiny(t, s, 0, 1, 2, 3)
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	want := setFiles(t, ref)

	for _, cut := range []int{0, 1, 3} {
		t.Run(fmt.Sprint("after ", cut), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			s, err := results.Create(dir, m, resumable(dir, results.New, &lastResumed))
			if err != nil {
				t.Fatal(err)
			}
			var first []int
			for r := range cut {
				first = append(first, r)
			}
			addTiny(t, s, first...)
			// replicate cut's events and decisions are written, then the
			// process is gone before its rows (no Close)
			addTinyEvents(t, s, cut)
			if cut%2 == 0 {
				if err := s.AddEvents(cut, nil); err == nil {
					t.Error("events of a replicate added twice: no error")
				}
			}
			if err := s.AddEvents(cut+1, nil); err == nil {
				t.Error("events of a replicate out of order: no error")
			}
			s.Folder().Release()
			os.WriteFile(filepath.Join(dir, ".summary.csv.9.tmp"), []byte("half"), 0o644)
			os.WriteFile(filepath.Join(dir, results.PartsDir, ".rep000009.csv.1.tmp"), []byte("half"), 0o644)
			os.MkdirAll(filepath.Join(dir, "snapshots"), 0o755)
			os.WriteFile(filepath.Join(dir, "snapshots", fmt.Sprintf("rep%d_step2.gexf", cut)), []byte("unfinished"), 0o644)

			if _, err := results.Create(dir, m, results.Options{Resumable: true}); err == nil {
				t.Fatal("a new set into a cut-short one: no error")
			}
			bad := m
			bad.Seed = 99
			if _, err := results.Create(dir, bad, results.Options{Mode: results.Resume, Resumable: true}); err == nil ||
				!strings.Contains(err.Error(), "seed 99 (the set has 7)") {
				t.Fatalf("resume with another seed: %v", err)
			}
			s, err = results.Create(dir, m, resumable(dir, results.Resume, &lastResumed))
			if err != nil {
				t.Fatal(err)
			}
			if n, done := s.Kept(); n != cut || done || s.RunsDone() != cut {
				t.Fatalf("kept %d (complete %v), runs done %d, want %d", n, done, s.RunsDone(), cut)
			}
			if err := s.AddRun(cut+1, tinyRun(cut+1)); err == nil {
				t.Fatal("a replicate out of order: no error")
			}
			var rest []int
			for r := cut; r < 4; r++ {
				rest = append(rest, r)
			}
			addTiny(t, s, rest...)
			if err := s.Close(true, t0); err != nil {
				t.Fatal(err)
			}
			got := setFiles(t, dir)
			for _, f := range []string{"events.csv", "decisions.csv"} {
				if bytes.Count(want[f], []byte("\n")) != 3 {
					t.Errorf("reference %s:\n%s", f, want[f])
				}
			}
			if len(got) != len(want) {
				t.Errorf("files %v, want %v", keys(got), keys(want))
			}
			for f, b := range want {
				if !bytes.Equal(got[f], b) {
					t.Errorf("%s differs after resume:\n%s\nwant\n%s", f, got[f], b)
				}
			}
			if lastResumed != lastRef {
				t.Errorf("charts drew %q, want %q", lastResumed, lastRef)
			}
			mm := readManifest(t, dir)
			if !mm.Complete || mm.RunsDone != 4 || !mm.Started.Equal(m.Started) {
				t.Errorf("manifest %+v", mm)
			}
			// a complete set resumed is left as it is
			s, err = results.Create(dir, m, results.Options{Mode: results.Resume, Resumable: true})
			if err != nil {
				t.Fatal(err)
			}
			if n, done := s.Kept(); n != 4 || !done {
				t.Errorf("complete set: kept %d, complete %v", n, done)
			}
			if err := s.AddRun(4, tinyRun(4)); err == nil {
				t.Error("AddRun to a complete set: no error")
			}
			if err := s.Close(true, t0); err != nil {
				t.Fatal(err)
			}
			if b := setFiles(t, dir); len(b) != len(want) {
				t.Errorf("closing a complete set changed it: %v", keys(b))
			}
		})
	}
}

// Interrupted (Close false), a resumable set has valid CSVs of what it
// holds and keeps its parts for resume.
func TestResumableCloseIncomplete(t *testing.T) {
	m := tinyManifest()
	dir := t.TempDir()
	var last string
	s, err := results.Create(dir, m, resumable(dir, results.New, &last))
	if err != nil {
		t.Fatal(err)
	}
	addTiny(t, s, 0)
	if err := s.Close(false, t0); err != nil {
		t.Fatal(err)
	}
	rows, err := results.ReadTimeseries(filepath.Join(dir, "timeseries.csv"))
	if err != nil || len(rows) != len(tinyRun(0)) {
		t.Fatalf("timeseries of the cut-short set: %d rows, %v", len(rows), err)
	}
	if _, err := os.Stat(filepath.Join(dir, results.PartsDir, "rep000000.csv")); err != nil {
		t.Fatal(err)
	}
	if mm := readManifest(t, dir); mm.Complete || mm.RunsDone != 1 {
		t.Errorf("manifest %+v", mm)
	}
	s, err = results.Create(dir, m, resumable(dir, results.Resume, &last))
	if err != nil {
		t.Fatal(err)
	}
	addTiny(t, s, 1)
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, results.PartsDir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("parts kept in a complete set: %v", err)
	}
	if last != "step 2, 3 nodes, 2 edges" {
		t.Errorf("drew %q", last)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// A part file damaged on disk stops a resume with an error that says how
// to go on, never a panic or a wrong summary.
func TestResumeRefusesDamagedParts(t *testing.T) {
	m := tinyManifest()
	dir := t.TempDir()
	s, err := results.Create(dir, m, results.Options{Resumable: true, Events: true, Decisions: true})
	if err != nil {
		t.Fatal(err)
	}
	addTiny(t, s, 0)
	s.Folder().Release()
	for _, junk := range []string{"garbage\n", "0,1,ties,,x\n", "1,0,ties,,1\n", "0,0\n"} {
		os.WriteFile(filepath.Join(dir, results.PartsDir, "rep000000.csv"), []byte(junk), 0o644)
		_, err := results.Create(dir, m, results.Options{Mode: results.Resume, Resumable: true, Events: true, Decisions: true})
		if err == nil || !strings.Contains(err.Error(), "--force") {
			t.Errorf("part %q: %v", junk, err)
		}
	}
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte("{"), 0o644)
	if _, err := results.Create(dir, m, results.Options{Mode: results.Resume, Resumable: true, Events: true, Decisions: true}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("damaged manifest: %v", err)
	}
}

// A replicate whose rows are kept but whose events or decisions part is
// gone (a disk that lost the last writes) is run again, with everything
// after it: a resumed set never lacks a kept replicate's events.
func TestResumeRerunsAReplicateMissingAPart(t *testing.T) {
	m := tinyManifest()
	m.Replicates = 4
	var last string
	for _, c := range []struct {
		remove string
		kept   int
	}{{"ev000002.csv", 2}, {"dec000001.csv", 1}, {"ev000000.csv", 0}} {
		dir := t.TempDir()
		s, err := results.Create(dir, m, resumable(dir, results.New, &last))
		if err != nil {
			t.Fatal(err)
		}
		addTiny(t, s, 0, 1, 2)
		s.Folder().Release()
		if err := os.Remove(filepath.Join(dir, results.PartsDir, c.remove)); err != nil {
			t.Fatal(err)
		}
		s, err = results.Create(dir, m, resumable(dir, results.Resume, &last))
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Kept(); n != c.kept {
			t.Errorf("without %s: kept %d, want %d", c.remove, n, c.kept)
		}
		for r := c.kept; r < 4; r++ {
			addTiny(t, s, r)
		}
		if err := s.Close(true, t0); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "events.csv"))
		if err != nil || bytes.Count(b, []byte("\n")) != 3 {
			t.Errorf("without %s: events.csv %q %v", c.remove, b, err)
		}
	}
}

// The robustness check's folder (entente facts --hypercube: hypercube.csv
// and hypercube.json) is a result set like the others: refused without
// --force, replaced with it, so that make validate can run again.
func TestClaimKnowsTheHypercube(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"hypercube.csv", "hypercube.json"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var occ *results.OccupiedError
	if _, err := results.Claim(dir, results.New); !errors.As(err, &occ) {
		t.Fatalf("a new check into an earlier one's folder: %v, want an OccupiedError", err)
	}
	f, err := results.Claim(dir, results.Replace)
	if err != nil {
		t.Fatalf("--force over an earlier check: %v", err)
	}
	defer f.Release()
	if !slices.Contains(f.Removed, "hypercube.csv") || !slices.Contains(f.Removed, "hypercube.json") {
		t.Errorf("replace removed %v", f.Removed)
	}
}

// A set Inside a folder its caller holds (a sweep's point) is made in a
// fresh sub-folder without a claim of its own: it writes the same files as
// a claimed set and takes no lock, so the caller's claim is what guards it;
// it is only ever new.
func TestCreateInsideAClaimedFolder(t *testing.T) {
	outer := t.TempDir()
	f, err := results.Claim(outer, results.New)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	in := filepath.Join(outer, "points", "p0000")
	s, err := results.Create(in, tinyManifest(), results.Options{Inside: true})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := results.Claim(in, results.New); errors.Is(err, results.ErrLocked) {
		t.Fatalf("the inside set holds a lock of its own: %v", err)
	} else if err == nil {
		g.Release()
	}
	if err := s.AddRun(0, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	claimed := filepath.Join(t.TempDir(), "c")
	c, err := results.Create(claimed, tinyManifest(), results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddRun(0, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	a, b := setFiles(t, in), setFiles(t, claimed)
	if len(a) != len(b) {
		t.Fatalf("inside: %d files, claimed: %d", len(a), len(b))
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("inside set lacks %s", name)
		}
	}
	for _, mode := range []results.Mode{results.Replace, results.Resume} {
		if _, err := results.Create(filepath.Join(outer, "x"), tinyManifest(), results.Options{Inside: true, Mode: mode, Resumable: true}); err == nil {
			t.Errorf("inside with %v: no error", mode)
		}
	}
	// a folder that holds anything (here the set just written) is refused
	if _, err := results.Create(in, tinyManifest(), results.Options{Inside: true}); err == nil || !strings.Contains(err.Error(), "not a fresh folder") {
		t.Errorf("inside over a written set: %v", err)
	}
}

// A set Inside a sweep records the SHA-256 of every file it lists;
// VerifyDigests passes on the set as written and names the file that a
// crash emptied or changed.
func TestInsideSetDigests(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	s, err := results.Create(dir, tinyManifest(), results.Options{Inside: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, results.ManifestFile)); err == nil {
		t.Fatal("an inside set wrote its manifest before Close")
	}
	if err := s.AddRun(0, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("extra.csv", func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n1,2\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	m, err := results.ReadManifest(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		if _, ok := m.Digests[f]; !ok && f != results.ManifestFile {
			t.Errorf("%s listed without a digest", f)
		}
	}
	if !slices.Contains(m.Files, "extra.csv") {
		t.Errorf("the caller's file is not listed: %v", m.Files)
	}
	if err := results.VerifyDigests(dir, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{results.TimeseriesFile, "extra.csv"} {
		path := filepath.Join(dir, f)
		keep, _ := os.ReadFile(path)
		os.WriteFile(path, nil, 0o644)
		if err := results.VerifyDigests(dir, &m); err == nil || !strings.Contains(err.Error(), f) {
			t.Errorf("%s emptied: %v", f, err)
		}
		os.WriteFile(path, keep, 0o644)
	}
	os.Remove(filepath.Join(dir, results.SummaryFile))
	if err := results.VerifyDigests(dir, &m); err == nil || !strings.Contains(err.Error(), results.SummaryFile) {
		t.Errorf("summary removed: %v", err)
	}
}
