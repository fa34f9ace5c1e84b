package classroom

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entente/entente/scenarios"
)

func (s *Server) classRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/class", s.handleNewClass)
	mux.HandleFunc("POST /api/join", s.handleJoin)
	mux.HandleFunc("GET /api/class/{code}", s.withClass(s.handleClassInfo))
	mux.HandleFunc("GET /api/class/{code}/qr.svg", s.withClass(s.handleQR))
	mux.HandleFunc("GET /api/class/{code}/events", s.withClass(s.handleEvents))
	mux.HandleFunc("GET /api/class/{code}/history", s.withClass(s.handleHistory))
	mux.HandleFunc("GET /api/class/{code}/debrief", s.withClass(s.handleDebrief))
	mux.HandleFunc("GET /api/class/{code}/export/{file}", s.withClass(s.handleExport))
	mux.HandleFunc("GET /api/class/{code}/actor/{actor}", s.withClass(s.handleClassActor))
	mux.HandleFunc("POST /api/class/{code}/pick", s.withStudent(s.handlePick))
	mux.HandleFunc("POST /api/class/{code}/choose", s.withStudent(s.handleChoose))
	mux.HandleFunc("POST /api/class/{code}/consent", s.withStudent(s.handleConsent))
	mux.HandleFunc("POST /api/class/{code}/leave", s.withStudent(s.handleLeave))
	mux.HandleFunc("POST /api/class/{code}/teacher/{action}", s.withTeacher(s.handleTeacher))
}

// ClassInfo is what a class tells anyone who has its code.
type ClassInfo struct {
	Code        string       `json:"code"`
	Scenario    scenarioInfo `json:"scenario"`
	JoinURLs    []string     `json:"joinURLs"`              // the addresses students type (with the code)
	Reachable   bool         `json:"reachable"`             // other machines can reach the server
	Unreachable string       `json:"unreachable,omitempty"` // when they cannot: why, and what to do
	Terms       []string     `json:"terms"`
	Teacher     string       `json:"teacher,omitempty"` // the teacher's token: only in the reply that creates the class
}

// newClassRequest starts a class: a scenario (built-in or uploaded) and the
// class's settings.
type newClassRequest struct {
	loadRequest
	classSettings
}

func (s *Server) handleNewClass(w http.ResponseWriter, r *http.Request) {
	if !s.opt.AnyTeacher && !fromLoopback(r) {
		writeError(w, http.StatusForbidden, "classroom: a class is started on the computer that runs `entente serve` (or start the server with --class SCENARIO and open the teacher link it prints)")
		return
	}
	var req newClassRequest
	if !decode(w, r, s.opt.MaxUpload+smallBody, &req) {
		return
	}
	if err := req.classSettings.check(); err != nil {
		writeError(w, http.StatusBadRequest, "classroom: "+err.Error())
		return
	}
	s.mu.Lock()
	full := len(s.classes) >= s.opt.MaxClasses
	s.mu.Unlock()
	if full {
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("classroom: there are already %d classes (at most %d); end one first", s.opt.MaxClasses, s.opt.MaxClasses))
		return
	}
	sc, builtin, ok := s.parseScenario(w, r, req.loadRequest)
	if !ok {
		return
	}
	seed := uint64(1)
	if req.Seed != nil {
		seed = *req.Seed
	}
	c, err := s.newClass(sc, builtin, seed, req.classSettings)
	if errors.Is(err, errTooManyClasses) {
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("classroom: there are already %d classes (at most %d); end one first", s.opt.MaxClasses, s.opt.MaxClasses))
		return
	}
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "classroom: "+err.Error())
		return
	}
	info := s.classInfo(c, r)
	info.Teacher = c.teacher
	writeJSON(w, http.StatusCreated, info)
}

