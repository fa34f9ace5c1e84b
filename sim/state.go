package sim

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
)

// Tie is a pairwise tie as the state holds it. A < B.
type Tie struct {
	A, B    int
	Form    Form
	Level   Level
	Donor   int     // A or B for a donor -> recipient flow, -1 for symmetric
	Support float64 // support flowing donor -> recipient this step
	Age     int     // steps the tie has lasted
	Trust   float64 // in [0, 1]; grows while the tie lasts
	alive   bool
}

// Other returns the side of the tie that is not i.
func (t *Tie) Other(i int) int {
	if t.A == i {
		return t.B
	}
	return t.A
}

// Group is a minilateral group or a coalition: a hyperedge formed, joined,
// deepened, left and dissolved as a whole.
type Group struct {
	ID      int // unique within a run, increasing in order of creation
	Name    string
	Kind    GroupKind
	Issue   Issue
	Threat  int // coalitions: the threat it is bound to; -1 otherwise
	Leader  int // coalitions: the leading actor; -1 otherwise
	Level   Level
	Members []int // sorted actor indices; read-only view
	Age     int
	Trust   float64
	below   int // steps the coalition's threat has stayed below the dissolve threshold
	alive   bool
	agg     agg // sums over all members, kept current as members come and go
}

// maxValues is the largest dimension of actors' value vectors.
const maxValues = 8

// agg holds the sums over a set of group members that a member's utility
// needs, so that weighing a group costs O(1) whatever its size.
type agg struct {
	n       int
	capRel  float64 // sum of effective capability x reliability
	hubs    float64 // sum of hub positions
	patrons int     // patrons among them
	v       [maxValues]float64
}

// Has reports whether actor i is a member.
func (g *Group) Has(i int) bool {
	for _, m := range g.Members {
		if m == i {
			return true
		}
	}
	return false
}

// exposure is one actor's static exposure to a threat.
type exposure struct {
	actor int
	e     float64 // exposure weight in (0, 1]
	dist  float64 // value distance to the threat's source; -1 without source
}

// Sim is the mutable state of one run. It is not safe for concurrent use; run
// replicates in separate Sims.
type Sim struct {
	w   *World
	p   Params
	src *rand.ChaCha8
	rng *rand.Rand
	t   int

	n         int
	capN      []float64 // base capability / capScale
	econN     []float64 // economy / econScale
	order     []int32   // actors, members before their organisations
	memberOf  [][]int   // organisations each actor belongs to
	patron    []bool
	state     []bool // minilateral-eligible (states)
	maxDist   float64
	sourceOf  [][]int // threats each actor is the source of
	within    [][]int // threats whose source is the actor or one of its (nested) members
	lastEntry int     // the latest step at which an actor enters (0: none does)
	region    []int   // each actor's region index
	regions   [][]int // actors of each region
	expo      [][]exposure

	// ties
	ties     []Tie
	freeTies []int
	pair     map[uint64]int
	adj      [][]int // tie indices per actor
	deg      []int
	numTies  int

	// groups
	groups     []Group
	freeGroups []int
	inGroups   [][]int // group indices per actor
	coalition  []int   // active coalition group index per threat, -1
	numGroups  int
	nextGroup  int

	// per-actor dynamic state
	assisted []float64
	outflow  []float64
	rep      []float64

	// derived, recomputed by refresh
	intensity []float64
	retPol    float64
	retMil    float64
	effCap    []float64
	rel       []float64
	hub       []float64
	needC     []float64
	needT     []float64
	protC     []float64
	protT     []float64
	threat    []float64 // total perceived threat (for output)
	dep       []float64 // share of partner protection that comes from patrons

	// dirty forces the next Step to recompute derived state even when no
	// profile value changed (parameters or overrides were set)
	dirty bool

	// live overrides (NaN = follow the profile)
	ovIntensity []float64
	ovPol       float64
	ovMil       float64

	// trace, when set, sees every opportunity's options and the choice (tests)
	trace func(i int, opts []option, chosen int)

	// protection cache (see protExp)
	cacheI           int
	cacheEC, cacheET float64

	// scratch
	acts   []int
	opts   []option
	cands  []int
	events []Event
	tmp    []int
}

