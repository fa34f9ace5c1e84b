package charts_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// summaryOf runs a small synthetic world for a few replicates and returns its
// summary with per-actor and network-level metrics, and the last snapshot.
func summaryOf(t testing.TB, actors, reps, steps int) ([]results.SummaryRow, results.Snapshot) {
	w := simtest.Synthetic(actors, 5)
	sum := results.NewSummarizer()
	var snap results.Snapshot
	for rep := 0; rep < reps; rep++ {
		s, err := sim.New(w, sim.DefaultParams(), sim.RunSeed(5, "test", 0, rep))
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; step <= steps; step++ {
			if step > 0 {
				s.Step()
			}
			sum.Add(step, "ties", "", float64(s.NumTies()))
			sum.Add(step, "groups", "", float64(s.NumGroups()))
			for i := 0; i < s.N(); i++ {
				sum.Add(step, "effective_capability", w.Actors[i].ID, s.EffectiveCapability(i))
			}
		}
		snap = results.SnapshotOf(s)
	}
	return sum.Rows(), snap
}

func TestWrite(t *testing.T) {
	rows, snap := summaryOf(t, 60, 5, 40)
	dir := t.TempDir()
	files, err := charts.Write(dir, rows, &snap)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ties.svg", "groups.svg", "effective_capability.svg", "network.svg", "network.png"}
	if fmt.Sprint(files) != fmt.Sprint(want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 1000 {
			t.Errorf("%s: only %d bytes", f, len(b))
		}
		switch filepath.Ext(f) {
		case ".png":
			if !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Errorf("%s is not a PNG", f)
			}
		case ".svg":
			if !bytes.Contains(b[:min(len(b), 500)], []byte("<svg")) {
				t.Errorf("%s is not an SVG", f)
			}
		}
	}
	if os.Getenv("ENTENTE_KEEP_CHARTS") != "" {
		for _, f := range files {
			b, _ := os.ReadFile(filepath.Join(dir, f))
			os.WriteFile(filepath.Join(os.Getenv("ENTENTE_KEEP_CHARTS"), f), b, 0o644)
		}
	}
}

