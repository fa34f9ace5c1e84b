package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/entente/entente/scenarios/facts"
	"github.com/entente/entente/sim"
)

// FuzzReadHypercube: whatever hypercube.json and hypercube.csv hold, the
// robustness check's --resume reads them back or refuses them with an
// error, and never panics; what it accepts has one value per axis and one
// verdict per fact checked for every point. Seeded with the files a check
// of two points writes (the whole check and one fact alone).
func FuzzReadHypercube(f *testing.F) {
	p := sim.DefaultParams()
	axes := facts.ValidationAxes()
	for _, fs := range [][]facts.Fact{facts.All, {facts.Fact7}} {
		dir := f.TempDir()
		pts := []facts.Point{
			{Values: make([]float64, len(axes)), Holds: make([]bool, len(fs))},
			{Values: make([]float64, len(axes)), Holds: make([]bool, len(fs))},
		}
		pts[1].Holds[0] = true
		if err := writeHypercube(dir, p, fs, axes, pts, 2, 0, 1, false); err != nil {
			f.Fatal(err)
		}
		js, err := os.ReadFile(filepath.Join(dir, "hypercube.json"))
		if err != nil {
			f.Fatal(err)
		}
		csv, err := os.ReadFile(filepath.Join(dir, "hypercube.csv"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(js, csv, len(fs) == 1)
	}
	f.Add([]byte("{}"), []byte(""), false)
	f.Add([]byte(`{"points": 2, "seed": 1, "facts": ["fact 9"]}`), []byte("point\n1\n"), true)
	f.Fuzz(func(t *testing.T, js, csv []byte, one bool) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "hypercube.json"), js, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "hypercube.csv"), csv, 0o644); err != nil {
			t.Fatal(err)
		}
		fs := facts.All
		if one {
			fs = []facts.Fact{facts.Fact7}
		}
		pts, err := readHypercube(dir, p, fs, axes, 2, 0, 1)
		if err != nil {
			return
		}
		for i, pt := range pts {
			if len(pt.Values) != len(axes) || len(pt.Holds) != len(fs) {
				t.Fatalf("point %d read back with %d values and %d verdicts, want %d and %d", i+1, len(pt.Values), len(pt.Holds), len(axes), len(fs))
			}
		}
	})
}
