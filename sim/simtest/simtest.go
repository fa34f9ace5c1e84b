// Package simtest builds small and synthetic worlds for tests and benchmarks
// of the engine and the packages that use it.
package simtest

import (
	"fmt"
	"math/rand/v2"

	"github.com/entente/entente/sim"
)

var regions = []string{"Europe", "Asia", "Africa", "Americas", "MiddleEast"}

// Synthetic returns a reproducible world of n actors: about one in twenty an
// organisation of 3 to 8 states of its region, actor 0 a patron, capability
// and economy heavy-tailed, values in [-1, 1]^3 clustered by region, a
// conventional threat from actor 1 on the Asian region and a transnational
// pulse on Africa and the Middle East, and about 2n initial ties.
func Synthetic(n int, seed uint64) *sim.World {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := &sim.World{}
	centre := make([][3]float64, len(regions))
	for r := range centre {
		for d := 0; d < 3; d++ {
			centre[r][d] = rng.Float64()*1.4 - 0.7
		}
	}
	clamp := func(v float64) float64 { return max(-1, min(1, v)) }
	for i := 0; i < n; i++ {
		r := i % len(regions)
		a := sim.Actor{
			ID:       fmt.Sprintf("A%d", i),
			Kind:     sim.State,
			Region:   regions[r],
			Autonomy: rng.Float64(),
		}
		a.Capability = min(1, 0.2*rng.ExpFloat64()*rng.ExpFloat64()/float64(max(1, n/20)))
		a.Economy = a.Capability * (0.5 + rng.Float64())
		a.Values = make([]float64, 3)
		for d := range a.Values {
			a.Values[d] = clamp(centre[r][d] + 0.3*rng.NormFloat64())
		}
		w.Actors = append(w.Actors, a)
	}
	w.Actors[0].Patron = true
	w.Actors[0].Capability = 1
	w.Actors[0].Economy = 1
	// organisations replace some actors' role: every 20th actor becomes an
	// organisation of states of its region
	for o := 19; o < n; o += 20 {
		a := &w.Actors[o]
		a.Kind = sim.Organisation
		a.Commitment = rng.Float64()
		a.MutualDefence = a.Commitment > 0.6
		size := 3 + rng.IntN(6)
		for c := 0; c < size*4 && len(a.Members) < size; c++ {
			m := rng.IntN(n)
			if m == o || w.Actors[m].Kind != sim.State || w.Actors[m].Region != a.Region || contains(a.Members, m) {
				continue
			}
			a.Members = append(a.Members, m)
		}
	}
	seen := map[[2]int]bool{}
	for len(w.Ties) < 2*n {
		a, b := rng.IntN(n), rng.IntN(n)
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		if seen[[2]int{a, b}] || contains(w.Actors[a].Members, b) || contains(w.Actors[b].Members, a) {
			continue
		}
		seen[[2]int{a, b}] = true
		f := sim.Cooperation
		if rng.Float64() < 0.3 && w.Actors[a].Kind == sim.State && w.Actors[b].Kind == sim.State {
			f = sim.Alliance
		}
		w.Ties = append(w.Ties, sim.TieSpec{A: a, B: b, Form: f, Level: sim.Level(1 + rng.IntN(4)), Donor: -1})
	}
	w.Threats = []sim.Threat{
		{Name: "rival", Kind: "conventional", Source: 1,
			RegionExposure: map[string]float64{"Asia": 0.8, "Europe": 0.2},
			Intensity:      sim.Profile{Shape: sim.Ramp, Base: 0.2, Peak: 0.8, Start: 10, End: 60}},
		{Name: "terror", Kind: "terrorism", Source: -1,
			RegionExposure: map[string]float64{"Africa": 1, "MiddleEast": 1, "Europe": 0.3},
			Intensity:      sim.Profile{Shape: sim.Pulse, Base: 0.05, Peak: 0.9, Start: 20, End: 40}},
	}
	w.Political = sim.ConstantProfile(0.2)
	w.Military = sim.ConstantProfile(0)
	return w
}

func contains(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
