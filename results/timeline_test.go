package results_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"gonum.org/v1/gonum/graph/formats/gexf12"
)

// readTimeline parses a timeline GEXF with gonum's GEXF types.
func readTimeline(t *testing.T, b []byte) gexf12.Content {
	t.Helper()
	var c gexf12.Content
	if err := xml.Unmarshal(b, &c); err != nil {
		t.Fatalf("the timeline does not parse: %v", err)
	}
	if c.Graph.Mode != "dynamic" || c.Graph.TimeFormat != "double" {
		t.Fatalf("graph mode %q, timeformat %q: want dynamic, double", c.Graph.Mode, c.Graph.TimeFormat)
	}
	return c
}

// at reports whether step s lies in one of the spells.
func at(sp *gexf12.Spells, s int) bool {
	if sp == nil {
		return false
	}
	for _, x := range sp.Spells {
		a, _ := strconv.Atoi(x.Start)
		b, _ := strconv.Atoi(x.End)
		if a <= s && s <= b {
			return true
		}
	}
	return false
}

// valueAt is the value attribute for holds at step s ("" if none).
func valueAt(av *gexf12.AttValues, attr string, s int) string {
	for _, v := range av.AttValues {
		a, _ := strconv.Atoi(v.Start)
		b, _ := strconv.Atoi(v.End)
		if v.For == attr && a <= s && s <= b {
			return v.Value
		}
	}
	return ""
}

// nordicTimeline runs nordic-2022's first replicate (master seed seed) for
// steps steps, adding each step's snapshot to a timeline, and returns both.
func nordicTimeline(t *testing.T, seed uint64, steps int) (*results.Timeline, []results.Snapshot) {
	t.Helper()
	// partnerships at four opportunities a year (the defaults give 0.57),
	// so that in a short run ties end and come back: the timeline's spells
	sc, err := scenarios.Load("nordic-2022", "parameters.partnership_rate=4")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc.World, sc.Params, sim.RunSeed(seed, sc.Name, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	tl := results.NewTimeline(0)
	var snaps []results.Snapshot
	for step := 0; step <= steps; step++ {
		snap := results.SnapshotOf(s)
		if err := tl.Add(&snap); err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snap)
		s.Step()
	}
	return tl, snaps
}

