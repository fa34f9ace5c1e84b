package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
