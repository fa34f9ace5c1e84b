package results

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
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
	Started      time.Time          `json:"started"`
	Finished     time.Time          `json:"finished"`
	Complete     bool               `json:"complete"`  // every replicate finished and Close(true) was called
	RunsDone     int                `json:"runs_done"` // replicates in timeseries.csv
	Files        []string           `json:"files"`     // files of the set, relative to its folder, sorted
	Extra        map[string]any     `json:"extra,omitempty"`
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
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	return revision, dirty
}

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
