package sweep_test

import (
	"math"
	"testing"

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
	idx := sobolOf(t, fs, 20000, func(x []float64) float64 { return 4*x[0] + 2*x[1] })
	for j, want := range []float64{0.8, 0.2, 0} {
		if math.Abs(idx[j].S1-want) > 0.03 || math.Abs(idx[j].ST-want) > 0.03 {
			t.Errorf("%s: S1 %.3f ST %.3f, want %.2f", idx[j].Key, idx[j].S1, idx[j].ST, want)
		}
		if !(idx[j].S1Low <= idx[j].S1 && idx[j].S1 <= idx[j].S1Hi) {
			t.Errorf("%s: interval [%v, %v] misses %v", idx[j].Key, idx[j].S1Low, idx[j].S1Hi, idx[j].S1)
		}
	}
	// interaction: y = x1 x2 has Var = 7/144, V1 = V2 = 3/144, so S1 = 3/7
	// and ST = 4/7 for both, and 0 for x3
	idx = sobolOf(t, fs, 20000, func(x []float64) float64 { return x[0] * x[1] })
	for j, want := range [][2]float64{{3.0 / 7, 4.0 / 7}, {3.0 / 7, 4.0 / 7}, {0, 0}} {
		if math.Abs(idx[j].S1-want[0]) > 0.03 || math.Abs(idx[j].ST-want[1]) > 0.03 {
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
