package classroom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// do sends a request to h and decodes a JSON reply into out (when not nil).
func do(t *testing.T, h http.Handler, method, path, body string, out any) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Host = "localhost:8080"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %d, reply is not JSON: %v\n%s", method, path, w.Code, err, w.Body.String())
		}
	}
	return w
}

func newSession(t *testing.T, h http.Handler, body string) *State {
	t.Helper()
	var st State
	if w := do(t, h, "POST", "/api/session", body, &st); w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	return &st
}

// wantError checks the status and that the reply is a JSON error containing
// each of the words.
func wantError(t *testing.T, w *httptest.ResponseRecorder, code int, words ...string) apiError {
	t.Helper()
	var e apiError
	if w.Code != code {
		t.Errorf("status %d, want %d: %s", w.Code, code, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q, want JSON", ct)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" {
		t.Fatalf("not a JSON error: %v %s", err, w.Body.String())
	}
	for _, word := range words {
		if !strings.Contains(e.Error, word) {
			t.Errorf("error %q does not mention %q", e.Error, word)
		}
	}
	return e
}

func TestPageAndAssets(t *testing.T) {
	h := New(Options{}).Handler()
	for _, p := range []string{"/", "/app.js", "/style.css"} {
		w := do(t, h, "GET", p, "", nil)
		if w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: CSP %q", p, csp)
		}
	}
	// The page loads nothing from elsewhere.
	for _, p := range []string{"/", "/app.js", "/style.css"} {
		body := do(t, h, "GET", p, "", nil).Body.String()
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "googleapis"} {
			if strings.Contains(strings.ReplaceAll(body, "http://www.w3.org/2000/svg", ""), bad) {
				t.Errorf("%s mentions %q", p, bad)
			}
		}
	}
}

func TestNoFileOutsideAssets(t *testing.T) {
	h := New(Options{}).Handler()
	for _, p := range []string{"/../server.go", "/%2e%2e/server.go", "/%2e%2e/%2e%2e/go.mod", "/..%2fserver.go",
		"/web/app.js", "/server.go", "/../../../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc/passwd"} {
		req := httptest.NewRequest("GET", p, nil)
		req.Host = "localhost"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		body := w.Body.String()
		if w.Code == http.StatusOK && (strings.Contains(body, "package classroom") || strings.Contains(body, "root:") || strings.Contains(body, "module ")) {
			t.Errorf("GET %s served a file outside the assets:\n%.200s", p, body)
		}
		if w.Code == http.StatusOK && !strings.Contains(body, "<!doctype html>") {
			t.Errorf("GET %s: 200 with %.100q", p, body)
		}
	}
}

// TestNoFileOutsideAssetsTCP sends raw request lines to a real server, so
// that no client cleans the paths first.
func TestNoFileOutsideAssetsTCP(t *testing.T) {
	ts := httptest.NewServer(New(Options{}).Handler())
	defer ts.Close()
	for _, p := range []string{"/../go.mod", "/%2e%2e/go.mod", "/%2e%2e%2fgo.mod", "/..%5c..%5cgo.mod", "/./../server.go", "//../server.go"} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", p)
		reply, _ := io.ReadAll(conn)
		conn.Close()
		r := string(reply)
		if strings.Contains(r, "package classroom") || strings.Contains(r, "module github.com") {
			t.Errorf("GET %s served a file outside the assets", p)
		}
		if strings.HasPrefix(r, "HTTP/1.1 200") && !strings.Contains(r, "<!doctype html>") {
			t.Errorf("GET %s: %.120q", p, r)
		}
	}
}

func TestScenarios(t *testing.T) {
	h := New(Options{}).Handler()
	var list []struct{ Name, Summary string }
	if w := do(t, h, "GET", "/api/scenarios", "", &list); w.Code != 200 {
		t.Fatal(w.Code)
	}
	found := false
	for _, s := range list {
		found = found || s.Name == "classroom"
	}
	if !found || len(list) < 2 {
		t.Errorf("scenarios: %+v", list)
	}
}

