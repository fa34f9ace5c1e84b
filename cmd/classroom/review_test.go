package classroom

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// A block scalar in a sequence item ("- note: |") ends at the item's next
// key: the scan counts the values of the item's later lines (it used to
// skip them as the scalar's text, however many values they held).
func TestPrescanCountsSiblingsOfABlockScalarInAnItem(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: x\nactors:\n- note: |\n    hello\n  big: [")
	for i := range 60000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("1")
	}
	b.WriteString("]\n")
	data := []byte(b.String())
	nodes, _, err := yamlCounts(data)
	if err != nil {
		t.Fatal(err)
	}
	st := prescanYAML(data)
	t.Logf("%d bytes: YAML nodes %d, scan values %d", len(data), nodes, st.Values)
	if nodes > 2*st.Values+2 {
		t.Errorf("scan undercounts: %d nodes, %d values", nodes, st.Values)
	}
	if _, err := checkUpload(data, defaultScanLimits); err == nil {
		t.Errorf("checkUpload accepted a file of %d YAML nodes (limit %d values)", nodes, defaultScanLimits.Values)
	}
}

// Guessing join codes is limited on every route that takes a code, as on
// /api/join: GET /api/class/{code} used to tell a right code (200) from a
// wrong one (404) without any limit.
func TestCodeGuessingIsLimitedOnEveryClassRoute(t *testing.T) {
	_, h, ci := classServer(t, Options{Logf: t.Logf}, `{"scenario":"classroom"}`)
	from := map[string]string{"RemoteAddr": "10.9.9.9:1"}
	blockedAt := -1
	for i := range 100 {
		w := req(t, h, "GET", fmt.Sprintf("/api/class/AAAA%02d", i), "", from)
		if w.Code == http.StatusTooManyRequests {
			blockedAt = i
			break
		}
		if w.Code != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, w.Code)
		}
	}
	if blockedAt < 0 || blockedAt > 30 {
		t.Fatalf("100 wrong codes from one device, refused (429) from guess %d", blockedAt)
	}
	for _, path := range []string{"/api/class/" + ci.Code, "/api/class/" + ci.Code + "/qr.svg", "/api/class/" + ci.Code + "/history"} {
		if w := req(t, h, "GET", path, "", from); w.Code != http.StatusTooManyRequests {
			t.Errorf("after the wrong codes, %s still answers %d (not 429): guessing is unlimited", path, w.Code)
		}
	}
	// another device is not held up
	if w := req(t, h, "GET", "/api/class/"+ci.Code, "", map[string]string{"RemoteAddr": "10.9.9.8:1"}); w.Code != http.StatusOK {
		t.Errorf("another device: %d", w.Code)
	}
}

// End to end: a 1 MiB upload with a block scalar in an item is refused by
// the scan before the YAML parser (it used to pass it, and the parse took
// over 100 MB).
func TestUploadWithABlockScalarInAnItemIsScanned(t *testing.T) {
	srv := New(Options{Logf: t.Logf})
	h := srv.Handler()
	var b strings.Builder
	b.WriteString("name: x\nactors:\n- note: |\n    hello\n  big: [")
	for i := 0; b.Len() < 1<<20-100; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("1")
	}
	b.WriteString("]\n")
	body := fmt.Sprintf(`{"file":"x.yaml","source":%q}`, b.String())
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	w := req(t, h, "POST", "/api/session", body, nil)
	runtime.ReadMemStats(&ms1)
	t.Logf("status %d, allocated %d MB during the request: %.200s", w.Code, (ms1.TotalAlloc-ms0.TotalAlloc)>>20, w.Body.String())
	if strings.Contains(w.Body.String(), "classroom mode takes at most") == false {
		t.Errorf("a ~520k-value upload passed the scan and reached the parser")
	}
}
