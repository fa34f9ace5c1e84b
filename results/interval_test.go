package results_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim/metrics"
	"gonum.org/v1/gonum/stat/distuv"
)

// Every metric of the catalog has a range, so its summary interval respects
// it; a metric added to the catalog without one fails here.
func TestEveryCatalogMetricHasARange(t *testing.T) {
	for _, s := range metrics.Catalog() {
		if _, ok := results.MetricRange(s.Name); !ok {
			t.Errorf("metric %q has no range in results/interval.go (metricRanges)", s.Name)
		}
	}
}

// Intervals of counts and shares never leave their range, always hold the
// mean, and are the plain Student-t interval where it fits inside the range
// and n is large.
func TestCIWithinStaysInRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 2000; trial++ {
		n := 2 + rng.IntN(30)
		var share, count results.Welford
		for range n {
			// mostly zeros, as sparse counts and shares are early in a run
			if rng.Float64() < 0.7 {
				share.Add(0)
				count.Add(0)
			} else {
				share.Add(rng.Float64())
				count.Add(float64(rng.IntN(5)))
			}
		}
		for _, c := range []struct {
			w *results.Welford
			r results.Range
		}{{&share, results.Unit}, {&count, results.NonNegative}, {&share, results.Range{Lo: 0, Hi: 4}}} {
			lo, hi := c.w.CIWithin(0.95, c.r)
			if lo < c.r.Lo || hi > c.r.Hi || !(lo <= c.w.Mean && c.w.Mean <= hi) {
				t.Fatalf("n=%d mean %v sd %v in %v: interval [%v, %v]", c.w.N, c.w.Mean, c.w.SD(), c.r, lo, hi)
			}
		}
	}
	// far from the bounds with many replicates it is the t interval, nearly
	var w results.Welford
	for i := range 400 {
		w.Add(0.5 + 0.01*math.Sin(float64(i)))
	}
	lo, hi := w.CIWithin(0.95, results.Unit)
	tlo, thi := w.CI(0.95)
	if math.Abs(lo-tlo) > 1e-5 || math.Abs(hi-thi) > 1e-5 {
		t.Errorf("central share: [%v, %v], t interval [%v, %v]", lo, hi, tlo, thi)
	}
}

func TestCIWithinCases(t *testing.T) {
	add := func(xs ...float64) *results.Welford {
		var w results.Welford
		for _, x := range xs {
			w.Add(x)
		}
		return &w
	}
	// counts 0 and 1: the t interval [-5.85, 6.85]; on the square-root scale
	// sqrt(0.5) ± 12.706·0.5/(2 sqrt(0.5)), cut at 0, squared: [0, 27.03]
	lo, hi := add(0, 1).CIWithin(0.95, results.NonNegative)
	if lo != 0 || math.Abs(hi-27.034057) > 1e-5 {
		t.Errorf("counts {0, 1}: [%v, %v], want [0, 27.034]", lo, hi)
	}
	// identical values: a point
	if lo, hi := add(0.3, 0.3, 0.3).CIWithin(0.95, results.Unit); lo != 0.3 || hi != 0.3 {
		t.Errorf("constant: [%v, %v]", lo, hi)
	}
	// all at the bound
	if lo, hi := add(0, 0, 0).CIWithin(0.95, results.NonNegative); lo != 0 || hi != 0 {
		t.Errorf("zeros: [%v, %v]", lo, hi)
	}
	// a value outside the declared range: the plain interval
	w := add(-1, 1, 2)
	lo, hi = w.CIWithin(0.95, results.NonNegative)
	if tlo, thi := w.CI(0.95); lo != tlo || hi != thi {
		t.Errorf("out of range data: [%v, %v], want the t interval [%v, %v]", lo, hi, tlo, thi)
	}
	// unbounded: the plain interval
	w = add(1, 2, 3, 4)
	lo, hi = w.CIWithin(0.95, results.Unbounded)
	if tlo, thi := w.CI(0.95); lo != tlo || hi != thi {
		t.Errorf("unbounded: [%v, %v], want [%v, %v]", lo, hi, tlo, thi)
	}
	// n = 1: no interval
	if lo, hi := add(1).CIWithin(0.95, results.Unit); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("n=1: [%v, %v]", lo, hi)
	}
	// an upper-bounded range mirrors the lower-bounded one
	lo1, hi1 := add(0, 1, 3).CIWithin(0.95, results.NonNegative)
	lo2, hi2 := add(0, -1, -3).CIWithin(0.95, results.Range{Lo: math.Inf(-1), Hi: 0})
	if math.Abs(lo1+hi2) > 1e-12 || math.Abs(hi1+lo2) > 1e-12 {
		t.Errorf("mirror: [%v, %v] vs [%v, %v]", lo1, hi1, lo2, hi2)
	}
}

// The angular interval keeps close to its nominal coverage for a share near
// 0 where the t interval, cut at 0, covers less.
func TestCIWithinCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const trials, n, p = 4000, 10, 0.08
	hit := 0
	for range trials {
		var w results.Welford
		for range n {
			// a share per replicate: 20 trials of probability p
			k := 0
			for range 20 {
				if rng.Float64() < p {
					k++
				}
			}
			w.Add(float64(k) / 20)
		}
		lo, hi := w.CIWithin(0.95, results.Unit)
		if lo <= p && p <= hi {
			hit++
		}
	}
	if cov := float64(hit) / trials; cov < 0.93 {
		t.Errorf("coverage %.3f, want about 0.95", cov)
	}
}

func TestDifferenceSummarizer(t *testing.T) {
	s := results.NewDifferenceSummarizer()
	for _, d := range []float64{-0.4, -0.5, 0.1} {
		s.Add(0, "density", "", d)
	}
	r := s.Rows()[0]
	if r.CILow < -1 || r.CIHigh > 1 || r.CILow >= r.Mean || r.CIHigh <= r.Mean {
		t.Errorf("difference of shares: %+v", r)
	}
	if got := results.NonNegative.Difference(); !got.Unbounded() {
		t.Errorf("difference of counts %v, want unbounded", got)
	}
	// a plain summarizer row of a count never goes below 0
	c := results.NewSummarizer()
	for _, v := range []float64{0, 0, 0, 2} {
		c.Add(0, "ties_total", "", v)
	}
	if r := c.Rows()[0]; r.CILow < 0 {
		t.Errorf("count interval %+v", r)
	}
}

func TestTQuantileCached(t *testing.T) {
	for df := 1; df < 50; df++ {
		a, b := results.TQuantile(0.975, df), results.TQuantile(0.975, df)
		if a != b || !(a > 1.95) {
			t.Fatalf("t(0.975, %d) = %v then %v", df, a, b)
		}
	}
}

func BenchmarkSummaryRows(b *testing.B) {
	s := results.NewSummarizer()
	for rep := range 20 {
		for step := range 100 {
			for m, name := range []string{"density", "ties_total", "modularity", "x"} {
				for a := range 10 {
					s.Add(step, name, string(rune('A'+a)), float64((rep*7+step*3+m+a)%11))
				}
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Rows()
	}
}

// BenchmarkTQuantile is the cached quantile a summary row asks for; the
// uncached one is what every row paid before (issue 15: 23% of a
// 1,000-point sweep).
func BenchmarkTQuantile(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_ = results.TQuantile(0.975, 1+i%20)
	}
}

func BenchmarkTQuantileUncached(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_ = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(1 + i%20)}.Quantile(0.975)
	}
}