func TestSessionLifecycle(t *testing.T) {
	srv := New(Options{})
	h := srv.Handler()
	st := newSession(t, h, "")
	if st.Scenario.Name != "classroom" || st.Step != 0 || len(st.Network.Nodes) != 10 || len(st.Series) != 1 || !st.Full {
		t.Fatalf("new session: %+v", st.Scenario)
	}
	base := "/api/session/" + st.Session
	var st2 State
	if w := do(t, h, "POST", base+"/step", `{"steps": 12}`, &st2); w.Code != 200 {
		t.Fatalf("step: %d %s", w.Code, w.Body.String())
	}
	if st2.Step != 12 || st2.Full || len(st2.Series) != 12 || st2.Series[0].Step != 1 {
		t.Errorf("step: at %d, full %v, %d new points", st2.Step, st2.Full, len(st2.Series))
	}
	for _, e := range st2.Events {
		if e.Step < 1 || e.Step > 12 || !strings.HasPrefix(e.Text, "step ") {
			t.Errorf("event %+v", e)
		}
	}
	if w := do(t, h, "POST", base+"/step", "", &st2); w.Code != 200 || st2.Step != 13 {
		t.Errorf("step with an empty body: %d, at %d", w.Code, st2.Step)
	}
	do(t, h, "GET", base, "", &st2)
	if st2.Step != 13 || len(st2.Series) != 14 || !st2.Full {
		t.Errorf("state: at %d with %d points", st2.Step, len(st2.Series))
	}
	// Knobs act live.
	for _, body := range []string{`{"knob":"threat:rivalia","value":0.95}`, `{"knob":"political","value":0.8}`,
		`{"knob":"military","value":0.3}`, `{"knob":"temperature","value":0.2}`, `{"knob":"seed","value":7}`} {
		if w := do(t, h, "POST", base+"/knob", body, &st2); w.Code != 200 {
			t.Errorf("knob %s: %d %s", body, w.Code, w.Body.String())
		}
	}
	if !st2.Knobs.Threats[0].Set || st2.Knobs.Threats[0].Value != 0.95 || st2.Knobs.Political.Value != 0.8 || st2.Knobs.Temperature != 0.2 {
		t.Errorf("knobs: %+v", st2.Knobs)
	}
	ss := srv.sessions[st.Session]
	do(t, h, "POST", base+"/step", `{"steps":1}`, &st2)
	if v := ss.s.Intensity(0); v != 0.95 {
		t.Errorf("intensity after the knob: %v", v)
	}
	if pol, mil := ss.s.Retrenchment(); pol != 0.8 || mil != 0.3 {
		t.Errorf("retrenchment after the knob: %v %v", pol, mil)
	}
	if p := ss.s.Params(); p.Temperature != 0.2 {
		t.Errorf("temperature %v", p.Temperature)
	}
	// Back to the profile.
	do(t, h, "POST", base+"/knob", `{"knob":"threat:rivalia","profile":true}`, &st2)
	if st2.Knobs.Threats[0].Set {
		t.Errorf("threat still set after profile")
	}
	// Reset keeps the knobs, takes the new seed and starts at 0.
	if w := do(t, h, "POST", base+"/reset", "{}", &st2); w.Code != 200 {
		t.Fatalf("reset: %d", w.Code)
	}
	if st2.Step != 0 || st2.Seed != 7 || len(st2.Series) != 1 || len(st2.Events) != 0 || st2.Knobs.Political.Value != 0.8 || st2.Knobs.Threats[0].Set {
		t.Errorf("reset: step %d seed %d series %d knobs %+v", st2.Step, st2.Seed, len(st2.Series), st2.Knobs)
	}
	// Actor detail: an actor with a tie in the network lists it (which
	// actor has one, and when the first tie forms, depend on the run and the
	// model's defaults, not on the page: step until one does).
	var st3 State
	stepped := 0
	for ; stepped < 200 && len(st3.Network.Edges) == 0; stepped += 20 {
		do(t, h, "POST", base+"/step", `{"steps":20}`, &st3)
	}
	if len(st3.Network.Edges) == 0 {
		t.Fatalf("no tie in the network after %d steps", stepped)
	}
	e := st3.Network.Edges[0]
	var d actorDetail
	w0 := do(t, h, "GET", base+"/actor/"+e.A, "", &d)
	listed := slices.ContainsFunc(d.Ties, func(x tieDetail) bool { return x.Other == e.B })
	if w0.Code != 200 || d.ID != e.A || d.Label == "" || !listed {
		t.Errorf("actor %s (tie with %s in the network): %d %+v", e.A, e.B, w0.Code, d)
	}
	// CSV.
	w := do(t, h, "GET", base+"/series.csv", "", nil)
	lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
	if w.Code != 200 || lines[0] != "step,metric,value" || len(lines) != 1+(stepped+1)*len(st.Metrics) ||
		!strings.HasPrefix(lines[1], "0,ties_total,") || !strings.Contains(w.Header().Get("Content-Disposition"), "classroom-series.csv") {
		t.Errorf("csv: %d, %d lines, %q", w.Code, len(lines), lines[:2])
	}
	// Another built-in scenario in the same session.
	if w := do(t, h, "POST", base+"/scenario", `{"scenario":"nordic-2022"}`, &st2); w.Code != 200 || st2.Scenario.Name != "nordic-2022" || st2.Step != 0 {
		t.Errorf("load: %d %s", w.Code, st2.Scenario.Name)
	}
	// Delete.
	if w := do(t, h, "DELETE", base, "", nil); w.Code != http.StatusNoContent {
		t.Errorf("delete: %d", w.Code)
	}
	wantError(t, do(t, h, "GET", base, "", nil), 404, "session")
}

