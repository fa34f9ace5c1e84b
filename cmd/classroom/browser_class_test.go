package classroom

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// startBrowserServer serves srv on loopback and starts headless Chromium;
// it skips the test, loudly, without Chromium.
func startBrowserServer(t *testing.T, srv *Server, w, h int) (string, context.Context) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("chromium not installed: skipping the browser test (apt-get install chromium)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stopServer := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	t.Cleanup(func() {
		stopServer()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithBrowserOption(chromedp.WithConsolef(t.Logf)))
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil { // start the browser
		t.Fatal(err)
	}
	return "http://" + ln.Addr().String(), bctx
}

// browserContext opens a tab in its own browser context (its own storage
// and cookies: another person's device).
func browserContext(t *testing.T, bctx context.Context, w, h int64) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelTime)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestBrowserClass runs a class in headless Chromium with a teacher and two
// students, each in a separate browser context: both join by the code and
// pick a state, each makes a choice that reaches the shared run, the teacher
// advances the round, and all three views show the result.
func TestBrowserClass(t *testing.T) {
	srv := New(Options{Logf: t.Logf})
	base, bctx := startBrowserServer(t, srv, 1600, 900)
	code, teacher, err := srv.StartClass("classroom", 1, "pick", 120)
	if err != nil {
		t.Fatal(err)
	}
	tctx := browserContext(t, bctx, 1600, 900)
	if err := chromedp.Do(tctx, chromedp.Navigate(base+"/class.html#code="+code+"&teacher="+teacher),
		poll(`window.classPage && window.classPage.ready && window.classPage.status && window.classPage.step`)); err != nil {
		t.Fatalf("teacher's page: %v", err)
	}
	if got := eval[string](t, tctx, `location.hash`); strings.Contains(got, teacher) {
		t.Errorf("the teacher's token stays in the address bar: %q", got)
	}
	if eval[string](t, tctx, `window.classPage.role`) != "teacher" {
		t.Fatal("the teacher's page is not the teacher's")
	}
	// The projector's join box: the code and a QR code.
	if txt := eval[string](t, tctx, `document.getElementById("code").textContent`); txt != code[:3]+"-"+code[3:] {
		t.Errorf("join code on the page: %q", txt)
	}
	if err := chromedp.Do(tctx, poll(`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`)); err != nil {
		t.Errorf("QR image: %v", err)
	}
	// The teacher turns "advance when all have chosen" off, to advance by hand.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS("#auto")), poll(`window.classPage.status.auto === false`)); err != nil {
		t.Fatalf("auto off: %v", err)
	}

	students := []struct{ name, state string }{{"Ada", "NTL"}, {"Bo", "SOU"}}
	sctx := make([]context.Context, len(students))
	for i, s := range students {
		ctx := browserContext(t, bctx, 390, 844)
		sctx[i] = ctx
		err := chromedp.Do(ctx, chromedp.Navigate(base+"/join"), poll(`window.joinPage && window.joinPage.ready`),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById("code").value = %q; document.getElementById("name").value = %q`, strings.ToLower(code[:3])+"-"+code[3:], s.name)),
			chromedp.Click(chromedp.CSS(`#joinForm button[type=submit]`)),
			poll(`!document.getElementById("seatPick").hidden && document.querySelector('#freeStates button[data-actor="`+s.state+`"]')`),
			chromedp.Click(chromedp.CSS(`#freeStates button[data-actor="`+s.state+`"]`)),
			poll(`window.joinPage.me && window.joinPage.me.seat && window.joinPage.me.seat.actor === "`+s.state+`" && !document.getElementById("play").hidden`),
		)
		if err != nil {
			diag, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 400)`))
			t.Fatalf("%s joins: %v\n%s", s.name, err, diag)
		}
	}
	// The teacher sees both, then starts the class.
	if err := chromedp.Do(tctx, poll(`window.classPage.status.students.length === 2 && window.classPage.status.seated === 2`),
		chromedp.Click(chromedp.CSS("#start")), poll(`window.classPage.status.phase === "choosing"`)); err != nil {
		t.Fatalf("start: %v", err)
	}
	// Each student picks an option that needs no one's consent (so that it
	// is carried out), by tapping it.
	picked := make([]string, len(students))
	for i, ctx := range sctx {
		err := chromedp.Do(ctx, poll(`window.joinPage.status.phase === "choosing" && window.joinPage.me.seat.options.length > 0 && document.querySelectorAll("#options li[data-index]").length > 0`))
		if err != nil {
			t.Fatalf("%s: no options: %v", students[i].name, err)
		}
		idx := eval[int](t, ctx, `(() => { const o = window.joinPage.me.seat.options; const k = o.find((x) => x.kind !== "nothing" && !x.consent) || o[0]; return k.index; })()`)
		picked[i] = eval[string](t, ctx, fmt.Sprintf(`window.joinPage.me.seat.options[%d].text`, idx))
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#options li[data-index="%d"]`, idx))),
			poll(fmt.Sprintf(`window.joinPage.me.picked === %d && document.querySelector('#options li.picked')`, idx))); err != nil {
			t.Fatalf("%s picks: %v", students[i].name, err)
		}
		// the explanation: the change in utility by term, as bars
		if n := eval[int](t, ctx, `document.querySelectorAll("#options li .bars .bar").length`); n == 0 {
			t.Errorf("%s: no term bars on the options", students[i].name)
		}
	}
	// the phone's view: the situation, then the options scrolled to
	viewShot(t, sctx[0], "student-phone.png")
	if err := chromedp.Do(sctx[0], chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.getElementById("options").getBoundingClientRect().top + window.scrollY - 90)`)); err == nil {
		viewShot(t, sctx[0], "student-options.png")
	}
	chromedp.Do(sctx[0], chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	if err := chromedp.Do(tctx, poll(`window.classPage.status.chosen === 2`)); err != nil {
		t.Fatalf("the teacher does not see both choices: %v", err)
	}
	// The teacher advances the round; a student asked to consent to the
	// other's proposal answers on the device.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS("#advance"))); err != nil {
		t.Fatalf("advance: %v", err)
	}
	answered := 0
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if eval[bool](t, tctx, `window.classPage.status.step === 1 && window.classPage.step.step === 1 && window.classPage.status.phase !== "resolving"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the round did not resolve: %s", eval[string](t, tctx, `JSON.stringify(window.classPage.status)`))
		}
		for i, ctx := range sctx {
			if eval[bool](t, ctx, `!!document.querySelector("#asks .ask button.primary")`) {
				t.Logf("%s is asked: %s", students[i].name, strings.ReplaceAll(eval[string](t, ctx, `document.querySelector("#asks .ask strong").innerText`), "\n", " "))
				if answered == 0 {
					viewShot(t, ctx, "student-consent.png")
				}
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#asks .ask button.primary"))); err != nil {
					t.Fatal(err)
				}
				answered++
			}
		}
	}
	t.Logf("consent questions answered on the students' devices: %d", answered)
	// All three views show the result.
	for i, ctx := range sctx {
		if err := chromedp.Do(ctx, poll(`window.joinPage.status.step === 1 && window.joinPage.me.last && window.joinPage.me.last.step === 1 && document.getElementById("lastRound").textContent.length > 0`)); err != nil {
			t.Fatalf("%s does not see the result: %v", students[i].name, err)
		}
		last := eval[string](t, ctx, `document.getElementById("lastRound").textContent`)
		external := eval[bool](t, ctx, `window.joinPage.me.last.external`)
		if external && !strings.Contains(last, "you chose") || !external && !strings.Contains(last, "the model chose") {
			t.Errorf("%s's result: %q (external %v)", students[i].name, last, external)
		}
		t.Logf("%s picked %q; the page says: %s", students[i].name, picked[i], last)
	}
	// The shared run has both students' choices.
	c := classOf(t, srv, code)
	c.mu.Lock()
	got := map[string]decisionRec{}
	for _, d := range c.timeline {
		got[d.Student] = d
	}
	c.mu.Unlock()
	for i, s := range students {
		d, ok := got[s.name]
		if !ok {
			t.Errorf("no decision of %s's state in the run", s.name)
			continue
		}
		if d.External && d.Chosen.Text != picked[i] {
			t.Errorf("%s picked %q, the run took %q", s.name, picked[i], d.Chosen.Text)
		}
		if !d.External && !strings.Contains(d.Note, "no longer possible") {
			t.Errorf("%s's choice did not reach the run: %+v", s.name, d)
		}
	}
	if n := eval[int](t, tctx, `window.classPage.step.series.length`); n != 2 {
		t.Errorf("the teacher's page has %d steps of metrics, want 2", n)
	}
	// Focus mode on the teacher's page: the actor's explanation.
	if err := chromedp.Do(tctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#net g.node[data-id="NTL"]').dispatchEvent(new MouseEvent("click", {bubbles: true}))`),
		poll(`!document.getElementById("focusBox").hidden && document.querySelectorAll("#focusBox .opts tr").length > 1`)); err != nil {
		t.Fatalf("focus: %v", err)
	}
	if faded := eval[int](t, tctx, `[...document.querySelectorAll("#net g.node")].filter((g) => g.getAttribute("opacity") !== "1").length`); faded == 0 {
		t.Error("focus mode fades no actor")
	}
	viewShot(t, tctx, "teacher.png")
	// The debrief opens at the end, with the students' decisions.
	if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`), chromedp.Click(chromedp.CSS("#end")),
		poll(`!document.getElementById("debrief").hidden && document.querySelectorAll("#debriefBody table tr").length > 3`)); err != nil {
		t.Fatalf("debrief: %v", err)
	}
	body := eval[string](t, tctx, `document.getElementById("debriefBody").innerText`)
	if !strings.Contains(body, "Ada") || !strings.Contains(body, "the model would have") {
		t.Errorf("debrief: %.300s", body)
	}
	viewShot(t, tctx, "debrief.png")
}

type labelBox struct {
	Text string  `json:"text"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
	Size float64 `json:"size"`
}

