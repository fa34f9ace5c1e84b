package sweep_test

import (
	"testing"

	"github.com/entente/entente/sim/sweep"
)

// FuzzParseFactor: any --vary argument gives a factor or an error, never a
// panic, and a parsed factor has at least one value or a range.
func FuzzParseFactor(f *testing.F) {
	for _, s := range []string{"retrenchment.political=0:0.8:3", "parameters.temperature=0.5,1.5", "k=0:1", "k=", "=1", "k=1:2:0", "k=1:2:-3", "k=a:b:c", "k=1e308:1e309:2", "k=NaN:1:2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = sweep.ParseFactor(s)
	})
}

// FuzzParseShard: I/N parses only when 0 <= I < N.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "4/4", "-1/2", "1/0", "a/b", "1/2/3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		i, n, err := sweep.ParseShard(s)
		if err == nil && (i < 0 || i >= n) {
			t.Fatalf("%q parsed to %d/%d", s, i, n)
		}
	})
}
