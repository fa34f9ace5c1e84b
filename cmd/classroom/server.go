package classroom

import (
	"bytes"
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"math"
	"net"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

//go:embed web
var webFS embed.FS

// Options sets the server's limits. Zero fields take the defaults.
type Options struct {
	MaxSessions int           // live solo sessions (default 50)
	MaxSteps    int           // steps per solo run (default 2000)
	MaxActors   int           // actors in an uploaded scenario (default 300)
	MaxUpload   int64         // bytes of an uploaded scenario (default 1 MiB)
	MaxStepsPer int           // steps one request may take (default 50)
	IdleTimeout time.Duration // a solo session idle this long is removed (default 15 min)

	MaxClasses int             // classes at once (default 4)
	ClassSize  int             // students per class (default 40)
	MaxRounds  int             // rounds (steps) per class run (default 300)
	ClassIdle  time.Duration   // a class with no one connected this long is closed (default 2 h)
	Hosts      []string        // host names to answer to besides localhost and the machine's addresses
	AnyTeacher bool            // let any machine start a class from the page (default: only this one)
	ParseSlots int             // uploaded scenarios parsed at once (default 1)
	ListenAddr net.Addr        // where the server listens, for the join address (Serve sets it)
	Interfaces func() []net.IP // the addresses other machines reach this one at, for the join address when listening on all of them (default LANAddrs)

	Now  func() time.Time
	Logf func(format string, args ...any) // default log.Printf
}

func (o *Options) defaults() {
	if o.MaxSessions <= 0 {
		o.MaxSessions = 50
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = 2000
	}
	if o.MaxActors <= 0 {
		o.MaxActors = 300
	}
	if o.MaxUpload <= 0 {
		o.MaxUpload = 1 << 20
	}
	if o.MaxStepsPer <= 0 {
		o.MaxStepsPer = 50
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 15 * time.Minute
	}
	if o.MaxClasses <= 0 {
		o.MaxClasses = 4
	}
	if o.ClassSize <= 0 {
		o.ClassSize = 40
	}
	if o.MaxRounds <= 0 {
		o.MaxRounds = 300
	}
	if o.ClassIdle <= 0 {
		o.ClassIdle = 2 * time.Hour
	}
	if o.ParseSlots <= 0 {
		o.ParseSlots = 1
	}
	if o.Interfaces == nil {
		o.Interfaces = LANAddrs
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
}

// smallBody bounds every request body but an upload.
const smallBody = 16 << 10

// Server serves the classroom pages and their API: solo sessions (each
// browser tab its own run, guarded by its own mutex) and classes (one run
// shared by a teacher, a projector and the students).
type Server struct {
	opt      Options
	mu       sync.Mutex
	sessions map[string]*session
	classes  map[string]*Class
	listen   net.Addr
	hosts    *hostPolicy
	joins    *limiter      // failed joins per client address
	parse    chan struct{} // parse slots
	handler  http.Handler
}

// New returns a server with the given limits.
func New(opt Options) *Server {
	opt.defaults()
	s := &Server{opt: opt, sessions: map[string]*session{}, classes: map[string]*Class{},
		listen: opt.ListenAddr, hosts: newHostPolicy(opt.Hosts), joins: newLimiter(20, time.Minute),
		parse: make(chan struct{}, opt.ParseSlots)}
	s.handler = s.routes()
	return s
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Sessions is the number of live sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Sweep removes the sessions idle for longer than Options.IdleTimeout and
// returns how many it removed.
func (s *Server) Sweep() int {
	cutoff := s.opt.Now().Add(-s.opt.IdleTimeout).UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, ss := range s.sessions {
		if ss.lastUsed.Load() < cutoff {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

// Janitor sweeps idle sessions and classes every interval until ctx
// ends, and re-reads the machine's addresses.
func (s *Server) Janitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := s.Sweep(); n > 0 {
				s.opt.Logf("classroom: removed %d idle session(s)", n)
			}
			if n := s.SweepClasses(); n > 0 {
				s.opt.Logf("classroom: closed %d idle class(es)", n)
			}
			s.joins.sweep(s.opt.Now())
			s.hosts.refresh()
		}
	}
}

// Serve serves on ln until ctx ends, then shuts down gracefully (requests in
// flight get up to five seconds). It runs the janitor meanwhile.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	s.mu.Lock()
	s.listen = ln.Addr()
	s.mu.Unlock()
	jctx, stop := context.WithCancel(ctx)
	defer stop()
	defer s.CloseClasses()
	go s.Janitor(jctx, time.Minute)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("classroom: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("classroom: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("classroom: %w", err)
	}
	return nil
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	sub, err := fs.Sub(webFS, "web")
	if err != nil {
		panic(err) // the embedded folder exists at build time
	}
	files := http.FileServerFS(sub)
	mux.Handle("GET /", files)
	page := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, err := fs.ReadFile(sub, name)
			if err != nil {
				writeError(w, http.StatusInternalServerError, "classroom: "+err.Error())
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(b)
		}
	}
	mux.HandleFunc("GET /join", page("join.html"))
	mux.HandleFunc("GET /class", page("class.html"))
	mux.HandleFunc("GET /api/scenarios", s.handleScenarios)
	mux.HandleFunc("POST /api/session", s.handleCreate)
	mux.HandleFunc("GET /api/session/{id}", s.withSession(s.handleState))
	mux.HandleFunc("DELETE /api/session/{id}", s.handleDelete)
	mux.HandleFunc("POST /api/session/{id}/scenario", s.withSession(s.handleLoad))
	mux.HandleFunc("POST /api/session/{id}/step", s.withSession(s.handleStep))
	mux.HandleFunc("POST /api/session/{id}/reset", s.withSession(s.handleReset))
	mux.HandleFunc("POST /api/session/{id}/knob", s.withSession(s.handleKnob))
	mux.HandleFunc("GET /api/session/{id}/actor/{actor}", s.withSession(s.handleActor))
	mux.HandleFunc("GET /api/session/{id}/series.csv", s.withSession(s.handleCSV))
	s.classRoutes(mux)
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		mux.HandleFunc(m+" /api/", func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusNotFound, "classroom: no such endpoint: "+r.Method+" "+r.URL.Path)
		})
	}
	return s.recoverer(headers(s.guard(queries(mux))))
}

