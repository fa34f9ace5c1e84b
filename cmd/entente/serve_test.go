package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entente/entente/cmd/classroom"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var urlRE = regexp.MustCompile(`http://[0-9.:\[\]]+/`)

// serve starts `entente serve args...` and waits for its URL.
func serve(t *testing.T, args ...string) (url string, stop func() (int, string, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- execute(ctx, append([]string{"serve"}, args...), &out, &errb) }()
	deadline := time.Now().Add(10 * time.Second)
	for url == "" {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited with %d: %s %s", code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve printed no URL: %q", out.String())
		}
		url = urlRE.FindString(out.String())
		time.Sleep(5 * time.Millisecond)
	}
	return url, func() (int, string, string) {
		cancel()
		return <-done, out.String(), errb.String()
	}
}

func TestServe(t *testing.T) {
	opened := make(chan string, 1)
	old := openBrowser
	openBrowser = func(url string) error { opened <- url; return nil }
	defer func() { openBrowser = old }()

	url, stop := serve(t, "--addr", "127.0.0.1:0", "--open")
	if got := <-opened; got != url {
		t.Errorf("opened %q, want %q", got, url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "entente") {
		t.Errorf("GET /: %d %.80q", resp.StatusCode, page)
	}
	resp, err = http.Post(url+"api/session", "application/json", strings.NewReader(`{"scenario":"classroom"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("POST /api/session: %d", resp.StatusCode)
	}
	code, out, errs := stop()
	if code != 0 || !strings.Contains(out, "stopped") {
		t.Errorf("after Ctrl-C: exit %d, %q %q", code, out, errs)
	}
	if strings.Contains(errs, "warning") {
		t.Errorf("loopback printed a warning: %q", errs)
	}
}

func TestServeWarnings(t *testing.T) {
	old := openBrowser
	openBrowser = func(string) error { return errors.New("no browser here") }
	defer func() { openBrowser = old }()
	_, stop := serve(t, "--addr", "0.0.0.0:0", "--open")
	code, _, errs := stop()
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(errs, "warning: listening on") || !strings.Contains(errs, "anyone on the network") {
		t.Errorf("no warning for 0.0.0.0: %q", errs)
	}
	if !strings.Contains(errs, "could not open a browser") {
		t.Errorf("no warning for the failed opener: %q", errs)
	}
}

func TestServeBadAddr(t *testing.T) {
	code, _, errs := run(t, "serve", "--addr", "256.1.1.1:http-nope")
	if code != 1 || !strings.Contains(errs, "serve:") {
		t.Errorf("bad addr: %d %q", code, errs)
	}
}

var teacherRE = regexp.MustCompile(`teacher \(keep this link to yourself\): (http://\S+)/class\.html#code=([A-Z0-9]{6})&teacher=([0-9a-f]{32})`)

// TestServeClass starts a class from the command line: the join code, the
// teacher's link and the projector's link; on loopback, a warning that
// students' devices cannot reach it.
func TestServeClass(t *testing.T) {
	url, stop := serve(t, "--addr", "127.0.0.1:0", "--class", "classroom", "--mode", "teacher", "--timer", "45")
	time.Sleep(100 * time.Millisecond)
	code, out, errs := stop()
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	m := teacherRE.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "you assign the states, 45 s rounds") || !strings.Contains(out, "projector: "+url+"class.html#code="+m[2]) {
		t.Fatalf("no class in the output:\n%s", out)
	}
	if !strings.Contains(out, "students on this computer only") || !strings.Contains(errs, "cannot reach it") {
		t.Errorf("loopback class: no warning that students cannot reach it:\n%s\n%s", out, errs)
	}
}

// TestServeClassLive drives the class the command started, over HTTP.
func TestServeClassLive(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- execute(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--class", "classroom"}, &out, &errb)
	}()
	defer func() { cancel(); <-done }()
	var m []string
	for deadline := time.Now().Add(10 * time.Second); m == nil; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no teacher link: %s %s", out.String(), errb.String())
		}
		m = teacherRE.FindStringSubmatch(out.String())
	}
	base, code, teacher := m[1], m[2], m[3]
	resp, err := http.Get(base + "/api/class/" + code)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("class info: %v %v", resp, err)
	}
	resp.Body.Close()
	post := func(path, token string) int {
		rq, _ := http.NewRequest("POST", base+path, strings.NewReader("{}"))
		rq.Header.Set("Content-Type", "application/json")
		rq.Header.Set("X-Entente-Token", token)
		r, err := http.DefaultClient.Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	if c := post("/api/class/"+code+"/teacher/start", "nope"); c != http.StatusForbidden {
		t.Errorf("start without the teacher's token: %d", c)
	}
	if c := post("/api/class/"+code+"/teacher/start", teacher); c != http.StatusNoContent {
		t.Errorf("start with the teacher's token: %d", c)
	}
	resp, err = http.Get(base + "/api/class/" + code + "/qr.svg")
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("qr: %v %v", resp, err)
	}
	resp.Body.Close()
}

// TestServeLAN: bound beyond loopback, the addresses printed for students
// are the machine's network addresses, never the loopback one.
func TestServeLAN(t *testing.T) {
	lan := classroom.LANAddrs()
	if len(lan) == 0 {
		t.Skip("this machine has no network address besides loopback")
	}
	_, stop := serve(t, "--addr", "0.0.0.0:0", "--class", "classroom")
	time.Sleep(100 * time.Millisecond)
	code, out, _ := stop()
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var students []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  students open ") || strings.HasPrefix(line, "            or ") {
			students = append(students, line)
		}
	}
	if len(students) != len(lan) {
		t.Fatalf("want %d student addresses (%v), got:\n%s", len(lan), lan, out)
	}
	if !strings.Contains(students[0], lan[0].String()) {
		t.Errorf("first student address %q, want %s", students[0], lan[0])
	}
	for _, s := range students {
		if strings.Contains(s, "127.0.0.1") || strings.Contains(s, "[::1]") || strings.Contains(s, "localhost") {
			t.Errorf("a loopback address for students: %q", s)
		}
	}
}

