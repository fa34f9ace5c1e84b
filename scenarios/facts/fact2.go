package facts

import (
	"fmt"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// Fact2: a major threat drives binding alliances (source 002). On the
// nordic-2022 built-in (quarterly steps, the Russia threat stepping from
// 0.15 to 0.9 at step 10): Finland and Sweden are both bound by mutual
// defence to NATO or a NATO member (membership, an interim assurance of a
// member that has ratified their accession, or a bilateral alliance) by
// step 12 in at least 80 % of replicates; in the control without the shock
// in at most 5 %. The mechanism: under a major threat the concave value of
// protection makes a binding commitment, which deters because it is
// credible (a treaty, an old institution), worth its autonomy cost.
// Knocked out: a cooperation tie commits as much as an alliance
// (cooperation_commit = 1) and credibility does not depend on horizon
// (deterrence_horizon = 0), so binding gains nothing.
var Fact2 = Fact{
	Name: "fact 2",
	Doc:  "a major threat drives binding alliances (002): Finland and Sweden bound to NATO by step 12 in >= 80% of replicates with the shock, <= 5% without",
	Reps: 20,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		run := func(shock bool) (int, int, error) {
			sc, err := fact2Arm(shock)
			if err != nil {
				return 0, 0, err
			}
			w := sc.World
			ids, err := index(w, "FIN", "SWD", "NATO")
			if err != nil {
				return 0, 0, err
			}
			both := make([]bool, reps)
			members := make([]int, reps)
			err = replicate(w, p, seed, "fact2", reps, func(r int, s *sim.Sim) error {
				s.Run(12)
				both[r] = boundTo(s, ids[0], ids[2]) && boundTo(s, ids[1], ids[2])
				s.Run(40)
				for _, i := range ids[:2] {
					for _, o := range s.OrganisationsOf(i) {
						if o == ids[2] {
							members[r]++
						}
					}
				}
				return nil
			})
			n, m := 0, 0
			for r := range both {
				if both[r] {
					n++
				}
				m += members[r]
			}
			return n, m, err
		}
		with, memWith, err := run(true)
		if err != nil {
			return Result{}, err
		}
		without, memWithout, err := run(false)
		if err != nil {
			return Result{}, err
		}
		holds := float64(with) >= 0.8*float64(reps) && float64(without) <= 0.05*float64(reps)
		return Result{Fact: "fact 2", Holds: holds,
			Measures: fmt.Sprintf("both bound by step 12 in %s replicates with the shock, %s without; NATO members at step 40: %d of %d (with), %d (without)",
				share(with, reps), share(without, reps), memWith, 2*reps, memWithout)}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.CooperationCommit = 1
		p.DeterrenceHorizon = 0
		return p, "cooperation_commit = 1 and deterrence_horizon = 0 (a binding commitment protects no more than cooperation)"
	},
}

// fact2Arm is nordic-2022 with its Russian shock at step 10, or without it
// (the threat held at its level before the shock).
func fact2Arm(shock bool) (*scenarios.Scenario, error) {
	if shock {
		return load("nordic-2022")
	}
	return load("nordic-2022", "threats.russia.intensity=0.15")
}
