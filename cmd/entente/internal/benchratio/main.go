// Command benchratio prints the speed ratios of issue 15 that belong to the
// network metrics, each measured side by side in one run, in CPU seconds
// (user + system, every thread, garbage collection included):
//
//   - cheap: `entente run baseline --replicates 5 --every 1 --charts=false`
//     recording every default metric against the same run recording one
//     cheap metric (ties_total), as whole processes, paired rounds
//     alternating the two (target: at most 3);
//   - charts: `entente run taiwan-crisis --replicates 20` with its charts
//     against the same run with --charts=false, whole processes, paired
//     rounds (target: at most 1.25);
//   - workers: `entente run baseline --replicates 20 --charts=false` and
//     `entente run taiwan-crisis --replicates 100 --charts=false`, each with
//     --workers 1 against --workers 2, wall time and CPU, paired rounds
//     (target: a wall speed-up of at least 1.8 where two cores are free;
//     nproc, GOMAXPROCS and the load average are printed);
//   - sweep: `entente sweep classroom` of 1,000 points (1 replicate, 5
//     steps, no charts) against one of 10 points, whole processes: the
//     larger one's points per CPU second and the two peak resident set
//     sizes (target: at most 1.2 times); with -baseline, an earlier build's
//     1,000-point sweep alternated with it, and the throughput ratio
//     (target: at least 2 against the build of the filing);
//   - tight: the model step at N = 5,000 against a hand-tight loop on flat
//     arrays replaying the decisions of the same step (target: at most 2).
//     For every option the loop weighs the model's terms: security over the
//     actor's threat entries (one expm1 per distinct argument, as the
//     engine's memo) with a recipient's gain from a flow, similarity, the
//     signed network's walks over both parties' rivals, influence,
//     entrapment's walk over the partner's state threats, upkeep, a donor's
//     standing over its recipients, the patron's stake in the partner's
//     security, reputation and lock-in, and a group's pooled protection;
//     then the logit's exp and a draw, and for each consent the consenting
//     side's pair and terms and its binary logit. What the step does besides
//     weighing (sampling candidates, acting, the protection bookkeeping after
//     each change, coalitions, flows, growth, events) is the difference;
//   - scale: the model step alone on simtest.Synthetic worlds of -scale
//     actors (default up to 200,000), CPU per step, and the exponent b of
//     step ~ N^b fitted on the logarithms (target: at most 1.1);
//   - step: at N = 5,000 (simtest.Synthetic), every default metric each
//     step against the model step itself, in process (target: at most 10),
//     with the sampled betweenness's size and error bound;
//   - twin: with -twin, the metrics of a Python/networkx twin against the
//     Go metrics on the same graphs (target: Go at least 100 times faster
//     once the model step is counted; here the metrics alone).
//
// Usage (make bench runs it):
//
//	go run ./cmd/entente/internal/benchratio -entente bin/entente [-rounds 5] [-only sweep,scale] [-baseline old-entente] [-twin /path/to/twin.py -python /usr/bin/python3]
//
// It prints nproc and GOMAXPROCS with the figures: the machine's speed
// drifts and may be shared, so only ratios measured side by side mean much.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
	"github.com/entente/entente/sim/simtest"
	"gonum.org/v1/gonum/stat"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

