package results

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Version is the program's version, set at build time by the Makefile with
// -ldflags "-X github.com/entente/entente/results.Version=...".
var Version = "dev"

// Tool is the default Manifest.Tool.
const Tool = "entente"

// Manifest describes a result set: what was run, with what, and how far it
// got. It is written to manifest.json when the set is created (Complete
// false) and again by Close.
//
// manifest.json is the one file of a set that is not a pure function of the
// inputs: Workers, Started and Finished record how and when the set was
// made. Every other file of a set is byte-identical whatever the number of
// workers.
type Manifest struct {
	Tool         string             `json:"tool"`
	Version      string             `json:"version"`
	Commit       string             `json:"commit"`          // VCS revision from the build info, "" when unknown
	Dirty        bool               `json:"dirty,omitempty"` // the build had uncommitted changes
	Scenario     string             `json:"scenario"`
	ScenarioFile string             `json:"scenario_file"` // "builtin:NAME" or a path
	ScenarioHash string             `json:"scenario_hash"`
	Overrides    []string           `json:"overrides"`
	Parameters   map[string]float64 `json:"parameters"` // every model parameter by name; JSON sorts the keys
	Seed         uint64             `json:"seed"`
	Replicates   int                `json:"replicates"`
	Steps        int                `json:"steps"`
	Workers      int                `json:"workers"` // informational: output does not depend on it
	Metrics      []string           `json:"metrics"`
	Actors       []string           `json:"actors"`
	// How the run recorded: costly metrics every k steps, the snapshot steps
	// asked for (negative counts from the end), every k steps, from how
	// many replicates (-1: all), with tie lists, with the first
	// replicate's timeline (TimelineFile), with events.csv, with
	// decisions.csv for these actors (--explain). Zero values are omitted.
	Every              int       `json:"every,omitempty"`
	Snapshots          []int     `json:"snapshots,omitempty"`
	SnapshotEvery      int       `json:"snapshot_every,omitempty"`
	SnapshotReplicates int       `json:"snapshot_replicates,omitempty"`
	TieLists           bool      `json:"tie_lists,omitempty"`
	Timeline           bool      `json:"timeline,omitempty"`
	Events             bool      `json:"events,omitempty"`
	Explain            []string  `json:"explain,omitempty"`
	Started            time.Time `json:"started"`
	Finished           time.Time `json:"finished"`
	Complete           bool      `json:"complete"`  // every replicate finished and Close(true) was called
	RunsDone           int       `json:"runs_done"` // replicates in timeseries.csv
	Files              []string  `json:"files"`     // files of the set, relative to its folder, sorted
	// Digests are the SHA-256 of the set's files but the manifest, by name,
	// "sha256:" and hex: written by a set Inside a sweep, whose files are
	// not synced one by one; VerifyDigests checks them.
	Digests map[string]string `json:"digests,omitempty"`
	Extra   map[string]any    `json:"extra,omitempty"`
}

// NewManifest returns a Manifest with Tool, Version, Commit and Dirty filled
// in from the build.
func NewManifest() Manifest {
	commit, dirty := BuildCommit()
	return Manifest{Tool: Tool, Version: Version, Commit: commit, Dirty: dirty}
}

// BuildCommit returns the VCS revision the binary was built from and whether
// the work tree had changes, as recorded by the go command; "" when the build
// carries no VCS information (go test, -buildvcs=false).
func BuildCommit() (revision string, dirty bool) {
	b := buildCommit()
	return b.revision, b.dirty
}

// buildCommit reads the build's VCS settings once (every result set's
// manifest asks: a sweep's thousands of points parsed them each time).
var buildCommit = sync.OnceValue(func() (b struct {
	revision string
	dirty    bool
}) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.revision = s.Value
		case "vcs.modified":
			b.dirty = s.Value == "true"
		}
	}
	return b
})

// writeTo writes the manifest as indented JSON.
func (m *Manifest) writeTo(w io.Writer) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("results: encoding manifest: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// ReadManifest reads a manifest.json.
func ReadManifest(r io.Reader) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(r)
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("results: reading manifest: %w", err)
	}
	return m, nil
}

// SameRun reports whether o describes the same run as m: the same program
// (version and commit), scenario (by hash), overrides, parameters, seed,
// replicates, steps, metrics, actors and recording options. Only then can a
// set written by o be continued by m and end byte-identical to an
// uninterrupted run. The error lists what differs.
func (m *Manifest) SameRun(o *Manifest) error {
	type field struct {
		name     string
		now, was any
	}
	fields := []field{
		{"version", m.Version, o.Version}, {"commit", m.Commit, o.Commit},
		{"scenario", m.Scenario, o.Scenario}, {"scenario hash", m.ScenarioHash, o.ScenarioHash},
		{"overrides", m.Overrides, o.Overrides}, {"parameters", m.Parameters, o.Parameters},
		{"seed", m.Seed, o.Seed}, {"replicates", m.Replicates, o.Replicates}, {"steps", m.Steps, o.Steps},
		{"metrics", m.Metrics, o.Metrics}, {"actors", m.Actors, o.Actors}, {"every", m.Every, o.Every},
		{"snapshots", m.Snapshots, o.Snapshots}, {"snapshot every", m.SnapshotEvery, o.SnapshotEvery},
		{"snapshot replicates", m.SnapshotReplicates, o.SnapshotReplicates}, {"tie lists", m.TieLists, o.TieLists},
		{"timeline", m.Timeline, o.Timeline},
		{"events", m.Events, o.Events}, {"explain", m.Explain, o.Explain},
	}
	var diff []string
	for _, f := range fields {
		a, b := canon(f.now), canon(f.was)
		if a != b {
			diff = append(diff, fmt.Sprintf("%s %s (the set has %s)", f.name, a, b))
		}
	}
	if len(diff) > 0 {
		return fmt.Errorf("not the same run: %s", strings.Join(diff, "; "))
	}
	return nil
}

// canon is a value as JSON, nil and empty slices alike.
func canon(v any) string {
	b, _ := json.Marshal(v)
	switch s := string(b); s {
	case "null", "[]", "{}":
		return "none"
	default:
		return s
	}
}
