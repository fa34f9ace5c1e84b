package sim

import (
	"fmt"
	"strings"
)

// Kind is what sort of actor an Actor is.
type Kind uint8

const (
	State        Kind = iota // a sovereign state
	Organisation             // a regional or subregional organisation with member states
	Informal                 // an informal group of states (ASEM, CELAC, EAPC)
)

var kindNames = [...]string{"state", "organisation", "group"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// ParseKind accepts "state", "organisation" (or "organization", "org",
// "regional", "subregional") and "group" (or "informal").
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "state", "country":
		return State, nil
	case "organisation", "organization", "org", "regional", "subregional":
		return Organisation, nil
	case "group", "informal":
		return Informal, nil
	}
	return 0, fmt.Errorf("unknown actor kind %q (want state, organisation or group)", s)
}

// Form is the form of a pairwise tie.
type Form uint8

const (
	Cooperation Form = iota // non-binding security cooperation, DCA, interregional dialogue
	Alliance                // binding mutual defence
	Assistance              // security force assistance: training, advising, equipping (donor -> recipient)
	Coalition               // bound to one threat; used for coalition membership links in network views
	NumForms
)

var formNames = [...]string{"cooperation", "alliance", "assistance", "coalition"}

func (f Form) String() string {
	if int(f) < len(formNames) {
		return formNames[f]
	}
	return fmt.Sprintf("form(%d)", f)
}

// Binding reports whether the form carries a mutual-defence obligation.
func (f Form) Binding() bool { return f == Alliance }

// ParseForm parses a form name.
func ParseForm(s string) (Form, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cooperation", "dca", "dialogue":
		return Cooperation, nil
	case "alliance":
		return Alliance, nil
	case "assistance", "sfa":
		return Assistance, nil
	case "coalition":
		return Coalition, nil
	}
	return 0, fmt.Errorf("unknown tie form %q (want cooperation, alliance, assistance or coalition)", s)
}

// Level is the depth of a tie or group, after source 004.
type Level uint8

const (
	None              Level = iota // no tie
	Nominal                        // sporadic contacts, an MoU but no regular mechanism
	Initial                        // a limited security role
	Institutionalised              // posts, regular meetings, continuous dialogue
	Advanced                       // joint policy making and implementation, resources allocated
	MaxLevel          = Advanced
)

var levelNames = [...]string{"none", "nominal", "initial", "institutionalised", "advanced"}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", l)
}

// Frac is the level as a fraction of Advanced, in [0, 1].
func (l Level) Frac() float64 { return float64(l) / float64(MaxLevel) }

// ParseLevel parses a level name (either spelling of institutionalised).
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none":
		return None, nil
	case "nominal":
		return Nominal, nil
	case "initial":
		return Initial, nil
	case "institutionalised", "institutionalized":
		return Institutionalised, nil
	case "advanced":
		return Advanced, nil
	}
	return 0, fmt.Errorf("unknown level %q (want nominal, initial, institutionalised or advanced)", s)
}

// GroupKind distinguishes minilateral groups from threat-bound coalitions.
type GroupKind uint8

const (
	Minilateral    GroupKind = iota // 3 to about 6 members around one issue
	CoalitionGroup                  // any size, bound to one threat, dissolves with it
)

func (g GroupKind) String() string {
	if g == CoalitionGroup {
		return "coalition"
	}
	return "minilateral"
}

// Issue is what a minilateral group is about. Security issues protect against
// the matching class of threat; economic issues (technology, resources,
// energy) carry economic value only.
type Issue uint8

const (
	IssueDeterrence Issue = iota // conventional deterrence
	IssueMaritime                // maritime security (counts against conventional threats)
	IssueTerrorism               // transnational threats: terrorism, piracy, cyber
	IssueTechnology              // technology and defence industry
	IssueResources               // resources, energy, food
	NumIssues
)

var issueNames = [...]string{"deterrence", "maritime", "terrorism", "technology", "resources"}

func (i Issue) String() string {
	if int(i) < len(issueNames) {
		return issueNames[i]
	}
	return fmt.Sprintf("issue(%d)", i)
}

