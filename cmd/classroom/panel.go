package classroom

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/entente/entente/sim"
)

// option is one thing an actor may do this step, as the page shows it: in
// words, with the model's expected change in the actor's utility, by term
// (termNames gives their order), and the probability the model gives it.
type option struct {
	Index   int       `json:"index"`
	Kind    string    `json:"kind"`
	Text    string    `json:"text"`
	Partner string    `json:"partner,omitempty"`
	Group   string    `json:"group,omitempty"`
	Delta   float64   `json:"delta"`
	Terms   []float64 `json:"terms"`
	Prob    float64   `json:"prob"`
	Consent bool      `json:"consent"` // needs the other side's consent
	key     string    // identity across the preview and the step
	choice  sim.Choice
}

// verdict is the other side's view of a proposal.
type verdict struct {
	Actor    string    `json:"actor"`
	Delta    float64   `json:"delta"`
	Terms    []float64 `json:"terms"`
	Prob     float64   `json:"prob"`
	Accepted bool      `json:"accepted"`
}

// termNames are the utility terms, in the engine's order.
func termNames() []string {
	out := make([]string, sim.NumTerms)
	for t := range sim.NumTerms {
		out[t] = t.String()
	}
	return out
}

// decisionRec is a seated state's decision in a step, for the debrief.
type decisionRec struct {
	Step     int       `json:"step"`
	actor    int       //
	Actor    string    `json:"actor"`
	Label    string    `json:"label"`
	Student  string    `json:"student"`
	Chosen   option    `json:"chosen"`
	Model    option    `json:"model"`
	External bool      `json:"external"` // the student's choice (else the model's)
	Done     bool      `json:"done"`     // carried out (consent given where needed)
	Consent  []verdict `json:"consent"`
	Note     string    `json:"note"`
}

// consentRec is a consent a student was asked for.
type consentRec struct {
	Step     int    `json:"step"`
	Student  string `json:"student"`
	Actor    string `json:"actor"`
	From     string `json:"from"`
	Proposal string `json:"proposal"`
	Answered bool   `json:"answered"`
	Accepted bool   `json:"accepted"`
	Model    bool   `json:"model"` // what the model would have answered
	WaitedMs int64  `json:"waitedMs"`
}

// panel is what a student's device shows: the state's situation in plain
// words and its options this round.
type panel struct {
	Actor     string         `json:"actor"`
	Label     string         `json:"label"`
	Region    string         `json:"region"`
	Step      int            `json:"step"`
	InSystem  bool           `json:"inSystem"`
	Situation []string       `json:"situation"`
	Threats   []namedValue   `json:"threats"`
	Ties      []tieDetail    `json:"ties"`
	Groups    []groupSummary `json:"groups"`
	Members   []string       `json:"memberOf"`
	Options   []option       `json:"options"`
	raw       []byte         // the panel as JSON, made once (buildPanel)
}

// buildPanel describes actor a for its student. The caller holds run.mu.
func (c *Class) buildPanel(a int) *panel {
	s := c.run.s
	p := &panel{Step: s.T(), Options: []option{}}
	d, err := c.run.actorAt(a)
	if err != nil {
		return p
	}
	p.Actor, p.Label, p.Region = d.ID, d.Label, d.Region
	p.InSystem = s.InSystem(a)
	p.Threats, p.Ties, p.Groups = d.Threats, d.Ties, d.Groups
	p.Members = d.MemberOf
	p.Situation = situation(s, a)
	if p.InSystem {
		p.Options = c.run.options(a, c.choiceSeed(a))
	}
	p.raw, _ = json.Marshal(p)
	return p
}

// choiceSeed is the seed of actor a's preview of its options this step.
func (c *Class) choiceSeed(a int) uint64 {
	return c.run.seed*1_000_003 + uint64(c.run.s.T())*4099 + uint64(a)
}

func actorName(w *sim.World, i int) string {
	if i < 0 || i >= len(w.Actors) {
		return "?"
	}
	if n := w.Actors[i].Name; n != "" {
		return n
	}
	return w.Actors[i].ID
}

// pct writes a share in [0, 1] as a percentage a student reads easily.
func pct(v float64) string {
	switch {
	case v <= 0:
		return "0%"
	case v < 0.01:
		return fmt.Sprintf("%.1f%%", 100*v)
	default:
		return fmt.Sprintf("%.0f%%", 100*v)
	}
}

// threatWord grades a perceived threat.
func threatWord(v float64) string {
	switch {
	case v < 0.02:
		return "hardly any"
	case v < 0.1:
		return "a low"
	case v < 0.3:
		return "a moderate"
	case v < 0.6:
		return "a high"
	default:
		return "a severe"
	}
}