func TestBadInputs(t *testing.T) {
	srv := New(Options{MaxSteps: 30, MaxUpload: 4096})
	h := srv.Handler()
	st := newSession(t, h, `{"scenario":"classroom"}`)
	base := "/api/session/" + st.Session
	cases := []struct {
		method, path, body string
		code               int
		words              []string
	}{
		{"POST", "/api/session", `{"scenario":"classrom"}`, 404, []string{"unknown scenario", "classroom"}},
		{"POST", "/api/session", `{"scenario":`, 400, []string{"bad JSON"}},
		{"POST", "/api/session", `{"scenario":"classroom","colour":1}`, 400, []string{"unknown field"}},
		{"POST", "/api/session", `{"scenario":"classroom"} {}`, 400, []string{"single"}},
		{"POST", "/api/session", `{"scenario":"classroom","source":"x: 1"}`, 400, []string{"either"}},
		{"POST", "/api/session", `{"source":"` + strings.Repeat("x", 30000) + `"}`, 413, []string{"larger"}},
		{"GET", "/api/session/nope", "", 404, []string{"session"}},
		{"POST", "/api/session/nope/step", `{}`, 404, []string{"session"}},
		{"POST", base + "/step", `{"steps":0}`, 400, []string{"between 1 and 50"}},
		{"POST", base + "/step", `{"steps":51}`, 400, []string{"between 1 and 50"}},
		{"POST", base + "/step", `{"steps":"x"}`, 400, []string{"bad JSON"}},
		{"POST", base + "/step", `{"n":1}`, 400, []string{"unknown field"}},
		{"POST", base + "/knob", `{"knob":"political","value":1.5}`, 400, []string{"between 0 and 1"}},
		{"POST", base + "/knob", `{"knob":"political","value":-0.1}`, 400, []string{"between 0 and 1"}},
		{"POST", base + "/knob", `{"knob":"threat:rivalia","value":2}`, 400, []string{"between 0 and 1"}},
		{"POST", base + "/knob", `{"knob":"threat:zombies","value":0.5}`, 400, []string{"unknown threat", "threat:rivalia"}},
		{"POST", base + "/knob", `{"knob":"temperature","value":1000}`, 400, []string{"between 0 and 100"}},
		{"POST", base + "/knob", `{"knob":"seed","value":1.5}`, 400, []string{"whole"}},
		{"POST", base + "/knob", `{"knob":"seed","value":-1}`, 400, []string{"between"}},
		{"POST", base + "/knob", `{"knob":"seed","profile":true}`, 400, []string{"no profile"}},
		{"POST", base + "/knob", `{"knob":"political"}`, 400, []string{"missing value"}},
		{"POST", base + "/knob", `{"knob":"political","value":0.1,"profile":true}`, 400, []string{"either"}},
		{"POST", base + "/knob", `{"knob":"gravity","value":0.1}`, 400, []string{"unknown knob"}},
		{"POST", base + "/knob", `{"value":0.1}`, 400, []string{"missing knob"}},
		{"POST", base + "/knob", `{"knob":"political","value":0.1,"extra":true}`, 400, []string{"unknown field"}},
		{"POST", base + "/reset", `{"seed":-3}`, 400, []string{"bad JSON"}},
		{"POST", base + "/scenario", `{"scenario":"atlantis"}`, 404, []string{"unknown scenario"}},
		{"GET", base + "/actor/ATLANTIS", "", 404, []string{"unknown actor"}},
		{"GET", "/api/nothing", "", 404, []string{"no such endpoint"}},
		{"PUT", base + "/step", "", 404, []string{"no such endpoint"}},
	}
	for _, c := range cases {
		w := do(t, h, c.method, c.path, c.body, nil)
		t.Run(c.method+" "+c.path+" "+c.body[:min(len(c.body), 40)], func(t *testing.T) {
			wantError(t, w, c.code, c.words...)
		})
	}
	// The step cap: 30 steps, then 409.
	var st2 State
	do(t, h, "POST", base+"/step", `{"steps":25}`, &st2)
	do(t, h, "POST", base+"/step", `{"steps":25}`, &st2)
	if st2.Step != 30 {
		t.Errorf("stepped to %d, want the cap 30", st2.Step)
	}
	wantError(t, do(t, h, "POST", base+"/step", `{}`, nil), http.StatusConflict, "limit of 30 steps")
}

