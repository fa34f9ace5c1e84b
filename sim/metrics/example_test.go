package metrics_test

import (
	"fmt"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// A triangle of states with a pendant, observed at step 0.
func ExampleObserver() {
	w := &sim.World{}
	for _, id := range []string{"FIN", "SWE", "NOR", "EST"} {
		w.Actors = append(w.Actors, sim.Actor{ID: id, Region: "Nordic", Capability: 0.1, Economy: 0.1})
	}
	w.Ties = []sim.TieSpec{
		{A: 0, B: 1, Form: sim.Alliance, Level: sim.Advanced, Donor: -1},
		{A: 0, B: 2, Form: sim.Cooperation, Level: sim.Initial, Donor: -1},
		{A: 1, B: 2, Form: sim.Cooperation, Level: sim.Initial, Donor: -1},
		{A: 0, B: 3, Form: sim.Cooperation, Level: sim.Nominal, Donor: -1},
	}
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	ob, err := metrics.NewObserver(w, metrics.Options{
		Metrics: []string{"density", "binding_share", "transitivity", "degree", "betweenness"},
		Actors:  []string{"FIN", "EST"},
		Seed:    1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range ob.Observe(s, nil) {
		fmt.Printf("%-13s %-3s %.4g\n", v.Metric, v.Actor, v.Value)
	}
	_, err = metrics.NewObserver(w, metrics.Options{Actors: []string{"FNI"}})
	fmt.Println(err)
	// Output:
	// density           0.6667
	// binding_share     0.25
	// transitivity      0.6
	// degree        FIN 3
	// degree        EST 1
	// betweenness   FIN 0.6667
	// betweenness   EST 0
	// metrics: unknown actor "FNI" (did you mean "FIN"?)
}
