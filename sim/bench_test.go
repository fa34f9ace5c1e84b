package sim_test

import (
	"fmt"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// BenchmarkStep times one steady-state step (after 50 warm-up steps) on
// synthetic worlds: go test -run '^$' -bench Step -benchmem ./sim/
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{50, 200, 1000, 5000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			s, err := sim.New(simtest.Synthetic(n, 1), sim.DefaultParams(), sim.SeedFromInt(1))
			if err != nil {
				b.Fatal(err)
			}
			s.Run(50)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.Step()
			}
		})
	}
}
