package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/entente/entente/sim"
)

// Stationary is a cross-section the calibration assumes the model holds
// steady: a world observed at one date only (the built-in baseline: the
// security ties of source 004 and the public record about 2021), for which
// there is no panel. Under the assumption that the observed network is a
// draw from the model's stationary state (as cross-sectional network
// models assume), its pairwise ties should neither multiply nor wither,
// and their levels should keep their spread, over the run. This pins the
// costs of the non-binding ties the alliance panel does not observe.
type Stationary struct {
	Name  string
	World *sim.World
	Steps int
	// Weight of its moments in the objective relative to the panel's
	// (1: each moment counts as one fitted year and statistic).
	Weight float64
}

// stationaryMoments are, for a run of the world: the ratio of pairwise ties
// at the end to the start (one unit of misfit: 25 %), and the share of
// ties at institutionalised level or deeper at the end against the start
// (one unit: 0.1).
func (st *Stationary) moments(ctx context.Context, p sim.Params, o Options) ([2]float64, error) {
	var out [2]float64
	if st == nil {
		return out, nil
	}
	reps := max(1, o.Replicates)
	ratio := make([]float64, reps)
	deep := make([]float64, reps)
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, reps)
	next := make(chan int)
	errs := make([]error, reps)
	var wg sync.WaitGroup
	deepShare := func(s *sim.Sim) float64 {
		n, d := 0, 0
		for t := range s.Ties() {
			n++
			if t.Level >= sim.Institutionalised {
				d++
			}
		}
		if n == 0 {
			return 0
		}
		return float64(d) / float64(n)
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				s, err := sim.New(st.World, p, sim.RunSeed(o.Seed, st.Name, 0, r))
				if err != nil {
					errs[r] = err
					continue
				}
				t0, d0 := s.NumTies(), deepShare(s)
				for s.T() < st.Steps {
					if ctx.Err() != nil {
						errs[r] = ctx.Err()
						break
					}
					s.Step()
				}
				ratio[r] = float64(s.NumTies()) / float64(max(1, t0))
				deep[r] = deepShare(s) - d0
			}
		}()
	}
	for r := 0; r < reps; r++ {
		next <- r
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	mr, md := 0.0, 0.0
	for r := range ratio {
		mr += ratio[r] / float64(reps)
		md += deep[r] / float64(reps)
	}
	out[0] = (mr - 1) / 0.25
	out[1] = md / 0.1
	return out, nil
}

// misfit is the stationarity part of the objective.
func (st *Stationary) misfit(ctx context.Context, p sim.Params, o Options) (float64, string, error) {
	if st == nil {
		return 0, "", nil
	}
	m, err := st.moments(ctx, p, o)
	if err != nil {
		return math.Inf(1), "", err
	}
	w := st.Weight
	if w == 0 {
		w = 1
	}
	return w * (m[0]*m[0] + m[1]*m[1]), fmt.Sprintf("%s: ties x%.2f, deep share %+.3f", st.Name, 1+0.25*m[0], 0.1*m[1]), nil
}
