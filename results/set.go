package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// File names inside a result set's folder.
const (
	ManifestFile   = "manifest.json"
	TimeseriesFile = "timeseries.csv"
	SummaryFile    = "summary.csv"
	SnapshotDir    = "snapshots"
	ChartDir       = "charts"
	// ReportFile is the page results/report writes after Close; a resumed
	// set removes the old one.
	ReportFile = "report.html"
)

// Snapshot formats for Options.Formats.
const (
	FormatGraphML = "graphml"
	FormatGEXF    = "gexf"
)

// ChartFunc draws the charts of a set into dir (the set's charts folder,
// already created) from the summary and the last snapshot the set received
// (nil if none), and returns the files it wrote relative to dir. The CLI
// passes charts.Write; results itself never imports plotting.
type ChartFunc func(dir string, summary []SummaryRow, last *Snapshot) ([]string, error)

// Options say what a set writes besides the manifest, timeseries and summary.
type Options struct {
	// Dir is the set's folder; Create makes it if needed.
	Dir string
	// Snapshots are the steps at which the runner should take network
	// snapshots (see WantSnapshot). The set writes whatever AddSnapshot gets.
	Snapshots []int
	// Charts, when not nil, is called by Close to draw charts into Dir/charts.
	Charts ChartFunc
	// TieLists also writes each snapshot's ties and groups as CSV.
	TieLists bool
	// Formats are the snapshot formats, FormatGraphML and FormatGEXF; nil
	// means both.
	Formats []string
	// Mode says what to do when Dir already holds a result set: New (the
	// default) refuses it, Replace removes it first, Resume continues it
	// (a resumable set only).
	Mode Mode
	// Resumable writes each replicate, as AddRun receives it, to its own
	// part file in Dir/.parts, synced to disk (one sync per replicate, one
	// more each for its events and decisions with Events, Decisions), so
	// that a process killed at any moment keeps every replicate added and
	// Create with Mode Resume continues from there. Replicates must then be
	// added in index order from 0. Close assembles timeseries.csv from the
	// parts and, for a complete set, removes them. Without Resumable,
	// timeseries.csv is streamed to one hidden temporary file (fewer files
	// and syncs; a sweep's points, which are rerun whole, use this).
	Resumable bool
	// Events writes events.csv from AddEvents, Decisions decisions.csv
	// from AddDecisions (header only if nothing was added). A resumable set
	// keeps each replicate's events and decisions in part files of their
	// own (.parts/ev000000.csv, dec000000.csv), written before the
	// replicate's rows, so that a resumed set's events.csv and
	// decisions.csv are those of an uninterrupted run too.
	Events, Decisions bool
	// Tally, when set with Events, is given every event of the set's
	// events.csv, in the file's order, as the set comes to hold it: when
	// Create resumes a set, the events of the replicates it keeps (read back
	// from their parts); then a resumable set gives each replicate's events
	// once AddRun has committed it, another as AddEvents writes them (e is
	// the set's only during the call). It is called with the set's lock
	// held, as Finish is, so it needs no lock of its own. The CLI tallies
	// the report's key events with it (results/report.EventTally) instead
	// of reading events.csv back.
	Tally func(replicate int, e *EventRow)
	// Finish, when set, is called by Close on the folder of a complete set
	// (also one Resume found complete), still locked, after the final
	// manifest.json: the CLI writes report.html (results/report) with it,
	// which lists the page in the manifest's files. tallied says that Tally
	// was given every event of the folder's events.csv: false without
	// Tally or Events, and for a set Resume found complete, which read
	// nothing back (Finish then reads the file). Its error is Close's.
	Finish func(dir string, tallied bool) error
	// Keep, when set, is given each snapshot AddSnapshot has written (the
	// set's lock held, as for Tally; the snapshot is not changed after):
	// the CLI keeps the first replicate's for report.html, which then need
	// not read their GraphML back.
	Keep func(replicate int, snap *Snapshot)
	// Inside says that Dir is a fresh folder inside one its caller has
	// claimed and holds (a sweep's point, whose folder the sweep has just
	// removed): Create makes it but does not probe, lock or check it again
	// (Claim did so for the sweep's folder), writes no manifest until
	// Close, and syncs none of its files: the final manifest records each
	// file's SHA-256 (Manifest.Digests) instead, and the caller trusts the
	// set only when VerifyDigests passes, so a set cut short by a crash
	// is rerun rather than read. Only with Mode New and not Resumable.
	Inside bool
}

