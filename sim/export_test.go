package sim

// Hooks for the external tests in package sim_test (which can use simtest).

// TieDelta exposes tieDelta: the change in i's utility when its tie with j
// goes from (f0, l0) to (f1, l1).
func (s *Sim) TieDelta(i, j int, f0 Form, l0 Level, f1 Form, l1 Level, donor int, trust float64) float64 {
	return s.tieDelta(i, j, f0, l0, f1, l1, donor, trust)
}

// NeedC and ProtC expose conventional need and protection.
func (s *Sim) NeedC(i int) float64 { return s.needC[i] }
func (s *Sim) ProtC(i int) float64 { return s.protC[i] }

// DonorOf exposes donorOf.
func (s *Sim) DonorOf(a, b int) int { return s.donorOf(a, b) }

// SetT moves the clock and recomputes derived state (probing only).
func (s *Sim) SetT(t int) { s.t = t; s.refresh() }

// GroupDeltaNew is i's utility of forming a minilateral on issue with members.
func (s *Sim) GroupDeltaNew(i int, issue Issue, members []int) float64 {
	a := s.aggOf(members, i)
	return s.groupDelta(i, Minilateral, issue.Class(), None, nil, Nominal, &a, s.p.InitialTrust)
}

// TraceActor logs every option actor a weighs through logf.
func (s *Sim) TraceActor(a int, logf func(string, ...any)) {
	s.trace = func(i int, opts []option, chosen int) {
		if i != a {
			return
		}
		for k, o := range opts {
			mark := " "
			if k == chosen {
				mark = "*"
			}
			logf("%s t=%d kind=%d j=%d form=%v level=%v issue=%v u=%.4f", mark, s.t, o.kind, o.j, o.form, o.level, o.issue, o.u)
		}
	}
}

// TraceAll calls f with every opportunity's option utilities and the index chosen.
func (s *Sim) TraceAll(f func(us []float64, chosen int)) {
	var us []float64
	s.trace = func(i int, opts []option, chosen int) {
		us = us[:0]
		for _, o := range opts {
			us = append(us, o.u)
		}
		f(us, chosen)
	}
}

// AbandonTie makes a abandon its tie with b as if it had chosen to.
func (s *Sim) AbandonTie(a, b int) {
	k := s.pair[pairKey(int32(a), int32(b))]
	t := &s.ties[k]
	s.act(a, option{kind: optAbandon, j: b, tie: k, form: t.Form, level: None, donor: t.Donor})
}

// CapFor, Leverage and Influence expose the pair terms.
func (s *Sim) CapFor(i, j int) float64    { return s.capFor(i, j) }
func (s *Sim) Leverage(i, j int) float64  { return s.leverage(i, j) }
func (s *Sim) Influence(i, j int) float64 { return s.influence(i, j) }

// MarkDirty forces the next Step to recompute derived state.
func (s *Sim) MarkDirty() { s.dirty = true }