// StartClass starts a class on a built-in scenario or a scenario file (as
// `entente serve --class` does) and returns its join code and the teacher's
// token.
func (s *Server) StartClass(ref string, seed uint64, mode string, timer int) (code, teacher string, err error) {
	sc, err := scenarios.Load(ref)
	if err != nil {
		return "", "", err
	}
	sc.Source = nil
	if n := len(sc.World.Actors); n > s.opt.MaxActors {
		return "", "", fmt.Errorf("the scenario has %d actors; classroom mode takes at most %d", n, s.opt.MaxActors)
	}
	_, builtin := scenarios.Builtin(ref)
	c, err := s.newClass(sc, builtin, seed, classSettings{Mode: mode, Timer: timer})
	if err != nil {
		return "", "", err
	}
	return c.code, c.teacher, nil
}

// JoinURLs returns the addresses students type for a class.
func (s *Server) JoinURLs(code string) ([]string, bool) {
	return s.joinURLs(code, nil)
}

// joinURLs lists the addresses students can reach the class at, and
// whether other machines can reach the server at all (it listens beyond
// loopback).
func (s *Server) joinURLs(code string, r *http.Request) ([]string, bool) {
	s.mu.Lock()
	ln := s.listen
	s.mu.Unlock()
	host, port := "", ""
	if ln != nil {
		host, port, _ = net.SplitHostPort(ln.String())
	} else if r != nil {
		host, port, _ = net.SplitHostPort(r.Host)
		if host == "" {
			host = r.Host
		}
	}
	withPort := func(h string) string {
		if port == "" || port == "80" {
			return h
		}
		return net.JoinHostPort(h, port)
	}
	path := "/join?code=" + code
	out := []string{} // the page reads [] as no address, not null
	for _, h := range s.opt.Hosts {
		out = append(out, "http://"+withPort(normHost(h))+path)
	}
	ip := net.ParseIP(host)
	switch {
	case ip != nil && ip.IsUnspecified():
		for _, a := range s.opt.Interfaces() {
			out = append(out, "http://"+withPort(a.String())+path)
		}
		return out, len(out) > 0
	case ip != nil && ip.IsLoopback() || host == "localhost":
		// no other machine can reach a loopback address, whatever its name
		return []string{"http://" + withPort(host) + path}, false
	default:
		return append(out, "http://"+withPort(host)+path), true
	}
}

// Why students' devices cannot reach the server, for the page (and the QR
// code route).
const (
	loopbackOnly = "Students' devices cannot reach this server: it listens on this computer only. Restart it with --addr 0.0.0.0:8080."
	noAddress    = "Students' devices cannot reach this server: it listens on every address of this computer, but the computer has no network address. " +
		"Connect it to the classroom network and reload this page, or restart the server with --host NAME (a name students' devices reach this computer by) or --addr ADDRESS:8080."
)

func (s *Server) classInfo(c *Class, r *http.Request) ClassInfo {
	urls, reach := s.joinURLs(c.code, r)
	c.run.mu.Lock()
	si := c.run.info()
	c.run.mu.Unlock()
	ci := ClassInfo{Code: c.code, Scenario: si, JoinURLs: urls, Reachable: reach, Terms: termNames()}
	switch {
	case len(urls) == 0:
		ci.Unreachable = noAddress
	case !reach:
		ci.Unreachable = loopbackOnly
	}
	return ci
}

// withClass looks a class up by its code.
func (s *Server) withClass(h func(http.ResponseWriter, *http.Request, *Class)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// a code in the path is guessed as a joined one is: the same limit
		// on wrong codes per device as /api/join
		now, key := s.opt.Now(), clientKey(r)
		if s.joins.blocked(key, now) {
			writeError(w, http.StatusTooManyRequests, "classroom: too many wrong codes from this device; wait a minute and check the code on the projector")
			return
		}
		code := normCode(r.PathValue("code"))
		s.mu.Lock()
		c := s.classes[code]
		s.mu.Unlock()
		if c == nil {
			s.joins.fail(key, now)
			writeError(w, http.StatusNotFound, "classroom: no class with the code "+strconv.Quote(r.PathValue("code"))+"; check the code on the projector")
			return
		}
		h(w, r, c)
	}
}

