package classroom

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entente/entente/scenarios"
)

// req sends a request to h as a browser on this machine would (loopback
// address, the page's own host), with extra headers.
func req(t *testing.T, h http.Handler, method, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	rq := httptest.NewRequest(method, path, r)
	rq.Host = "localhost:8080"
	rq.RemoteAddr = "127.0.0.1:40000"
	if body != "" {
		rq.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		if v == "" {
			rq.Header.Del(k)
			continue
		}
		if k == "Host" {
			rq.Host = v
			continue
		}
		if k == "RemoteAddr" {
			rq.RemoteAddr = v
			continue
		}
		rq.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, rq)
	return w
}

func tok(t string) map[string]string { return map[string]string{"X-Entente-Token": t} }

// classServer starts a server with options o (closed when the test ends)
// and a class on it from the request body, and returns the server, its
// handler and the class's info.
func classServer(t *testing.T, o Options, body string) (*Server, http.Handler, ClassInfo) {
	t.Helper()
	srv := New(o)
	t.Cleanup(srv.CloseClasses)
	h := srv.Handler()
	return srv, h, newTestClass(t, h, body)
}

// newTestClass starts a class on a built-in and returns its info (with the
// teacher's token).
func newTestClass(t *testing.T, h http.Handler, body string) ClassInfo {
	t.Helper()
	w := req(t, h, "POST", "/api/class", body, nil)
	if w.Code != http.StatusCreated {
		t.Fatalf("new class: %d %s", w.Code, w.Body.String())
	}
	var ci ClassInfo
	if err := json.Unmarshal(w.Body.Bytes(), &ci); err != nil {
		t.Fatal(err)
	}
	if len(ci.Code) != 6 || len(ci.Teacher) != 32 {
		t.Fatalf("class info %+v", ci)
	}
	return ci
}

