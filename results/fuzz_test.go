package results_test

import (
	"bytes"
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