// WantSnapshot reports whether step is one of o.Snapshots.
func (o *Options) WantSnapshot(step int) bool { return slices.Contains(o.Snapshots, step) }

func (o *Options) format(f string) bool { return o.Formats == nil || slices.Contains(o.Formats, f) }

// Set is a result set being written. Its methods are safe for concurrent use,
// but the files are a pure function of the sequence of calls, so a runner
// that wants reproducible output calls AddRun in replicate order.
type Set struct {
	mu       sync.Mutex
	dir      string
	opt      Options
	man      Manifest
	folder   *Folder
	ts       *os.File // !Resumable: the hidden timeseries file
	tsw      *bufio.Writer
	tsHashed *hashedFile // Inside: timeseries.csv, written in place and hashed (tsw is its writer)
	buf      []byte
	sum      *Summarizer
	done     map[int]bool
	next     int // Resumable: the replicate AddRun wants next
	kept     int // Resume: replicates kept from before
	already  bool
	files    []string
	last     *Snapshot
	lastRep  int
	lastNew  bool         // Resumable: last changed since the previous AddRun
	ev       *eventLog    // !Resumable: events.csv being streamed (events.go)
	dec      *decisionLog // !Resumable: decisions.csv being streamed (decisions.go)
	evNext   int          // Resumable: the replicate AddEvents wants next
	evHeld   []EventRow   // Resumable with Tally: replicate evNext-1's events, tallied when AddRun commits it
	decNext  int          // Resumable: the replicate AddDecisions wants next
	closed   bool
	dig      map[string]string // Inside: the digests of the files written
	err      error             // first write error on the timeseries; sticky
	finalErr error
}

// Create starts a result set in o.Dir (or dir if o.Dir is empty). It claims
// the folder (see Claim: created if needed, checked writable, locked against
// a second writer until Close, and checked against o.Mode), writes
// manifest.json with Complete false, and opens the timeseries. With Mode
// Resume and a set of the same run in the folder (Manifest.SameRun), the
// set continues after the replicates it kept (RunsDone); a complete one is
// left as it is (Kept).
func Create(dir string, m Manifest, o Options) (*Set, error) {
	if o.Dir == "" {
		o.Dir = dir
	}
	for _, f := range o.Formats {
		if f != FormatGraphML && f != FormatGEXF {
			return nil, fmt.Errorf("results: unknown snapshot format %q (want %s or %s)", f, FormatGraphML, FormatGEXF)
		}
	}
	if o.Mode == Resume && !o.Resumable {
		return nil, errors.New("results: only a resumable set can be resumed")
	}
	var folder *Folder
	if o.Inside {
		if o.Mode != New || o.Resumable {
			return nil, errors.New("results: a set inside a claimed folder is always new and not resumable")
		}
		if err := os.MkdirAll(o.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("results: cannot create output folder %q: %w", o.Dir, unwrapPath(err))
		}
		// fresh, as its caller promised: never write over what is there
		if ents, err := os.ReadDir(o.Dir); err != nil || len(ents) > 0 {
			return nil, fmt.Errorf("results: %q is not a fresh folder for a set inside a claimed one (%d entries, %v)", o.Dir, len(ents), err)
		}
		folder = &Folder{Dir: o.Dir}
	} else {
		var err error
		if folder, err = Claim(o.Dir, o.Mode); err != nil {
			return nil, err
		}
	}
	s := &Set{dir: o.Dir, opt: o, man: m, folder: folder, sum: NewSummarizer(), done: map[int]bool{}, dig: map[string]string{}}
	if err := s.start(); err != nil {
		folder.Release()
		return nil, err
	}
	return s, nil
}

