package classroom

import (
	"fmt"

	"github.com/entente/entente/sim"
)

// The glue between the page and the engine's choices API: an actor's
// options (sim.Choices) as the page shows them, the class as the run's
// Controller (students' picks and consents) and Recorder (the debrief's
// timeline).

// choiceKey identifies an option across a preview (Sim.Choices) and the
// step's own options, as the engine matches them: kind, partner, group,
// form, level, and the issue of a proposed group.
func choiceKey(c sim.Choice) string {
	issue := -1
	if c.Kind == sim.ChooseProposeGroup {
		issue = int(c.Issue)
	}
	return fmt.Sprintf("%d/%d/%d/%d/%d/%d", c.Kind, c.Partner, c.Group, c.Form, c.Level, issue)
}

func termsOf(t [sim.NumTerms]float64) []float64 {
	out := make([]float64, sim.NumTerms)
	for k := range out {
		out[k] = finite(t[k])
	}
	return out
}

// optionOf turns a choice into what the page shows. The caller holds ss.mu.
func (ss *session) optionOf(c sim.Choice, index int) option {
	w := ss.s.World()
	o := option{Index: index, Kind: c.Kind.String(), Text: ss.s.DescribeChoice(c), Delta: finite(c.Delta),
		Terms: termsOf(c.Terms), Prob: finite(c.Prob), Consent: ss.s.NeedsConsent(c), key: choiceKey(c), choice: c}
	if c.Partner >= 0 && c.Partner < len(w.Actors) {
		o.Partner = w.Actors[c.Partner].ID
	}
	if c.Group >= 0 {
		for g := range ss.s.Groups() {
			if g.ID == c.Group {
				o.Group = g.Name
				if o.Group == "" {
					o.Group = fmt.Sprintf("%s group %d", g.Kind, g.ID)
				}
				break
			}
		}
	}
	return o
}

// options returns actor i's options now, with the model's expected change
// in utility by term and the probability it gives each, from a preview
// seeded by seed (it never changes the run). The caller holds ss.mu.
func (ss *session) options(i int, seed uint64) []option {
	cs := ss.s.Choices(i, seed)
	out := make([]option, len(cs))
	for k, c := range cs {
		out[k] = ss.optionOf(c, k)
	}
	return out
}

func verdictOf(w *sim.World, v sim.Verdict) verdict {
	out := verdict{Delta: finite(v.Delta), Terms: termsOf(v.Terms), Prob: finite(v.Prob), Accepted: v.Accepted}
	if v.Actor >= 0 && v.Actor < len(w.Actors) {
		out.Actor = w.Actors[v.Actor].ID
	}
	return out
}

// consentText puts a proposal to actor a into words from a's side. The
// proposal's Partner is the party whose tie would change: a itself, or an
// organisation a belongs to whose charter asks every member's consent
// (sim: a consensus organisation decides through its members), in which
// case the text names the organisation and says why a is asked.
func (ss *session) consentText(c sim.Choice, a int) string {
	w := ss.s.World()
	from := actorName(w, c.Actor)
	art := func(f sim.Form) string {
		if f == sim.Alliance || f == sim.Assistance {
			return "an " + f.String()
		}
		return "a " + f.String() + " tie"
	}
	group := ss.optionOf(c, -1).Group
	// whose tie: "your" when a's own, else the organisation's
	viaOrg := c.Partner >= 0 && c.Partner < len(w.Actors) && c.Partner != a && c.Kind != sim.ChooseAccede
	partner, its, why := actorName(w, a), "your", ""
	if viaOrg {
		partner = actorName(w, c.Partner)
		its = "its"
		why = fmt.Sprintf("; %s decides by consensus, so %s, a member, must agree", partner, actorName(w, a))
	}
	with := ""
	if viaOrg {
		with = " with " + partner
	}
	switch c.Kind {
	case sim.ChooseNewTie:
		return fmt.Sprintf("%s proposes %s (%s) with %s", from, art(c.Form), c.Level, partner) + why
	case sim.ChooseDeepen:
		return fmt.Sprintf("%s proposes to deepen %s %s%s to %s", from, its, c.Form, with, c.Level) + why
	case sim.ChooseReform:
		return fmt.Sprintf("%s proposes to turn %s tie%s into %s", from, its, with, art(c.Form)) + why
	case sim.ChooseOfferAssistance:
		return fmt.Sprintf("%s offers %s security assistance", from, partner) + why
	case sim.ChooseProposeGroup:
		return fmt.Sprintf("%s invites %s to a new %s group", from, actorName(w, a), c.Issue)
	case sim.ChooseJoinGroup:
		return fmt.Sprintf("%s asks to join %s", from, group)
	case sim.ChooseDeepenGroup:
		return fmt.Sprintf("%s proposes to deepen %s to %s", from, group, c.Level)
	case sim.ChooseJoinCoalition:
		if c.Group >= 0 && group != "" {
			return fmt.Sprintf("%s invites %s to join %s", from, actorName(w, a), group)
		}
		return fmt.Sprintf("%s invites %s to a new coalition it would lead (issue: %s)", from, actorName(w, a), c.Issue)
	case sim.ChooseAccede:
		return fmt.Sprintf("%s applies to join %s; its members must ratify", from, actorName(w, c.Partner))
	}
	return from + ": " + ss.s.DescribeChoice(c) + why
}

// install makes the class the controller and recorder of a new run.
func (c *Class) install(s *sim.Sim) {
	s.SetController(classController{c})
	s.SetRecorder(c.recordDecision)
}

// classController is the class as the run's sim.Controller: the students'
// picks and consents for the states they hold.
type classController struct{ c *Class }

func (k classController) Controls(actor int) bool { return k.c.controls(actor) }

func (k classController) Decide(actor int, opts []sim.Choice, model int) (sim.Choice, bool) {
	keys := make([]string, len(opts))
	for i := range opts {
		keys[i] = choiceKey(opts[i])
	}
	idx, preview, ok := k.c.decide(actor, keys)
	switch {
	case ok:
		return opts[idx], true
	case preview != nil:
		// Not among the options the step drew: offer the previewed choice
		// (Controller.Decide accepts one from Sim.Choices); the engine takes
		// it if it can, else the model's.
		return *preview, true
	}
	return sim.Choice{}, false
}

func (k classController) Consent(actor int, proposal sim.Choice, model sim.Verdict) bool {
	r := k.c.run
	o := r.optionOf(proposal, -1)
	o.Text = r.consentText(proposal, actor)
	return k.c.consent(actor, proposal.Actor, o, verdictOf(r.s.World(), model))
}

// recordDecision keeps the decisions of the states students hold.
func (c *Class) recordDecision(d *sim.Decision) {
	if !c.controls(d.Actor) || len(d.Options) == 0 {
		return
	}
	r := c.run
	w := r.s.World()
	rec := decisionRec{Step: d.Step, actor: d.Actor, Actor: w.Actors[d.Actor].ID, Label: actorName(w, d.Actor),
		External: d.External, Done: d.Done, Consent: []verdict{}}
	if d.Chosen >= 0 && d.Chosen < len(d.Options) {
		rec.Chosen = r.optionOf(d.Options[d.Chosen], d.Chosen)
	}
	if d.Model >= 0 && d.Model < len(d.Options) {
		rec.Model = r.optionOf(d.Options[d.Model], d.Model)
	}
	for _, v := range d.Consent {
		rec.Consent = append(rec.Consent, verdictOf(w, v))
	}
	c.record(rec)
}
