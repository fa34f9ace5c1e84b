package report_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/charts"
	"github.com/entente/entente/results/report"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/runner"
	"github.com/entente/entente/sim/sweep"
)

// offline checks that a page loads nothing: no script, no external URL
// (the SVG namespace aside), no <link>, no <img> but data URIs.
func offline(t *testing.T, html string) {
	t.Helper()
	if strings.Contains(strings.ToLower(html), "<script") || strings.Contains(html, "<link") || strings.Contains(html, "<img") {
		t.Error("the page has a script, link or img")
	}
	for _, u := range regexp.MustCompile(`https?://[^"'\s<>)]+`).FindAllString(html, -1) {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" { // namespace names, not loads
			t.Errorf("the page refers to %s", u)
		}
	}
}

func readPage(t *testing.T, dir string) string {
	t.Helper()
	path, err := report.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "report.html") {
		t.Fatalf("path %s", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The page of a result set says what was run, draws every metric that is
// not all zero with its band, the network at its snapshot steps, and the
// key events with how many replicates saw them; it is offline, listed in
// the manifest, and the same when written twice.
func TestResultSetReport(t *testing.T) {
	sc, err := scenarios.Load("nordic-2022", "parameters.temperature=0.5")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "set")
	cfg := &runner.Config{Scenario: sc, Seed: 3, Replicates: 4, Steps: 12, Workers: 2, Out: dir, Events: true, Snapshots: []int{0, -1},
		Charts: charts.Write, Metrics: []string{"density", "coalitions", "ties_alliance", "transitivity"}, Actors: []string{"FIN", "SWD"}}
	if _, err := runner.RunScenario(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	html := readPage(t, dir)
	offline(t, html)
	for _, want := range []string{"nordic-2022", "parameters.temperature=0.5", "<th>seed</th><td>3</td>", "4 of 4",
		"Metrics over time", "<title>density</title>", "The network", "Step 12", "Key events", " of 4 replicates</li>"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<li>step \d+[^<]*: [A-Z][^<]+, \d of 4 replicates</li>`).MatchString(html) {
		t.Error("no key event in words with its count of replicates")
	}
	f, _ := os.Open(filepath.Join(dir, "manifest.json"))
	m, err := results.ReadManifest(f)
	f.Close()
	if err != nil || !strings.Contains(strings.Join(m.Files, " "), "report.html") || !m.Complete {
		t.Errorf("manifest files %v complete %v (%v)", m.Files, m.Complete, err)
	}
	if again := readPage(t, dir); again != html {
		t.Error("the page differs when written again")
	}
}

// The page of a Morris sweep holds the outcome table, the warnings, the
// Morris plots and the sweep's charts.
func TestSweepReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	f1, _ := sweep.ParseFactor("parameters.temperature=0.2:1.5")
	f2, _ := sweep.ParseFactor("retrenchment.political=0:1")
	c := &sweep.Config{Scenario: "classroom", Factors: []sweep.Factor{f1, f2}, Design: sweep.Morris, Points: 3, Replicates: 2,
		Steps: 8, Seed: 2, Workers: 2, Out: dir, Charts: charts.Sweep}
	if _, err := sweep.Run(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	html := readPage(t, dir)
	offline(t, html)
	for _, want := range []string{"morris", "Outcomes", "Morris screening", "Warning: only 3 trajectories", "Response curves", "Heat maps", "<title>Morris screening of density</title>"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sweep.json"))
	if !strings.Contains(string(b), `"report.html"`) {
		t.Error("sweep.json does not list report.html")
	}
}

// The page of a branching run shows the paired differences.
func TestBranchReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "br")
	bc := sweep.BranchConfig{Scenario: "classroom", Key: "retrenchment.military", Values: []string{"0", "0.9"}, BranchAt: 4,
		Seed: 1, Replicates: 3, Steps: 10, Workers: 2, Out: dir, Metrics: []string{"density", "ties_total"}}
	if _, err := sweep.RunBranches(context.Background(), bc); err != nil {
		t.Fatal(err)
	}
	html := readPage(t, dir)
	offline(t, html)
	for _, want := range []string{"Paired differences", "b1 (0.9)", "difference from the first branch", "branch at step"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestReportRefusesAnEmptyFolder(t *testing.T) {
	if _, err := report.Write(t.TempDir()); err == nil || !strings.Contains(err.Error(), "holds no result set") {
		t.Errorf("empty folder: %v", err)
	}
}

// The page a run writes from the key events it tallied as it wrote
// events.csv (WriteTallied, results.Options.Tally) is byte-identical to the
// one written from reading the file (Write): for a fresh run, for one cut
// short and resumed (the kept replicates' events read back from their
// parts), and for a complete one resumed, which tallies nothing. A tally
// that lacks one replicate's events gives another page: the comparison
// sees what the tally holds.
func TestKeyEventsTallyIsTheFile(t *testing.T) {
	sc, err := scenarios.Load("nordic-2022", "parameters.temperature=0.5")
	if err != nil {
		t.Fatal(err)
	}
	config := func(dir string, wantTallied bool) (*runner.Config, *int) {
		tally, finished := report.NewEventTally(), 0
		return &runner.Config{Scenario: sc, Seed: 3, Replicates: 6, Steps: 12, Workers: 2, Out: dir, Events: true, Snapshots: []int{0, -1},
			Metrics: []string{"density", "coalitions"}, Tally: tally.Add,
			Finish: func(dir string, tallied bool) error {
				finished++
				if tallied != wantTallied {
					t.Errorf("Finish told tallied %v, want %v", tallied, wantTallied)
				}
				if !tallied {
					tally = nil
				}
				_, err := report.WriteTallied(dir, tally)
				return err
			}}, &finished
	}
	read := func(dir string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, report.File))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ref := filepath.Join(t.TempDir(), "ref")
	c, finished := config(ref, true)
	if _, err := runner.RunScenario(context.Background(), c); err != nil || *finished != 1 {
		t.Fatalf("%v, Finish called %d times", err, *finished)
	}
	want := read(ref)
	if n := strings.Count(want, " of 6 replicates</li>"); n < 5 {
		t.Fatalf("the page lists %d key events", n)
	}
	if got := readPage(t, ref); got != want {
		t.Errorf("the page from the tally differs from the one from events.csv:\n%s", firstDiff(want, got))
	}

	// a tally without replicate 0's events is seen
	partial := report.NewEventTally()
	f, err := os.Open(filepath.Join(ref, results.EventsFile))
	if err != nil {
		t.Fatal(err)
	}
	err = results.ScanEvents(f, results.EventsFile, func(rep int, e results.EventRow) error {
		if rep != 0 {
			partial.Add(rep, &e)
		}
		return nil
	})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := report.WriteTallied(ref, partial); err != nil {
		t.Fatal(err)
	}
	if read(ref) == want {
		t.Error("a tally without replicate 0 gives the same page")
	}

	// cut short after a replicate, then resumed
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	c, finished = config(out, true)
	c.Workers = 1
	c.Progress = func(done, _ int) {
		if done == 1 {
			cancel()
		}
	}
	if rep, err := runner.RunScenario(ctx, c); !runner.Interrupted(err) || rep.Complete || *finished != 0 {
		t.Fatalf("cancelled: %v, Finish called %d times", err, *finished)
	}
	c, finished = config(out, true)
	c.Resume = true
	rep, err := runner.RunScenario(context.Background(), c)
	if err != nil || rep.Kept < 1 || rep.Kept >= 6 || *finished != 1 {
		t.Fatalf("resumed: %v %+v, Finish called %d times", err, rep, *finished)
	}
	if got := read(out); got != want {
		t.Errorf("the resumed run's page differs from the uninterrupted one's:\n%s", firstDiff(want, got))
	}
	if got := readPage(t, out); got != want {
		t.Errorf("the resumed run's page from events.csv differs:\n%s", firstDiff(want, got))
	}

	// a complete set resumed: the page from events.csv
	os.Remove(filepath.Join(out, report.File))
	c, finished = config(out, false)
	c.Resume = true
	if rep, err := runner.RunScenario(context.Background(), c); err != nil || rep.Kept != 6 || *finished != 1 {
		t.Fatalf("resumed complete set: %v, Finish called %d times", err, *finished)
	}
	if got := read(out); got != want {
		t.Errorf("the complete set's page, resumed, differs:\n%s", firstDiff(want, got))
	}
}

// firstDiff shows where two pages part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "want ..." + a[lo:min(len(a), i+200)] + "\ngot  ..." + b[lo:min(len(b), i+200)]
}

// A run's page draws the first replicate's networks from what the set kept
// as it wrote them (Networks, results.Options.Keep), and that page is the
// one drawn from the GraphML files; with the files spoilt (the page lists
// the steps the files have) it is still made from what was kept.
func TestKeptNetworksAreTheFiles(t *testing.T) {
	sc, err := scenarios.Load("nordic-2022")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	tally, nets := report.NewEventTally(), report.NewNetworks()
	c := &runner.Config{Scenario: sc, Seed: 2, Replicates: 2, Steps: 16, Workers: 2, Out: dir, Events: true,
		Snapshots: []int{0, 8, -1}, Tally: tally.Add, Keep: nets.Keep,
		Finish: func(dir string, tallied bool) error {
			_, err := report.WriteKept(dir, tally, nets)
			return err
		}}
	if _, err := runner.RunScenario(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if nets.Len() != 3 {
		t.Fatalf("%d networks kept, want the first replicate's 3", nets.Len())
	}
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, report.File))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	kept := read()
	if strings.Count(kept, "<svg") < 3 {
		t.Fatal("the page draws fewer than three networks")
	}
	if _, err := report.WriteTallied(dir, tally); err != nil {
		t.Fatal(err)
	}
	if fromFiles := read(); fromFiles != kept {
		t.Fatal("the page drawn from the kept networks differs from the one drawn from the GraphML files")
	}
	for _, s := range []int{0, 8, 16} {
		if err := os.WriteFile(filepath.Join(dir, results.SnapshotDir, "rep0_step"+strconv.Itoa(s)+".graphml"), []byte("<graphml"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := report.WriteTallied(dir, tally); err == nil {
		t.Fatal("spoilt GraphML files made a page")
	}
	if _, err := report.WriteKept(dir, tally, nets); err != nil {
		t.Fatalf("with the GraphML files spoilt: %v", err)
	}
	if read() != kept {
		t.Fatal("with the GraphML files spoilt the page differs")
	}
}