// queries refuses a request whose query string holds what the classroom's
// own pages never send: an API route takes no query parameter but the
// event streams' token (an EventSource cannot set headers) and the QR
// code's url; the pages /join and /class take the class's code. Each at
// most once. Anything else is a 400 that names the parameter, instead of
// being ignored.
func queries(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		var allowed string // the one parameter the route takes ("" for none)
		switch {
		case strings.HasPrefix(path, "/api/") && strings.HasSuffix(path, "/events"):
			allowed = "token"
		case strings.HasPrefix(path, "/api/") && strings.HasSuffix(path, "/qr.svg"):
			allowed = "url"
		case path == "/join" || path == "/class":
			allowed = "code"
		case !strings.HasPrefix(path, "/api/"):
			h.ServeHTTP(w, r) // (the page's own files)
			return
		}
		if r.URL.RawQuery != "" {
			q, err := url.ParseQuery(r.URL.RawQuery)
			if err != nil {
				writeError(w, http.StatusBadRequest, "classroom: malformed query string in "+path+": "+err.Error())
				return
			}
			for k, v := range q {
				if k != allowed {
					what := "takes no query parameters"
					if allowed != "" {
						what = "takes only ?" + allowed + "="
					}
					writeError(w, http.StatusBadRequest, fmt.Sprintf("classroom: unknown query parameter %q: %s %s", k, path, what))
					return
				}
				if len(v) > 1 {
					writeError(w, http.StatusBadRequest, fmt.Sprintf("classroom: query parameter %q given %d times in %s; give it once", k, len(v), path))
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// headers sets a strict content security policy: the page may load nothing
// but its own files.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "+
			"style-src 'self'; script-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			hd.Set("Cache-Control", "no-store")
		}
		h.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a 500 JSON error.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opt.Logf("classroom: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				writeError(w, http.StatusInternalServerError, "classroom: internal error")
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// apiError is the body of every error reply.
type apiError struct {
	Error  string          `json:"error"`
	Errors []scenarioError `json:"errors,omitempty"` // a scenario's located problems
}

type scenarioError struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Path string `json:"path"`
	Msg  string `json:"msg"`
	Hint string `json:"hint,omitempty"`
	Text string `json:"text"` // the whole message, as the command line prints it
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, apiError{Error: msg})
}

// decode reads a JSON body strictly: at most limit bytes, no unknown
// fields, one value. An empty body leaves v as it is. It writes the error
// reply itself and reports whether decoding succeeded.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			writeError(w, http.StatusBadRequest, "classroom: the body must hold a single JSON object")
			return false
		}
		return true
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return true
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("classroom: request body larger than %d bytes", mbe.Limit))
	default:
		writeError(w, http.StatusBadRequest, "classroom: bad JSON: "+strings.TrimPrefix(err.Error(), "json: "))
	}
	return false
}

