package results

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// lastFile, in PartsDir, holds the last snapshot a resumable set received,
// so that a resumed set draws the same final network.
const lastFile = "last.gob"

func partName(replicate int) string { return fmt.Sprintf("rep%06d.csv", replicate) }

// partIndex parses a rows part file's name; ok false for anything else.
func partIndex(name string) (int, bool) { return namedIndex(name, "rep") }

// namedIndex parses the name of a part file PREFIX%06d.csv (rep: rows, ev:
// events, dec: decisions); ok false for anything else.
func namedIndex(name, prefix string) (int, bool) {
	d, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	d, ok = strings.CutSuffix(d, ".csv")
	if !ok || d == "" {
		return 0, false
	}
	i, err := strconv.Atoi(d)
	return i, err == nil && i >= 0 && fmt.Sprintf("%s%06d.csv", prefix, i) == name
}

type lastSnapshot struct {
	Replicate int
	Snap      Snapshot
}

// Kept returns how many replicates Resume found in the folder, and whether
// the set there was already complete: then there is nothing to add, and
// Close writes nothing.
func (s *Set) Kept() (replicates int, complete bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.kept, s.already
}

// Folder is the claimed folder (what Replace removed, whether it held a set).
func (s *Set) Folder() *Folder { return s.folder }

// commitPart writes a replicate's rows to its part file (one sync), after
// the last snapshot if it changed since the previous replicate, and after
// empty events and decisions parts if the set records them and the
// replicate brought none: the rows' part is the replicate's commit, so a
// replicate whose rows are kept has all its parts. The parts folder is then
// synced, once for all the replicate's renames, so that the commit survives
// a crash of the machine.
func (s *Set) commitPart(replicate int, rows []Row) error {
	parts := filepath.Join(s.dir, PartsDir)
	if s.lastNew && s.last != nil {
		ls := lastSnapshot{Replicate: s.lastRep, Snap: *s.last}
		if err := WriteFileAtomic(filepath.Join(parts, lastFile), func(w io.Writer) error { return gob.NewEncoder(w).Encode(&ls) }); err != nil {
			s.err = fmt.Errorf("results: keeping the last snapshot: %w", err)
			return s.err
		}
		s.lastNew = false
	}
	for _, p := range []struct {
		on   bool
		next *int
		name func(int) string
		what string
	}{{s.opt.Events, &s.evNext, evPartName, "events"}, {s.opt.Decisions, &s.decNext, decPartName, "decisions"}} {
		if !p.on || *p.next > replicate {
			continue
		}
		if err := s.writePart(p.name(replicate), func(io.Writer) error { return nil }); err != nil {
			s.err = fmt.Errorf("results: writing the %s of replicate %d: %w", p.what, replicate, err)
			return s.err
		}
		*p.next = replicate + 1
	}
	err := s.writePart(partName(replicate), func(w io.Writer) error {
		return writeChunked(w, &s.buf, len(rows), func(b []byte, i int) []byte {
			r := rows[i]
			r.Replicate = replicate
			return appendRow(b, &r)
		})
	})
	if err == nil {
		err = syncFolder(parts)
	}
	if err != nil {
		s.err = fmt.Errorf("results: writing replicate %d: %w", replicate, err)
		return s.err
	}
	return nil
}

// writePart writes a part file atomically (synced) into PartsDir.
func (s *Set) writePart(name string, write func(w io.Writer) error) error {
	return WriteFileAtomic(filepath.Join(s.dir, PartsDir, name), write)
}

// writeChunked writes n records, each appended to *buf by add, in chunks
// of about 64 KiB, and leaves *buf empty for reuse.
func writeChunked(w io.Writer, buf *[]byte, n int, add func(b []byte, i int) []byte) error {
	b := (*buf)[:0]
	defer func() { *buf = b[:0] }()
	for i := range n {
		b = add(b, i)
		if len(b) >= 64<<10 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b)
	return err
}

// addable checks that a replicate's events or decisions can be added now
// (the lock held): the set is open, has had no write error, and was made
// to record them (Options.Events, Options.Decisions).
func (s *Set) addable(what string, on bool, option string) error {
	if s.closed || s.already {
		return errClosed
	}
	if s.err != nil {
		return s.err
	}
	if !on {
		return fmt.Errorf("results: %s on a set made without Options.%s", what, option)
	}
	return nil
}

// partInOrder checks that a resumable set gets a replicate's events or
// decisions once, before its AddRun: replicate is the one AddRun wants
// next, and next (the replicate whose part is due) has not passed it.
func (s *Set) partInOrder(what string, replicate, next int) error {
	if replicate != s.next {
		return fmt.Errorf("results: %s of replicate %d out of order: a resumable set takes each replicate's %s before its AddRun, in replicate order; want replicate %d", what, replicate, what, s.next)
	}
	if next > replicate {
		return fmt.Errorf("results: %s of replicate %d added twice", what, replicate)
	}
	return nil
}

// assemble writes timeseries.csv from the header and the parts in order.
func (s *Set) assemble() error {
	return s.assembleParts(TimeseriesFile, timeseriesHeaderLine, partName)
}

