package charts_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
)

// BenchmarkChartsOfTaiwanRun draws the charts of a 20-replicate
// taiwan-crisis run (as `make run` does) and reports their time as a share
// of the run's own (issue 15's target: charts add at most 25%).
func BenchmarkChartsOfTaiwanRun(b *testing.B) {
	sc, err := scenarios.Load("taiwan-crisis")
	if err != nil {
		b.Fatal(err)
	}
	var last *results.Snapshot
	cfg := &runner.Config{Scenario: sc, Seed: 1, Replicates: 20, Out: filepath.Join(b.TempDir(), "tw"),
		Charts: func(dir string, s []results.SummaryRow, l *results.Snapshot) ([]string, error) {
			last = l
			return nil, nil
		}}
	start := time.Now()
	rep, err := runner.RunScenario(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	runTime := time.Since(start)
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		if _, err := charts.Write(dir, rep.Summary, last); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/runTime.Seconds(), "charts/run")
}
