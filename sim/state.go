package sim

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
)

// Tie is a pairwise tie as the state holds it. A < B.
type Tie struct {
	A, B    int
	Form    Form
	Level   Level
	Donor   int     // A or B for a donor -> recipient flow (assistance), -1 for symmetric
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
	Threat  int   // coalitions: the threat it is bound to; -1 otherwise
	About   []int // the threats it protects its members against (coalitions: its threat)
	Leader  int   // coalitions: the leading actor; -1 otherwise
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
	n      int
	cap    float64 // sum of capability present
	capRel float64 // sum of capability present x reliability
	hubs   float64 // sum of hub positions
	v      [maxValues]float64
	srcs   []int // threat sources among them (a group's own list)
	excl   int   // a member left out of a hypothetical sum (-1)
	extra  int   // a non-member added to a hypothetical sum (-1)
}

// Has reports whether actor i is a member.
func (g *Group) Has(i int) bool {
	_, ok := slices.BinarySearch(g.Members, i)
	return ok
}

// exposure is one actor's static exposure to a threat.
type exposure struct {
	actor int
	e     float64 // exposure weight in (0, 1]
	vf    float64 // value factor: actors close to the source in values feel less
}

// threatEntry is one threat as an actor feels it: the background need
// (k = -1) or a threat of the world.
type threatEntry struct {
	k     int         // threat index, -1 for the background need
	class ThreatClass // conventional or transnational
	src   int         // the threat's source, -1 for none
	e     float64     // exposure x value factor (1 for the background need)
	T     float64     // perceived threat this step
	P     float64     // protection against it this step
	eP    float64     // exp(−P), kept with P (every option's security term needs it); NaN: pending (expP)
}

// enemy is a rival of an actor with the enmity between them.
type enemy struct {
	j int
	e float64
}

// membership is a member of an organisation with the step it joined.
type membership struct {
	actor int
	since int
}

// application is a pending accession: every member must ratify it.
type application struct {
	applicant, org int
	since          int
	ratified       []int // members that have ratified
	held           []int // members that have held it (a grievance)
}

