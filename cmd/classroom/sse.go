package classroom

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// Live updates are pushed as server-sent events. Every change to a class
// closes its changed channel; each open stream then builds what its
// audience sees and writes the events whose data changed:
//
//	status  the round: phase, step, time left, who has chosen (all)
//	step    the network, knobs, metric series and events (projector, teacher)
//	me      the student's own state: situation, options, pick, consent questions
//
// A slow client skips versions instead of queueing them.

const (
	pingEvery    = 15 * time.Second
	writeTimeout = 10 * time.Second
)

type studentView struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Actor  string `json:"actor,omitempty"`
	Label  string `json:"label,omitempty"`
	Chosen bool   `json:"chosen"`
	Online bool   `json:"online"`
}

type waitView struct {
	Student string `json:"student"`
	Actor   string `json:"actor"`
	From    string `json:"from"`
	LeftMs  int64  `json:"leftMs"`
}

type classStatus struct {
	Code        string        `json:"code"`
	Phase       phase         `json:"phase"`
	Step        int           `json:"step"`
	Steps       int           `json:"steps"`
	Paused      bool          `json:"paused"`
	Timer       int           `json:"timer"`
	LeftMs      int64         `json:"leftMs"`
	Auto        bool          `json:"auto"`
	Mode        string        `json:"mode"`
	Chosen      int           `json:"chosen"`
	Seated      int           `json:"seated"`
	Joined      int           `json:"joined"`
	Students    []studentView `json:"students,omitempty"`
	Waiting     []waitView    `json:"waiting"`
	Replay      *replayState  `json:"replay"`
	LastRoundMs float64       `json:"lastRoundMs"` // the last step's resolution: the step, the views, the options
	LastWaitMs  float64       `json:"lastWaitMs"`  // of which waiting for students' consents
	Failures    int           `json:"failures"`    // steps the engine failed in and the model took alone
	Version     uint64        `json:"version"`
}

type freeState struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Region string `json:"region"`
}

type askView struct {
	ID       int     `json:"id"`
	From     string  `json:"from"`
	Proposal string  `json:"proposal"`
	Yours    verdict `json:"yours"` // the model's view of the proposal for your state
	LeftMs   int64   `json:"leftMs"`
}

type meView struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Seat     json.RawMessage `json:"seat"` // the panel, or null without a state
	Free     []freeState     `json:"free"`
	Picked   *int            `json:"picked"`
	PickText string          `json:"pickText,omitempty"`
	Note     string          `json:"note,omitempty"`
	Asks     []askView       `json:"asks"`
	Last     *decisionRec    `json:"last"`
	Answers  []consentRec    `json:"answers"` // consents this student gave, newest first (at most 5)
}

// stepView is what the projector draws for a step.
type stepView struct {
	Step     int             `json:"step"`
	Scenario scenarioInfo    `json:"scenario"`
	Seed     uint64          `json:"seed"`
	Network  json.RawMessage `json:"network"`
	Knobs    knobState       `json:"knobs"`
	Metrics  []string        `json:"metrics"`
	Series   []point         `json:"series"`
	Events   []logEntry      `json:"events"`
	Terms    []string        `json:"terms"`
}

