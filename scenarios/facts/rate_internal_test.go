package facts

import (
	"math"
	"strings"
	"testing"
)

// The Wilson interval against its closed form worked out apart (Wilson
// 1927; z = 1.96): 8 of 100 is 4.1-15.0 %, 0 of 20 is 0-16.1 %, 20 of 20 is
// 83.9-100 %, 1 of 20 is 0.9-23.6 %; the interval holds n/m and narrows
// with m.
func TestWilsonInterval(t *testing.T) {
	const z = 1.959963984540054
	for _, c := range []struct {
		n, m   int
		lo, hi float64
	}{{8, 100, 0.04109, 0.14998}, {0, 20, 0, 0.16113}, {20, 20, 0.83887, 1}, {1, 20, 0.00888, 0.23613}} {
		lo, hi := wilson(c.n, c.m, z)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("wilson(%d, %d) = [%.5f, %.5f], want [%.5f, %.5f]", c.n, c.m, lo, hi, c.lo, c.hi)
		}
		if p := float64(c.n) / float64(c.m); p < lo || p > hi {
			t.Errorf("wilson(%d, %d) = [%g, %g] does not hold %g", c.n, c.m, lo, hi, p)
		}
	}
	lo1, hi1 := wilson(5, 100, z)
	lo2, hi2 := wilson(50, 1000, z)
	if !(hi2-lo2 < hi1-lo1) {
		t.Errorf("the interval does not narrow with the replicates: %g-%g at 100, %g-%g at 1000", lo1, hi1, lo2, hi2)
	}
	if got := rate(8, 100); !strings.Contains(got, "8 of 100 replicates (8.0 %; 95 % interval 4.1-15.0 %)") {
		t.Errorf("rate(8, 100) = %q", got)
	}
}

// The robustness check's share of points comes with its Wilson interval:
// 35 of 50 points (70 %) is 56.2-80.9 %, a share that 50 points do not
// tell apart from a target of 80 %; each fact's interval is its own.
func TestShareInterval(t *testing.T) {
	v := &Validation{}
	for i := range 50 {
		v.Points = append(v.Points, Point{Holds: []bool{i < 35, true}})
	}
	lo, hi := v.ShareInterval(0)
	if math.Abs(lo-0.56250) > 5e-5 || math.Abs(hi-0.80896) > 5e-5 {
		t.Errorf("35 of 50: interval [%.5f, %.5f], want [0.56250, 0.80896]", lo, hi)
	}
	if s := v.Share(0); s < lo || s > hi {
		t.Errorf("share %g outside its interval [%g, %g]", s, lo, hi)
	}
	if lo, hi := v.ShareInterval(1); hi != 1 || lo < 0.92 || lo > 0.93 {
		t.Errorf("50 of 50: interval [%.5f, %.5f], want [0.9287, 1]", lo, hi)
	}
}
