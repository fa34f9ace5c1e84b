package runner_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/runner"
)

// discard is a sink that keeps nothing, so benchmarks time the runs.
type discard struct{ rows int }

func (d *discard) AddRun(rep int, rows []results.Row) error         { d.rows += len(rows); return nil }
func (d *discard) AddSnapshot(rep int, snap results.Snapshot) error { return nil }

func baselineJob(b testing.TB, reps, workers int) *runner.Job {
	sc, err := scenarios.Load("baseline")
	if err != nil {
		b.Fatal(err)
	}
	return &runner.Job{Scenario: sc.Name, World: sc.World, Params: sc.Params, Steps: 100, Replicates: reps, Seed: 1,
		Metrics: metrics.Options{Every: 1, Seed: 1}, Workers: workers}
}

// BenchmarkRunnerBaseline: runs/s of baseline (100 steps, default metrics)
// with 1 and 2 workers:
//
//	go test -run '^$' -bench RunnerBaseline -benchtime 20x ./sim/runner/
func BenchmarkRunnerBaseline(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			j := baselineJob(b, b.N, w)
			b.ResetTimer()
			if _, err := runner.Execute(context.Background(), j, &discard{}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// liveHeap wraps a sink and records the live heap after every delivered
// run (after a forced GC, so garbage does not count).
type liveHeap struct {
	runner.Sink
	peak uint64
}

func (l *liveHeap) AddRun(rep int, rows []results.Row) error {
	if err := l.Sink.AddRun(rep, rows); err != nil {
		return err
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	l.peak = max(l.peak, m.HeapAlloc)
	return nil
}

// BenchmarkRunnerMemory reports the peak live heap for 10 and 1,000 replicates of
// baseline (20 steps each) written to a real result set: memory must not
// grow with replicates.
//
//	go test -run '^$' -bench RunnerMemory -benchtime 1x ./sim/runner/
func BenchmarkRunnerMemory(b *testing.B) {
	for _, reps := range []int{10, 1000} {
		b.Run(fmt.Sprintf("replicates=%d", reps), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				j := baselineJob(b, reps, 2)
				j.Steps = 20
				dir := b.TempDir()
				set, err := results.Create(dir, results.Manifest{}, results.Options{})
				if err != nil {
					b.Fatal(err)
				}
				lh := &liveHeap{Sink: set}
				if _, err := runner.Execute(context.Background(), j, lh); err != nil {
					b.Fatal(err)
				}
				if err := set.Close(true, time.Time{}); err != nil {
					b.Fatal(err)
				}
				mib := float64(lh.peak) / (1 << 20)
				b.ReportMetric(mib, "peak-MiB")
			}
		})
	}
}