func joinAs(t *testing.T, h http.Handler, code, name string) JoinReply {
	t.Helper()
	w := req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":%q,"name":%q}`, code, name), nil)
	if w.Code != http.StatusCreated {
		t.Fatalf("join %s: %d %s", name, w.Code, w.Body.String())
	}
	var j JoinReply
	if err := json.Unmarshal(w.Body.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	return j
}

func classOf(t *testing.T, srv *Server, code string) *Class {
	t.Helper()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	c := srv.classes[code]
	if c == nil {
		t.Fatalf("no class %s", code)
	}
	return c
}

// TestClassSecurity: the handler tests the issue asks for, and more.
func TestClassSecurity(t *testing.T) {
	srv := New(Options{Logf: t.Logf})
	defer srv.CloseClasses()
	h := srv.Handler()

	// Only this machine starts a class from the page.
	w := req(t, h, "POST", "/api/class", `{"scenario":"classroom"}`, map[string]string{"RemoteAddr": "192.168.1.50:5000"})
	wantError(t, w, http.StatusForbidden, "computer that runs")
	ci := newTestClass(t, h, `{"scenario":"classroom"}`)

	// DNS rebinding: a foreign Host is refused, whatever the method.
	for _, m := range []string{"GET", "POST"} {
		w = req(t, h, m, "/api/class/"+ci.Code, "", map[string]string{"Host": "evil.example:8080"})
		wantError(t, w, http.StatusMisdirectedRequest, "does not answer to the host name \"evil.example\"")
	}
	if w := req(t, h, "GET", "/", "", map[string]string{"Host": "attacker.test"}); w.Code != http.StatusMisdirectedRequest {
		t.Errorf("page for a foreign host: %d", w.Code)
	}
	for _, host := range []string{"localhost", "127.0.0.1:8080", "[::1]:8080", "127.0.0.2"} {
		if w := req(t, h, "GET", "/api/class/"+ci.Code, "", map[string]string{"Host": host}); w.Code != 200 {
			t.Errorf("host %s: %d", host, w.Code)
		}
	}

	// Cross-site requests that would change something are refused.
	join := fmt.Sprintf(`{"code":%q,"name":"Mallory"}`, ci.Code)
	for _, hd := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "http://evil.example"},
		{"Origin": "null"},
		{"Origin": "http://localhost:9999"},
	} {
		wantError(t, req(t, h, "POST", "/api/join", join, hd), http.StatusForbidden, "refused a request from")
		wantError(t, req(t, h, "POST", "/api/class/"+ci.Code+"/teacher/advance", "{}", map[string]string{"X-Entente-Token": ci.Teacher, "Origin": hd["Origin"], "Sec-Fetch-Site": hd["Sec-Fetch-Site"]}), http.StatusForbidden, "refused")
	}
	wantError(t, req(t, h, "POST", "/api/join", join, map[string]string{"Content-Type": "text/plain"}), http.StatusUnsupportedMediaType, "application/json")
	wantError(t, req(t, h, "OPTIONS", "/api/join", "", nil), http.StatusForbidden, "cross-origin")
	// The page's own requests pass.
	alice := joinAs(t, h, ci.Code, "Alice")
	if w := req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":%q,"name":"Bob"}`, ci.Code), map[string]string{"Origin": "http://localhost:8080", "Sec-Fetch-Site": "same-origin"}); w.Code != http.StatusCreated {
		t.Fatalf("same-origin join: %d %s", w.Code, w.Body.String())
	}
	var bob JoinReply
	json.Unmarshal(req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":%q,"name":"Bobby"}`, ci.Code), nil).Body.Bytes(), &bob)

	// Students hold their own states only.
	base := "/api/class/" + ci.Code
	if w := req(t, h, "POST", base+"/pick", `{"actor":"NTL"}`, tok(alice.Token)); w.Code != http.StatusNoContent {
		t.Fatalf("alice picks NTL: %d %s", w.Code, w.Body.String())
	}
	wantError(t, req(t, h, "POST", base+"/pick", `{"actor":"NTL"}`, tok(bob.Token)), http.StatusConflict, "NTL is taken (by Alice)")
	wantError(t, req(t, h, "POST", base+"/pick", `{"actor":"NPACT"}`, tok(bob.Token)), http.StatusBadRequest, "not a state")
	wantError(t, req(t, h, "POST", base+"/pick", `{"actor":"SOU"}`, nil), http.StatusForbidden, "has not joined")
	wantError(t, req(t, h, "POST", base+"/pick", `{"actor":"SOU"}`, tok("0123456789abcdef0123456789abcdef")), http.StatusForbidden, "has not joined")
	if w := req(t, h, "POST", base+"/pick", `{"actor":"SOU"}`, tok(bob.Token)); w.Code != http.StatusNoContent {
		t.Fatalf("bob picks SOU: %d", w.Code)
	}
	// A consent question for Bob's state cannot be answered with Alice's token.
	c := classOf(t, srv, ci.Code)
	w0 := c.run.world()
	q := &consentReq{ID: 77, actor: w0.ActorIndex("SOU"), from: w0.ActorIndex("NTL"), answer: make(chan bool, 1), deadline: time.Now().Add(time.Minute)}
	c.mu.Lock()
	c.consents = append(c.consents, q)
	c.mu.Unlock()
	wantError(t, req(t, h, "POST", base+"/consent", `{"id":77,"accept":true}`, tok(alice.Token)), http.StatusForbidden, "another state's student")
	if len(q.answer) != 0 {
		t.Fatal("alice's answer reached bob's question")
	}
	if w := req(t, h, "POST", base+"/consent", `{"id":77,"accept":false}`, tok(bob.Token)); w.Code != http.StatusNoContent || len(q.answer) != 1 {
		t.Errorf("bob's own answer: %d", w.Code)
	}
	c.mu.Lock()
	c.consents = nil
	c.mu.Unlock()
	wantError(t, req(t, h, "POST", base+"/consent", `{"id":77,"accept":true}`, tok(bob.Token)), http.StatusGone, "settled")

	// Teacher's controls need the teacher's token.
	for _, tk := range []string{"", alice.Token, ci.Teacher[:31] + "x"} {
		wantError(t, req(t, h, "POST", base+"/teacher/start", "{}", tok(tk)), http.StatusForbidden, "only the teacher")
		wantError(t, req(t, h, "POST", base+"/teacher/assign", `{"student":"s1","actor":"RIV"}`, tok(tk)), http.StatusForbidden, "only the teacher")
	}
	if w := req(t, h, "POST", base+"/teacher/start", "{}", tok(ci.Teacher)); w.Code != http.StatusNoContent {
		t.Errorf("teacher start: %d %s", w.Code, w.Body.String())
	}
	// A student's event stream needs a valid token; the token is not
	// accepted in the query of a POST (no API route but the streams and
	// the QR code takes a query).
	wantError(t, req(t, h, "GET", base+"/events?token=nope", "", nil), http.StatusForbidden, "not in the class")
	wantError(t, req(t, h, "POST", base+"/choose?token="+alice.Token, `{"step":0,"option":0}`, nil), http.StatusBadRequest, `unknown query parameter "token"`)
	wantError(t, req(t, h, "POST", base+"/choose", `{"step":0,"option":0}`, nil), http.StatusForbidden, "has not joined")
	// Unknown class codes.
	wantError(t, req(t, h, "GET", "/api/class/ZZZZZZ", "", nil), http.StatusNotFound, "no class with the code")
}

