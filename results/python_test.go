package results_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/sweep"
)

// The Python snippets of docs/python-r.md run as they are, with Debian's
// python3-pandas and python3-networkx, on a real result set and a real sweep
// made where the guide puts them (results/out/tw, results/out/sw); the test
// skips, loudly, without them.
func TestPythonGuide(t *testing.T) {
	py := findPython(t, "pandas", "networkx")
	doc, err := os.ReadFile(filepath.Join("..", "docs", "python-r.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```python\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 4 {
		t.Fatalf("docs/python-r.md has %d python blocks", len(blocks))
	}
	work := t.TempDir()
	sc, err := scenarios.Load("taiwan-crisis")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &runner.Config{Scenario: sc, Seed: 1, Replicates: 2, Steps: 30, Snapshots: []int{0, -1}, Workers: 2,
		Out: filepath.Join(work, "results", "out", "tw"), TieLists: true, Events: true}
	if _, err := runner.RunScenario(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	f1, _ := sweep.ParseFactor("retrenchment.political=0:1:5")
	f2, _ := sweep.ParseFactor("parameters.temperature=0.5,1")
	sw := &sweep.Config{Scenario: "classroom", Factors: []sweep.Factor{f1, f2}, Replicates: 2, Steps: 20, Seed: 1, Workers: 2,
		Out: filepath.Join(work, "results", "out", "sw")}
	if _, err := sweep.Run(context.Background(), sw); err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		cmd := exec.Command(py, "-c", b[1])
		cmd.Dir = work
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("python block %d of docs/python-r.md failed: %v\n%s\n--- block\n%s", i+1, err, out, b[1])
			continue
		}
		if len(strings.TrimSpace(string(out))) == 0 {
			t.Errorf("python block %d printed nothing", i+1)
		}
		// the networkx block must find the engine's transitivity and components
		if strings.Contains(b[1], "nx.transitivity") {
			for _, l := range strings.Split(string(out), "\n") {
				f := strings.Fields(l)
				if len(f) == 3 && (f[0] == "transitivity" || f[0] == "components") && !sameNumber(f[1], f[2]) {
					t.Errorf("networkx and the engine differ: %s", l)
				}
			}
		}
	}
}

func sameNumber(a, b string) bool {
	var x, y float64
	if _, err := fmtSscan(a, &x); err != nil {
		return false
	}
	if _, err := fmtSscan(b, &y); err != nil {
		return false
	}
	d := x - y
	return d < 1e-9 && d > -1e-9
}