// TestBrowserProjector draws the 82-actor baseline on a 1920×1080
// projector and measures every label: none may overlap another, leave the
// picture, or be set smaller than 13 px. It checks that the layout stays
// put between steps, focus mode, the tie filter and the hulls.
func TestBrowserProjector(t *testing.T) {
	srv := New(Options{Logf: t.Logf})
	base, bctx := startBrowserServer(t, srv, 1920, 1080)
	code, teacher, err := srv.StartClass("baseline", 1, "pick", 60)
	if err != nil {
		t.Fatal(err)
	}
	c := classOf(t, srv, code)
	// seat a few students, so that the picture shows who plays what
	c.mu.Lock()
	for i, id := range []string{"FIN", "SWD", "POL", "JPN", "IND", "BRA"} {
		st, _ := c.join(fmt.Sprintf("Student %d", i+1))
		c.seat(st, c.run.world().ActorIndex(id))
	}
	c.bump()
	c.mu.Unlock()
	ctx := browserContext(t, bctx, 1920, 1080)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/class.html#code="+code),
		poll(`window.classPage && window.classPage.step && window.classPage.status && document.querySelectorAll("#net g.node").length === 82`)); err != nil {
		t.Fatalf("projector: %v", err)
	}
	if eval[string](t, ctx, `window.classPage.role`) != "projector" || !eval[bool](t, ctx, `document.getElementById("teacherControls").hidden`) {
		t.Error("the projector shows the teacher's controls")
	}
	if _, err := srv.teacherAct(code, teacher, "start"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, poll(`window.classPage.status.phase === "choosing" && document.getElementById("joinBox").classList.contains("small")`)); err != nil {
		t.Fatalf("round: %v", err)
	}
	checkLabels := func(when string) map[string][2]float64 {
		boxes := eval[[]labelBox](t, ctx, `window.classPage.view.labelBoxes()`)
		stage := eval[labelBox](t, ctx, `(() => { const r = document.getElementById("net").getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })()`)
		if len(boxes) < 82 {
			t.Fatalf("%s: %d labels", when, len(boxes))
		}
		overlaps := 0
		for i := range boxes {
			a := boxes[i]
			if a.Size < 13 {
				t.Errorf("%s: label %q is %.1f px", when, a.Text, a.Size)
			}
			if a.X < stage.X-0.5 || a.Y < stage.Y-0.5 || a.X+a.W > stage.X+stage.W+0.5 || a.Y+a.H > stage.Y+stage.H+0.5 {
				t.Errorf("%s: label %q leaves the picture: %+v (picture %+v)", when, a.Text, a, stage)
			}
			for j := i + 1; j < len(boxes); j++ {
				b := boxes[j]
				if a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
					overlaps++
					if overlaps <= 10 {
						t.Errorf("%s: labels %q %+v and %q %+v overlap", when, a.Text, a, b.Text, b)
					}
				}
			}
		}
		pos := map[string][2]float64{}
		for _, p := range eval[[]labelBox](t, ctx, `[...document.querySelectorAll("#net g.node")].map((g) => { const m = g.getAttribute("transform").match(/translate\(([-\d.]+),([-\d.]+)\)/); return {text: g.dataset.id, x: +m[1], y: +m[2]}; })`) {
			pos[p.Text] = [2]float64{p.X, p.Y}
		}
		names := 0
		for _, b := range boxes {
			if len(b.Text) > 4 {
				names++
			}
		}
		t.Logf("%s: %d labels, no overlaps: %v, %d of them names (the rest ids)", when, len(boxes), overlaps == 0, names)
		return pos
	}
	before := checkLabels("step 0")
	t.Logf("picture at step 0: %s", eval[string](t, ctx, `document.getElementById("net").getAttribute("viewBox")`))
	viewShot(t, ctx, "projector-82.png")
	// three rounds later the actors are where they were
	server := func() (int, phase) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return len(c.frames) - 1, c.phase
	}
	for range 3 {
		step, _ := server()
		if _, err := srv.teacherAct(code, teacher, "advance"); err != nil {
			t.Fatal(err)
		}
		// the seated students do not answer consent questions: while the
		// step resolves the teacher advances again, and the model answers
		// for them. The server's phase decides (the page's may lag behind,
		// and an advance sent in the next round's choosing would skip it).
		deadline := time.Now().Add(20 * time.Second)
		for {
			n, ph := server()
			if n == step+1 && ph == phaseChoosing {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d not reached: at %d, %s", step+1, n, ph)
			}
			if ph == phaseResolving {
				// the teacher's advance while resolving, made under the
				// class's lock so that it cannot land in the next round's
				// choosing instead (which ended that round: a step skipped
				// when the machine was loaded)
				c.mu.Lock()
				if c.phase == phaseResolving {
					c.cutShort = true
					c.bump()
				}
				c.mu.Unlock()
				c.poke()
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err := chromedp.Do(ctx, poll(fmt.Sprintf(`window.classPage.step.step === %d && window.classPage.status.phase === "choosing"`, step+1))); err != nil {
			t.Fatalf("the projector does not show step %d: %v", step+1, err)
		}
	}
	after := checkLabels("step 3")
	moved := 0
	for id, p := range before {
		if q := after[id]; q != p {
			moved++
		}
	}
	if moved > 0 {
		t.Errorf("%d actors moved between steps 0 and 3 (picture now %s, bar %s)", moved,
			eval[string](t, ctx, `document.getElementById("net").getAttribute("viewBox")`), eval[string](t, ctx, `JSON.stringify(document.getElementById("bar").getBoundingClientRect())`))
	}
	// tie filter: hide cooperation ties
	nCoop := eval[int](t, ctx, `document.querySelectorAll('#net path.edge[data-form="cooperation"]').length`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#filters input[data-form="cooperation"]`)),
		poll(`document.querySelectorAll('#net path.edge[data-form="cooperation"]').length === 0`)); err != nil || nCoop == 0 {
		t.Errorf("filter by form: %d cooperation ties before, %v", nCoop, err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#net path.hull").length`); n == 0 {
		t.Error("no group hulls")
	}
	// focus mode: one actor's ties, the rest faded
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#net g.node[data-id="FIN"]').dispatchEvent(new MouseEvent("click", {bubbles: true}))`),
		poll(`!document.getElementById("focusBox").hidden`)); err != nil {
		t.Fatalf("focus: %v", err)
	}
	checkLabels("focus")
	viewShot(t, ctx, "projector-82-focus.png")
}

// teacherAct calls a teacher's action as the page would.
func (s *Server) teacherAct(code, token, action string) (int, error) {
	rq, _ := newLocalRequest("POST", "/api/class/"+code+"/teacher/"+action, "{}")
	rq.Header.Set("X-Entente-Token", token)
	w := newRecorder()
	s.Handler().ServeHTTP(w, rq)
	if w.Code != 204 {
		return w.Code, fmt.Errorf("%s: %d %s", action, w.Code, w.Body.String())
	}
	return w.Code, nil
}

// viewShot saves what the viewport shows (see shot).
func viewShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
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
