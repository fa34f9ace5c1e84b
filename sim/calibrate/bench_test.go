package calibrate_test

import (
	"context"
	"testing"

	"github.com/entente/entente/sim/calibrate"
)

// BenchmarkReplicateRecord: one replicate of the record forward from 1981 to
// 2000 at the defaults, with its yearly statistics (issue 12's target: at
// most 20 ms CPU). One worker, so ns/op is CPU time.
func BenchmarkReplicateRecord(b *testing.B) {
	p := panel(b)
	sc := imported(b, p, 1981)
	tg := target(b, p, 1981)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := calibrate.Simulate(context.Background(), sc, sc.Params, tg, calibrate.Options{Replicates: 1, Seed: uint64(i + 1), Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompare100: compare's forward run, 100 replicates (issue 12's
// target: under 5 s wall on 2 cores).
func BenchmarkCompare100(b *testing.B) {
	p := panel(b)
	sc := imported(b, p, 1981)
	tg := target(b, p, 1981)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := calibrate.Simulate(context.Background(), sc, sc.Params, tg, calibrate.Options{Replicates: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