// A timeline of a run holds, at every step, the network of that step: the
// actors in the system are the nodes whose spells cover it, the links of
// the projection the edges whose spells cover it, with that step's
// capability, weight, form and level; and it validates against the GEXF
// grammar (xmllint, when there).
func TestTimelineIsEveryStepsNetwork(t *testing.T) {
	const steps = 24
	tl, snaps := nordicTimeline(t, 1, steps)
	if err := tl.Add(&snaps[3]); err == nil {
		t.Fatal("a step added after a later one was taken")
	}
	var buf bytes.Buffer
	if err := results.WriteTimelineGEXF(&buf, tl); err != nil {
		t.Fatal(err)
	}
	c := readTimeline(t, buf.Bytes())
	if c.Graph.Start != "0" || c.Graph.End != strconv.Itoa(steps) {
		t.Fatalf("graph from %s to %s", c.Graph.Start, c.Graph.End)
	}
	changed := 0
	for step, snap := range snaps {
		var in []string
		for _, n := range snap.Nodes {
			if n.InSystem {
				in = append(in, n.ID)
			}
		}
		var got []string
		for _, n := range c.Graph.Nodes.Nodes {
			if at(n.Spells, step) {
				got = append(got, n.ID)
				want := ""
				for _, x := range snap.Nodes {
					if x.ID == n.ID {
						want = strconv.FormatFloat(x.Capability, 'g', -1, 64)
					}
				}
				if v := valueAt(n.AttValues, "capability", step); v != want {
					t.Fatalf("step %d: %s's capability %s, the snapshot's %s", step, n.ID, v, want)
				}
			}
		}
		if !slices.Equal(got, in) {
			t.Fatalf("step %d: nodes %v, the snapshot's %v", step, got, in)
		}
		links := snap.ExportLinks()
		want := map[string]results.Link{}
		for _, l := range links {
			want[l.ID] = l
		}
		n := 0
		for _, e := range c.Graph.Edges.Edges {
			if !at(e.Spells, step) {
				if _, ok := want[e.ID]; ok {
					t.Fatalf("step %d: link %s missing", step, e.ID)
				}
				continue
			}
			n++
			l, ok := want[e.ID]
			if !ok {
				t.Fatalf("step %d: edge %s, which the snapshot has not", step, e.ID)
			}
			if w := valueAt(e.AttValues, "weight", step); w != strconv.FormatFloat(l.Weight, 'g', -1, 64) {
				t.Fatalf("step %d: %s weight %s, the snapshot's %v", step, e.ID, w, l.Weight)
			}
			form, level := "", ""
			if l.Tie != nil {
				form, level = l.Tie.Form, l.Tie.Level
			}
			if f, lv := valueAt(e.AttValues, "form", step), valueAt(e.AttValues, "level", step); f != form || lv != level {
				t.Fatalf("step %d: %s form %q level %q, the snapshot's %q %q", step, e.ID, f, lv, form, level)
			}
		}
		if n != len(links) {
			t.Fatalf("step %d: %d edges, the snapshot %d links", step, n, len(links))
		}
		if step > 0 && fmt.Sprint(links) != fmt.Sprint(snaps[step-1].ExportLinks()) {
			changed++
		}
	}
	if changed < 5 {
		t.Fatalf("the network changed at only %d steps: too quiet a run to test the timeline", changed)
	}
	// one spell a continuous presence: an edge that ends and comes back has two
	two := false
	for _, e := range c.Graph.Edges.Edges {
		two = two || len(e.Spells.Spells) > 1
	}
	if !two {
		t.Error("no edge ended and came back: the spells are not exercised")
	}
	if xmllint, err := exec.LookPath("xmllint"); err == nil {
		f := filepath.Join(t.TempDir(), "timeline.gexf")
		os.WriteFile(f, buf.Bytes(), 0o644)
		if out, err := exec.Command(xmllint, "--noout", "--relaxng", filepath.Join("testdata", "gexf12-entente.rng"), f).CombinedOutput(); err != nil {
			t.Errorf("the timeline does not validate: %v\n%s", err, out)
		}
	}
}

// networkx reads the timeline (read_gexf, mode dynamic): at each of a few
// steps, the edges whose spells cover it are the snapshot's links, and an
// edge's values are intervals (networkx keeps one value of "weight", the
// name Gephi reads an edge's dynamic weight by). Skips without
// python3-networkx.
func TestTimelineReadsInNetworkx(t *testing.T) {
	py := findPython(t, "networkx")
	tl, snaps := nordicTimeline(t, 2, 16)
	want := map[int]int{}
	for step, snap := range snaps {
		want[step] = len(snap.ExportLinks())
	}
	f := filepath.Join(t.TempDir(), "timeline.gexf")
	var buf bytes.Buffer
	if err := results.WriteTimelineGEXF(&buf, tl); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(f, buf.Bytes(), 0o644)
	script := `
import sys, networkx as nx
g = nx.read_gexf(sys.argv[1])
assert g.graph["mode"] == "dynamic", g.graph
for step in (0, 5, 10, 16):
    n = sum(1 for _, _, d in g.edges(data=True) if any(a <= step <= b for a, b in d["spells"]))
    print(step, n)
v = next(iter(g.edges(data=True)))[2]["via"]
assert isinstance(v, list) and all(len(x) == 3 for x in v), v
`
	out, err := exec.Command(py, "-c", script, f).CombinedOutput()
	if err != nil {
		t.Fatalf("networkx: %v\n%s", err, out)
	}
	for _, step := range []int{0, 5, 10, 16} {
		if !bytes.Contains(out, []byte(fmt.Sprintf("%d %d\n", step, want[step]))) {
			t.Fatalf("networkx's edges at step %d differ from the snapshot's %d links:\n%s", step, want[step], out)
		}
	}
}
