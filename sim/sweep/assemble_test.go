package sweep_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/sim/sweep"
)

// The sweep's timeseries.csv is every point's rows, in point order, led by
// the point and its varied values (those of points.csv); it prints a table
// of outcomes.
func TestSweepTimeseriesAndOutcomeTable(t *testing.T) {
	dir := t.TempDir()
	rep, err := sweep.Run(context.Background(), small(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "point,retrenchment.political,parameters.temperature,replicate,step,metric,actor,value"
	if strings.Join(recs[0], ",") != want {
		t.Fatalf("header %q", recs[0])
	}
	keys, points, err := sweep.ReadPoints(dir)
	if err != nil || len(keys) != 2 || len(points) != rep.Points {
		t.Fatalf("points.csv: %v %v %v", keys, points, err)
	}
	n := 1
	for i := range points {
		pb, err := os.ReadFile(filepath.Join(sweep.PointDir(dir, i), "timeseries.csv"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(pb)), "\n")[1:]
		for _, l := range lines {
			r := recs[n]
			n++
			if r[0] != sweep.FormatValue(float64(i)) || r[1] != sweep.FormatValue(points[i][0]) || r[2] != sweep.FormatValue(points[i][1]) ||
				strings.Join(r[3:], ",") != l {
				t.Fatalf("row %d: %q, want point %d %v then %q", n, r, i, points[i], l)
			}
		}
	}
	if n != len(recs) {
		t.Fatalf("%d rows, the points have %d", len(recs)-1, n-1)
	}
	var out bytes.Buffer
	if err := sweep.PrintOutcomes(&out, dir); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "retrenchment.political") || !strings.Contains(s, "binding_share") || strings.Count(s, "\n") != rep.Points+2 {
		t.Errorf("outcome table:\n%s", s)
	}
	if w, err := sweep.SensitivityWarnings(dir); err != nil || len(w) != 0 {
		t.Errorf("grid sweep warnings %q, %v", w, err)
	}
}
