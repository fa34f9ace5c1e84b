package calibrate_test

import (
	"math"
	"slices"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/calibrate"
)

// FuzzParseBounds: any --params argument gives bounds or an error, never a
// panic; every bound parsed is a parameter's, a non-empty interval inside
// its range, and its coordinate map stays inside it.
func FuzzParseBounds(f *testing.F) {
	for _, s := range []string{"temperature", "temperature:0.01:0.2,base_need", "temperature:0.2:0.01", "nope", "temperature:", "candidates", ",,", "lockin_weight:0:1e308", "temperature:NaN:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bs, err := calibrate.ParseBounds(s)
		if err != nil {
			return
		}
		if len(bs) == 0 {
			t.Fatalf("%q: no bounds and no error", s)
		}
		for _, b := range bs {
			spec, ok := sim.LookupParam(b.Name)
			if !ok {
				t.Fatalf("%q: bound on %q, not a parameter", s, b.Name)
			}
			if !(b.Lo < b.Hi) || b.Lo < spec.Min || b.Hi > spec.Max {
				t.Fatalf("%q: %s in [%g, %g], the parameter's range [%g, %g]", s, b.Name, b.Lo, b.Hi, spec.Min, spec.Max)
			}
			for _, z := range []float64{-30, -1, 0, 1, 30} {
				if x := b.X(z); !(x >= b.Lo && x <= b.Hi) {
					t.Fatalf("%q: %s at coordinate %g is %g, outside [%g, %g]", s, b.Name, z, x, b.Lo, b.Hi)
				}
			}
		}
	})
}

// FuzzParseStart: any --start argument gives a start or an error, never a
// panic; a start parsed has finite values and reads back from its String.
func FuzzParseStart(f *testing.F) {
	for _, s := range []string{"temperature=0.02", "temperature=0.02,base_need=2", "temperature", "=1", "x=NaN", "x=1e400", "a=1,,b=2", " a = 3 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := calibrate.ParseStart(s)
		if err != nil {
			return
		}
		for _, x := range st {
			if math.IsNaN(x.Value) || math.IsInf(x.Value, 0) {
				t.Fatalf("%q: %s = %g", s, x.Name, x.Value)
			}
		}
		again, err := calibrate.ParseStart(st.String())
		if err != nil {
			t.Fatalf("%q parsed to %v, whose String %q does not parse: %v", s, st, st.String(), err)
		}
		if !slices.Equal(again, st) {
			t.Fatalf("%q: %v, read back from %q as %v", s, st, st.String(), again)
		}
	})
}
