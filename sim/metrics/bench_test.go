package metrics_test

import (
	"fmt"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// BenchmarkObserve measures one Observe (every metric computed, Every 1) on
// a Synthetic world stepped 50 times, following 5 actors.
func BenchmarkObserve(b *testing.B) {
	for _, n := range []int{50, 200, 1000} {
		w := simtest.Synthetic(n, 1)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			b.Fatal(err)
		}
		s.Run(50)
		for _, set := range []string{"default", "all"} {
			b.Run(fmt.Sprintf("N=%d/%s", n, set), func(b *testing.B) {
				ob, err := metrics.NewObserver(w, metrics.Options{Metrics: []string{set},
					Actors: []string{"A0", "A1", "A2", "A3", "A4"}, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				var buf []metrics.Value
				b.ReportAllocs()
				for b.Loop() {
					buf = ob.Observe(s, buf[:0])
				}
			})
		}
	}
}