// publishStep rebuilds what the projector draws. The caller holds run.mu.
func (c *Class) publishStep() {
	r := c.run
	c.mu.Lock()
	frame := c.frames[len(c.frames)-1]
	c.mu.Unlock()
	ev := r.log[max(0, len(r.log)-maxEventsPerReply):]
	v := stepView{Step: r.s.T(), Scenario: r.info(), Seed: r.seed, Network: frame, Knobs: r.knobState(), Metrics: r.names,
		Series: r.series, Events: ev, Terms: termNames()}
	if v.Events == nil {
		v.Events = []logEntry{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		c.srv.opt.Logf("classroom: class %s: %v", c.code, err)
		return
	}
	c.mu.Lock()
	c.stepJSON = b
	c.bump()
	c.mu.Unlock()
}

// status builds the round's status; students get it without the class
// list. The caller holds mu.
func (c *Class) status(full bool) classStatus {
	now := c.srv.opt.Now()
	st := classStatus{Code: c.code, Phase: c.phase, Step: len(c.frames) - 1, Steps: c.steps, Paused: c.paused,
		Timer: int(c.timer / time.Second), Auto: c.auto, Mode: c.mode, Joined: len(c.students),
		Waiting: []waitView{}, Replay: c.replay, LastRoundMs: float64(c.lastRound.Microseconds()) / 1000, LastWaitMs: float64(c.lastWait.Microseconds()) / 1000, Failures: c.failures, Version: c.version}
	if c.phase == phaseChoosing {
		if c.paused {
			st.LeftMs = c.left.Milliseconds()
		} else {
			st.LeftMs = max(0, c.deadline.Sub(now).Milliseconds())
		}
	}
	if st.Replay != nil {
		r := *st.Replay
		r.Since = now.Sub(r.Started).Milliseconds()
		st.Replay = &r
	}
	w := c.run.world()
	for a, s := range c.seats {
		if s == nil {
			continue
		}
		st.Seated++
		if _, ok := c.picks[a]; ok {
			st.Chosen++
		}
	}
	for _, q := range c.consents {
		who := ""
		if s := c.seats[q.actor]; s != nil {
			who = s.Name
		}
		left := q.deadline.Sub(now)
		if c.paused {
			left = q.deadline.Sub(c.pausedAt)
		}
		st.Waiting = append(st.Waiting, waitView{Student: who, Actor: w.Actors[q.actor].ID, From: w.Actors[q.from].ID, LeftMs: max(0, left.Milliseconds())})
	}
	if full {
		st.Students = []studentView{}
		for _, s := range c.students {
			v := studentView{ID: s.ID, Name: s.Name, Online: s.online > 0}
			if s.actor >= 0 {
				v.Actor, v.Label = w.Actors[s.actor].ID, actorName(w, s.actor)
				_, v.Chosen = c.picks[s.actor]
			}
			st.Students = append(st.Students, v)
		}
	}
	return st
}

// me builds a student's view. The caller holds mu.
func (c *Class) me(s *student) meView {
	now := c.srv.opt.Now()
	v := meView{ID: s.ID, Name: s.Name, Seat: json.RawMessage("null"), Free: []freeState{}, Asks: []askView{}, Answers: []consentRec{}}
	w := c.run.world()
	if s.actor < 0 {
		if c.mode == modePick {
			for a := range w.Actors {
				if seatable(w, a) && c.seats[a] == nil {
					v.Free = append(v.Free, freeState{ID: w.Actors[a].ID, Label: actorName(w, a), Region: w.Actors[a].Region})
				}
			}
			slices.SortFunc(v.Free, func(x, y freeState) int { return cmpString(x.Label, y.Label) })
		}
		return v
	}
	if p := c.panels[s.actor]; p != nil && p.raw != nil {
		v.Seat = p.raw
	}
	if pk, ok := c.picks[s.actor]; ok {
		k := pk.index
		v.Picked, v.PickText = &k, pk.text
	}
	v.Note = c.notes[s.actor]
	for _, q := range c.consents {
		if q.actor != s.actor {
			continue
		}
		left := q.deadline.Sub(now)
		if c.paused {
			left = q.deadline.Sub(c.pausedAt)
		}
		v.Asks = append(v.Asks, askView{ID: q.ID, From: actorName(w, q.from), Proposal: q.proposal.Text, Yours: q.model, LeftMs: max(0, left.Milliseconds())})
	}
	id := w.Actors[s.actor].ID
	for i := len(c.timeline) - 1; i >= 0; i-- {
		if d := c.timeline[i]; d.Actor == id && d.Student == s.Name {
			v.Last = &d
			break
		}
	}
	for i := len(c.consentLog) - 1; i >= 0 && len(v.Answers) < 5; i-- {
		if r := c.consentLog[i]; r.Student == s.Name {
			v.Answers = append(v.Answers, r)
		}
	}
	return v
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// handleEvents streams a class to a projector (no token), the teacher
// (the teacher's token) or a student (the student's token).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request, c *Class) {
	tok := tokenOf(r)
	var st *student
	teacher := false
	c.mu.Lock()
	switch {
	case tok == "":
	case sameToken(tok, c.teacher):
		teacher = true
	default:
		st = c.byToken[tok]
		if st == nil {
			c.mu.Unlock()
			writeError(w, http.StatusForbidden, "classroom: this device is not in the class (or was removed); join again at /join")
			return
		}
	}
	if c.streams >= s.opt.ClassSize+10 {
		c.mu.Unlock()
		writeError(w, http.StatusTooManyRequests, "classroom: too many open views of this class")
		return
	}
	c.streams++
	if st != nil {
		st.online++
	}
	c.bump()
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.streams--
		if st != nil {
			st.online--
		}
		c.lastSeen = s.opt.Now()
		c.bump()
		c.mu.Unlock()
	}()

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	role := "projector"
	if teacher {
		role = "teacher"
	} else if st != nil {
		role = "student"
	}
	last := map[string][]byte{}
	var buf bytes.Buffer
	write := func(name string, data []byte) {
		buf.WriteString("event: ")
		buf.WriteString(name)
		buf.WriteString("\ndata: ")
		buf.Write(data)
		buf.WriteString("\n\n")
	}
	hello, _ := json.Marshal(map[string]string{"role": role, "code": c.code})
	write("hello", hello)
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		c.mu.Lock()
		changed := c.changed
		var evs [3]struct {
			name string
			data []byte
		}
		n := 0
		status, _ := json.Marshal(c.status(st == nil))
		evs[n].name, evs[n].data = "status", status
		n++
		if st == nil {
			evs[n].name, evs[n].data = "step", c.stepJSON
			n++
		} else if c.byToken[tok] == st {
			me, _ := json.Marshal(c.me(st))
			evs[n].name, evs[n].data = "me", me
			n++
		} else {
			c.mu.Unlock()
			write("removed", []byte(`{"reason":"the teacher removed you from the class, or you left"}`))
			_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
			_, _ = w.Write(buf.Bytes())
			_ = rc.Flush()
			return
		}
		c.mu.Unlock()
		for _, e := range evs[:n] {
			if e.data == nil || bytes.Equal(last[e.name], e.data) {
				continue
			}
			write(e.name, e.data)
			last[e.name] = e.data
		}
		if buf.Len() > 0 {
			_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
			if _, err := w.Write(buf.Bytes()); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			buf.Reset()
		}
		select {
		case <-changed:
		case <-ping.C:
			buf.WriteString(": ping\n\n")
		case <-r.Context().Done():
			return
		case <-c.ctx.Done():
			write("closed", []byte(`{"reason":"the class has ended"}`))
			_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
			_, _ = w.Write(buf.Bytes())
			_ = rc.Flush()
			return
		}
	}
}