// withStudent also needs a student's token, and passes the student.
func (s *Server) withStudent(h func(http.ResponseWriter, *http.Request, *Class, *student)) http.HandlerFunc {
	return s.withClass(func(w http.ResponseWriter, r *http.Request, c *Class) {
		tok := tokenOf(r)
		c.mu.Lock()
		st := c.byToken[tok]
		c.mu.Unlock()
		if st == nil || tok == "" {
			writeError(w, http.StatusForbidden, "classroom: this device has not joined the class (or was removed from it); join again at /join")
			return
		}
		h(w, r, c, st)
	})
}

// withTeacher needs the teacher's token.
func (s *Server) withTeacher(h func(http.ResponseWriter, *http.Request, *Class)) http.HandlerFunc {
	return s.withClass(func(w http.ResponseWriter, r *http.Request, c *Class) {
		if !sameToken(tokenOf(r), c.teacher) {
			writeError(w, http.StatusForbidden, "classroom: only the teacher can do this (open the teacher link)")
			return
		}
		h(w, r, c)
	})
}

func (s *Server) handleClassInfo(w http.ResponseWriter, r *http.Request, c *Class) {
	writeJSON(w, http.StatusOK, s.classInfo(c, r))
}

func (s *Server) handleQR(w http.ResponseWriter, r *http.Request, c *Class) {
	urls, _ := s.joinURLs(c.code, r)
	if len(urls) == 0 {
		// nothing to draw (the page shows why instead of the code)
		writeError(w, http.StatusServiceUnavailable, "classroom: no address to put in the QR code. "+noAddress)
		return
	}
	// ?url= picks one of the class's join addresses (the page asks for the
	// first); one that is not among them is refused, not replaced
	if q := r.URL.Query(); q.Has("url") {
		u := q.Get("url")
		if !slices.Contains(urls, u) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("classroom: %q is not one of this class's join addresses (%s); leave out ?url= for the first", u, strings.Join(urls, ", ")))
			return
		}
		urls = []string{u}
	}
	q, err := EncodeQR([]byte(urls[0]), QRMedium)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "classroom: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(q.SVG()))
}

type joinRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// JoinReply is what a student's device keeps: the class's code and the
// student's token (its proof of which state it may act for).
type JoinReply struct {
	Code    string `json:"code"`
	Token   string `json:"token"`
	Student string `json:"student"`
	Name    string `json:"name"`
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	now := s.opt.Now()
	key := clientKey(r)
	if s.joins.blocked(key, now) {
		writeError(w, http.StatusTooManyRequests, "classroom: too many wrong codes from this device; wait a minute and check the code on the projector")
		return
	}
	var req joinRequest
	if !decode(w, r, smallBody, &req) {
		return
	}
	code := normCode(req.Code)
	s.mu.Lock()
	c := s.classes[code]
	s.mu.Unlock()
	if c == nil {
		s.joins.fail(key, now)
		writeError(w, http.StatusNotFound, "classroom: no class with the code "+strconv.Quote(req.Code)+"; check the code on the projector")
		return
	}
	name, err := cleanName(req.Name)
	if err != nil {
		writeError(w, http.StatusBadRequest, "classroom: "+err.Error())
		return
	}
	c.mu.Lock()
	if len(c.students) >= s.opt.ClassSize {
		c.mu.Unlock()
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("classroom: the class is full (%d students); ask your teacher", s.opt.ClassSize))
		return
	}
	st, err := c.join(name)
	if err == nil {
		c.bump()
	}
	c.mu.Unlock()
	if errors.Is(err, errNameTaken) {
		writeError(w, http.StatusConflict, "classroom: someone in the class already uses the name "+strconv.Quote(name)+"; add an initial")
		return
	}
	writeJSON(w, http.StatusCreated, JoinReply{Code: c.code, Token: st.token, Student: st.ID, Name: st.Name})
}

type pickRequest struct {
	Actor string `json:"actor"`
}

