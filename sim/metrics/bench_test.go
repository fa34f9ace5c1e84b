package metrics_test

import (
	"fmt"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// BenchmarkObserve measures one Observe on a Synthetic world stepped 50
// times, following 5 actors: the default and the full set with every metric
// computed, and the full set on a step where the costly ones are skipped.
func BenchmarkObserve(b *testing.B) {
	for _, n := range []int{50, 200, 1000} {
		w := simtest.Synthetic(n, 1)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			b.Fatal(err)
		}
		s.Run(50)
		for _, c := range []struct {
			set   string
			every int
		}{{"default", 1}, {"all", 1}, {"all", 1 << 30}} {
			name := c.set
			if c.every > 1 {
				name += "-cheap" // a step on which the costly metrics are skipped
			}
			b.Run(fmt.Sprintf("N=%d/%s", n, name), func(b *testing.B) {
				ob, err := metrics.NewObserver(w, metrics.Options{Metrics: []string{c.set},
					Actors: []string{"A0", "A1", "A2", "A3", "A4"}, Seed: 1, Every: c.every})
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