// Sim is the mutable state of one run. It is not safe for concurrent use; run
// replicates in separate Sims.
type Sim struct {
	w   *World
	p   Params
	src *rand.ChaCha8
	rng *rand.Rand
	t   int
	dt  float64 // years per step

	n           int
	capN        []float64 // base capability / capScale
	order       []int32   // actors, founding members before their organisations
	isOrg       []bool    // organisations and informal groups (they have members)
	patron      []bool
	state       []bool // states (minilateral-eligible, may accede)
	maxDist     float64
	values      [][]float64 // value vectors (organisations: their members' mean), views of vals
	vals        []float64   // every actor's values in one array, vdim each (one cache line a partner)
	vdim        int
	autonomy    []float64 // autonomy preference (organisations: members' capability-weighted mean)
	sourceOf    [][]int   // threats each actor is the source of
	region      []int     // each actor's region index
	regions     [][]int   // actors of each region
	regionNames []string  // each region's name, by index
	acts        [][]int   // organisations acting in each region
	chartered   [][]int   // per state, the organisations whose charter names it (Actor.Admits)
	nApps       []int32   // per state, its pending applications (in apps)
	actsIn      [][]int   // regions each organisation acts in
	actsAt      [][]int32 // its position in each of those regions' acts
	// per region, the positions in acts of the organisations open to
	// every state of it (openToAll) and of those admitting named states;
	// accDirty: to be rebuilt (presence, or an organisation's having
	// members, changed)
	accBase, accCharter [][]int32
	accDirty            bool
	expo                [][]exposure
	lastEntry           int // the latest step at which an actor enters or leaves (0: none)

	// presence and membership
	present    []bool
	gone       []bool
	members    [][]membership // current members of each organisation, by actor index
	memberView [][]int        // MembersOf's views (nil: to be rebuilt)
	memberOf   [][]int        // organisations each actor belongs to
	// mdBit is a mutual-defence organisation's bit in mdMask (-1: not
	// one, or past the 64th); mdMask is the set of mutual-defence
	// organisations each actor belongs to (align's common-membership test
	// in one AND); mdAll says every mutual-defence organisation has a bit
	mdBit  []int8
	mdMask []uint64
	mdAll  bool

	apps []application

	// threats as each actor feels them: te[teOff[i]:teOff[i+1]]
	te    []threatEntry
	teOff []int32
	// teIdx is the entry of actor i for threat k at i·len(Threats)+k (−1:
	// i does not feel it), where that table is at most teIndexMax entries
	// (nil beyond: feels searches i's entries). Read only once built.
	teIdx []int32
	// enemyRow is scratch for rivalryOf: one actor's enmities by rival,
	// zero between calls (each Sim its own: Clone)
	enemyRow []float64

	// the signed network
	enemies [][]enemy

	// ties
	ties       []Tie
	allPresent bool // every actor is in the system (as of the last refresh)
	freeTies   []int
	pairM      []int32      // tie slot+1 by a·n+b, 0: none (worlds of at most densePairs actors)
	memo       deliverMemo2 // the last values of deliver for membership (a pure function: never stale)
	adj        [][]int      // tie indices per actor
	adjP       [][]int32    // the partner of each entry of adj (a partner read without the tie)
	deg        []int
	numTies    int

	// groups
	groups []Group
	// the changes of groups since the last refresh, as members apply them
	// to their protection when it is next read (groups.go: settle);
	// synced[i] is how many of them actor i's protection includes, held[i]
	// its shares of its groups' protection; joinedAt[i] is 1 + the index
	// of the last change that made i a member (0: none since the log was
	// emptied), so that an actor holding no shares skips the log's changes
	// at once when none of them since it was current made it a member
	// (settle: most actors are in no group, and walking the log for each
	// was its length times the actors a step)
	glog             []groupChange
	glogInts         []int
	synced           []int32
	joinedAt         []int32
	held             [][]heldShare
	freeGroups       []int
	inGroups         [][]int // group indices per actor
	coalition        []int   // active coalition group index per threat, -1
	activeCoalitions []int   // slots of the live coalitions, sorted
	numGroups        int
	nextGroup        int
	groupNames       []string // every group's name by ID, kept after it dissolves (events name it)

	// per-actor dynamic state
	assisted []float64
	aidBy    [][]aidPart // each recipient's assisted capability by donor (assistance.go)
	srcHeld  []bool      // holds a part from a threat's source or an organisation
	rep      []float64
	budget   []float64 // assistance budget this step (donors)
	prevBud  []float64 // last step's budget (cuts are observed)

	// derived, recomputed by refresh
	intensity  []float64
	retPol     float64 // political retrenchment this step (profile + regime)
	retMil     float64
	regime     float64    // the patron's policy regime, -1 or +1
	hot        []actorHot // what an option reads of its partner, one record an actor
	res        []float64  // resources in [0, 1]: what sets an actor's rate
	threat     []float64  // total perceived threat (for output and alarm)
	prevThreat []float64  // last step's total perceived threat
	prevConv   []float64  // last step's perceived threat from conventional threats
	dep        []float64  // share of partner protection that comes from patrons
	orgPool    []pool     // organisations: their present members' capability present and its reliability-weighted sum
	orgYears   []float64  // organisations: years since founding (credibility of membership)
	orgRep     []float64  // organisations: their own reputation as of the last refresh
	baseBound  []int      // threats: exposed actors bound at step 0 (escalation)

	// dirty forces the next Step to recompute derived state even when no
	// profile value changed (parameters or overrides were set)
	dirty bool

	// live overrides (NaN = follow the profile)
	ovIntensity []float64
	ovPol       float64
	ovMil       float64

	// decisions taken from outside and recorded
	ctrl     Controller
	recorder func(*Decision)
	dec      Decision
	// consentSubject describes a proposal that is not an option of the
	// proposer's (joining a forming coalition, ratifying an accession)
	// when a controlled actor is asked to consent to it
	consentSubject Choice

	agenda uint8 // what the current opportunity is about
	// scratch
	severity float64 // how far the decision being carried out retreats from commitments (observe)
	actList  []int
	actKind  []uint8
	opts     []option
	cands    []int
	orgCands []int     // regionOrgs's sample
	accDev   []accDev  // openOrgs's departures from the base list
	accSwap  [][2]int  // openOrgs's shuffled places
	candVal  []float64 // value of a nominal cooperation tie with each candidate (NaN: not computed)
	events   []Event
	tmp      []int
	gc       []float64 // a group's protection per threat entry (reprotect)
	srcBuf   []int     // the threat sources of a proposed group's hypothetical sum
	dP       []float64 // protection changes per threat entry
	qP       []float64 // the same as factors of exp(−P) (tieTerms)
	dT       []float64 // threat changes per threat entry
	dyadBuf  []Dyad    // DefenceDyadList's slice
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

	if n <= densePairs {
		s.pairM = make([]int32, n*n)
	}
	s.adj = make([][]int, n)
	s.adjP = make([][]int32, n)
	s.deg = make([]int, n)
	s.inGroups = make([][]int, n)
	s.synced = make([]int32, n)
	s.joinedAt = make([]int32, n)
	s.held = make([][]heldShare, n)
	s.assisted = make([]float64, n)
	s.aidBy = make([][]aidPart, n)
	s.srcHeld = make([]bool, n)
	s.nApps = make([]int32, n)
	s.rep = make([]float64, n)
	for i := range s.rep {
		s.rep[i] = 1
	}
	s.budget = make([]float64, n)
	s.prevBud = make([]float64, n)
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
	s.res = make([]float64, n)
	s.threat = make([]float64, n)
	s.prevThreat = make([]float64, n)
	s.prevConv = make([]float64, n)
	s.dep = make([]float64, n)
	s.orgPool = make([]pool, n)
	s.orgYears = make([]float64, n)
	s.orgRep = make([]float64, n)
	for i := range w.Actors {
		s.orgYears[i] = w.Actors[i].Age
	}
	s.present = make([]bool, n)
	s.gone = make([]bool, n)
	s.members = make([][]membership, n)
	s.memberView = make([][]int, n)
	s.memberOf = make([][]int, n)
	s.mdBit, s.mdMask, s.mdAll = make([]int8, n), make([]uint64, n), true
	bit := 0
	for i := range w.Actors {
		s.mdBit[i] = -1
		if w.Actors[i].MutualDefence {
			if bit < mdBits {
				s.mdBit[i] = int8(bit)
				bit++
			} else {
				s.mdAll = false
			}
		}
	}
	s.regime = 1
	if s.rng.IntN(2) == 0 {
		s.regime = -1
	}
	s.enemies = make([][]enemy, n)
	for _, r := range w.Rivalries {
		s.setEnmity(r.A, r.B, r.Enmity)
	}
	for i := range w.Actors {
		s.setPresent(i, s.presentAt(i, 0))
	}
	for i := range w.Actors {
		if w.Actors[i].Enter == 0 {
			for _, m := range w.Actors[i].Members {
				s.addMember(i, m, -int(math.Round(w.Actors[i].Age*w.StepsPerYearOr1())))
			}
		}
	}
	for _, ts := range w.Ties {
		trust := ts.Trust
		if trust == 0 {
			// trust as it has grown over the tie's age (initial_trust for a new tie)
			trust = 1 - (1-p.InitialTrust)*math.Pow(1-min(1, p.TrustGrowth), float64(ts.Age)*w.Dt())
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
		about := gs.About
		if gs.Kind != CoalitionGroup {
			threat, leader = -1, -1
		} else {
			about = []int{threat}
		}
		g := s.addGroup(gs.Kind, gs.Issue, threat, leader, gs.Level, mem, about)
		s.nameGroup(g, gs.Name)
		s.groups[g].Age = gs.Age
		s.groups[g].Trust = 1 - (1-p.InitialTrust)*math.Pow(1-min(1, p.TrustGrowth), float64(gs.Age)*w.Dt())
		if gs.Kind == CoalitionGroup {
			s.coalition[threat] = g
		}
	}
	for gi := range s.groups {
		if g := &s.groups[gi]; g.alive && g.Kind == Minilateral && len(g.About) == 0 && g.Issue.Class() != Economic {
			g.About = s.sharedThreats(g.Members, g.Issue.Class())
		}
	}
	s.opts = make([]option, 0, 64)
	s.refresh()
	s.updateFlows(false)
	s.refresh()
	copy(s.prevThreat, s.threat)
	copy(s.prevBud, s.budget)
	s.baseBound = make([]int, len(w.Threats))
	for k := range w.Threats {
		s.baseBound[k] = s.boundAgainst(k)
	}
	return s, nil
}

// StepsPerYearOr1 is StepsPerYear, or 1 when unset.
func (w *World) StepsPerYearOr1() float64 {
	if w.StepsPerYear > 0 {
		return w.StepsPerYear
	}
	return 1
}

// actorHot is what the options of an opportunity read of each candidate
// partner, kept together so that a partner costs one cache line rather
// than one for each (worlds of tens of thousands of actors outgrow the
// cache).
type actorHot struct {
	effCap   float64 // effective capability (base, assisted, members')
	presence float64 // share of capability present for partners (the military umbrella)
	rel      float64 // reliability partners see
	hub      float64 // hub position
	econN    float64 // economy / econScale (static: the world's)
	// what gap reads of a partner: how many state threats it feels
	// (nConv), and of the first its threat and source (static) and
	// perceived threat (convT, kept with its entry's T); gap reads them
	// only where nConv is 1 (with more, convT holds the last entry's T)
	convT          float64
	convK, convSrc int32
	nConv          int32
	flags          uint8 // hotPresent, hotPatron, hotSlow: copies of present, patron, and isOrg or srcHeld
}

// actorHot's flags: the copies of what an actor's ties and candidates
// read of it besides its values, in the same cache line (kept with the
// originals by setPresent, setWorld and addAid).
const (
	hotPresent uint8 = 1 << iota // present
	hotPatron                    // patron
	hotSlow                      // isOrg or srcHeld (partnerCap's slow)
)

// setPresent sets whether actor i is in the system (present, and its
// hot record's copy).
func (s *Sim) setPresent(i int, v bool) {
	s.present[i] = v
	if v {
		s.hot[i].flags |= hotPresent
	} else {
		s.hot[i].flags &^= hotPresent
	}
}

// setWorld computes everything the run derives from the (static) world.
func (s *Sim) setWorld(w *World) {
	s.w = w
	s.dt = w.Dt()
	n := len(w.Actors)
	capScale, econScale := 0.0, 0.0
	for i := range w.Actors {
		a := &w.Actors[i]
		if len(a.Members) == 0 && a.Kind == State {
			capScale = max(capScale, a.Capability)
		}
		econScale = max(econScale, a.Economy)
	}
	if capScale == 0 {
		capScale = 1
	}
	if econScale == 0 {
		econScale = 1
	}
	s.capN = make([]float64, n)
	if len(s.hot) != n {
		s.hot = make([]actorHot, n)
	}
	s.isOrg = make([]bool, n)
	s.patron = make([]bool, n)
	s.state = make([]bool, n)
	s.sourceOf = make([][]int, n)
	dim := 0
	if n > 0 {
		dim = len(w.Actors[0].Values) // (Validate: every actor has as many)
	}
	s.vdim, s.vals = dim, make([]float64, n*dim)
	s.values = make([][]float64, n)
	for i := range s.values {
		s.values[i] = s.vals[i*dim : (i+1)*dim : (i+1)*dim]
	}
	s.autonomy = make([]float64, n)
	for i := range w.Actors {
		a := &w.Actors[i]
		s.capN[i] = a.Capability / capScale
		s.hot[i].econN = a.Economy / econScale
		s.patron[i] = a.Patron
		s.state[i] = a.Kind == State
		s.isOrg[i] = a.Kind != State
		f := s.hot[i].flags &^ (hotPatron | hotSlow)
		if a.Patron {
			f |= hotPatron
		}
		if s.isOrg[i] || (i < len(s.srcHeld) && s.srcHeld[i]) {
			f |= hotSlow
		}
		s.hot[i].flags = f
		copy(s.values[i], a.Values)
		s.autonomy[i] = a.Autonomy
	}
	s.order, _ = memberOrder(w.Actors)
	s.lastEntry = 0
	for i := range w.Actors {
		a := &w.Actors[i]
		s.lastEntry = max(s.lastEntry, a.Enter, a.Exit)
		if c := a.ValueChanges; len(c) > 0 {
			s.lastEntry = max(s.lastEntry, c[len(c)-1].Step)
		}
		for _, sp := range a.Absent {
			s.lastEntry = max(s.lastEntry, sp.To)
		}
	}
	s.region = make([]int, n)
	s.regions, s.regionNames = nil, nil
	index := map[string]int{}
	regionOf := func(name string) int {
		r, ok := index[name]
		if !ok {
			r = len(s.regions)
			index[name] = r
			s.regions = append(s.regions, nil)
			s.regionNames = append(s.regionNames, name)
			s.acts = append(s.acts, nil)
		}
		return r
	}
	s.acts = nil
	for i := range w.Actors {
		r := regionOf(w.Actors[i].Region)
		s.region[i] = r
		s.regions[r] = append(s.regions[r], i)
	}
	s.acts = make([][]int, len(s.regions))
	s.actsIn = make([][]int, n)
	s.actsAt = make([][]int32, n)
	s.accDirty = true
	s.chartered = make([][]int, n)
	for i := range w.Actors {
		a := &w.Actors[i]
		if !s.isOrg[i] {
			continue
		}
		for _, m := range a.Admits {
			s.chartered[m] = append(s.chartered[m], i)
		}
		rs := a.Regions
		if len(rs) == 0 {
			rs = []string{a.Region}
		}
		for _, name := range rs {
			r := regionOf(name)
			if r >= len(s.acts) {
				s.acts = append(s.acts, make([][]int, r+1-len(s.acts))...)
			}
			if !slices.Contains(s.actsIn[i], r) {
				s.actsIn[i] = append(s.actsIn[i], r)
				s.actsAt[i] = append(s.actsAt[i], int32(len(s.acts[r])))
				s.acts[r] = append(s.acts[r], i)
			}
		}
	}
	for len(s.regions) < len(s.acts) {
		s.regions = append(s.regions, nil)
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
	}
	// organisations' values and autonomy follow their founding members
	// (the members' mean; they decide through them)
	for _, o := range s.order {
		s.deriveFromMembers(int(o), w.Actors[o].Members)
	}
	direct := make([]float64, n) // each threat's, every entry rewritten
	for k := range w.Threats {
		th := &w.Threats[k]
		for i := range w.Actors {
			if v, ok := th.ActorExposure[i]; ok {
				direct[i] = v
			} else {
				direct[i] = th.RegionExposure[w.Actors[i].Region]
			}
		}
		// organisations feel at least the mean exposure of their founding
		// members, unless the scenario names them explicitly
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
			direct[o] = max(direct[o], sum/float64(len(a.Members)))
		}
		for i := 0; i < n; i++ {
			if direct[i] <= 0 || i == th.Source {
				continue
			}
			vf := 1.0
			if th.Source >= 0 {
				vf = s.valueFactor(s.dist(i, th.Source))
			}
			s.expo[k] = append(s.expo[k], exposure{actor: i, e: direct[i], vf: vf})
		}
	}
	// each actor's threat entries: the background need, then its threats
	counts := make([]int32, n+1)
	for i := 0; i < n; i++ {
		counts[i+1] = 1
	}
	for k := range s.expo {
		for _, x := range s.expo[k] {
			counts[x.actor+1]++
		}
	}
	s.teOff = make([]int32, n+1)
	for i := 0; i < n; i++ {
		s.teOff[i+1] = s.teOff[i] + counts[i+1]
	}
	s.te = make([]threatEntry, s.teOff[n])
	fill := slices.Clone(s.teOff[:n])
	for i := 0; i < n; i++ {
		s.te[fill[i]] = threatEntry{k: -1, class: Conventional, src: -1, e: 1, eP: 1}
		fill[i]++
	}
	for k := range s.expo {
		class, src := w.Threats[k].Class(), w.Threats[k].Source
		for _, x := range s.expo[k] {
			s.te[fill[x.actor]] = threatEntry{k: k, class: class, src: src, e: x.e * x.vf, eP: 1}
			fill[x.actor]++
		}
	}
	maxTE := 0
	for i := 0; i < n; i++ {
		maxTE = max(maxTE, int(s.teOff[i+1]-s.teOff[i]))
		h := &s.hot[i]
		h.convT, h.convK, h.convSrc, h.nConv = 0, -1, -1, 0
		for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
			if x := &s.te[e]; x.class == Conventional {
				if h.nConv == 0 {
					h.convT, h.convK, h.convSrc = x.T, int32(x.k), int32(x.src)
				}
				h.nConv++
			}
		}
	}
	s.dP = make([]float64, maxTE)
	s.qP = make([]float64, maxTE)
	s.dT = make([]float64, maxTE)
	s.gc = make([]float64, maxTE)
	s.teIdx = nil
	if nT := len(w.Threats); nT > 0 && n*nT <= teIndexMax {
		s.teIdx = make([]int32, n*nT)
		for x := range s.teIdx {
			s.teIdx[x] = -1
		}
		for i := 0; i < n; i++ {
			for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
				s.teIdx[i*nT+s.te[e].k] = e
			}
		}
	}
}