// handlePick seats a student at a free state (mode pick), or takes the
// student's state away (actor "").
func (s *Server) handlePick(w http.ResponseWriter, r *http.Request, c *Class, st *student) {
	var req pickRequest
	if !decode(w, r, smallBody, &req) {
		return
	}
	w0 := c.run.world()
	a := -1
	if req.Actor != "" {
		a = w0.ActorIndex(req.Actor)
		if !seatable(w0, a) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("classroom: %q is not a state of this scenario (organisations and groups follow the model)", req.Actor))
			return
		}
	}
	c.mu.Lock()
	if c.mode != modePick && a >= 0 {
		c.mu.Unlock()
		writeError(w, http.StatusForbidden, "classroom: your teacher assigns the states in this class")
		return
	}
	if a >= 0 && c.seats[a] != nil && c.seats[a] != st {
		who := c.seats[a].Name
		c.mu.Unlock()
		writeError(w, http.StatusConflict, fmt.Sprintf("classroom: %s is taken (by %s); pick another state", req.Actor, who))
		return
	}
	c.seat(st, a)
	c.bump()
	c.mu.Unlock()
	if a >= 0 {
		c.refreshPanels([]int{a})
	}
	w.WriteHeader(http.StatusNoContent)
}

type chooseRequest struct {
	Step   int  `json:"step"`   // the round the choice is for
	Option *int `json:"option"` // index among the round's options; null withdraws the choice
}

func (s *Server) handleChoose(w http.ResponseWriter, r *http.Request, c *Class, st *student) {
	var req chooseRequest
	if !decode(w, r, smallBody, &req) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st.actor < 0 {
		writeError(w, http.StatusConflict, "classroom: you have no state yet")
		return
	}
	if c.phase != phaseChoosing {
		writeError(w, http.StatusConflict, "classroom: no round is open now ("+string(c.phase)+")")
		return
	}
	p := c.panels[st.actor]
	if p == nil || req.Step != p.Step {
		writeError(w, http.StatusConflict, fmt.Sprintf("classroom: that choice was for step %d; the round now is step %d", req.Step, c.stepNow()))
		return
	}
	if req.Option == nil {
		delete(c.picks, st.actor)
	} else {
		k := *req.Option
		if k < 0 || k >= len(p.Options) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("classroom: option %d does not exist (the round has %d)", k, len(p.Options)))
			return
		}
		o := p.Options[k]
		c.picks[st.actor] = pick{key: o.key, index: k, text: o.Text, at: s.opt.Now(), choice: o.choice}
	}
	delete(c.notes, st.actor)
	c.bump()
	c.poke()
	w.WriteHeader(http.StatusNoContent)
}

// stepNow is the step of the open round. The caller holds mu.
func (c *Class) stepNow() int {
	for _, p := range c.panels {
		return p.Step
	}
	return len(c.frames) - 1
}

type consentAnswer struct {
	ID     int  `json:"id"`
	Accept bool `json:"accept"`
}

