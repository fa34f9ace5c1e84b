package scenarios_test

import (
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// Stylised facts 4 and 7 of MODEL.md on the scenario library (facts 1, 2,
// 3, 5 and 6 are in sim/facts_test.go), and the built-ins' own stories.

func load(t *testing.T, ref string, overrides ...string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(ref, overrides...)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func start(t *testing.T, w *sim.World, p sim.Params, name string, rep int) *sim.Sim {
	t.Helper()
	s, err := sim.New(w, p, sim.RunSeed(20261122, name, 0, rep))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sourceWorld is source 004's cast: the organisations and groups of
// baseline and the two powers, without member states (each organisation
// keeps its members' summed capability as its own) and without ties.
func sourceWorld(t *testing.T) *sim.World {
	full := load(t, "baseline").World
	var capOf func(i int) float64
	capOf = func(i int) float64 {
		a := &full.Actors[i]
		if len(a.Members) == 0 {
			return a.Capability
		}
		sum := 0.0
		for _, m := range a.Members {
			sum += capOf(m)
		}
		return sum
	}
	w := &sim.World{Political: full.Political, Military: full.Military}
	for i, a := range full.Actors {
		if a.Kind == sim.State && a.ID != "USA" && a.ID != "CHN" {
			continue
		}
		a.Capability = min(1, capOf(i))
		a.Members = nil
		w.Actors = append(w.Actors, a)
	}
	return w
}

// Fact 4 (source 004): from an empty network of the source's actors, the
// capable donors (EU, US, China) end with the highest out-strength of
// support, and the AU receives more than it gives. Over 10 replicates of
// 100 steps the three must be the top three by mean out-strength, and the
// AU a net recipient in at least 8 (it was in all 10 when this was written).
func TestFact4AsymmetricHubs(t *testing.T) {
	w := sourceWorld(t)
	const reps = 10
	out := make([]float64, len(w.Actors))
	au := w.ActorIndex("AU")
	recipient := 0
	for r := 0; r < reps; r++ {
		s := start(t, w, sim.DefaultParams(), "fact4", r)
		s.Run(100)
		for i := range w.Actors {
			out[i] += s.OutStrength(i)
		}
		if s.InStrength(au) > s.OutStrength(au) {
			recipient++
		}
	}
	top := map[string]bool{}
	for k := 0; k < 3; k++ {
		best := -1
		for i := range out {
			if !top[w.Actors[i].ID] && (best < 0 || out[i] > out[best]) {
				best = i
			}
		}
		top[w.Actors[best].ID] = true
	}
	for _, id := range []string{"EU", "USA", "CHN"} {
		if !top[id] {
			t.Errorf("%s not among the top three donors by out-strength: %v", id, top)
		}
	}
	if recipient < 8 {
		t.Errorf("AU a net recipient in %d of %d replicates, want at least 8", recipient, reps)
	}
}

type taiwanOutcome struct {
	usAlliances float64 // exposed partners allied with the US
	advanced    float64 // advanced minilaterals with an exposed partner
	nonAligned  float64 // exposed partners with no alliance at all
	toSource    float64 // summed levels of partners' ties with China
}

func taiwan(t *testing.T, ret string, reps, steps int) taiwanOutcome {
	sc := load(t, "taiwan-crisis", "retrenchment.political="+ret, "retrenchment.military="+ret)
	w := sc.World
	partners := []int{w.ActorIndex("TAW"), w.ActorIndex("JPN"), w.ActorIndex("PHI"), w.ActorIndex("ROK"), w.ActorIndex("AUL")}
	chn, usa := w.ActorIndex("CHN"), w.ActorIndex("USA")
	var o taiwanOutcome
	for r := 0; r < reps; r++ {
		s := start(t, w, sc.Params, "fact7", r)
		s.Run(steps)
		for _, p := range partners {
			allied := false
			for tie := range s.TiesOf(p) {
				other := tie.Other(p)
				if tie.Form == sim.Alliance && other != chn {
					allied = true
					if other == usa {
						o.usAlliances++
					}
				}
				if other == chn {
					o.toSource += float64(tie.Level)
				}
			}
			if !allied {
				o.nonAligned++
			}
		}
		for g := range s.Groups() {
			if g.Kind != sim.Minilateral || g.Level < sim.Advanced {
				continue
			}
			for _, p := range partners {
				if g.Has(p) {
					o.advanced++
					break
				}
			}
		}
	}
	f := float64(reps)
	return taiwanOutcome{o.usAlliances / f, o.advanced / f, o.nonAligned / f, o.toSource / f}
}

// Fact 7 (source 002): under a China-sourced shock (step 10), low
// retrenchment leads the exposed US partners (Taiwan, Japan, the
// Philippines, South Korea, Australia) to harden their ties: their US
// alliances hold and Taiwan's assistance tie becomes an alliance, so by step
// 40 at least 4 of the 5 are allied with the US on average, and advanced
// minilaterals hold. High retrenchment (political and military 0.8) leads
// to hedging: fewer US alliances (at least 2 fewer), more non-aligned
// partners and more ties with the source. The thresholds are about half the
// gaps measured over 10 replicates when this was written (4.7 vs 1.0 US
// alliances; 0 vs 2.1 non-aligned), so the test catches a model that no
// longer produces either outcome without pinning exact figures.
func TestFact7TaiwanCrisis(t *testing.T) {
	low := taiwan(t, "0", 10, 40)
	high := taiwan(t, "0.8", 10, 40)
	t.Logf("low retrenchment: %+v", low)
	t.Logf("high retrenchment: %+v", high)
	if low.usAlliances < 4 {
		t.Errorf("low retrenchment: %.1f exposed partners allied with the US at step 40, want at least 4 (they start with 4)", low.usAlliances)
	}
	if high.usAlliances > low.usAlliances-2 {
		t.Errorf("high retrenchment: %.1f US alliances vs %.1f under low, want at least 2 fewer", high.usAlliances, low.usAlliances)
	}
	if high.nonAligned+high.toSource < low.nonAligned+low.toSource+1 {
		t.Errorf("high retrenchment hedging (non-aligned %.1f + ties to China %.1f) not clearly above low (%.1f + %.1f)",
			high.nonAligned, high.toSource, low.nonAligned, low.toSource)
	}
	if low.advanced < high.advanced {
		t.Errorf("advanced minilaterals with exposed partners: %.1f under low, %.1f under high retrenchment", low.advanced, high.advanced)
	}
}

// The nordic-2022 built-in tells source 002's story: Finland and Sweden
// ally with NATO (or its members) after the shock in most replicates, and
// stay non-aligned when the shock is removed (--set threats.russia.intensity=0.15).
func TestNordicBuiltinAllies(t *testing.T) {
	count := func(overrides ...string) int {
		sc := load(t, "nordic-2022", overrides...)
		w := sc.World
		fin, swd := w.ActorIndex("FIN"), w.ActorIndex("SWD")
		allied := 0
		for r := 0; r < 8; r++ {
			s := start(t, w, sc.Params, "nordic", r)
			s.Run(30)
			for _, a := range []int{fin, swd} {
				for tie := range s.TiesOf(a) {
					if tie.Form == sim.Alliance && tie.Other(a) != fin && tie.Other(a) != swd {
						allied++
						break
					}
				}
			}
		}
		return allied
	}
	shock, calm := count(), count("threats.russia.intensity=0.15")
	t.Logf("Finland and Sweden allied by step 30 in %d of 16 cases with the shock, %d without", shock, calm)
	if shock < 12 {
		t.Errorf("with the shock, allied in %d of 16 cases, want at least 12", shock)
	}
	if calm > 3 {
		t.Errorf("without the shock, allied in %d of 16 cases, want at most 3", calm)
	}
}

// The counter-isis built-in tells source 001's story: a coalition forms
// during the pulse (steps 10-40) and is gone a few steps after it.
func TestCounterISISBuiltin(t *testing.T) {
	sc := load(t, "counter-isis")
	for r := 0; r < 5; r++ {
		s := start(t, sc.World, sc.Params, "isis", r)
		s.Run(20)
		k := -1
		for i, th := range sc.World.Threats {
			if th.Name == "isis" {
				k = i
			}
		}
		g, ok := s.Coalition(k)
		if !ok || len(g.Members) < 5 {
			t.Fatalf("replicate %d: no coalition of 5 or more at step 20", r)
		}
		s.Run(40 + int(sc.Params.CoalitionPatience) + 1)
		if _, ok := s.Coalition(k); ok {
			t.Fatalf("replicate %d: coalition still there after the pulse", r)
		}
	}
}

// The us-retrenchment built-in carries fact 1 into the baseline world: with
// political retrenchment held at 0.8 instead of 0, the minilaterals without
// the US rise and the US loses ties (over 8 replicates at step 60: about 3
// vs 6 groups and 35 vs 20 ties when this was written; the test asks for
// at least 1.5 more groups and 5 fewer ties).
func TestUSRetrenchmentBuiltin(t *testing.T) {
	outcome := func(ret string) (groups, degree float64) {
		sc := load(t, "us-retrenchment", "retrenchment.political="+ret)
		usa := sc.World.ActorIndex("USA")
		for r := 0; r < 8; r++ {
			s := start(t, sc.World, sc.Params, "usret", r)
			s.Run(60)
			for g := range s.Groups() {
				if g.Kind == sim.Minilateral && !g.Has(usa) {
					groups++
				}
			}
			degree += float64(s.Degree(usa))
		}
		return groups / 8, degree / 8
	}
	g0, d0 := outcome("0")
	g8, d8 := outcome("0.8")
	t.Logf("retrenchment 0: %.1f groups without the US, US degree %.1f; 0.8: %.1f, %.1f", g0, d0, g8, d8)
	if g8 < g0+1.5 || d8 > d0-5 {
		t.Errorf("retrenchment 0.8 vs 0: %.1f vs %.1f groups without the US, US degree %.1f vs %.1f", g8, g0, d8, d0)
	}
}
