package facts

import (
	"fmt"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// Fact3: coalitions end with their threat (sources 001, 003). On the
// counter-isis built-in (a terrorism pulse at 0.9 on steps 10-40): a
// coalition against it is present through at least 90 % of the pulse's
// steps from step 12 on, and gone within eight steps (two years) after it
// ends, in at least 90 % of replicates; in the control without the pulse no
// coalition forms. Knocked out: coalitions never wind down
// (coalition_patience = 1000 years).
var Fact3 = Fact{
	Name: "fact 3",
	Doc:  "coalitions end with their threat (001, 003): present through the pulse, gone a few steps after it; none without it",
	Reps: 10,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		sc, err := fact3Arm(true)
		if err != nil {
			return Result{}, err
		}
		ctrl, err := fact3Arm(false)
		if err != nil {
			return Result{}, err
		}
		k := -1
		for i := range sc.World.Threats {
			if sc.World.Threats[i].Name == "isis" {
				k = i
			}
		}
		if k < 0 {
			return Result{}, fmt.Errorf("facts: counter-isis has no threat isis")
		}
		end := sc.World.Threats[k].Intensity.End
		gone := end + 8
		good, maxSize := 0, 0
		sizes := make([]int, reps)
		ok := make([]bool, reps)
		err = replicate(sc.World, p, seed, "fact3", reps, func(r int, s *sim.Sim) error {
			present, during := 0, 0
			after := false
			for s.T() < gone+5 {
				s.Step()
				g, on := s.Coalition(k)
				if s.T() >= 12 && s.T() < end {
					during++
					if on {
						present++
						sizes[r] = max(sizes[r], len(g.Members))
					}
				}
				if s.T() >= gone && on {
					after = true
				}
			}
			ok[r] = float64(present) >= 0.9*float64(during) && !after
			return nil
		})
		if err != nil {
			return Result{}, err
		}
		for r := range ok {
			if ok[r] {
				good++
			}
			maxSize = max(maxSize, sizes[r])
		}
		formed := make([]bool, reps)
		err = replicate(ctrl.World, p, seed, "fact3", reps, func(r int, s *sim.Sim) error {
			for s.T() < gone+5 {
				s.Step()
				if _, on := s.Coalition(k); on {
					formed[r] = true
				}
			}
			return nil
		})
		if err != nil {
			return Result{}, err
		}
		falsePos := 0
		for _, f := range formed {
			if f {
				falsePos++
			}
		}
		holds := float64(good) >= 0.9*float64(reps) && falsePos == 0
		return Result{Fact: "fact 3", Holds: holds,
			Measures: fmt.Sprintf("coalition through the pulse and gone by step %d in %s replicates (largest %d members); a coalition without the pulse in %s",
				gone, share(good, reps), maxSize, share(falsePos, reps))}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.CoalitionPatience = 1000
		return p, "coalition_patience = 1000 years (coalitions never wind down)"
	},
}

// fact3Arm is counter-isis with its terrorism pulse from step 10, or
// without it (the threat held at its level before the pulse).
func fact3Arm(pulse bool) (*scenarios.Scenario, error) {
	if pulse {
		return load("counter-isis")
	}
	return load("counter-isis", "threats.isis.intensity=0.05")
}
