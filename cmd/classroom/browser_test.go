package classroom

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/entente/entente/scenarios"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives the page in headless Chromium: load it, step the
// classroom scenario, move a slider, and check that the network and the
// charts change; it saves screenshots (see shot).
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("chromium not installed: skipping the browser test (apt-get install chromium chromium-driver)")
	}
	srv := New(Options{Logf: t.Logf})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stopServer := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	defer func() {
		stopServer()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	url := "http://" + ln.Addr().String() + "/"

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1600, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithBrowserOption(chromedp.WithConsolef(t.Logf)))
	defer cancelCtx()
	ctx, cancelTime := context.WithTimeout(ctx, 45*time.Second)
	defer cancelTime()

	type picture struct {
		Step      int               `json:"step"`
		Nodes     int               `json:"nodes"`
		Edges     []string          `json:"edges"`
		Ties      []string          `json:"ties"`  // "A-B form:width", ends sorted
		Fills     map[string]string `json:"fills"` // node id -> fill
		Hulls     int               `json:"hulls"`
		Charts    []string          `json:"charts"`
		Political float64           `json:"political"`
		Renders   int               `json:"renders"`
	}
	// The picture as drawn: SVG nodes and edges (with their styles), chart
	// paths, and the knob as the server last reported it.
	const snapJS = `(() => {
		const net = document.getElementById("net");
		return {
			step: window.classroom.state.step,
			nodes: net.querySelectorAll("g.node").length,
			edges: [...net.querySelectorAll("path.edge")].map(e => e.dataset.form + ":" + e.getAttribute("stroke-width")),
			ties: [...net.querySelectorAll("path.edge")].map(e => [e.dataset.a, e.dataset.b].sort().join("-") + " " + e.dataset.form + ":" + e.getAttribute("stroke-width")),
			fills: Object.fromEntries([...net.querySelectorAll("g.node")].map(g => {
				const shape = [...g.children].find(c => ["circle", "rect", "path"].includes(c.tagName) && c.getAttribute("fill") !== "none" && !c.classList.contains("seat"));
				return [g.dataset.id, shape ? shape.getAttribute("fill") : ""];
			})),
			hulls: net.querySelectorAll("path.hull").length,
			charts: [...document.querySelectorAll("#charts path.series")].map(p => p.getAttribute("d")),
			political: window.classroom.state.knobs.political.value,
			renders: window.classroom.renders,
		};
	})()`
	poll := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url), poll(`window.classroom && window.classroom.ready === true`)); err != nil {
		diag, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({c: typeof window.classroom, ready: window.classroom && window.classroom.ready, errors: document.getElementById("errors").textContent, body: document.body.innerHTML.length})`))
		t.Fatalf("loading the page: %v (%s)", err, diag)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || !strings.Contains(title, "classroom") {
		t.Errorf("title %q, %v", title, err)
	}
	before, err := chromedp.Run(ctx, chromedp.Evaluate[picture](snapJS))
	if err != nil {
		t.Fatal(err)
	}
	// The first picture is the scenario's step 0: every actor, and every
	// tie of the file drawn between its two actors, in its form, with a
	// width by level (1 + 1.1 x level, as netview.js draws it).
	sc, err := scenarios.Load("classroom")
	if err != nil {
		t.Fatal(err)
	}
	var wantTies []string
	for _, tie := range sc.World.Ties {
		ends := []string{sc.World.Actors[tie.A].ID, sc.World.Actors[tie.B].ID}
		slices.Sort(ends)
		wantTies = append(wantTies, fmt.Sprintf("%s-%s %s:%.1f", ends[0], ends[1], tie.Form, 1+1.1*float64(tie.Level)))
	}
	slices.Sort(wantTies)
	gotTies := slices.Sorted(slices.Values(before.Ties))
	if before.Step != 0 || before.Nodes != len(sc.World.Actors) || !slices.Equal(gotTies, wantTies) || len(before.Charts) != 4 {
		t.Fatalf("initial picture: %+v\nties drawn %q\nwant step 0, %d nodes, the scenario's ties %q, 4 charts", before, gotTies, len(sc.World.Actors), wantTies)
	}
	// Mutual defence is drawn by colour (alliance bloc): coloured by bloc,
	// the two ends of every defence dyad of the run (an alliance, or common
	// membership of a mutual-defence organisation: the Northern Pact's
	// members), each such organisation with its members and the parties to
	// a binding tie share a colour that actors in none of these relations
	// do not have, and two actors share a colour exactly when they share a
	// bloc.
	srv.mu.Lock()
	var dyads [][2]string
	var blocs map[string]string
	for _, ss := range srv.sessions {
		ss.mu.Lock()
		w := ss.s.World()
		for d := range ss.s.CommittedDyads() {
			dyads = append(dyads, [2]string{w.Actors[d.A].ID, w.Actors[d.B].ID})
		}
		for o := range w.Actors {
			if w.Actors[o].MutualDefence && ss.s.InSystem(o) {
				for _, m := range ss.s.MembersOf(o) {
					dyads = append(dyads, [2]string{w.Actors[o].ID, w.Actors[m].ID})
				}
			}
		}
		for tie := range ss.s.Ties() {
			if tie.Form.Binding() {
				dyads = append(dyads, [2]string{w.Actors[tie.A].ID, w.Actors[tie.B].ID})
			}
		}
		blocs = map[string]string{}
		for i, b := range Blocs(ss.s) {
			blocs[w.Actors[i].ID] = b
		}
		ss.mu.Unlock()
	}
	srv.mu.Unlock()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { document.getElementById("byBloc").click(); return 0; })()`)); err != nil {
		t.Fatal(err)
	}
	coloured, err := chromedp.Run(ctx, chromedp.Evaluate[picture](snapJS))
	if err != nil {
		t.Fatal(err)
	}
	// the colour of an actor in no defence relation and no binding tie
	bound := map[string]bool{}
	for _, d := range dyads {
		bound[d[0]], bound[d[1]] = true, true
	}
	unbound := map[string]bool{}
	for id := range blocs {
		if !bound[id] {
			unbound[coloured.Fills[id]] = true
		}
	}
	if len(unbound) > 1 {
		t.Errorf("coloured by bloc, the actors in no alliance are drawn in %d colours: %v", len(unbound), unbound)
	}
	for _, d := range dyads {
		if fa, fb := coloured.Fills[d[0]], coloured.Fills[d[1]]; fa == "" || fa != fb || unbound[fa] {
			t.Errorf("coloured by bloc, %s (%s) and %s (%s) are bound by mutual defence but not drawn in one bloc's colour (no bloc: %v)", d[0], fa, d[1], fb, unbound)
		}
	}
	if len(coloured.Fills) != len(blocs) {
		t.Errorf("coloured by bloc: %d nodes, %d actors", len(coloured.Fills), len(blocs))
	}
	for x, bx := range blocs {
		for y, by := range blocs {
			if x < y && (bx == by) != (coloured.Fills[x] == coloured.Fills[y]) {
				t.Errorf("coloured by bloc: %s (bloc %q, %s) and %s (bloc %q, %s)", x, bx, coloured.Fills[x], y, by, coloured.Fills[y])
			}
		}
	}
	t.Logf("step 0: %d ties drawn, %d defence relations (dyads, memberships, binding ties) drawn by colour", len(gotTies), len(dyads))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { document.getElementById("byRegion").click(); return 0; })()`)); err != nil {
		t.Fatal(err)
	}

	// Step 15 times with the button, then move the political retrenchment
	// slider to 0.9 (as a student would drag it) and step 15 more.
	var steps []chromedp.Action[chromedp.Void]
	for i := range 15 {
		steps = append(steps, chromedp.Click(chromedp.CSS("#step")),
			poll(`window.classroom.state.step === `+strconv.Itoa(i+1)+` && !window.classroom.busy`))
	}
	slider := `(() => {
		const s = document.querySelector('.knob[data-knob="political"] input');
		s.value = 0.9;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`
	steps = append(steps, chromedp.Evaluate[chromedp.Void](slider),
		poll(`window.classroom.state.knobs.political.set && window.classroom.state.knobs.political.value === 0.9`))
	for i := range 15 {
		steps = append(steps, chromedp.Click(chromedp.CSS("#step")),
			poll(`window.classroom.state.step === `+strconv.Itoa(16+i)+` && !window.classroom.busy`))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("stepping: %v", err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[picture](snapJS))
	if err != nil {
		t.Fatal(err)
	}
	if after.Step != 30 || after.Political != 0.9 {
		t.Errorf("after: step %d political %v, want 30 and 0.9", after.Step, after.Political)
	}
	if after.Nodes != len(sc.World.Actors) {
		t.Errorf("after: %d nodes, want %d", after.Nodes, len(sc.World.Actors))
	}
	if strings.Join(after.Edges, " ") == strings.Join(before.Edges, " ") && after.Hulls == before.Hulls {
		t.Errorf("the network did not change in 30 steps: %v", after.Edges)
	}
	for i := range after.Charts {
		if after.Charts[i] == before.Charts[i] {
			t.Errorf("chart %d did not change: %s", i, after.Charts[i])
		}
	}
	if after.Renders <= before.Renders {
		t.Errorf("renders %d -> %d", before.Renders, after.Renders)
	}

	// The server saw the slider: retrenchment is live in the session.
	srv.mu.Lock()
	var pol float64
	for _, ss := range srv.sessions {
		ss.mu.Lock()
		pol, _ = ss.s.Retrenchment()
		ss.mu.Unlock()
	}
	srv.mu.Unlock()
	if pol != 0.9 {
		t.Errorf("the session's political retrenchment is %v, want 0.9", pol)
	}

	shot(t, ctx, "classroom.png")

	// Click an actor: the panel shows its ties.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#net g.node[data-id="NTL"]').dispatchEvent(new MouseEvent("click", {bubbles: true}))`),
		poll(`!document.getElementById("actor").hidden`))
	if err != nil {
		t.Fatalf("actor panel: %v", err)
	}
	panel, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("#actor")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(panel, "Northland") || !strings.Contains(panel, "tie with") {
		t.Errorf("actor panel: %q", panel)
	}

	// Timing of a step plus redraw in the page (reported, not asserted).
	if perf, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.classroom.perf`)); err == nil && len(perf) > 0 {
		sum := 0.0
		for _, p := range perf {
			sum += p
		}
		t.Logf("step + redraw in the page: mean %.1f ms over %d steps (classroom, 10 actors)", sum/float64(len(perf)), len(perf))
	}

	shot(t, ctx, "classroom-actor.png")

	// The exports: the SVG is a complete document with the drawing.
	svg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.classroom.svgText()`))
	if err != nil || !strings.Contains(svg, `class="edge"`) || !strings.Contains(svg, "Northland") {
		t.Errorf("SVG export: %v %.200s", err, svg)
	}

	// A world of 82 actors: switch scenario in the page and play ten steps
	// at full speed; report the page's step + redraw time.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("scenario"); s.value = "nordic-2022";
			s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		poll(`window.classroom.state.scenario.name === "nordic-2022" && window.classroom.state.network.nodes.length > 60`),
		chromedp.Evaluate[chromedp.Void](`(() => { window.classroom.perf.length = 0; document.getElementById("speed").value = "20";
			document.getElementById("play").click(); })()`),
		poll(`window.classroom.state.step >= 10`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("play").click()`),
		poll(`!window.classroom.playing && !window.classroom.busy`),
	)
	if err != nil {
		t.Fatalf("nordic-2022: %v", err)
	}
	big, err := chromedp.Run(ctx, chromedp.Evaluate[picture](snapJS))
	if err != nil || big.Nodes < 60 || big.Step < 10 {
		t.Errorf("nordic-2022 picture: %+v %v", big, err)
	}
	if perf, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.classroom.perf`)); err == nil && len(perf) > 0 {
		sum := 0.0
		for _, p := range perf {
			sum += p
		}
		t.Logf("step + redraw in the page: mean %.1f ms over %d steps (nordic-2022, %d actors)", sum/float64(len(perf)), len(perf), big.Nodes)
	}
	if perf, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.classroom.renderPerf.slice(-10)`)); err == nil && len(perf) > 0 {
		sum := 0.0
		for _, p := range perf {
			sum += p
		}
		t.Logf("of which redraw: mean %.1f ms", sum/float64(len(perf)))
	}
	shot(t, ctx, "classroom-82.png")
}

// shot saves a screenshot in the test's temporary folder, or in
// $CLASSROOM_SCREENSHOTS (a folder) when set, to look at it.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("CLASSROOM_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}