func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request, c *Class, st *student) {
	var req consentAnswer
	if !decode(w, r, smallBody, &req) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, q := range c.consents {
		if q.ID != req.ID {
			continue
		}
		if c.seats[q.actor] != st {
			writeError(w, http.StatusForbidden, "classroom: that question is for another state's student")
			return
		}
		select {
		case q.answer <- req.Accept:
		default:
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeError(w, http.StatusGone, "classroom: that question has been settled (the time ran out or the round moved on)")
}

func (s *Server) handleLeave(w http.ResponseWriter, r *http.Request, c *Class, st *student) {
	var none struct{} // no arguments: an empty body or {}
	if !decode(w, r, smallBody, &none) {
		return
	}
	c.mu.Lock()
	c.remove(st)
	c.bump()
	c.mu.Unlock()
	c.poke()
	w.WriteHeader(http.StatusNoContent)
}

// teacherRequest carries every teacher action's arguments; each action
// reads the fields it needs.
type teacherRequest struct {
	Student string   `json:"student"`
	Actor   *string  `json:"actor"`
	Seconds int      `json:"seconds"`
	On      *bool    `json:"on"`
	Mode    string   `json:"mode"`
	Knob    string   `json:"knob"`
	Value   *float64 `json:"value"`
	Profile bool     `json:"profile"`
	Seed    *uint64  `json:"seed"`
	From    int      `json:"from"`
	Speed   float64  `json:"speed"`
}

// teacherFields are the fields of teacherRequest each action takes; a
// field another action takes is refused, not ignored (the class page sends
// each action its own).
var teacherFields = map[string][]string{
	"start": nil, "pause": nil, "resume": nil, "advance": nil, "end": nil, "assign-rest": nil,
	"replay-stop": nil, "close": nil,
	"restart": {"seed"}, "timer": {"seconds"}, "auto": {"on"}, "mode": {"mode"},
	"assign": {"student", "actor"}, "kick": {"student"}, "knob": {"knob", "value", "profile"},
	"replay": {"from", "speed"},
}

func (s *Server) handleTeacher(w http.ResponseWriter, r *http.Request, c *Class) {
	var req teacherRequest
	keys, ok := decodeKeys(w, r, smallBody, &req)
	if !ok {
		return
	}
	bad := func(code int, format string, args ...any) {
		writeError(w, code, "classroom: "+fmt.Sprintf(format, args...))
	}
	action := r.PathValue("action")
	if fields, known := teacherFields[action]; known {
		for _, k := range keys {
			if !slices.Contains(fields, k) {
				takes := "takes no fields"
				if len(fields) > 0 {
					takes = "takes " + strings.Join(fields, ", ")
				}
				bad(http.StatusBadRequest, "the teacher action %s does not take %q (it %s)", action, k, takes)
				return
			}
		}
	}
	now := s.opt.Now()
	switch action {
	case "start":
		c.mu.Lock()
		ph := c.phase
		c.mu.Unlock()
		if ph != phaseLobby {
			bad(http.StatusConflict, "the class has started already (%s)", ph)
			return
		}
		c.openRound()
	case "pause", "resume":
		c.mu.Lock()
		if action == "pause" && !c.paused {
			c.paused, c.pausedAt = true, now
			c.left = max(0, c.deadline.Sub(now))
		} else if action == "resume" && c.paused {
			c.paused = false
			d := now.Sub(c.pausedAt)
			c.deadline = now.Add(c.left)
			c.consentBy = c.consentBy.Add(d)
			for _, q := range c.consents {
				q.deadline = q.deadline.Add(d)
			}
		}
		c.bump()
		c.mu.Unlock()
		c.poke()
	case "advance":
		c.mu.Lock()
		switch c.phase {
		case phaseChoosing:
			c.advance = true
			if c.paused { // advancing resumes
				c.paused = false
				c.deadline = now
			}
		case phaseResolving:
			c.cutShort = true // pending consents take the model's verdict
		case phaseLobby:
			c.mu.Unlock()
			c.openRound()
			c.mu.Lock()
			c.advance = true
		default:
			c.mu.Unlock()
			bad(http.StatusConflict, "the run has ended; restart it to play again")
			return
		}
		c.bump()
		c.mu.Unlock()
		c.poke()
	case "end":
		c.mu.Lock()
		c.phase = phaseEnded
		c.cutShort = true
		c.bump()
		c.mu.Unlock()
		c.poke()
	case "restart":
		if err := c.restart(req.Seed); err != nil {
			bad(http.StatusConflict, "%v", err)
			return
		}
	case "timer":
		if req.Seconds < minTimer || req.Seconds > maxTimer {
			bad(http.StatusBadRequest, "seconds must be between %d and %d, got %d", minTimer, maxTimer, req.Seconds)
			return
		}
		c.mu.Lock()
		d := time.Duration(req.Seconds) * time.Second
		if c.phase == phaseChoosing {
			// the open round gets the new length from when it opened
			c.deadline = c.roundOpened.Add(d)
			if c.paused {
				c.left = max(0, c.deadline.Sub(c.pausedAt))
			}
		}
		c.timer = d
		c.bump()
		c.mu.Unlock()
		c.poke()
	case "auto":
		if req.On == nil {
			bad(http.StatusBadRequest, "missing on (true or false)")
			return
		}
		c.mu.Lock()
		c.auto = *req.On
		c.bump()
		c.mu.Unlock()
		c.poke()
	case "mode":
		if req.Mode != modePick && req.Mode != modeTeacher {
			bad(http.StatusBadRequest, "mode must be %q or %q, got %q", modePick, modeTeacher, req.Mode)
			return
		}
		c.mu.Lock()
		c.mode = req.Mode
		c.bump()
		c.mu.Unlock()
	case "assign":
		if req.Actor == nil {
			bad(http.StatusBadRequest, "missing actor (a state's id, or \"\" to take the state away)")
			return
		}
		w0 := c.run.world()
		a := -1
		if *req.Actor != "" {
			if a = w0.ActorIndex(*req.Actor); !seatable(w0, a) {
				bad(http.StatusBadRequest, "%q is not a state of this scenario", *req.Actor)
				return
			}
		}
		c.mu.Lock()
		st := c.studentByID(req.Student)
		if st == nil {
			c.mu.Unlock()
			bad(http.StatusNotFound, "no student %q in the class", req.Student)
			return
		}
		c.seat(st, a)
		c.bump()
		c.mu.Unlock()
		c.poke()
		if a >= 0 {
			c.refreshPanels([]int{a})
		}
	case "assign-rest":
		c.assignRest()
	case "kick":
		c.mu.Lock()
		st := c.studentByID(req.Student)
		if st == nil {
			c.mu.Unlock()
			bad(http.StatusNotFound, "no student %q in the class", req.Student)
			return
		}
		c.remove(st)
		c.bump()
		c.mu.Unlock()
		c.poke()
	case "knob":
		kr := knobRequest{Knob: req.Knob, Value: req.Value, Profile: req.Profile}
		if req.Knob == "seed" || req.Knob == "temperature" {
			bad(http.StatusBadRequest, "a class sets threats and retrenchment live (threat:NAME, political, military); the seed is set on restart")
			return
		}
		if msg := c.run.checkKnob(kr); msg != "" {
			bad(http.StatusBadRequest, "%s", msg)
			return
		}
		c.setKnob(kr)
	case "replay":
		speed := req.Speed
		if speed == 0 {
			speed = 2
		}
		if speed < 0.25 || speed > 20 {
			bad(http.StatusBadRequest, "speed must be between 0.25 and 20 steps per second, got %v", speed)
			return
		}
		c.mu.Lock()
		if req.From < 0 || req.From >= len(c.frames) {
			n := len(c.frames)
			c.mu.Unlock()
			bad(http.StatusBadRequest, "from must be a step between 0 and %d", n-1)
			return
		}
		c.replay = &replayState{Started: now, From: req.From, Speed: speed}
		c.bump()
		c.mu.Unlock()
	case "replay-stop":
		c.mu.Lock()
		c.replay = nil
		c.bump()
		c.mu.Unlock()
	case "close":
		s.mu.Lock()
		delete(s.classes, c.code)
		s.mu.Unlock()
		c.close()
	default:
		bad(http.StatusNotFound, "unknown teacher action %q (start, pause, resume, advance, end, restart, timer, auto, mode, assign, assign-rest, kick, knob, replay, replay-stop, close)", action)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *Class) studentByID(id string) *student {
	for _, st := range c.students {
		if st.ID == id {
			return st
		}
	}
	return nil
}

// assignRest gives every student without a state a free one, drawn with
// the class's seed (states in the system first).
func (c *Class) assignRest() {
	w := c.run.world()
	c.run.mu.Lock()
	var free []int
	for a := range w.Actors {
		if seatable(w, a) && c.run.s.InSystem(a) {
			free = append(free, a)
		}
	}
	seed := c.run.seed
	c.run.mu.Unlock()
	c.mu.Lock()
	free = slices.DeleteFunc(free, func(a int) bool { return c.seats[a] != nil })
	rng := rand.New(rand.NewPCG(seed, uint64(len(c.students))))
	rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	var seated []int
	for _, st := range c.students {
		if st.actor < 0 && len(free) > 0 {
			c.seat(st, free[0])
			seated = append(seated, free[0])
			free = free[1:]
		}
	}
	c.bump()
	c.mu.Unlock()
	c.poke()
	if len(seated) > 0 {
		c.refreshPanels(seated)
	}
}

// setKnob moves a threat or the retrenchment: at once between steps (the
// students' options are recomputed), after the step when one is running.
func (c *Class) setKnob(k knobRequest) {
	c.mu.Lock()
	if c.phase == phaseResolving {
		c.pending = append(c.pending, k)
		c.bump()
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	c.run.mu.Lock()
	if err := c.run.setKnob(k); err != nil {
		c.srv.opt.Logf("classroom: class %s: knob %s: %v", c.code, k.Knob, err)
	}
	c.publishStep()
	c.run.mu.Unlock()
	c.refreshPanels(nil)
}

// restart starts the run again at step 0, with the same students and
// states; the debrief of the run so far is dropped. It is refused while the
// class's goroutine resolves a round (the step, and the opening of the next
// round): at once when the loop is seen at it before the restart waits for
// the run, else once it has the run. The last check and the return to the
// lobby are made under both locks, before the reset, so that the loop cannot
// begin a step in between (the step would then run on the new run) nor open
// a round on the new run once the restart has put the class in the lobby.
func (c *Class) restart(seed *uint64) error {
	errBusy := fmt.Errorf("a step is running; restart when it is done")
	c.mu.Lock()
	busy := c.resolving || c.phase == phaseResolving
	c.mu.Unlock()
	if busy {
		return errBusy
	}
	if c.afterRestartCheck != nil {
		c.afterRestartCheck()
	}
	c.run.mu.Lock()
	c.mu.Lock()
	if c.resolving || c.phase == phaseResolving {
		// the round closed meanwhile: its step waits for the run
		c.mu.Unlock()
		c.run.mu.Unlock()
		return errBusy
	}
	c.phase = phaseLobby
	c.paused, c.advance, c.replay = false, false, nil
	clear(c.picks)
	clear(c.notes)
	c.bump()
	c.mu.Unlock()
	if seed != nil {
		c.run.seed = *seed
	}
	err := c.run.reset() // on an error the run is as it was
	if err == nil {
		c.resetResults()
		c.publishStep()
	}
	c.run.mu.Unlock()
	if err != nil {
		return err
	}
	c.refreshPanels(nil)
	return nil
}

// handleHistory returns the network at every step so far (for replay).
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request, c *Class) {
	c.mu.Lock()
	frames := slices.Clone(c.frames)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write([]byte(`{"frames":[`))
	for i, f := range frames {
		if i > 0 {
			_, _ = w.Write([]byte{','})
		}
		_, _ = w.Write(f)
	}
	_, _ = w.Write([]byte("]}\n"))
}

func (s *Server) handleClassActor(w http.ResponseWriter, r *http.Request, c *Class) {
	if !c.run.mu.TryLock() {
		writeError(w, http.StatusServiceUnavailable, "classroom: a step is running; ask again when it is done")
		return
	}
	d, err := c.run.actor(r.PathValue("actor"))
	c.run.mu.Unlock()
	if err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("classroom: unknown actor %q", r.PathValue("actor")))
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// SweepClasses closes the classes no one has been connected to for
// Options.ClassIdle, and returns how many it closed.
func (s *Server) SweepClasses() int {
	now := s.opt.Now()
	var idle []*Class
	s.mu.Lock()
	for code, c := range s.classes {
		c.mu.Lock()
		last := c.lastSeen
		if c.streams > 0 {
			last = now
		}
		c.mu.Unlock()
		if now.Sub(last) > s.opt.ClassIdle {
			delete(s.classes, code)
			idle = append(idle, c)
		}
	}
	s.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
	return len(idle)
}

// CloseClasses ends every class (the server is stopping).
func (s *Server) CloseClasses() {
	s.mu.Lock()
	cs := make([]*Class, 0, len(s.classes))
	for code, c := range s.classes {
		cs = append(cs, c)
		delete(s.classes, code)
	}
	s.mu.Unlock()
	for _, c := range cs {
		c.close()
	}
}

// Classes is the number of open classes.
func (s *Server) Classes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.classes)
}
