package main

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// tightDecision is what one opportunity of the step weighed, as the tight
// loop replays it: the actor, the partner of each option (-1: none, a
// group), and how many consent decisions followed.
type tightDecision struct {
	actor    int
	partners []int32
	consents int
}

// tightWorld is the state the tight loop reads, in flat arrays: each
// actor's values (stride dim), resources, and its threat entries' threat
// and protection (offsets off).
type tightWorld struct {
	dim       int
	vals, res []float64
	off       []int
	thr, eP   []float64 // threat, exp(−protection) (kept, as the engine keeps it)
	prot      []float64
	tau       float64
}

func newTightWorld(s *sim.Sim) *tightWorld {
	w := s.World()
	tw := &tightWorld{dim: len(w.Actors[0].Values), tau: s.Params().Temperature, off: make([]int, s.N()+1)}
	for i := range s.N() {
		tw.vals = append(tw.vals, w.Actors[i].Values...)
		tw.res = append(tw.res, s.EffectiveCapability(i)+w.Actors[i].Economy)
		// the base need and each threat it feels, as the engine's entries
		tw.thr, tw.prot = append(tw.thr, s.Params().BaseNeed), append(tw.prot, 0)
		for k := range w.Threats {
			if t := s.PerceivedThreatOf(i, k); t > 0 {
				tw.thr, tw.prot = append(tw.thr, t), append(tw.prot, s.ProtectionAgainst(i, k))
			}
		}
		tw.off[i+1] = len(tw.thr)
	}
	for _, p := range tw.prot {
		tw.eP = append(tw.eP, math.Exp(-p))
	}
	return tw
}

// replay does the arithmetic of the decisions' utility evaluations on flat
// arrays: for each option a security change over the actor's threat
// entries as the engine computes it (the factor by which a partner's
// protection multiplies the exposure, one expm1 per entry), a
// value distance and an influence from the partner's resources; then the
// logit's exp per option and a draw, and one exp per consent. It returns a
// checksum so that the work is not optimised away.
func (tw *tightWorld) replay(ds []tightDecision) float64 {
	sum := 0.0
	u := make([]float64, 0, 64)
	x := uint64(1)
	for _, d := range ds {
		i := d.actor
		u = u[:0]
		vi := tw.vals[i*tw.dim : (i+1)*tw.dim]
		for _, j := range d.partners {
			if j < 0 {
				u = append(u, 0)
				continue
			}
			// the factor by which the partner's protection multiplies
			// the exposure to each entry (the engine's exposureMemo: one
			// expm1), then the security change (its secDeltaQ)
			c, r := 0.1*tw.res[j], 0.9
			v := 0.0
			for e := tw.off[i]; e < tw.off[i+1]; e++ {
				q := 1 + r*math.Expm1(-c*float64(e-tw.off[i]+1))
				v += tw.thr[e] * tw.eP[e] * (1 - q)
			}
			vj := tw.vals[int(j)*tw.dim : (int(j)+1)*tw.dim]
			dist := 0.0
			for k := range vi {
				q := vi[k] - vj[k]
				dist += q * q
			}
			infl := (tw.res[i] - tw.res[j]) / (tw.res[i] + tw.res[j] + 1e-9)
			u = append(u, v+0.03*(1-math.Sqrt(dist))+0.02*infl-0.04)
		}
		best := math.Inf(-1)
		for _, v := range u {
			best = max(best, v)
		}
		tot := 0.0
		for k, v := range u {
			w := math.Exp((v - best) / tw.tau)
			u[k] = w
			tot += w
		}
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		r := float64(x>>11) / (1 << 53) * tot
		for k, w := range u {
			if r -= w; r <= 0 {
				sum += float64(k)
				break
			}
		}
		for c := 0; c < d.consents; c++ {
			sum += 1 / (1 + math.Exp(-sum*1e-9/tw.tau))
		}
	}
	return sum
}

// tightRatio times the model step on Synthetic(n) against the tight loop
// replaying the same step's decisions (target: the step at most 2 times the
// loop). Each measured step is first run on a clone with a recorder, which
// gives the decisions the real step then makes (a clone stepped alike stays
// identical).
func tightRatio(out io.Writer, n, steps int) error {
	s, err := sim.New(simtest.Synthetic(n, 1), sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		return err
	}
	s.Run(steps)
	var step, loop time.Duration
	var check float64
	opps, opts := 0, 0
	for k := 0; k < steps; k++ {
		tw := newTightWorld(s)
		var ds []tightDecision
		c := s.Clone()
		c.SetRecorder(func(d *sim.Decision) {
			td := tightDecision{actor: d.Actor, consents: len(d.Consent)}
			for _, o := range d.Options {
				p := int32(o.Partner)
				if o.Kind == sim.ChooseNothing {
					p = -1
				}
				td.partners = append(td.partners, p)
			}
			opps, opts = opps+1, opts+len(td.partners)
			ds = append(ds, td)
		})
		c.Step()
		t0 := cpu()
		s.Step()
		t1 := cpu()
		check += tw.replay(ds)
		t2 := cpu()
		step += t1 - t0
		loop += t2 - t1
		if c.NumTies() != s.NumTies() {
			return fmt.Errorf("tight: the recorded clone diverged from the run at step %d", s.T())
		}
	}
	fmt.Fprintf(out, "tight: Synthetic(%d), %d steps after %d: %d opportunities, %.1f options each (CPU; checksum %.0f)\n",
		n, steps, steps, opps, float64(opts)/float64(max(1, opps)), check)
	fmt.Fprintf(out, "tight:   (the loop does the first model's arithmetic per option: security over the entries, a value distance, an influence, the logit; not the second model's rivalry, entrapment, standing, stake or lock-in)\n")
	fmt.Fprintf(out, "tight:   step %.2f ms, the tight loop over the same decisions %.2f ms: ratio %.2f (target <= 2)\n",
		step.Seconds()*1e3/float64(steps), loop.Seconds()*1e3/float64(steps), float64(step)/float64(loop))
	return nil
}