// decodeKeys is decode that also returns the names of the body's fields
// (a JSON object's keys; none for an empty body), for a handler whose
// routes take different subsets of one request's fields.
func decodeKeys(w http.ResponseWriter, r *http.Request, limit int64, v any) ([]string, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("classroom: request body larger than %d bytes", mbe.Limit))
		} else {
			writeError(w, http.StatusBadRequest, "classroom: reading the request: "+err.Error())
		}
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	if !decode(w, r, limit, v) {
		return nil, false
	}
	var obj map[string]json.RawMessage
	if len(bytes.TrimSpace(b)) == 0 || json.Unmarshal(b, &obj) != nil {
		return nil, true // (empty; or a value decode took, not an object: no fields)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, true
}

// handleScenarios lists the built-in scenarios.
func (s *Server) handleScenarios(w http.ResponseWriter, r *http.Request) {
	type item struct {
		Name    string `json:"name"`
		Summary string `json:"summary"`
	}
	out := []item{}
	for _, in := range scenarios.List() {
		out = append(out, item{in.Name, in.Summary})
	}
	writeJSON(w, http.StatusOK, out)
}

// loadRequest chooses a scenario: a built-in by name, or an uploaded file.
type loadRequest struct {
	Scenario string  `json:"scenario"` // built-in name
	File     string  `json:"file"`     // uploaded file's name (for messages)
	Source   *string `json:"source"`   // uploaded file's text
	Seed     *uint64 `json:"seed"`
}

