package sim_test

import (
	"slices"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// Within a step, protection is updated incrementally after each change of
// ties, groups, coalitions and memberships; it must equal what a full
// recomputation from the structure gives.
func TestIncrementalProtectionIsExact(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		w := simtest.Synthetic(120, seed)
		s, err := sim.New(w, sim.DefaultParams(), sim.SeedFromInt(seed))
		if err != nil {
			t.Fatal(err)
		}
		checks := 0
		s.SetRecorder(func(d *sim.Decision) {
			if d.Options[d.Chosen].Kind != sim.ChooseNothing {
				checks++
				if drift, where := s.ProtectionDrift(); drift > 1e-9 {
					t.Fatalf("seed %d step %d actor %d after %v with %d: drift %g at %s", seed, s.T(), d.Actor, d.Options[d.Chosen].Kind, d.Options[d.Chosen].Partner, drift, where)
				}
			}
		})
		s.Run(40)
		if checks < 50 {
			t.Fatalf("seed %d: only %d changes checked", seed, checks)
		}
	}
}

// record1981 is the world of 1981 imported from the alliance panel.
func record1981(t *testing.T) *scenarios.Scenario {
	t.Helper()
	p, err := cdm.ReadPanel("")
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.Scenario(1981)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse("cdm-1981.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// The same on the imported alliance record, where states enter, leave and
// succeed one another, pacts are founded and dissolved, and accessions
// wait for ratification.
func TestIncrementalProtectionIsExactOnTheRecord(t *testing.T) {
	sc := record1981(t)
	s, err := sim.New(sc.World, sc.Params, sim.SeedFromInt(4))
	if err != nil {
		t.Fatal(err)
	}
	checks := 0
	s.SetRecorder(func(d *sim.Decision) {
		if d.Options[d.Chosen].Kind != sim.ChooseNothing {
			checks++
			if drift, where := s.ProtectionDrift(); drift > 1e-9 {
				t.Fatalf("step %d actor %d after %v (done %v) with %d: drift %g at %s", s.T(), d.Actor, d.Options[d.Chosen].Kind, d.Done, d.Options[d.Chosen].Partner, drift, where)
			}
		}
	})
	s.Run(19)
	if checks < 50 {
		t.Fatalf("only %d changes checked", checks)
	}
}

// Worlds up to a size find ties through a table, larger ones through their
// actors' partner lists; the two lookups must give the same run.
func TestTieTableAndPartnerListsGiveTheSameRun(t *testing.T) {
	run := func(limit int) []sim.Event {
		old := sim.SetDensePairs(limit)
		defer sim.SetDensePairs(old)
		return eventsOf(t, simtest.Synthetic(150, 3), sim.DefaultParams(), 3, 30)
	}
	sameEvents(t, "synthetic", [2]string{"with the table", "with the partner lists"}, run(1024), run(0))
}

// eventsOf runs a world for steps steps and returns its events.
func eventsOf(t *testing.T, w *sim.World, p sim.Params, seed uint64, steps int) []sim.Event {
	t.Helper()
	s, err := sim.New(w, p, sim.SeedFromInt(seed))
	if err != nil {
		t.Fatal(err)
	}
	var evs []sim.Event
	for range steps {
		s.Step()
		evs = append(evs, s.Events()...)
	}
	return evs
}

// sameEvents fails unless two runs of world name, made two ways (how), have
// the same events, and enough of them to compare.
func sameEvents(t *testing.T, name string, how [2]string, a, b []sim.Event) {
	t.Helper()
	if len(a) < 20 {
		t.Fatalf("%s: only %d events: too quiet a run to compare", name, len(a))
	}
	if len(a) != len(b) {
		t.Fatalf("%s: %d events %s, %d %s", name, len(a), how[0], len(b), how[1])
	}
	for k := range a {
		if a[k] != b[k] {
			t.Fatalf("%s: event %d: %+v %s, %+v %s", name, k, a[k], how[0], b[k], how[1])
		}
	}
}

// An actor's entry for a threat is found through a table (actors × threats
// up to a size) or by searching its entries; the two must give the same
// run, on the alliance record (150 threats, one a disputing state) and on a
// synthetic world.
func TestThreatTableAndSearchGiveTheSameRun(t *testing.T) {
	run := func(w *sim.World, p sim.Params, limit, steps int) []sim.Event {
		old := sim.SetTEIndexMax(limit)
		defer sim.SetTEIndexMax(old)
		return eventsOf(t, w, p, 5, steps)
	}
	sc := record1981(t)
	for _, c := range []struct {
		name  string
		w     *sim.World
		p     sim.Params
		steps int
	}{{"record", sc.World, sc.Params, 19}, {"synthetic", simtest.Synthetic(150, 3), sim.DefaultParams(), 30}} {
		sameEvents(t, c.name, [2]string{"with the table", "searching"}, run(c.w, c.p, 1<<22, c.steps), run(c.w, c.p, 0, c.steps))
	}
}

// Common membership of a mutual-defence organisation is found through a
// bit mask (up to 64 such organisations) or, past that, the membership
// lists; the two must give the same run: on a synthetic world whose pact
// members have rivals outside their pacts, and on the alliance record
// (accessions, withdrawals and pacts dissolved).
func TestMembershipMaskAndListsGiveTheSameRun(t *testing.T) {
	w := simtest.Synthetic(150, 3)
	md := 0
	for _, a := range w.Actors {
		if !a.MutualDefence {
			continue
		}
		md++
		for _, m := range a.Members {
			for _, r := range []int{(m + 11) % len(w.Actors), (m + 37) % len(w.Actors)} {
				if w.Actors[r].Kind == sim.State && !slices.Contains(a.Members, r) {
					w.Rivalries = append(w.Rivalries, sim.Rivalry{A: min(m, r), B: max(m, r), Enmity: 1})
				}
			}
		}
	}
	if md == 0 {
		t.Fatal("the synthetic world has no mutual-defence organisation: nothing to compare")
	}
	rec := record1981(t)
	for _, c := range []struct {
		name  string
		w     *sim.World
		par   sim.Params
		steps int
	}{{"synthetic", w, sim.DefaultParams(), 30}, {"record", rec.World, rec.Params, 19}} {
		run := func(bits int) []sim.Event {
			old := sim.SetMDBits(bits)
			defer sim.SetMDBits(old)
			return eventsOf(t, c.w, c.par, 3, c.steps)
		}
		sameEvents(t, c.name, [2]string{"with the mask", "with the lists"}, run(64), run(0))
	}
}

// What the step keeps copied for speed equals what it copies, every step:
// the hot record's flags and first state threat, the partners of an
// actor's ties (adjP), the organisations a state weighs applying to
// (openOrgs, built from its region's base list) against the direct list
// with the same draws, and the group changes settle skips for an actor
// (joinedAt) against the log: none made it a member. On synthetic worlds large
// enough that a region has more open organisations than a state weighs
// (the shuffle's path), on the built-ins with entries, exits and shocks,
// and on the imported record.
func TestCopiesMatchWhatTheyCopy(t *testing.T) {
	check := func(t *testing.T, s *sim.Sim, steps, stride int) int {
		t.Helper()
		failure, skipped, off := sim.CheckSettleSkips()
		defer off()
		sampled := 0
		for s.T() < steps {
			s.Step()
			d, n := s.CopiesDrift(stride)
			if d != "" {
				t.Fatalf("step %d: %s", s.T(), d)
			}
			if *failure != "" {
				t.Fatal(*failure)
			}
			sampled += n
		}
		if *skipped == 0 {
			t.Error("settle skipped no actor's changes: its short cut was not checked")
		}
		return sampled
	}
	t.Run("synthetic", func(t *testing.T) {
		sampled := 0
		s, err := sim.New(simtest.Synthetic(400, 1), sim.DefaultParams(), sim.SeedFromInt(1))
		if err != nil {
			t.Fatal(err)
		}
		sampled += check(t, s, 15, 13)
		t.Logf("%d lists longer than a state weighs checked", sampled)
		if sampled == 0 {
			t.Fatal("no state had more open organisations than it weighs: the shuffle's path was not checked")
		}
	})
	for _, name := range []string{"baseline", "nordic-2022", "counter-isis"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			s, err := sim.New(sc.World, sc.Params, sim.SeedFromInt(3))
			if err != nil {
				t.Fatal(err)
			}
			check(t, s, 40, 5)
		})
	}
	t.Run("record", func(t *testing.T) {
		sc := record1981(t)
		s, err := sim.New(sc.World, sc.Params, sim.SeedFromInt(4))
		if err != nil {
			t.Fatal(err)
		}
		check(t, s, 19, 5)
	})
}
