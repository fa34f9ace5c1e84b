package results_test

import (
	"fmt"
	"testing"

	"github.com/entente/entente/results"
)

// BenchmarkAddRun measures AddRun on one replicate of 100 steps x 40
// network-level metrics, streamed to one file (a sweep's points) and as a
// resumable set's synced part file per replicate (a run) with the assembly
// of timeseries.csv at Close; it reports rows/s.
func BenchmarkAddRun(b *testing.B) {
	b.Run("stream", func(b *testing.B) { benchAddRun(b, false) })
	b.Run("resumable", func(b *testing.B) { benchAddRun(b, true) })
}

func benchAddRun(b *testing.B, resumable bool) {
	const steps, metrics = 100, 40
	names := make([]string, metrics)
	for i := range names {
		names[i] = fmt.Sprintf("metric_%02d", i)
	}
	rows := make([]results.Row, 0, steps*metrics)
	for t := 0; t < steps; t++ {
		for m := 0; m < metrics; m++ {
			rows = append(rows, results.Row{Step: t, Metric: names[m], Value: float64(t*m) / 7})
		}
	}
	s, err := results.Create(b.TempDir(), results.Manifest{}, results.Options{Resumable: resumable})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := s.AddRun(i, rows); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(true, t0); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
}
