package facts

import (
	"fmt"

	"github.com/entente/entente/sim"
)

// Fact6: sponsor exit hurts (source 003; the EU's 20 % cut of its African
// Peace Facility funding, source 004, is the case). On the baseline, the
// EU cuts its assistance budget by 20 % from step 20 (Actor.Aid), and in a
// second arm the US's military retrenchment steps to 1 at step 20 (its
// support stops). Twenty steps later the capability the African Union and
// Taiwan hold from assistance is lower than in the control without the
// cut, by more than two standard errors. Knocked out: assisted capability
// never decays (assist_decay = 0), so what the sponsor built stays.
var Fact6 = Fact{
	Name: "fact 6",
	Doc:  "sponsor exit hurts (003, 004): after the EU's 20% cut and the US's exit, the AU's and Taiwan's assisted capability fall below the control",
	Reps: 10,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		sc, err := load("baseline")
		if err != nil {
			return Result{}, err
		}
		ids, err := index(sc.World, "EU", "AU", "TAW")
		if err != nil {
			return Result{}, err
		}
		arm := func(cut, exit bool) ([]float64, []float64, error) {
			w := *sc.World
			w.Actors = append([]sim.Actor(nil), sc.World.Actors...)
			if cut {
				aid := sim.Profile{Shape: sim.Step, Base: 1, Peak: 0.8, Start: 20}
				w.Actors[ids[0]].Aid = &aid
			}
			if exit {
				w.Military = sim.Profile{Shape: sim.Step, Base: 0, Peak: 1, Start: 20}
			}
			au := make([]float64, reps)
			tw := make([]float64, reps)
			err := replicate(&w, p, seed, "fact6", reps, func(r int, s *sim.Sim) error {
				s.Run(40)
				au[r], tw[r] = s.Assisted(ids[1]), s.Assisted(ids[2])
				return nil
			})
			return au, tw, err
		}
		au0, tw0, err := arm(false, false)
		if err != nil {
			return Result{}, err
		}
		auCut, _, err := arm(true, false)
		if err != nil {
			return Result{}, err
		}
		_, twExit, err := arm(false, true)
		if err != nil {
			return Result{}, err
		}
		a, as := larger(au0, auCut, 0)
		b, bs := larger(tw0, twExit, 0)
		return Result{Fact: "fact 6", Holds: a && b,
			Measures: fmt.Sprintf("AU's assisted capability at step 40, control vs the EU's 20%% cut: %s; Taiwan's, control vs the US's exit: %s", as, bs)}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.AssistDecay = 0
		return p, "assist_decay = 0 (assisted capability stays when the sponsor leaves)"
	},
}