func TestNetworkDeterministic(t *testing.T) {
	_, snap := summaryOf(t, 40, 1, 20)
	a, b := charts.Layout(&snap, 3), charts.Layout(&snap, 3)
	for i := range a {
		if a[i] != b[i] || math.IsNaN(a[i].X) || math.IsInf(a[i].X, 0) {
			t.Fatalf("node %d: %v then %v", i, a[i], b[i])
		}
	}
	dir := t.TempDir()
	for _, name := range []string{"1.png", "2.png"} {
		if err := charts.Network(snap, filepath.Join(dir, name), 3); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(filepath.Join(dir, "1.png"))
	y, _ := os.ReadFile(filepath.Join(dir, "2.png"))
	if !bytes.Equal(x, y) {
		t.Error("same snapshot and seed, different PNG")
	}
}

func TestEdgeCases(t *testing.T) {
	dir := t.TempDir()
	if err := charts.Series(nil, "none", filepath.Join(dir, "x.png")); err == nil {
		t.Error("no rows: no error")
	}
	one := []results.SummaryRow{{Step: 0, Metric: "m", N: 1, Mean: 1, SD: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()},
		{Step: 1, Metric: "m", N: 1, Mean: 2, SD: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}}
	if err := charts.Series(one, "m", filepath.Join(dir, "m.png")); err != nil {
		t.Errorf("one replicate: %v", err)
	}
	if err := charts.Series(one, "m", filepath.Join(dir, "m.pdf")); err == nil {
		t.Error("pdf: no error")
	}
	if err := charts.Network(results.Snapshot{}, filepath.Join(dir, "empty.svg"), 1); err != nil {
		t.Errorf("empty network: %v", err)
	}
	single := results.Snapshot{Nodes: []results.Node{{ID: "A", Capability: 1, Patron: true}}}
	if err := charts.Network(single, filepath.Join(dir, "single.png"), 1); err != nil {
		t.Errorf("one node: %v", err)
	}
	if got := charts.FileName("a/b c.."); got != "a_b_c" {
		t.Errorf("FileName = %q", got)
	}
}

// A hub with many ties made the plain Eades step (Rate 0.01) diverge to
// 1e306 on the baseline scenario; the layout must stay bounded.
func TestLayoutHubBounded(t *testing.T) {
	snap := results.Snapshot{}
	for i := 0; i < 80; i++ {
		snap.Nodes = append(snap.Nodes, results.Node{ID: fmt.Sprint("N", i), Kind: "state", Capability: 0.1})
	}
	for i := 1; i < 80; i++ {
		snap.Edges = append(snap.Edges, results.Edge{Source: "N0", Target: fmt.Sprint("N", i), Form: "cooperation", LevelNum: 4})
		if i%3 == 0 {
			snap.Edges = append(snap.Edges, results.Edge{Source: fmt.Sprint("N", i-1), Target: fmt.Sprint("N", i), Form: "alliance", LevelNum: 2})
		}
	}
	pos := charts.Layout(&snap, 1)
	for i, p := range pos {
		if !(math.Abs(p.X) < 100 && math.Abs(p.Y) < 100) {
			t.Fatalf("node %d at %v: layout diverged", i, p)
		}
	}
}

func TestSetWithCharts(t *testing.T) {
	_, snap := summaryOf(t, 30, 1, 5)
	dir := t.TempDir()
	s, err := results.Create(dir, results.NewManifest(), results.Options{Charts: charts.Write, Formats: []string{results.FormatGraphML}})
	if err != nil {
		t.Fatal(err)
	}
	for rep := 0; rep < 3; rep++ {
		var rs []results.Row
		for step := 0; step < 5; step++ {
			rs = append(rs, results.Row{Step: step, Metric: "ties", Value: float64(step + rep)})
		}
		if err := s.AddRun(rep, rs); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddSnapshot(0, snap); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(true, time.Now()); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := results.ReadManifest(f)
	if err != nil {
		t.Fatal(err)
	}
	want := "charts/network.png charts/network.svg charts/ties.svg manifest.json snapshots/rep0_step5.graphml summary.csv timeseries.csv"
	if got := fmt.Sprint(m.Files); got != "["+want+"]" {
		t.Errorf("files %s, want [%s]", got, want)
	}
}

// A metric that is 0 throughout gets no chart; ZeroMetrics names it.
func TestNoAllZeroCharts(t *testing.T) {
	var rows []results.SummaryRow
	for step := 0; step < 5; step++ {
		rows = append(rows, results.SummaryRow{Step: step, Metric: "coalitions", N: 3, Mean: 0, SD: 0, CILow: 0, CIHigh: 0},
			results.SummaryRow{Step: step, Metric: "density", N: 3, Mean: 0.1 * float64(step), SD: 0.01, CILow: 0.1*float64(step) - 0.01, CIHigh: 0.1*float64(step) + 0.01})
	}
	files, err := charts.Write(t.TempDir(), rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(files) != "[density.svg]" {
		t.Errorf("files %v, want only density.svg", files)
	}
	if z := charts.ZeroMetrics(rows); fmt.Sprint(z) != "[coalitions]" {
		t.Errorf("zero metrics %v", z)
	}
}

// svgYs returns the y coordinates of every polyline and polygon point of an
// SVG written by the charts.
func svgYs(t *testing.T, svg string) (ys []float64, height float64) {
	t.Helper()
	fmt.Sscanf(svg[strings.Index(svg, `viewBox="0 0 `)+len(`viewBox="0 0 `):], "%f %f", new(float64), &height)
	for _, chunk := range strings.Split(svg, `points="`)[1:] {
		pts := chunk[:strings.IndexByte(chunk, '"')]
		for _, p := range strings.Fields(pts) {
			var x, y float64
			fmt.Sscanf(strings.Replace(p, ",", " ", 1), "%f %f", &x, &y)
			ys = append(ys, y)
		}
	}
	return ys, height
}

// Bands are never clipped: every point of every band and line lies inside
// the plot area, even when a band reaches far beyond the means.
func TestBandsInsideTheChart(t *testing.T) {
	var rows []results.SummaryRow
	for step := 0; step < 20; step++ {
		m := float64(step % 4)
		rows = append(rows, results.SummaryRow{Step: step, Metric: "ties_total", N: 2, Mean: m, SD: 1, CILow: 0, CIHigh: m + 30})
	}
	var buf bytes.Buffer
	if err := charts.SeriesSVG(&buf, rows, "ties_total"); err != nil {
		t.Fatal(err)
	}
	ys, h := svgYs(t, buf.String())
	for _, y := range ys {
		if y < 0 || y > h {
			t.Fatalf("a point at y = %v outside the chart of height %v", y, h)
		}
	}
	var resp bytes.Buffer
	x := []float64{0, 0.5, 1}
	if err := charts.ResponseSVG(&resp, x, []float64{1, 2, 3}, []float64{-5, 0, 1}, []float64{10, 20, 30}, "k", "y", "t"); err != nil {
		t.Fatal(err)
	}
	ys, h = svgYs(t, resp.String())
	for _, y := range ys {
		if y < 0 || y > h {
			t.Fatalf("response: a point at y = %v outside the chart of height %v", y, h)
		}
	}
}

// The network drawing labels the focus actors, draws groups as hulls named
// after them (a coalition with its leader) and fades actors not yet in the
// system; regions lie apart.
func TestNetworkFocusHullsRegions(t *testing.T) {
	snap := results.Snapshot{Step: 3, Links: []results.Link{}}
	for i := 0; i < 30; i++ {
		region := []string{"Europe", "Asia", "Americas"}[i%3]
		snap.Nodes = append(snap.Nodes, results.Node{ID: fmt.Sprintf("S%02d", i), Kind: "state", Region: region, Capability: 0.01 * float64(i+1), InSystem: i != 29})
	}
	snap.Groups = []results.GroupInfo{
		{ID: 1, Name: "Quad", Kind: "minilateral", Members: []string{"S00", "S03", "S06"}},
		{ID: 2, Name: "coalition-2", Kind: "coalition", Members: []string{"S01", "S04"}, Leader: "S01"},
	}
	var buf bytes.Buffer
	if err := charts.NetworkSVG(&buf, &snap, charts.NetworkOptions{Focus: []string{"S02"}}); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, want := range []string{`font-weight="bold" fill="#222222">S02</text>`, ">Quad</text>", ">coalition-2 (led by S01)</text>", "not yet in the system"} {
		if !strings.Contains(svg, want) {
			t.Errorf("drawing lacks %q", want)
		}
	}
	pos := charts.Layout(&snap, 0)
	centre := map[string][2]float64{}
	count := map[string]float64{}
	for i, n := range snap.Nodes {
		c := centre[n.Region]
		centre[n.Region] = [2]float64{c[0] + pos[i].X, c[1] + pos[i].Y}
		count[n.Region]++
	}
	// each actor is nearer its own region's centre than any other's
	for i, n := range snap.Nodes {
		d := func(r string) float64 {
			c := centre[r]
			return math.Hypot(pos[i].X-c[0]/count[r], pos[i].Y-c[1]/count[r])
		}
		for r := range centre {
			if r != n.Region && d(r) < d(n.Region) {
				t.Errorf("%s (%s) nearer the centre of %s", n.ID, n.Region, r)
			}
		}
	}
}
