package classroom

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// A class is one shared run that a teacher leads and students join from
// their own devices, each steering a state. Every step is a round: the
// students see their state's situation and options, choose before the
// timer runs out (or get the model's choice), and answer when another
// state asks theirs to consent; the teacher moves the threats and the
// patron's retrenchment, pauses, advances and replays.
//
// Concurrency: mu guards the class's people, round and results; the run
// (run.mu, the session's lock) guards the simulation. A step holds run.mu
// for as long as it takes, which includes waiting for students' consents;
// it takes mu only briefly. The lock order is run.mu, then mu. The class's
// own goroutine (loop) opens, times and resolves rounds; handlers never
// step the run themselves.

type phase string

const (
	phaseLobby     phase = "lobby"     // students join and get their states
	phaseChoosing  phase = "choosing"  // a round is open
	phaseResolving phase = "resolving" // the step runs; consents may be asked
	phaseEnded     phase = "ended"     // the debrief
)

// Seat modes: who gives students their states.
const (
	modePick    = "pick"    // students pick from the free states
	modeTeacher = "teacher" // the teacher assigns them
)

type student struct {
	ID     string // public, short ("s3")
	token  string
	Name   string
	actor  int // -1: no state yet
	joined time.Time
	online int // open event streams
}

// pick is a student's choice for the open round.
type pick struct {
	key    string
	index  int
	text   string
	at     time.Time
	choice sim.Choice // as previewed
}

// consentReq is a question put to a student during a step: does your state
// consent to another's proposal?
type consentReq struct {
	ID       int
	actor    int // the student's state
	from     int // the proposing state
	proposal option
	model    verdict
	asked    time.Time
	deadline time.Time
	answer   chan bool
}

// Class is a shared run. Create it with Server.newClass.
type Class struct {
	srv     *Server
	code    string
	teacher string // the teacher's token
	created time.Time
	ctx     context.Context
	cancel  context.CancelFunc
	wake    chan struct{}
	done    chan struct{}

	run *session // the simulation; run.mu guards it

	mu sync.Mutex
	// settings
	mode  string
	timer time.Duration
	auto  bool // resolve a round as soon as every seated student has chosen
	// people
	students []*student
	byToken  map[string]*student
	seats    map[int]*student // actor index -> student
	nextID   int
	streams  int
	// the round
	phase       phase
	resolving   bool // the loop resolves a round: the step, then the next round's opening
	paused      bool
	pausedAt    time.Time
	deadline    time.Time
	left        time.Duration // time left when paused
	advance     bool          // the teacher asked to resolve now
	cutShort    bool          // pending consents take the model's verdict
	roundOpened time.Time
	consentBy   time.Time // the step's consent questions close by then
	picks       map[int]pick
	panels      map[int]*panel // per seated actor, for the open round
	consents    []*consentReq
	nextConsent int
	pending     []knobRequest // knobs set during a step, applied before the next
	notes       map[int]string
	replay      *replayState
	lastRound   time.Duration // how long the last resolution took (step and views)
	failures    int           // steps the engine failed and the model took alone
	waited      time.Duration // of the step being resolved: time spent waiting for students' consents
	lastWait    time.Duration // of the last step
	// results
	steps      int // the run's length: the scenario's steps, capped by MaxRounds
	timeline   []decisionRec
	consentLog []consentRec
	frames     []json.RawMessage // the network at every step, for replay
	start      []actorOutcome    // every actor at step 0
	// publishing
	version  uint64
	changed  chan struct{}
	stepJSON []byte    // the projector's view of the current step (publishStep)
	lastSeen time.Time // when the last event stream closed

	afterRestartCheck func() // tests: called by restart between its check of the phase and its taking the run
}

type replayState struct {
	Started time.Time `json:"-"`
	From    int       `json:"from"`
	Speed   float64   `json:"speed"` // steps per second
	Since   int64     `json:"sinceMs"`
}

// classSettings are what the teacher chooses when starting a class.
type classSettings struct {
	Mode  string `json:"mode"`  // pick (default) or teacher
	Timer int    `json:"timer"` // seconds per round (default 60)
	Auto  *bool  `json:"auto"`  // resolve when everyone has chosen (default true)
}

const (
	minTimer     = 5
	maxTimer     = 600
	defaultTimer = 60
	maxNameRunes = 24
	minConsent   = 10 * time.Second // the least time a student gets to answer a consent question
)