// teIndexMax is the largest actors × threats table of entries (teIdx) a
// run keeps: 16 MiB (a variable for the test that compares the table with
// the search).
var teIndexMax = 1 << 22

// revalue applies the value changes of this step (Actor.ValueChanges) to
// the actors' values. It reports whether any changed; rederive then
// carries them into organisations and value factors.
func (s *Sim) revalue() bool {
	changed := false
	for i := range s.w.Actors {
		for _, c := range s.w.Actors[i].ValueChanges {
			if c.Step == s.t {
				copy(s.values[i], c.Values)
				changed = true
			}
		}
	}
	return changed
}

// rederive sets every organisation with members to its current members'
// values and autonomy (they decide through them), and recomputes how far
// each actor feels the threats whose source it is or that it feels (the
// value distance to the source): after values changed, or members came or
// went with the system's composition.
func (s *Sim) rederive() {
	for _, o := range s.order {
		if len(s.members[o]) == 0 {
			continue
		}
		s.deriveFromCurrent(int(o))
	}
	s.refactor(-1)
}

// resumeValues gives a branch of a live run (setWorld has just set the
// branch world's values as of step 0) the values of its step. An actor
// whose values the branch world does not change (the same values and
// value changes as the run's world, old) keeps what the run holds (held,
// heldAut); one it changes takes its last value change up to now; an
// organisation keeps the run's unless it or one of its current members
// changed, and is then derived from its current members. The value factors
// follow.
func (s *Sim) resumeValues(old *World, held, heldAut []float64) {
	changed := make([]bool, s.n)
	for i := range s.w.Actors {
		a, b := &s.w.Actors[i], &old.Actors[i]
		changed[i] = !slices.Equal(a.Values, b.Values) || a.Autonomy != b.Autonomy ||
			!slices.EqualFunc(a.ValueChanges, b.ValueChanges, func(x, y ValueChange) bool {
				return x.Step == y.Step && slices.Equal(x.Values, y.Values)
			})
	}
	keep := func(i int) {
		copy(s.values[i], held[i*s.vdim:(i+1)*s.vdim])
		s.autonomy[i] = heldAut[i]
	}
	for i := range s.w.Actors {
		if s.pooled(i) {
			continue
		}
		if !changed[i] {
			keep(i)
			continue
		}
		for _, c := range s.w.Actors[i].ValueChanges {
			if c.Step > 0 && c.Step <= s.t {
				copy(s.values[i], c.Values)
			}
		}
	}
	for _, o := range s.order {
		i := int(o)
		if !s.pooled(i) {
			continue
		}
		moved := changed[i]
		for _, m := range s.members[i] {
			moved = moved || changed[m.actor]
		}
		if !moved || len(s.members[i]) == 0 {
			keep(i)
			continue
		}
		s.deriveFromCurrent(i)
	}
	s.refactor(-1)
}

