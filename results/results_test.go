package results_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
	"gonum.org/v1/gonum/graph/formats/gexf12"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	flag.Parse()
	results.Version = "test" // golden files must not depend on -ldflags
	os.Exit(m.Run())
}

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func tinyManifest() results.Manifest {
	return results.Manifest{
		Tool: "entente", Version: "test", Commit: "",
		Scenario: "tiny", ScenarioFile: "builtin:tiny", ScenarioHash: "abc123",
		Overrides:  []string{"parameters.temperature=0.5"},
		Parameters: map[string]float64{"temperature": 0.5, "candidates": 8, "base_need": 0.1},
		Seed:       7, Replicates: 2, Steps: 3, Workers: 1,
		Metrics: []string{"ties", "capability"},
		Actors:  []string{"US", "JP", "A,B"},
		Started: t0,
	}
}

// tinyRun returns the rows of one replicate of a tiny made-up run.
func tinyRun(rep int) []results.Row {
	var rows []results.Row
	for step := 0; step < 3; step++ {
		rows = append(rows, results.Row{Step: step, Metric: "ties", Value: float64(step*2 + rep)})
		for i, a := range []string{"US", "JP", "A,B"} {
			v := 0.1*float64(i+1) + 0.01*float64(step) + 1e-7*float64(rep)
			if a == "A,B" && rep == 1 && step == 2 {
				v = math.NaN()
			}
			rows = append(rows, results.Row{Step: step, Metric: "capability", Actor: a, Value: v})
		}
	}
	return rows
}

func tinySnapshot() results.Snapshot {
	return results.Snapshot{
		Step: 2,
		Nodes: []results.Node{
			{ID: "US", Label: "United States", Kind: "state", Region: "Americas", Capability: 1, Economy: 0.25, Threat: 0.1, Reliability: 0.75, Patron: true, Groups: []string{"Quad", "c1"}, InSystem: true, Leads: []string{"c1"}},
			{ID: "JP", Label: "Japan & co <test>", Kind: "state", Region: "Asia", Capability: 0.125, Economy: 0.05, Threat: 0.5, Reliability: 0.9, Groups: []string{"Quad", "c1"}, InSystem: true, Organisations: []string{"A,B"}},
			{ID: "A,B", Label: "A,B", Kind: "organisation", Region: "Asia", Capability: 0.3, Economy: 0.01, Threat: 1e-7, Reliability: 1, Members: []string{"JP"}},
		},
		Edges: []results.Edge{
			{Source: "US", Target: "JP", Form: "alliance", Level: "advanced", LevelNum: 4, Flow: "US", Support: 0.02, Trust: 0.8, Age: 12, Weight: 4},
			{Source: "JP", Target: "A,B", Form: "cooperation", Level: "nominal", LevelNum: 1, Flow: "symmetric", Trust: 0.3, Age: 1, Weight: 1},
		},
		Groups: []results.GroupInfo{{ID: 3, Name: "Quad", Kind: "minilateral", Issue: "maritime", Level: "initial", Members: []string{"US", "JP"}},
			{ID: 4, Name: "c1", Kind: "coalition", Threat: "isis", Level: "nominal", Members: []string{"US", "JP"}, Leader: "US"}},
		Dyads: []results.Dyad{{A: "US", B: "JP", Via: "alliance"}},
	}
}