// measurementNames are the measurements in the order run prints them.
var measurementNames = []string{"cheap", "charts", "workers", "sweep", "step", "tight", "scale", "twin"}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("benchratio", flag.ContinueOnError)
	bin := fs.String("entente", "bin/entente", "the entente binary to time (build it first: make build)")
	rounds := fs.Int("rounds", 5, "paired rounds of each whole-process measurement (the median is reported)")
	n := fs.Int("n", 5000, "actors of the synthetic world of the step ratio")
	steps := fs.Int("steps", 20, "steps of the step ratio (after as many steps of warm-up)")
	twin := fs.String("twin", "", "Python/networkx twin of the metrics to time against (optional; see -dump)")
	python := fs.String("python", "python3", "the Python interpreter that runs the twin")
	dump := fs.String("dump", "", "folder to write the twin's graphs to (default: a temporary folder, removed after)")
	baseline := fs.String("baseline", "", "an earlier entente binary to pair the sweep's throughput against (e.g. one built at 8a7676e, when issue 15 was filed)")
	scale := fs.String("scale", "1000,5000,20000,50000,200000", "actors of the synthetic worlds of the scaling measurement, comma-separated")
	only := fs.String("only", strings.Join(measurementNames, ","), "measurements to run, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rounds < 1 || *n < 10 || *steps < 1 {
		return errors.New("-rounds and -steps must be at least 1, -n at least 10")
	}
	want := map[string]bool{}
	for _, w := range strings.Split(*only, ",") {
		w = strings.TrimSpace(w)
		if !slices.Contains(measurementNames, w) {
			return fmt.Errorf("-only: unknown measurement %q (%s)", w, strings.Join(measurementNames, ", "))
		}
		want[w] = true
	}
	var sizes []int
	for _, f := range strings.Split(*scale, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 10 {
			return fmt.Errorf("-scale: %q is not a number of actors of at least 10 (e.g. -scale 1000,5000,20000)", f)
		}
		sizes = append(sizes, v)
	}
	if want["scale"] && len(sizes) < 2 {
		return errors.New("-scale: give at least two sizes, so that an exponent can be fitted")
	}
	measurements := map[string]func() error{
		"cheap":   func() error { return cheapRatio(out, *bin, *rounds) },
		"charts":  func() error { return chartsRatio(out, *bin, *rounds) },
		"workers": func() error { return workersRatio(out, *bin, *rounds) },
		"sweep":   func() error { return sweepRatio(out, *bin, *baseline, min(*rounds, 3)) },
		"step":    func() error { return stepRatio(out, *n, *steps) },
		"tight":   func() error { return tightRatio(out, *n, *steps) },
		"scale":   func() error { return scaleExponent(out, sizes) },
		"twin": func() error {
			if *twin == "" {
				fmt.Fprintln(out, "twin: skipped (pass -twin PATH, or make bench TWIN=PATH, to time a Python/networkx twin)")
				return nil
			}
			return twinRatio(out, *python, *twin, *dump)
		},
	}
	fmt.Fprintf(out, "benchratio: nproc %d, GOMAXPROCS %d, %s/%s, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.GOOS, runtime.GOARCH, runtime.Version())
	for _, name := range measurementNames {
		if want[name] {
			if err := measurements[name](); err != nil {
				return err
			}
		}
	}
	return nil
}

// cpu returns the process's CPU time so far.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs the command and returns its CPU time (user + system) and
// its wall time.
func measure(name string, args ...string) (cpu, wall time.Duration, err error) {
	cpu, wall, _, err = measureRSS(name, args...)
	return cpu, wall, err
}

// measureRSS is measure with the process's peak resident set size, in
// bytes.
func measureRSS(name string, args ...string) (cpu, wall time.Duration, rss int64, err error) {
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), time.Since(start), rss, nil
}

// paired runs the two argument lists of bin in turn, A B A B ..., rounds
// times each, each into a fresh folder (dir is replaced by it), and returns
// the medians of their CPU and wall times.
func paired(bin string, rounds int, a, b []string) (cpuA, cpuB, wallA, wallB time.Duration, err error) {
	if _, err := os.Stat(bin); err != nil {
		return 0, 0, 0, 0, fmt.Errorf("%v: build the binary first (make build) or pass -entente PATH", err)
	}
	tmp, err := os.MkdirTemp("", "benchratio-")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer os.RemoveAll(tmp)
	var ca, cb, wa, wb []time.Duration
	for r := 0; r < rounds; r++ {
		for k, args := range [][]string{a, b} {
			dir := filepath.Join(tmp, fmt.Sprintf("%d-%d", k, r))
			c, w, err := measure(bin, append(slices.Clone(args), "--out", dir)...)
			if err != nil {
				return 0, 0, 0, 0, err
			}
			if k == 0 {
				ca, wa = append(ca, c), append(wa, w)
			} else {
				cb, wb = append(cb, c), append(wb, w)
			}
			os.RemoveAll(dir)
		}
	}
	return median(ca), median(cb), median(wa), median(wb), nil
}

