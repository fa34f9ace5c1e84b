package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

func TestStepRatio(t *testing.T) {
	var b strings.Builder
	if err := run([]string{"-only", "step", "-n", "120", "-steps", "2"}, &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"nproc", "GOMAXPROCS", "Synthetic(120)", "ratio", "betweenness exact"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

// The tight loop replays the step's own decisions (the recorded clone
// stays the run) and the ratio is printed.
func TestTightRatio(t *testing.T) {
	var b strings.Builder
	if err := run([]string{"-only", "tight", "-n", "120", "-steps", "2"}, &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Synthetic(120)", "opportunities", "options each", "the tight loop over the same decisions", "target <= 2"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

// The scaling measurement fits an exponent over the sizes asked for and
// prints each size's step.
func TestScaleExponent(t *testing.T) {
	var b strings.Builder
	if err := run([]string{"-only", "scale", "-scale", "60,120"}, &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"N = 60:", "N = 120:", "exponent from N = 60", "step ~ N^", "target <= 1.1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-only", "speed"}, {"-rounds", "0"}, {"-n", "3"}, {"-scale", "x,100"}, {"-scale", "5,100"}, {"-only", "scale", "-scale", "100"}} {
		if err := run(args, &strings.Builder{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	for _, m := range []string{"cheap", "charts", "workers", "sweep"} {
		if err := run([]string{"-only", m, "-entente", filepath.Join(t.TempDir(), "none")}, &strings.Builder{}); err == nil ||
			!strings.Contains(err.Error(), "make build") {
			t.Errorf("%s, missing binary: %v", m, err)
		}
	}
	var b strings.Builder
	if err := run([]string{"-only", "twin"}, &b); err != nil || !strings.Contains(b.String(), "skipped") {
		t.Errorf("twin without -twin: %v %q", err, b.String())
	}
}

// TestDump checks the files the twin reads: one edge line per edge of the
// projection, the actors in the system, Go's values.
func TestDump(t *testing.T) {
	w := simtest.Synthetic(60, 2)
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		t.Fatal(err)
	}
	s.Run(3)
	dir := t.TempDir()
	c := twinCase{name: "x", states: []*sim.Sim{s}, actors: []string{"A0", "A1"}}
	if _, err := dumpCase(dir, c); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []string {
		b, err := os.ReadFile(filepath.Join(dir, "x", name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	g := metrics.Graph(s, metrics.GraphOptions{})
	if got, want := len(read("0.edges")), g.WeightedEdges().Len(); got != want {
		t.Errorf("%d edge lines, want %d", got, want)
	}
	if got := len(read("0.nodes")); got != 60 {
		t.Errorf("%d node lines, want 60", got)
	}
	if meta := strings.Join(read("meta.tsv"), "\n"); !strings.Contains(meta, "actor\t0\tA0") || !strings.Contains(meta, "pivots\t") {
		t.Errorf("meta.tsv: %q", meta)
	}
	if vals := strings.Join(read("0.go"), "\n"); !strings.Contains(vals, "density\t\t") || !strings.Contains(vals, "betweenness\tA1\t") {
		t.Errorf("0.go lacks values:\n%s", vals)
	}
}
