package metrics_test

import (
	"fmt"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// BenchmarkObserve measures one Observe after 50 steps of baseline (82
// actors) and after 20 steps of Synthetic worlds of 200 to 5,000 actors,
// following 5 actors: the default set and every metric with the costly
// ones computed, and every metric on a step where the costly ones are
// skipped. Each Observe sees a fresh network (the reuse of an unchanged
// one is turned off by alternating two states), as in a run where the
// network changes every step. Ratios to the model step: make bench
// (cmd/entente/internal/benchratio).
func BenchmarkObserve(b *testing.B) {
	type world struct {
		name   string
		s      *sim.Sim
		actors []string
	}
	var worlds []world
	sc, err := scenarios.Load("baseline")
	if err != nil {
		b.Fatal(err)
	}
	s, err := sim.New(sc.World, sc.Params, sim.RunSeed(1, sc.Name, 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	s.Run(50)
	worlds = append(worlds, world{"baseline", s, sc.Outputs.Actors})
	for _, n := range []int{200, 1000, 5000} {
		w := simtest.Synthetic(n, 1)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			b.Fatal(err)
		}
		s.Run(20)
		worlds = append(worlds, world{fmt.Sprintf("N=%d", n), s, []string{"A0", "A1", "A2", "A3", "A4"}})
	}
	for _, x := range worlds {
		other := x.s.Clone()
		other.Step()
		for _, c := range []struct {
			set   string
			every int
		}{{"default", 1}, {"all", 1}, {"all", 1 << 30}} {
			name := c.set
			if c.every > 1 {
				name += "-cheap" // a step on which the costly metrics are skipped
			}
			if x.name == "N=5000" && c.set == "all" && c.every == 1 {
				continue // as default: the costly metrics dominate
			}
			b.Run(x.name+"/"+name, func(b *testing.B) {
				ob, err := metrics.NewObserver(x.s.World(), metrics.Options{Metrics: []string{c.set},
					Actors: x.actors, Seed: 1, Every: c.every})
				if err != nil {
					b.Fatal(err)
				}
				var buf []metrics.Value
				states := []*sim.Sim{x.s, other}
				buf = ob.Observe(states[1], buf[:0])
				b.ReportAllocs()
				k := 0
				for b.Loop() {
					buf = ob.Observe(states[k&1], buf[:0])
					k++
				}
			})
		}
	}
}
