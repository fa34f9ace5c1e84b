package classroom

import (
	"net"
	"net/http"
	"net/url"
	"testing"
)

// The server refuses query parameters its own pages never send, instead of
// ignoring them: an API route takes none but the event stream's token and
// the QR code's url, each once; the pages take the class's code. A QR code
// asked for an address that is not one of the class's is refused, not
// drawn for the first address instead.
func TestQueriesThePagesDoNotSendAreRefused(t *testing.T) {
	_, h, ci := classServer(t, Options{Logf: t.Logf, ListenAddr: &net.TCPAddr{IP: net.IPv4zero, Port: 8080},
		Interfaces: func() []net.IP { return nil }, Hosts: []string{"localhost"}}, `{"scenario":"classroom"}`)
	base := "/api/class/" + ci.Code
	for _, c := range []struct{ method, path, body, want string }{
		{"GET", base + "?x=1", "", `unknown query parameter "x"`},
		{"GET", base + "/history?token=" + ci.Teacher, "", `unknown query parameter "token"`},
		{"GET", "/api/scenarios?all=1", "", "takes no query parameters"},
		{"POST", base + "/teacher/start?force=1", "{}", `unknown query parameter "force"`},
		{"GET", base + "/events?token=a&token=b", "", "given 2 times"},
		{"GET", base + "/events?token=a&role=teacher", "", `takes only ?token=`},
		{"GET", base + "/qr.svg?url=x&size=9", "", `unknown query parameter "size"`},
		{"GET", base + "/qr.svg?url=" + url.QueryEscape("http://evil.example/join?code="+ci.Code), "", "is not one of this class's join addresses"},
		{"GET", base + "?%zz", "", "malformed query string"},
		{"GET", "/join?code=ABC&next=/x", "", `unknown query parameter "next"`},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			wantError(t, req(t, h, c.method, c.path, c.body, tok(ci.Teacher)), http.StatusBadRequest, c.want)
		})
	}
	// what the pages do send still works
	for _, path := range []string{"/join?code=" + ci.Code, "/class?code=" + ci.Code, base + "/qr.svg", base + "/qr.svg?url=" + url.QueryEscape(ci.JoinURLs[0]), "/app.js"} {
		if w := req(t, h, "GET", path, "", nil); w.Code != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, w.Code, w.Body.String())
		}
	}
}

// Each teacher action takes its own fields of the one request the teacher
// routes share; a field another action takes is refused with the action's
// own list, not ignored.
func TestTeacherActionsTakeTheirOwnFields(t *testing.T) {
	_, h, ci := classServer(t, Options{Logf: t.Logf}, `{"scenario":"classroom"}`)
	base := "/api/class/" + ci.Code + "/teacher/"
	for _, c := range []struct{ action, body, want string }{
		{"start", `{"student":"s1"}`, `start does not take "student" (it takes no fields)`},
		{"timer", `{"seconds":60,"on":true}`, `timer does not take "on" (it takes seconds)`},
		{"kick", `{"student":"s1","actor":"RIV"}`, `kick does not take "actor" (it takes student)`},
		{"knob", `{"knob":"political","value":0.5,"seed":3}`, `knob does not take "seed"`},
		{"restart", `{"seconds":5}`, `restart does not take "seconds" (it takes seed)`},
	} {
		wantError(t, req(t, h, "POST", base+c.action, c.body, tok(ci.Teacher)), http.StatusBadRequest, c.want)
	}
	// the class page's own requests pass
	for _, c := range []struct{ action, body string }{
		{"timer", `{"seconds":60}`}, {"auto", `{"on":false}`}, {"knob", `{"knob":"political","value":0.5}`}, {"start", `{}`}, {"pause", ``},
	} {
		if w := req(t, h, "POST", base+c.action, c.body, tok(ci.Teacher)); w.Code != http.StatusNoContent {
			t.Errorf("%s %s: %d %s", c.action, c.body, w.Code, w.Body.String())
		}
	}
}