// Class is the threat class the issue protects against.
func (i Issue) Class() ThreatClass {
	switch i {
	case IssueDeterrence, IssueMaritime:
		return Conventional
	case IssueTerrorism:
		return Transnational
	}
	return Economic
}

// ParseIssue parses an issue name, accepting the data tables' spellings
// (conventional-deterrence, maritime-and-technology, defence-industry,
// economic-resource, energy-and-food, cyber, piracy).
func ParseIssue(s string) (Issue, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "deterrence", "conventional-deterrence", "conventional", "defence", "defense":
		return IssueDeterrence, nil
	case "maritime", "maritime-security", "maritime-and-technology":
		return IssueMaritime, nil
	case "terrorism", "counter-terrorism", "transnational", "cyber", "piracy":
		return IssueTerrorism, nil
	case "technology", "defence-industry", "defense-industry", "industry":
		return IssueTechnology, nil
	case "resources", "economic-resource", "energy", "energy-and-food", "food", "economic":
		return IssueResources, nil
	}
	return 0, fmt.Errorf("unknown issue %q (want deterrence, maritime, terrorism, technology or resources)", s)
}

// ThreatClass groups threat kinds by what protects against them.
type ThreatClass uint8

const (
	Conventional  ThreatClass = iota // state threats: binding alliances pay
	Transnational                    // terrorism, piracy, cyber: coalitions and cooperation pay
	Economic                         // no threat: economic issues
)

// ClassOfKind maps a threat kind to its class: "conventional" is
// Conventional, every other kind (terrorism, piracy, cyber, ...) Transnational.
func ClassOfKind(kind string) ThreatClass {
	if strings.EqualFold(strings.TrimSpace(kind), "conventional") {
		return Conventional
	}
	return Transnational
}

// ValueChange sets an actor's values from step Step (>= 1) on.
type ValueChange struct {
	Step   int
	Values []float64
}

// Span is a half-open interval of steps [From, To).
type Span struct{ From, To int }

// Actor is the static description of an actor.
type Actor struct {
	ID     string
	Name   string
	Kind   Kind
	Region string
	// Capability is military capability in [0, 1] (e.g. COW CINC). For an
	// organisation with members in the world it is ignored: the organisation's
	// capability is the sum of its members' effective capabilities.
	Capability float64
	// Economy is economic weight (e.g. share of world GDP), >= 0.
	Economy float64
	// Values is a small vector of values and interests in [-1, 1]^d, used for
	// similarity. All actors of a world share d.
	Values []float64
	// Autonomy in [0, 1]: how much binding commitments cost the actor.
	// Organisations with members decide through them, so theirs is unused.
	Autonomy float64
	// Patron marks an actor whose retrenchment the profiles describe.
	Patron bool
	// Members are indices of the founding members (organisations and
	// informal groups): the members at the step the actor enters. Later
	// members join by accession and leave by withdrawal.
	Members []int
	// Commitment in [0, 1]: how far membership of this organisation binds its
	// members to mutual defence (NATO Article 5 near 1, a dialogue forum near 0).
	Commitment float64
	// MutualDefence marks an organisation whose charter carries a
	// mutual-defence clause (NATO's Article 5, the Rio Treaty, CSTO's Article
	// 4): every pair of its members counts as bound by mutual defence.
	MutualDefence bool
	// Consensus marks an organisation whose decisions need every member's
	// assent (NATO, ASEAN); otherwise its position follows its members'
	// capability-weighted view. Accession always needs every member.
	Consensus bool
	// Regions where an organisation acts (default: its own Region): only
	// states of these regions may accede, and its ties with actors outside
	// them are dialogue, cooperation or assistance, never mutual defence.
	Regions []string
	// Closed marks an organisation whose charter admits no further members
	// from this world (ASEAN's is limited to Southeast Asia, which the
	// world's regions do not tell apart): no state may apply to it.
	Closed bool
	// Admits lists the only states an organisation's charter lets accede
	// (the Arab League's Pact admits independent Arab states, Art. 1),
	// wherever they are; empty: any state of a region it acts in. Indices
	// into World.Actors.
	Admits []int
	// Age in years the organisation (its founding treaty) has existed at
	// step 0: an old institution's commitment is more credible.
	Age float64
	// Enter is the step at which the actor enters the system (a new state,
	// a new organisation with its founding Members); before it, it neither
	// acts, is sought as a partner nor feels threats. 0: present from the start.
	Enter int
	// Exit is the step at which the actor leaves the system for good (a
	// state that merges into another, an organisation dissolved); 0: never.
	// Its ties and memberships end then.
	Exit int
	// Absent lists spans of steps during which the actor is out of the
	// system but keeps its ties and memberships (an occupied state): they
	// are invisible while it is absent and return with it.
	Absent []Span
	// Inherits lists the predecessors whose memberships and ties the actor
	// takes over when it enters (state succession: unified Germany continues
	// the Federal Republic's treaties, Yemen those of both Yemens). A
	// successor present from step 0 takes over nothing (it starts with its
	// own ties), and a successor and its predecessor, in a year both are
	// coded, are one polity: never a defence dyad.
	Inherits []int
	// ValueChanges are changes of the actor's values at later steps, in
	// increasing step order (a state that democratises: the record's Polity
	// scores year by year, as actor-oriented models take changing
	// covariates). Each replaces Values from its step on.
	ValueChanges []ValueChange
	// Aid, when set, scales the actor's assistance budget over time (a
	// donor's cut of its programme, as the EU's 20 % cut of the African Peace
	// Facility); nil means 1 throughout.
	Aid *Profile
}