func TestJoinLimits(t *testing.T) {
	_, h, ci := classServer(t, Options{ClassSize: 2, Logf: t.Logf}, `{"scenario":"classroom","mode":"teacher","timer":30}`)
	// Codes are read as typed: any case, spaces, dashes.
	j := joinAs(t, h, strings.ToLower(ci.Code[:3])+"-"+ci.Code[3:], "Ann")
	if j.Code != ci.Code || j.Student != "s1" {
		t.Errorf("join: %+v", j)
	}
	wantError(t, req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":%q,"name":"ann"}`, ci.Code), nil), http.StatusConflict, "already uses the name")
	for _, bad := range []string{"", "   ", strings.Repeat("x", 25), "a\u202eb", "<script>", "x\x00y"} {
		body, _ := json.Marshal(joinRequest{Code: ci.Code, Name: bad})
		wantError(t, req(t, h, "POST", "/api/join", string(body), nil), http.StatusBadRequest, "name")
	}
	joinAs(t, h, ci.Code, "Ben")
	wantError(t, req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":%q,"name":"Cy"}`, ci.Code), nil), http.StatusTooManyRequests, "the class is full (2 students)")
	// In teacher mode students do not pick.
	wantError(t, req(t, h, "POST", "/api/class/"+ci.Code+"/pick", `{"actor":"NTL"}`, tok(j.Token)), http.StatusForbidden, "teacher assigns")
	// Guessing codes is limited per address.
	for i := range 20 {
		w := req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":"AAAA%02d","name":"G"}`, i), map[string]string{"RemoteAddr": "10.9.9.9:1"})
		if w.Code != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, w.Code)
		}
	}
	wantError(t, req(t, h, "POST", "/api/join", fmt.Sprintf(`{"code":%q,"name":"G"}`, ci.Code), map[string]string{"RemoteAddr": "10.9.9.9:1"}), http.StatusTooManyRequests, "too many wrong codes")
	// Class cap.
	srv2 := New(Options{MaxClasses: 1, Logf: t.Logf})
	defer srv2.CloseClasses()
	newTestClass(t, srv2.Handler(), `{"scenario":"classroom"}`)
	wantError(t, req(t, srv2.Handler(), "POST", "/api/class", `{"scenario":"classroom"}`, nil), http.StatusTooManyRequests, "at most 1")
	wantError(t, req(t, srv2.Handler(), "POST", "/api/class", `{"scenario":"classroom","timer":2}`, nil), http.StatusBadRequest, "timer must be between 5 and 600")
	wantError(t, req(t, srv2.Handler(), "POST", "/api/class", `{"scenario":"classroom","mode":"random"}`, nil), http.StatusBadRequest, "mode must be")
}

// sseClient reads a class's event stream.
type sseClient struct {
	mu     sync.Mutex
	events map[string][]json.RawMessage
	cancel context.CancelFunc
	done   chan struct{}
}

func openStream(t *testing.T, url string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rq, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(rq)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("stream %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{events: map[string][]json.RawMessage{}, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = line[7:]
			case strings.HasPrefix(line, "data: "):
				c.mu.Lock()
				c.events[name] = append(c.events[name], json.RawMessage(line[6:]))
				c.mu.Unlock()
			}
		}
	}()
	return c
}

func (c *sseClient) close() { c.cancel(); <-c.done }

// wait polls until the latest event of the kind satisfies ok.
func (c *sseClient) wait(t *testing.T, kind string, ok func(json.RawMessage) bool) json.RawMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		evs := c.events[kind]
		var last json.RawMessage
		if len(evs) > 0 {
			last = evs[len(evs)-1]
		}
		c.mu.Unlock()
		if last != nil && ok(last) {
			return last
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t.Fatalf("no %s event as wanted; got %d, last %.300s", kind, len(c.events[kind]), c.events[kind][max(0, len(c.events[kind])-1):])
	return nil
}