func TestUpload(t *testing.T) {
	srv := New(Options{MaxActors: 5})
	h := srv.Handler()
	// A file with errors: the loader's located errors come back.
	bad := "name: broken\nactors:\n  - {id: A, kind: state, region: X, capability: 2}\n  - {id: B, kind: stat}\nties:\n  - {a: A, b: C}\n"
	body, _ := json.Marshal(map[string]string{"file": "../../broken.yaml", "source": bad})
	e := wantError(t, do(t, h, "POST", "/api/session", string(body), nil), http.StatusUnprocessableEntity, "errors")
	if len(e.Errors) < 2 {
		t.Fatalf("want the loader's errors, got %+v", e)
	}
	lines := map[int]bool{}
	for _, x := range e.Errors {
		lines[x.Line] = true
		if x.File != "broken.yaml" || !strings.Contains(x.Text, "broken.yaml:") {
			t.Errorf("error not located in broken.yaml: %+v", x)
		}
	}
	if !lines[3] || !lines[6] {
		t.Errorf("want errors on lines 3 and 6, got %+v", e.Errors)
	}
	// Malformed YAML.
	body, _ = json.Marshal(map[string]string{"file": "x.yaml", "source": "actors: [\n  {id: A"})
	e = wantError(t, do(t, h, "POST", "/api/session", string(body), nil), http.StatusUnprocessableEntity)
	if len(e.Errors) == 0 || e.Errors[0].Line == 0 {
		t.Errorf("malformed YAML: %+v", e)
	}
	// Too many actors.
	var sb strings.Builder
	sb.WriteString("name: big\nactors:\n")
	for i := range 6 {
		sb.WriteString("  - {id: A" + string(rune('0'+i)) + ", kind: state, region: R, capability: 0.1, economy: 0.1, values: [0]}\n")
	}
	body, _ = json.Marshal(map[string]string{"file": "big.yaml", "source": sb.String()})
	wantError(t, do(t, h, "POST", "/api/session", string(body), nil), http.StatusUnprocessableEntity, "6 actors", "at most 5")
	// A good upload.
	good := "name: tiny\nactors:\n  - {id: A, kind: state, region: R, capability: 0.3, economy: 0.2, values: [0.5]}\n" +
		"  - {id: B, kind: state, region: R, capability: 0.1, economy: 0.1, values: [0.4]}\n" +
		"  - {id: C, kind: state, region: S, capability: 0.1, economy: 0.1, values: [-0.4]}\n"
	body, _ = json.Marshal(map[string]string{"file": "tiny.yaml", "source": good})
	st := newSession(t, h, string(body))
	if st.Scenario.Name != "tiny" || st.Scenario.Builtin || len(st.Network.Nodes) != 3 {
		t.Errorf("upload: %+v", st.Scenario)
	}
}

