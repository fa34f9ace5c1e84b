package sim

import "testing"

func TestOneIfAny(t *testing.T) {
	for _, c := range []struct {
		m    uint64
		want float64
	}{{0, 0}, {1, 1}, {2, 1}, {1 << 63, 1}, {^uint64(0), 1}, {0x8000_0000, 1}} {
		if got := oneIfAny(c.m); got != c.want {
			t.Errorf("oneIfAny(%#x) = %v, want %v", c.m, got, c.want)
		}
	}
}
