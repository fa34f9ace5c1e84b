package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/simtest"
)

func job(workers int) *runner.Job {
	w := simtest.Synthetic(60, 1)
	return &runner.Job{
		Scenario: "synthetic", World: w, Params: sim.DefaultParams(), Steps: 25, Replicates: 6, Seed: 42,
		Metrics:   metrics.Options{Metrics: []string{"all"}, Actors: []string{"A0", "A3"}, Every: 2, Seed: 42},
		Snapshots: []int{0, -1}, SnapshotReplicates: -1, Workers: workers,
	}
}

func runTo(t *testing.T, ctx context.Context, j *runner.Job, dir string) (int, error) {
	t.Helper()
	set, err := results.Create(dir, results.Manifest{Scenario: j.Scenario, Seed: j.Seed, Replicates: j.Replicates, Steps: j.Steps, Workers: j.Workers},
		results.Options{Snapshots: j.Snapshots})
	if err != nil {
		t.Fatal(err)
	}
	n, runErr := runner.Execute(ctx, j, set)
	if err := set.Close(runErr == nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	return n, runErr
}

// The result set is byte-identical with 1, 2 and 8 workers and from one
// invocation to the next (manifest.json aside: it records workers and times).
func TestByteIdenticalAcrossWorkers(t *testing.T) {
	files := []string{"timeseries.csv", "summary.csv", "snapshots/rep0_step0.graphml", "snapshots/rep5_step25.gexf"}
	var ref map[string][]byte
	for _, w := range []int{1, 2, 8, 2} {
		dir := t.TempDir()
		if _, err := runTo(t, context.Background(), job(w), dir); err != nil {
			t.Fatal(err)
		}
		got := map[string][]byte{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			got[f] = b
		}
		if ref == nil {
			ref = got
			if len(ref["timeseries.csv"]) < 1000 {
				t.Fatalf("timeseries suspiciously small: %d bytes", len(ref["timeseries.csv"]))
			}
			continue
		}
		for _, f := range files {
			if !bytes.Equal(ref[f], got[f]) {
				t.Errorf("%s differs with %d workers", f, w)
			}
		}
	}
}

type countingSink struct {
	runner.Sink
	n      int
	cancel func()
}

func (c *countingSink) AddRun(rep int, rows []results.Row) error {
	c.n++
	if c.n == 2 {
		c.cancel()
	}
	return c.Sink.AddRun(rep, rows)
}

// Cancelling keeps the finished runs and the manifest says the set is incomplete.
func TestCancelKeepsFinishedRuns(t *testing.T) {
	j := job(2)
	j.Replicates = 40
	dir := t.TempDir()
	set, err := results.Create(dir, results.Manifest{Scenario: "synthetic", Replicates: j.Replicates}, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n, runErr := runner.Execute(ctx, j, &countingSink{Sink: set, cancel: cancel})
	if runErr == nil {
		t.Fatal("cancelled run reported success")
	}
	if n < 2 || n >= j.Replicates {
		t.Fatalf("%d runs delivered", n)
	}
	if err := set.Close(false, time.Now()); err != nil {
		t.Fatal(err)
	}
	var m results.Manifest
	b, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Complete || m.RunsDone != n {
		t.Fatalf("manifest complete=%v runs_done=%d, delivered %d", m.Complete, m.RunsDone, n)
	}
	rows, err := results.ReadTimeseries(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1].Replicate
	if last != n-1 {
		t.Fatalf("timeseries ends with replicate %d, want %d", last, n-1)
	}
}

func TestValidate(t *testing.T) {
	j := job(1)
	j.Steps = -3
	j.Replicates = 0
	if _, err := runner.Execute(context.Background(), j, nil); err == nil {
		t.Fatal("negative steps accepted")
	}
}

// By default only the first replicate writes snapshots.
func TestSnapshotsOfTheFirstReplicateByDefault(t *testing.T) {
	j := job(2)
	j.SnapshotReplicates = 0
	dir := t.TempDir()
	if _, err := runTo(t, context.Background(), j, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "rep0_step25.graphml")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "rep1_step25.graphml")); err == nil {
		t.Fatal("replicate 1 wrote a snapshot")
	}
}