func TestTooManySessions(t *testing.T) {
	now := time.Unix(1000, 0)
	srv := New(Options{MaxSessions: 3, Now: func() time.Time { return now }})
	h := srv.Handler()
	for range 3 {
		newSession(t, h, "")
	}
	wantError(t, do(t, h, "POST", "/api/session", "", nil), http.StatusTooManyRequests, "too many sessions")
	// Idle sessions expire and make room.
	now = now.Add(16 * time.Minute)
	newSession(t, h, "")
	if n := srv.Sessions(); n != 1 {
		t.Errorf("%d sessions after expiry, want 1", n)
	}
}

func TestJanitor(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := New(Options{Now: clock, IdleTimeout: 10 * time.Minute, Logf: t.Logf})
	h := srv.Handler()
	a := newSession(t, h, "")
	b := newSession(t, h, "")
	advance(6 * time.Minute)
	do(t, h, "POST", "/api/session/"+a.Session+"/step", "", nil) // a is used, b is not
	advance(6 * time.Minute)
	if n := srv.Sweep(); n != 1 {
		t.Errorf("swept %d, want 1 (b)", n)
	}
	wantError(t, do(t, h, "GET", "/api/session/"+b.Session, "", nil), 404, "session")
	if w := do(t, h, "GET", "/api/session/"+a.Session, "", nil); w.Code != 200 {
		t.Errorf("a was removed: %d", w.Code)
	}
	advance(11 * time.Minute)
	// The janitor goroutine sweeps on its own.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Janitor(ctx, time.Millisecond); close(done) }()
	for srv.Sessions() != 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
}

func TestRecover(t *testing.T) {
	var logged bytes.Buffer
	var mu sync.Mutex
	srv := New(Options{Logf: func(f string, a ...any) { mu.Lock(); defer mu.Unlock(); logged.WriteString(f) }})
	h := srv.recoverer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	wantError(t, do(t, h, "GET", "/x", "", nil), 500, "internal error")
	if !strings.Contains(logged.String(), "panic") {
		t.Errorf("panic not logged: %q", logged.String())
	}
}

// TestConcurrent hits one session and several others from many goroutines
// (run with -race).
func TestConcurrent(t *testing.T) {
	srv := New(Options{})
	h := srv.Handler()
	shared := newSession(t, h, "")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := newSession(t, h, "")
			for i := range 10 {
				for _, id := range []string{shared.Session, own.Session} {
					base := "/api/session/" + id
					do(t, h, "POST", base+"/step", `{"steps":1}`, nil)
					do(t, h, "POST", base+"/knob", `{"knob":"political","value":0.`+string(rune('0'+(g+i)%10))+`}`, nil)
					do(t, h, "GET", base+"/actor/PAT", "", nil)
					do(t, h, "GET", base+"/series.csv", "", nil)
				}
			}
			srv.Sweep()
		}()
	}
	wg.Wait()
	var st State
	do(t, h, "GET", "/api/session/"+shared.Session, "", &st)
	if st.Step != 80 {
		t.Errorf("shared session at step %d, want 80", st.Step)
	}
}
