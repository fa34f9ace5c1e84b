// Package facts provides the stylised facts of the model description
// (MODEL.md, facts 1 to 7) and its plausibility guards as checks over
// replicates of the built-in scenarios, each with its control: the same
// world without the treatment (shock against no shock, high against low
// retrenchment). A check returns what it measured and whether the fact
// holds; the tests in this package run every check at the default
// parameters and again with the mechanism that produces it knocked out,
// and `make validate` runs them over a Latin hypercube of the parameters'
// plausible ranges (Validate).
package facts

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// Result is what a check measured.
type Result struct {
	Fact string
	// Holds reports whether the fact holds on these replicates.
	Holds bool
	// Measures are the figures the verdict rests on, in words.
	Measures string
}

func (r Result) String() string {
	v := "holds"
	if !r.Holds {
		v = "does not hold"
	}
	return fmt.Sprintf("%s %s: %s", r.Fact, v, r.Measures)
}

// Fact is one stylised fact with its check and the knock-out that removes
// the mechanism producing it.
type Fact struct {
	Name string
	// Doc states the fact, its source and the threshold of the check.
	Doc string
	// Check runs the fact's treatment and control over reps replicates
	// under p (seeds from seed).
	Check func(p sim.Params, reps int, seed uint64) (Result, error)
	// Knockout returns p with the producing mechanism removed, and names it.
	Knockout func(p sim.Params) (sim.Params, string)
	// Reps is the number of replicates the tests use.
	Reps int
}

// All lists the facts, in MODEL.md's order.
var All = []Fact{Fact1, Fact2, Fact3, Fact4, Fact5, Fact6, Fact7}

// load reads a built-in scenario with overrides.
func load(name string, overrides ...string) (*scenarios.Scenario, error) {
	return scenarios.Load(name, overrides...)
}

// replicate runs f for replicates 0..reps-1 on up to GOMAXPROCS
// goroutines, each with its own Sim from New(w, p, RunSeed(seed, tag, 0, r)),
// and returns the first error. f must only write to its replicate's slot.
func replicate(w *sim.World, p sim.Params, seed uint64, tag string, reps int, f func(r int, s *sim.Sim) error) error {
	workers := min(runtime.GOMAXPROCS(0), reps)
	next := make(chan int)
	errs := make([]error, reps)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				s, err := sim.New(w, p, sim.RunSeed(seed, tag, 0, r))
				if err == nil {
					err = f(r, s)
				}
				errs[r] = err
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
			return err
		}
	}
	return nil
}

// meanSE is the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	n := float64(len(xs))
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= n
	if n < 2 {
		return mean, math.Inf(1)
	}
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v / (n - 1) / n)
}

// larger reports whether the mean of a exceeds that of b by at least two
// standard errors (and by more than minDiff). The arms of every check run
// replicate r from the same seed (common random numbers: RunSeed(seed, tag,
// 0, r) with the check's tag), so the comparison is on the paired
// differences a[r] − b[r] (Law & Kelton, Simulation Modeling and Analysis,
// ch. 11): the part of the noise both arms share cancels.
func larger(a, b []float64, minDiff float64) (bool, string) {
	if len(a) != len(b) {
		panic("facts: larger needs paired arms of equal length")
	}
	d := make([]float64, len(a))
	for r := range a {
		d[r] = a[r] - b[r]
	}
	ma, _ := meanSE(a)
	mb, _ := meanSE(b)
	md, se := meanSE(d)
	return md > minDiff && md > 2*se, fmt.Sprintf("%.3g vs %.3g (paired difference %.3g, se %.2g)", ma, mb, md, se)
}

// bound reports whether actors i and j are bound by mutual defence (a
// defence dyad: bilateral alliance, common membership, or an interim
// assurance of a pending accession).
func bound(s *sim.Sim, i, j int) bool {
	a, b := min(i, j), max(i, j)
	for d := range s.CommittedDyads() {
		if d.A == a && d.B == b {
			return true
		}
		if d.A > a {
			break
		}
	}
	return false
}

// boundTo reports whether state i is a member of organisation o, or bound
// by mutual defence to one of its members.
func boundTo(s *sim.Sim, i, o int) bool {
	for _, x := range s.OrganisationsOf(i) {
		if x == o {
			return true
		}
	}
	members := s.MembersOf(o)
	for d := range s.CommittedDyads() {
		j := -1
		switch i {
		case d.A:
			j = d.B
		case d.B:
			j = d.A
		}
		if j >= 0 {
			for _, m := range members {
				if m == j {
					return true
				}
			}
		}
	}
	return false
}

// inAnyDefence reports whether state i has any defence dyad.
func inAnyDefence(s *sim.Sim, i int) bool {
	for d := range s.CommittedDyads() {
		if d.A == i || d.B == i {
			return true
		}
	}
	return false
}

func index(w *sim.World, ids ...string) ([]int, error) {
	out := make([]int, len(ids))
	for k, id := range ids {
		out[k] = w.ActorIndex(id)
		if out[k] < 0 {
			return nil, fmt.Errorf("facts: no actor %s", id)
		}
	}
	return out, nil
}

func share(n, of int) string { return fmt.Sprintf("%d of %d", n, of) }

// rate is share, of replicates, with the 95 % Wilson interval of the rate it estimates,
// for the guards on a rate: whether 8 of 100 tells a rate above 1 in 20
// from one below it is for the reader to see (it does not: 4.1-15 %).
func rate(n, of int) string {
	lo, hi := wilson(n, of, z95)
	return fmt.Sprintf("%d of %d replicates (%.1f %%; 95 %% interval %.1f-%.1f %%)", n, of, 100*float64(n)/float64(of), 100*lo, 100*hi)
}

// z95 is the normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// wilson is the Wilson score interval of a binomial proportion n/of at
// z standard errors.
func wilson(n, of int, z float64) (lo, hi float64) {
	if of <= 0 {
		return 0, 1
	}
	m, p := float64(of), float64(n)/float64(of)
	c := (p + z*z/(2*m)) / (1 + z*z/m)
	h := z / (1 + z*z/m) * math.Sqrt(p*(1-p)/m+z*z/(4*m*m))
	return max(0, c-h), min(1, c+h)
}
