package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Clone returns an independent copy of the run, random stream included: the
// copy and the original, stepped alike, stay identical. Branching scenarios
// clone a run at the branch step and change each copy's parameters, so the
// branches share history and use common random numbers after it.
func (s *Sim) Clone() *Sim {
	c := *s
	state, err := s.src.MarshalBinary()
	if err != nil {
		panic("sim: cannot snapshot the random stream: " + err.Error())
	}
	c.src = new(rand.ChaCha8)
	if err := c.src.UnmarshalBinary(state); err != nil {
		panic("sim: cannot restore the random stream: " + err.Error())
	}
	c.rng = rand.New(c.src)
	c.ties = slices.Clone(s.ties)
	c.freeTies = slices.Clone(s.freeTies)
	c.pairM = slices.Clone(s.pairM)
	c.enemyRow = nil // (scratch: the clone makes its own)
	c.adj = cloneNested(s.adj)
	c.adjP = cloneNested(s.adjP)
	c.deg = slices.Clone(s.deg)
	c.groups = slices.Clone(s.groups)
	c.glog, c.glogInts, c.synced, c.held = slices.Clone(s.glog), slices.Clone(s.glogInts), slices.Clone(s.synced), cloneNested(s.held)
	c.joinedAt = slices.Clone(s.joinedAt)
	for k := range c.groups {
		c.groups[k].Members = slices.Clone(s.groups[k].Members)
		c.groups[k].About = slices.Clone(s.groups[k].About)
		c.groups[k].agg.srcs = slices.Clone(s.groups[k].agg.srcs)
	}
	c.freeGroups = slices.Clone(s.freeGroups)
	c.groupNames = slices.Clone(s.groupNames)
	c.inGroups = cloneNested(s.inGroups)
	c.coalition = slices.Clone(s.coalition)
	c.activeCoalitions = slices.Clone(s.activeCoalitions)
	c.assisted = slices.Clone(s.assisted)
	c.aidBy = cloneNested(s.aidBy)
	c.srcHeld = slices.Clone(s.srcHeld)
	c.rep = slices.Clone(s.rep)
	c.budget = slices.Clone(s.budget)
	c.prevBud = slices.Clone(s.prevBud)
	c.intensity = slices.Clone(s.intensity)
	c.hot = slices.Clone(s.hot)
	c.res = slices.Clone(s.res)
	c.threat = slices.Clone(s.threat)
	c.prevThreat = slices.Clone(s.prevThreat)
	c.prevConv = slices.Clone(s.prevConv)
	c.dep = slices.Clone(s.dep)
	c.orgPool = slices.Clone(s.orgPool)
	c.orgYears = slices.Clone(s.orgYears)
	c.orgRep = slices.Clone(s.orgRep)
	c.baseBound = slices.Clone(s.baseBound)
	c.present = slices.Clone(s.present)
	c.gone = slices.Clone(s.gone)
	c.members = make([][]membership, len(s.members))
	for i := range s.members {
		c.members[i] = slices.Clone(s.members[i])
	}
	c.memberOf = cloneNested(s.memberOf)
	c.mdMask = slices.Clone(s.mdMask)
	c.memberView = make([][]int, len(s.memberView))
	c.apps = slices.Clone(s.apps)
	c.nApps = slices.Clone(s.nApps)
	for k := range c.apps {
		c.apps[k].ratified = slices.Clone(s.apps[k].ratified)
		c.apps[k].held = slices.Clone(s.apps[k].held)
	}
	c.te = slices.Clone(s.te)
	// values and threat exposures change with Actor.ValueChanges
	c.vals = slices.Clone(s.vals)
	c.values = make([][]float64, len(s.values))
	for i := range c.values {
		c.values[i] = c.vals[i*c.vdim : (i+1)*c.vdim : (i+1)*c.vdim]
	}
	c.autonomy = slices.Clone(s.autonomy)
	c.expo = make([][]exposure, len(s.expo))
	for k := range s.expo {
		c.expo[k] = slices.Clone(s.expo[k])
	}
	c.enemies = make([][]enemy, len(s.enemies))
	for i := range s.enemies {
		c.enemies[i] = slices.Clone(s.enemies[i])
	}
	c.ovIntensity = slices.Clone(s.ovIntensity)
	c.dP = make([]float64, len(s.dP))
	c.qP = make([]float64, len(s.qP))
	c.dT = make([]float64, len(s.dT))
	c.gc = make([]float64, len(s.gc))
	c.actList, c.actKind, c.opts, c.cands, c.orgCands, c.tmp, c.candVal, c.srcBuf = nil, nil, nil, nil, nil, nil, nil, nil
	c.dyadBuf = nil
	c.accBase, c.accCharter, c.accDirty, c.accDev, c.accSwap = nil, nil, true, nil, nil
	c.dec = Decision{}
	c.events = slices.Clone(s.events)
	return &c
}

func cloneNested[T any](x [][]T) [][]T {
	y := make([][]T, len(x))
	for i := range x {
		y[i] = slices.Clone(x[i])
	}
	return y
}

// Branch returns a copy of the run, random stream included, that continues
// under another world and parameters: an intervention from this step on.
// The world must describe the same actors (ids, in order), threats (names,
// in order) and organisations' members; anything else may differ (profiles,
// attributes, exposure). Branches cut from one run at one step share its
// history and, stepped alike, use common random numbers, so differences
// between them come from the intervention. Live overrides (SetIntensity,
// SetRetrenchment) carry over.
func (s *Sim) Branch(w *World, p Params) (*Sim, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(w.Actors) != len(s.w.Actors) || len(w.Threats) != len(s.w.Threats) {
		return nil, fmt.Errorf("sim: branch world has %d actors and %d threats, the run %d and %d: a branch may change values, not the cast",
			len(w.Actors), len(w.Threats), len(s.w.Actors), len(s.w.Threats))
	}
	for i := range w.Actors {
		if w.Actors[i].ID != s.w.Actors[i].ID || !slices.Equal(w.Actors[i].Members, s.w.Actors[i].Members) ||
			w.Actors[i].Enter != s.w.Actors[i].Enter || w.Actors[i].Exit != s.w.Actors[i].Exit {
			return nil, fmt.Errorf("sim: branch world's actors[%d] is %s, the run's %s (or its members differ)", i, w.Actors[i].ID, s.w.Actors[i].ID)
		}
	}
	for k := range w.Threats {
		if w.Threats[k].Name != s.w.Threats[k].Name {
			return nil, fmt.Errorf("sim: branch world's threats[%d] is %q, the run's %q", k, w.Threats[k].Name, s.w.Threats[k].Name)
		}
	}
	c := s.Clone()
	held, heldAut := slices.Clone(c.vals), slices.Clone(c.autonomy)
	c.p = p
	c.setWorld(w)
	if c.t > 0 && len(held) == len(c.vals) {
		c.resumeValues(s.w, held, heldAut)
	}
	c.refresh()
	return c, nil
}
