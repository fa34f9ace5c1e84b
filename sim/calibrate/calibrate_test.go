package calibrate_test

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/calibrate"
)

func panel(t testing.TB) *cdm.Panel {
	t.Helper()
	p, err := cdm.ReadPanel(cdm.DefaultDir) // the embedded copy
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// target is the panel's record forward from year, to compare or fit against.
func target(t testing.TB, p *cdm.Panel, year int) *calibrate.Target {
	t.Helper()
	tg, err := calibrate.TargetFromPanel(p, year)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func imported(t testing.TB, p *cdm.Panel, year int, overrides ...string) *scenarios.Scenario {
	t.Helper()
	data, err := p.Scenario(year)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse("cdm.yaml", data, overrides...)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// keptOverlay reads an overlay kept in docs/calibration as overrides.
func keptOverlay(t testing.TB, name string) []string {
	t.Helper()
	data, err := os.ReadFile("../../docs/calibration/" + name)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := scenarios.ParseOverlay(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestStats(t *testing.T) {
	// A triangle plus a pendant: 3 triangles·3 / triples = 3 / (1+1+3) .
	g := calibrate.NewNet(5, []cdm.Edge{{A: 0, B: 1}, {A: 1, B: 2}, {A: 2, B: 0}, {A: 2, B: 3}, {A: 3, B: 2}})
	if len(g.Edges) != 4 || g.Isolates() != 1 || math.Abs(g.Transitivity()-0.6) > 1e-12 {
		t.Errorf("edges %d isolates %d transitivity %g; want 4, 1, 0.6", len(g.Edges), g.Isolates(), g.Transitivity())
	}
	if d := calibrate.KS([]int{0, 0, 1, 2}, []int{0, 0, 1, 2}); d != 0 {
		t.Errorf("KS of equal samples %g", d)
	}
	if d := calibrate.KS([]int{0, 0}, []int{3, 3}); d != 1 {
		t.Errorf("KS of disjoint samples %g", d)
	}
	if d := calibrate.KS([]int{0, 1, 2, 3}, []int{0, 1}); d != 0.5 {
		t.Errorf("KS %g, want 0.5", d)
	}
	h := calibrate.NewNet(5, []cdm.Edge{{A: 0, B: 1}, {A: 3, B: 4}})
	if p := calibrate.Persistence(g, h); p != 0.25 {
		t.Errorf("persistence %g, want 0.25", p)
	}
	if o := calibrate.Overlap(calibrate.TopK([]int{5, 1, 4, 3}, 2), []int{0, 3}); o != 0.5 {
		t.Errorf("overlap %g", o)
	}
}

// Persistence walks two sorted edge lists together; it must count what a
// lookup of each earlier edge counts, on networks that share some edges.
func TestPersistenceCountsSharedEdges(t *testing.T) {
	for seed := range 20 {
		rnd := func(k int) int { seed = (seed*1103515245 + 12345) & 0x7fffffff; return seed % k }
		var a, b []cdm.Edge
		for range 60 {
			e := cdm.Edge{A: rnd(25), B: rnd(25)}
			a = append(a, e)
			if rnd(3) > 0 {
				b = append(b, e)
			}
			b = append(b, cdm.Edge{A: rnd(25), B: rnd(25)})
		}
		g, h := calibrate.NewNet(25, a), calibrate.NewNet(25, b)
		in := map[cdm.Edge]bool{}
		for _, e := range h.Edges {
			in[e] = true
		}
		k := 0
		for _, e := range g.Edges {
			if in[e] {
				k++
			}
		}
		if got, want := calibrate.Persistence(g, h), float64(k)/float64(len(g.Edges)); got != want {
			t.Fatalf("seed %d: persistence %g, want %d of %d = %g", seed, got, k, len(g.Edges), want)
		}
	}
}

// TopK keeps the k highest degrees in the order a stable sort by degree
// gives (ties by index), on degree lists with many ties.
func TestTopKIsTheStableSortsHead(t *testing.T) {
	for seed := range 30 {
		rnd := func(k int) int { seed = (seed*1103515245 + 12345) & 0x7fffffff; return seed % k }
		deg := make([]int, 1+rnd(40))
		for i := range deg {
			deg[i] = rnd(6)
		}
		idx := make([]int, len(deg))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return deg[b] - deg[a] })
		for _, k := range []int{0, 1, 3, 10, len(deg), len(deg) + 5} {
			if got, want := calibrate.TopK(deg, k), idx[:min(k, len(idx))]; !slices.Equal(got, want) {
				t.Fatalf("degrees %v, k %d: top %v, want %v", deg, k, got, want)
			}
		}
	}
}

func TestCompareStartsAtObserved(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1981)
	tg := target(t, p, 1981)
	r, err := calibrate.Simulate(context.Background(), sc, sc.Params, tg, calibrate.Options{Replicates: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows := calibrate.Compare(tg, r)
	// 8 statistics a year; no yearly persistence in 1981 and no five-year
	// persistence before 1986
	if len(rows) != 20*8-1-5 {
		t.Fatalf("%d rows, want %d", len(rows), 20*8-1-5)
	}
	for _, row := range rows[:6] {
		if row.Year != 1981 || row.Observed != row.Mean || row.Lo != row.Hi {
			t.Errorf("step 0 differs from the observed year: %+v", row)
		}
	}
	if rows[0].Observed != 625 || math.Abs(rows[1].Observed-0.0468) > 1e-4 {
		t.Errorf("1981 observed %v %v", rows[0], rows[1])
	}
	// persistence of the observed panel is high (README: 99.1% on average)
	mean, n := 0.0, 0
	for _, row := range rows {
		if row.Stat == calibrate.StatPersistence {
			mean += row.Observed
			n++
		}
	}
	if mean /= float64(n); mean < 0.985 || mean > 0.995 {
		t.Errorf("observed mean persistence %g, want about 0.991", mean)
	}
}

// TestRecoversOwnParameters: a synthetic "observed" series made by the
// engine itself (mean of 6 replicates under a known creation_cost, seed 99)
// is fitted from the defaults with other seeds (seed 1), for a truth at
// half and at twice the default. At half, the fit must come within a
// factor 1.6 of the truth (the search interval spans a factor 1,000) and
// below the start's objective. At twice the fit must be at least as good
// as the truth itself with the fit's seeds: the tool finds what the record
// can tell (docs/calibration, "Weak identification"). One parameter at a
// time: the record identifies combinations better than each alone. Which
// parameter the record identifies alone depends on the defaults. At those
// of the core tie in accession (commit e848713), against a synthetic record
// at half the default (6 replicates, the fit's seeds, the truth times 0.25,
// 0.5, 1, 2 and 4): creation cost gives 0.094, 0.038, 0.018, 0.084 and
// 0.186, and at twice the default 0.197, 0.070, 0.013, 0.024 and 0.018
// (flat above the truth); base need, recovered here until then, 0.032,
// 0.028, 0.013, 0.070 and 0.147 (nearly flat below: the fit ended at 0.38
// times the truth), and at twice 0.173, 0.077, 0.009 and 0.056; the
// temperature 0.006, 0.006, 0.011, 0.091 and 0.389 (not from below); lock-in,
// the opportunity rate and the autonomy and entrapment weights have their
// least misfit away from the truth at half the default.
func TestRecoversOwnParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("calibration in -short mode")
	}
	p := panel(t)
	sc := imported(t, p, 1981)
	for _, f := range []float64{0.5, 2} {
		truth := f * sc.Params.CreationCost
		tg := target(t, p, 1981)
		bounds := []calibrate.Bound{{Name: "creation_cost", Lo: 0.001, Hi: 1, Log: true}}
		tp, err := calibrate.Params(sc.Params, bounds, []float64{truth})
		if err != nil {
			t.Fatal(err)
		}
		syn, err := calibrate.Simulate(context.Background(), sc, tp, tg, calibrate.Options{Replicates: 6, Seed: 99})
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s <= tg.Steps(); s++ {
			for k := range calibrate.Stats {
				tg.SetObserved(s, k, syn.Mean(s, k))
			}
		}
		fit, err := calibrate.Run(context.Background(), calibrate.Config{
			Scenario: sc, Target: tg, Bounds: bounds, FitLast: 14, MaxEvals: 20,
			Options: calibrate.Options{Replicates: 6, Seed: 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(fit.History) != fit.Evals || fit.Evals > 20 || fit.Evals < 5 {
			t.Errorf("%d evaluations recorded, %d reported", len(fit.History), fit.Evals)
		}
		if f < 1 {
			if r := fit.Best[0] / truth; r < 1/1.6 || r > 1.6 {
				t.Errorf("creation_cost fitted %g, truth %g (objective %g)", fit.Best[0], truth, fit.Objective)
			}
			if !(fit.Objective < fit.StartIn) {
				t.Errorf("objective %g not below the start's %g", fit.Objective, fit.StartIn)
			}
		} else {
			r, err := calibrate.Simulate(context.Background(), sc, tp, tg, calibrate.Options{Replicates: 6, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if at := calibrate.Objective(tg, r, calibrate.DefaultMoments, 1, 14); fit.Objective > at+1e-12 {
				t.Errorf("creation_cost fitted %g with objective %g, worse than the truth %g's %g with the same seeds", fit.Best[0], fit.Objective, truth, at)
			}
		}
		t.Logf("fitted %v (truth %v), objective %g in sample, %g out of sample, %d evaluations", fit.Best, truth, fit.Objective, fit.OutOfSample, fit.Evals)
		// The overlay reads back as overrides the scenario loader accepts.
		over, err := scenarios.ParseOverlay("calibrated.overlay", fit.Overlay("fit\nseed 1"))
		if err != nil || len(over) != 1 || !strings.HasPrefix(over[0], "parameters.creation_cost=") {
			t.Fatalf("overlay %q: %v", over, err)
		}
		sc2 := imported(t, p, 1981, over...)
		if sc2.Params.CreationCost != fit.Best[0] {
			t.Errorf("overlay round trip: %g", sc2.Params.CreationCost)
		}
	}
}

func TestReproducible(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1995)
	tg := target(t, p, 1995)
	run := func(workers int) *calibrate.Fit {
		f, err := calibrate.Run(context.Background(), calibrate.Config{Scenario: sc, Target: tg, FitLast: 3, MaxEvals: 6,
			Options: calibrate.Options{Replicates: 3, Seed: 5, Workers: workers}})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b := run(1), run(3)
	for i := range a.History {
		if a.History[i].Objective != b.History[i].Objective {
			t.Fatalf("evaluation %d: %g vs %g with other workers", i, a.History[i].Objective, b.History[i].Objective)
		}
	}
}

// Ctrl-C during a fit keeps the best evaluation so far.
func TestInterruptedFitKeepsTheBest(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1995)
	tg := target(t, p, 1995)
	ctx, cancel := context.WithCancel(context.Background())
	f, err := calibrate.Run(ctx, calibrate.Config{Scenario: sc, Target: tg, FitLast: 3, MaxEvals: 50,
		Options: calibrate.Options{Replicates: 2, Seed: 5},
		Progress: func(e calibrate.Eval) {
			if e.N == 4 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) || f == nil || !f.Interrupted {
		t.Fatalf("interrupted fit: %v, %+v", err, f)
	}
	if f.Evals < 4 || len(f.Best) != len(f.Names) {
		t.Fatalf("kept %d evaluations, best %v", f.Evals, f.Best)
	}
	for _, e := range f.History {
		if e.Objective < f.Objective {
			t.Fatalf("best kept %v, but evaluation %d had %v", f.Objective, e.N, e.Objective)
		}
	}
}

// The parameters the calibration fits by default are exactly those whose
// defaults the parameter table says are calibrated.
func TestDefaultBoundsAreTheCalibratedParameters(t *testing.T) {
	fitted := map[string]bool{}
	for _, b := range calibrate.DefaultBounds {
		fitted[b.Name] = true
		if _, ok := sim.LookupParam(b.Name); !ok {
			t.Errorf("DefaultBounds: no parameter %s", b.Name)
		}
	}
	for _, s := range sim.ParamSpecs {
		if (s.Basis == sim.Calibrated) != fitted[s.Name] {
			t.Errorf("%s: basis %s but fitted by default = %v", s.Name, s.Basis, fitted[s.Name])
		}
	}
}

// The blocks of the project's calibration partition the calibrated
// parameters: each is fitted once, by exactly one block.
func TestBlocksPartitionTheCalibratedParameters(t *testing.T) {
	seen := map[string]string{}
	for _, b := range calibrate.Blocks {
		if _, ok := calibrate.LookupBlock(b.Name); !ok || len(b.Params) == 0 {
			t.Errorf("block %q: not found by name, or empty", b.Name)
		}
		for _, n := range b.Params {
			if prev, ok := seen[n]; ok {
				t.Errorf("%s in blocks %s and %s", n, prev, b.Name)
			}
			seen[n] = b.Name
		}
		if _, err := calibrate.ParseBounds(b.ParamList()); err != nil {
			t.Errorf("block %s: %v", b.Name, err)
		}
	}
	for _, d := range calibrate.DefaultBounds {
		if seen[d.Name] == "" {
			t.Errorf("%s is calibrated but in no block", d.Name)
		}
	}
	if len(seen) != len(calibrate.DefaultBounds) {
		t.Errorf("blocks hold %d parameters, DefaultBounds %d", len(seen), len(calibrate.DefaultBounds))
	}
	if calibrate.Blocks[0].Stationary {
		t.Error("the record block must fit on the record alone")
	}
}

// DefaultParams are the kept calibration: every calibrated parameter's
// default is its value in docs/calibration/calibrated.overlay (the output
// of make calibrate) rounded to five significant figures, and the overlay
// sets nothing else.
func TestDefaultsAreTheKeptCalibration(t *testing.T) {
	lines := keptOverlay(t, "calibrated.overlay")
	p := sim.DefaultParams()
	seen := map[string]bool{}
	for _, l := range lines {
		k, v, _ := strings.Cut(l, "=")
		name := strings.TrimPrefix(k, "parameters.")
		spec, ok := sim.LookupParam(name)
		if !ok || spec.Basis != sim.Calibrated {
			t.Errorf("%s: not a calibrated parameter", k)
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 5, 64), 64)
		if got := spec.Get(&p); got != want {
			t.Errorf("%s: default %v, the kept calibration %v (%v to five figures)", name, got, x, want)
		}
		seen[name] = true
	}
	for _, b := range calibrate.DefaultBounds {
		if !seen[b.Name] {
			t.Errorf("%s: calibrated but not in docs/calibration/calibrated.overlay", b.Name)
		}
	}
}

// TestTargetsAtDefaults runs the model forward from the observed 1981 world
// at the default parameters (20 replicates, seed 1, as README and
// docs/calibration quote) and checks each of issue 12's targets on the
// record against what docs/calibration/README.md reports: met, or missed
// (a finding). A change that meets or misses another target shows here.
func TestTargetsAtDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("20 replicates of the record in -short mode")
	}
	p := panel(t)
	sc := imported(t, p, 1981)
	tg := target(t, p, 1981)
	r, err := calibrate.Simulate(context.Background(), sc, sc.Params, tg, calibrate.Options{Replicates: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	missed := map[string]bool{} // none (docs/calibration/README.md)
	checks := calibrate.Targets(calibrate.Compare(tg, r))
	if len(checks) != 10 {
		t.Fatalf("%d targets, want 10", len(checks))
	}
	for _, c := range checks {
		t.Logf("%v %s: %s", c.OK, c.Target, c.Value)
		if c.OK == missed[c.Target] {
			t.Errorf("%s: %s, met = %v; docs/calibration/README.md says the opposite: update it (and this test) if the model changed on purpose", c.Target, c.Value, c.OK)
		}
	}
}

// TestMultiStart: with further starts the search runs from the scenario's
// values first, exactly as without them, then from each start: first with
// the start's parameter held, then with all free, each stage within its
// budget; the fit is the best evaluation of all. A start naming a parameter
// that is not fitted, a value outside its interval, or every fitted
// parameter is refused.
func TestMultiStart(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1995)
	tg := target(t, p, 1995)
	bounds := []calibrate.Bound{{Name: "temperature", Lo: 0.005, Hi: 0.15, Log: true}, {Name: "lockin_weight", Lo: 0.01, Hi: 1, Log: true}}
	cfg := calibrate.Config{Scenario: sc, Target: tg, Bounds: bounds, FitLast: 3, MaxEvals: 8,
		Options: calibrate.Options{Replicates: 2, Seed: 5}}
	one, err := calibrate.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	starts := []float64{0.01, 0.1}
	for _, v := range starts {
		cfg.Starts = append(cfg.Starts, calibrate.Start{{Name: "temperature", Value: v}})
	}
	multi, err := calibrate.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(multi.Starts) != 3 {
		t.Fatalf("%d start results, want 3", len(multi.Starts))
	}
	// the first start's search is the single-start search
	for i, e := range one.History {
		m := multi.History[i]
		if m.Start != 0 || m.Objective != e.Objective || !slices.Equal(m.Values, e.Values) {
			t.Fatalf("evaluation %d: %+v with starts, %+v without", i+1, m, e)
		}
	}
	best := multi.History[0]
	seen, heldN, freed := map[int]int{}, map[int]int{}, map[int]bool{}
	for i, e := range multi.History {
		seen[e.Start]++
		if e.Start > 0 {
			want := starts[e.Start-1]
			if e.Held {
				heldN[e.Start]++
				if freed[e.Start] {
					t.Errorf("evaluation %d: start %d held again after its free stage", e.N, e.Start)
				}
				if math.Abs(e.Values[0]-want) > 1e-9*want {
					t.Errorf("evaluation %d: start %d's first stage moved the held temperature to %g (start %g)", e.N, e.Start, e.Values[0], want)
				}
			} else {
				freed[e.Start] = true
			}
			if i > 0 && e.Start != multi.History[i-1].Start && (!e.Held || math.Abs(e.Values[0]-want) > 1e-9*want) {
				t.Errorf("start %d begins at temperature %g (held %v), want %g held", e.Start, e.Values[0], e.Held, want)
			}
		} else if e.Held {
			t.Errorf("evaluation %d: the scenario's own start has no held stage", e.N)
		}
		if e.Objective < best.Objective {
			best = e
		}
	}
	for k := range 3 {
		budget := cfg.MaxEvals
		if k > 0 {
			budget = 2 * cfg.MaxEvals
			if heldN[k] == 0 || heldN[k] > cfg.MaxEvals || !freed[k] {
				t.Errorf("start %d: %d evaluations held (budget %d), a free stage: %v", k, heldN[k], cfg.MaxEvals, freed[k])
			}
		}
		if seen[k] == 0 || seen[k] > budget || multi.Starts[k].Evals != seen[k] {
			t.Errorf("start %d: %d evaluations, reported %d (budget %d)", k, seen[k], multi.Starts[k].Evals, budget)
		}
	}
	if multi.Best[0] != best.Values[0] || multi.Objective != best.Objective {
		t.Errorf("fit temperature %g objective %g, want the best evaluation %g (%g)", multi.Best[0], multi.Objective, best.Values[0], best.Objective)
	}
	if multi.Starts[1].Start != "temperature=0.01" {
		t.Errorf("start 2 reported as %q", multi.Starts[1].Start)
	}

	for _, bad := range []struct {
		st   calibrate.Start
		want string
	}{
		{calibrate.Start{{Name: "base_need", Value: 0.5}}, "not a fitted parameter"},
		{calibrate.Start{{Name: "temperature", Value: 0.5}}, "outside its interval"},
		{calibrate.Start{{Name: "temperature", Value: 0.02}, {Name: "lockin_weight", Value: 0.5}}, "names every fitted parameter"},
	} {
		cfg.Starts = []calibrate.Start{bad.st}
		if _, err := calibrate.Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("start %s: error %v, want one saying %q", bad.st, err, bad.want)
		}
	}
	for _, s := range []string{"temperature", "temperature=abc", "=1", "temperature=NaN"} {
		if _, err := calibrate.ParseStart(s); err == nil {
			t.Errorf("ParseStart(%q) accepted", s)
		}
	}
	if st, err := calibrate.ParseStart("temperature=0.02, lockin_weight=0.5"); err != nil || st.String() != "temperature=0.02,lockin_weight=0.5" {
		t.Errorf("ParseStart: %v, %v", st, err)
	}
}

// TestOneEvaluation: a budget of one evaluation is the starting point
// judged, not a crash (the optimiser never runs).
func TestOneEvaluation(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1995)
	tg := target(t, p, 1995)
	fit, err := calibrate.Run(context.Background(), calibrate.Config{Scenario: sc, Target: tg, FitLast: 3, MaxEvals: 1,
		Bounds:  []calibrate.Bound{{Name: "temperature", Lo: 0.005, Hi: 0.15, Log: true}},
		Options: calibrate.Options{Replicates: 2, Seed: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if fit.Evals != 1 || fit.Best[0] != fit.Start[0] || fit.Objective != fit.StartIn {
		t.Errorf("one evaluation: %d evaluations, best %v from %v, objective %g (start %g)", fit.Evals, fit.Best, fit.Start, fit.Objective, fit.StartIn)
	}
}

// sameFloat: equal, or both NaN (a statistic not defined at a step)
func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// A horizon short of the target's last step simulates the same steps up to
// it (the run is sequential) and none after; a fit's search evaluations use
// it, so the fit and the objectives in sample are those of full runs, and
// the objective out of sample is the start's and the fit's alone.
func TestHorizonSimulatesTheFittedStepsAlone(t *testing.T) {
	p := panel(t)
	sc := imported(t, p, 1995)
	tg := target(t, p, 1995)
	o := calibrate.Options{Replicates: 2, Seed: 5}
	full, err := calibrate.Simulate(context.Background(), sc, sc.Params, tg, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Horizon = 3
	short, err := calibrate.Simulate(context.Background(), sc, sc.Params, tg, o)
	if err != nil {
		t.Fatal(err)
	}
	for rep := range full.V {
		for step := range full.V[rep] {
			switch {
			case step <= 3 && !slices.EqualFunc(short.V[rep][step], full.V[rep][step], sameFloat):
				t.Fatalf("replicate %d, step %d: %v with horizon 3, %v without", rep, step, short.V[rep][step], full.V[rep][step])
			case step > 3 && short.V[rep][step] != nil:
				t.Fatalf("replicate %d, step %d past horizon 3 simulated: %v", rep, step, short.V[rep][step])
			}
		}
	}
	fit, err := calibrate.Run(context.Background(), calibrate.Config{Scenario: sc, Target: tg, FitLast: 3, MaxEvals: 6,
		Bounds:  []calibrate.Bound{{Name: "temperature", Lo: 0.005, Hi: 0.15, Log: true}},
		Options: calibrate.Options{Replicates: 2, Seed: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if math.IsNaN(fit.StartOut) || math.IsNaN(fit.OutOfSample) || fit.History[0].Out != fit.StartOut {
		t.Fatalf("out of sample: start %g (history %g), fit %g; want both worked out", fit.StartOut, fit.History[0].Out, fit.OutOfSample)
	}
	for _, e := range fit.History[1:] {
		if !math.IsNaN(e.Out) {
			t.Fatalf("evaluation %d: out of sample %g, want NaN (the search simulates the fitted steps alone)", e.N, e.Out)
		}
		// its objective in sample is that of a full run
		ps, err := calibrate.Params(sc.Params, fit.Bounds, e.Values)
		if err != nil {
			t.Fatal(err)
		}
		r, err := calibrate.Simulate(context.Background(), sc, ps, tg, calibrate.Options{Replicates: 2, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if got := calibrate.Objective(tg, r, calibrate.DefaultMoments, 1, 3); got != e.Objective {
			t.Fatalf("evaluation %d: objective %g in the search, %g from a full run", e.N, e.Objective, got)
		}
	}
}