// refactor recomputes the value factors, and the exposure of the threat
// entries they enter, that actor a's values enter after they changed (an
// organisation's, with its membership): of the threats a is exposed to and
// of every exposure to a threat a is the source of; every one for a < 0.
func (s *Sim) refactor(a int) {
	for k := range s.expo {
		src := s.w.Threats[k].Source
		if src < 0 {
			continue
		}
		for x := range s.expo[k] {
			ex := &s.expo[k][x]
			if a >= 0 && src != a && ex.actor != a {
				continue
			}
			ex.vf = s.valueFactor(s.dist(ex.actor, src))
			if e := s.feels(ex.actor, k); e >= 0 {
				s.te[e].e = ex.e * ex.vf
			}
		}
	}
}

// deriveFromCurrent derives organisation o's values and autonomy from its
// current members (deriveFromMembers, in their order).
func (s *Sim) deriveFromCurrent(o int) {
	mem := make([]int, 0, len(s.members[o]))
	for _, m := range s.members[o] {
		mem = append(mem, m.actor)
	}
	s.deriveFromMembers(o, mem)
}

// deriveFromMembers sets an organisation's values to its members' mean and
// its autonomy to their capability-weighted mean; without members it keeps
// its own.
func (s *Sim) deriveFromMembers(o int, members []int) {
	if len(members) == 0 {
		return
	}
	v := s.values[o]
	clear(v)
	aut, wsum := 0.0, 0.0
	for _, m := range members {
		for k, x := range s.values[m] {
			v[k] += x / float64(len(members))
		}
		w := s.capN[m] + 1e-6
		aut += w * s.autonomy[m]
		wsum += w
	}
	s.autonomy[o] = aut / wsum
}

