package scenarios_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
)

func TestOverlay(t *testing.T) {
	got, err := scenarios.ParseOverlay("fit.overlay", []byte("# fitted\n\nparameters.temperature=0.02\n  retrenchment.political=0.5  \n"))
	if err != nil || len(got) != 2 || got[0] != "parameters.temperature=0.02" || got[1] != "retrenchment.political=0.5" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := scenarios.ParseOverlay("bad.overlay", []byte("ok=1\nnot an override\n")); err == nil || !strings.Contains(err.Error(), "bad.overlay:2") {
		t.Fatalf("bad overlay: %v", err)
	}
	path := filepath.Join(t.TempDir(), "x.overlay")
	os.WriteFile(path, []byte("parameters.temperature=0.03\n"), 0o644)
	over, err := scenarios.ReadOverlay(path)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("classroom", over...)
	if err != nil || sc.Params.Temperature != 0.03 {
		t.Fatalf("overlay not applied: %v", err)
	}
	if _, err := scenarios.ReadOverlay(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("missing overlay accepted")
	}
}
