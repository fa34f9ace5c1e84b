package cdm_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// dataDir is the shared panel beside the repository (CI clones shared/ there).
func dataDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "empirical")
	if _, err := os.Stat(filepath.Join(dir, cdm.NodesFile)); err != nil {
		t.Skipf("CDM panel not found at %s (shared/ must sit beside the repository): %v", dir, err)
	}
	return dir
}

func TestReadPanel(t *testing.T) {
	p, err := cdm.ReadPanel(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.States) != 164 || p.First != 1981 || p.Last != 2000 {
		t.Fatalf("panel: %d states, %d..%d; want 164, 1981..2000", len(p.States), p.First, p.Last)
	}
	if n := len(p.Network(1981)); n != 625 {
		t.Errorf("1981 alliances = %d, want 625", n)
	}
	if n := len(p.Network(2000)); n != 767 {
		t.Errorf("2000 alliances = %d, want 767", n)
	}
	usa := p.Index("USA")
	if p.Names[usa] != "United States of America" || p.Codes[usa] != 2 || cdm.Region(p.Codes[usa]) != "Americas" {
		t.Errorf("USA: %q %d", p.Names[usa], p.Codes[usa])
	}
	if len(p.Contiguity) != 507 {
		t.Errorf("contiguity = %d pairs, want 507", len(p.Contiguity))
	}
}

// naive statistics straight from the panel's edge list.
func panelStats(n int, es []cdm.Edge) (edges int, density, trans float64, iso int) {
	adj := make([][]bool, n)
	for i := range adj {
		adj[i] = make([]bool, n)
	}
	deg := make([]int, n)
	for _, e := range es {
		adj[e.A][e.B], adj[e.B][e.A] = true, true
		deg[e.A]++
		deg[e.B]++
	}
	tri, trip := 0, 0
	for i := 0; i < n; i++ {
		if deg[i] == 0 {
			iso++
		}
		trip += deg[i] * (deg[i] - 1) / 2
		for j := 0; j < n; j++ {
			for k := j + 1; k < n; k++ {
				if adj[i][j] && adj[i][k] && adj[j][k] {
					tri++
				}
			}
		}
	}
	return len(es), float64(len(es)) / float64(n*(n-1)/2), float64(tri) / float64(trip), iso
}

func TestImportReproducesObservedYear(t *testing.T) {
	dir := dataDir(t)
	p, err := cdm.ReadPanel(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, year := range []int{1981, 1990} {
		data, err := cdm.Import(dir, year)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse("cdm.yaml", data)
		if err != nil {
			t.Fatalf("%d: the imported scenario does not load: %v", year, err)
		}
		if sc.Steps != 2000-year || len(sc.World.Actors) != 164 {
			t.Fatalf("%d: steps %d, actors %d", year, sc.Steps, len(sc.World.Actors))
		}
		s, err := sim.New(sc.World, sc.Params, sim.SeedFromInt(1))
		if err != nil {
			t.Fatal(err)
		}
		ob, err := metrics.NewObserver(sc.World, metrics.Options{Metrics: []string{"ties_total", "density", "transitivity", "isolates"}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, v := range ob.Observe(s, nil) {
			got[v.Metric] = v.Value
		}
		edges, dens, trans, iso := panelStats(164, p.Network(year))
		if year == 1981 && (edges != 625 || dens < 0.0467 || dens > 0.0468) {
			t.Errorf("1981 panel: %d edges, density %g; want 625, 0.0468", edges, dens)
		}
		if got["ties_total"] != float64(edges) || !near(got["density"], dens) || !near(got["transitivity"], trans) || got["isolates"] != float64(iso) {
			t.Errorf("%d step 0: ties %g density %g transitivity %g isolates %g; panel %d %g %g %d",
				year, got["ties_total"], got["density"], got["transitivity"], got["isolates"], edges, dens, trans, iso)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestImportAttributes(t *testing.T) {
	data, err := cdm.Import(dataDir(t), 1981)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse("cdm.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	w := sc.World
	usa := w.Actors[w.ActorIndex("USA")]
	if usa.Capability != 0.1392099 || usa.Region != "Americas" || usa.Values[0] != 1 || usa.Values[1] != 1 {
		t.Errorf("USA = %+v", usa)
	}
	if r := w.Actors[w.ActorIndex("JPN")].Region; r != "Asia" {
		t.Errorf("JPN region %s", r)
	}
	if len(w.Threats) == 0 || w.Threats[0].Kind != "conventional" {
		t.Fatalf("threats: %d", len(w.Threats))
	}
	if !strings.Contains(string(data), "name: mid-USA") {
		t.Error("no threat sourced at the USA (MIDs with CUB, NIC, LIB ...)")
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	src := dataDir(t)
	dir := t.TempDir()
	for _, f := range []string{cdm.NodesFile, cdm.AlliancesFile, cdm.MIDsFile, cdm.ContiguityFile, cdm.StatesFile} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == cdm.AlliancesFile {
			lines := strings.SplitN(string(b), "\n", 4)
			lines[2] = "1981,USA,XXX"
			b = []byte(strings.Join(lines, "\n"))
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := cdm.ReadPanel(dir)
	if err == nil || !strings.Contains(err.Error(), cdm.AlliancesFile+":3:") || !strings.Contains(err.Error(), "XXX") {
		t.Errorf("malformed line: %v; want the file, line 3 and the bad state", err)
	}
	os.Remove(filepath.Join(dir, cdm.MIDsFile))
	if _, err := cdm.ReadPanel(dir); err == nil || !strings.Contains(err.Error(), cdm.AlliancesFile) {
		t.Errorf("missing or bad file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, cdm.AlliancesFile), []byte("year,state1,state2\n1981,USA\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cdm.ReadPanel(dir); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("short line: %v", err)
	}
	os.Remove(filepath.Join(dir, cdm.AlliancesFile))
	if _, err := cdm.ReadPanel(dir); err == nil || !strings.Contains(err.Error(), "file missing") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := cdm.Import(src, 2000); err == nil {
		t.Error("import of the last year accepted")
	}
}
