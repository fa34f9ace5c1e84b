package sweep_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/sweep"
)

// Branches share their history up to the branch step; a branch that keeps
// the base value continues exactly as a plain run; another value changes the
// future, and differences.csv holds branch − first branch.
func TestBranchesShareHistory(t *testing.T) {
	out := t.TempDir()
	const at, steps = 10, 60
	rep, err := sweep.RunBranches(context.Background(), sweep.BranchConfig{
		Scenario: "classroom", Key: "retrenchment.political", Values: []string{"0.1", "0.9"}, BranchAt: at,
		Seed: 5, Replicates: 3, Steps: steps, Workers: 2, Out: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete || rep.Runs != 3 || len(rep.Branches) != 2 {
		t.Fatalf("report %+v", rep)
	}
	b0, err := results.ReadTimeseries(filepath.Join(out, "branches", "b0", "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b1, err := results.ReadTimeseries(filepath.Join(out, "branches", "b1", "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b0) != len(b1) || len(b0) == 0 {
		t.Fatalf("%d and %d rows", len(b0), len(b1))
	}
	differ := 0
	for k := range b0 {
		x, y := b0[k], b1[k]
		if x.Step != y.Step || x.Metric != y.Metric || x.Actor != y.Actor || x.Replicate != y.Replicate {
			t.Fatalf("row %d: %+v vs %+v", k, x, y)
		}
		same := x.Value == y.Value || (math.IsNaN(x.Value) && math.IsNaN(y.Value))
		if x.Step <= at && !same {
			t.Fatalf("history differs at step %d: %+v vs %+v", x.Step, x, y)
		}
		if x.Step > at && !same {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("retrenchment 0.9 changed nothing after the branch")
	}
	// branch 0 keeps the base value: it is exactly the plain run of the scenario
	sc, err := scenarios.Load("classroom")
	if err != nil {
		t.Fatal(err)
	}
	j := (&runner.Config{Scenario: sc, Seed: 5, Replicates: 3, Steps: steps, Workers: 1}).Job()
	j.Snapshots = nil
	plain := t.TempDir()
	set, err := results.Create(plain, results.Manifest{}, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Execute(context.Background(), j, set); err != nil {
		t.Fatal(err)
	}
	set.Close(true, time.Time{})
	pr, _ := results.ReadTimeseries(filepath.Join(plain, "timeseries.csv"))
	if len(pr) != len(b0) {
		t.Fatalf("plain run %d rows, branch 0 %d", len(pr), len(b0))
	}
	for k := range pr {
		if pr[k] != b0[k] && !(math.IsNaN(pr[k].Value) && math.IsNaN(b0[k].Value)) {
			t.Fatalf("row %d: plain %+v, branch 0 %+v", k, pr[k], b0[k])
		}
	}
	// differences: zero up to the branch step, and the mean of b1 - b0 after it
	nonzero := false
	for _, d := range rep.Differences {
		if d.Step <= at && d.Mean != 0 {
			t.Fatalf("difference before the branch: %+v", d)
		}
		if d.Step > at && d.Mean != 0 {
			nonzero = true
		}
	}
	if !nonzero {
		t.Fatal("no difference after the branch")
	}
	got, err := results.ReadSummary(filepath.Join(out, "branches", "b1", "summary.csv"))
	if err != nil || len(got) == 0 {
		t.Fatal(err)
	}
}

func TestBranchBadInput(t *testing.T) {
	out := t.TempDir()
	for _, c := range []sweep.BranchConfig{
		{Scenario: "classroom", Key: "retrenchment.politcal", Values: []string{"0.2"}, BranchAt: 3, Replicates: 1, Out: out},
		{Scenario: "classroom", Key: "retrenchment.political", Values: []string{"2"}, BranchAt: 3, Replicates: 1, Out: out},
		{Scenario: "classroom", Key: "retrenchment.political", Values: []string{"0.2"}, BranchAt: 99, Replicates: 1, Out: out},
		{Scenario: "classroom", Key: "retrenchment.political", BranchAt: 3, Replicates: 1, Out: out},
	} {
		if _, err := sweep.RunBranches(context.Background(), c); err == nil {
			t.Errorf("%+v accepted", c)
		} else {
			t.Log(err)
		}
	}
}
