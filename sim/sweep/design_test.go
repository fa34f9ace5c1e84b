package sweep_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/sim/sweep"
)

func TestParseFactor(t *testing.T) {
	f, err := sweep.ParseFactor("retrenchment.political=0:0.8:3")
	if err != nil || f.Key != "retrenchment.political" || f.From != 0 || f.To != 0.8 || f.N != 3 || !f.IsRange() {
		t.Fatalf("%+v %v", f, err)
	}
	f, err = sweep.ParseFactor("parameters.temperature=0.5,1, 1.5")
	if err != nil || !slices.Equal(f.Values, []float64{0.5, 1, 1.5}) {
		t.Fatalf("%+v %v", f, err)
	}
	if f, _ := sweep.ParseFactor("parameters.candidates=1:9"); !f.Integer {
		t.Fatal("candidates is a whole number")
	}
	for _, bad := range []string{"", "x", "=1", "k=", "k=a:b:3", "k=0:1:0", "k=0:1:x", "k=1:0:3", "k=0:1:2:3", "k=1,,2", "k=NaN", "k=0.5:0.5:3"} {
		if _, err := sweep.ParseFactor(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestGridOrder(t *testing.T) {
	d, err := sweep.NewDesign(sweep.Grid, factors(t, "a=0:0.8:3", "b=0.5,1.5"), 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0, 0.5}, {0, 1.5}, {0.4, 0.5}, {0.4, 1.5}, {0.8, 0.5}, {0.8, 1.5}}
	if d.Len() != len(want) {
		t.Fatalf("%d points", d.Len())
	}
	for i, w := range want {
		if got := d.Point(i); !slices.Equal(got, w) {
			t.Errorf("point %d = %v, want %v", i, got, w)
		}
	}
	if _, err := sweep.NewDesign(sweep.Grid, factors(t, "a=0:1"), 0, 0, 1); err == nil {
		t.Error("a grid without N accepted")
	}
}

// A Latin hypercube is a function of the seed, and each factor has exactly
// one point in each of the n equal strata of its range.
func TestLHSReproducibleAndStratified(t *testing.T) {
	fs := factors(t, "a=0:1", "b=10:20", "c=0.5,1,2,4")
	const n = 40
	d1, err := sweep.NewDesign(sweep.LHS, fs, n, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := sweep.NewDesign(sweep.LHS, fs, n, 0, 7)
	d3, _ := sweep.NewDesign(sweep.LHS, fs, n, 0, 8)
	same3 := true
	for i := range n {
		if !slices.Equal(d1.Point(i), d2.Point(i)) {
			t.Fatalf("point %d differs with the same seed", i)
		}
		if !slices.Equal(d1.Point(i), d3.Point(i)) {
			same3 = false
		}
	}
	if same3 {
		t.Fatal("another seed gives the same sample")
	}
	for j, f := range fs[:2] {
		seen := make([]int, n)
		for i := range n {
			v := d1.Point(i)[j]
			if v < f.From || v > f.To {
				t.Fatalf("%s = %v out of range", f.Key, v)
			}
			seen[min(n-1, int((v-f.From)/(f.To-f.From)*n))]++
		}
		for s, c := range seen {
			if c != 1 {
				t.Fatalf("%s: stratum %d has %d points", f.Key, s, c)
			}
		}
	}
	// a list is stratified too: each of 4 values n/4 times
	count := map[float64]int{}
	for i := range n {
		count[d1.Point(i)[2]]++
	}
	for _, v := range fs[2].Values {
		if count[v] != n/4 {
			t.Fatalf("value %v drawn %d times, want %d", v, count[v], n/4)
		}
	}
}

// morrisOf runs the estimator on a function of the factor values.
func morrisOf(t *testing.T, fs []sweep.Factor, r int, y func(x []float64) float64) []sweep.MorrisEffect {
	t.Helper()
	d, err := sweep.NewDesign(sweep.Morris, fs, r, 4, 11)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != r*(len(fs)+1) {
		t.Fatalf("%d points", d.Len())
	}
	m, err := sweep.NewMorrisEstimator(d, []string{"y"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Len() {
		if err := m.Add(i, []float64{y(d.Point(i))}); err != nil {
			t.Fatal(err)
		}
	}
	return m.Effects()
}

// Morris recovers known effects: y = 10 x1 + 2 x2 + 0 x3 has elementary
// effects exactly 10, 2 and 0 with no spread; a nonlinear function ranks by
// mu* and shows its nonlinearity and interaction in sigma.
func TestMorrisRecoversKnownEffects(t *testing.T) {
	fs := factors(t, "x1=0:1", "x2=0:1", "x3=0:1")
	e := morrisOf(t, fs, 20, func(x []float64) float64 { return 10*x[0] + 2*x[1] + 0*x[2] })
	want := []float64{10, 2, 0}
	for j, w := range want {
		if e[j].R != 20 || math.Abs(e[j].Mu-w) > 1e-9 || math.Abs(e[j].MuStar-w) > 1e-9 || e[j].Sigma > 1e-9 {
			t.Errorf("%s: %+v, want mu = mu* = %v, sigma 0", e[j].Key, e[j], w)
		}
	}
	// a range scales the effect: y = x over 0..5 has effects 5 per unit range
	e = morrisOf(t, factors(t, "x=0:5"), 5, func(x []float64) float64 { return x[0] })
	if math.Abs(e[0].Mu-5) > 1e-9 {
		t.Errorf("scaled effect %+v", e[0])
	}
	// nonlinear: y = 8 sin(pi x1) + x2^2 + 4 x1 x3: x1 most important,
	// non-monotonic (mu* > |mu|), x3 by interaction (sigma > 0), x2 least
	e = morrisOf(t, fs, 50, func(x []float64) float64 {
		return 8*math.Sin(math.Pi*x[0]) + x[1]*x[1] + 4*x[0]*x[2]
	})
	if !(e[0].MuStar > e[2].MuStar && e[2].MuStar > e[1].MuStar) {
		t.Errorf("order by mu*: %+v", e)
	}
	if !(e[0].MuStar > math.Abs(e[0].Mu)+1) {
		t.Errorf("x1 non-monotonic effect should cancel in mu: %+v", e[0])
	}
	if !(e[2].Sigma > 0.5) || e[1].Sigma > e[2].Sigma {
		t.Errorf("sigma: x2 %+v x3 %+v", e[1], e[2])
	}
}

func TestMorrisDesignErrors(t *testing.T) {
	if _, err := sweep.NewDesign(sweep.Morris, factors(t, "a=0:1"), 4, 3, 1); err == nil {
		t.Error("odd levels accepted")
	}
	if _, err := sweep.NewDesign(sweep.Morris, factors(t, "a=1,2"), 4, 4, 1); err == nil {
		t.Error("a list in a Morris design accepted")
	}
	if _, err := sweep.NewDesign("sobel", factors(t, "a=0:1"), 4, 4, 1); err == nil {
		t.Error("unknown design accepted")
	}
}

// Every design has a point cap, refused before anything is allocated (a
// Latin hypercube of 1e8 points once ran out of memory).
func TestDesignPointCaps(t *testing.T) {
	rng := factors(t, "retrenchment.political=0:1", "parameters.temperature=0.01:1")
	for _, c := range []struct {
		kind   string
		fs     []sweep.Factor
		points int
	}{
		{sweep.LHS, rng, 100_000_000},
		{sweep.LHS, rng, sweep.MaxPoints + 1},
		{sweep.Morris, rng, sweep.MaxPoints / 3 * 2},
		{sweep.Morris, rng, 1 << 62},
		{sweep.Sobol, rng, sweep.MaxPoints},
		{sweep.Grid, factors(t, "retrenchment.political=0:1:1001", "parameters.temperature=0.01:1:1000"), 0},
		{sweep.Grid, factors(t, "retrenchment.political=0:1:1000000000", "parameters.temperature=0.01:1:1000000000"), 0},
	} {
		_, err := sweep.NewDesign(c.kind, c.fs, c.points, 0, 1)
		if err == nil || !strings.Contains(err.Error(), "more than the 1000000 a sweep may have") {
			t.Errorf("%s with %d points: %v", c.kind, c.points, err)
		}
	}
	if d, err := sweep.NewDesign(sweep.Grid, factors(t, "retrenchment.political=0:1:1000", "parameters.temperature=0.01:1:1000"), 0, 0, 1); err != nil || d.Len() != sweep.MaxPoints {
		t.Errorf("a grid of exactly the cap: %v", err)
	}
}

// A linear y = x over a range of whole numbers has every elementary effect
// To - From (MorrisEffect's documentation), where the levels round to other
// numbers than the planned step: the effect is taken over the step the
// values took. It used to be divided by the planned step (candidates 0:2
// gave 1.5 instead of 2).
func TestMorrisEffectOfAWholeNumberFactor(t *testing.T) {
	for _, spec := range []string{"parameters.candidates=0:2", "parameters.candidates=1:9", "steps=10:40"} {
		fs := factors(t, spec)
		if !fs[0].Integer {
			t.Fatalf("%s: not a whole-number factor", spec)
		}
		e := morrisOf(t, fs, 30, func(x []float64) float64 { return x[0] })
		if want := fs[0].To - fs[0].From; math.Abs(e[0].MuStar-want) > 1e-9 || math.Abs(e[0].Mu-want) > 1e-9 {
			t.Errorf("%s: mu %v, mu* %v, want %v", spec, e[0].Mu, e[0].MuStar, want)
		}
	}
}

// A Latin hypercube over a range of whole numbers draws each of them about
// equally often; rounding used to give the two ends half the share of the
// others (1:3 over 300 points: 75, 150, 75).
func TestLatinHypercubeOverWholeNumbers(t *testing.T) {
	fs := factors(t, "parameters.candidates=1:3")
	const n = 300
	d, err := sweep.NewDesign(sweep.LHS, fs, n, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	count := map[float64]int{}
	for i := range n {
		count[d.Point(i)[0]]++
	}
	for v := 1.0; v <= 3; v++ {
		if count[v] < n/3-2 || count[v] > n/3+2 {
			t.Errorf("value %v drawn %d times of %d, want about %d (all: %v)", v, count[v], n, n/3, count)
		}
	}
}