// TestServeClassNoAddress: bound to every address of a computer with no
// network address (and no --host), a class has no address for students:
// serve says so and how to give one, and does not fail (it indexed the
// empty list of join addresses).
func TestServeClassNoAddress(t *testing.T) {
	old := lanAddrs
	lanAddrs = func() []net.IP { return nil }
	defer func() { lanAddrs = old }()
	_, stop := serve(t, "--addr", "0.0.0.0:0", "--class", "classroom")
	time.Sleep(100 * time.Millisecond)
	code, out, errs := stop()
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if !teacherRE.MatchString(out) {
		t.Errorf("no teacher link:\n%s", out)
	}
	if !strings.Contains(errs, "no network address") || !strings.Contains(errs, "--host") {
		t.Errorf("no warning that students have no address to open, and how to give one:\n%s\n%s", out, errs)
	}
	if strings.Contains(errs, "listens on 0.0.0.0 only") {
		t.Errorf("a warning for a loopback server:\n%s", errs)
	}
}

func TestServeBadSettings(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--timer", "2"}, "--timer must be between 5 and 600"},
		{[]string{"--timer", "soon"}, "--timer must be a whole number"},
		{[]string{"--mode", "random"}, "--mode must be pick"},
		{[]string{"--class-size", "0"}, "--class-size must be between 1 and 500"},
		{[]string{"--max-sessions", "x"}, "--max-sessions must be a whole number"},
		{[]string{"--host", "http://x"}, "--host takes a host name"},
		{[]string{"--class", "no-such-scenario"}, "--class no-such-scenario"},
	} {
		code, _, errs := run(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, c.args...)...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q, want %q", c.args, code, errs, c.want)
		}
	}
	t.Setenv("ENTENTE_CLASS_SIZE", "many")
	if code, _, errs := run(t, "serve", "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errs, "ENTENTE_CLASS_SIZE must be a whole number") {
		t.Errorf("ENTENTE_CLASS_SIZE=many: %d %q", code, errs)
	}
}