// assembleParts writes file from header and the parts name(0) ...
// name(next-1) in order.
func (s *Set) assembleParts(file, header string, name func(int) string) error {
	return WriteFileAtomic(filepath.Join(s.dir, file), func(w io.Writer) error {
		if _, err := io.WriteString(w, header); err != nil {
			return err
		}
		for i := range s.next {
			f, err := os.Open(filepath.Join(s.dir, PartsDir, name(i)))
			if err != nil {
				return err
			}
			_, err = io.Copy(w, f)
			f.Close()
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// resume continues the set in a folder Claim found holding one: it checks
// the manifest describes the same run, keeps the longest run of replicates
// from 0 whose parts are all there (rows, and events and decisions if the
// set records them) and the snapshots of those replicates, removes
// everything else that Close rewrites (or the CLI: report.html) or a killed
// process left, and rebuilds the summary from the parts (and gives
// Options.Tally the kept events).
func (s *Set) resume() error {
	dir := s.dir
	old, err := readManifestFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		if kind, cmd := otherKind(dir); kind != "" {
			// never taken for a run's leftovers: resuming must not remove it
			return fmt.Errorf("results: %q holds %s, not a run: continue it with 'entente %s ... --resume' if that command resumes, or choose another folder with --out (--force replaces it)", dir, kind, cmd)
		}
		// only what a process killed at once left behind: start afresh
		return s.folder.check(Replace)
	}
	if err != nil {
		return fmt.Errorf("results: cannot resume the set in %q: %v (replace it with --force)", dir, err)
	}
	if err := s.man.SameRun(&old); err != nil {
		return fmt.Errorf("results: cannot resume the set in %q: %v; resume with the command that made it (its manifest.json says what it was), or replace it with --force", dir, err)
	}
	parts := filepath.Join(dir, PartsDir)
	if old.Complete {
		s.already, s.kept, s.man = true, old.RunsDone, old
		// parts left by a process killed after its final manifest
		return os.RemoveAll(parts)
	}
	have, haveEv, haveDec := map[int]bool{}, map[int]bool{}, map[int]bool{}
	ents, err := os.ReadDir(parts)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("results: %w", err)
	}
	for _, e := range ents {
		if i, ok := partIndex(e.Name()); ok {
			have[i] = true
		} else if i, ok := namedIndex(e.Name(), "ev"); ok {
			haveEv[i] = true
		} else if i, ok := namedIndex(e.Name(), "dec"); ok {
			haveDec[i] = true
		}
	}
	whole := func(i int) bool {
		return have[i] && (!s.opt.Events || haveEv[i]) && (!s.opt.Decisions || haveDec[i])
	}
	k := 0
	for whole(k) {
		k++
	}
	if k == 0 && old.RunsDone > 0 {
		return fmt.Errorf("results: cannot resume the set in %q: it holds %d replicates but not the part files of replicate 0 (written by an older entente, or the parts were removed): replace it with --force", dir, old.RunsDone)
	}
	// read every kept replicate before anything is removed: a damaged set
	// is left as it is
	for i := range k {
		if err := s.scanPart(i); err != nil {
			return fmt.Errorf("results: cannot resume the set in %q: %w (replace it with --force)", dir, err)
		}
		if s.opt.Tally != nil && s.opt.Events {
			if err := s.tallyPart(i); err != nil {
				return fmt.Errorf("results: cannot resume the set in %q: %w (replace it with --force)", dir, err)
			}
		}
		s.done[i] = true
	}
	for _, e := range ents {
		if keepPart(e.Name(), k, s.opt.Events, s.opt.Decisions) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(parts, e.Name())); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	// what Close writes again, and temporary files of interrupted writes
	for _, n := range []string{TimeseriesFile, SummaryFile, ChartDir, EventsFile, DecisionsFile, ReportFile} {
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	if err := removeRemnants(dir); err != nil {
		return err
	}
	snaps, err := os.ReadDir(filepath.Join(dir, SnapshotDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("results: %w", err)
	}
	for _, e := range snaps {
		if r, ok := snapshotReplicate(e.Name()); ok && r < k && !e.IsDir() {
			s.addFile(SnapshotDir + "/" + e.Name())
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, SnapshotDir, e.Name())); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(parts, lastFile)); err == nil {
		var ls lastSnapshot
		if err := gob.NewDecoder(strings.NewReader(string(b))).Decode(&ls); err == nil && ls.Replicate < k {
			s.last, s.lastRep = &ls.Snap, ls.Replicate
		}
	}
	s.next, s.kept, s.man.RunsDone, s.man.Started = k, k, k, old.Started
	s.evNext, s.decNext = k, k
	return nil
}

// keepPart reports whether a resume that keeps replicates 0 ... k-1 keeps
// the file name in PartsDir.
func keepPart(name string, k int, events, decisions bool) bool {
	if name == lastFile {
		return true
	}
	if i, ok := partIndex(name); ok {
		return i < k
	}
	if i, ok := namedIndex(name, "ev"); ok {
		return events && i < k
	}
	if i, ok := namedIndex(name, "dec"); ok {
		return decisions && i < k
	}
	return false
}

// scanPart folds part i's rows into the summary, in file order.
func (s *Set) scanPart(i int) error {
	name := filepath.Join(s.dir, PartsDir, partName(i))
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return ScanTimeseries(io.MultiReader(strings.NewReader(timeseriesHeaderLine), f), name, func(r Row) error {
		if r.Replicate != i {
			return fmt.Errorf("%s: a row of replicate %d", name, r.Replicate)
		}
		s.sum.Add(r.Step, r.Metric, r.Actor, r.Value)
		return nil
	})
}

// snapshotReplicate parses R from a snapshot file name, rep{R}_step... or
// rep{R}_timeline.gexf.
func snapshotReplicate(name string) (int, bool) {
	d, ok := strings.CutPrefix(name, "rep")
	if !ok {
		return 0, false
	}
	d, rest, ok := strings.Cut(d, "_")
	if !ok || !(strings.HasPrefix(rest, "step") || rest == "timeline.gexf") {
		return 0, false
	}
	r, err := strconv.Atoi(d)
	return r, err == nil && r >= 0
}

// removeRemnants removes the temporary files of interrupted writes from dir.
func removeRemnants(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	for _, e := range ents {
		if remnant(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("results: %w", err)
			}
		}
	}
	return nil
}

func readManifestFile(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	return ReadManifest(f)
}