func (s *Set) start() error {
	s.man.Complete, s.man.RunsDone, s.man.Files = false, 0, []string{ManifestFile}
	if s.opt.Mode == Resume && s.folder.Held {
		if err := s.resume(); err != nil {
			return err
		}
		if s.already {
			return nil
		}
	}
	if !s.opt.Inside {
		if err := s.writeManifest(); err != nil {
			return err
		}
	}
	if s.opt.Resumable {
		if err := os.MkdirAll(filepath.Join(s.dir, PartsDir), 0o755); err != nil {
			return fmt.Errorf("results: %w", err)
		}
		return syncFolder(s.dir) // (the parts folder's entry)
	}
	if s.opt.Inside {
		// written in place and hashed as it goes, as the set's other
		// files Inside are (writeDigest): no temporary name, rename or
		// second read for its digest
		x, err := createHashed(filepath.Join(s.dir, TimeseriesFile))
		if err != nil {
			return err
		}
		s.tsHashed, s.tsw = x, x.w
		if _, err := s.tsw.WriteString(timeseriesHeaderLine); err != nil {
			x.finish(err)
			s.tsHashed, s.tsw = nil, nil
			return fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
		}
		return nil
	}
	f, err := os.CreateTemp(s.dir, "."+TimeseriesFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	s.ts, s.tsw = f, getWriter(f)
	if _, err := s.tsw.WriteString(timeseriesHeaderLine); err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
	}
	return nil
}

const timeseriesHeaderLine = "replicate,step,metric,actor,value\n"

// Dir is the set's folder.
func (s *Set) Dir() string { return s.dir }

// writeManifest writes manifest.json, the set's commit, and syncs the
// folder (unless Inside) so that it, and what was renamed into the folder
// before it, survives a crash of the machine.
func (s *Set) writeManifest() error {
	if err := s.writeFile(ManifestFile, s.man.writeTo); err != nil {
		return err
	}
	if s.opt.Inside {
		return nil
	}
	return syncFolder(s.dir)
}

// writeFile writes the file rel of the set atomically and synced; a set
// Inside a sweep, whose files are trusted only through the digests of its
// final manifest, writes it in place and keeps its digest.
func (s *Set) writeFile(rel string, write func(w io.Writer) error) error {
	path := filepath.Join(s.dir, filepath.FromSlash(rel))
	if !s.opt.Inside || rel == ManifestFile {
		// (the manifest is the set's commit: always atomic)
		return writeAtomic(path, write, !s.opt.Inside)
	}
	d, err := writeDigest(path, write)
	if err != nil {
		return err
	}
	s.dig[rel] = d
	return nil
}

// commitTemp puts the set's temporary file f in place as name (synced
// unless the set is Inside a sweep, which keeps its digest).
func (s *Set) commitTemp(f *os.File, name string) error {
	path := filepath.Join(s.dir, name)
	if err := commit(f, path, !s.opt.Inside); err != nil {
		return err
	}
	if s.opt.Inside {
		d, err := digestFile(path)
		if err != nil {
			return fmt.Errorf("results: %w", err)
		}
		s.dig[name] = d
	}
	return nil
}

// WriteFile writes a file of the caller's into the set's folder, as the set
// writes its own (atomically; synced unless the set is Inside), and lists
// it in the manifest (with its digest, Inside). name is relative to the
// folder, with forward slashes.
func (s *Set) WriteFile(name string, write func(w io.Writer) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	if err := s.writeFile(name, write); err != nil {
		return err
	}
	s.addFile(name)
	return nil
}

var errClosed = errors.New("results: set is closed")

