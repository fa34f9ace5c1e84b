package results

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// oracleXML is how the snapshots were written before the streaming
// writer: encoding/xml's Encoder on the document, indented by two spaces,
// after the XML header, with a newline at the end. The streaming writer
// must give the same bytes.
func oracleXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// sameAsOracle checks both formats of snap against the Encoder.
func sameAsOracle(t *testing.T, name string, snap *Snapshot) {
	t.Helper()
	gdoc, xdoc := graphMLDoc(snap), gexfDoc(snap)
	for _, f := range []struct {
		format string
		write  func(io.Writer, *Snapshot) error
		doc    any
	}{{"GraphML", WriteGraphML, &gdoc}, {"GEXF", WriteGEXF, &xdoc}} {
		var got, want bytes.Buffer
		if err := f.write(&got, snap); err != nil {
			t.Fatal(err)
		}
		if err := oracleXML(&want, f.doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%s: %s differs from encoding/xml's at byte %d:\n%s\n---\n%s", name, f.format, firstDiff(got.Bytes(), want.Bytes()), clip(got.Bytes()), clip(want.Bytes()))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func clip(b []byte) string {
	if len(b) > 3000 {
		return string(b[:3000]) + "..."
	}
	return string(b)
}

// The streaming writer gives encoding/xml's bytes: on snapshots of running
// worlds (groups, coalitions, support, actors not yet in the system), on an
// empty one, and on names and values that need escaping or that XML cannot
// carry (written as U+FFFD by both), zero and non-finite weights.
func TestXMLWriterIsTheEncoders(t *testing.T) {
	for _, w := range []*sim.World{simtest.Synthetic(80, 4), simtest.HubAndSpoke(10, 0.6, 2), simtest.Terror(3, 12), simtest.Sponsor(6)} {
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(9))
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; step <= 24; step++ {
			if step%6 == 0 {
				snap := SnapshotOf(s)
				sameAsOracle(t, w.Actors[0].ID, &snap)
			}
			s.Step()
		}
	}
	sameAsOracle(t, "empty", &Snapshot{})
	sameAsOracle(t, "no links", &Snapshot{Step: 1, Links: []Link{}})
	odd := Snapshot{Step: 7,
		Nodes: []Node{{ID: `A&"B"`, Label: "<x> 'y'\t\n\r", Kind: "state", Region: "é\u2028", InSystem: true, Groups: []string{"g\x01", "g\xff"}, Capability: math.NaN()},
			{ID: "C", Kind: "organisation", Economy: math.Inf(1), Members: []string{"A&\"B\""}, Leads: []string{"g\x01"}},
			{ID: "", Label: "", Region: "\U0001F600\uFFFE\uD7FF\uE000"},
			{ID: `say "hi"`, Label: "it's", Region: "a>b", Kind: "x<y"}},
		Edges: []Edge{{Source: `A&"B"`, Target: "C", Form: "alliance", Level: "initial", LevelNum: 2, Flow: "symmetric", Trust: math.NaN(), Age: -3, Weight: 0}}}
	sameAsOracle(t, "odd", &odd)
	odd.Links = []Link{{ID: "x", Source: "A", Target: "C", Weight: 0, Via: ""}, {ID: "y", Source: "C", Target: "", Weight: math.Inf(-1), Via: "tie", Tie: &odd.Edges[0]}}
	sameAsOracle(t, "odd links", &odd)
}

// FuzzXMLWriter: any names and values give encoding/xml's bytes.
func FuzzXMLWriter(f *testing.F) {
	f.Add("A", "United States", "Americas", "AUKUS", "tie", 0.5, 2.0, int64(1))
	f.Add(`<&>"'`, "\t\n\r", "\xff\x01", "", "minilateral:a&b", math.NaN(), 0.0, int64(2))
	f.Fuzz(func(t *testing.T, id, label, region, group, via string, capability, weight float64, seed int64) {
		r := rand.New(rand.NewPCG(uint64(seed), 1))
		snap := Snapshot{Step: r.IntN(100)}
		n := 1 + r.IntN(4)
		for i := range n {
			nd := Node{ID: id + strings.Repeat("x", i), Label: label, Kind: "state", Region: region, Capability: capability * float64(i),
				Economy: r.Float64(), Threat: r.NormFloat64(), Reliability: r.Float64(), Patron: r.IntN(2) == 0, InSystem: r.IntN(3) > 0}
			if r.IntN(2) == 0 {
				nd.Groups = []string{group}
			}
			snap.Nodes = append(snap.Nodes, nd)
		}
		for i := 1; i < n; i++ {
			snap.Edges = append(snap.Edges, Edge{Source: snap.Nodes[0].ID, Target: snap.Nodes[i].ID, Form: via, Level: label, LevelNum: r.IntN(5),
				Flow: region, Support: weight, Trust: r.Float64(), Age: r.IntN(50), Weight: weight})
		}
		if r.IntN(2) == 0 {
			for i := range snap.Edges {
				e := &snap.Edges[i]
				l := Link{ID: LinkID(e.Source, e.Target), Source: e.Source, Target: e.Target, Weight: weight * float64(i), Via: via}
				if r.IntN(2) == 0 {
					l.Tie = e
				}
				snap.Links = append(snap.Links, l)
			}
		}
		sameAsOracle(t, "fuzz", &snap)
	})
}

// BenchmarkSnapshotXML: writing one snapshot of a 230-actor world as
// GraphML and as GEXF, by the streaming writer and, for comparison, by
// encoding/xml's Encoder (the oracle); and reading the GraphML back, which
// a run's report no longer does for the networks it kept (AsFiled).
func BenchmarkSnapshotXML(b *testing.B) {
	s, err := sim.New(simtest.Synthetic(230, 1), sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		b.Fatal(err)
	}
	s.Run(20)
	snap := SnapshotOf(s)
	var file bytes.Buffer
	if err := WriteGraphML(&file, &snap); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    func(io.Writer) error
	}{
		{"graphml", func(w io.Writer) error { return WriteGraphML(w, &snap) }},
		{"graphml-encoder", func(w io.Writer) error { d := graphMLDoc(&snap); return oracleXML(w, &d) }},
		{"gexf", func(w io.Writer) error { return WriteGEXF(w, &snap) }},
		{"gexf-encoder", func(w io.Writer) error { d := gexfDoc(&snap); return oracleXML(w, &d) }},
		{"read-graphml", func(io.Writer) error { _, err := ReadGraphML(bytes.NewReader(file.Bytes())); return err }},
		{"as-filed", func(io.Writer) error { AsFiled(&snap); return nil }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.f(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
