package facts

import (
	"fmt"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// crisisStep is the step at which taiwan-crisis's China threat rises
// (threats.china.intensity.start).
const crisisStep = 10

// exposed are the US partners the taiwan-crisis shock exposes most.
var exposed = []string{"TAW", "JPN", "PHI", "ROK", "AUL"}

// hardening is the binding commitment the exposed partners hold with the
// US and with one another: for each pair, 1 for a defence dyad plus its
// tie's level fraction, and the level of minilateral groups they share.
func hardening(s *sim.Sim, ids []int, usa int) float64 {
	v := 0.0
	pairs := append([]int{usa}, ids...)
	for x, a := range pairs {
		for _, b := range pairs[x+1:] {
			if bound(s, a, b) {
				v++
			}
			if t, ok := s.TieBetween(a, b); ok {
				v += t.Level.Frac()
			}
		}
	}
	for g := range s.Groups() {
		if g.Kind != sim.Minilateral {
			continue
		}
		for _, i := range ids {
			if g.Has(i) {
				v += g.Level.Frac()
				break
			}
		}
	}
	return v
}

// hedging is how far the exposed partners stay out of binding commitments
// or tie themselves to the threat's source: 1 for each partner with no
// defence dyad, plus the level fraction of each one's tie with China.
func hedging(s *sim.Sim, ids []int, chn int) float64 {
	v := 0.0
	for _, i := range ids {
		if !inAnyDefence(s, i) {
			v++
		}
		if t, ok := s.TieBetween(i, chn); ok {
			v += t.Level.Frac()
		}
	}
	return v
}

// Fact7: the Taiwan crisis (source 002). On the taiwan-crisis built-in
// (the China threat stepping from 0.15 to 0.85 at step 10), the change
// from the network the shock finds (after step 9) to 30 steps after the
// shock, four arms: crisis or not, times low (0.1) or high (0.8)
// political retrenchment. Under low retrenchment the crisis hardens the
// exposed partners' commitments (hardening: crisis above no crisis by two
// standard errors); in the crisis they hedge more under high retrenchment
// than under low (hedging, by two standard errors); and the crisis must
// change the outcome: that retrenchment gap in hedging is wider with the
// crisis than in the same worlds without it (by two standard errors).
//
// The mechanism is the political umbrella (source 002): the patron's stake
// in its partners' protection fades with its political retrenchment
// (umbrella_weight x (1 - retrenchment), docs/MODEL.md 7.8), so under high
// retrenchment it commits less to the exposed partners when the crisis
// makes their protection matter, and with protection concave in what
// partners bring, they then hedge: stay out of binding commitments or
// accommodate the source. Knocked out: the patron has no such stake
// (umbrella_weight = 0). Partners' learning from what the patron does
// (reputation_learning) was the knock-out until it was measured to make
// no difference (the fact holds as much without it: docs/facts.md).
//
// 96 replicates: the widening is about 0.2 with a paired standard
// deviation about 0.9, so 24 give a standard error of about 0.19 and
// cannot show it.
var Fact7 = Fact{
	Name: "fact 7",
	Doc:  "the Taiwan crisis (002): hardening under low retrenchment, hedging under high, each against the same world without the crisis",
	Reps: 96,
	Check: func(p sim.Params, reps int, seed uint64) (Result, error) {
		arm := func(ret string, crisis bool) (hard, hedge []float64, err error) {
			sc, err := fact7Arm(ret, crisis)
			if err != nil {
				return nil, nil, err
			}
			w := sc.World
			ids, err := index(w, exposed...)
			if err != nil {
				return nil, nil, err
			}
			usa, chn := w.ActorIndex("USA"), w.ActorIndex("CHN")
			hard = make([]float64, reps)
			hedge = make([]float64, reps)
			err = replicate(w, p, seed, "fact7", reps, func(r int, s *sim.Sim) error {
				// the reference is the network the shock finds: Step
				// advances the clock before it acts, so the step that
				// takes the clock to 10 is the crisis's first (its alarm)
				s.Run(crisisStep - 1)
				h0, q0 := hardening(s, ids, usa), hedging(s, ids, chn)
				s.Run(40)
				hard[r] = hardening(s, ids, usa) - h0
				hedge[r] = hedging(s, ids, chn) - q0
				return nil
			})
			return hard, hedge, err
		}
		hLoC, qLoC, err := arm("0.1", true)
		if err != nil {
			return Result{}, err
		}
		hLo0, qLo0, err := arm("0.1", false)
		if err != nil {
			return Result{}, err
		}
		_, qHiC, err := arm("0.8", true)
		if err != nil {
			return Result{}, err
		}
		_, qHi0, err := arm("0.8", false)
		if err != nil {
			return Result{}, err
		}
		a, as := larger(hLoC, hLo0, 0)
		b, bs := larger(qHiC, qLoC, 0)
		// the crisis must change the outcome: the retrenchment gap in
		// hedging is wider with the crisis than without it (paired by
		// replicate: the arms share their seeds)
		gapC, gap0 := make([]float64, reps), make([]float64, reps)
		for r := range gapC {
			gapC[r] = qHiC[r] - qLoC[r]
			gap0[r] = qHi0[r] - qLo0[r]
		}
		c, cs := larger(gapC, gap0, 0)
		return Result{Fact: "fact 7", Holds: a && b && c,
			Measures: fmt.Sprintf("hardening under low retrenchment, crisis vs none: %s; hedging in the crisis, high vs low retrenchment: %s; that gap with the crisis vs without: %s", as, bs, cs)}, nil
	},
	Knockout: func(p sim.Params) (sim.Params, string) {
		p.UmbrellaWeight = 0
		return p, "umbrella_weight = 0 (the patron has no stake in its partners' protection: the political umbrella is gone whatever its retrenchment)"
	},
}

// fact7Arm is taiwan-crisis under political retrenchment ret, with the
// China crisis from crisisStep or without it (the threat held at its level
// before the crisis).
func fact7Arm(ret string, crisis bool) (*scenarios.Scenario, error) {
	over := []string{"retrenchment.political=" + ret}
	if !crisis {
		over = append(over, "threats.china.intensity=0.15")
	}
	return load("taiwan-crisis", over...)
}
