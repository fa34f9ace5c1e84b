package sim

import "fmt"

// Term is one part of an actor's utility (docs/MODEL.md, "Utility"). A
// Choice's change in utility is the sum of its terms.
type Term uint8

const (
	TermSecurity   Term = iota // protection against perceived threats (concave)
	TermEconomy                // the partner's hub position (source 000)
	TermSimilarity             // shared values and interests (source 001)
	TermTrust                  // trust built on the tie (source 003)
	TermInfluence              // influence over a weaker partner, a donor's standing (source 004)
	TermAutonomy               // cost of binding commitments (source 003)
	TermUpkeep                 // cost of keeping a tie or group per level
	TermReputation             // cost of abandoning a tie or group (source 003)
	TermRivalry                // the signed network: rivals, rivals' allies, common rivals (source 002)
	TermEntrapment             // being drawn into a partner's conflicts (source 002)
	TermLockin                 // joint programmes and common standards (source 003)
	TermUmbrella               // a patron's stake in the protection its commitments give its partners (source 002)
	NumTerms
)

var termNames = [...]string{"security", "economy", "similarity", "trust", "influence", "autonomy", "upkeep", "reputation", "rivalry", "entrapment", "lockin", "umbrella"}

func (t Term) String() string {
	if int(t) < len(termNames) {
		return termNames[t]
	}
	return fmt.Sprintf("term(%d)", t)
}

// ChoiceKind is what an option does.
type ChoiceKind uint8

const (
	ChooseNothing         ChoiceKind = iota // keep things as they are
	ChooseNewTie                            // propose a new tie (needs consent)
	ChooseDeepen                            // raise a tie's level (needs consent)
	ChooseLower                             // lower a tie's level (unilateral)
	ChooseReform                            // change a tie's form (to alliance with consent; down unilaterally)
	ChooseAbandon                           // end a tie (unilateral; costs reputation)
	ChooseProposeGroup                      // convene a minilateral group (needs every invitee's consent)
	ChooseJoinGroup                         // join a minilateral group (needs its members' consent)
	ChooseDeepenGroup                       // raise a group's level (needs every member's consent)
	ChooseLeaveGroup                        // leave a group (unilateral)
	ChooseJoinCoalition                     // join an active coalition
	ChooseLeaveCoalition                    // leave a coalition
	ChooseOfferAssistance                   // offer security force assistance, as donor (needs the recipient's consent)
	ChooseAccede                            // apply to join an organisation (every member must ratify)
	ChooseWithdraw                          // withdraw from an organisation (unilateral; costs reputation)
	ChooseEndSupport                        // end one's support on a tie, keeping the tie (unilateral; seen as a cut)
	NumChoiceKinds
)

var choiceNames = [...]string{"nothing", "new_tie", "deepen", "lower", "reform", "abandon",
	"propose_group", "join_group", "deepen_group", "leave_group", "join_coalition", "leave_coalition",
	"offer_assistance", "accede", "withdraw", "end_support"}

func (k ChoiceKind) String() string {
	if int(k) < len(choiceNames) {
		return choiceNames[k]
	}
	return fmt.Sprintf("choice(%d)", k)
}

// Choice is one option of an actor on an opportunity, as the model weighs it.
type Choice struct {
	Kind    ChoiceKind
	Actor   int
	Partner int // the other side of a tie, or the organisation for accession and withdrawal; -1
	Group   int // the group's ID (Group.ID), -1
	Form    Form
	Level   Level // the tie's or group's level after the option
	Issue   Issue // a proposed group's issue
	// Delta is the change in the actor's utility; Terms splits it by term
	// (they sum to Delta).
	Delta float64
	Terms [NumTerms]float64
	// Prob is the probability the logit at the run's temperature gives the
	// option among those weighed with it.
	Prob float64
}

// Verdict is one party's answer to a proposal that needs its consent.
type Verdict struct {
	Actor    int
	Delta    float64           // the change in its utility if it accepts
	Terms    [NumTerms]float64 // Delta by term
	Prob     float64           // probability of consent: the binary logit of Delta at the run's temperature
	Accepted bool
}

// Decision is one opportunity: the options weighed, the one taken, and the
// consent it met.
type Decision struct {
	Step     int
	Actor    int
	Options  []Choice
	Chosen   int  // index into Options of the option acted on
	Model    int  // index into Options of what the model drew
	External bool // the choice came from a Controller
	Consent  []Verdict
	Done     bool // carried out (false: refused, or held pending ratification)
}

// Controller lets something outside the model (a student in the
// classroom) take some actors' decisions. Decide and Consent are called
// during Step and may block.
type Controller interface {
	// Controls reports whether the controller decides for actor i. A
	// controlled actor gets exactly one opportunity per step.
	Controls(actor int) bool
	// Decide is called on a controlled actor's opportunity with the options
	// the model weighed and the index it drew; it returns the choice to act
	// on (one of opts, or one from Sim.Choices) or false to take the model's.
	Decide(actor int, opts []Choice, model int) (Choice, bool)
	// Consent is called when a controlled actor is asked to consent to a
	// proposal; model is what the model would answer.
	Consent(actor int, proposal Choice, model Verdict) bool
}
