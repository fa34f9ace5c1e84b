package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Mode says what to do with an output folder that already holds a result
// set.
type Mode int

const (
	// New refuses a folder that holds anything: results are never mixed
	// with, or written over, what is there.
	New Mode = iota
	// Resume continues the result set in the folder (an empty or missing
	// folder starts a new one).
	Resume
	// Replace removes what the result set in the folder held, then starts
	// a new one. Files that are not part of a result set are left alone.
	Replace
)

func (m Mode) String() string {
	switch m {
	case Resume:
		return "resume"
	case Replace:
		return "replace"
	}
	return "new"
}

// PartsDir is the hidden folder where a resumable set keeps each finished
// replicate (rep000000.csv, ...) until Close assembles timeseries.csv.
const PartsDir = ".parts"

// markers are the files that show a folder holds a result set of some kind:
// a run (manifest.json), a sweep (sweep.json), a branching run
// (branches.json), a comparison (compare.json), a calibration
// (calibrated.overlay, fit.json, or the checkpoint of one cut short,
// evaluations.tsv), or a run cut short (.parts).
var markers = []string{ManifestFile, "sweep.json", "branches.json", "compare.json", "calibrated.overlay", "fit.json", "evaluations.tsv", "hypercube.json", PartsDir}

// entries are the top-level names a result set of any kind writes; Replace
// removes these (and those its manifest lists) and nothing else.
var entries = []string{
	ManifestFile, TimeseriesFile, SummaryFile, SnapshotDir, ChartDir, PartsDir,
	"sweep.json", "points.csv", "points", "outcomes.csv", "outcomes_summary.csv", "morris.csv", "sobol.csv",
	"branches", "branches.json", "differences.csv",
	"compare.csv", "compare.json", "calibrated.overlay", "fit.json", "evaluations.tsv", "report.md",
	"hypercube.csv", "hypercube.json",
	ReportFile, EventsFile, DecisionsFile,
}

// remnant reports whether name is a temporary file left by a write that was
// cut short (WriteFileAtomic, CheckWritable).
func remnant(name string) bool {
	return strings.HasPrefix(name, ".") && (strings.HasSuffix(name, ".tmp") || strings.HasPrefix(name, ".entente-probe-"))
}

// Folder is an output folder claimed by this process: it exists, is
// writable, and is locked against a second entente process writing to it
// until Release. The lock is the operating system's (flock on the folder),
// so it dies with the process: a process killed with kill -9 leaves no
// stale lock and no lock file behind.
type Folder struct {
	Dir string
	// Held says whether the folder held a result set when it was claimed
	// (Resume continues it; Replace removed it).
	Held bool
	// Removed lists what Replace removed, relative to Dir; Kept what it
	// left because it is not part of a result set.
	Removed, Kept []string
	lock          *os.File
}

// Claim prepares dir for a result set: it creates the folder if needed,
// checks it is writable, takes its lock, and checks what it holds against
// mode. With New a folder holding anything is refused; with Resume and
// Replace a folder holding something other than a result set is refused
// (nothing is deleted that entente did not write); Replace then removes the
// set's files. Errors name the folder and say how to go on.
func Claim(dir string, mode Mode) (*Folder, error) {
	if err := CheckWritable(dir); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	f := &Folder{Dir: dir, lock: lock}
	if err := f.check(mode); err != nil {
		f.Release()
		return nil, err
	}
	return f, nil
}

// Clean removes the temporary files interrupted writes left at the top of
// the folder (a resumed sweep calls it; a resumed set cleans its own).
func (f *Folder) Clean() error { return removeRemnants(f.Dir) }

// Release lets another process claim the folder. It can be called more
// than once.
func (f *Folder) Release() {
	if f != nil && f.lock != nil {
		unlockDir(f.lock)
		f.lock = nil
	}
}

