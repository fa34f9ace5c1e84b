package facts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// A fact's control must be the treated world without the treatment: with
// the same seed, the two arms agree, tie for tie and event for event, until
// the treatment's first step (Step advances the clock before it acts, so
// they agree after start−1 steps), and differ by the end of the run (a
// slow treatment may take years to change a draw: fact 1's retrenchment
// ramp changes only the patron's own choices). Fact 6's check once
// failed this: its "cut" replaced the EU's aid profile and raised its budget
// from the first step.
func TestControlArmsAreTheTreatedWorldUntilTheTreatment(t *testing.T) {
	type pair struct {
		name             string
		treated, control func() (*scenarios.Scenario, error)
		start            int
	}
	pairs := []pair{
		{"fact 1 (retrenchment 0.8 vs 0.1)", func() (*scenarios.Scenario, error) { return fact1Arm("0.8") }, func() (*scenarios.Scenario, error) { return fact1Arm("0.1") }, 10},
		{"fact 2 (shock vs none)", func() (*scenarios.Scenario, error) { return fact2Arm(true) }, func() (*scenarios.Scenario, error) { return fact2Arm(false) }, 10},
		{"fact 3 (pulse vs none)", func() (*scenarios.Scenario, error) { return fact3Arm(true) }, func() (*scenarios.Scenario, error) { return fact3Arm(false) }, 10},
		{"fact 7 (crisis vs none, retrenchment 0.1)", func() (*scenarios.Scenario, error) { return fact7Arm("0.1", true) }, func() (*scenarios.Scenario, error) { return fact7Arm("0.1", false) }, crisisStep},
		{"fact 7 (crisis vs none, retrenchment 0.8)", func() (*scenarios.Scenario, error) { return fact7Arm("0.8", true) }, func() (*scenarios.Scenario, error) { return fact7Arm("0.8", false) }, crisisStep},
	}
	// fact 6: the baseline against the EU's cut and the US's exit, both from step 20
	sixth := func(cut, exit bool) func() (*scenarios.Scenario, error) {
		return func() (*scenarios.Scenario, error) {
			sc, err := load("baseline")
			if err != nil {
				return nil, err
			}
			out := *sc
			out.World, err = fact6World(sc.World, cut, exit)
			return &out, err
		}
	}
	pairs = append(pairs,
		pair{"fact 6 (the EU's cut vs none)", sixth(true, false), sixth(false, false), 20},
		pair{"fact 6 (the US's exit vs none)", sixth(false, true), sixth(false, false), 20})
	for _, c := range pairs {
		t.Run(c.name, func(t *testing.T) {
			a, err := c.treated()
			if err != nil {
				t.Fatal(err)
			}
			b, err := c.control()
			if err != nil {
				t.Fatal(err)
			}
			p := sim.DefaultParams()
			sa, err := sim.New(a.World, p, sim.RunSeed(1, "controls", 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			sb, err := sim.New(b.World, p, sim.RunSeed(1, "controls", 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			for sa.T() < c.start-1 {
				sa.Step()
				sb.Step()
				if fa, fb := fingerprint(sa), fingerprint(sb); fa != fb {
					t.Fatalf("the arms differ after step %d, before the treatment (step %d):\n%s\nagainst\n%s", sa.T(), c.start, firstDiff(fa, fb), firstDiff(fb, fa))
				}
			}
			differ := false
			for sa.T() < a.Steps && !differ {
				sa.Step()
				sb.Step()
				differ = fingerprint(sa) != fingerprint(sb)
			}
			if !differ {
				t.Errorf("the arms agree to the end (step %d): the treatment changed nothing", a.Steps)
			}
		})
	}
}

// fingerprint is a run's state as text: its ties, groups, assisted
// capability, reputations and the last step's events.
func fingerprint(s *sim.Sim) string {
	var b strings.Builder
	for t := range s.Ties() {
		fmt.Fprintf(&b, "tie %d-%d %v %v d%d a%d s%x\n", t.A, t.B, t.Form, t.Level, t.Donor, t.Age, t.Support)
	}
	for g := range s.Groups() {
		fmt.Fprintf(&b, "group %d %v %v %v\n", g.ID, g.Kind, g.Level, g.Members)
	}
	for i := range s.N() {
		fmt.Fprintf(&b, "actor %d %x %x\n", i, s.Assisted(i), s.Reputation(i))
	}
	for _, e := range s.Events() {
		fmt.Fprintf(&b, "event %+v\n", e)
	}
	return b.String()
}

// firstDiff is the first line of a that b does not have at the same place.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range la {
		if i >= len(lb) || la[i] != lb[i] {
			return la[i]
		}
	}
	return "(a prefix of the other)"
}
