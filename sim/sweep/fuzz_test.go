package sweep_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
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

// FuzzReadSweepFiles: any points.csv or outcomes_summary.csv (read by a
// resumed sweep, merge and the outcome table) is read or refused with an
// error naming the file, never a panic.
func FuzzReadSweepFiles(f *testing.F) {
	f.Add([]byte("point,parameters.temperature\n1,0.1\n2,0.2\n"), []byte("point,outcome,n,mean,sd,ci_low,ci_high\n1,density,2,0.1,0.01,0.05,0.15\n2,density,1,0.2,NA,NA,NA\n"))
	f.Add([]byte("point\n"), []byte("point,outcome\n"))
	f.Add([]byte("point,k\n1,x\n"), []byte("point,outcome,n,mean,sd,ci_low,ci_high\n1,d,z,1,1,1,1\n"))
	f.Add([]byte("\"\n"), []byte(""))
	f.Fuzz(func(t *testing.T, points, summary []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, sweep.PointsFile), points, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sweep.OutcomesSummaryFile), summary, 0o644); err != nil {
			t.Fatal(err)
		}
		if keys, pts, err := sweep.ReadPoints(dir); err != nil {
			if !strings.Contains(err.Error(), sweep.PointsFile) {
				t.Fatalf("the error does not name the file: %v", err)
			}
		} else {
			for i, p := range pts {
				if len(p) != len(keys) {
					t.Fatalf("point %d has %d values for %d keys", i+1, len(p), len(keys))
				}
			}
		}
		if _, err := sweep.ReadOutcomesSummary(dir); err != nil && !strings.Contains(err.Error(), sweep.OutcomesSummaryFile) {
			t.Fatalf("the error does not name the file: %v", err)
		}
		_ = sweep.PrintOutcomes(io.Discard, dir)
	})
}
