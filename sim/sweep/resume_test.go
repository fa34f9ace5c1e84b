package sweep_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/sweep"
)

// A sweep cancelled mid-way (as by Ctrl-C) and resumed, with another number
// of workers, writes the same files as an uninterrupted sweep.
func TestResumeAfterCancelEqualsUninterrupted(t *testing.T) {
	ref := t.TempDir()
	if _, err := sweep.Run(context.Background(), small(t, ref)); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	c := small(t, out)
	c.Workers = 1
	c.Progress = func(done, total int) {
		if done == 3 {
			cancel()
		}
	}
	rep, err := sweep.Run(ctx, c)
	if !runner.Interrupted(err) {
		t.Fatalf("cancelled sweep: %v", err)
	}
	if rep.Complete || rep.Run >= 4 {
		t.Fatalf("report %+v", rep)
	}
	var m sweep.Manifest
	b, _ := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err := json.Unmarshal(b, &m); err != nil || m.Complete {
		t.Fatalf("sweep.json after cancel: %s %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(out, "outcomes.csv")); err == nil {
		t.Fatal("outcomes.csv written by an unfinished sweep")
	}
	c = small(t, out)
	c.Resume = true
	rep, err = sweep.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped == 0 || rep.Skipped+rep.Run != 4 {
		t.Fatalf("resume ran %d, skipped %d", rep.Run, rep.Skipped)
	}
	sameFiles(t, ref, out, append(topFiles, pointFiles(4)...))
}

// A point left half-written (as by kill -9: a manifest saying incomplete,
// stray temporary files, no outcomes) is run again on resume, and so is one
// whose manifest says complete but whose file lost its content (as after a
// power loss: a point's files are not synced one by one, and its manifest's
// digests tell); a resume with another command is refused.
func TestResumeAfterKill(t *testing.T) {
	ref := t.TempDir()
	if _, err := sweep.Run(context.Background(), small(t, ref)); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := sweep.Run(context.Background(), small(t, out)); err != nil {
		t.Fatal(err)
	}
	// point 2 killed mid-run, point 3 killed between its outcomes and its manifest
	p2 := sweep.PointDir(out, 2)
	os.Remove(filepath.Join(p2, "outcomes.csv"))
	os.Remove(filepath.Join(p2, "summary.csv"))
	os.WriteFile(filepath.Join(p2, ".timeseries.csv.123.tmp"), []byte("replicate,step"), 0o644)
	mb, _ := os.ReadFile(filepath.Join(p2, "manifest.json"))
	os.WriteFile(filepath.Join(p2, "manifest.json"), []byte(strings.Replace(string(mb), `"complete": true`, `"complete": false`, 1)), 0o644)
	p3 := sweep.PointDir(out, 3)
	mb, _ = os.ReadFile(filepath.Join(p3, "manifest.json"))
	os.WriteFile(filepath.Join(p3, "manifest.json"), []byte(strings.Replace(string(mb), `"complete": true`, `"complete": false`, 1)), 0o644)
	os.WriteFile(filepath.Join(out, "outcomes.csv"), []byte("garbage"), 0o644)
	// point 1 complete, then its timeseries emptied by a crash
	if !sweep.PointComplete(out, 1) {
		t.Fatal("PointComplete: point 1 intact")
	}
	os.WriteFile(filepath.Join(sweep.PointDir(out, 1), "timeseries.csv"), nil, 0o644)
	if sweep.PointComplete(out, 1) || sweep.PointComplete(out, 2) || sweep.PointComplete(out, 3) || !sweep.PointComplete(out, 0) {
		t.Fatal("PointComplete")
	}
	bad := small(t, out)
	bad.Resume, bad.Seed = true, 99
	if _, err := sweep.Run(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "different sweep") {
		t.Fatalf("resume with another seed: %v", err)
	}
	c := small(t, out)
	c.Resume = true
	rep, err := sweep.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Run != 3 || rep.Skipped != 1 {
		t.Fatalf("resume ran %d, skipped %d", rep.Run, rep.Skipped)
	}
	if _, err := os.Stat(filepath.Join(p2, ".timeseries.csv.123.tmp")); err == nil {
		t.Fatal("stray temporary file kept")
	}
	sameFiles(t, ref, out, append(topFiles, pointFiles(4)...))
}

// Shards 0/3, 1/3 and 2/3 merged equal the sweep run on one machine, for
// each design; a merge with a shard missing names the missing points.
func TestMergedShardsEqualOneMachine(t *testing.T) {
	for _, design := range []string{sweep.Grid, sweep.LHS, sweep.Morris, sweep.Sobol} {
		t.Run(design, func(t *testing.T) {
			cfg := func(out string) *sweep.Config {
				c := small(t, out)
				c.Design = design
				if design != sweep.Grid {
					c.Factors = factors(t, "retrenchment.political=0:0.8", "parameters.temperature=0.01:1")
					c.Points = 3
				}
				return c
			}
			one := t.TempDir()
			rep, err := sweep.Run(context.Background(), cfg(one))
			if err != nil {
				t.Fatal(err)
			}
			n := rep.Points
			var shards []string
			for i := range 3 {
				dir := t.TempDir()
				c := cfg(dir)
				c.Shard, c.Shards, c.Workers = i, 3, 1+i%2
				rep, err := sweep.Run(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				if !rep.Complete || rep.Points != (n-i+2)/3 {
					t.Fatalf("shard %d: %+v", i, rep)
				}
				if _, err := os.Stat(filepath.Join(dir, "outcomes.csv")); err == nil {
					t.Fatal("a shard wrote outcomes.csv")
				}
				shards = append(shards, dir)
			}
			if _, err := sweep.Merge(t.TempDir(), shards[:2], nil); err == nil || !strings.Contains(err.Error(), "complete in none") {
				t.Fatalf("merge with a shard missing: %v", err)
			}
			merged := filepath.Join(t.TempDir(), "merged")
			if _, err := sweep.Merge(merged, shards, nil); err != nil {
				t.Fatal(err)
			}
			files := topFiles
			switch design {
			case sweep.Morris:
				files = append(files, "morris.csv")
			case sweep.Sobol:
				files = append(files, "sobol.csv")
			}
			var pf []string
			for i := range n {
				for _, f := range []string{"timeseries.csv", "summary.csv", "outcomes.csv"} {
					pf = append(pf, filepath.Join(strings.TrimPrefix(sweep.PointDir("", i), "/"), f))
				}
			}
			sameFiles(t, one, merged, append(files, pf...))
			if design == sweep.Morris {
				b, _ := os.ReadFile(filepath.Join(one, "morris.csv"))
				if !strings.HasPrefix(string(b), strings.Join(sweep.MorrisHeader, ",")+"\nminilaterals,retrenchment.political,3,") {
					t.Fatalf("morris.csv:\n%s", b)
				}
			}
		})
	}
}

// Different sweeps cannot be merged.
func TestMergeRefusesDifferentSweeps(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ca := small(t, a)
	ca.Shard, ca.Shards = 0, 2
	cb := small(t, b)
	cb.Shard, cb.Shards, cb.Seed = 1, 2, 4
	for _, c := range []*sweep.Config{ca, cb} {
		if _, err := sweep.Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sweep.Merge(t.TempDir(), []string{a, b}, nil); err == nil || !strings.Contains(err.Error(), "different sweeps") {
		t.Fatalf("merge of different sweeps: %v", err)
	}
	if _, err := sweep.Merge(t.TempDir(), []string{t.TempDir()}, nil); err == nil {
		t.Fatal("merge of an empty folder")
	}
}

// merge refuses a folder that holds a result set (another sweep's points
// once stayed beside the merged ones), and one of the folders it merges;
// MergeReplace (--force) replaces it.
func TestMergeRefusesOccupiedFolders(t *testing.T) {
	shards := smallShards(t, 2)
	other := t.TempDir()
	oc := small(t, other)
	oc.Factors = factors(t, "retrenchment.political=0:0.8:7")
	if _, err := sweep.Run(context.Background(), oc); err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.Merge(other, shards, nil); err == nil || !strings.Contains(err.Error(), "already holds a result set (a sweep, made by 'entente sweep'): add --force to replace it") {
		t.Fatalf("merge into another sweep: %v", err)
	}
	if _, err := sweep.Merge(shards[0], shards, nil); err == nil || !strings.Contains(err.Error(), "one of the folders") {
		t.Fatalf("merge into a shard: %v", err)
	}
	rep, err := sweep.MergeReplace(other, shards, nil)
	if err != nil || !rep.Folder.Held {
		t.Fatal(err)
	}
	if _, err := os.Stat(sweep.PointDir(other, 6)); err == nil {
		t.Error("the other sweep's point 6 survived the merge --force")
	}
	ref := t.TempDir()
	if _, err := sweep.Run(context.Background(), small(t, ref)); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ref, other, append(topFiles, pointFiles(4)...))
	_ = results.ManifestFile
}

// A sweep's manifest is its commit: after each write of it the sweep's
// folder is synced, so that the manifest and the top-level files renamed
// into the folder before it survive a crash of the machine (a merge of
// shards too). They used to be synced as files only.
func TestSweepManifestIsSynced(t *testing.T) {
	var synced []string
	defer sweep.SetSyncFolder(func(dir string) error {
		synced = append(synced, dir)
		return nil
	})()
	out := t.TempDir()
	if _, err := sweep.Run(context.Background(), small(t, out)); err != nil {
		t.Fatal(err)
	}
	if len(synced) < 2 || synced[0] != out || synced[len(synced)-1] != out {
		t.Errorf("a sweep synced %q: want its folder %s after the first manifest and after the last", synced, out)
	}
	shards := smallShards(t, 2)
	synced = nil
	merged := filepath.Join(t.TempDir(), "merged")
	if _, err := sweep.Merge(merged, shards, nil); err != nil {
		t.Fatal(err)
	}
	if len(synced) == 0 || synced[len(synced)-1] != merged {
		t.Errorf("a merge synced %q: want its folder %s after its manifest", synced, merged)
	}
}

// smallShards runs the small sweep as n shards, each in its own folder,
// and returns the folders.
func smallShards(t *testing.T, n int) []string {
	t.Helper()
	var shards []string
	for i := range n {
		dir := t.TempDir()
		c := small(t, dir)
		c.Shard, c.Shards = i, n
		if _, err := sweep.Run(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, dir)
	}
	return shards
}
