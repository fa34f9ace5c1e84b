package classroom

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// maxLog is how many events a session keeps for the log and the actor panel.
const maxLog = 2000

// maxEventsPerReply bounds the events one reply carries (the newest win).
const maxEventsPerReply = 300

// session is one browser tab's run. Every field below mu is guarded by it;
// lastUsed is read by the janitor without the lock.
type session struct {
	id       string
	lastUsed atomic.Int64 // unix nanoseconds of the last request

	mu      sync.Mutex
	sc      *scenarios.Scenario
	builtin bool
	s       *sim.Sim
	obs     *metrics.Observer
	names   []string // metrics recorded, in Observe order
	series  []point  // one per step taken, from step 0
	log     []logEntry
	seed    uint64
	knobs   knobs
	buf     []metrics.Value
	onNew   func(*sim.Sim) // called on every new run (a class installs its controller)
}

// knobs are the live settings of a session: NaN means "follow the scenario's
// profile". They survive a reset and are cleared by loading a scenario.
type knobs struct {
	threats             []float64
	political, military float64
	temperature         float64
}

type point struct {
	Step   int       `json:"step"`
	Values []float64 `json:"values"`
}

type logEntry struct {
	Step  int    `json:"step"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Actor string `json:"actor,omitempty"`
	Other string `json:"other,omitempty"`
}

// chartMetrics are the network-level metrics a session records: the cheap
// ones (costly metrics would slow a step down several times at 60 actors).
func chartMetrics() []string {
	var out []string
	for _, sp := range metrics.Catalog() {
		if !sp.PerActor && !sp.Costly {
			out = append(out, sp.Name)
		}
	}
	return out
}

// load replaces the session's scenario and starts a fresh run at step 0
// with the scenario's own profiles (knobs cleared).
func (ss *session) load(sc *scenarios.Scenario, builtin bool, seed uint64) error {
	obs, err := metrics.NewObserver(sc.World, metrics.Options{Metrics: chartMetrics(), Seed: seed})
	if err != nil {
		return fmt.Errorf("classroom: %w", err)
	}
	k := knobs{threats: make([]float64, len(sc.World.Threats)), political: math.NaN(), military: math.NaN(),
		temperature: sc.Params.Temperature}
	for i := range k.threats {
		k.threats[i] = math.NaN()
	}
	ss.sc, ss.builtin, ss.obs, ss.names, ss.seed, ss.knobs = sc, builtin, obs, obs.Metrics(), seed, k
	return ss.reset()
}

// reset starts the run again from step 0 with the session's seed, keeping
// the knobs the class has set.
func (ss *session) reset() error {
	p := ss.sc.Params
	p.Temperature = ss.knobs.temperature
	s, err := sim.New(ss.sc.World, p, sim.RunSeed(ss.seed, ss.sc.Name, 0, 0))
	if err != nil {
		return fmt.Errorf("classroom: %w", err)
	}
	for k, v := range ss.knobs.threats {
		if err := s.SetIntensity(k, v); err != nil {
			return fmt.Errorf("classroom: %w", err)
		}
	}
	if err := s.SetRetrenchment(ss.knobs.political, ss.knobs.military); err != nil {
		return fmt.Errorf("classroom: %w", err)
	}
	ss.s = s
	if ss.onNew != nil {
		ss.onNew(s)
	}
	ss.series = ss.series[:0]
	ss.log = ss.log[:0]
	ss.observe()
	return nil
}

// observe records the metrics of the current step.
func (ss *session) observe() {
	ss.buf = ss.obs.Observe(ss.s, ss.buf[:0])
	vals := make([]float64, len(ss.buf))
	for i, v := range ss.buf {
		vals[i] = v.Value
	}
	ss.series = append(ss.series, point{Step: ss.s.T(), Values: vals})
}

// step advances the run n steps, recording metrics and events.
func (ss *session) step(n int) {
	w := ss.s.World()
	for range n {
		ss.s.Step()
		for _, e := range ss.s.Events() {
			le := logEntry{Step: e.Step, Kind: e.Kind.String(), Text: ss.s.Describe(e)}
			if e.Actor >= 0 && e.Actor < len(w.Actors) {
				le.Actor = w.Actors[e.Actor].ID
			}
			switch {
			case e.OtherIsThreat():
				if e.Other < len(w.Threats) {
					le.Other = w.Threats[e.Other].Name
				}
			case e.Other >= 0 && e.Other < len(w.Actors):
				le.Other = w.Actors[e.Other].ID
			}
			ss.log = append(ss.log, le)
		}
		if over := len(ss.log) - maxLog; over > 0 {
			ss.log = append(ss.log[:0], ss.log[over:]...)
		}
		ss.observe()
	}
}

// stepGuarded takes one step; should the engine panic (a bug, or a
// controller's), it puts the run back as it was before the step and
// returns the panic with its stack.
func (ss *session) stepGuarded() (err error) {
	backup := ss.s.Clone()
	defer func() {
		if v := recover(); v != nil {
			ss.s = backup
			err = fmt.Errorf("%v\n%s", v, debug.Stack())
		}
	}()
	ss.step(1)
	return nil
}

// setKnob applies one knob live (from the next step on).
func (ss *session) setKnob(req knobRequest) error {
	switch {
	case req.Knob == "political" || req.Knob == "military":
		v := math.NaN()
		if !req.Profile {
			v = *req.Value
		}
		pol, mil := ss.knobs.political, ss.knobs.military
		if req.Knob == "political" {
			pol = v
		} else {
			mil = v
		}
		if err := ss.s.SetRetrenchment(pol, mil); err != nil {
			return err
		}
		ss.knobs.political, ss.knobs.military = pol, mil
	case req.Knob == "temperature":
		p := ss.s.Params()
		p.Temperature = *req.Value
		if err := ss.s.SetParams(p); err != nil {
			return err
		}
		ss.knobs.temperature = *req.Value
	case req.Knob == "seed":
		ss.seed = uint64(*req.Value)
	default: // "threat:NAME", checked by the handler
		k := ss.threatIndex(req.Knob[len("threat:"):])
		v := math.NaN()
		if !req.Profile {
			v = *req.Value
		}
		if err := ss.s.SetIntensity(k, v); err != nil {
			return err
		}
		ss.knobs.threats[k] = v
	}
	return nil
}

func (ss *session) threatIndex(name string) int {
	for k := range ss.sc.World.Threats {
		if ss.sc.World.Threats[k].Name == name {
			return k
		}
	}
	return -1
}

// State is what the page draws: the scenario, the knobs, the network now,
// and the metric series and events (all of them, or those after a step).
type State struct {
	Session  string       `json:"session"`
	Scenario scenarioInfo `json:"scenario"`
	Step     int          `json:"step"`
	MaxSteps int          `json:"maxSteps"`
	Seed     uint64       `json:"seed"`
	Knobs    knobState    `json:"knobs"`
	Network  network      `json:"network"`
	Metrics  []string     `json:"metrics"`
	Full     bool         `json:"full"` // series and events are complete (else: only those after the previous step)
	Series   []point      `json:"series"`
	Events   []logEntry   `json:"events"`
}

type scenarioInfo struct {
	Name        string `json:"name"`
	File        string `json:"file"`
	Description string `json:"description"`
	Steps       int    `json:"steps"`
	Actors      int    `json:"actors"`
	Builtin     bool   `json:"builtin"`
}

type knobState struct {
	Threats     []threatKnob `json:"threats"`
	Political   profileKnob  `json:"political"`
	Military    profileKnob  `json:"military"`
	Temperature float64      `json:"temperature"`
}

type threatKnob struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	profileKnob
}

// profileKnob is a value this step and whether the class has set it (else
// it follows the scenario's profile).
type profileKnob struct {
	Value float64 `json:"value"`
	Set   bool    `json:"set"`
}

type network struct {
	Nodes  []node  `json:"nodes"`
	Edges  []edge  `json:"edges"`
	Groups []group `json:"groups"` // minilaterals and coalitions
	Orgs   []group `json:"orgs"`   // organisations and informal groups with their members now
}

type group struct {
	ID      int      `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`            // minilateral or coalition
	Issue   string   `json:"issue,omitempty"` // minilaterals
	Threat  string   `json:"threat,omitempty"`
	Level   int      `json:"level"`
	Members []string `json:"members"`
}

type node struct {
	ID          string  `json:"id"`
	Label       string  `json:"label"`
	Kind        string  `json:"kind"`
	Region      string  `json:"region"`
	Capability  float64 `json:"capability"`
	Threat      float64 `json:"threat"`
	Reliability float64 `json:"reliability"`
	Patron      bool    `json:"patron,omitempty"`
	Bloc        string  `json:"bloc,omitempty"`   // id of the bloc's most capable actor; empty when in no alliance
	Absent      bool    `json:"absent,omitempty"` // not yet in the system (the actor enters later)
}

type edge struct {
	A       string  `json:"a"`
	B       string  `json:"b"`
	Form    string  `json:"form"`
	Level   int     `json:"level"` // 1 nominal .. 4 advanced
	Donor   string  `json:"donor,omitempty"`
	Support float64 `json:"support,omitempty"`
}

// world is the scenario's world (fixed for the session's scenario: read
// the run's dynamic state through the Sim).
func (ss *session) world() *sim.World { return ss.sc.World }

// info describes the scenario. The caller holds mu.
func (ss *session) info() scenarioInfo {
	return scenarioInfo{Name: ss.sc.Name, File: ss.sc.File, Description: ss.sc.Description,
		Steps: ss.sc.Steps, Actors: len(ss.sc.World.Actors), Builtin: ss.builtin}
}

// knobState reports the knobs: this step's values, or what the class set
// (a knob set this step acts from the next one). The caller holds mu.
func (ss *session) knobState() knobState {
	s, w := ss.s, ss.s.World()
	var ks knobState
	for k := range w.Threats {
		ks.Threats = append(ks.Threats, threatKnob{Name: w.Threats[k].Name, Kind: w.Threats[k].Kind,
			profileKnob: profileKnob{Value: s.Intensity(k), Set: !math.IsNaN(ss.knobs.threats[k])}})
	}
	pol, mil := s.Retrenchment()
	ks.Political = profileKnob{Value: pol, Set: !math.IsNaN(ss.knobs.political)}
	ks.Military = profileKnob{Value: mil, Set: !math.IsNaN(ss.knobs.military)}
	ks.Temperature = ss.knobs.temperature
	for k := range ks.Threats {
		if v := ss.knobs.threats[k]; !math.IsNaN(v) {
			ks.Threats[k].Value = v
		}
	}
	if !math.IsNaN(ss.knobs.political) {
		ks.Political.Value = ss.knobs.political
	}
	if !math.IsNaN(ss.knobs.military) {
		ks.Military.Value = ss.knobs.military
	}
	return ks
}

// state builds the reply; since < 0 gives the full series and recent events,
// otherwise only what happened after step since.
func (ss *session) state(since, maxSteps int) *State {
	s := ss.s
	st := &State{
		Session: ss.id, Step: s.T(), MaxSteps: maxSteps, Seed: ss.seed, Metrics: ss.names, Full: since < 0,
		Scenario: ss.info(), Knobs: ss.knobState(),
	}
	st.Network = buildNetwork(s)
	i := 0
	if since >= 0 {
		i, _ = slices.BinarySearchFunc(ss.series, since+1, func(p point, t int) int { return cmp.Compare(p.Step, t) })
	}
	st.Series = ss.series[i:]
	j := 0
	if since >= 0 {
		for j = len(ss.log); j > 0 && ss.log[j-1].Step > since; j-- {
		}
	}
	st.Events = ss.log[max(j, len(ss.log)-maxEventsPerReply):]
	if st.Events == nil {
		st.Events = []logEntry{}
	}
	if st.Series == nil {
		st.Series = []point{}
	}
	return st
}

// buildNetwork turns the run's state into the drawing's nodes, edges and
// groups.
func buildNetwork(s *sim.Sim) network {
	snap := results.SnapshotOf(s)
	net := network{Groups: make([]group, len(snap.Groups)), Nodes: make([]node, len(snap.Nodes)), Edges: make([]edge, len(snap.Edges))}
	for i, g := range snap.Groups {
		lv, _ := sim.ParseLevel(g.Level)
		net.Groups[i] = group{ID: g.ID, Name: g.Name, Kind: g.Kind, Issue: g.Issue, Threat: g.Threat, Level: int(lv), Members: g.Members}
	}
	blocs := Blocs(s)
	for i, n := range snap.Nodes {
		net.Nodes[i] = node{ID: n.ID, Label: n.Label, Kind: n.Kind, Region: n.Region, Capability: n.Capability,
			Threat: n.Threat, Reliability: n.Reliability, Patron: n.Patron, Bloc: blocs[i], Absent: !s.Active(i)}
	}
	net.Orgs = []group{}
	w := s.World()
	for o := range w.Actors {
		mem := s.MembersOf(o)
		if len(mem) == 0 || !s.InSystem(o) {
			continue
		}
		g := group{ID: o, Name: actorName(w, o), Kind: w.Actors[o].Kind.String(), Members: make([]string, len(mem))}
		for k, m := range mem {
			g.Members[k] = w.Actors[m].ID
		}
		net.Orgs = append(net.Orgs, g)
	}
	for i, e := range snap.Edges {
		ed := edge{A: e.Source, B: e.Target, Form: e.Form, Level: e.LevelNum, Support: e.Support}
		if e.Flow != "symmetric" {
			ed.Donor = e.Flow
		}
		net.Edges[i] = ed
	}
	return net
}

// Blocs returns, for each actor, the id of its alliance bloc: actors bound
// by mutual defence as the engine counts it (Sim.CommittedDyads: alliances,
// common membership of an organisation with a mutual-defence charter, the
// interim assurances of members that have ratified an accession), with
// such organisations themselves and the parties to any other binding tie,
// form one bloc named after its most capable actor. Actors in no alliance
// get "".
func Blocs(s *sim.Sim) []string {
	w := s.World()
	n := len(w.Actors)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	bound := make([]bool, n)
	union := func(a, b int) {
		bound[a], bound[b] = true, true
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for t := range s.Ties() {
		if t.Form.Binding() {
			union(t.A, t.B)
		}
	}
	for d := range s.CommittedDyads() {
		union(d.A, d.B)
	}
	for o := range w.Actors {
		if !w.Actors[o].MutualDefence || !s.InSystem(o) {
			continue
		}
		for _, m := range s.MembersOf(o) {
			if s.InSystem(m) {
				union(o, m)
			}
		}
	}
	best := make([]int, n)
	for i := range best {
		best[i] = -1
	}
	for i := range n {
		if !bound[i] {
			continue
		}
		r := find(i)
		if b := best[r]; b < 0 || s.EffectiveCapability(i) > s.EffectiveCapability(b) {
			best[r] = i
		}
	}
	out := make([]string, n)
	for i := range n {
		if bound[i] {
			out[i] = w.Actors[best[find(i)]].ID
		}
	}
	return out
}

// actorDetail is the panel shown when an actor is clicked.
type actorDetail struct {
	ID          string         `json:"id"`
	Label       string         `json:"label"`
	Kind        string         `json:"kind"`
	Region      string         `json:"region"`
	Patron      bool           `json:"patron"`
	Capability  float64        `json:"capability"`
	Threat      float64        `json:"threat"`
	Threats     []namedValue   `json:"threats"`
	Insecurity  float64        `json:"insecurity"`
	Reliability float64        `json:"reliability"`
	Reputation  float64        `json:"reputation"`
	Dependence  float64        `json:"dependence"`
	Autonomy    float64        `json:"autonomy"`
	InStrength  float64        `json:"inStrength"`
	OutStrength float64        `json:"outStrength"`
	Members     []string       `json:"members"`  // an organisation's or group's members now
	MemberOf    []string       `json:"memberOf"` // the organisations and groups it belongs to now
	Ties        []tieDetail    `json:"ties"`
	Groups      []groupSummary `json:"groups"`
	Recent      []logEntry     `json:"recent"`
	Situation   []string       `json:"situation"` // in plain words
	Terms       []string       `json:"terms"`     // the utility terms, in the order of each option's terms
	Options     []option       `json:"options"`   // what it would weigh now, with the model's expected change in utility
}

type namedValue struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

type tieDetail struct {
	Other   string  `json:"other"`
	Label   string  `json:"label"`
	Form    string  `json:"form"`
	Level   string  `json:"level"`
	Donor   string  `json:"donor,omitempty"`
	Support float64 `json:"support"`
	Trust   float64 `json:"trust"`
	Age     int     `json:"age"`
}

type groupSummary struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Level   string   `json:"level"`
	Members []string `json:"members"`
}

var errUnknownActor = errors.New("unknown actor")

// actor describes actor id: its ties, threats, recent decisions, its
// situation in words and its options now with the model's reasons.
func (ss *session) actor(id string) (*actorDetail, error) {
	i := ss.s.World().ActorIndex(id)
	if i < 0 {
		return nil, errUnknownActor
	}
	d, err := ss.actorAt(i)
	if err != nil {
		return nil, err
	}
	d.Situation = situation(ss.s, i)
	d.Terms = termNames()
	d.Options = []option{}
	if ss.s.InSystem(i) {
		d.Options = ss.options(i, ss.seed*1_000_003+uint64(ss.s.T())*4099+uint64(i))
	}
	return d, nil
}

// actorAt describes actor i: its ties, threats and recent decisions.
func (ss *session) actorAt(i int) (*actorDetail, error) {
	s, w := ss.s, ss.s.World()
	if i < 0 || i >= len(w.Actors) {
		return nil, errUnknownActor
	}
	a := &w.Actors[i]
	label := func(j int) string {
		if w.Actors[j].Name != "" {
			return w.Actors[j].Name
		}
		return w.Actors[j].ID
	}
	d := &actorDetail{ID: a.ID, Label: label(i), Kind: a.Kind.String(), Region: a.Region, Patron: a.Patron,
		Capability: s.EffectiveCapability(i), Threat: s.PerceivedThreat(i), Insecurity: s.Insecurity(i),
		Reliability: s.Reliability(i), Reputation: s.Reputation(i), Dependence: s.Dependence(i),
		Autonomy: a.Autonomy, InStrength: s.InStrength(i), OutStrength: s.OutStrength(i),
		Members: []string{}, MemberOf: []string{}, Ties: []tieDetail{}, Groups: []groupSummary{}, Threats: []namedValue{}, Recent: []logEntry{},
		Situation: []string{}, Terms: []string{}, Options: []option{}}
	for _, m := range s.MembersOf(i) {
		d.Members = append(d.Members, w.Actors[m].ID)
	}
	for _, o := range s.OrganisationsOf(i) {
		d.MemberOf = append(d.MemberOf, w.Actors[o].ID)
	}
	for k := range w.Threats {
		if v := s.PerceivedThreatOf(i, k); v > 0 {
			d.Threats = append(d.Threats, namedValue{w.Threats[k].Name, v})
		}
	}
	for t := range s.TiesOf(i) {
		o := t.Other(i)
		td := tieDetail{Other: w.Actors[o].ID, Label: label(o), Form: t.Form.String(), Level: t.Level.String(),
			Support: t.Support, Trust: t.Trust, Age: t.Age}
		if t.Donor >= 0 {
			td.Donor = w.Actors[t.Donor].ID
		}
		d.Ties = append(d.Ties, td)
	}
	slices.SortFunc(d.Ties, func(x, y tieDetail) int {
		return cmp.Or(cmp.Compare(w.ActorIndex(x.Other), w.ActorIndex(y.Other)), 0)
	})
	for g := range s.GroupsOf(i) {
		gs := groupSummary{Name: g.Name, Kind: g.Kind.String(), Level: g.Level.String()}
		if gs.Name == "" {
			gs.Name = fmt.Sprintf("%s-%d", gs.Kind, g.ID)
		}
		for _, m := range g.Members {
			gs.Members = append(gs.Members, w.Actors[m].ID)
		}
		d.Groups = append(d.Groups, gs)
	}
	for j := len(ss.log) - 1; j >= 0 && len(d.Recent) < 8; j-- {
		if e := ss.log[j]; e.Actor == a.ID || e.Other == a.ID {
			d.Recent = append(d.Recent, e)
		}
	}
	return d, nil
}