// writeTiny writes the tiny set into a fresh folder and returns it.
func writeTiny(t *testing.T, complete bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	s, err := results.Create(dir, tinyManifest(), results.Options{TieLists: true})
	if err != nil {
		t.Fatal(err)
	}
	reps := 2
	if !complete {
		reps = 1
	}
	for rep := 0; rep < reps; rep++ {
		if err := s.AddRun(rep, tinyRun(rep)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddSnapshot(0, tinySnapshot()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(complete, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func golden(t *testing.T, got []byte, name string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	dir := writeTiny(t, true)
	for _, f := range []string{
		"manifest.json", "timeseries.csv", "summary.csv",
		"snapshots/rep0_step2.graphml", "snapshots/rep0_step2.gexf",
		"snapshots/rep0_step2_ties.csv", "snapshots/rep0_step2_groups.csv", "snapshots/rep0_step2_dyads.csv",
	} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, got, strings.ReplaceAll(f, "/", "_"))
	}
}

func TestDeterministic(t *testing.T) {
	a, b := writeTiny(t, true), writeTiny(t, true)
	for _, f := range []string{"timeseries.csv", "summary.csv", "snapshots/rep0_step2.gexf"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between identical runs", f)
		}
	}
}

func TestNoTempFilesLeft(t *testing.T) {
	dir := writeTiny(t, true)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		if !d.IsDir() {
			if fi, _ := d.Info(); fi.Mode().Perm() != 0o644 {
				t.Errorf("%s has mode %v, want 0644", p, fi.Mode().Perm())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, dir)
	want := []string{"manifest.json", "snapshots/rep0_step2.gexf", "snapshots/rep0_step2.graphml",
		"snapshots/rep0_step2_dyads.csv", "snapshots/rep0_step2_groups.csv", "snapshots/rep0_step2_ties.csv", "summary.csv", "timeseries.csv"}
	if strings.Join(m.Files, " ") != strings.Join(want, " ") {
		t.Errorf("manifest files %v, want %v", m.Files, want)
	}
}

func TestTimeseriesHiddenUntilClose(t *testing.T) {
	dir := t.TempDir()
	s, err := results.Create(dir, tinyManifest(), results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddRun(0, tinyRun(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "timeseries.csv")); !os.IsNotExist(err) {
		t.Errorf("timeseries.csv visible before Close: %v", err)
	}
	m := readManifest(t, dir)
	if m.Complete || m.RunsDone != 0 {
		t.Errorf("manifest at Create: complete %v runs %d", m.Complete, m.RunsDone)
	}
	if err := s.AddRun(0, tinyRun(0)); err == nil {
		t.Error("adding replicate 0 twice: no error")
	}
	if err := s.AddRun(1, []results.Row{{Step: 0}}); err == nil {
		t.Error("row without metric: no error")
	}
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRun(2, tinyRun(2)); err == nil {
		t.Error("AddRun after Close: no error")
	}
}

func readManifest(t *testing.T, dir string) results.Manifest {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := results.ReadManifest(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestIncompleteClose(t *testing.T) {
	dir := writeTiny(t, false)
	m := readManifest(t, dir)
	if m.Complete || m.RunsDone != 1 {
		t.Errorf("complete %v runs_done %d, want false 1", m.Complete, m.RunsDone)
	}
	rows, err := results.ReadTimeseries(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := tinyRun(0); len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	sum, err := results.ReadSummary(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum {
		if r.N != 1 || !math.IsNaN(r.SD) || !math.IsNaN(r.CILow) || !math.IsNaN(r.CIHigh) || math.IsNaN(r.Mean) {
			t.Fatalf("n=1 row %+v: want NaN sd and interval, a mean", r)
		}
	}
}

func TestReadBack(t *testing.T) {
	dir := writeTiny(t, true)
	rows, err := results.ReadTimeseries(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var want []results.Row
	for rep := 0; rep < 2; rep++ {
		for _, r := range tinyRun(rep) {
			r.Replicate = rep
			want = append(want, r)
		}
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range rows {
		g, w := rows[i], want[i]
		if g.Replicate != w.Replicate || g.Step != w.Step || g.Metric != w.Metric || g.Actor != w.Actor ||
			!(g.Value == w.Value || math.IsNaN(g.Value) && math.IsNaN(w.Value)) {
			t.Errorf("row %d: got %+v, want %+v", i, g, w)
		}
	}
	sum, err := results.ReadSummary(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// steps 0..2 x (ties + 3 actors); the NaN at step 2 leaves A,B with n=1.
	if len(sum) != 12 {
		t.Fatalf("%d summary rows, want 12", len(sum))
	}
	if r := sum[11]; r.Step != 2 || r.Actor != "A,B" || r.N != 1 {
		t.Errorf("last summary row %+v, want step 2 actor A,B n 1", r)
	}
	if r := sum[0]; r.Metric != "ties" || r.N != 2 || r.Mean != 0.5 {
		t.Errorf("first summary row %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	_, err := results.ParseSummary(strings.NewReader("step,metric\n"), "x.csv")
	if err == nil || !strings.Contains(err.Error(), "x.csv:1") {
		t.Errorf("bad header: %v", err)
	}
	err = results.ScanTimeseries(strings.NewReader("replicate,step,metric,actor,value\n0,1,m,,zz\n"), "t.csv", func(results.Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "t.csv:2") || !strings.Contains(err.Error(), "value") {
		t.Errorf("bad value: %v", err)
	}
}

func TestWelfordVsTwoPass(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 50; trial++ {
		n := 2 + rng.IntN(200)
		xs := make([]float64, n)
		var w, w1, w2 results.Welford
		for i := range xs {
			xs[i] = 1e6 + rng.NormFloat64()*math.Pow(10, float64(rng.IntN(6)-3))
			w.Add(xs[i])
			if i < n/2 {
				w1.Add(xs[i])
			} else {
				w2.Add(xs[i])
			}
		}
		mean := 0.0
		for _, x := range xs {
			mean += x
		}
		mean /= float64(n)
		ss := 0.0
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / float64(n-1))
		w1.Merge(w2)
		for _, got := range []results.Welford{w, w1} {
			if math.Abs(got.Mean-mean) > 1e-12*math.Abs(mean) || math.Abs(got.SD()-sd) > 1e-8*sd {
				t.Fatalf("n=%d: welford mean %v sd %v, two-pass %v %v", n, got.Mean, got.SD(), mean, sd)
			}
		}
	}
}

func TestWelfordOfMerge(t *testing.T) {
	var a, b, all results.Welford
	for i, x := range []float64{3, 1, 4, 1, 5, 9, 2, 6} {
		all.Add(x)
		if i < 3 {
			a.Add(x)
		} else {
			b.Add(x)
		}
	}
	m := results.WelfordOf(a.Row(0, "m", ""))
	m.Merge(results.WelfordOf(b.Row(0, "m", "")))
	if m.N != all.N || math.Abs(m.Mean-all.Mean) > 1e-12 || math.Abs(m.SD()-all.SD()) > 1e-12 {
		t.Errorf("merged %+v, want %+v", m, all)
	}
}

func TestCI(t *testing.T) {
	if q := results.TQuantile(0.975, 4); math.Abs(q-2.776445) > 1e-5 {
		t.Errorf("t(0.975, 4) = %v, want 2.776", q)
	}
	var w results.Welford
	for _, x := range []float64{1, 2, 3, 4, 5} {
		w.Add(x)
	}
	// mean 3, sd sqrt(2.5), half width 2.776445 * sqrt(2.5)/sqrt(5)
	h := 2.7764451051977987 * math.Sqrt(2.5) / math.Sqrt(5)
	lo, hi := w.CI(0.95)
	if math.Abs(lo-(3-h)) > 1e-9 || math.Abs(hi-(3+h)) > 1e-9 {
		t.Errorf("CI = [%v, %v], want [%v, %v]", lo, hi, 3-h, 3+h)
	}
	var one results.Welford
	one.Add(1)
	if lo, hi := one.CI(0.95); !math.IsNaN(lo) || !math.IsNaN(hi) || !math.IsNaN(one.SD()) {
		t.Errorf("n=1: CI [%v, %v] sd %v, want NaN", lo, hi, one.SD())
	}
}

func TestCheckWritable(t *testing.T) {
	base := t.TempDir()
	if err := results.CheckWritable(filepath.Join(base, "a", "b")); err != nil {
		t.Fatalf("new nested folder: %v", err)
	}
	file := filepath.Join(base, "somefile")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(file, "sub")
	err := results.CheckWritable(bad)
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "--out") {
		t.Errorf("folder under a file: %v", err)
	}
	if _, err := results.Create(bad, tinyManifest(), results.Options{}); err == nil {
		t.Error("Create under a file: no error")
	}
	ro := filepath.Join(base, "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	err = results.CheckWritable(ro)
	if os.Geteuid() == 0 {
		t.Logf("running as root, read-only folder is writable: %v", err)
	} else if err == nil || !strings.Contains(err.Error(), ro) {
		t.Errorf("read-only folder: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Join(base, "a", "b"))
	if len(ents) != 0 {
		t.Errorf("probe left files: %v", ents)
	}
}

func TestGraphMLParsesBack(t *testing.T) {
	snap := tinySnapshot()
	var buf bytes.Buffer
	if err := results.WriteGraphML(&buf, &snap); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys []struct {
			ID   string `xml:"id,attr"`
			For  string `xml:"for,attr"`
			Name string `xml:"attr.name,attr"`
			Type string `xml:"attr.type,attr"`
		} `xml:"key"`
		Graph struct {
			EdgeDefault string `xml:"edgedefault,attr"`
			Nodes       []struct {
				ID   string `xml:"id,attr"`
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Graph.EdgeDefault != "undirected" || len(doc.Graph.Nodes) != 3 || len(doc.Graph.Edges) != 2 {
		t.Fatalf("parsed %+v", doc.Graph)
	}
	keys := map[string]string{}
	for _, k := range doc.Keys {
		keys[k.ID] = k.For + "/" + k.Type
	}
	for _, want := range []string{"label node/string", "capability node/double", "patron node/boolean", "level_num edge/int", "weight edge/double"} {
		f := strings.Fields(want)
		if keys[f[0]] != f[1] {
			t.Errorf("key %s: %q, want %q", f[0], keys[f[0]], f[1])
		}
	}
	n := doc.Graph.Nodes[1]
	got := map[string]string{}
	for _, d := range n.Data {
		got[d.Key] = d.Value
	}
	if n.ID != "JP" || got["label"] != "Japan & co <test>" || got["capability"] != "0.125" || got["groups"] != "Quad;c1" || got["organisations"] != "A,B" || got["in_system"] != "true" {
		t.Errorf("node JP: %v", got)
	}
	if e := doc.Graph.Edges[1]; e.Source != "JP" || e.Target != "A,B" {
		t.Errorf("edge 1: %+v", e)
	}
}

func TestGEXFParsesBack(t *testing.T) {
	snap := tinySnapshot()
	var buf bytes.Buffer
	if err := results.WriteGEXF(&buf, &snap); err != nil {
		t.Fatal(err)
	}
	var c gexf12.Content
	if err := xml.Unmarshal(buf.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	if c.Version != "1.2" || c.Graph.DefaultEdgeType != "undirected" || len(c.Graph.Attributes) != 2 {
		t.Fatalf("graph: version %q %+v", c.Version, c.Graph)
	}
	if len(c.Graph.Nodes.Nodes) != 3 || len(c.Graph.Edges.Edges) != 2 {
		t.Fatalf("%d nodes %d edges", len(c.Graph.Nodes.Nodes), len(c.Graph.Edges.Edges))
	}
	declared := map[string]bool{}
	for _, a := range c.Graph.Attributes {
		for _, x := range a.Attributes {
			declared[a.Class+"/"+x.ID] = true
		}
	}
	for _, n := range c.Graph.Nodes.Nodes {
		if n.Color == nil || n.Size == nil || n.AttValues == nil {
			t.Fatalf("node %s: missing viz or attvalues", n.ID)
		}
		for _, v := range n.AttValues.AttValues {
			if !declared["node/"+v.For] {
				t.Errorf("node %s: undeclared attribute %q", n.ID, v.For)
			}
		}
	}
	e := c.Graph.Edges.Edges[0]
	if e.Source != "US" || e.Target != "JP" || e.Weight != 4 || e.Thickness == nil || e.Thickness.Value != 4 || e.Shape != nil {
		t.Errorf("edge 0: %+v", e)
	}
	if e := c.Graph.Edges.Edges[1]; e.Shape == nil || e.Shape.Shape != "dashed" {
		t.Errorf("cooperation edge not dashed: %+v", e)
	}
	// Re-encode what we parsed: the same document.
	again, err := xml.Marshal(c)
	if err != nil || len(again) == 0 {
		t.Fatal(err)
	}
}

func TestSnapshotOf(t *testing.T) {
	w := simtest.Synthetic(40, 3)
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(3))
	if err != nil {
		t.Fatal(err)
	}
	s.Run(30)
	snap := results.SnapshotOf(s)
	if snap.Step != 30 || len(snap.Nodes) != 40 || len(snap.Edges) != s.NumTies() || len(snap.Groups) != s.NumGroups() {
		t.Fatalf("step %d nodes %d edges %d/%d groups %d/%d", snap.Step, len(snap.Nodes), len(snap.Edges), s.NumTies(), len(snap.Groups), s.NumGroups())
	}
	index := map[string]int{}
	for i, n := range snap.Nodes {
		if n.ID != w.Actors[i].ID {
			t.Fatalf("node %d is %s, want %s", i, n.ID, w.Actors[i].ID)
		}
		index[n.ID] = i
	}
	prev := [2]int{-1, -1}
	for _, e := range snap.Edges {
		k := [2]int{index[e.Source], index[e.Target]}
		if k[0] >= k[1] || k[0] < prev[0] || k[0] == prev[0] && k[1] <= prev[1] {
			t.Fatalf("edges not sorted: %v after %v", k, prev)
		}
		prev = k
		if e.LevelNum < 1 || e.LevelNum > 4 || e.Weight != float64(e.LevelNum) {
			t.Errorf("edge %+v", e)
		}
		if e.Flow != "symmetric" && e.Flow != e.Source && e.Flow != e.Target {
			t.Errorf("edge flow %q", e.Flow)
		}
	}
	for i := 1; i < len(snap.Groups); i++ {
		if snap.Groups[i].ID <= snap.Groups[i-1].ID {
			t.Errorf("groups not sorted by ID")
		}
	}
	var a, b bytes.Buffer
	if err := results.WriteGEXF(&a, &snap); err != nil {
		t.Fatal(err)
	}
	s2, _ := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(3))
	s2.Run(30)
	snap2 := results.SnapshotOf(s2)
	if err := results.WriteGEXF(&b, &snap2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same run, different GEXF")
	}
}

func TestChartsHook(t *testing.T) {
	dir := t.TempDir()
	var gotRows int
	var gotLast *results.Snapshot
	opt := results.Options{Formats: []string{"gexf"}, Charts: func(cdir string, rows []results.SummaryRow, last *results.Snapshot) ([]string, error) {
		gotRows, gotLast = len(rows), last
		return []string{"x.png"}, os.WriteFile(filepath.Join(cdir, "x.png"), []byte("png"), 0o644)
	}}
	s, err := results.Create(dir, tinyManifest(), opt)
	if err != nil {
		t.Fatal(err)
	}
	s.AddRun(0, tinyRun(0))
	s.AddRun(1, tinyRun(1))
	if err := s.AddSnapshot(1, tinySnapshot()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(true, t0); err != nil {
		t.Fatal(err)
	}
	if gotRows != 12 || gotLast == nil || gotLast.Step != 2 {
		t.Errorf("hook got %d rows, last %v", gotRows, gotLast)
	}
	m := readManifest(t, dir)
	if !m.Complete || m.RunsDone != 2 || strings.Join(m.Files, " ") != "charts/x.png manifest.json snapshots/rep1_step2.gexf summary.csv timeseries.csv" {
		t.Errorf("manifest %+v", m)
	}
	if _, err := results.Create(dir, tinyManifest(), results.Options{Formats: []string{"dot"}}); err == nil {
		t.Error("unknown format: no error")
	}
}

// sameSnapshot compares two snapshots field by field (NaN equal to NaN, a
// link's tie by value).
func sameSnapshot(a, b *results.Snapshot) bool {
	str := func(x any) string { return fmt.Sprintf("%+v", x) }
	if a.Step != b.Step || str(a.Nodes) != str(b.Nodes) || str(a.Edges) != str(b.Edges) || str(a.Groups) != str(b.Groups) ||
		str(a.Dyads) != str(b.Dyads) || len(a.Links) != len(b.Links) || (a.Links == nil) != (b.Links == nil) {
		return false
	}
	for i := range a.Links {
		x, y := a.Links[i], b.Links[i]
		if (x.Tie == nil) != (y.Tie == nil) || (x.Tie != nil && str(*x.Tie) != str(*y.Tie)) {
			return false
		}
		x.Tie, y.Tie = nil, nil
		if str(x) != str(y) {
			return false
		}
	}
	return true
}

// The report draws the first replicate's networks from AsFiled instead of
// reading their GraphML back: it must be what the file reads, on real
// snapshots and on names that need escaping; names XML cannot carry are
// left to the file.
func TestAsFiledIsWhatTheFileReads(t *testing.T) {
	check := func(name string, snap *results.Snapshot) bool {
		t.Helper()
		var buf bytes.Buffer
		if err := results.WriteGraphML(&buf, snap); err != nil {
			t.Fatal(err)
		}
		read, err := results.ReadGraphML(&buf)
		if err != nil {
			t.Fatal(err)
		}
		filed, ok := results.AsFiled(snap)
		if ok && !sameSnapshot(&filed, &read) {
			t.Fatalf("%s: AsFiled differs from what its GraphML reads:\n%+v\n---\n%+v", name, filed, read)
		}
		return ok
	}
	n := 0
	for _, w := range []*sim.World{simtest.Synthetic(60, 2), simtest.HubAndSpoke(12, 0.5, 3), simtest.Terror(5, 20)} {
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(5))
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; step <= 40; step++ {
			if step%5 == 0 {
				snap := results.SnapshotOf(s)
				if !check(fmt.Sprintf("step %d", step), &snap) {
					t.Fatalf("step %d: AsFiled refused a snapshot of plain names", step)
				}
				n += len(snap.Groups) + len(snap.Edges)
			}
			s.Step()
		}
	}
	if n == 0 {
		t.Fatal("no ties or groups in the snapshots checked")
	}
	odd := results.Snapshot{Step: 2,
		Nodes: []results.Node{{ID: "A&B", Label: `"<x>" & 'y'`, Kind: "state", Region: "a\tb\nc", InSystem: true, Groups: []string{"g<1>", "g&2"}, Capability: math.NaN()},
			{ID: "C", Label: "", Kind: "state", InSystem: true, Groups: []string{"g&2"}, Leads: []string{"g&2"}}},
		Edges: []results.Edge{{Source: "A&B", Target: "C", Form: "alliance", Level: "initial", LevelNum: 2, Flow: "symmetric", Trust: 0.5, Age: 3, Weight: 2}}}
	if !check("escaped names", &odd) {
		t.Fatal("AsFiled refused names XML carries")
	}
	for _, bad := range []string{"a\rb", "a\x01b", "a\xffb", "a\uFFFDb"} {
		snap := odd
		snap.Nodes = slices.Clone(odd.Nodes)
		snap.Nodes[1].Label = bad
		if check(fmt.Sprintf("%q", bad), &snap) {
			t.Fatalf("AsFiled kept a name XML does not carry as it is: %q", bad)
		}
	}
}

// A (step, metric, actor) whose every replicate is NaN (ties of an actor
// while it is absent) has no row in summary.csv: NaN values count in no n,
// and a key without a value is not summarised. Nothing is written as NaN,
// Inf or a number out of nothing; a key with one value has n = 1 and empty
// sd and interval.
func TestSummaryOfAnAllNaNKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	m := tinyManifest()
	m.Actors = []string{"US", "RU"}
	s, err := results.Create(dir, m, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for rep := 0; rep < 2; rep++ {
		var rows []results.Row
		for step := 0; step < 3; step++ {
			ru := math.NaN() // absent at steps 0 and 1, present in replicate 1 at step 2
			if step == 2 && rep == 1 {
				ru = 3
			}
			rows = append(rows, results.Row{Step: step, Metric: "ties", Actor: "US", Value: float64(step + rep)},
				results.Row{Step: step, Metric: "ties", Actor: "RU", Value: ru})
		}
		if err := s.AddRun(rep, rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(true, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var ru []string
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if strings.Contains(l, "NaN") || strings.Contains(l, "Inf") {
			t.Errorf("summary.csv line %q: want empty fields for missing numbers", l)
		}
		if strings.Contains(l, ",RU,") {
			ru = append(ru, l)
		}
	}
	if want := []string{"2,ties,RU,1,3,,,"}; !slices.Equal(ru, want) || strings.Count(string(b), "\n") != 5 {
		t.Errorf("summary.csv:\n%s\nwant a header, 3 rows of US and of RU only %q", b, want)
	}
}
