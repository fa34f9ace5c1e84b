package classroom

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
)

// Listening on every address (0.0.0.0) of a computer with no network
// address other machines reach (no --host either), the server has no join
// address to draw: the QR code route says so plainly (503, how to give one),
// it does not fail (500), and the class's info lists no join address.
func TestQRWithoutAJoinAddress(t *testing.T) {
	_, h, ci := classServer(t, Options{Logf: t.Logf, ListenAddr: &net.TCPAddr{IP: net.IPv4zero, Port: 8080},
		Interfaces: func() []net.IP { return nil }}, `{"scenario":"classroom"}`)
	if len(ci.JoinURLs) != 0 || ci.Reachable {
		t.Errorf("join addresses %q, reachable %v: want none", ci.JoinURLs, ci.Reachable)
	}
	w := req(t, h, "GET", "/api/class/"+ci.Code, "", nil)
	if !strings.Contains(w.Body.String(), `"joinURLs":[]`) {
		t.Errorf("class info: %s (want joinURLs [], not null, for the page)", w.Body.String())
	}
	var info ClassInfo
	if err := json.Unmarshal(w.Body.Bytes(), &info); err != nil || info.Unreachable == "" {
		t.Errorf("class info says not why students cannot reach the server: %v %s", err, w.Body.String())
	}
	w = req(t, h, "GET", "/api/class/"+ci.Code+"/qr.svg", "", nil)
	wantError(t, w, http.StatusServiceUnavailable, "no address", "--host")
}

// With a host name (--host), that name is the join address and the QR code
// draws it, on a computer without any other network address.
func TestQRWithAHostName(t *testing.T) {
	_, h, ci := classServer(t, Options{Logf: t.Logf, ListenAddr: &net.TCPAddr{IP: net.IPv4zero, Port: 8080},
		Interfaces: func() []net.IP { return nil }, Hosts: []string{"teacher-laptop.local"}}, `{"scenario":"classroom"}`)
	if len(ci.JoinURLs) != 1 || !strings.HasPrefix(ci.JoinURLs[0], "http://teacher-laptop.local:8080/join?code=") || !ci.Reachable || ci.Unreachable != "" {
		t.Errorf("join addresses %q, reachable %v %q", ci.JoinURLs, ci.Reachable, ci.Unreachable)
	}
	w := req(t, h, "GET", "/api/class/"+ci.Code+"/qr.svg", "", nil)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("qr: %d %s", w.Code, w.Body.String())
	}
}
