package results_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// engineRun is a built-in scenario run to a step, with its snapshot and the
// engine's metrics at that step.
type engineRun struct {
	name  string
	snap  results.Snapshot
	value map[string]float64 // metric or metric/actor -> value
}

var exportMetrics = []string{"edges", "transitivity", "components", "isolates", "degree", "strength"}

func runEngine(t testing.TB, name string, steps int, over ...string) engineRun {
	t.Helper()
	sc, err := scenarios.Load(name, over...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc.World, sc.Params, sim.RunSeed(1, sc.Name, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for i := range sc.World.Actors {
		actors = append(actors, sc.World.Actors[i].ID)
	}
	ob, err := metrics.NewObserver(sc.World, metrics.Options{Metrics: exportMetrics, Actors: actors, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s.Run(steps)
	r := engineRun{name: name, snap: results.SnapshotOf(s), value: map[string]float64{}}
	for _, v := range ob.Observe(s, nil) {
		k := v.Metric
		if v.Actor != "" {
			k += "/" + v.Actor
		}
		r.value[k] = v.Value
	}
	return r
}

// graphOf parses a GraphML export into an adjacency by node ID, with the
// edges' weights.
func graphOf(t testing.TB, data []byte) (nodes []string, adj map[string]map[string]float64, ids map[[2]string]string) {
	t.Helper()
	var doc struct {
		Graph struct {
			Nodes []struct {
				ID string `xml:"id,attr"`
			} `xml:"node"`
			Edges []struct {
				ID     string `xml:"id,attr"`
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	adj = map[string]map[string]float64{}
	ids = map[[2]string]string{}
	for _, n := range doc.Graph.Nodes {
		nodes = append(nodes, n.ID)
		adj[n.ID] = map[string]float64{}
	}
	for _, e := range doc.Graph.Edges {
		w := math.NaN()
		for _, d := range e.Data {
			if d.Key == "weight" {
				fmt.Sscan(d.Value, &w)
			}
		}
		if _, dup := adj[e.Source][e.Target]; dup || e.Source == e.Target {
			t.Fatalf("edge %s-%s twice or a loop", e.Source, e.Target)
		}
		adj[e.Source][e.Target], adj[e.Target][e.Source] = w, w
		ids[[2]string{e.Source, e.Target}] = e.ID
	}
	return nodes, adj, ids
}

// The GraphML export holds the graph the structural metrics are computed on:
// its edges, transitivity, components, isolates, degrees and strengths,
// computed from the file alone, are the engine's.
func TestGraphMLReproducesTheMetrics(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps int
	}{{"baseline", 40}, {"nordic-2022", 12}, {"counter-isis", 20}, {"taiwan-crisis", 30}} {
		r := runEngine(t, c.name, c.steps)
		var buf bytes.Buffer
		if err := results.WriteGraphML(&buf, &r.snap); err != nil {
			t.Fatal(err)
		}
		nodes, adj, _ := graphOf(t, buf.Bytes())
		m, triangles, triplets, isolates := 0, 0, 0, 0
		for _, u := range nodes {
			k := len(adj[u])
			m += k
			triplets += k * (k - 1) / 2
			if k == 0 {
				isolates++
			}
			for v := range adj[u] {
				for w := range adj[u] {
					if v < w {
						if _, ok := adj[v][w]; ok {
							triangles++
						}
					}
				}
			}
			strength := 0.0
			for _, x := range adj[u] {
				strength += x
			}
			if got, want := float64(k), r.value["degree/"+u]; got != want {
				t.Errorf("%s: degree of %s %v in the file, %v in the engine", c.name, u, got, want)
			}
			if want := r.value["strength/"+u]; math.Abs(strength-want) > 1e-9*max(1, want) {
				t.Errorf("%s: strength of %s %v in the file, %v in the engine", c.name, u, strength, want)
			}
		}
		trans := 0.0
		if triplets > 0 {
			trans = float64(triangles) / float64(triplets)
		}
		comps := components(nodes, adj)
		for _, x := range []struct {
			metric string
			got    float64
		}{{"edges", float64(m / 2)}, {"transitivity", trans}, {"components", float64(comps)}, {"isolates", float64(isolates)}} {
			if want := r.value[x.metric]; math.Abs(x.got-want) > 1e-9 {
				t.Errorf("%s step %d: %s %v from the GraphML, %v from the engine", c.name, c.steps, x.metric, x.got, want)
			}
		}
		// the GEXF holds the same links
		var gx bytes.Buffer
		if err := results.WriteGEXF(&gx, &r.snap); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(gx.String(), "<edge "); n != m/2 {
			t.Errorf("%s: GEXF has %d edges, GraphML %d", c.name, n, m/2)
		}
	}
}

func components(nodes []string, adj map[string]map[string]float64) int {
	seen := map[string]bool{}
	n := 0
	for _, u := range nodes {
		if seen[u] {
			continue
		}
		n++
		stack := []string{u}
		seen[u] = true
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for y := range adj[x] {
				if !seen[y] {
					seen[y] = true
					stack = append(stack, y)
				}
			}
		}
	}
	return n
}

// Edge IDs are the same for a pair in every snapshot of a run; leaders,
// memberships, entry and defence dyads are exported.
func TestExportsAreStableAndComplete(t *testing.T) {
	sc, err := scenarios.Load("nordic-2022")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc.World, sc.Params, sim.RunSeed(1, sc.Name, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[[2]string]string{}
	members := false
	for step := 0; step <= 12; step += 4 {
		snap := results.SnapshotOf(s)
		var buf bytes.Buffer
		if err := results.WriteGraphML(&buf, &snap); err != nil {
			t.Fatal(err)
		}
		_, _, got := graphOf(t, buf.Bytes())
		for pair, id := range got {
			if old, ok := ids[pair]; ok && old != id {
				t.Fatalf("step %d: edge %v has ID %q, %q before", step, pair, id, old)
			}
			ids[pair] = id
		}
		for _, n := range snap.Nodes {
			if len(n.Members) > 0 {
				members = true
			}
		}
		var dy bytes.Buffer
		if err := results.WriteDyads(&dy, &snap); err != nil {
			t.Fatal(err)
		}
		var want []string
		for d := range s.DefenceDyads() {
			v := "alliance"
			if d.Via >= 0 {
				v = sc.World.Actors[d.Via].ID
			}
			want = append(want, sc.World.Actors[d.A].ID+","+sc.World.Actors[d.B].ID+","+v)
		}
		if got := strings.Split(strings.TrimSpace(dy.String()), "\n")[1:]; !slices.Equal(got, want) {
			t.Errorf("step %d: dyads %q, want %q", step, got, want)
		}
		for i := range snap.Nodes {
			if snap.Nodes[i].InSystem != s.InSystem(i) {
				t.Errorf("node %s in_system %v", snap.Nodes[i].ID, snap.Nodes[i].InSystem)
			}
		}
		s.Run(4)
	}
	if !members {
		t.Error("no organisation lists its members")
	}
	// a coalition's leader is exported
	sc, _ = scenarios.Load("counter-isis")
	s, _ = sim.New(sc.World, sc.Params, sim.RunSeed(1, sc.Name, 0, 0))
	for range 40 {
		s.Step()
		snap := results.SnapshotOf(s)
		for _, g := range snap.Groups {
			if g.Kind == "coalition" && g.Leader != "" {
				i := sc.World.ActorIndex(g.Leader)
				if !slices.Contains(snap.Nodes[i].Leads, g.Name) {
					t.Fatalf("leader %s of %s does not list it", g.Leader, g.Name)
				}
				return
			}
		}
	}
	t.Error("no coalition with a leader in 40 steps of counter-isis")
}

// networkx reads the GraphML export and, on the actors in the system,
// finds the engine's transitivity, components and degrees (Debian's
// python3-networkx; skipped, loudly, without it). In "entrants" states
// enter after the snapshot: they are nodes with in_system false, which the
// metrics do not count.
func TestNetworkxReproducesTheMetrics(t *testing.T) {
	py := findPython(t, "networkx")
	dir := t.TempDir()
	want := map[string]map[string]float64{}
	// three states that start with no tie or group can enter later
	sc, err := scenarios.Load("nordic-2022")
	if err != nil {
		t.Fatal(err)
	}
	var enter []string
	for i := range sc.World.Actors {
		a := &sc.World.Actors[i]
		if len(enter) == 3 {
			break
		}
		try := append(slices.Clone(enter), "actors."+a.ID+".enter=40")
		if _, err := scenarios.Load("nordic-2022", try...); err == nil && a.Kind == sim.State {
			enter = try
		}
	}
	runs := []struct {
		file, scenario string
		over           []string
	}{{"baseline", "baseline", nil}, {"nordic-2022", "nordic-2022", nil}, {"taiwan-crisis", "taiwan-crisis", nil},
		{"entrants", "nordic-2022", enter}}
	var names []string
	for _, c := range runs {
		r := runEngine(t, c.scenario, 30, c.over...)
		if c.over != nil {
			out := 0
			for _, n := range r.snap.Nodes {
				if !n.InSystem {
					out++
				}
			}
			if out != 3 {
				t.Fatalf("%s: %d actors out of the system at step 30, want 3", c.file, out)
			}
		}
		if err := results.WriteFileAtomic(filepath.Join(dir, c.file+".graphml"), func(w io.Writer) error {
			return results.WriteGraphML(w, &r.snap)
		}); err != nil {
			t.Fatal(err)
		}
		want[c.file] = r.value
		names = append(names, c.file)
	}
	script := `
import json, sys, networkx as nx
out = {}
for name in sys.argv[2:]:
    G = nx.read_graphml(sys.argv[1] + "/" + name + ".graphml")
    G = G.subgraph(n for n, d in G.nodes(data=True) if d["in_system"])
    out[name] = {"transitivity": nx.transitivity(G), "components": nx.number_connected_components(G),
                 "edges": G.number_of_edges(), "isolates": nx.number_of_isolates(G),
                 "degree": dict(G.degree()), "strength": dict(G.degree(weight="weight")),
                 "in_system": sum(1 for _, d in G.nodes(data=True) if d["in_system"])}
print(json.dumps(out))
`
	cmd := exec.Command(py, append([]string{"-c", script, dir}, names...)...)
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderrOf(err))
	}
	var got map[string]struct {
		Transitivity, Components, Edges, Isolates float64
		Degree, Strength                          map[string]float64
	}
	if err := json.Unmarshal(outb, &got); err != nil {
		t.Fatalf("%v: %s", err, outb)
	}
	for name, g := range got {
		w := want[name]
		for _, x := range []struct {
			metric string
			v      float64
		}{{"transitivity", g.Transitivity}, {"components", g.Components}, {"edges", g.Edges}, {"isolates", g.Isolates}} {
			if math.Abs(x.v-w[x.metric]) > 1e-9 {
				t.Errorf("%s: networkx %s %v, engine %v", name, x.metric, x.v, w[x.metric])
			}
		}
		for a, d := range g.Degree {
			if d != w["degree/"+a] || math.Abs(g.Strength[a]-w["strength/"+a]) > 1e-9 {
				t.Errorf("%s: %s degree %v strength %v, engine %v %v", name, a, d, g.Strength[a], w["degree/"+a], w["strength/"+a])
			}
		}
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// findPython returns a python3 that imports the modules, or skips the test
// loudly, saying what to install. ENTENTE_PYTHON names one to try first.
func findPython(t testing.TB, modules ...string) string {
	t.Helper()
	var tried []string
	for _, c := range []string{os.Getenv("ENTENTE_PYTHON"), "python3", "/usr/bin/python3"} {
		if c == "" {
			continue
		}
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		imp := "import " + strings.Join(modules, ", ")
		if err := exec.Command(p, "-c", imp).Run(); err == nil {
			return p
		}
		tried = append(tried, p)
	}
	msg := fmt.Sprintf("SKIP %s: no python3 with %s (tried %v): apt-get install python3-pandas python3-networkx, or set ENTENTE_PYTHON",
		t.Name(), strings.Join(modules, ", "), tried)
	fmt.Fprintln(os.Stderr, msg)
	t.Skip(msg)
	return ""
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