func (cs *classSettings) check() error {
	switch cs.Mode {
	case "":
		cs.Mode = modePick
	case modePick, modeTeacher:
	default:
		return fmt.Errorf("mode must be %q (students pick a free state) or %q (the teacher assigns), got %q", modePick, modeTeacher, cs.Mode)
	}
	if cs.Timer == 0 {
		cs.Timer = defaultTimer
	}
	if cs.Timer < minTimer || cs.Timer > maxTimer {
		return fmt.Errorf("timer must be between %d and %d seconds, got %d", minTimer, maxTimer, cs.Timer)
	}
	return nil
}

// newClass starts a class on a loaded scenario. The caller holds no lock.
func (s *Server) newClass(sc *scenarios.Scenario, builtin bool, seed uint64, set classSettings) (*Class, error) {
	if err := set.check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Class{
		srv: s, teacher: newToken(), created: s.opt.Now(), ctx: ctx, cancel: cancel,
		wake: make(chan struct{}, 1), done: make(chan struct{}),
		run:  &session{id: "class"},
		mode: set.Mode, timer: time.Duration(set.Timer) * time.Second, auto: set.Auto == nil || *set.Auto,
		byToken: map[string]*student{}, seats: map[int]*student{},
		phase: phaseLobby, picks: map[int]pick{}, panels: map[int]*panel{}, notes: map[int]string{},
		changed: make(chan struct{}), lastSeen: s.opt.Now(),
	}
	c.run.onNew = c.install
	if err := c.run.load(sc, builtin, seed); err != nil {
		cancel()
		return nil, err
	}
	c.resetResults()
	c.publishStep()
	s.mu.Lock()
	if len(s.classes) >= s.opt.MaxClasses {
		s.mu.Unlock()
		cancel()
		return nil, errTooManyClasses
	}
	for {
		c.code = newCode()
		if s.classes[c.code] == nil {
			break
		}
	}
	s.classes[c.code] = c
	s.mu.Unlock()
	go c.loop()
	return c, nil
}

var errTooManyClasses = fmt.Errorf("too many classes")

// resetResults starts the record of a run at its step 0. The caller holds
// run.mu (or is the only one to know the class).
func (c *Class) resetResults() {
	r := c.run
	frame, _ := json.Marshal(buildNetwork(r.s))
	out := outcomes(r.s)
	c.mu.Lock()
	c.steps = min(r.sc.Steps, c.srv.opt.MaxRounds) // status reads it under mu only
	c.timeline, c.consentLog = nil, nil
	c.frames = []json.RawMessage{frame}
	c.start = out
	c.mu.Unlock()
}

// close ends the class's goroutine and any step waiting for a student.
func (c *Class) close() {
	c.mu.Lock()
	c.cutShort = true
	c.mu.Unlock()
	c.cancel()
	<-c.done
}

// bump publishes a change: every event stream wakes up. The caller holds mu.
func (c *Class) bump() {
	c.version++
	close(c.changed)
	c.changed = make(chan struct{})
}

// poke wakes the class's goroutine.
func (c *Class) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// loop opens, times and resolves rounds until the class is closed.
func (c *Class) loop() {
	defer close(c.done)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		c.mu.Lock()
		wait := time.Duration(-1)
		if c.phase == phaseChoosing && !c.paused {
			now := c.srv.opt.Now()
			if c.advance || !now.Before(c.deadline) || c.auto && c.allChosen() {
				c.phase, c.resolving = phaseResolving, true
				c.advance, c.cutShort = false, false
				c.consentBy = now.Add(c.timer)
				c.bump()
				c.mu.Unlock()
				c.resolve()
				c.mu.Lock()
				c.resolving = false
				c.mu.Unlock()
				continue
			}
			wait = c.deadline.Sub(now)
		}
		c.mu.Unlock()
		var tc <-chan time.Time
		if wait >= 0 {
			t.Reset(wait)
			tc = t.C
		}
		select {
		case <-c.ctx.Done():
			return
		case <-c.wake:
		case <-tc:
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
	}
}

// allChosen reports whether every seated student whose state is in the
// system has chosen (and someone is seated). The caller holds mu.
func (c *Class) allChosen() bool {
	n := 0
	for a, st := range c.seats {
		if st == nil || !c.panelOpen(a) {
			continue
		}
		if _, ok := c.picks[a]; !ok {
			return false
		}
		n++
	}
	return n > 0
}

// panelOpen reports whether actor a has options this round.
func (c *Class) panelOpen(a int) bool {
	p := c.panels[a]
	return p != nil && len(p.Options) > 0
}

// openRound starts the round for the run's current step: options for every
// seated state, the timer. The caller holds neither lock.
func (c *Class) openRound() {
	c.refreshPanels(nil)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.phase == phaseEnded {
		return
	}
	c.phase = phaseChoosing
	c.roundOpened = c.srv.opt.Now()
	c.deadline = c.roundOpened.Add(c.timer)
	if c.paused {
		c.left = c.timer
		c.pausedAt = c.roundOpened
	}
	c.bump()
	c.poke()
}