// sharedThreats lists the threats of a class that at least two of the
// members feel: what a security group without a stated scope is about.
func (s *Sim) sharedThreats(members []int, class ThreatClass) []int {
	var out []int
	for k := range s.w.Threats {
		if s.w.Threats[k].Class() != class {
			continue
		}
		c := 0
		for _, m := range members {
			if s.feels(m, k) >= 0 {
				c++
			}
		}
		if c >= 2 {
			out = append(out, k)
		}
	}
	return out
}

// dist is the Euclidean distance between two actors' value vectors.
func (s *Sim) dist(i, j int) float64 {
	d := s.vdim
	vi, vj := s.vals[i*d:i*d+d], s.vals[j*d:j*d+d]
	sum := 0.0
	for k := range vi {
		d := vi[k] - vj[k]
		sum += d * d
	}
	return math.Sqrt(sum)
}

// presentAt reports whether actor i is in the system at step t.
func (s *Sim) presentAt(i, t int) bool {
	a := &s.w.Actors[i]
	if t < a.Enter || (a.Exit > 0 && t >= a.Exit) {
		return false
	}
	for _, sp := range a.Absent {
		if t >= sp.From && t < sp.To {
			return false
		}
	}
	return true
}

// Active reports whether actor i is in the system at this step: it has
// entered, not left, and is not absent.
func (s *Sim) Active(i int) bool { return s.present[i] }

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

