package sweep_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/entente/entente/results"

	"github.com/entente/entente/sim/sweep"
)

func sobolOf(t *testing.T, fs []sweep.Factor, n int, f func(x []float64) float64) []sweep.SobolIndex {
	t.Helper()
	d, err := sweep.NewDesign(sweep.Sobol, fs, n, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != n*(len(fs)+2) {
		t.Fatalf("%d points, want %d", d.Len(), n*(len(fs)+2))
	}
	e, err := sweep.NewSobolEstimator(d, []string{"y"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Len() {
		if err := e.Add(i, []float64{f(d.Point(i))}); err != nil {
			t.Fatal(err)
		}
	}
	return e.Indices()
}

// Sobol indices of functions whose indices are known analytically.
func TestSobolRecoversKnownIndices(t *testing.T) {
	fs := factors(t, "x1=0:1", "x2=0:1", "x3=0:1")
	// additive: y = 4 x1 + 2 x2 (+ 0 x3): variances 16/12 and 4/12, so
	// S1 = ST = 0.8, 0.2, 0
	// (a large mean, 100, must not matter: the outcomes are centred)
	idx := sobolOf(t, fs, 4000, func(x []float64) float64 { return 100 + 4*x[0] + 2*x[1] })
	for j, want := range []float64{0.8, 0.2, 0} {
		if math.Abs(idx[j].S1-want) > 0.05 || math.Abs(idx[j].ST-want) > 0.05 {
			t.Errorf("%s: S1 %.3f ST %.3f, want %.2f", idx[j].Key, idx[j].S1, idx[j].ST, want)
		}
		// the bootstrap intervals hold the estimate, are narrow, and are
		// within two of their widths of the truth
		for _, c := range [][3]float64{{idx[j].S1Low, idx[j].S1, idx[j].S1Hi}, {idx[j].STLow, idx[j].ST, idx[j].STHi}} {
			lo, est, hi := c[0], c[1], c[2]
			if !(lo <= est && est <= hi) || hi-lo > 0.15 || want < lo-2*(hi-lo) || want > hi+2*(hi-lo) {
				t.Errorf("%s: interval [%v, %v], estimate %v, truth %v", idx[j].Key, lo, hi, est, want)
			}
		}
		if idx[j].Warning != "" {
			t.Errorf("%s: warning %q on a good sample", idx[j].Key, idx[j].Warning)
		}
	}
	// interaction: y = x1 x2 has Var = 7/144, V1 = V2 = 3/144, so S1 = 3/7
	// and ST = 4/7 for both, and 0 for x3
	idx = sobolOf(t, fs, 4000, func(x []float64) float64 { return x[0] * x[1] })
	for j, want := range [][2]float64{{3.0 / 7, 4.0 / 7}, {3.0 / 7, 4.0 / 7}, {0, 0}} {
		if math.Abs(idx[j].S1-want[0]) > 0.05 || math.Abs(idx[j].ST-want[1]) > 0.05 {
			t.Errorf("x1*x2, %s: S1 %.3f ST %.3f, want %.3f %.3f", idx[j].Key, idx[j].S1, idx[j].ST, want[0], want[1])
		}
	}
}

func TestSobolDesign(t *testing.T) {
	if _, err := sweep.NewDesign(sweep.Sobol, factors(t, "a=1,2"), 10, 0, 1); err == nil {
		t.Error("a list in a Sobol design accepted")
	}
	if _, err := sweep.NewDesign(sweep.Sobol, factors(t, "a=0:1"), 1, 0, 1); err == nil {
		t.Error("one base row accepted")
	}
	a, _ := sweep.NewDesign(sweep.Sobol, factors(t, "a=0:1", "b=0:1"), 5, 0, 3)
	b, _ := sweep.NewDesign(sweep.Sobol, factors(t, "a=0:1", "b=0:1"), 5, 0, 3)
	for i := range a.Len() {
		pa, pb := a.Point(i), b.Point(i)
		if pa[0] != pb[0] || pa[1] != pb[1] {
			t.Fatal("the Sobol design is not reproducible from its seed")
		}
	}
	// AB^(1) of row 0 is A_0 with column 0 from B_0
	A, B, AB1 := a.Point(0), a.Point(1), a.Point(2)
	if AB1[0] != B[0] || AB1[1] != A[1] {
		t.Fatalf("AB1 %v from A %v, B %v", AB1, A, B)
	}
}

// A sample too small for the indices says so, and its intervals are wide
// enough to hold the truth; noisy point means say so too.
func TestSobolWarnsOnSmallOrNoisySamples(t *testing.T) {
	fs := factors(t, "x1=0:1", "x2=0:1")
	idx := sobolOf(t, fs, 12, func(x []float64) float64 { return 4*x[0] + 2*x[1] })
	for _, x := range idx {
		if !strings.Contains(x.Warning, "only 12 base rows") {
			t.Errorf("%s: warning %q, want one about the 12 base rows", x.Key, x.Warning)
		}
	}
	if w := sweep.SobolWarnings(idx); len(w) == 0 || !strings.Contains(w[0], "(y)") {
		t.Errorf("summed warnings %q", w)
	}
	// point means with replicate noise as large as the effects
	d, err := sweep.NewDesign(sweep.Sobol, fs, 200, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := sweep.NewSobolEstimator(d, []string{"y"})
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range d.Len() {
		x := d.Point(i)
		var acc results.Welford
		for range 2 {
			acc.Add(x[0] + rng.NormFloat64())
		}
		if err := e.AddReplicates(i, []results.Welford{acc}); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range e.Indices() {
		if !(x.Noise > 0.5) || !strings.Contains(x.Warning, "model noise") {
			t.Errorf("%s: noise share %v, warning %q", x.Key, x.Noise, x.Warning)
		}
	}
}