func (f *Folder) check(mode Mode) error {
	ents, err := os.ReadDir(f.Dir)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		return nil
	}
	owned := slices.Clone(entries)
	owned = append(owned, listedFiles(f.Dir)...)
	marked := false
	var mine, other []string
	for _, n := range names {
		switch {
		case slices.Contains(markers, n):
			marked = true
			mine = append(mine, n)
		case slices.Contains(owned, n) || remnant(n):
			mine = append(mine, n)
		default:
			other = append(other, n)
		}
	}
	if !marked && (len(other) > 0 || !onlyRemnants(mine)) {
		return fmt.Errorf("results: output folder %q is not empty and holds no result set (%s): choose a new or empty folder with --out",
			f.Dir, listNames(f.Dir, names))
	}
	f.Held = true
	switch mode {
	case New:
		return &OccupiedError{Dir: f.Dir, What: describeSet(f.Dir), Resume: true}
	case Replace:
		for _, n := range mine {
			if err := os.RemoveAll(filepath.Join(f.Dir, n)); err != nil {
				return fmt.Errorf("results: replacing the result set in %q: %w", f.Dir, err)
			}
			f.Removed = append(f.Removed, n)
		}
		f.Kept = other
	}
	return nil
}

func onlyRemnants(names []string) bool {
	for _, n := range names {
		if !remnant(n) {
			return false
		}
	}
	return len(names) > 0
}

// listedFiles are the top-level names the folder's manifest.json or
// sweep.json lists among its files.
func listedFiles(dir string) []string {
	var out []string
	for _, name := range []string{ManifestFile, "sweep.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		var m struct {
			Files []string `json:"files"`
		}
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		for _, p := range m.Files {
			top, _, _ := strings.Cut(filepath.ToSlash(p), "/")
			if top != "" && top != "." && top != ".." {
				out = append(out, top)
			}
		}
	}
	return out
}

// describeSet says in a few words what the folder's manifest describes.
func describeSet(dir string) string {
	f, err := os.Open(filepath.Join(dir, ManifestFile))
	if err != nil {
		if kind, cmd := otherKind(dir); kind != "" {
			return fmt.Sprintf(" (%s, made by 'entente %s')", kind, cmd)
		}
		return ""
	}
	defer f.Close()
	m, err := ReadManifest(f)
	if err != nil || m.Scenario == "" {
		return ""
	}
	state := "complete"
	if !m.Complete {
		state = "incomplete"
	}
	return fmt.Sprintf(" (%s, %d replicates, %s)", m.Scenario, m.Replicates, state)
}

// otherKind names the kind of result set other than a run's that a folder
// without a manifest.json holds, by its marker file, and the command that
// makes it ("": none).
func otherKind(dir string) (kind, command string) {
	for _, k := range []struct{ marker, kind, command string }{
		{"sweep.json", "a sweep", "sweep"},
		{"branches.json", "a branching run", "run --branch-at"},
		{"compare.json", "a comparison with the record", "compare"},
		{"evaluations.tsv", "a calibration", "calibrate"},
		{"calibrated.overlay", "a calibration", "calibrate"},
		{"fit.json", "a calibration", "calibrate"},
		{"hypercube.json", "a robustness check", "facts --hypercube"},
	} {
		if _, err := os.Stat(filepath.Join(dir, k.marker)); err == nil {
			return k.kind, k.command
		}
	}
	return "", ""
}

// listNames lists a few of the names in a folder, folders with a slash.
func listNames(dir string, names []string) string {
	var out []string
	for i, n := range names {
		if i == 4 {
			out = append(out, fmt.Sprintf("and %d more", len(names)-4))
			break
		}
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.IsDir() {
			n += "/"
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// OccupiedError is Claim's refusal of a folder that holds a result set in
// mode New. Resume says whether the message offers --resume (a command that
// cannot continue a set clears it).
type OccupiedError struct {
	Dir, What string // What: " (taiwan-crisis, 20 replicates, complete)" or ""
	Resume    bool
}

func (e *OccupiedError) Error() string {
	how := "add --force to replace it"
	if e.Resume {
		how = "add --resume to continue it, --force to replace it"
	}
	return fmt.Sprintf("results: output folder %q already holds a result set%s: %s, or choose another folder with --out", e.Dir, e.What, how)
}

// ErrLocked is returned (wrapped) by Claim when another process holds the
// folder's lock.
var ErrLocked = errors.New("another entente process is writing to it")