// refreshPanels recomputes the panels (situation and options) of the given
// seated actors, or of all of them (nil). It takes run.mu, then mu.
func (c *Class) refreshPanels(actors []int) {
	c.run.mu.Lock()
	defer c.run.mu.Unlock()
	c.mu.Lock()
	if actors == nil {
		for a := range c.seats {
			actors = append(actors, a)
		}
	}
	c.mu.Unlock()
	slices.Sort(actors)
	built := make(map[int]*panel, len(actors))
	for _, a := range actors {
		built[a] = c.buildPanel(a)
	}
	c.mu.Lock()
	for a, p := range built {
		if c.seats[a] != nil {
			c.panels[a] = p
			// a pick that no longer matches an option is dropped
			if pk, ok := c.picks[a]; ok && !slices.ContainsFunc(p.Options, func(o option) bool { return o.key == pk.key }) {
				delete(c.picks, a)
				c.notes[a] = "the options changed; choose again"
			}
		}
	}
	c.bump()
	c.mu.Unlock()
}

// resolve runs the step of the open round. Called by loop only.
func (c *Class) resolve() {
	r := c.run
	r.mu.Lock()
	c.mu.Lock()
	knobs := c.pending
	c.pending = nil
	clear(c.notes)
	c.waited = 0
	c.mu.Unlock()
	for _, k := range knobs {
		if err := r.setKnob(k); err != nil {
			c.srv.opt.Logf("classroom: class %s: knob %s: %v", c.code, k.Knob, err)
		}
	}
	t0 := time.Now()
	if err := r.stepGuarded(); err != nil {
		// The engine failed inside the step, most likely while asking a
		// student; the run is as it was before the step. Take the step
		// again on the model alone, and say so.
		c.srv.opt.Logf("classroom: class %s: the engine failed in step %d; the step is taken again on the model alone: %v", c.code, r.s.T()+1, err)
		r.s.SetController(nil)
		r.s.SetRecorder(nil)
		r.step(1)
		c.install(r.s)
		c.mu.Lock()
		c.consents = nil
		for a := range c.seats {
			c.notes[a] = "the engine failed while asking the students in this step; the model chose for everyone (a bug to report)"
		}
		c.failures++
		c.mu.Unlock()
	}
	frame, _ := json.Marshal(buildNetwork(r.s))
	t := r.s.T()
	c.mu.Lock()
	c.frames = append(c.frames, frame)
	c.mu.Unlock()
	c.publishStep()
	elapsed := time.Since(t0)
	r.mu.Unlock()

	c.mu.Lock()
	c.lastRound = elapsed
	c.lastWait = c.waited
	clear(c.picks)
	c.consents = nil
	ended := t >= c.steps || c.phase == phaseEnded
	if ended {
		c.phase = phaseEnded
	}
	c.bump()
	c.mu.Unlock()
	if !ended {
		c.openRound()
		c.mu.Lock()
		c.lastRound = time.Since(t0) // the step, the views and the students' options
		c.mu.Unlock()
	}
}

// ---- the controller side: called from inside a step (run.mu held) ----

// controls reports whether a student steers actor a.
func (c *Class) controls(a int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seats[a] != nil
}

// decide returns the student's pick for actor a among the options the step
// offers, or false (take the model's choice) when the student did not
// choose or the option chosen is no longer open.
func (c *Class) decide(a int, keys []string) (int, *sim.Choice, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seats[a] == nil {
		return 0, nil, false
	}
	p, ok := c.picks[a]
	if !ok {
		c.notes[a] = "no choice in time: the model chose"
		return 0, nil, false
	}
	for k := range keys {
		if keys[k] == p.key {
			c.notes[a] = "your choice was taken"
			return k, nil, true
		}
	}
	c.notes[a] = "what you chose was no longer possible when your turn came: the model chose"
	ch := p.choice
	return 0, &ch, false
}

