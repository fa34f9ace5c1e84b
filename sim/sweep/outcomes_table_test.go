package sweep_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/sim/sweep"
)

// writeSweepFiles writes a sweep folder's points.csv (one factor, "x" =
// i/10 at point i) and outcomes_summary.csv (outcome "a" = value(i), "b"
// without a value, an empty field, at every point) for n points.
func writeSweepFiles(t testing.TB, dir string, n int, value func(i int) float64) {
	t.Helper()
	var p, o strings.Builder
	p.WriteString("point,x\n")
	o.WriteString(strings.Join(sweep.OutcomesSummaryHeader, ",") + "\n")
	for i := range n {
		fmt.Fprintf(&p, "%d,%s\n", i, sweep.FormatValue(float64(i)/10))
		fmt.Fprintf(&o, "%d,a,1,%g,,,\n%d,b,0,,,,\n", i, value(i), i)
	}
	if err := os.WriteFile(filepath.Join(dir, sweep.PointsFile), []byte(p.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sweep.OutcomesSummaryFile), []byte(o.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A sweep of more than MaxTablePoints points is summed up per outcome: the
// lowest, median and highest point means and the points (their values)
// where the lowest and highest are, the first such point on a tie; an
// outcome with no value anywhere prints dashes. Worked out by hand: a =
// 7i mod 40 over points 0-39 is a permutation of 0-39 (7 and 40 coprime),
// lowest 0 at point 0 (x = 0), highest 39 at point 17 (7*17 = 119 =
// 2*40 + 39; x = 1.7), median 19.5.
func TestPrintOutcomesLargeSweep(t *testing.T) {
	dir := t.TempDir()
	writeSweepFiles(t, dir, 40, func(i int) float64 { return float64(i * 7 % 40) })
	var out bytes.Buffer
	if err := sweep.PrintOutcomes(&out, dir); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if !strings.HasPrefix(s, "outcomes over 40 points") {
		t.Fatalf("table:\n%s", s)
	}
	var a, b string
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && f[0] == "a" {
			a = strings.Join(f, " ")
		}
		if len(f) > 0 && f[0] == "b" {
			b = strings.Join(f, " ")
		}
	}
	if a != "a 0 19.5 39 x=0 x=1.7" {
		t.Errorf("outcome a: %q, want %q\n%s", a, "a 0 19.5 39 x=0 x=1.7", s)
	}
	if b != "b - - -" {
		t.Errorf("outcome b: %q, want dashes\n%s", b, s)
	}
}

// BenchmarkPrintOutcomes: summing up a 20,000-point sweep's outcomes holds a
// float per point and outcome, not the files (B/op; before it kept every
// point's rows in a map with interface keys: the peak of a 20,000-point
// `entente sweep` fell from 84 to 31 MB of resident memory).
func BenchmarkPrintOutcomes(b *testing.B) {
	dir := b.TempDir()
	writeSweepFiles(b, dir, 20000, func(i int) float64 { return float64(i % 97) })
	b.ReportAllocs()
	for b.Loop() {
		if err := sweep.PrintOutcomes(&bytes.Buffer{}, dir); err != nil {
			b.Fatal(err)
		}
	}
}