// AddRun adds one finished replicate: its rows go to timeseries.csv (in
// the order given; Row.Replicate is ignored and replicate written instead)
// and into the summary. A replicate can be added once. A resumable set
// writes the rows to the replicate's own part file, synced, before AddRun
// returns: AddRun is the replicate's commit, so a runner adds its
// snapshots, events and decisions first.
func (s *Set) AddRun(replicate int, rows []Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.already {
		return errClosed
	}
	if s.err != nil {
		return s.err
	}
	if replicate < 0 {
		return fmt.Errorf("results: negative replicate %d", replicate)
	}
	if s.done[replicate] {
		return fmt.Errorf("results: replicate %d added twice", replicate)
	}
	if s.opt.Resumable && replicate != s.next {
		return fmt.Errorf("results: replicate %d added out of order: a resumable set takes replicates in order, want %d", replicate, s.next)
	}
	for i := range rows {
		if rows[i].Step < 0 {
			return fmt.Errorf("results: replicate %d: negative step %d", replicate, rows[i].Step)
		}
		if rows[i].Metric == "" {
			return fmt.Errorf("results: replicate %d step %d: row without a metric name", replicate, rows[i].Step)
		}
	}
	if s.opt.Resumable {
		if err := s.commitPart(replicate, rows); err != nil {
			return err
		}
	} else if err := s.stream(replicate, rows); err != nil {
		s.err = err
		return err
	}
	for i := range rows {
		s.sum.Add(rows[i].Step, rows[i].Metric, rows[i].Actor, rows[i].Value)
	}
	s.tallyHeld(replicate)
	s.done[replicate] = true
	s.next = replicate + 1
	s.man.RunsDone++
	return nil
}

// stream appends a replicate's rows to the hidden timeseries file.
func (s *Set) stream(replicate int, rows []Row) error {
	b := s.buf[:0]
	for i := range rows {
		r := rows[i]
		r.Replicate = replicate
		b = appendRow(b, &r)
		if len(b) >= 64<<10 {
			if _, err := s.tsw.Write(b); err != nil {
				return fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
			}
			b = b[:0]
		}
	}
	s.buf = b[:0]
	if _, err := s.tsw.Write(b); err != nil {
		return fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
	}
	return nil
}

// snapshotBase is the path of a snapshot's files without extension,
// relative to the set's folder.
func snapshotBase(replicate, step int) string {
	return fmt.Sprintf("%s/rep%d_step%d", SnapshotDir, replicate, step)
}

// AddSnapshot writes snapshots/rep{R}_step{T}.graphml and .gexf (per
// Options.Formats), and _ties.csv, _groups.csv and _dyads.csv when
// Options.TieLists.
// The last snapshot added is the one Close draws.
func (s *Set) AddSnapshot(replicate int, snap Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.snapshotsOpen(); err != nil {
		return err
	}
	base := snapshotBase(replicate, snap.Step)
	type out struct {
		suffix string
		write  func(io.Writer, *Snapshot) error
		on     bool
	}
	for _, o := range []out{
		{".graphml", WriteGraphML, s.opt.format(FormatGraphML)},
		{".gexf", WriteGEXF, s.opt.format(FormatGEXF)},
		{"_ties.csv", WriteTies, s.opt.TieLists},
		{"_groups.csv", WriteGroups, s.opt.TieLists},
		{"_dyads.csv", WriteDyads, s.opt.TieLists},
	} {
		if !o.on {
			continue
		}
		if err := s.writeListed(base+o.suffix, func(w io.Writer) error { return o.write(w, &snap) }); err != nil {
			return err
		}
	}
	s.last, s.lastRep, s.lastNew = &snap, replicate, true
	if s.opt.Keep != nil {
		s.opt.Keep(replicate, &snap)
	}
	return nil
}

// AddTimeline writes replicate's timeline (TimelineFile) as a dynamic
// GEXF.
func (s *Set) AddTimeline(replicate int, t *Timeline) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.snapshotsOpen(); err != nil {
		return err
	}
	return s.writeListed(TimelineFile(replicate), func(w io.Writer) error { return WriteTimelineGEXF(w, t) })
}

// snapshotsOpen checks the set takes files (the lock held) and makes its
// snapshots folder.
func (s *Set) snapshotsOpen() error {
	if s.closed || s.already {
		return errClosed
	}
	if err := os.MkdirAll(filepath.Join(s.dir, SnapshotDir), 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// writeListed writes the set's file rel and lists it in the manifest.
func (s *Set) writeListed(rel string, write func(io.Writer) error) error {
	if err := s.writeFile(rel, write); err != nil {
		return fmt.Errorf("results: writing %s: %w", rel, err)
	}
	s.addFile(rel)
	return nil
}

func (s *Set) addFile(rel string) {
	if !slices.Contains(s.files, rel) {
		s.files = append(s.files, rel)
	}
}

// RunsDone is the number of replicates in the set so far: kept from before
// (Resume) and added since.
func (s *Set) RunsDone() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.man.RunsDone
}

// Summary returns the summary of the runs added so far.
func (s *Set) Summary() []SummaryRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sum.Rows()
}

