package sim_test

import (
	"testing"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

func revSim(t *testing.T, w *sim.World, p sim.Params, seed uint64) *sim.Sim {
	t.Helper()
	s, err := sim.New(w, p, sim.RunSeed(seed, "rev", 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// docs/MODEL.md 7.5: what an existing alliance is, is a commitment
// (deepening, lowering, re-forming and abandoning it come up on the
// commitment agenda); a donor's support on it is a partnership (offering
// and ending support come up with the other flows, on the partnership
// agenda).
func TestSupportOnAnAllianceIsAPartnershipChoice(t *testing.T) {
	for _, donor := range []string{"", "A"} {
		b := simtest.NewBuilder()
		b.State("A", "R", 0.5, 0.5, []float64{0, 0, 0}, 0.5)
		b.State("B", "R", 0.1, 0.1, []float64{0, 0, 0}, 0.5)
		b.Tie("A", "B", sim.Alliance, sim.Initial, donor)
		b.W.StepsPerYear = 4
		s := revSim(t, b.W, sim.DefaultParams(), 1)
		a := b.I("A")
		kinds := func(agenda uint8) map[sim.ChoiceKind]bool {
			m := map[sim.ChoiceKind]bool{}
			for _, c := range s.OptionsOn(a, agenda) {
				if c.Partner == b.I("B") {
					m[c.Kind] = true
				}
			}
			return m
		}
		com, par := kinds(sim.AgendaCommitment), kinds(sim.AgendaPartnership)
		support := sim.ChooseOfferAssistance
		if donor != "" {
			support = sim.ChooseEndSupport
		}
		if com[support] || !par[support] {
			t.Errorf("donor %q: %v on the alliance: on the commitment agenda %v, on the partnership agenda %v (want the partnership agenda only)",
				donor, support, com[support], par[support])
		}
		for _, k := range []sim.ChoiceKind{sim.ChooseDeepen, sim.ChooseLower, sim.ChooseReform, sim.ChooseAbandon} {
			if !com[k] || par[k] {
				t.Errorf("donor %q: %v of the alliance: on the commitment agenda %v, on the partnership agenda %v (want the commitment agenda only)",
					donor, k, com[k], par[k])
			}
		}
	}
}

// WhatIf is "the view i takes when it proposes the change": re-forming a
// tie that carries a flow keeps its donor, as the model's own re-form
// options do (7.6: "a donor's support stays with the tie when it changes
// form"); it used to drop the donor whenever the form changed.
func TestWhatIfReformKeepsTheDonor(t *testing.T) {
	b := simtest.NewBuilder()
	b.State("A", "R", 0.5, 0.5, []float64{0, 0, 0}, 0.5)
	b.State("B", "R", 0.02, 0.02, []float64{0, 0, 0}, 0.5)
	b.Threat("t", "conventional", "", map[string]float64{"R": 1}, nil, sim.Profile{Shape: sim.Constant, Base: 0.5})
	b.Tie("A", "B", sim.Assistance, sim.Initial, "A")
	b.W.StepsPerYear = 4
	s := revSim(t, b.W, sim.DefaultParams(), 1)
	for _, side := range [][2]string{{"A", "B"}, {"B", "A"}} {
		i, j := b.I(side[0]), b.I(side[1])
		var opt *sim.Choice
		for _, c := range s.OptionsOn(i, sim.AgendaAll) {
			if c.Kind == sim.ChooseReform && c.Partner == j && c.Form == sim.Cooperation {
				opt = &c
				break
			}
		}
		if opt == nil {
			t.Fatalf("%s: no re-form option", side[0])
		}
		w := s.WhatIf(i, j, sim.Cooperation, sim.Initial)
		t.Logf("%s: option delta %.6f, WhatIf delta %.6f", side[0], opt.Delta, w.Delta)
		if d := opt.Delta - w.Delta; d > 1e-12 || d < -1e-12 {
			t.Errorf("%s: re-form to cooperation worth %.6f as an option, %.6f by WhatIf (terms %v vs %v)", side[0], opt.Delta, w.Delta, opt.Terms, w.Terms)
		}
	}
}

// revOffer is a Controller for actor 0 that offers security assistance to a
// state the step did not sample (a choice as Sim.Choices lists it).
type revOffer struct {
	s        *sim.Sim
	n        int
	asked    int
	external int
	j        int
}

func (r *revOffer) Controls(i int) bool { return i == 0 }
func (r *revOffer) Decide(i int, opts []sim.Choice, model int) (sim.Choice, bool) {
	seen := map[int]bool{}
	for _, o := range opts {
		seen[o.Partner] = true
	}
	for j := 1; j < r.n; j++ {
		if _, tied := r.s.TieBetween(i, j); !seen[j] && !tied {
			r.asked++
			r.j = j
			return sim.Choice{Kind: sim.ChooseOfferAssistance, Actor: i, Partner: j, Group: -1, Form: sim.Assistance, Level: sim.Nominal}, true
		}
	}
	return sim.Choice{}, false
}
func (r *revOffer) Consent(int, sim.Choice, sim.Verdict) bool { return true }

// Controller.Decide may return "one from Sim.Choices"; addChoice adds such
// a choice "when the step's sampling did not offer it ... and it is
// feasible now". Sim.Choices lists offers of assistance to untied partners
// (buildOptions), and a controller's offer to one is acted on (addChoice
// used to refuse every offer to a partner without a tie, so a student's
// pick became the model's).
func TestControllerOffersAssistanceToAnUntiedPartner(t *testing.T) {
	b := simtest.NewBuilder()
	b.State("D", "R", 1, 1, []float64{0, 0, 0}, 0.5)
	for k := 1; k < 12; k++ {
		b.State("S"+string(rune('a'+k)), "R", 0.01, 0.01, []float64{0, 0, 0}, 0.5)
	}
	b.W.StepsPerYear = 4
	s := revSim(t, b.W, sim.DefaultParams(), 3)
	// Sim.Choices offers it
	offered := false
	for _, c := range s.Choices(0, 1) {
		if c.Kind == sim.ChooseOfferAssistance {
			offered = true
		}
	}
	if !offered {
		t.Fatal("Sim.Choices offers no assistance (test setup)")
	}
	ctl := &revOffer{s: s, n: len(b.W.Actors)}
	s.SetController(ctl)
	ext := 0
	s.SetRecorder(func(d *sim.Decision) {
		if d.Actor == 0 && d.External {
			ext++
		}
	})
	s.Run(5)
	t.Logf("offers from outside the step's sample: %d; taken: %d", ctl.asked, ext)
	if ctl.asked == 0 || ext != ctl.asked {
		t.Errorf("%d offers of assistance to untied partners asked by the controller, %d acted on", ctl.asked, ext)
	}
}

type revBad struct{}

func (revBad) Controls(i int) bool { return i == 0 }
func (revBad) Decide(i int, opts []sim.Choice, model int) (sim.Choice, bool) {
	return sim.Choice{Kind: sim.ChooseDeepen, Actor: i, Partner: -1, Group: -1, Form: sim.Cooperation, Level: sim.Initial}, true
}
func (revBad) Consent(int, sim.Choice, sim.Verdict) bool { return true }

// A controller's choice naming no partner, or one out of range, is refused
// (the model's pick is taken) instead of indexing with it.
func TestControllerChoiceWithABadPartnerIsRefused(t *testing.T) {
	b := simtest.NewBuilder()
	b.State("A", "R", 0.5, 0.5, []float64{0, 0, 0}, 0.5)
	b.State("B", "R", 0.1, 0.1, []float64{0, 0, 0}, 0.5)
	b.W.StepsPerYear = 4
	s := revSim(t, b.W, sim.DefaultParams(), 1)
	s.SetController(revBad{})
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("a controller's choice with partner -1 panics: %v", r)
		}
	}()
	s.Step()
}

// needsConsentCheck decides as the model would and notes, before each
// choice is carried out, whether Sim.NeedsConsent says it asks consent.
type needsConsentCheck struct {
	s    *sim.Sim
	want map[int]bool // by actor: the last prediction
}

func (c *needsConsentCheck) Controls(int) bool { return true }
func (c *needsConsentCheck) Decide(i int, opts []sim.Choice, model int) (sim.Choice, bool) {
	c.want[i] = c.s.NeedsConsent(opts[model])
	return sim.Choice{}, false
}
func (c *needsConsentCheck) Consent(_ int, _ sim.Choice, v sim.Verdict) bool { return v.Accepted }

// Sim.NeedsConsent, which the classroom shows beside each option, says
// whether carrying the option out asks the other side: on every decision
// of a run, it predicts whether consent was asked (accessions aside, whose
// members ratify over later steps), re-forming an assistance tie into
// cooperation among them.
func TestNeedsConsentIsWhatActAsks(t *testing.T) {
	w := simtest.Synthetic(150, 4)
	s := revSim(t, w, sim.DefaultParams(), 4)
	ctl := &needsConsentCheck{s: s, want: map[int]bool{}}
	s.SetController(ctl)
	checked, asked, reforms := 0, 0, 0
	s.SetRecorder(func(d *sim.Decision) {
		c := d.Options[d.Chosen]
		if c.Kind == sim.ChooseAccede {
			return
		}
		got := len(d.Consent) > 0
		if want := ctl.want[d.Actor]; got != want {
			t.Fatalf("step %d actor %d: %v (%v at %v): NeedsConsent %v, consent asked %v", d.Step, d.Actor, c.Kind, c.Form, c.Level, want, got)
		}
		checked++
		if got {
			asked++
			if c.Kind == sim.ChooseReform {
				reforms++
			}
		}
	})
	s.Run(30)
	if checked < 500 || asked < 50 || reforms == 0 {
		t.Fatalf("only %d decisions checked, %d asking consent, %d of them re-forms", checked, asked, reforms)
	}
	t.Logf("%d decisions, %d asked consent (%d re-forms)", checked, asked, reforms)
}
