package classroom

import (
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// consentProbe is a Controller that steers no decision but is asked every
// consent of the states it controls; it answers as the model would and
// keeps the texts a student would read.
type consentProbe struct {
	ss   *session
	asks []consentAsk
}

type consentAsk struct {
	actor    int
	proposal sim.Choice
	text     string
}

func (p *consentProbe) Controls(a int) bool { return p.ss.s.World().Actors[a].Kind == sim.State }
func (p *consentProbe) Decide(int, []sim.Choice, int) (sim.Choice, bool) {
	return sim.Choice{}, false
}
func (p *consentProbe) Consent(a int, c sim.Choice, v sim.Verdict) bool {
	p.asks = append(p.asks, consentAsk{actor: a, proposal: c, text: p.ss.consentText(c, a)})
	return v.Accepted
}

// checkConsentText: the text names who proposes, and the party whose tie
// would change when it is not the student's own state (an organisation
// the state belongs to, deciding by consensus), and it reads as words.
func checkConsentText(t *testing.T, w *sim.World, a int, c sim.Choice, text string) {
	t.Helper()
	if !strings.Contains(text, actorName(w, c.Actor)) {
		t.Errorf("%s asked %q: the text does not name the proposer %s", w.Actors[a].ID, text, actorName(w, c.Actor))
	}
	if c.Partner >= 0 && c.Partner != a && !strings.Contains(text, actorName(w, c.Partner)) {
		t.Errorf("%s asked %q: the text does not name %s, whose tie it is", w.Actors[a].ID, text, actorName(w, c.Partner))
	}
	for _, bad := range []string{"the a ", "?", "  "} {
		if strings.Contains(text, bad) {
			t.Errorf("%s asked %q: contains %q", w.Actors[a].ID, text, bad)
		}
	}
}

// TestConsentText: what a student reads when asked to consent. A state
// can be asked about its own tie or, as a member of an organisation that
// decides by consensus, about the organisation's tie: the text must say
// which. Hand-made proposals on the classroom world, then every consent
// the engine asks of the classroom's states in 30 steps (seed 1).
func TestConsentText(t *testing.T) {
	sc, err := scenarios.Load("classroom")
	if err != nil {
		t.Fatal(err)
	}
	ss := &session{id: "consent"}
	if err := ss.load(sc, true, 1); err != nil {
		t.Fatal(err)
	}
	w := ss.s.World()
	id := w.ActorIndex
	for _, tc := range []struct {
		a    int
		c    sim.Choice
		want []string
	}{
		{id("SOU"), sim.Choice{Kind: sim.ChooseOfferAssistance, Actor: id("NPACT"), Partner: id("CFORUM"), Group: -1, Form: sim.Assistance, Level: sim.Initial},
			[]string{"Northern Pact offers Coastal Forum security assistance", "Southbay, a member, must agree"}},
		{id("SOU"), sim.Choice{Kind: sim.ChooseDeepen, Actor: id("PAT"), Partner: id("CFORUM"), Group: -1, Form: sim.Cooperation, Level: sim.Institutionalised},
			[]string{"Patronia proposes to deepen its cooperation with Coastal Forum to institutionalised", "consensus"}},
		{id("SOU"), sim.Choice{Kind: sim.ChooseDeepen, Actor: id("PAT"), Partner: id("SOU"), Group: -1, Form: sim.Assistance, Level: sim.Advanced},
			[]string{"Patronia proposes to deepen your assistance to advanced"}},
		{id("NTL"), sim.Choice{Kind: sim.ChooseNewTie, Actor: id("RIV"), Partner: id("NTL"), Group: -1, Form: sim.Cooperation, Level: sim.Nominal},
			[]string{"Rivalia proposes a cooperation tie (nominal) with Northland"}},
		{id("SOU"), sim.Choice{Kind: sim.ChooseReform, Actor: id("NPACT"), Partner: id("CFORUM"), Group: -1, Form: sim.Alliance, Level: sim.Initial},
			[]string{"Northern Pact proposes to turn its tie with Coastal Forum into an alliance"}},
		{id("SOU"), sim.Choice{Kind: sim.ChooseJoinCoalition, Actor: id("NPACT"), Partner: -1, Group: -1, Issue: sim.IssueTerrorism, Level: sim.Initial},
			[]string{"Northern Pact invites Southbay to a new coalition", "terrorism"}},
		{id("WES"), sim.Choice{Kind: sim.ChooseAccede, Actor: id("NTL"), Partner: id("NPACT"), Group: -1},
			[]string{"Northland applies to join Northern Pact; its members must ratify"}},
	} {
		text := ss.consentText(tc.c, tc.a)
		for _, want := range tc.want {
			if !strings.Contains(text, want) {
				t.Errorf("%s asked about %v: %q, want %q in it", w.Actors[tc.a].ID, tc.c.Kind, text, want)
			}
		}
		checkConsentText(t, w, tc.a, tc.c, text)
	}

	probe := &consentProbe{ss: ss}
	ss.s.SetController(probe)
	ss.step(30)
	asMember := 0
	for _, q := range probe.asks {
		checkConsentText(t, w, q.actor, q.proposal, q.text)
		if q.proposal.Partner >= 0 && q.proposal.Partner != q.actor && q.proposal.Kind != sim.ChooseAccede {
			asMember++
		}
	}
	if len(probe.asks) == 0 {
		t.Error("the engine asked no state to consent in 30 steps of the classroom: the probe saw nothing")
	}
	t.Logf("30 steps: %d consents asked of states, %d of them as members of an organisation", len(probe.asks), asMember)
}