// parseScenario resolves a load request, writing the error reply itself.
func (s *Server) parseScenario(w http.ResponseWriter, r *http.Request, req loadRequest) (*scenarios.Scenario, bool, bool) {
	if req.Source != nil {
		if req.Scenario != "" {
			writeError(w, http.StatusBadRequest, "classroom: give either scenario or source, not both")
			return nil, false, false
		}
		name := path.Base(strings.ReplaceAll(req.File, "\\", "/"))
		if name == "." || name == "/" || name == "" {
			name = "upload.yaml"
		}
		if len(name) > 100 {
			name = name[:100]
		}
		if int64(len(*req.Source)) > s.opt.MaxUpload {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("classroom: the scenario file %s is %d bytes; classroom mode takes at most %d", name, len(*req.Source), s.opt.MaxUpload))
			return nil, false, false
		}
		data := []byte(*req.Source)
		req.Source = nil
		lim := defaultScanLimits
		lim.Actors = s.opt.MaxActors
		if _, err := checkUpload(data, lim); err != nil {
			se := err.(*scanError)
			e := scenarioError{File: name, Line: se.Line, Path: se.Path, Msg: se.Msg, Hint: se.Hint}
			e.Text = name
			if se.Line > 0 {
				e.Text += ":" + strconv.Itoa(se.Line)
			}
			e.Text += ": " + se.Msg
			if se.Hint != "" {
				e.Text += " (" + se.Hint + ")"
			}
			writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "classroom: " + se.Msg, Errors: []scenarioError{e}})
			return nil, false, false
		}
		// One parse at a time (Options.ParseSlots): a parse costs tens of
		// megabytes while it runs.
		select {
		case s.parse <- struct{}{}:
		case <-r.Context().Done():
			writeError(w, http.StatusServiceUnavailable, "classroom: gave up waiting to read the scenario file")
			return nil, false, false
		}
		sc, err := scenarios.Parse(name, data)
		<-s.parse
		if sc != nil {
			sc.Source = nil // not needed once parsed
		}
		if err != nil {
			reply := apiError{Error: "classroom: the scenario file has errors"}
			var errs *scenarios.Errors
			if errors.As(err, &errs) {
				for _, e := range errs.List {
					reply.Errors = append(reply.Errors, scenarioError{File: e.File, Line: e.Line, Path: e.Path, Msg: e.Msg, Hint: e.Hint, Text: e.Error()})
				}
			} else {
				reply.Error = "classroom: " + err.Error()
			}
			writeJSON(w, http.StatusUnprocessableEntity, reply)
			return nil, false, false
		}
		if n := len(sc.World.Actors); n > s.opt.MaxActors {
			writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("classroom: the scenario has %d actors; classroom mode draws at most %d", n, s.opt.MaxActors))
			return nil, false, false
		}
		return sc, false, true
	}
	name := req.Scenario
	if name == "" {
		name = "classroom"
	}
	known := false
	var names []string
	for _, in := range scenarios.List() {
		names = append(names, in.Name)
		known = known || in.Name == name
	}
	if !known {
		writeError(w, http.StatusNotFound, fmt.Sprintf("classroom: unknown scenario %q; built-in scenarios: %s", name, strings.Join(names, ", ")))
		return nil, false, false
	}
	sc, err := scenarios.Load(name)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "classroom: "+err.Error())
		return nil, false, false
	}
	return sc, true, true
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// handleCreate starts a session: POST /api/session {"scenario": "classroom"}
// or {"file": "x.yaml", "source": "..."}; an empty body loads classroom.
func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req loadRequest
	if !decode(w, r, s.opt.MaxUpload+smallBody, &req) {
		return
	}
	s.mu.Lock()
	n := len(s.sessions)
	s.mu.Unlock()
	if n >= s.opt.MaxSessions && s.Sweep() == 0 {
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("classroom: too many sessions (at most %d); close a tab or wait for idle ones to expire", s.opt.MaxSessions))
		return
	}
	sc, builtin, ok := s.parseScenario(w, r, req)
	if !ok {
		return
	}
	ss := &session{id: newID()}
	ss.lastUsed.Store(s.opt.Now().UnixNano())
	seed := uint64(1)
	if req.Seed != nil {
		seed = *req.Seed
	}
	if err := ss.load(sc, builtin, seed); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	s.mu.Lock()
	if len(s.sessions) >= s.opt.MaxSessions {
		s.mu.Unlock()
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("classroom: too many sessions (at most %d); close a tab or wait for idle ones to expire", s.opt.MaxSessions))
		return
	}
	s.sessions[ss.id] = ss
	s.mu.Unlock()
	ss.mu.Lock()
	st := ss.state(-1, s.opt.MaxSteps)
	ss.mu.Unlock()
	writeJSON(w, http.StatusCreated, st)
}

// withSession looks the session up, marks it used and holds its lock while
// the handler runs.
func (s *Server) withSession(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		s.mu.Lock()
		ss := s.sessions[id]
		s.mu.Unlock()
		if ss == nil {
			writeError(w, http.StatusNotFound, "classroom: unknown or expired session; reload the page")
			return
		}
		ss.lastUsed.Store(s.opt.Now().UnixNano())
		ss.mu.Lock()
		defer ss.mu.Unlock()
		h(w, r, ss)
	}
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	var none struct{} // no arguments: an empty body or {}
	if !decode(w, r, smallBody, &none) {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	_, ok := s.sessions[id]
	delete(s.sessions, id)
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "classroom: unknown or expired session")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request, ss *session) {
	writeJSON(w, http.StatusOK, ss.state(-1, s.opt.MaxSteps))
}

func (s *Server) handleLoad(w http.ResponseWriter, r *http.Request, ss *session) {
	var req loadRequest
	if !decode(w, r, s.opt.MaxUpload+smallBody, &req) {
		return
	}
	sc, builtin, ok := s.parseScenario(w, r, req)
	if !ok {
		return
	}
	seed := ss.seed
	if req.Seed != nil {
		seed = *req.Seed
	}
	if err := ss.load(sc, builtin, seed); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ss.state(-1, s.opt.MaxSteps))
}

type stepRequest struct {
	Steps int `json:"steps"`
}

func (s *Server) handleStep(w http.ResponseWriter, r *http.Request, ss *session) {
	req := stepRequest{Steps: 1}
	if !decode(w, r, smallBody, &req) {
		return
	}
	if req.Steps < 1 || req.Steps > s.opt.MaxStepsPer {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("classroom: steps must be between 1 and %d, got %d", s.opt.MaxStepsPer, req.Steps))
		return
	}
	t := ss.s.T()
	if t >= s.opt.MaxSteps {
		writeError(w, http.StatusConflict, fmt.Sprintf("classroom: the run has reached the limit of %d steps; reset it", s.opt.MaxSteps))
		return
	}
	ss.step(min(req.Steps, s.opt.MaxSteps-t))
	writeJSON(w, http.StatusOK, ss.state(t, s.opt.MaxSteps))
}

