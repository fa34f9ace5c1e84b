package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
)

// A twin case is a sequence of network states of one run, dumped for the
// twin and observed by Go.
type twinCase struct {
	name   string
	states []*sim.Sim
	actors []string
}

// twinCases are the graphs both sides compute the metrics of: every step of
// one baseline replicate (N = 82), and runs of synthetic worlds of 1,000 and
// 5,000 actors (10 and 5 consecutive steps after 20).
func twinCases() ([]twinCase, error) {
	var cases []twinCase
	sc, err := scenarios.Load("baseline")
	if err != nil {
		return nil, err
	}
	s, err := sim.New(sc.World, sc.Params, sim.RunSeed(1, sc.Name, 0, 0))
	if err != nil {
		return nil, err
	}
	c := twinCase{name: "baseline", actors: sc.Outputs.Actors}
	for {
		c.states = append(c.states, s.Clone())
		if s.T() >= 100 {
			break
		}
		s.Step()
	}
	cases = append(cases, c)
	for _, x := range []struct{ n, steps int }{{1000, 10}, {5000, 5}} {
		w := simtest.Synthetic(x.n, 1)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			return nil, err
		}
		s.Run(20)
		c := twinCase{name: fmt.Sprintf("synthetic-%d", x.n), actors: []string{"A0", "A1", "A2", "A3", "A4"}}
		for k := 0; k < x.steps; k++ {
			c.states = append(c.states, s.Clone())
			s.Step()
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// twinResult is what the twin prints on its last line: per case, the CPU
// seconds of its metrics (graph construction included, file reading not)
// and the largest differences from Go's values it found.
type twinResult struct {
	Cases []struct {
		Name    string             `json:"name"`
		Graphs  int                `json:"graphs"`
		CPU     float64            `json:"cpu"`
		MaxDiff map[string]float64 `json:"max_diff"`
	} `json:"cases"`
}

func twinRatio(out io.Writer, python, twin, dump string) error {
	cases, err := twinCases()
	if err != nil {
		return err
	}
	dir := dump
	if dir == "" {
		if dir, err = os.MkdirTemp("", "benchratio-twin-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	goCPU := map[string]time.Duration{}
	for _, c := range cases {
		d, err := dumpCase(dir, c)
		if err != nil {
			return err
		}
		goCPU[c.name] = d
	}
	cmd := exec.Command(python, twin, dir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		hint := ""
		if strings.Contains(stderr.String(), "No module named") {
			hint = "\n(this Python lacks networkx or numpy: pass one that has them, e.g. make bench TWIN=... PYTHON=/usr/bin/python3 with the Debian packages python3-networkx and python3-numpy)"
		}
		return fmt.Errorf("%s %s %s: %v\n%s%s", python, twin, dir, err, stderr.String(), hint)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var res twinResult
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		return fmt.Errorf("%s: the last line of its output is not its JSON result: %v", twin, err)
	}
	fmt.Fprintf(out, "twin: %s on the same graphs (metrics only, CPU; Go: Observe, every default metric; twin: networkx)\n", twin)
	var tg, tt float64
	for _, r := range res.Cases {
		g := goCPU[r.Name].Seconds()
		if g <= 0 {
			return fmt.Errorf("%s: unknown case %q", twin, r.Name)
		}
		tg += g
		tt += r.CPU
		fmt.Fprintf(out, "twin:   %-16s %3d graphs: Go %.4f s, twin %.3f s: Go %.0fx faster; largest differences %s\n",
			r.Name, r.Graphs, g, r.CPU, r.CPU/g, fmtDiff(r.MaxDiff))
	}
	fmt.Fprintf(out, "twin:   all cases: Go %.3f s, twin %.3f s: Go %.0fx faster\n", tg, tt, tt/tg)
	return nil
}

func fmtDiff(m map[string]float64) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %.2g", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]float64) []string { return slices.Sorted(maps.Keys(m)) }

// dumpCase writes the case's graphs for the twin and returns Go's CPU time
// observing them (one Observer over the states in order, as in a run).
//
// DIR/NAME/meta.tsv lists the followed actors (index, id) and the pivots;
// per state k: k.nodes (actors in the system: index, is-a-state),
// k.edges (the projection: u, v, weight, u < v), k.dyads (sim's
// DefenceDyads among states in the system: a, b), k.go (Go's values:
// metric, actor, value).
func dumpCase(dir string, c twinCase) (time.Duration, error) {
	cd := filepath.Join(dir, c.name)
	if err := os.MkdirAll(cd, 0o755); err != nil {
		return 0, err
	}
	w := c.states[0].World()
	ob, err := metrics.NewObserver(w, metrics.Options{Actors: c.actors, Every: 1, Seed: 1})
	if err != nil {
		return 0, err
	}
	var vals []metrics.Value
	all := make([][]metrics.Value, len(c.states))
	t0 := cpu()
	for k, s := range c.states {
		vals = ob.Observe(s, vals[:0])
		all[k] = append([]metrics.Value(nil), vals...)
	}
	d := cpu() - t0

	var meta strings.Builder
	fmt.Fprintf(&meta, "pivots\t%d\n", metrics.DefaultPivots)
	for _, a := range c.actors {
		fmt.Fprintf(&meta, "actor\t%d\t%s\n", w.ActorIndex(a), a)
	}
	if err := os.WriteFile(filepath.Join(cd, "meta.tsv"), []byte(meta.String()), 0o644); err != nil {
		return 0, err
	}
	for k, s := range c.states {
		if err := dumpState(filepath.Join(cd, strconv.Itoa(k)), s, all[k]); err != nil {
			return 0, err
		}
	}
	return d, nil
}

func dumpState(prefix string, s *sim.Sim, vals []metrics.Value) error {
	write := func(ext string, fill func(w *bufio.Writer)) error {
		f, err := os.Create(prefix + ext)
		if err != nil {
			return err
		}
		bw := bufio.NewWriter(f)
		fill(bw)
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	actors := s.World().Actors
	if err := write(".nodes", func(w *bufio.Writer) {
		for i := range actors {
			if s.InSystem(i) {
				st := 0
				if actors[i].Kind == sim.State {
					st = 1
				}
				fmt.Fprintf(w, "%d\t%d\n", i, st)
			}
		}
	}); err != nil {
		return err
	}
	g := metrics.Graph(s, metrics.GraphOptions{})
	if err := write(".edges", func(w *bufio.Writer) {
		for u := 0; u < s.N(); u++ {
			var vs []int64
			for it := g.From(int64(u)); it.Next(); {
				if v := it.Node().ID(); v > int64(u) {
					vs = append(vs, v)
				}
			}
			slices.Sort(vs)
			for _, v := range vs {
				wt, _ := g.Weight(int64(u), v)
				fmt.Fprintf(w, "%d\t%d\t%s\n", u, v, strconv.FormatFloat(wt, 'g', -1, 64))
			}
		}
	}); err != nil {
		return err
	}
	if err := write(".dyads", func(w *bufio.Writer) {
		for d := range s.DefenceDyads() {
			if s.InSystem(d.A) && s.InSystem(d.B) {
				fmt.Fprintf(w, "%d\t%d\n", d.A, d.B)
			}
		}
	}); err != nil {
		return err
	}
	return write(".go", func(w *bufio.Writer) {
		for _, v := range vals {
			fmt.Fprintf(w, "%s\t%s\t%s\n", v.Metric, v.Actor, strconv.FormatFloat(v.Value, 'g', -1, 64))
		}
	})
}
