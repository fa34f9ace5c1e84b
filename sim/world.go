package sim

import (
	"errors"
	"fmt"
	"math"
)

// Validate checks the world's internal consistency: indices in range, values
// in range, no self-ties or duplicate pairs, groups of at least three distinct
// members, no organisation that contains itself. All problems are returned
// joined. Scenario files get friendlier, located errors from the scenarios
// package; this is the engine's own guard.
func (w *World) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	n := len(w.Actors)
	if n < 2 {
		add("world: %d actors; a world needs at least 2", n)
	}
	dim := -1
	ids := make(map[string]int, n)
	for i := range w.Actors {
		a := &w.Actors[i]
		where := fmt.Sprintf("actors[%d] (%s)", i, a.ID)
		if a.ID == "" {
			add("actors[%d]: empty id", i)
		} else if j, dup := ids[a.ID]; dup {
			add("%s: duplicate id, also actors[%d]", where, j)
		} else {
			ids[a.ID] = i
		}
		check01 := func(field string, v float64) {
			if !(v >= 0 && v <= 1) {
				add("%s.%s = %v is out of range: want [0, 1]", where, field, v)
			}
		}
		check01("capability", a.Capability)
		check01("autonomy", a.Autonomy)
		check01("commitment", a.Commitment)
		if !(a.Economy >= 0) || math.IsInf(a.Economy, 0) {
			add("%s.economy = %v: want a finite number >= 0", where, a.Economy)
		}
		if a.Enter < 0 {
			add("%s.enter = %d: want a step >= 0", where, a.Enter)
		}
		if a.Exit < 0 || (a.Exit > 0 && a.Exit <= a.Enter) {
			add("%s.exit = %d: want a step after enter (%d), or 0 for never", where, a.Exit, a.Enter)
		}
		for k, sp := range a.Absent {
			if sp.From < 0 || sp.To <= sp.From {
				add("%s.absent[%d] = [%d, %d): want 0 <= from < to", where, k, sp.From, sp.To)
			}
		}
		for k, pre := range a.Inherits {
			switch {
			case pre < 0 || pre >= n:
				add("%s.inherits[%d] = %d: no such actor", where, k, pre)
			case pre == i:
				add("%s.inherits[%d]: an actor cannot succeed itself", where, k)
			}
		}
		if !(a.Age >= 0) || math.IsInf(a.Age, 0) {
			add("%s.age = %v: want a finite number of years >= 0", where, a.Age)
		}
		if a.Aid != nil {
			if err := a.Aid.Validate(where + ".aid"); err != nil {
				errs = append(errs, err)
			}
		}
		if (a.MutualDefence || a.Consensus || a.Closed || len(a.Regions) > 0) && a.Kind == State {
			add("%s: mutual_defence, consensus, closed and regions describe organisations, not states", where)
		}
		if a.Kind > Informal {
			add("%s.kind: unknown kind %d", where, a.Kind)
		}
		if len(a.Values) > maxValues {
			add("%s.values has %d entries; at most %d are supported", where, len(a.Values), maxValues)
		}
		if dim < 0 {
			dim = len(a.Values)
		} else if len(a.Values) != dim {
			add("%s.values has %d entries; every actor needs the same number (%d)", where, len(a.Values), dim)
		}
		for k, v := range a.Values {
			if !(v >= -1 && v <= 1) {
				add("%s.values[%d] = %v is out of range: want [-1, 1]", where, k, v)
			}
		}
		for k, c := range a.ValueChanges {
			switch {
			case c.Step < 1:
				add("%s.value_changes[%d].step = %d: want a step >= 1 (the values at step 0 are values)", where, k, c.Step)
			case k > 0 && c.Step <= a.ValueChanges[k-1].Step:
				add("%s.value_changes[%d].step = %d: want steps in increasing order (the one before is %d)", where, k, c.Step, a.ValueChanges[k-1].Step)
			}
			if len(c.Values) != len(a.Values) {
				add("%s.value_changes[%d].values has %d entries; want %d, as values", where, k, len(c.Values), len(a.Values))
			}
			for x, v := range c.Values {
				if !(v >= -1 && v <= 1) {
					add("%s.value_changes[%d].values[%d] = %v is out of range: want [-1, 1]", where, k, x, v)
				}
			}
		}
		for k, m := range a.Admits {
			if m < 0 || m >= n {
				add("%s.admits[%d] = %d: no such actor", where, k, m)
			} else if w.Actors[m].Kind != State {
				add("%s.admits[%d] = %s: only states accede", where, k, w.Actors[m].ID)
			}
		}
		for k, m := range a.Members {
			switch {
			case m < 0 || m >= n:
				add("%s.members[%d] = %d: no such actor", where, k, m)
			case m == i:
				add("%s.members[%d]: an actor cannot be its own member", where, k)
			}
		}
	}
	if len(errs) == 0 {
		if _, err := memberOrder(w.Actors); err != nil {
			errs = append(errs, err)
		}
	}
	seen := make(map[uint64]int, len(w.Ties))
	for k, t := range w.Ties {
		where := fmt.Sprintf("ties[%d]", k)
		if t.A < 0 || t.A >= n || t.B < 0 || t.B >= n {
			add("%s: actor index out of range (%d, %d)", where, t.A, t.B)
			continue
		}
		if t.A == t.B {
			add("%s: a tie needs two different actors (%s twice)", where, w.Actors[t.A].ID)
			continue
		}
		for _, x := range []int{t.A, t.B} {
			if w.Actors[x].Enter > 0 {
				add("%s: %s enters at step %d and cannot start with ties", where, w.Actors[x].ID, w.Actors[x].Enter)
			}
		}
		key := pairKey(int32(t.A), int32(t.B))
		if j, dup := seen[key]; dup {
			add("%s: %s-%s already tied in ties[%d]; one tie per pair", where, w.Actors[t.A].ID, w.Actors[t.B].ID, j)
		}
		seen[key] = k
		if t.Level < Nominal || t.Level > Advanced {
			add("%s.level = %d: want nominal..advanced", where, t.Level)
		}
		if t.Form >= Coalition {
			add("%s.form = %s: initial ties are cooperation, alliance or assistance (coalitions are groups)", where, t.Form)
		}
		if t.Form == Alliance && (w.Actors[t.A].Kind != State || w.Actors[t.B].Kind != State) {
			add("%s: an alliance binds two states (%s-%s); an organisation's mutual defence is its membership (list the state among its members)", where, w.Actors[t.A].ID, w.Actors[t.B].ID)
		}
		if t.Form == Assistance && t.Donor < 0 {
			add("%s: an assistance tie needs a donor (flow a_to_b or b_to_a)", where)
		}
		if t.Donor != -1 && t.Donor != t.A && t.Donor != t.B {
			add("%s: donor %d is neither side of the tie", where, t.Donor)
		}
		if !(t.Trust >= 0 && t.Trust <= 1) {
			add("%s.trust = %v is out of range: want [0, 1]", where, t.Trust)
		}
		if t.Age < 0 {
			add("%s.age = %d: want >= 0", where, t.Age)
		}
	}
	for k, g := range w.Groups {
		where := fmt.Sprintf("groups[%d] (%s)", k, g.Name)
		if g.Kind == Minilateral && len(g.Members) < 3 {
			add("%s: %d members; a minilateral group needs at least 3", where, len(g.Members))
		}
		if g.Kind == CoalitionGroup && len(g.Members) < 2 {
			add("%s: %d members; a coalition needs at least 2", where, len(g.Members))
		}
		mem := make(map[int]bool, len(g.Members))
		for _, m := range g.Members {
			if m < 0 || m >= n {
				add("%s: member index %d out of range", where, m)
			} else if mem[m] {
				add("%s: %s listed twice", where, w.Actors[m].ID)
			} else if w.Actors[m].Enter > 0 {
				add("%s: %s enters at step %d and cannot start in a group", where, w.Actors[m].ID, w.Actors[m].Enter)
			}
			mem[m] = true
		}
		if g.Level < Nominal || g.Level > Advanced {
			add("%s.level = %d: want nominal..advanced", where, g.Level)
		}
		if g.Issue >= NumIssues {
			add("%s.issue = %d: unknown issue", where, g.Issue)
		}
		if g.Kind == CoalitionGroup && (g.Threat < 0 || g.Threat >= len(w.Threats)) {
			add("%s: a coalition must name one of the world's threats", where)
		}
		for _, k := range g.About {
			if k < 0 || k >= len(w.Threats) {
				add("%s.about: threat index %d out of range", where, k)
			} else if src := w.Threats[k].Source; src >= 0 && mem[src] {
				add("%s: %s is the source of %s, which the group is about", where, w.Actors[src].ID, w.Threats[k].Name)
			}
		}
		if g.Age < 0 {
			add("%s.age = %d: want >= 0", where, g.Age)
		}
	}
	for k := range w.Threats {
		th := &w.Threats[k]
		where := fmt.Sprintf("threats[%d] (%s)", k, th.Name)
		if th.Source < -1 || th.Source >= n {
			add("%s.source = %d: no such actor", where, th.Source)
		}
		for r, v := range th.RegionExposure {
			if !(v >= 0 && v <= 1) {
				add("%s.exposure.regions[%s] = %v is out of range: want [0, 1]", where, r, v)
			}
		}
		for a, v := range th.ActorExposure {
			if a < 0 || a >= n {
				add("%s.exposure.actors: index %d out of range", where, a)
			} else if !(v >= 0 && v <= 1) {
				add("%s.exposure.actors[%s] = %v is out of range: want [0, 1]", where, w.Actors[a].ID, v)
			}
		}
		if err := th.Intensity.Validate(where + ".intensity"); err != nil {
			errs = append(errs, err)
		}
	}
	for k, r := range w.Rivalries {
		where := fmt.Sprintf("rivalries[%d]", k)
		switch {
		case r.A < 0 || r.A >= n || r.B < 0 || r.B >= n:
			add("%s: actor index out of range (%d, %d)", where, r.A, r.B)
		case r.A == r.B:
			add("%s: an actor cannot be its own rival", where)
		case !(r.Enmity >= 0 && r.Enmity <= 1):
			add("%s.enmity = %v is out of range: want [0, 1]", where, r.Enmity)
		}
	}
	if !(w.StepsPerYear >= 0) || math.IsInf(w.StepsPerYear, 0) || w.StepsPerYear > 366 {
		add("steps_per_year = %v: want a number of steps in a year in (0, 366]", w.StepsPerYear)
	}
	if err := w.Political.Validate("retrenchment.political"); err != nil {
		errs = append(errs, err)
	}
	if err := w.Military.Validate("retrenchment.military"); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// memberOrder returns actor indices so that every organisation comes after
// all of its members (organisations may contain organisations), or an error
// naming a cycle.
func memberOrder(actors []Actor) ([]int32, error) {
	n := len(actors)
	state := make([]uint8, n) // 0 new, 1 in progress, 2 done
	order := make([]int32, 0, n)
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			return fmt.Errorf("actors: %s contains itself through its members", actors[i].ID)
		case 2:
			return nil
		}
		state[i] = 1
		for _, m := range actors[i].Members {
			if err := visit(m); err != nil {
				return err
			}
		}
		state[i] = 2
		order = append(order, int32(i))
		return nil
	}
	for i := 0; i < n; i++ {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// ActorIndex returns the index of the actor with the given id, or -1.
func (w *World) ActorIndex(id string) int {
	for i := range w.Actors {
		if w.Actors[i].ID == id {
			return i
		}
	}
	return -1
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(uint32(a))<<32 | uint64(uint32(b))
}