// situation puts actor a's position into plain sentences: capability,
// threats, the patron's reliability, its ties, groups and memberships.
func situation(s *sim.Sim, a int) []string {
	w := s.World()
	me := &w.Actors[a]
	name := actorName(w, a)
	var out []string
	if !s.InSystem(a) {
		out = append(out, fmt.Sprintf("%s is not in the system yet: it enters at step %d and cannot act before.", name, me.Enter))
	}
	strongest := -1
	for i := range w.Actors {
		if w.Actors[i].Kind == sim.State && (strongest < 0 || s.EffectiveCapability(i) > s.EffectiveCapability(strongest)) {
			strongest = i
		}
	}
	if strongest == a {
		out = append(out, fmt.Sprintf("%s is the strongest state in the world (region: %s).", name, me.Region))
	} else if strongest >= 0 && s.EffectiveCapability(strongest) > 0 {
		out = append(out, fmt.Sprintf("%s (region: %s) has %s of the capability of %s, the strongest state.", name, me.Region,
			pct(s.EffectiveCapability(a)/s.EffectiveCapability(strongest)), actorName(w, strongest)))
	}
	var felt []string
	type tv struct {
		name string
		v    float64
	}
	var ts []tv
	for k := range w.Threats {
		if v := s.PerceivedThreatOf(a, k); v > 0.005 {
			ts = append(ts, tv{w.Threats[k].Name, v})
		}
	}
	slices.SortFunc(ts, func(x, y tv) int { return -cmpFloat(x.v, y.v) })
	for _, t := range ts {
		felt = append(felt, fmt.Sprintf("%s %.2f", t.name, t.v))
	}
	if th := s.PerceivedThreat(a); len(felt) == 0 {
		out = append(out, "It feels no threat now.")
	} else {
		out = append(out, fmt.Sprintf("It feels %s threat (%.2f): %s. Its unprotected need (insecurity) is %.3f.", threatWord(th), th, strings.Join(felt, ", "), s.Insecurity(a)))
	}
	pol, mil := s.Retrenchment()
	for i := range w.Actors {
		if !w.Actors[i].Patron {
			continue
		}
		if i == a {
			out = append(out, fmt.Sprintf("%s is the patron: others lean on it. Partners find it %s reliable (retrenchment: political %.2f, military %.2f).",
				name, pct(s.Reliability(i)), pol, mil))
		} else {
			out = append(out, fmt.Sprintf("The patron, %s, is %s reliable (retrenchment: political %.2f, military %.2f); %s of %s's protection from partners comes through ties with it.",
				actorName(w, i), pct(s.Reliability(i)), pol, mil, pct(s.Dependence(a)), name))
		}
	}
	var ties []string
	for t := range s.TiesOf(a) {
		o := t.Other(a)
		what := t.Form.String()
		if t.Donor >= 0 {
			if t.Donor == a {
				what += " given"
			} else {
				what += " received"
			}
		}
		ties = append(ties, fmt.Sprintf("%s with %s (%s, trust %.2f)", what, actorName(w, o), t.Level, t.Trust))
	}
	slices.Sort(ties)
	switch len(ties) {
	case 0:
		out = append(out, "It has no ties.")
	case 1:
		out = append(out, "Its tie: "+ties[0]+".")
	default:
		out = append(out, fmt.Sprintf("Its %d ties: %s.", len(ties), strings.Join(ties, "; ")))
	}
	var groups []string
	for g := range s.GroupsOf(a) {
		n := g.Name
		if n == "" {
			n = fmt.Sprintf("%s group %d", g.Kind, g.ID)
		}
		groups = append(groups, fmt.Sprintf("%s (%s, %s, %d members)", n, g.Issue, g.Level, len(g.Members)))
	}
	if len(groups) > 0 {
		out = append(out, "Its groups: "+strings.Join(groups, "; ")+".")
	}
	var orgs []string
	for _, o := range s.OrganisationsOf(a) {
		orgs = append(orgs, actorName(w, o))
	}
	if len(orgs) > 0 {
		out = append(out, "It is a member of "+strings.Join(orgs, ", ")+".")
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// actorOutcome is where an actor stands at a step, for the debrief.
type actorOutcome struct {
	ID          string  `json:"id"`
	Label       string  `json:"label"`
	Kind        string  `json:"kind"`
	Region      string  `json:"region"`
	Ties        int     `json:"ties"`
	Alliances   int     `json:"alliances"`
	Groups      int     `json:"groups"`
	Memberships int     `json:"memberships"`
	Threat      float64 `json:"threat"`
	Insecurity  float64 `json:"insecurity"`
	Capability  float64 `json:"capability"`
	Reliability float64 `json:"reliability"`
	Reputation  float64 `json:"reputation"`
	InSystem    bool    `json:"inSystem"`
}

// outcomes describes every actor now.
func outcomes(s *sim.Sim) []actorOutcome {
	w := s.World()
	out := make([]actorOutcome, len(w.Actors))
	for i := range w.Actors {
		a := &w.Actors[i]
		o := actorOutcome{ID: a.ID, Label: actorName(w, i), Kind: a.Kind.String(), Region: a.Region,
			Threat: s.PerceivedThreat(i), Insecurity: s.Insecurity(i), Capability: s.EffectiveCapability(i),
			Reliability: s.Reliability(i), Reputation: s.Reputation(i), InSystem: s.InSystem(i),
			Memberships: len(s.OrganisationsOf(i))}
		for t := range s.TiesOf(i) {
			o.Ties++
			if t.Form == sim.Alliance {
				o.Alliances++
			}
		}
		for range s.GroupsOf(i) {
			o.Groups++
		}
		out[i] = o
	}
	return out
}

// finite replaces a non-finite number (which JSON cannot carry) by 0.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
