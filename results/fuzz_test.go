package results_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/entente/entente/results"
)

// FuzzParseSummary and FuzzScanTimeseries: malformed CSV (a merged shard,
// a hand-edited file) gives an error naming the file, never a panic.
func FuzzParseSummary(f *testing.F) {
	f.Add([]byte("step,metric,actor,n,mean,sd,ci_low,ci_high\n0,density,,2,0.1,0.01,0.0,0.2\n1,degree,USA,1,3,,,\n"))
	f.Add([]byte("step,metric\n"))
	f.Add([]byte("step,metric,actor,n,mean,sd,ci_low,ci_high\nx,y,z,w,v,u,t,s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = results.ParseSummary(bytes.NewReader(data), "summary.csv")
	})
}

func FuzzScanTimeseries(f *testing.F) {
	f.Add([]byte("replicate,step,metric,actor,value\n0,0,density,,0.1\n0,1,degree,USA,NaN\n"))
	f.Add([]byte("replicate,step\n1,2\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = results.ScanTimeseries(bytes.NewReader(data), "timeseries.csv", func(results.Row) error { return nil })
	})
}

// FuzzReadManifest: any manifest.json (read on --resume, by merge, report
// and explain) is read or refused, never a panic; what reads, written
// again as JSON, reads back the same.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"version":"v1","scenario":"baseline","seed":1,"replicates":2,"steps":10,"parameters":{"temperature":0.1}}`))
	f.Add([]byte(`{"seed":-1}`))
	f.Add([]byte(`{"replicates":"x"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := results.ReadManifest(bytes.NewReader(data))
		if err != nil {
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("a manifest read does not write: %v", err)
		}
		again, err := results.ReadManifest(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("a manifest read and written does not read back: %v\n%s", err, b)
		}
		if b2, _ := json.Marshal(again); !bytes.Equal(b, b2) {
			t.Fatalf("written, read and written again differs:\n%s\n%s", b, b2)
		}
	})
}

// FuzzReadGraphML: any GraphML (a snapshot read back by the report, or a
// file from elsewhere) is read or refused, never a panic; and reading is a
// fixed point after one pass: what it reads, written and read again, writes
// the same bytes; and AsFiled of what it reads is what it reads again.
func FuzzReadGraphML(f *testing.F) {
	var buf bytes.Buffer
	snap := results.Snapshot{Step: 3,
		Nodes: []results.Node{{ID: "USA", Label: "United States", Kind: "state", Region: "Americas", Capability: 1, InSystem: true, Groups: []string{"AUKUS"}},
			{ID: "AUL", Kind: "state", Capability: 0.05, InSystem: true, Groups: []string{"AUKUS"}}},
		Edges: []results.Edge{{Source: "USA", Target: "AUL", Form: "alliance", Level: "advanced", LevelNum: 4, Flow: "symmetric", Trust: 0.9, Age: 40, Weight: 4}}}
	if err := results.WriteGraphML(&buf, &snap); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`<graphml><graph><node id="a"><data key="capability">x</data></node><edge source="a" target="b"><data key="tie">true</data></edge></graph></graphml>`))
	f.Add([]byte(`<graphml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s1, err := results.ReadGraphML(bytes.NewReader(data))
		if err != nil {
			return
		}
		var w1, w2 bytes.Buffer
		if err := results.WriteGraphML(&w1, &s1); err != nil {
			return // (a snapshot the writer refuses: refused, not a panic)
		}
		s2, err := results.ReadGraphML(bytes.NewReader(w1.Bytes()))
		if err != nil {
			t.Fatalf("a snapshot read and written does not read back: %v", err)
		}
		if err := results.WriteGraphML(&w2, &s2); err != nil {
			t.Fatalf("a snapshot read back does not write: %v", err)
		}
		if !bytes.Equal(w1.Bytes(), w2.Bytes()) {
			t.Fatalf("read, written and read again writes other bytes:\n%s\n---\n%s", w1.Bytes(), w2.Bytes())
		}
		// what the report draws without the file is what the file reads
		if filed, ok := results.AsFiled(&s1); ok && !sameSnapshot(&filed, &s2) {
			t.Fatalf("AsFiled differs from what its GraphML reads:\n%+v\n---\n%+v", filed, s2)
		}
	})
}