// Close finishes the set: it puts timeseries.csv in place (a resumable set
// assembles it from the parts), writes summary.csv, draws the charts (if
// Options.Charts), rewrites manifest.json with Complete, Finished, RunsDone
// and Files, and releases the folder. complete false marks a set cut short
// (interrupted, failed run): its CSVs still hold every run added, and
// manifest.json says complete: false; a resumable one keeps its parts for
// Resume. A complete set then gets Options.Finish (report.html), and a
// complete resumable set's parts are removed last. Close keeps going after
// an error and returns them all; a second Close returns the first one's
// result. Closing a complete set that Resume left as it was writes nothing
// but what Options.Finish writes.
func (s *Set) Close(complete bool, finished time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.finalErr
	}
	s.closed = true
	defer s.folder.Release()
	if s.already {
		s.finalErr = s.finish()
		return s.finalErr
	}
	var errs []error
	if s.err != nil {
		errs = append(errs, s.err)
		complete = false
	}
	var tsErr error
	if s.opt.Resumable {
		tsErr = s.assemble()
	} else if s.tsHashed != nil {
		var d string
		if d, tsErr = s.tsHashed.finish(nil); tsErr == nil {
			s.dig[TimeseriesFile] = d
		}
		s.tsHashed, s.tsw = nil, nil
	} else {
		tsErr = s.tsw.Flush()
		putWriter(s.tsw)
		s.tsw = nil
		if tsErr == nil {
			tsErr = s.commitTemp(s.ts, TimeseriesFile)
		} else {
			s.ts.Close()
			os.Remove(s.ts.Name())
		}
	}
	if tsErr != nil {
		errs = append(errs, fmt.Errorf("results: writing %s: %w", TimeseriesFile, tsErr))
		complete = false
	} else {
		s.addFile(TimeseriesFile)
	}
	if err := s.closeEvents(); err != nil {
		errs = append(errs, err)
		complete = false
	}
	if err := s.closeDecisions(); err != nil {
		errs = append(errs, err)
		complete = false
	}
	rows := s.sum.Rows()
	if err := s.writeFile(SummaryFile, func(w io.Writer) error { return WriteSummary(w, rows) }); err != nil {
		errs = append(errs, err)
		complete = false
	} else {
		s.addFile(SummaryFile)
	}
	if s.opt.Charts != nil {
		cdir := filepath.Join(s.dir, ChartDir)
		files, err := []string(nil), os.MkdirAll(cdir, 0o755)
		if err == nil {
			files, err = s.opt.Charts(cdir, rows, s.last)
		}
		for _, f := range files {
			s.addFile(ChartDir + "/" + filepath.ToSlash(f))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("results: charts: %w", err))
		}
	}
	s.man.Complete = complete
	s.man.Finished = finished
	s.man.Files = append([]string{ManifestFile}, s.files...)
	slices.Sort(s.man.Files)
	var mErr error
	if s.opt.Inside {
		s.man.Digests, mErr = s.digests()
	}
	if mErr == nil {
		mErr = s.writeManifest()
	}
	if mErr != nil {
		errs = append(errs, mErr)
	}
	if complete && mErr == nil {
		if err := s.finish(); err != nil {
			errs = append(errs, err)
		}
	}
	if s.opt.Resumable && complete && mErr == nil {
		if err := os.RemoveAll(filepath.Join(s.dir, PartsDir)); err != nil {
			errs = append(errs, fmt.Errorf("results: %w", err))
		}
	}
	s.finalErr = errors.Join(errs...)
	return s.finalErr
}

// finish calls Options.Finish, if any, on the set's folder.
func (s *Set) finish() error {
	if s.opt.Finish == nil {
		return nil
	}
	return s.opt.Finish(s.dir, s.opt.Tally != nil && s.opt.Events && !s.already)
}
