package results

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// A rename is durable only once the folder that holds it is synced. A
// resumable set syncs its folder after its manifest and the parts folder
// after each replicate's commit (its rows part, renamed last), once per
// replicate whatever parts it wrote; a sweep's point (Inside) none.
func TestRenamesAreSynced(t *testing.T) {
	var synced []string
	old := syncDir
	defer func() { syncDir = old }()
	syncDir = func(dir string) error {
		synced = append(synced, dir)
		return nil
	}
	dir := filepath.Join(t.TempDir(), "out")
	m := Manifest{Tool: "entente", Scenario: "tiny", Seed: 1, Replicates: 2, Steps: 1, Metrics: []string{"ties"}}
	s, err := Create(dir, m, Options{Resumable: true, Events: true, Decisions: true})
	if err != nil {
		t.Fatal(err)
	}
	parts := filepath.Join(dir, PartsDir)
	if want := []string{dir, dir}; !slices.Equal(synced, want) { // the manifest, then the parts folder
		t.Errorf("Create synced %q, want %q", synced, want)
	}
	for rep := range 2 {
		synced = nil
		if err := s.AddRun(rep, []Row{{Step: 0, Metric: "ties", Value: 1}}); err != nil {
			t.Fatal(err)
		}
		if want := []string{parts}; !slices.Equal(synced, want) {
			t.Errorf("AddRun(%d) synced %q, want %q (once, after its rows part)", rep, synced, want)
		}
		if _, err := os.Stat(filepath.Join(parts, partName(rep))); err != nil {
			t.Error(err)
		}
	}
	synced = nil
	if err := s.Close(true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(synced, dir) {
		t.Errorf("Close synced %q, want %q (the final manifest)", synced, dir)
	}

	synced = nil
	in := filepath.Join(t.TempDir(), "point")
	p, err := Create(in, m, Options{Inside: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddRun(0, []Row{{Step: 0, Metric: "ties", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if len(synced) > 0 {
		t.Errorf("a set Inside synced %q, want nothing (its digests vouch for it)", synced)
	}
}

// syncDir itself works on a real folder.
func TestSyncDir(t *testing.T) {
	if err := syncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
}
