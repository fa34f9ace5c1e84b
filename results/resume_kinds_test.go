package results_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/entente/entente/results"
)

// Resume continues a run's result set; a folder that holds another kind
// of result set (a branching run, a comparison, a calibration, a
// hypercube) has no manifest.json, and Resume must refuse it, as it
// refuses a sweep, rather than delete it.
func TestResumeKeepsOtherKindsOfSets(t *testing.T) {
	for _, kind := range [][]string{
		{"branches.json", "differences.csv", "branches/"},
		{"compare.json", "compare.csv"},
		{"evaluations.tsv"},
		{"calibrated.overlay", "fit.json"},
		{"hypercube.json", "hypercube.csv"},
	} {
		dir := t.TempDir()
		for _, n := range kind {
			if n[len(n)-1] == '/' {
				if err := os.MkdirAll(filepath.Join(dir, n, "a"), 0o755); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := os.WriteFile(filepath.Join(dir, n), []byte("precious\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		set, err := results.Create(dir, tinyManifest(), results.Options{Mode: results.Resume, Resumable: true})
		if err == nil {
			set.Close(false, t0)
		}
		for _, n := range kind {
			if _, serr := os.Stat(filepath.Join(dir, n)); serr != nil {
				t.Errorf("%v: Create(Resume) = %v, and it removed %s", kind, err, n)
			}
		}
	}
}
