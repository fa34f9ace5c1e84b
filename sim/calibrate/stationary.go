package calibrate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
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

// stationaryClasses are the counts of pairwise ties the stationarity
// moments hold: ties of each form (assistance, cooperation, alliance), the
// ties that carry a donor's support whatever their form, the ties of the
// patron (the hub and spokes of the cross-section: what its own terms, not
// its partners', keep or end), and the young ties, made less than
// youngYears before (the young end of the distribution of ages: how many
// ties are new at any time, which the mean age does not tell, since a mean
// is kept as well by old ties renewed as by old ties kept and new ones
// made and dropped within a year).
var stationaryClasses = [...]string{"assistance", "cooperation", "alliances", "flows", "patron", "young"}

// youngYears is the age below which a tie counts as young: two years (of
// the baseline's 73 ties, 2 were made within two years of its date: the
// China-Iran agreement of 2021 and the Abraham Accords of 2020).
const youngYears = 2

// classYoung is the index of the young ties in stationaryClasses.
const classYoung = 5

// young reports whether a tie of that age (in steps) is young in world w.
func young(w *sim.World, age int) bool { return float64(age) < youngYears*w.StepsPerYearOr1() }

// classesOf adds tie t of world w to the counts of its classes.
func classesOf(n *[len(stationaryClasses)]int, t *sim.Tie, w *sim.World) {
	if young(w, t.Age) {
		n[classYoung]++
	}
	switch t.Form {
	case sim.Assistance:
		n[0]++
	case sim.Cooperation:
		n[1]++
	case sim.Alliance:
		n[2]++
	}
	if t.Donor >= 0 {
		n[3]++
	}
	if w.Actors[t.A].Patron || w.Actors[t.B].Patron {
		n[4]++
	}
}

// numMoments is the number of stationarity moments: the ratio of ties at
// the end to the start in each class of stationaryClasses (one unit of
// misfit: 25 %, or for a class of few ties its Poisson spread 1/sqrt(n)),
// the change in the share of ties at institutionalised level or deeper
// (one unit: 0.1), and the ratio of the ties' mean age at the end to the
// start (one unit: 25 %). In a stationary state the ages of a
// cross-section's ties keep their distribution, so the observed ages
// (source 004's years of establishment) pin how often ties end and are
// replaced (the renewal argument), which the counts alone do not.
const numMoments = len(stationaryClasses) + 2

const (
	momentDeep = len(stationaryClasses)
	momentAge  = len(stationaryClasses) + 1
)

// moments are the stationarity moments for a run of the world, in units of
// misfit, and the ratios they come from.
func (st *Stationary) moments(ctx context.Context, p sim.Params, o Options) (m, raw [numMoments]float64, err error) {
	if st == nil {
		return m, raw, nil
	}
	reps := max(1, o.Replicates)
	vals := make([][numMoments]float64, reps)
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, reps)
	next := make(chan int)
	errs := make([]error, reps)
	var wg sync.WaitGroup
	var start [len(stationaryClasses)]int // the same in every replicate
	count := func(s *sim.Sim) (n [len(stationaryClasses)]int, deep, age float64) {
		all, d := 0, 0
		for t := range s.Ties() {
			classesOf(&n, t, s.World())
			all++
			age += float64(t.Age)
			if t.Level >= sim.Institutionalised {
				d++
			}
		}
		if all > 0 {
			deep = float64(d) / float64(all)
			age /= float64(all)
		}
		return n, deep, age
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
				n0, d0, a0 := count(s)
				if r == 0 {
					start = n0
				}
				for s.T() < st.Steps {
					if ctx.Err() != nil {
						errs[r] = ctx.Err()
						break
					}
					s.Step()
				}
				n1, d1, a1 := count(s)
				for c := range n0 {
					vals[r][c] = float64(n1[c]) / float64(max(1, n0[c]))
				}
				vals[r][momentDeep] = d1 - d0
				vals[r][momentAge] = a1 / math.Max(1, a0)
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
			return m, raw, err
		}
	}
	for r := range vals {
		for k := range raw {
			raw[k] += vals[r][k] / float64(reps)
		}
	}
	for k := range len(stationaryClasses) {
		m[k] = (raw[k] - 1) / math.Max(0.25, 1/math.Sqrt(float64(max(1, start[k]))))
	}
	m[momentDeep] = raw[momentDeep] / 0.1
	m[momentAge] = (raw[momentAge] - 1) / 0.25
	return m, raw, nil
}

// misfit is the stationarity part of the objective.
func (st *Stationary) misfit(ctx context.Context, p sim.Params, o Options) (float64, string, error) {
	if st == nil {
		return 0, "", nil
	}
	m, raw, err := st.moments(ctx, p, o)
	if err != nil {
		return math.Inf(1), "", err
	}
	w := st.Weight
	if w == 0 {
		w = 1
	}
	sum := 0.0
	for _, v := range m {
		sum += v * v
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:", st.Name)
	for k, c := range stationaryClasses {
		fmt.Fprintf(&b, " %s x%.2f", c, raw[k])
	}
	fmt.Fprintf(&b, ", deep share %+.3f, mean age x%.2f", raw[momentDeep], raw[momentAge])
	return w * sum, b.String(), nil
}