// New builds the state of a run at step 0 from a world, parameters and a
// 32-byte seed (see RunSeed). The world is not copied and must not change
// while the Sim lives.
func New(w *World, p Params, seed [32]byte) (*Sim, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := len(w.Actors)
	s := &Sim{w: w, p: p, n: n}
	s.src = newSource(seed)
	s.rng = rand.New(s.src)

	s.setWorld(w)

	s.pair = make(map[uint64]int, len(w.Ties)*2+16)
	s.adj = make([][]int, n)
	s.deg = make([]int, n)
	s.inGroups = make([][]int, n)
	s.assisted = make([]float64, n)
	s.outflow = make([]float64, n)
	s.rep = make([]float64, n)
	for i := range s.rep {
		s.rep[i] = 1
	}
	s.intensity = make([]float64, len(w.Threats))
	s.ovIntensity = make([]float64, len(w.Threats))
	for k := range s.ovIntensity {
		s.ovIntensity[k] = math.NaN()
	}
	s.ovPol, s.ovMil = math.NaN(), math.NaN()
	s.coalition = make([]int, len(w.Threats))
	for k := range s.coalition {
		s.coalition[k] = -1
	}
	s.effCap = make([]float64, n)
	s.rel = make([]float64, n)
	s.hub = make([]float64, n)
	s.needC = make([]float64, n)
	s.needT = make([]float64, n)
	s.protC = make([]float64, n)
	s.protT = make([]float64, n)
	s.threat = make([]float64, n)
	s.dep = make([]float64, n)

	for _, ts := range w.Ties {
		trust := ts.Trust
		if trust == 0 && ts.Age == 0 {
			trust = p.InitialTrust
		}
		k := s.addTie(ts.A, ts.B, ts.Form, ts.Level, ts.Donor)
		s.ties[k].Age = ts.Age
		s.ties[k].Trust = trust
	}
	for _, gs := range w.Groups {
		mem := append([]int(nil), gs.Members...)
		leader := gs.Leader
		if gs.Kind == CoalitionGroup && leader < 0 {
			leader = mem[0]
			for _, m := range mem {
				if w.Actors[m].Capability > w.Actors[leader].Capability {
					leader = m
				}
			}
		}
		threat := gs.Threat
		if gs.Kind != CoalitionGroup {
			threat, leader = -1, -1
		}
		g := s.addGroup(gs.Kind, gs.Issue, threat, leader, gs.Level, mem)
		s.groups[g].Name = gs.Name
		if gs.Kind == CoalitionGroup {
			s.coalition[threat] = g
		}
	}
	s.opts = make([]option, 0, 64)
	s.cacheI = -1
	s.refresh()
	s.updateFlows(false)
	s.refresh()
	return s, nil
}

