package facts

import (
	"fmt"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// Fact1: retrenchment breeds minilateralism (source 002). On the
// us-retrenchment built-in (low threats), political retrenchment ramping
// to 0.8 against a control held at 0.1: at the end there are more
// minilateral groups without the patron, and the patron's degree is lower.
// Both differences must exceed two standard errors. The mechanism is
// partners' doubt: the patron's political retrenchment raises its own
// autonomy preference, so it refuses requests and lowers commitments;
// partners see it do so (its reputation falls), count on it less
// (deliver), and independent protectors become worth more under concave
// security. Knocked out: partners learn nothing from what the patron does
// (reputation_learning = 0).
var Fact1 = Fact{
	Name: "fact 1",
	Doc:  "retrenchment breeds minilateralism (002): more minilaterals without the patron, lower patron degree, under political retrenchment 0.8 than under 0.1",
	Reps: 16,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		type out struct{ groups, degree, drops, partnerDrops []float64 }
		measure := func(ret string) (out, error) {
			var o out
			sc, err := fact1Arm(ret)
			if err != nil {
				return o, err
			}
			w := sc.World
			usa := w.ActorIndex("USA")
			o.groups = make([]float64, reps)
			o.degree = make([]float64, reps)
			o.drops = make([]float64, reps)
			o.partnerDrops = make([]float64, reps)
			err = replicate(w, p, seed, "fact1", reps, func(r int, s *sim.Sim) error {
				for s.T() < sc.Steps {
					s.Step()
					for _, e := range s.Events() {
						if e.Other != usa && e.Actor != usa {
							continue
						}
						if e.Kind == sim.TieAbandoned || e.Kind == sim.TieLowered || (e.Kind == sim.TieReformed && e.Form == sim.Cooperation) {
							if e.Actor == usa {
								o.drops[r]++
							} else {
								o.partnerDrops[r]++
							}
						}
					}
				}
				for g := range s.Groups() {
					if g.Kind == sim.Minilateral && !g.Has(usa) {
						o.groups[r]++
					}
				}
				o.degree[r] = float64(s.Degree(usa))
				return nil
			})
			return o, err
		}
		hi, err := measure("0.8")
		if err != nil {
			return Result{}, err
		}
		lo, err := measure("0.1")
		if err != nil {
			return Result{}, err
		}
		g, gs := larger(hi.groups, lo.groups, 0)
		d, ds := larger(lo.degree, hi.degree, 0)
		mdh, _ := meanSE(hi.drops)
		mph, _ := meanSE(hi.partnerDrops)
		return Result{Fact: "fact 1", Holds: g && d,
			Measures: fmt.Sprintf("minilaterals without the US %s; US degree (0.1 vs 0.8) %s; under 0.8 the US lowers or drops %.1f ties a run, partners %.1f", gs, ds, mdh, mph)}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.ReputationLearning = 0
		return p, "reputation_learning = 0 (partners learn nothing from what the patron does)"
	},
}

// fact1Arm is fact 1's world under political retrenchment ramping to ret
// (the ramp starts at step 10, so the arms agree until then).
func fact1Arm(ret string) (*scenarios.Scenario, error) {
	return load("us-retrenchment", "retrenchment.political.peak="+ret)
}