type resetRequest struct {
	Seed *uint64 `json:"seed"`
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request, ss *session) {
	var req resetRequest
	if !decode(w, r, smallBody, &req) {
		return
	}
	if req.Seed != nil {
		ss.seed = *req.Seed
	}
	if err := ss.reset(); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ss.state(-1, s.opt.MaxSteps))
}

// knobRequest sets one knob: "threat:NAME" (intensity), "political" or
// "military" (retrenchment), all in [0, 1]; "temperature" in the parameter's
// range; "seed" (a whole number, used at the next reset). Profile true
// returns a threat or retrenchment knob to the scenario's profile.
type knobRequest struct {
	Knob    string   `json:"knob"`
	Value   *float64 `json:"value"`
	Profile bool     `json:"profile"`
}

// maxSeed is the largest seed a JSON number carries exactly.
const maxSeed = 1 << 53

func (s *Server) handleKnob(w http.ResponseWriter, r *http.Request, ss *session) {
	var req knobRequest
	if !decode(w, r, smallBody, &req) {
		return
	}
	if msg := ss.checkKnob(req); msg != "" {
		writeError(w, http.StatusBadRequest, "classroom: "+msg)
		return
	}
	if err := ss.setKnob(req); err != nil {
		writeError(w, http.StatusBadRequest, "classroom: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, ss.state(ss.s.T(), s.opt.MaxSteps))
}

// checkKnob validates a knob request against the session's scenario; it
// returns what is wrong, or "". It reads only the scenario, which does not
// change under a run.
func (ss *session) checkKnob(req knobRequest) string {
	bad := fmt.Sprintf
	profiled := req.Knob == "political" || req.Knob == "military" || strings.HasPrefix(req.Knob, "threat:")
	switch {
	case req.Knob == "":
		return "missing knob (threat:NAME, political, military, temperature or seed)"
	case strings.HasPrefix(req.Knob, "threat:") && ss.threatIndex(req.Knob[len("threat:"):]) < 0:
		var names []string
		for _, t := range ss.sc.World.Threats {
			names = append(names, "threat:"+t.Name)
		}
		return bad("unknown threat knob %q; this scenario has %s", req.Knob, orNone(names))
	case !profiled && !slices.Contains([]string{"temperature", "seed"}, req.Knob):
		return bad("unknown knob %q (threat:NAME, political, military, temperature or seed)", req.Knob)
	case req.Profile && !profiled:
		return bad("knob %s has no profile to return to", req.Knob)
	case req.Profile && req.Value != nil:
		return "give either value or profile, not both"
	case !req.Profile && req.Value == nil:
		return bad("missing value for knob %s", req.Knob)
	}
	if req.Value != nil {
		v := *req.Value
		lo, hi := 0.0, 1.0
		switch req.Knob {
		case "temperature":
			spec, _ := sim.LookupParam("temperature")
			lo, hi = spec.Min, spec.Max
		case "seed":
			lo, hi = 0, maxSeed
			if v != math.Trunc(v) {
				return bad("seed must be a whole number, got %v", v)
			}
		}
		if math.IsNaN(v) || v < lo || v > hi {
			return bad("%s must be between %s and %s, got %v", req.Knob, fmtNum(lo), fmtNum(hi), v)
		}
	}
	return ""
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no threats"
	}
	return strings.Join(names, ", ")
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (s *Server) handleActor(w http.ResponseWriter, r *http.Request, ss *session) {
	d, err := ss.actor(r.PathValue("actor"))
	if err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("classroom: unknown actor %q in scenario %s", r.PathValue("actor"), ss.sc.Name))
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// handleCSV writes the metric series so far, tidy: step,metric,value.
func (s *Server) handleCSV(w http.ResponseWriter, r *http.Request, ss *session) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-series.csv"`, safeName(ss.sc.Name)))
	_ = writeCSV(w, ss.names, ss.series)
}

// safeName keeps letters, digits, '-', '_' and '.'.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "run"
	}
	return string(b)
}
