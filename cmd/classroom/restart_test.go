package classroom

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// A restart while the class's views are read: every event stream (the
// projector's, the teacher's, each student's) builds the status on every
// change, and the status reads the run's length, which a restart writes.
// Run with -race.
func TestRestartWhileViewsAreRead(t *testing.T) {
	_, h, ci := classServer(t, Options{Logf: t.Logf}, `{"scenario":"classroom"}`)
	base := "/api/class/" + ci.Code
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// a view that opens, takes the status once and goes
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rq := httptest.NewRequestWithContext(ctx, "GET", base+"/events", nil)
				rq.Host, rq.RemoteAddr = "localhost:8080", "127.0.0.1:40000"
				h.ServeHTTP(httptest.NewRecorder(), rq)
			}
		}()
	}
	for range 10 {
		if w := req(t, h, "POST", base+"/teacher/restart", "{}", tok(ci.Teacher)); w.Code != http.StatusNoContent {
			t.Errorf("restart: %d %s", w.Code, w.Body.String())
		}
	}
	close(stop)
	wg.Wait()
}

// A restart that the teacher asks for just as the round closes (the timer,
// the teacher's advance, the last student's choice): either it is refused
// (a step is running) and the run goes on, or it is done, and the class is
// in the lobby at step 0 with nothing of the old round applied to the new
// run. The hook puts the round's close between the restart's check of the
// phase and its taking the run (a step did then run on the new run, or the
// round opened on it after the restart had put the class in the lobby).
func TestRestartAsTheRoundCloses(t *testing.T) {
	srv, h, ci := classServer(t, Options{Logf: t.Logf}, `{"scenario":"classroom","timer":600,"auto":false}`)
	base := "/api/class/" + ci.Code
	c := classOf(t, srv, ci.Code)
	j := joinAs(t, h, ci.Code, "Ada")
	if w := req(t, h, "POST", base+"/pick", `{"actor":"NTL"}`, tok(j.Token)); w.Code != http.StatusNoContent {
		t.Fatalf("pick: %d %s", w.Code, w.Body.String())
	}
	if w := req(t, h, "POST", base+"/teacher/start", "{}", tok(ci.Teacher)); w.Code != http.StatusNoContent {
		t.Fatalf("start: %d %s", w.Code, w.Body.String())
	}
	snapshot := func() (phase, int, int) {
		c.run.mu.Lock()
		defer c.run.mu.Unlock()
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.phase, c.run.s.T(), len(c.frames)
	}
	if ph, _, _ := snapshot(); ph != phaseChoosing {
		t.Fatalf("after start: %s", ph)
	}
	// The run is held (as a step holds it) while the restart is asked for.
	// Once the restart has checked the phase (and waits for the run), the
	// round closes: the loop begins the step and waits for the run too, after
	// the restart. Then the run is let go.
	c.run.mu.Lock()
	hooked := make(chan struct{})
	c.afterRestartCheck = func() {
		c.afterRestartCheck = nil
		go func() {
			defer close(hooked)
			time.Sleep(50 * time.Millisecond) // the restart waits for the run
			c.mu.Lock()
			c.advance = true
			c.mu.Unlock()
			c.poke()
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
				c.mu.Lock()
				ph := c.phase
				if ph == phaseResolving {
					// consent questions take the model's verdict at once
					// (the teacher's advance during a step), so that the
					// step never waits for Ada
					c.cutShort = true
				}
				c.mu.Unlock()
				if ph == phaseResolving {
					return
				}
				if time.Now().After(deadline) {
					t.Error("the round did not close")
					return
				}
			}
		}()
	}
	reply := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		reply <- req(t, h, "POST", base+"/teacher/restart", "{}", tok(ci.Teacher))
	}()
	<-hooked
	time.Sleep(50 * time.Millisecond) // the step waits for the run
	c.run.mu.Unlock()
	w := <-reply
	t.Logf("restart: %d %s", w.Code, w.Body.String())

	switch w.Code {
	case http.StatusConflict: // refused: the step goes on, the next round opens
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(2 * time.Millisecond) {
			ph, t1, n := snapshot()
			if ph == phaseChoosing && t1 == 1 && n == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("restart refused, but the step did not go on: %s at step %d, %d frames", ph, t1, n)
			}
		}
	case http.StatusNoContent: // done: the lobby at step 0, and it stays so
		time.Sleep(500 * time.Millisecond) // let anything still in flight land
		if ph, t1, n := snapshot(); ph != phaseLobby || t1 != 0 || n != 1 {
			t.Fatalf("restart answered 204, but the class is %s at step %d with %d frames (want the lobby at step 0, 1 frame)", ph, t1, n)
		}
	default:
		t.Fatalf("restart: %d %s", w.Code, w.Body.String())
	}
}