// lastStatus is the latest status event (zero before the first).
func (c *sseClient) lastStatus() classStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	evs := c.events["status"]
	if len(evs) == 0 {
		return classStatus{Step: -1}
	}
	return statusOf(evs[len(evs)-1])
}

// lastMe is the latest "me" event of a student's stream.
func (c *sseClient) lastMe() meView {
	c.mu.Lock()
	defer c.mu.Unlock()
	var v meView
	if evs := c.events["me"]; len(evs) > 0 {
		_ = json.Unmarshal(evs[len(evs)-1], &v)
	}
	return v
}

// consentLogCopy is the class's log of consents so far.
func (c *Class) consentLogCopy() []consentRec {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.consentLog)
}

func statusOf(m json.RawMessage) classStatus {
	var s classStatus
	_ = json.Unmarshal(m, &s)
	return s
}

// TestClassRounds runs a class over real HTTP: a projector, the teacher and
// two students on event streams; the teacher starts, pauses, moves a
// threat, advances and restarts; the debrief and its CSV files follow.
func TestClassRounds(t *testing.T) {
	srv := New(Options{Logf: t.Logf})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.CloseClasses()
	post := func(path, body, token string) *http.Response {
		t.Helper()
		rq, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
		rq.Header.Set("Content-Type", "application/json")
		if token != "" {
			rq.Header.Set("X-Entente-Token", token)
		}
		resp, err := http.DefaultClient.Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp, err := http.Post(ts.URL+"/api/class", "application/json", strings.NewReader(`{"scenario":"classroom","timer":30}`))
	if err != nil {
		t.Fatal(err)
	}
	var ci ClassInfo
	json.NewDecoder(resp.Body).Decode(&ci)
	resp.Body.Close()
	if resp.StatusCode != 201 || ci.Scenario.Name != "classroom" || len(ci.Terms) == 0 {
		t.Fatalf("class: %d %+v", resp.StatusCode, ci)
	}
	// What the views must show, from the scenario: its actors, the
	// organisations and groups with members (the projector's hulls), its
	// threats.
	sc, err := scenarios.Load("classroom")
	if err != nil {
		t.Fatal(err)
	}
	wantOrgs, pirates := 0, -1
	for _, a := range sc.World.Actors {
		if len(a.Members) > 0 {
			wantOrgs++
		}
	}
	for k, th := range sc.World.Threats {
		if th.Name == "pirates" {
			pirates = k
		}
	}
	if pirates < 0 {
		t.Fatal("the classroom scenario has no threat named pirates, which the teacher moves here")
	}
	base := "/api/class/" + ci.Code
	proj := openStream(t, ts.URL+base+"/events")
	defer proj.close()
	teach := openStream(t, ts.URL+base+"/events?token="+ci.Teacher)
	defer teach.close()

	var a, b JoinReply
	for _, p := range []struct {
		name string
		out  *JoinReply
	}{{"Ada", &a}, {"Bo", &b}} {
		resp, _ := http.Post(ts.URL+"/api/join", "application/json", strings.NewReader(fmt.Sprintf(`{"code":%q,"name":%q}`, ci.Code, p.name)))
		json.NewDecoder(resp.Body).Decode(p.out)
		resp.Body.Close()
	}
	sa := openStream(t, ts.URL+base+"/events?token="+a.Token)
	defer sa.close()
	sb := openStream(t, ts.URL+base+"/events?token="+b.Token)
	defer sb.close()

	// Ada picks a state in the lobby; Bo is assigned one by the teacher.
	me := sa.wait(t, "me", func(m json.RawMessage) bool { return strings.Contains(string(m), `"free":[{`) })
	if !strings.Contains(string(me), `"Northland"`) || strings.Contains(string(me), `"NPACT"`) {
		t.Errorf("free states: %.300s", me)
	}
	if r := post(base+"/pick", `{"actor":"NTL"}`, a.Token); r.StatusCode != 204 {
		t.Fatalf("pick: %d", r.StatusCode)
	}
	if r := post(base+"/teacher/assign", `{"student":"`+b.Student+`","actor":"SOU"}`, ci.Teacher); r.StatusCode != 204 {
		t.Fatalf("assign: %d", r.StatusCode)
	}
	sa.wait(t, "me", func(m json.RawMessage) bool {
		return strings.Contains(string(m), `"actor":"NTL"`) && strings.Contains(string(m), "Northland (region: North)")
	})
	sb.wait(t, "me", func(m json.RawMessage) bool { return strings.Contains(string(m), `"actor":"SOU"`) })
	st := statusOf(proj.wait(t, "status", func(m json.RawMessage) bool { return statusOf(m).Seated == 2 }))
	if st.Phase != phaseLobby || len(st.Students) != 2 || st.Students[0].Label != "Northland" || !st.Students[0].Online {
		t.Errorf("projector status in the lobby: %+v", st)
	}
	// The projector gets the network; students do not.
	step := proj.wait(t, "step", func(json.RawMessage) bool { return true })
	var sv stepView
	json.Unmarshal(step, &sv)
	var net network
	json.Unmarshal(sv.Network, &net)
	if sv.Step != 0 || len(net.Nodes) != len(sc.World.Actors) || len(net.Orgs) != wantOrgs || len(sv.Knobs.Threats) != len(sc.World.Threats) {
		t.Errorf("step view: step %d, %d nodes, %d orgs, knobs %+v; want %d nodes, %d orgs, %d threats",
			sv.Step, len(net.Nodes), len(net.Orgs), sv.Knobs, len(sc.World.Actors), wantOrgs, len(sc.World.Threats))
	}
	sa.mu.Lock()
	if len(sa.events["step"]) != 0 {
		t.Error("a student's stream carries the whole network")
	}
	sa.mu.Unlock()

	// Start: a round with a timer.
	post(base+"/teacher/start", "{}", ci.Teacher)
	st = statusOf(teach.wait(t, "status", func(m json.RawMessage) bool { return statusOf(m).Phase == phaseChoosing }))
	if st.LeftMs <= 25_000 || st.LeftMs > 30_000 || st.Timer != 30 {
		t.Errorf("round: %+v", st)
	}
	// Pause keeps the time left; resume goes on.
	post(base+"/teacher/pause", "{}", ci.Teacher)
	st = statusOf(teach.wait(t, "status", func(m json.RawMessage) bool { return statusOf(m).Paused }))
	left := st.LeftMs
	time.Sleep(50 * time.Millisecond)
	post(base+"/teacher/timer", `{"seconds":45}`, ci.Teacher)
	st = statusOf(teach.wait(t, "status", func(m json.RawMessage) bool { return statusOf(m).Timer == 45 }))
	if !st.Paused || st.LeftMs < left+14_000 || st.LeftMs > left+15_000 {
		t.Errorf("timer 45 while paused: left %d, was %d", st.LeftMs, left)
	}
	post(base+"/teacher/resume", "{}", ci.Teacher)
	// The teacher moves a threat: the projector's knobs follow.
	if r := post(base+"/teacher/knob", `{"knob":"threat:pirates","value":0.8}`, ci.Teacher); r.StatusCode != 204 {
		t.Fatalf("knob: %d", r.StatusCode)
	}
	proj.wait(t, "step", func(m json.RawMessage) bool {
		var v stepView
		json.Unmarshal(m, &v)
		return len(v.Knobs.Threats) == len(sc.World.Threats) && v.Knobs.Threats[pirates].Set && v.Knobs.Threats[pirates].Value == 0.8
	})
	if r := post(base+"/teacher/knob", `{"knob":"threat:dragons","value":0.8}`, ci.Teacher); r.StatusCode != 400 {
		t.Errorf("unknown threat knob: %d", r.StatusCode)
	}
	// Advance: step 1 reaches every view. During the step the engine may
	// ask the students' states to consent (to a proposal to them, or to
	// their organisation when it decides by consensus): the question
	// reaches the student's device, the student answers against the
	// model's verdict, and the answer is what the run gets.
	t0 := time.Now()
	post(base+"/teacher/advance", "{}", ci.Teacher)
	sent := map[int]bool{} // question id -> the student's answer
	var sentOrder []int
	c := classOf(t, srv, ci.Code)
	logged := len(c.consentLogCopy())
	views := []*sseClient{proj, teach, sa, sb}
	for deadline := time.Now().Add(10 * time.Second); ; {
		for _, st := range []struct {
			s     *sseClient
			token string
		}{{sa, a.Token}, {sb, b.Token}} {
			for _, q := range st.s.lastMe().Asks {
				if _, ok := sent[q.ID]; ok {
					continue
				}
				if q.From == "" || q.Proposal == "" || q.LeftMs <= 0 {
					t.Errorf("consent question on the device: %+v", q)
				}
				accept := !q.Yours.Accepted
				if r := post(base+"/consent", fmt.Sprintf(`{"id":%d,"accept":%t}`, q.ID, accept), st.token); r.StatusCode != http.StatusNoContent {
					t.Errorf("answering question %d (%s): %d", q.ID, q.Proposal, r.StatusCode)
				}
				sent[q.ID] = accept
				sentOrder = append(sentOrder, q.ID)
			}
		}
		at := 0
		for _, s := range views {
			if st := s.lastStatus(); st.Step == 1 && st.Phase == phaseChoosing {
				at++
			}
		}
		if at == len(views) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("step 1 did not reach every view (%d of %d); the projector's status %+v; questions answered %v", at, len(views), proj.lastStatus(), sent)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("advance to every view: %v (%d consent questions answered on the devices)", time.Since(t0), len(sent))
	answers := c.consentLogCopy()[logged:]
	if len(answers) != len(sentOrder) {
		t.Errorf("%d consents in the class's log for step 1, %d answered on the devices: %+v", len(answers), len(sentOrder), answers)
	}
	for k := range min(len(answers), len(sentOrder)) {
		if r := answers[k]; !r.Answered || r.Accepted != sent[sentOrder[k]] || r.Accepted == r.Model {
			t.Errorf("consent %d: %+v, the student answered %v (against the model)", k, r, sent[sentOrder[k]])
		}
	}
	proj.wait(t, "step", func(m json.RawMessage) bool {
		var v stepView
		json.Unmarshal(m, &v)
		return v.Step == 1 && len(v.Series) == 2
	})
	sa.wait(t, "me", func(m json.RawMessage) bool { return strings.Contains(string(m), `"step":1`) })

	// The history holds both steps; the debrief and its files.
	hr, _ := http.Get(ts.URL + base + "/history")
	var hist struct{ Frames []network }
	json.NewDecoder(hr.Body).Decode(&hist)
	hr.Body.Close()
	if len(hist.Frames) != 2 || len(hist.Frames[1].Nodes) != len(sc.World.Actors) {
		t.Errorf("history: %d frames", len(hist.Frames))
	}
	for _, f := range exportFiles {
		r, _ := http.Get(ts.URL + base + "/export/" + f)
		rows, err := csv.NewReader(r.Body).ReadAll()
		r.Body.Close()
		if r.StatusCode != 200 || err != nil || len(rows) < 1 {
			t.Errorf("%s: %d %v", f, r.StatusCode, err)
		}
		if f == "outcomes.csv" && (len(rows) != len(sc.World.Actors)+1 || rows[0][4] != "student") {
			t.Errorf("outcomes: %d rows, header %v", len(rows), rows[0])
		}
	}
	// Replay, then restart: back to the lobby at step 0, seats kept.
	post(base+"/teacher/replay", `{"from":0,"speed":4}`, ci.Teacher)
	proj.wait(t, "status", func(m json.RawMessage) bool { return statusOf(m).Replay != nil && statusOf(m).Replay.Speed == 4 })
	post(base+"/teacher/restart", `{"seed":7}`, ci.Teacher)
	st = statusOf(proj.wait(t, "status", func(m json.RawMessage) bool { s := statusOf(m); return s.Phase == phaseLobby && s.Step == 0 }))
	if st.Seated != 2 || st.Replay != nil {
		t.Errorf("after restart: %+v", st)
	}
	// The end: the debrief, and the streams hear that the class closed.
	post(base+"/teacher/end", "{}", ci.Teacher)
	proj.wait(t, "status", func(m json.RawMessage) bool { return statusOf(m).Phase == phaseEnded })
	if r := post(base+"/teacher/advance", "{}", ci.Teacher); r.StatusCode != 409 {
		t.Errorf("advance after the end: %d", r.StatusCode)
	}
	// A student who leaves is told so on its stream.
	post(base+"/leave", "{}", b.Token)
	sb.wait(t, "removed", func(json.RawMessage) bool { return true })
	post(base+"/teacher/close", "{}", ci.Teacher)
	proj.wait(t, "closed", func(json.RawMessage) bool { return true })
	if srv.Classes() != 0 {
		t.Errorf("%d classes after close", srv.Classes())
	}
}

// TestClassRunsOut: with a short timer and auto rounds the run goes on by
// itself to its last step and ends.
func TestClassTimerRuns(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(5000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, h, ci := classServer(t, Options{Logf: t.Logf, Now: clock, MaxRounds: 3}, `{"scenario":"classroom","timer":5}`)
	c := classOf(t, srv, ci.Code)
	req(t, h, "POST", "/api/class/"+ci.Code+"/teacher/start", "{}", tok(ci.Teacher))
	for step := 1; step <= 3; step++ {
		mu.Lock()
		now = now.Add(6 * time.Second)
		mu.Unlock()
		c.poke()
		deadline := time.Now().Add(5 * time.Second)
		for {
			c.mu.Lock()
			n, ph := len(c.frames)-1, c.phase
			c.mu.Unlock()
			if n == step && (ph == phaseChoosing || ph == phaseEnded) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d not reached: at %d, %s", step, n, ph)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	c.mu.Lock()
	ph := c.phase
	c.mu.Unlock()
	if ph != phaseEnded {
		t.Errorf("after MaxRounds: %s", ph)
	}
}

// TestClassChoices: a student's choice reaches the run. The student's
// device gets the state's options with the change in utility by term; the
// pick is taken at the state's opportunity and recorded beside what the
// model drew.
func TestClassChoices(t *testing.T) {
	srv, h, ci := classServer(t, Options{Logf: t.Logf}, `{"scenario":"classroom","timer":60,"auto":false}`)
	base := "/api/class/" + ci.Code
	c := classOf(t, srv, ci.Code)
	ada := joinAs(t, h, ci.Code, "Ada")
	req(t, h, "POST", base+"/pick", `{"actor":"WES"}`, tok(ada.Token))
	req(t, h, "POST", base+"/teacher/start", "{}", tok(ci.Teacher))
	c.mu.Lock()
	p := c.panels[c.run.world().ActorIndex("WES")]
	c.mu.Unlock()
	if p == nil || len(p.Options) < 2 || len(p.Situation) < 3 {
		t.Fatalf("panel: %+v", p)
	}
	terms := termNames()
	pickIdx := -1
	for _, o := range p.Options {
		if len(o.Terms) != len(terms) {
			t.Fatalf("option %q has %d terms, want %d", o.Text, len(o.Terms), len(terms))
		}
		sum := 0.0
		for _, v := range o.Terms {
			sum += v
		}
		if d := sum - o.Delta; d > 1e-9 || d < -1e-9 {
			t.Errorf("option %q: terms sum to %v, delta %v", o.Text, sum, o.Delta)
		}
		if pickIdx < 0 && o.Kind != "nothing" && !o.Consent {
			pickIdx = o.Index
		}
	}
	if pickIdx < 0 {
		pickIdx = 0
	}
	t.Logf("WES at step 0: %d options; situation: %s", len(p.Options), strings.Join(p.Situation, " "))
	wantError(t, req(t, h, "POST", base+"/choose", `{"step":3,"option":0}`, tok(ada.Token)), http.StatusConflict, "was for step 3")
	wantError(t, req(t, h, "POST", base+"/choose", `{"step":0,"option":999}`, tok(ada.Token)), http.StatusBadRequest, "does not exist")
	if w := req(t, h, "POST", base+"/choose", fmt.Sprintf(`{"step":0,"option":%d}`, pickIdx), tok(ada.Token)); w.Code != http.StatusNoContent {
		t.Fatalf("choose: %d %s", w.Code, w.Body.String())
	}
	req(t, h, "POST", base+"/teacher/advance", "{}", tok(ci.Teacher))
	deadline := time.Now().Add(5 * time.Second)
	var rec *decisionRec
	answered := map[int]bool{}
	// the state may be asked to consent during the step (another actor's
	// proposal to it or to an organisation it is a member of): Ada answers
	// as the model would, as a device does
	answer := func() {
		c.mu.Lock()
		var ask []*consentReq
		for _, q := range c.consents {
			if !answered[q.ID] {
				ask = append(ask, q)
			}
		}
		c.mu.Unlock()
		for _, q := range ask {
			answered[q.ID] = true
			if w := req(t, h, "POST", base+"/consent", fmt.Sprintf(`{"id":%d,"accept":%t}`, q.ID, q.model.Accepted), tok(ada.Token)); w.Code != http.StatusNoContent && w.Code != http.StatusGone {
				t.Fatalf("consent %d: %d %s", q.ID, w.Code, w.Body.String())
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	for rec == nil && time.Now().Before(deadline) {
		c.mu.Lock()
		if len(c.timeline) > 0 {
			r := c.timeline[0]
			rec = &r
		}
		c.mu.Unlock()
		answer()
	}
	if rec == nil {
		t.Fatal("no decision recorded for the student's state")
	}
	if rec.Actor != "WES" || rec.Student != "Ada" || rec.Step != 1 {
		t.Errorf("record: %+v", rec)
	}
	if rec.External {
		if rec.Chosen.Text != p.Options[pickIdx].Text {
			t.Errorf("chosen %q, picked %q", rec.Chosen.Text, p.Options[pickIdx].Text)
		}
	} else if !strings.Contains(rec.Note, "no longer possible") {
		t.Errorf("the pick was not taken and the note does not say why: %+v", rec)
	}
	t.Logf("step 1: Ada chose %q (external %v), the model drew %q; %s", rec.Chosen.Text, rec.External, rec.Model.Text, rec.Note)
	// The debrief's decisions file holds it, once the step is done (the
	// rest of the step may still ask for Ada's consent).
	var w *httptest.ResponseRecorder
	for {
		w = req(t, h, "GET", base+"/export/decisions.csv", "", nil)
		if !strings.Contains(w.Body.String(), "a step is running") || time.Now().After(deadline.Add(5*time.Second)) {
			break
		}
		answer()
	}
	rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][1] != "Ada" || rows[1][2] != "WES" {
		t.Fatalf("decisions.csv: %v %q", err, w.Body.String())
	}
	if len(rows[0]) != 8+len(terms)+4+len(terms)+4 {
		t.Errorf("decisions.csv has %d columns", len(rows[0]))
	}
}

// TestClassLongRun seats students at states a coalition forms around and
// lets the timer run the class to step 20: whatever the engine asks of the
// students, the run goes on.
func TestClassLongRun(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(5000, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, h, ci := classServer(t, Options{Logf: t.Logf, Now: clock, MaxRounds: 20}, `{"scenario":"classroom","timer":5}`)
	c := classOf(t, srv, ci.Code)
	for _, a := range []string{"NTL", "EAS", "WES", "SOU"} {
		j := joinAs(t, h, ci.Code, "Student "+a)
		req(t, h, "POST", "/api/class/"+ci.Code+"/pick", `{"actor":"`+a+`"}`, tok(j.Token))
	}
	req(t, h, "POST", "/api/class/"+ci.Code+"/teacher/start", "{}", tok(ci.Teacher))
	for step := 1; step <= 20; step++ {
		mu.Lock()
		now = now.Add(6 * time.Second)
		mu.Unlock()
		c.poke()
		deadline := time.Now().Add(10 * time.Second)
		for {
			c.mu.Lock()
			n, ph := len(c.frames)-1, c.phase
			c.mu.Unlock()
			if n == step && ph != phaseResolving {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d not reached: at %d, %s", step, n, ph)
			}
			if ph == phaseResolving {
				// a student is asked to consent and does not answer: the
				// time runs out and the model's verdict stands
				mu.Lock()
				now = now.Add(6 * time.Second)
				mu.Unlock()
				c.mu.Lock()
				c.bump()
				c.mu.Unlock()
			}
			time.Sleep(time.Millisecond)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.phase != phaseEnded {
		t.Errorf("phase %s", c.phase)
	}
	t.Logf("20 rounds: %d decisions of the students' states recorded, %d consents asked, %d steps the engine failed in", len(c.timeline), len(c.consentLog), c.failures)
}

// newLocalRequest is a request as the page on this machine sends it.
func newLocalRequest(method, path, body string) (*http.Request, error) {
	rq := httptest.NewRequest(method, path, strings.NewReader(body))
	rq.Host = "localhost:8080"
	rq.RemoteAddr = "127.0.0.1:40000"
	if body != "" {
		rq.Header.Set("Content-Type", "application/json")
	}
	return rq, nil
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