func chartsRatio(out io.Writer, bin string, rounds int) error {
	run := []string{"run", "taiwan-crisis", "--replicates", "20", "--seed", "1"}
	with, without, _, _, err := paired(bin, rounds, run, append(slices.Clone(run), "--charts=false"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "charts: %s run taiwan-crisis --replicates 20 with its charts | --charts=false (%d rounds, median CPU)\n", bin, rounds)
	fmt.Fprintf(out, "charts:   with charts %.3f s, without %.3f s: ratio %.2f (target <= 1.25)\n",
		with.Seconds(), without.Seconds(), float64(with)/float64(without))
	return nil
}

func workersRatio(out io.Writer, bin string, rounds int) error {
	// a short run (0.5 s of work: its serial start and final writing, about
	// 0.1 s, bound the speed-up near 1.8 by Amdahl's law) and a run of the
	// size an analyst's is (a few seconds), each with one worker and two
	jobs := [][]string{
		{"run", "baseline", "--replicates", "20", "--seed", "1", "--charts=false", "--workers"},
		{"run", "taiwan-crisis", "--replicates", "100", "--seed", "1", "--charts=false", "--workers"},
	}
	fmt.Fprintf(out, "workers: nproc %d, GOMAXPROCS %d, load average %s at the start (another process's load lowers the wall speed-up, not the CPU ratio)\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())
	for _, run := range jobs {
		c1, c2, one, two, err := paired(bin, rounds, append(slices.Clone(run), "1"), append(slices.Clone(run), "2"))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "workers: %s %s 1|2 (%d rounds, medians)\n", bin, strings.Join(run, " "), rounds)
		fmt.Fprintf(out, "workers:   wall one worker %.3f s, two %.3f s: speed-up %.2f (target >= 1.8 where two cores are free); CPU %.3f s and %.3f s: ratio %.2f (the work two workers add)\n",
			one.Seconds(), two.Seconds(), float64(one)/float64(two), c1.Seconds(), c2.Seconds(), float64(c2)/float64(c1))
	}
	return nil
}

// loadAverage is the machine's one-minute load average (Linux), or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func median(xs []time.Duration) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func cheapRatio(out io.Writer, bin string, rounds int) error {
	run := func(metric string) []string {
		return []string{"run", "baseline", "--replicates", "5", "--every", "1", "--charts=false", "--metrics", metric, "--seed", "1"}
	}
	ma, mc, _, _, err := paired(bin, rounds, run("default"), run("ties_total"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "cheap: %s run baseline --replicates 5 --every 1 --charts=false --metrics default|ties_total (%d rounds, median CPU)\n",
		bin, rounds)
	fmt.Fprintf(out, "cheap:   every default metric %.3f s, one cheap metric %.3f s: ratio %.2f (target <= 3)\n",
		ma.Seconds(), mc.Seconds(), float64(ma)/float64(mc))
	return nil
}

func stepRatio(out io.Writer, n, steps int) error {
	w := simtest.Synthetic(n, 1)
	s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		return err
	}
	ob, err := metrics.NewObserver(w, metrics.Options{Actors: []string{"A0", "A1", "A2", "A3", "A4"}, Every: 1, Seed: 1})
	if err != nil {
		return err
	}
	var vals []metrics.Value
	for s.T() < steps {
		s.Step()
		vals = ob.Observe(s, vals[:0])
	}
	var step, obs time.Duration
	for k := 0; k < steps; k++ {
		t0 := cpu()
		s.Step()
		t1 := cpu()
		vals = ob.Observe(s, vals[:0])
		t2 := cpu()
		step += t1 - t0
		obs += t2 - t1
	}
	g := metrics.Graph(s, metrics.GraphOptions{})
	connected := 0
	for it := g.Nodes(); it.Next(); {
		if g.From(it.Node().ID()).Len() > 0 {
			connected++
		}
	}
	fmt.Fprintf(out, "step: Synthetic(%d), %d steps after %d, every default metric each step, 5 actors followed (CPU)\n", n, steps, steps)
	fmt.Fprintf(out, "step:   step %.2f ms, metrics %.2f ms: ratio %.2f (target <= 10)\n",
		step.Seconds()*1e3/float64(steps), obs.Seconds()*1e3/float64(steps), float64(obs)/float64(step))
	if connected > max(metrics.ExactBetweenness, metrics.DefaultPivots) {
		fmt.Fprintf(out, "step:   betweenness sampled: %d pivots of %d connected actors; error bound %.4f (alpha 0.05), %.4f (alpha 0.01)\n",
			metrics.DefaultPivots, connected,
			metrics.BetweennessBound(g.Nodes().Len(), connected, metrics.DefaultPivots, 0.05),
			metrics.BetweennessBound(g.Nodes().Len(), connected, metrics.DefaultPivots, 0.01))
	} else {
		fmt.Fprintf(out, "step:   betweenness exact (%d connected actors <= %d)\n", connected, metrics.ExactBetweenness)
	}
	return nil
}

