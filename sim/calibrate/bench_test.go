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

// BenchmarkCalibrateRecord80: the record block of the calibration, 10
// replicates and up to 80 evaluations from docs/calibration/start.overlay, as
// `entente calibrate --import-year 1981 --replicates 10 --evals 80 --seed 1
// --block record --overlay docs/calibration/start.overlay` runs it (issue
// 12's target: under 20 s wall on 2 cores). One op is the whole fit. A
// test binary is built without the profile the command is built with;
// -pgo gives it:
//
//	go test -pgo=$PWD/cmd/entente/default.pgo -run '^$' -bench CalibrateRecord80 -benchtime 1x ./sim/calibrate/
func BenchmarkCalibrateRecord80(b *testing.B) {
	p := panel(b)
	sc := imported(b, p, 1981, keptOverlay(b, "start.overlay")...)
	tg := target(b, p, 1981)
	blk, _ := calibrate.LookupBlock("record")
	bounds, err := calibrate.ParseBounds(blk.ParamList())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fit, err := calibrate.Run(context.Background(), calibrate.Config{Scenario: sc, Target: tg, Bounds: bounds, FitLast: 1995 - 1981,
			MaxEvals: 80, Starts: blk.Starts, Options: calibrate.Options{Replicates: 10, Seed: 1}})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("objective %.4g in sample, %.4g out of sample, %d evaluations", fit.Objective, fit.OutOfSample, fit.Evals)
		// up to 80: a restart of Nelder–Mead that its simplex would not
		// fit in what is left of the budget is not begun (calibrate.go,
		// search), so a fit may end a few evaluations short
		if fit.Evals > 80 || fit.Evals < 60 {
			b.Fatalf("%d evaluations, want up to 80 (and not a search stopped early)", fit.Evals)
		}
	}
}
