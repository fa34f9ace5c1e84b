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

// partIndex parses a part file's name; ok false for anything else.
func partIndex(name string) (int, bool) {
	d, ok := strings.CutPrefix(name, "rep")
	if !ok {
		return 0, false
	}
	d, ok = strings.CutSuffix(d, ".csv")
	if !ok || d == "" {
		return 0, false
	}
	i, err := strconv.Atoi(d)
	return i, err == nil && i >= 0 && partName(i) == name
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
// the last snapshot if it changed since the previous replicate.
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
	err := WriteFileAtomic(filepath.Join(parts, partName(replicate)), func(w io.Writer) error {
		b := s.buf[:0]
		for i := range rows {
			r := rows[i]
			r.Replicate = replicate
			b = appendRow(b, &r)
			if len(b) >= 64<<10 {
				if _, err := w.Write(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
		s.buf = b[:0]
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		s.err = fmt.Errorf("results: writing replicate %d: %w", replicate, err)
		return s.err
	}
	return nil
}

// assemble writes timeseries.csv from the header and the parts in order.
func (s *Set) assemble() error {
	return WriteFileAtomic(filepath.Join(s.dir, TimeseriesFile), func(w io.Writer) error {
		if _, err := io.WriteString(w, timeseriesHeaderLine); err != nil {
			return err
		}
		for i := range s.next {
			f, err := os.Open(filepath.Join(s.dir, PartsDir, partName(i)))
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
// the manifest describes the same run, keeps the longest run of part files
// from replicate 0 and the snapshots of those replicates, removes everything
// else that Close rewrites or a killed process left, and rebuilds the
// summary from the parts.
func (s *Set) resume() error {
	dir := s.dir
	old, err := readManifestFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(dir, "sweep.json")); err == nil {
			return fmt.Errorf("results: %q holds a sweep, not a run: continue it with 'entente sweep ... --resume'", dir)
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
	have := map[int]bool{}
	ents, err := os.ReadDir(parts)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("results: %w", err)
	}
	for _, e := range ents {
		if i, ok := partIndex(e.Name()); ok {
			have[i] = true
		}
	}
	k := 0
	for have[k] {
		k++
	}
	if k == 0 && old.RunsDone > 0 {
		return fmt.Errorf("results: cannot resume the set in %q: it holds %d replicates but no part files (written by an older entente, or the parts were removed): replace it with --force", dir, old.RunsDone)
	}
	// read every kept replicate before anything is removed: a damaged set
	// is left as it is
	for i := range k {
		if err := s.scanPart(i); err != nil {
			return fmt.Errorf("results: cannot resume the set in %q: %w (replace it with --force)", dir, err)
		}
		s.done[i] = true
	}
	for _, e := range ents {
		if i, ok := partIndex(e.Name()); (ok && i < k) || e.Name() == lastFile {
			continue
		}
		if err := os.RemoveAll(filepath.Join(parts, e.Name())); err != nil {
			return fmt.Errorf("results: %w", err)
		}
	}
	// what Close writes again, and temporary files of interrupted writes
	for _, n := range []string{TimeseriesFile, SummaryFile, ChartDir} {
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
	return nil
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

// snapshotReplicate parses R from a snapshot file name rep{R}_step....
func snapshotReplicate(name string) (int, bool) {
	d, ok := strings.CutPrefix(name, "rep")
	if !ok {
		return 0, false
	}
	d, _, ok = strings.Cut(d, "_step")
	if !ok {
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