// setWorld computes everything the run derives from the (static) world.
func (s *Sim) setWorld(w *World) {
	s.w = w
	n := len(w.Actors)
	capScale, econScale := 0.0, 0.0
	for i := range w.Actors {
		a := &w.Actors[i]
		if len(a.Members) == 0 {
			capScale = math.Max(capScale, a.Capability)
		}
		econScale = math.Max(econScale, a.Economy)
	}
	if capScale == 0 {
		capScale = 1
	}
	if econScale == 0 {
		econScale = 1
	}
	s.capN = make([]float64, n)
	s.econN = make([]float64, n)
	s.memberOf = make([][]int, n)
	s.patron = make([]bool, n)
	s.state = make([]bool, n)
	s.sourceOf = make([][]int, n)
	for i := range w.Actors {
		a := &w.Actors[i]
		s.capN[i] = a.Capability / capScale
		s.econN[i] = a.Economy / econScale
		s.patron[i] = a.Patron
		s.state[i] = a.Kind == State
		for _, m := range a.Members {
			s.memberOf[m] = append(s.memberOf[m], i)
		}
	}
	s.order, _ = memberOrder(w.Actors)
	s.lastEntry = 0
	for i := range w.Actors {
		s.lastEntry = max(s.lastEntry, w.Actors[i].Enter)
	}
	s.region = make([]int, n)
	s.regions = nil
	index := map[string]int{}
	for i := range w.Actors {
		r, ok := index[w.Actors[i].Region]
		if !ok {
			r = len(s.regions)
			index[w.Actors[i].Region] = r
			s.regions = append(s.regions, nil)
		}
		s.region[i] = r
		s.regions[r] = append(s.regions[r], i)
	}
	s.within = make([][]int, n)
	for k := range w.Threats {
		if src := w.Threats[k].Source; src >= 0 {
			s.within[src] = append(s.within[src], k)
		}
	}
	for _, o := range s.order { // members come first, so nesting propagates
		for _, m := range w.Actors[o].Members {
			s.within[o] = append(s.within[o], s.within[m]...)
		}
	}
	if d := len(w.Actors[0].Values); d > 0 {
		s.maxDist = 2 * math.Sqrt(float64(d))
	}

	s.expo = make([][]exposure, len(w.Threats))
	for k := range w.Threats {
		th := &w.Threats[k]
		if th.Source >= 0 {
			s.sourceOf[th.Source] = append(s.sourceOf[th.Source], k)
		}
		direct := make([]float64, n)
		for i := range w.Actors {
			if v, ok := th.ActorExposure[i]; ok {
				direct[i] = v
			} else {
				direct[i] = th.RegionExposure[w.Actors[i].Region]
			}
		}
		// organisations feel at least the mean exposure of their members,
		// unless the scenario names them explicitly
		for _, o := range s.order {
			a := &w.Actors[o]
			if len(a.Members) == 0 {
				continue
			}
			if _, named := th.ActorExposure[int(o)]; named {
				continue
			}
			sum := 0.0
			for _, m := range a.Members {
				sum += direct[m]
			}
			direct[o] = math.Max(direct[o], sum/float64(len(a.Members)))
		}
		for i := 0; i < n; i++ {
			if direct[i] <= 0 || i == th.Source {
				continue
			}
			d := -1.0
			if th.Source >= 0 {
				d = s.dist(i, th.Source)
			}
			s.expo[k] = append(s.expo[k], exposure{actor: i, e: direct[i], dist: d})
		}
	}

}

// dist is the Euclidean distance between two actors' value vectors.
func (s *Sim) dist(i, j int) float64 {
	vi, vj := s.w.Actors[i].Values, s.w.Actors[j].Values
	sum := 0.0
	for k := range vi {
		d := vi[k] - vj[k]
		sum += d * d
	}
	return math.Sqrt(sum)
}

// Active reports whether actor i has entered the system by this step.
func (s *Sim) Active(i int) bool { return s.t >= s.w.Actors[i].Enter }

// Similarity of two actors' values and interests, in [0, 1].
func (s *Sim) Similarity(i, j int) float64 {
	if s.maxDist == 0 {
		return 0.5
	}
	return 1 - s.dist(i, j)/s.maxDist
}

// ---- reading the state -------------------------------------------------

// World returns the world the run was built from.
func (s *Sim) World() *World { return s.w }

// Params returns the run's current parameters.
func (s *Sim) Params() Params { return s.p }

// T is the number of steps taken.
func (s *Sim) T() int { return s.t }

// N is the number of actors.
func (s *Sim) N() int { return s.n }

// NumTies is the number of live pairwise ties.
func (s *Sim) NumTies() int { return s.numTies }

// NumGroups is the number of live groups (minilaterals and coalitions).
func (s *Sim) NumGroups() int { return s.numGroups }

// Ties yields every live tie in a deterministic order (by slot).
func (s *Sim) Ties() iter.Seq[*Tie] {
	return func(yield func(*Tie) bool) {
		for k := range s.ties {
			if s.ties[k].alive && !yield(&s.ties[k]) {
				return
			}
		}
	}
}

// TieBetween returns the live tie between a and b, if any.
func (s *Sim) TieBetween(a, b int) (*Tie, bool) {
	k, ok := s.pair[pairKey(int32(a), int32(b))]
	if !ok {
		return nil, false
	}
	return &s.ties[k], true
}

// TiesOf yields the live ties of actor i.
func (s *Sim) TiesOf(i int) iter.Seq[*Tie] {
	return func(yield func(*Tie) bool) {
		for _, k := range s.adj[i] {
			if !yield(&s.ties[k]) {
				return
			}
		}
	}
}

// Groups yields every live group (minilaterals and coalitions) in a
// deterministic order (by slot).
func (s *Sim) Groups() iter.Seq[*Group] {
	return func(yield func(*Group) bool) {
		for k := range s.groups {
			if s.groups[k].alive && !yield(&s.groups[k]) {
				return
			}
		}
	}
}

