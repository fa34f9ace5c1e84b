package classroom

import (
	"net/http"
	"strings"
	"testing"
)

// The routes that take no arguments (a student's leave, the end of a solo
// session) refuse a body the page would not send, as every other route
// does: unknown fields (400) and oversized bodies (413); nothing changes.
func TestNoArgumentRoutesRefuseBodies(t *testing.T) {
	srv, h, ci := classServer(t, Options{Logf: t.Logf}, `{"scenario":"classroom"}`)
	j := joinAs(t, h, ci.Code, "Ada")
	big := `{"x":"` + strings.Repeat("a", smallBody) + `"}`
	leave := "/api/class/" + ci.Code + "/leave"
	wantError(t, req(t, h, "POST", leave, `{"student":"s2"}`, tok(j.Token)), http.StatusBadRequest, "unknown field")
	wantError(t, req(t, h, "POST", leave, big, tok(j.Token)), http.StatusRequestEntityTooLarge)
	c := classOf(t, srv, ci.Code)
	c.mu.Lock()
	n := len(c.students)
	c.mu.Unlock()
	if n != 1 {
		t.Fatalf("after refused leaves: %d students, want 1", n)
	}
	if w := req(t, h, "POST", leave, "{}", tok(j.Token)); w.Code != http.StatusNoContent {
		t.Errorf("leave: %d %s", w.Code, w.Body.String())
	}

	st := newSession(t, h, "")
	del := "/api/session/" + st.Session
	wantError(t, do(t, h, "DELETE", del, `{"really":true}`, nil), http.StatusBadRequest, "unknown field")
	wantError(t, do(t, h, "DELETE", del, big, nil), http.StatusRequestEntityTooLarge)
	if srv.Sessions() != 1 {
		t.Fatalf("after refused deletes: %d sessions, want 1", srv.Sessions())
	}
	if w := do(t, h, "DELETE", del, "", nil); w.Code != http.StatusNoContent {
		t.Errorf("delete: %d %s", w.Code, w.Body.String())
	}
}
