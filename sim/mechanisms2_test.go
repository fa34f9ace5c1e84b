package sim_test

import (
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// An organisation that counts a threat's source among its members does not
// protect against that source: Finland gains nothing from "NATO" if Russia
// were in it.
func TestSourceCapabilityDoesNotProtect(t *testing.T) {
	b := simtest.NewBuilder()
	b.State("RUS", "E", 0.5, 0.5, []float64{-1, -1, -1}, 0.5)
	b.State("CHN", "A", 0.5, 0.5, []float64{-1, -1, -1}, 0.5)
	b.State("FIN", "E", 0.01, 0.01, []float64{1, 1, 1}, 0.5)
	b.Org("SCO", "A", 0.1, 0.1, []float64{-1, -1, -1}, "RUS", "CHN")
	b.Threat("russia", "conventional", "RUS", map[string]float64{"E": 1}, nil, sim.ConstantProfile(1))
	s := newSim(t, b.W, sim.DefaultParams(), "capfor", 0)
	fin, sco, chn := b.I("FIN"), b.I("SCO"), b.I("CHN")
	if got, want := s.CapFor(fin, sco), s.EffectiveCapability(chn); got != want {
		t.Fatalf("SCO brings Finland %v, want only China's %v", got, want)
	}
	if got := s.CapFor(fin, b.I("RUS")); got != 0 {
		t.Fatalf("the source brings %v protection against itself", got)
	}
	if got := s.CapFor(chn, sco); got != s.EffectiveCapability(sco) {
		t.Fatalf("unexposed China: SCO brings %v, want all of %v", got, s.EffectiveCapability(sco))
	}
}

// Influence runs from the stronger to the weaker side only, and a threat's
// source has leverage over those it threatens.
func TestInfluenceAndLeverage(t *testing.T) {
	w := simtest.Nordic(1)
	s := newSim(t, w, sim.DefaultParams(), "infl", 0)
	s.Run(10)
	usa, fin, rus := w.ActorIndex("USA"), w.ActorIndex("FIN"), w.ActorIndex("RUS")
	if s.Influence(usa, fin) <= 0 || s.Influence(fin, usa) != 0 {
		t.Fatalf("influence USA over FIN %v, FIN over USA %v", s.Influence(usa, fin), s.Influence(fin, usa))
	}
	if s.Leverage(rus, fin) <= 0 || s.Leverage(fin, rus) != 0 || s.Leverage(usa, fin) != 0 {
		t.Fatalf("leverage RUS over FIN %v, FIN over RUS %v, USA over FIN %v", s.Leverage(rus, fin), s.Leverage(fin, rus), s.Leverage(usa, fin))
	}
}

// A new tie between very unequal actors carries a flow from the richer.
func TestDonorDirection(t *testing.T) {
	w := simtest.Sponsor(0)
	s := newSim(t, w, sim.DefaultParams(), "donor", 0)
	don, rec, oth := w.ActorIndex("DON"), w.ActorIndex("REC"), w.ActorIndex("OTH")
	if d := s.DonorOf(rec, don); d != don {
		t.Fatalf("donor of REC-DON is %d, want DON", d)
	}
	p := sim.DefaultParams()
	p.DonorRatio = 1000
	s2 := newSim(t, w, p, "donor", 0)
	if d := s2.DonorOf(rec, oth); d != -1 {
		t.Fatalf("with donor_ratio 1000 the REC-OTH tie has donor %d", d)
	}
}

// Membership of an organisation with a defence commitment protects.
func TestMembershipCommitmentProtects(t *testing.T) {
	protection := func(commitment float64) float64 {
		w := simtest.Nordic(0)
		w.Actors[w.ActorIndex("NATO")].Commitment = commitment
		s := newSim(t, w, sim.DefaultParams(), "member", 0)
		c, _ := s.Protection(w.ActorIndex("EST"))
		return c
	}
	if lo, hi := protection(0), protection(0.9); hi <= lo {
		t.Fatalf("Estonia's protection %v with NATO commitment 0.9, %v with 0", hi, lo)
	}
}

// Coalitions answer transnational threats; a conventional shock gets none.
func TestNoCoalitionAgainstStateThreat(t *testing.T) {
	s := newSim(t, simtest.Nordic(1), sim.DefaultParams(), "nocoal", 0)
	s.Run(30)
	if _, ok := s.Coalition(0); ok {
		t.Fatal("a coalition formed around a conventional threat")
	}
}

// Candidates drawn among partners' partners close triangles.
func TestClosureBiasRaisesClustering(t *testing.T) {
	closed := func(bias float64) int {
		p := sim.DefaultParams()
		p.ClosureBias = bias
		total := 0
		for r := 0; r < 3; r++ {
			s := newSim(t, simtest.Synthetic(120, 5), p, "closure", r)
			s.Run(60)
			for tie := range s.Ties() {
				for other := range s.TiesOf(tie.A) {
					k := other.Other(tie.A)
					if k != tie.B {
						if _, ok := s.TieBetween(k, tie.B); ok {
							total++
						}
					}
				}
			}
		}
		return total
	}
	if lo, hi := closed(0), closed(1); hi <= lo {
		t.Fatalf("closed triangles: %d with closure_bias 1, %d with 0", hi, lo)
	}
}

// An actor that enters at step 15 (a new state) has no ties, threat or
// opportunities before, and forms ties after.
func TestEntry(t *testing.T) {
	w := simtest.HubAndSpoke(20, 0.3, 2)
	w.Ties = w.Ties[:len(w.Ties)-1] // the last spoke, S19, starts untied
	last := len(w.Actors) - 1
	w.Actors[last].Enter = 15
	p := sim.DefaultParams()
	p.OpportunityRate = 1
	entered := 0
	for r := 0; r < 4; r++ {
		s := newSim(t, w, p, "entry", r)
		for s.T() < 14 {
			s.Step()
			if s.Degree(last) != 0 || s.PerceivedThreat(last) != 0 || s.Active(last) {
				t.Fatalf("step %d: %s active before entering (degree %d)", s.T(), w.Actors[last].ID, s.Degree(last))
			}
		}
		s.Run(15)
		found := false
		for _, e := range s.Events() {
			found = found || (e.Kind == sim.ActorEntered && e.Actor == last)
		}
		if !found || !s.Active(last) || s.PerceivedThreat(last) == 0 {
			t.Fatalf("replicate %d: no entry at step 15", r)
		}
		s.Run(40)
		if s.Degree(last) > 0 {
			entered++
		}
	}
	if entered < 3 {
		t.Fatalf("the new state has ties in %d of 4 replicates after 25 steps", entered)
	}
	w.Ties = append(w.Ties, sim.TieSpec{A: 0, B: last, Form: sim.Alliance, Level: sim.Nominal, Donor: -1})
	if err := w.Validate(); err == nil {
		t.Fatal("a tie of an actor that has not entered accepted")
	}
}

// Skipping the start-of-step recomputation when no profile moved is exact:
// a run that recomputes every step makes the same choices.
func TestSkippedRefreshIsExact(t *testing.T) {
	for _, w := range []*sim.World{simtest.Synthetic(80, 4), simtest.Nordic(1), simtest.Terror(5, 20)} {
		a := newSim(t, w, sim.DefaultParams(), "skip", 0)
		b := newSim(t, w, sim.DefaultParams(), "skip", 0)
		for a.T() < 60 {
			a.Step()
			b.MarkDirty()
			b.Step()
			if !equalEvents(a.Events(), b.Events()) {
				t.Fatalf("step %d: runs diverge", a.T())
			}
		}
	}
}
