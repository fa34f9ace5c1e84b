package facts

import (
	"fmt"
	"slices"

	"github.com/entente/entente/sim"
)

// Fact4: asymmetric hubs (source 004). The baseline's actors with their
// attributes and no ties or groups at the start, 100 quarterly steps: the
// three largest givers of support (out-strength) are the EU, the US and
// China in at least 70 % of replicates, each of them has more recipients
// than any other actor in at least 70 % (how many to support is each
// donor's choice: its budget is shared by its recipients, and standing is
// concave in what one gets), and the African Union receives more than it
// gives in at least 80 %. The
// mechanism: a donor offers assistance for the standing it buys over a
// weaker recipient (concave in what it gives, from a budget shared by its
// recipients), and a recipient accepts for the capability it builds.
// Knocked out: giving buys no standing (influence_weight = 0), so no one
// offers.
var Fact4 = Fact{
	Name: "fact 4",
	Doc:  "asymmetric hubs (004): from an empty network, EU, US and China the top givers and with the most recipients in >= 70% of replicates; the AU a net recipient in >= 80%",
	Reps: 10,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		sc, err := load("baseline")
		if err != nil {
			return Result{}, err
		}
		w := *sc.World
		w.Ties, w.Groups = nil, nil
		ids, err := index(&w, "EU", "USA", "CHN", "AU")
		if err != nil {
			return Result{}, err
		}
		top3 := make([]bool, reps)
		recipients := make([]bool, reps)
		auNet := make([]bool, reps)
		flows := make([]int, reps)
		err = replicate(&w, p, seed, "fact4", reps, func(r int, s *sim.Sim) error {
			s.Run(sc.Steps)
			n := s.N()
			out := make([]float64, n)
			deg := make([]int, n)
			for t := range s.Ties() {
				if t.Donor >= 0 && t.Support > 0 {
					out[t.Donor] += t.Support
					deg[t.Donor]++
					flows[r]++
				}
			}
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int {
				switch {
				case out[a] > out[b]:
					return -1
				case out[a] < out[b]:
					return 1
				}
				return 0
			})
			hub := func(i int) bool { return i == ids[0] || i == ids[1] || i == ids[2] }
			top3[r] = out[idx[2]] > 0 && hub(idx[0]) && hub(idx[1]) && hub(idx[2])
			most := 0
			for i := range deg {
				if !hub(i) {
					most = max(most, deg[i])
				}
			}
			recipients[r] = min(deg[ids[0]], deg[ids[1]], deg[ids[2]]) > most
			auNet[r] = s.InStrength(ids[3]) > s.OutStrength(ids[3])
			return nil
		})
		if err != nil {
			return Result{}, err
		}
		count := func(b []bool) int {
			k := 0
			for _, x := range b {
				if x {
					k++
				}
			}
			return k
		}
		f := 0
		for _, x := range flows {
			f += x
		}
		t3, rc, au := count(top3), count(recipients), count(auNet)
		holds := float64(t3) >= 0.7*float64(reps) && float64(rc) >= 0.7*float64(reps) && float64(au) >= 0.8*float64(reps)
		return Result{Fact: "fact 4", Holds: holds,
			Measures: fmt.Sprintf("EU, US and China the top three givers in %s replicates, with the most recipients in %s; the AU a net recipient in %s; %.1f flow ties a run",
				share(t3, reps), share(rc, reps), share(au, reps), float64(f)/float64(reps))}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.InfluenceWeight = 0
		return p, "influence_weight = 0 (giving buys no standing)"
	},
}
