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
	ts       *os.File
	tsw      *bufio.Writer
	buf      []byte
	sum      *Summarizer
	done     map[int]bool
	files    []string
	last     *Snapshot
	ev       *eventLog    // events.csv, from the first AddEvents (events.go)
	dec      *decisionLog // decisions.csv, from the first AddDecisions (decisions.go)
	closed   bool
	err      error // first write error on the timeseries; sticky
	finalErr error
}

// Create starts a result set in o.Dir (or dir if o.Dir is empty): it checks
// the folder is writable, writes manifest.json with Complete false, and
// opens timeseries.csv as a temporary file that Close renames into place.
func Create(dir string, m Manifest, o Options) (*Set, error) {
	if o.Dir == "" {
		o.Dir = dir
	}
	for _, f := range o.Formats {
		if f != FormatGraphML && f != FormatGEXF {
			return nil, fmt.Errorf("results: unknown snapshot format %q (want %s or %s)", f, FormatGraphML, FormatGEXF)
		}
	}
	if err := CheckWritable(o.Dir); err != nil {
		return nil, err
	}
	s := &Set{dir: o.Dir, opt: o, man: m, sum: NewSummarizer(), done: map[int]bool{}}
	s.man.Complete, s.man.RunsDone, s.man.Files = false, 0, []string{ManifestFile}
	if err := s.writeManifest(); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(o.Dir, "."+TimeseriesFile+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	s.ts, s.tsw = f, bufio.NewWriterSize(f, 256<<10)
	if _, err := s.tsw.WriteString("replicate,step,metric,actor,value\n"); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
	}
	return s, nil
}

// Dir is the set's folder.
func (s *Set) Dir() string { return s.dir }

func (s *Set) writeManifest() error {
	return WriteFileAtomic(filepath.Join(s.dir, ManifestFile), s.man.writeTo)
}

var errClosed = errors.New("results: set is closed")

// AddRun appends one finished replicate's rows to timeseries.csv (in the
// order given; Row.Replicate is ignored and replicate written instead) and
// folds them into the summary. A replicate can be added once.
func (s *Set) AddRun(replicate int, rows []Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
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
	for i := range rows {
		if rows[i].Step < 0 {
			return fmt.Errorf("results: replicate %d: negative step %d", replicate, rows[i].Step)
		}
		if rows[i].Metric == "" {
			return fmt.Errorf("results: replicate %d step %d: row without a metric name", replicate, rows[i].Step)
		}
	}
	b := s.buf[:0]
	for i := range rows {
		r := rows[i]
		r.Replicate = replicate
		b = appendRow(b, &r)
		if len(b) >= 64<<10 {
			if _, err := s.tsw.Write(b); err != nil {
				s.err = fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
				return s.err
			}
			b = b[:0]
		}
		s.sum.Add(r.Step, r.Metric, r.Actor, r.Value)
	}
	if _, err := s.tsw.Write(b); err != nil {
		s.err = fmt.Errorf("results: writing %s: %w", TimeseriesFile, err)
		return s.err
	}
	s.buf = b[:0]
	s.done[replicate] = true
	s.man.RunsDone++
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
	if s.closed {
		return errClosed
	}
	if err := os.MkdirAll(filepath.Join(s.dir, SnapshotDir), 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
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
		rel := base + o.suffix
		err := WriteFileAtomic(filepath.Join(s.dir, filepath.FromSlash(rel)), func(w io.Writer) error { return o.write(w, &snap) })
		if err != nil {
			return fmt.Errorf("results: writing %s: %w", rel, err)
		}
		s.addFile(rel)
	}
	s.last = &snap
	return nil
}

func (s *Set) addFile(rel string) {
	if !slices.Contains(s.files, rel) {
		s.files = append(s.files, rel)
	}
}

// RunsDone is the number of replicates added so far.
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

// Close finishes the set: it renames timeseries.csv into place, writes
// summary.csv, draws the charts (if Options.Charts) and rewrites
// manifest.json with Complete, Finished, RunsDone and Files. complete
// false marks a set cut short (interrupted, failed run): its CSVs still hold
// every run added, and manifest.json says complete: false. Close keeps going
// after an error and returns them all; a second Close returns the first
// one's result.
func (s *Set) Close(complete bool, finished time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.finalErr
	}
	s.closed = true
	var errs []error
	if s.err != nil {
		errs = append(errs, s.err)
		complete = false
	}
	tsErr := s.tsw.Flush()
	if tsErr == nil {
		tsErr = commitTemp(s.ts, filepath.Join(s.dir, TimeseriesFile))
	} else {
		s.ts.Close()
		os.Remove(s.ts.Name())
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
	if err := WriteFileAtomic(filepath.Join(s.dir, SummaryFile), func(w io.Writer) error { return WriteSummary(w, rows) }); err != nil {
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
	if err := s.writeManifest(); err != nil {
		errs = append(errs, err)
	}
	s.finalErr = errors.Join(errs...)
	return s.finalErr
}
