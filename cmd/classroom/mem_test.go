package classroom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// bigScenario is a valid scenario of nearly size bytes, at the limits an
// upload may reach: 300 actors, 3,000 ties, long notes filling the rest.
func bigScenario(size int) string {
	gen := func(noteLen int) string {
		var b strings.Builder
		b.WriteString("name: big\nsteps: 50\nactors:\n")
		const n = 300
		note := strings.Repeat("x", noteLen)
		for i := range n {
			fmt.Fprintf(&b, "  - {id: A%d, name: Actor %d, kind: state, region: R%d, capability: 0.00%d1, economy: 0.001, values: [0.1, -0.2, 0.3], autonomy: 0.5, note: %q}\n",
				i, i, i%6, i%9, note)
		}
		b.WriteString("ties:\n")
		k := 0
		for i := 0; i < n && k < 3000; i++ {
			for j := i + 1; j < n && k < 3000; j += 7 {
				fmt.Fprintf(&b, "  - {a: A%d, b: A%d, form: cooperation, level: initial}\n", i, j)
				k++
			}
		}
		return b.String()
	}
	return gen((size - len(gen(0)) - 1000) / 300)
}

// rssKB reads a field of /proc/self/status in kB.
func rssKB(field string) (int, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n, err == nil
		}
	}
	return 0, false
}

// TestUploadMemory sends four 1 MB scenario uploads at once and measures
// how far they raise the process's peak memory: the resident set's
// high-water mark (reset first through /proc/self/clear_refs) and the
// sampled heap. The budget is 48 MB. Not meaningful under -race,
// whose shadow memory multiplies everything; run it with
// `go test ./cmd/classroom -run UploadMemory -v`.
func TestUploadMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("memory figures are not meaningful under -race; run without it")
	}
	src := bigScenario(1 << 20)
	if len(src) < 1<<20-20_000 || len(src) > 1<<20 {
		t.Fatalf("scenario is %d bytes", len(src))
	}
	if st, err := checkUpload([]byte(src), defaultScanLimits); err != nil {
		t.Fatalf("the big scenario is refused: %v (%+v)", err, st)
	}
	body, _ := json.Marshal(map[string]string{"file": "big.yaml", "source": src})
	refused := strings.Replace(src, "ties:\n", strings.Repeat("  - {id: X, kind: state}\n", 10)+"ties:\n", 1) // 310 actors
	bodyRefused, _ := json.Marshal(map[string]string{"file": "big.yaml", "source": refused})

	slots, _ := strconv.Atoi(os.Getenv("CLASSROOM_PARSE_SLOTS")) // to compare: parses at once (default 1)
	srv := New(Options{Logf: t.Logf, ParseSlots: slots})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	post := func(b []byte) int {
		resp, err := http.Post(ts.URL+"/api/session", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Warm up (code paths, connection pools), then measure from a clean heap.
	if code := post(body); code != http.StatusCreated {
		t.Fatalf("upload: %d", code)
	}
	srv.mu.Lock()
	clear(srv.sessions)
	srv.mu.Unlock()
	runtime.GC()
	runtime.GC()
	base, haveRSS := rssKB("VmRSS")
	if haveRSS {
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			haveRSS = false
		}
	}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	heap0 := sample[0].Value.Uint64()
	var peakHeap uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peakHeap {
				peakHeap = v
			}
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
	}()
	for _, b := range [][]byte{body, bodyRefused} {
		var wg sync.WaitGroup
		codes := make([]int, 4)
		t0 := time.Now()
		for i := range 4 {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i] = post(b) }()
		}
		wg.Wait()
		t.Logf("four concurrent uploads: %v in %v", codes, time.Since(t0).Round(time.Millisecond))
	}
	close(stop)
	<-sampled
	heapMB := float64(peakHeap-heap0) / (1 << 20)
	t.Logf("peak heap objects raised by %.1f MB (sampled every 0.2 ms); %d sessions kept", heapMB, srv.Sessions())
	if haveRSS {
		hwm, _ := rssKB("VmHWM")
		rise := float64(hwm-base) / 1024
		t.Logf("peak resident memory raised by %.1f MB (VmHWM %d kB, VmRSS before %d kB)", rise, hwm, base)
		if rise > 48 {
			t.Errorf("four concurrent 1 MB uploads raised peak memory by %.1f MB; the budget is 48 MB", rise)
		}
	}
	if heapMB > 48 {
		t.Errorf("four concurrent 1 MB uploads raised the peak heap by %.1f MB; the budget is 48 MB", heapMB)
	}
}