// sweepRatio times a 1,000-point classroom sweep (1 replicate, 5 steps, no
// charts) and a 10-point one as whole processes, alternating, and reports
// the larger one's throughput (points per CPU second) and the two peak
// resident set sizes (target: the 1,000 points' at most 1.2 times the 10's:
// points are streamed to disk, never held together).
func sweepRatio(out io.Writer, bin, baseline string, rounds int) error {
	bins := []string{bin}
	if baseline != "" {
		bins = append(bins, baseline)
	}
	for _, b := range bins {
		if _, err := os.Stat(b); err != nil {
			return fmt.Errorf("%v: build the binary first (make build) or pass -entente PATH (and -baseline PATH, an earlier build)", err)
		}
	}
	tmp, err := os.MkdirTemp("", "benchratio-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	type job struct {
		bin    string
		points int
	}
	jobs := []job{{bin, 10}, {bin, 1000}}
	if baseline != "" {
		jobs = append(jobs, job{baseline, 1000})
	}
	cpus := make([][]time.Duration, len(jobs))
	rss := make([][]int64, len(jobs))
	for r := 0; r < rounds; r++ {
		for k, j := range jobs {
			dir := filepath.Join(tmp, fmt.Sprintf("%d-%d", k, r))
			c, _, m, err := measureRSS(j.bin, "sweep", "classroom", "--vary", fmt.Sprintf("retrenchment.political=0:1:%d", j.points),
				"--replicates", "1", "--steps", "5", "--charts=false", "--seed", "1", "--out", dir)
			if err != nil {
				return err
			}
			cpus[k], rss[k] = append(cpus[k], c), append(rss[k], m)
			os.RemoveAll(dir)
		}
	}
	mib := func(xs []int64) float64 { return float64(slices.Max(xs)) / (1 << 20) }
	fmt.Fprintf(out, "sweep: %s sweep classroom --vary retrenchment.political=0:1:10|1000 --replicates 1 --steps 5 --charts=false (%d rounds)\n", bin, rounds)
	fmt.Fprintf(out, "sweep:   1,000 points in %.3f s CPU (median): %.0f points per CPU second\n",
		median(cpus[1]).Seconds(), 1000/median(cpus[1]).Seconds())
	if baseline != "" {
		fmt.Fprintf(out, "sweep:   %s: 1,000 points in %.3f s CPU (median): throughput ratio %.2f (target >= 2 against the build of issue 15's filing)\n",
			baseline, median(cpus[2]).Seconds(), float64(median(cpus[2]))/float64(median(cpus[1])))
	}
	fmt.Fprintf(out, "sweep:   peak RSS 10 points %.1f MiB, 1,000 points %.1f MiB: ratio %.2f (target <= 1.2)\n",
		mib(rss[0]), mib(rss[1]), mib(rss[1])/mib(rss[0]))
	return nil
}

// scaleExponent times the model step alone on synthetic worlds of the
// given sizes (the fastest of 5 steps after 2 of warm-up, CPU) and fits the exponent b of
// step time ~ N^b by least squares on the logarithms (target: b <= 1.1 up
// to 200,000 actors), with the exponent between each pair of sizes.
func scaleExponent(out io.Writer, sizes []int) error {
	const warm, steps = 2, 5
	var logN, logT []float64
	fmt.Fprintf(out, "scale: the model step alone on Synthetic(N), the fastest of %d steps after %d (CPU)\n", steps, warm)
	for k, n := range sizes {
		s, err := sim.New(simtest.Synthetic(n, 1), sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			return err
		}
		s.Run(warm)
		// the fastest of the measured steps: a shared machine inflates
		// some steps (other tenants' cache and memory traffic), never
		// deflates one
		d := time.Duration(math.MaxInt64)
		for k := 0; k < steps; k++ {
			t0 := cpu()
			s.Step()
			d = min(d, cpu()-t0)
		}
		logN, logT = append(logN, math.Log(float64(n))), append(logT, math.Log(d.Seconds()))
		line := fmt.Sprintf("scale:   N = %d: %.2f ms a step, %.2f us an actor", n, d.Seconds()*1e3, d.Seconds()*1e6/float64(n))
		if k > 0 {
			line += fmt.Sprintf(" (exponent from N = %d: %.2f)", sizes[k-1], (logT[k]-logT[k-1])/(logN[k]-logN[k-1]))
		}
		fmt.Fprintln(out, line)
	}
	_, b := stat.LinearRegression(logN, logT, nil, false)
	fmt.Fprintf(out, "scale:   step ~ N^%.2f over N = %d to %d (target <= 1.1)\n", b, sizes[0], sizes[len(sizes)-1])
	return nil
}
