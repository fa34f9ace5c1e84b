package classroom

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestClassLoad is the bounded load test of a class: 30 students and a
// projector on loopback for 20 seconds, on the 82-actor baseline. Each
// student holds a state, chooses a random option as soon as a round opens
// and answers every consent question at once; the teacher advances as soon
// as all have chosen. It reports the round latency (from the teacher's
// advance until the projector and all 30 students have the new step) at
// p50 and p99, the server's share of it (the step, the views, the options
// of 30 states), and memory. Opt in: CLASSROOM_LOADTEST=1.
func TestClassLoad(t *testing.T) {
	if os.Getenv("CLASSROOM_LOADTEST") == "" {
		t.Skip("the load test is opt-in: CLASSROOM_LOADTEST=1 go test ./cmd/classroom -run ClassLoad -v")
	}
	const students, duration = 30, 20 * time.Second
	srv := New(Options{Logf: t.Logf, ClassSize: students})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.CloseClasses()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200, MaxConnsPerHost: 0}}
	post := func(path, token, body string) (int, []byte) {
		rq, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
		rq.Header.Set("Content-Type", "application/json")
		if token != "" {
			rq.Header.Set("X-Entente-Token", token)
		}
		resp, err := client.Do(rq)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		var b strings.Builder
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			b.WriteString(sc.Text())
		}
		return resp.StatusCode, []byte(b.String())
	}
	code, teacher, err := srv.StartClass("baseline", 1, "teacher", 60)
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/class/" + code
	c := classOf(t, srv, code)
	w := c.run.world()
	var states []string
	for a := range w.Actors {
		if seatable(w, a) && c.run.s.InSystem(a) {
			states = append(states, w.Actors[a].ID)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), duration+15*time.Second)
	defer cancel()
	// seen[k] is the newest step client k has (k = students: the
	// projector)
	seen := make([]atomic.Int64, students+1)
	stream := func(k int, token string, onEvent func(name string, data []byte)) {
		url := ts.URL + base + "/events"
		if token != "" {
			url += "?token=" + token
		}
		rq, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		resp, err := client.Do(rq)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		name := ""
		for sc.Scan() {
			line := sc.Bytes()
			switch {
			case len(line) > 7 && string(line[:7]) == "event: ":
				name = string(line[7:])
			case len(line) > 6 && string(line[:6]) == "data: ":
				// a student has the round when its options have come, the
				// projector when its status has
				var st struct {
					Step int
					Seat *struct{ Step int }
				}
				if name == "status" && token == "" || name == "me" {
					_ = json.Unmarshal(line[6:], &st)
					if st.Seat != nil {
						st.Step = st.Seat.Step
					}
					if int64(st.Step) > seen[k].Load() {
						seen[k].Store(int64(st.Step))
					}
				}
				if onEvent != nil {
					onEvent(name, line[6:])
				}
			}
		}
	}
	var wg sync.WaitGroup
	var choices, answers atomic.Int64
	for k := range students {
		_, body := post("/api/join", "", fmt.Sprintf(`{"code":%q,"name":"Student %02d"}`, code, k))
		var j JoinReply
		if err := json.Unmarshal(body, &j); err != nil {
			t.Fatalf("join %d: %s", k, body)
		}
		if st, b := post(base+"/teacher/assign", teacher, fmt.Sprintf(`{"student":%q,"actor":%q}`, j.Student, states[k])); st != 204 {
			t.Fatalf("assign: %d %s", st, b)
		}
		rng := rand.New(rand.NewPCG(uint64(k), 7))
		wg.Add(1)
		go func() {
			defer wg.Done()
			lastChosen, asked := -1, map[int]bool{}
			stream(k, j.Token, func(name string, data []byte) {
				if name != "me" {
					return
				}
				var me struct {
					Seat *struct {
						Step    int
						Options []option
					}
					Picked *int
					Asks   []struct{ ID int }
				}
				if json.Unmarshal(data, &me) != nil || me.Seat == nil {
					return
				}
				for _, a := range me.Asks {
					if !asked[a.ID] {
						asked[a.ID] = true
						go func() {
							post(base+"/consent", j.Token, fmt.Sprintf(`{"id":%d,"accept":%t}`, a.ID, rng.IntN(2) == 0))
							answers.Add(1)
						}()
					}
				}
				if me.Picked == nil && len(me.Seat.Options) > 0 && lastChosen != me.Seat.Step {
					lastChosen = me.Seat.Step
					o := me.Seat.Options[rng.IntN(len(me.Seat.Options))].Index
					step := me.Seat.Step
					go func() {
						if st, _ := post(base+"/choose", j.Token, fmt.Sprintf(`{"step":%d,"option":%d}`, step, o)); st == 204 {
							choices.Add(1)
						}
					}()
				}
			})
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); stream(students, "", nil) }()
	// wait for every stream
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		c.mu.Lock()
		n := c.streams
		c.mu.Unlock()
		if n == students+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d streams open", n)
		}
	}
	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	hwm0, _ := rssKB("VmRSS")
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	post(base+"/teacher/start", teacher, "{}")
	var lat, server, waits []time.Duration
	var peakHeap uint64
	cpu0 := cpuTime()
	t0 := time.Now()
	for time.Since(t0) < duration {
		// wait until everyone has chosen (or 2 s), as a teacher would
		for wait := time.Now().Add(2 * time.Second); time.Now().Before(wait); time.Sleep(time.Millisecond) {
			c.mu.Lock()
			done := c.phase == phaseChoosing && c.allChosen()
			c.mu.Unlock()
			if done {
				break
			}
		}
		c.mu.Lock()
		step := len(c.frames) - 1
		c.mu.Unlock()
		start := time.Now()
		if st, b := post(base+"/teacher/advance", teacher, "{}"); st != 204 {
			t.Fatalf("advance: %d %s", st, b)
		}
		for deadline := start.Add(30 * time.Second); ; time.Sleep(200 * time.Microsecond) {
			all := true
			for k := range seen {
				if seen[k].Load() <= int64(step) {
					all = false
					break
				}
			}
			if all {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: not every client heard of it", step+1)
			}
		}
		lat = append(lat, time.Since(start))
		c.mu.Lock()
		server = append(server, c.lastRound-c.lastWait)
		waits = append(waits, c.lastWait)
		ended := c.phase == phaseEnded
		c.mu.Unlock()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peakHeap = max(peakHeap, m.HeapInuse)
		if ended {
			post(base+"/teacher/restart", teacher, "{}")
			post(base+"/teacher/start", teacher, "{}")
		}
	}
	elapsed := time.Since(t0)
	cpu := cpuTime() - cpu0
	cancel()
	wg.Wait()
	q := func(d []time.Duration, p float64) time.Duration {
		s := slices.Clone(d)
		slices.Sort(s)
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	hwm, _ := rssKB("VmHWM")
	t.Logf("%d rounds in %v with %d students and a projector (82 actors): %d choices, %d consent answers", len(lat), elapsed.Round(time.Millisecond), students, choices.Load(), answers.Load())
	t.Logf("round latency, from the advance until the projector has the step and all %d students their options: p50 %v, p99 %v, max %v", students, q(lat, 0.5).Round(10*time.Microsecond), q(lat, 0.99).Round(10*time.Microsecond), q(lat, 1).Round(10*time.Microsecond))
	t.Logf("of which waiting for the students' consent answers (%.1f questions a round): p50 %v, p99 %v", float64(answers.Load())/float64(len(lat)), q(waits, 0.5).Round(10*time.Microsecond), q(waits, 0.99).Round(10*time.Microsecond))
	t.Logf("the server's own work in a round (the step less those waits, the network, the options of 30 states): p50 %v, p99 %v", q(server, 0.5).Round(10*time.Microsecond), q(server, 0.99).Round(10*time.Microsecond))
	t.Logf("memory: heap in use %.1f MB before, peak %.1f MB; resident %d kB before, peak %d kB (server and clients in one process)", float64(m0.HeapInuse)/(1<<20), float64(peakHeap)/(1<<20), hwm0, hwm)
	t.Logf("CPU time %v over %v wall (%.2f cores; the machine has %d)", cpu.Round(time.Millisecond), elapsed.Round(time.Millisecond), cpu.Seconds()/elapsed.Seconds(), runtime.NumCPU())
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	if len(f) < 13 {
		return 0
	}
	var u, s int64
	fmt.Sscan(f[11], &u)
	fmt.Sscan(f[12], &s)
	return time.Duration(u+s) * 10 * time.Millisecond // USER_HZ = 100
}
