package sweep_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/entente/entente/sim/sweep"
)

// BenchmarkSweepThroughput: runs per second of a classroom sweep (8 points x
// 2 replicates x 30 steps, no charts) at 1 and 2 workers.
func BenchmarkSweepThroughput(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			runs := 0
			start := time.Now()
			for b.Loop() {
				c := &sweep.Config{Scenario: "classroom", Factors: benchFactors(b, 8), Replicates: 2, Steps: 30, Seed: 1,
					Workers: w, Out: b.TempDir()}
				rep, err := sweep.Run(context.Background(), c)
				if err != nil {
					b.Fatal(err)
				}
				runs += rep.Runs
			}
			b.ReportMetric(float64(runs)/time.Since(start).Seconds(), "runs/s")
		})
	}
}

// BenchmarkSweepMemory: the peak heap (sampled every millisecond) of a sweep
// of 10 and of 1,000 points (1 replicate x 5 steps each): it stays flat, since
// points are streamed to disk and never held together.
func BenchmarkSweepMemory(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("points=%d", n), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				runtime.GC()
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapAlloc)
						select {
						case <-stop:
							return
						case <-time.After(time.Millisecond):
						}
					}
				}()
				c := &sweep.Config{Scenario: "classroom", Factors: benchFactors(b, n), Replicates: 1, Steps: 5, Seed: 1,
					Workers: 2, Out: b.TempDir()}
				if _, err := sweep.Run(context.Background(), c); err != nil {
					b.Fatal(err)
				}
				close(stop)
				wg.Wait()
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

func benchFactors(b testing.TB, n int) []sweep.Factor {
	f, err := sweep.ParseFactor(fmt.Sprintf("retrenchment.political=0:1:%d", n))
	if err != nil {
		b.Fatal(err)
	}
	return []sweep.Factor{f}
}