// consent asks the student steering actor a whether it consents to
// proposal, and waits for the answer up to the round timer (stopped while
// the class is paused); no answer, the teacher's advance or the class's end
// give the model's verdict.
func (c *Class) consent(a, from int, proposal option, model verdict) bool {
	c.mu.Lock()
	if c.seats[a] == nil || c.cutShort {
		c.mu.Unlock()
		return model.Accepted
	}
	now := c.srv.opt.Now()
	c.nextConsent++
	// The questions of a step share one round's time (at least
	// minConsent each), so that a step cannot take much longer than a round.
	deadline := c.consentBy
	if c.paused {
		deadline = deadline.Add(now.Sub(c.pausedAt))
	}
	if least := now.Add(minConsent); deadline.Before(least) {
		deadline = least
	}
	if most := now.Add(c.timer); deadline.After(most) {
		deadline = most
	}
	req := &consentReq{ID: c.nextConsent, actor: a, from: from, proposal: proposal, model: model,
		asked: now, deadline: deadline, answer: make(chan bool, 1)}
	c.consents = append(c.consents, req)
	st := c.seats[a]
	c.bump()
	c.mu.Unlock()

	answer, answered := model.Accepted, false
	t := time.NewTimer(time.Hour)
	defer t.Stop()
wait:
	for {
		c.mu.Lock()
		ch, paused, cut := c.changed, c.paused, c.cutShort
		left := req.deadline.Sub(c.srv.opt.Now())
		c.mu.Unlock()
		if cut || !paused && left <= 0 {
			break
		}
		var tc <-chan time.Time
		if !paused {
			t.Reset(left)
			tc = t.C
		}
		select {
		case v := <-req.answer:
			answer, answered = v, true
			break wait
		case <-ch:
		case <-tc:
		case <-c.ctx.Done():
			break wait
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
	}
	c.mu.Lock()
	c.waited += c.srv.opt.Now().Sub(req.asked)
	c.consents = slices.DeleteFunc(c.consents, func(q *consentReq) bool { return q == req })
	c.consentLog = append(c.consentLog, consentRec{Step: c.run.s.T(), Student: st.Name, Actor: c.actorID(a), From: c.actorID(from),
		Proposal: proposal.Text, Answered: answered, Accepted: answer, Model: model.Accepted,
		WaitedMs: c.srv.opt.Now().Sub(req.asked).Milliseconds()})
	c.bump()
	c.mu.Unlock()
	return answer
}

// record keeps a seated actor's decision for the debrief. The caller holds
// run.mu; record takes mu.
func (c *Class) record(d decisionRec) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.seats[d.actor]
	if st == nil {
		return
	}
	d.Student = st.Name
	d.Note = c.notes[d.actor]
	if d.External {
		d.Note = "your choice was taken"
	}
	c.timeline = append(c.timeline, d)
}

func (c *Class) actorID(a int) string {
	w := c.run.s.World()
	if a < 0 || a >= len(w.Actors) {
		return ""
	}
	return w.Actors[a].ID
}

// ---- people ----

var errNameTaken = fmt.Errorf("name taken")

// cleanName checks a student's name: 1 to 24 letters, digits, spaces and
// punctuation, no control or format characters.
func cleanName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", fmt.Errorf("type your name (1 to %d characters)", maxNameRunes)
	}
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("the name is not valid text")
	}
	if n := utf8.RuneCountInString(s); n > maxNameRunes {
		return "", fmt.Errorf("the name is %d characters long; use at most %d", n, maxNameRunes)
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == ' ' || strings.ContainsRune(".,'’-_()&!?", r)) {
			return "", fmt.Errorf("the name may hold letters, digits, spaces and .,'-_()&!? only, not %q", r)
		}
	}
	return s, nil
}

// join adds a student. The caller holds mu.
func (c *Class) join(name string) (*student, error) {
	for _, st := range c.students {
		if strings.EqualFold(st.Name, name) {
			return nil, errNameTaken
		}
	}
	c.nextID++
	st := &student{ID: fmt.Sprintf("s%d", c.nextID), token: newToken(), Name: name, actor: -1, joined: c.srv.opt.Now()}
	c.students = append(c.students, st)
	c.byToken[st.token] = st
	return st, nil
}

// seat gives actor a (or, a < 0, no state) to st. The caller holds mu.
func (c *Class) seat(st *student, a int) {
	if st.actor >= 0 {
		delete(c.seats, st.actor)
		delete(c.picks, st.actor)
		delete(c.panels, st.actor)
	}
	st.actor = a
	if a >= 0 {
		if old := c.seats[a]; old != nil {
			old.actor = -1
		}
		c.seats[a] = st
	}
}

// remove takes a student out of the class. The caller holds mu.
func (c *Class) remove(st *student) {
	c.seat(st, -1)
	delete(c.byToken, st.token)
	c.students = slices.DeleteFunc(c.students, func(x *student) bool { return x == st })
}

// seatable reports whether actor a can be given to a student: a state
// (organisations and groups follow the model).
func seatable(w *sim.World, a int) bool {
	return a >= 0 && a < len(w.Actors) && w.Actors[a].Kind == sim.State
}