// GroupsOf yields the live groups actor i belongs to.
func (s *Sim) GroupsOf(i int) iter.Seq[*Group] {
	return func(yield func(*Group) bool) {
		for _, g := range s.inGroups[i] {
			if !yield(&s.groups[g]) {
				return
			}
		}
	}
}

// Coalition returns the active coalition around threat k, if any.
func (s *Sim) Coalition(k int) (*Group, bool) {
	if g := s.coalition[k]; g >= 0 {
		return &s.groups[g], true
	}
	return nil, false
}

// Degree is the number of live ties of actor i.
func (s *Sim) Degree(i int) int { return s.deg[i] }

// EffectiveCapability is actor i's capability this step (normalised so the
// most capable member-less actor of the world has 1): own capability (or its
// members' for an organisation) plus assisted capability, less what
// outgoing support ties up.
func (s *Sim) EffectiveCapability(i int) float64 { return s.effCap[i] }

// Assisted is the capability actor i holds from assistance it received.
func (s *Sim) Assisted(i int) float64 { return s.assisted[i] }

// Reliability is how reliable partners see actor i, in [0, 1].
func (s *Sim) Reliability(i int) float64 { return s.rel[i] }

// Reputation of actor i in [0, 1]; abandoning ties lowers it.
func (s *Sim) Reputation(i int) float64 { return s.rep[i] }

// PerceivedThreat is actor i's total perceived threat this step, summed over
// threats (without the background need).
func (s *Sim) PerceivedThreat(i int) float64 { return s.threat[i] }

// Dependence is the share of actor i's protection from partners that comes
// from ties with a patron, in [0, 1].
func (s *Sim) Dependence(i int) float64 { return s.dep[i] }

// Insecurity is actor i's unprotected need, need x exp(-protection), summed
// over threat classes: the quantity its security utility is the negative of.
func (s *Sim) Insecurity(i int) float64 { return s.marginalSecurity(i) }

// Protection is actor i's protection against conventional and transnational
// threats: own capability, memberships, ties and groups.
func (s *Sim) Protection(i int) (conventional, transnational float64) { return s.prot(i) }

// Intensity of threat k this step.
func (s *Sim) Intensity(k int) float64 { return s.intensity[k] }

// Retrenchment returns this step's political and military retrenchment.
func (s *Sim) Retrenchment() (political, military float64) { return s.retPol, s.retMil }

// InStrength and OutStrength are actor i's incoming and outgoing support this step.
func (s *Sim) OutStrength(i int) float64 { return s.outflow[i] }

// InStrength is the support actor i receives this step.
func (s *Sim) InStrength(i int) float64 {
	sum := 0.0
	for _, k := range s.adj[i] {
		t := &s.ties[k]
		if t.Donor >= 0 && t.Donor != i {
			sum += t.Support
		}
	}
	return sum
}

// Events returns what happened in the last step, in order. The slice is
// reused by the next Step.
func (s *Sim) Events() []Event { return s.events }

// ---- steering a live run ----------------------------------------------

// SetParams replaces the parameters from the next step on.
func (s *Sim) SetParams(p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	s.p = p
	s.dirty = true
	return nil
}

// SetIntensity overrides threat k's intensity profile with a constant from
// the next step on; NaN returns it to its profile.
func (s *Sim) SetIntensity(k int, v float64) error {
	if k < 0 || k >= len(s.ovIntensity) {
		return fmt.Errorf("sim: no threat %d", k)
	}
	if !math.IsNaN(v) && !(v >= 0 && v <= 1) {
		return fmt.Errorf("sim: intensity %v out of range [0, 1]", v)
	}
	s.ovIntensity[k] = v
	s.dirty = true
	return nil
}

// SetRetrenchment overrides the political and military retrenchment profiles
// with constants from the next step on; NaN returns one to its profile.
func (s *Sim) SetRetrenchment(political, military float64) error {
	for _, v := range []float64{political, military} {
		if !math.IsNaN(v) && !(v >= 0 && v <= 1) {
			return fmt.Errorf("sim: retrenchment %v out of range [0, 1]", v)
		}
	}
	s.ovPol, s.ovMil = political, military
	s.dirty = true
	return nil
}