// NumTies is the number of live pairwise ties (including those of actors
// absent this step).
func (s *Sim) NumTies() int { return s.numTies }

// NumGroups is the number of live groups (minilaterals and coalitions).
func (s *Sim) NumGroups() int { return s.numGroups }

// Ties yields every live tie between two actors in the system, in a
// deterministic order (by slot). Ties of an absent actor are kept but not
// yielded until it returns.
func (s *Sim) Ties() iter.Seq[*Tie] {
	return func(yield func(*Tie) bool) {
		for k := range s.ties {
			t := &s.ties[k]
			if t.alive && s.present[t.A] && s.present[t.B] && !yield(t) {
				return
			}
		}
	}
}

// TieBetween returns the live tie between a and b, if any.
func (s *Sim) TieBetween(a, b int) (*Tie, bool) {
	k, ok := s.tieSlot(a, b)
	if !ok {
		return nil, false
	}
	return &s.ties[k], true
}

// mdBits is how many mutual-defence organisations get a bit in mdMask (a
// variable for the test that compares the mask with the membership lists).
var mdBits = 64

// densePairs is the largest world whose ties are found through an n×n
// table: the pair terms of every option look ties up. A larger world
// searches the partners of the pair's actor with fewer ties (adjP, one
// array an actor). The table is the cheaper up to a few hundred actors
// and the partner lists beyond, where the table (n² entries) no longer
// stays in cache: on Synthetic(N) a step costs 0.95 times the table's at
// N = 200, 1.01 at 500 and 1.05 at 1,000 (CPU, with the partner lists).
// The built-ins and the alliance record are below the limit.
var densePairs = 400 // a variable for the test that compares the two lookups

