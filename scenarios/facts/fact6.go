package facts

import (
	"fmt"

	"github.com/entente/entente/sim"
)

// Fact6: sponsor exit hurts (source 003; the EU's 20 % cut of its African
// Peace Facility funding, source 004, is the second case). On the
// baseline, in one arm the US's military retrenchment steps to 1 at step 20
// (its support stops), in another the EU cuts its assistance budget to
// 80 % of the scenario's from step 20 (Actor.Aid; the baseline's EU already
// has aid 0.5, and the cut is of that). Twenty steps later the capability
// Taiwan holds from assistance has fallen below what it held before the exit
// and below the control without the exit, and the AU's is below the control
// without the cut, each by more than two standard errors of the paired
// differences (the arms share each replicate's seed and are identical to step
// 19). A cut is not an exit: other donors go on, so the AU's holds only
// against the control. Knocked out: assisted capability never decays
// (assist_decay = 0), so what the sponsor built stays and nothing falls.
var Fact6 = Fact{
	Name: "fact 6",
	Doc:  "sponsor exit hurts (003, 004): after the US's exit Taiwan's assisted capability falls, below its level at the exit and below the control; after the EU's 20% cut the AU's is below the control",
	Reps: 40,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		sc, err := load("baseline")
		if err != nil {
			return Result{}, err
		}
		ids, err := index(sc.World, "EU", "AU", "TAW")
		if err != nil {
			return Result{}, err
		}
		// arm runs the baseline with the EU's cut or the US's exit, and
		// returns the AU's and Taiwan's assisted capability at step 40 and
		// Taiwan's at step 19, the last before the exit.
		arm := func(cut, exit bool) (au, tw, tw19 []float64, err error) {
			w, err := fact6World(sc.World, cut, exit)
			if err != nil {
				return nil, nil, nil, err
			}
			au, tw, tw19 = make([]float64, reps), make([]float64, reps), make([]float64, reps)
			err = replicate(w, p, seed, "fact6", reps, func(r int, s *sim.Sim) error {
				s.Run(19)
				tw19[r] = s.Assisted(ids[2])
				s.Run(40)
				au[r], tw[r] = s.Assisted(ids[1]), s.Assisted(ids[2])
				return nil
			})
			return au, tw, tw19, err
		}
		au0, tw0, _, err := arm(false, false)
		if err != nil {
			return Result{}, err
		}
		auCut, _, _, err := arm(true, false)
		if err != nil {
			return Result{}, err
		}
		_, twExit, twBefore, err := arm(false, true)
		if err != nil {
			return Result{}, err
		}
		a, as := larger(au0, auCut, 0)
		b, bs := larger(tw0, twExit, 0)
		c, cs := larger(twBefore, twExit, 0)
		return Result{Fact: "fact 6", Holds: a && b && c,
			Measures: fmt.Sprintf("AU's assisted capability at step 40, control vs the EU's 20%% cut: %s; Taiwan's, control vs the US's exit: %s; Taiwan's in the exit, step 19 vs step 40: %s", as, bs, cs)}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.AssistDecay = 0
		return p, "assist_decay = 0 (assisted capability stays when the sponsor leaves)"
	},
}

// fact6World is the baseline's world w with the EU's 20 % cut of its
// assistance budget from step 20, the US's exit (military retrenchment
// stepping to 1) from step 20, both or neither.
func fact6World(w *sim.World, cut, exit bool) (*sim.World, error) {
	out := *w
	out.Actors = append([]sim.Actor(nil), w.Actors...)
	if cut {
		eu := out.ActorIndex("EU")
		if eu < 0 {
			return nil, fmt.Errorf("baseline: no actor EU")
		}
		aid, err := cutBudget(out.Actors[eu].Aid, 0.8, 20)
		if err != nil {
			return nil, err
		}
		out.Actors[eu].Aid = aid
	}
	if exit {
		if out.Military.Shape != sim.Constant {
			return nil, fmt.Errorf("baseline: the military retrenchment profile is not constant (shape %v): the US's exit from it is not defined here", out.Military.Shape)
		}
		out.Military = sim.Profile{Shape: sim.Step, Base: out.Military.Base, Peak: 1, Start: 20}
	}
	return &out, nil
}

// cutBudget is an actor's assistance-budget profile (nil: its full budget)
// cut to frac of what it was from step start on. The scenario's own profile
// is the base: the EU's budget in the baseline is already half that of a
// state of its economy (aid 0.5), so a cut replaces it with a step from
// that value, never from 1.
func cutBudget(old *sim.Profile, frac float64, start int) (*sim.Profile, error) {
	base := 1.0
	if old != nil {
		if old.Shape != sim.Constant {
			return nil, fmt.Errorf("the donor's aid profile is not constant (shape %v): a cut of it is not defined here", old.Shape)
		}
		base = old.Base
	}
	return &sim.Profile{Shape: sim.Step, Base: base, Peak: frac * base, Start: start}, nil
}