// TieSpec is an initial tie of a World. A and B are actor indices.
type TieSpec struct {
	A, B  int
	Form  Form
	Level Level
	// Donor is A or B for a donor -> recipient flow, or -1 for symmetric.
	Donor int
	// Age (steps the tie has lasted) and Trust in [0, 1] at the start; a zero
	// trust is the trust the tie has built over its age (initial_trust grown
	// at trust_growth a year), initial_trust for a new tie.
	Age   int
	Trust float64
}

// GroupSpec is an initial minilateral group or coalition of a World.
type GroupSpec struct {
	Name    string
	Kind    GroupKind
	Issue   Issue
	Level   Level
	Members []int
	// Threat is the index of the threat a coalition is bound to (-1 otherwise).
	Threat int
	// About lists the threats a security minilateral is about: it protects
	// its members against these only (a maritime group in the South China
	// Sea does not protect against Russia). Empty: every threat of its
	// issue's class that exposes a member's region.
	About []int
	// Leader is the index of a coalition's leader (-1: its most capable member).
	Leader int
	// Age in steps at the start.
	Age int
}

// Threat is an environmental threat.
type Threat struct {
	Name string
	Kind string // "conventional" or a transnational kind (terrorism, piracy, cyber, ...)
	// Source is the index of the source actor, or -1 (e.g. a non-state group).
	Source int
	// RegionExposure maps a region name to an exposure weight in [0, 1].
	RegionExposure map[string]float64
	// ActorExposure maps actor indices to exposure weights in [0, 1]; it
	// overrides the region's weight for that actor.
	ActorExposure map[int]float64
	Intensity     Profile
}

// Class is the threat's class.
func (t *Threat) Class() ThreatClass { return ClassOfKind(t.Kind) }

// Rivalry is enmity between two actors in [0, 1] (a negative tie of the
// signed network): from data (militarised disputes, a list of strategic
// rivalries) or set by a scenario. A grievance that holds an accession is a
// rivalry too.
type Rivalry struct {
	A, B   int
	Enmity float64
}

// World is the static description of a scenario: everything a run starts from.
type World struct {
	Actors    []Actor
	Ties      []TieSpec
	Groups    []GroupSpec
	Threats   []Threat
	Rivalries []Rivalry
	// Political and Military are the patron's retrenchment profiles, in [0, 1].
	Political Profile
	Military  Profile
	// StepsPerYear is how many steps make a year (4: quarters, the
	// built-ins; 1: the yearly alliance panel). Parameters are per year and
	// are converted to the step. 0 means 1.
	StepsPerYear float64
}

// Dt is the length of a step in years.
func (w *World) Dt() float64 {
	if w.StepsPerYear > 0 {
		return 1 / w.StepsPerYear
	}
	return 1
}