// tieSlot is the slot of the tie between a and b, if any.
func (s *Sim) tieSlot(a, b int) (int, bool) {
	if s.pairM != nil {
		k := s.pairM[a*s.n+b]
		return int(k) - 1, k != 0
	}
	// a large world: the partners of the one with fewer ties, one array
	// (a map of every pair is a cache miss a lookup at that size)
	if len(s.adjP[b]) < len(s.adjP[a]) {
		a, b = b, a
	}
	if x := slices.Index(s.adjP[a], int32(b)); x >= 0 {
		return s.adj[a][x], true
	}
	return 0, false
}

// setSlot records that the tie between a and b is in slot k (-1: none)
// in the table of a world of at most densePairs actors.
func (s *Sim) setSlot(a, b, k int) {
	if s.pairM != nil {
		s.pairM[a*s.n+b] = int32(k + 1)
		s.pairM[b*s.n+a] = int32(k + 1)
	}
	// (a larger world finds the tie in its actors' adjacency: tieSlot)
}

// TiesOf yields the live ties of actor i with actors in the system.
func (s *Sim) TiesOf(i int) iter.Seq[*Tie] {
	return func(yield func(*Tie) bool) {
		for _, k := range s.adj[i] {
			t := &s.ties[k]
			if s.present[t.Other(i)] && !yield(t) {
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

// Degree is the number of live ties of actor i with actors in the system
// (a tie with an absent partner is invisible until it returns: 7.11).
func (s *Sim) Degree(i int) int {
	if s.allPresent {
		return s.deg[i]
	}
	d := 0
	for _, j := range s.adjP[i] {
		if s.present[j] {
			d++
		}
	}
	return d
}

// EffectiveCapability is actor i's capability this step (normalised so the
// most capable state of the world has 1): own capability (or its members'
// for an organisation) plus assisted capability.
func (s *Sim) EffectiveCapability(i int) float64 { return s.hot[i].effCap }

// Assisted is the capability actor i holds from assistance it received.
func (s *Sim) Assisted(i int) float64 { return s.assisted[i] }

// Reliability is how reliable partners see actor i, in [0, 1]: its
// reputation, learned from what it has done (organisations: their members'
// capability-weighted reliability times their own reputation).
func (s *Sim) Reliability(i int) float64 { return s.hot[i].rel }

// Reputation of actor i in [0, 1]; abandoning ties, refusing partners'
// requests and cutting support lower it.
func (s *Sim) Reputation(i int) float64 { return s.rep[i] }

// Presence is the share of actor i's capability its partners can count on
// (the military umbrella: 1 − military retrenchment for a patron, else 1).
func (s *Sim) Presence(i int) float64 { return s.hot[i].presence }

// PerceivedThreat is actor i's total perceived threat this step, summed over
// threats (without the background need).
func (s *Sim) PerceivedThreat(i int) float64 { return s.threat[i] }

// Dependence is the share of actor i's protection from partners that comes
// from ties with a patron, in [0, 1].
func (s *Sim) Dependence(i int) float64 { return s.dep[i] }

// Insecurity is actor i's unprotected need, Σ threat x exp(-protection)
// over the threats it feels: the quantity its security utility is the
// negative of.
func (s *Sim) Insecurity(i int) float64 {
	s.settle(i)
	v := 0.0
	for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
		v += s.te[e].T * math.Exp(-s.te[e].P)
	}
	return v
}

// Protection is actor i's protection against the background need
// (conventional) and its strongest transnational protection.
func (s *Sim) Protection(i int) (conventional, transnational float64) {
	s.settle(i)
	conventional = s.te[s.teOff[i]].P
	transnational = s.p.SelfHelp * s.hot[i].effCap
	for e := s.teOff[i] + 1; e < s.teOff[i+1]; e++ {
		if s.te[e].class == Transnational {
			transnational = max(transnational, s.te[e].P)
		}
	}
	return conventional, transnational
}

// ProtectionAgainst is actor i's protection against threat k this step
// (0 if it does not feel it).
func (s *Sim) ProtectionAgainst(i, k int) float64 {
	s.settle(i)
	for e := s.teOff[i]; e < s.teOff[i+1]; e++ {
		if s.te[e].k == k {
			return s.te[e].P
		}
	}
	return 0
}

// Intensity of threat k this step.
func (s *Sim) Intensity(k int) float64 { return s.intensity[k] }

// Retrenchment returns this step's political retrenchment (the profile and
// the patron's policy regime) and military retrenchment.
func (s *Sim) Retrenchment() (political, military float64) { return s.retPol, s.retMil }

// OutStrength is the support actor i gives this step.
func (s *Sim) OutStrength(i int) float64 {
	sum := 0.0
	for _, k := range s.adj[i] {
		t := &s.ties[k]
		if t.Donor == i {
			sum += t.Support
		}
	}
	return sum
}

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

// Enmity between actors a and b in [0, 1] this step.
func (s *Sim) Enmity(a, b int) float64 {
	for _, x := range s.enemies[a] {
		if x.j == b {
			return x.e
		}
	}
	return 0
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
