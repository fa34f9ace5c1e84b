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
	NumTerms
)

var termNames = [...]string{"security", "economy", "similarity", "trust", "influence", "autonomy", "upkeep", "reputation"}

func (t Term) String() string {
	if int(t) < len(termNames) {
		return termNames[t]
	}
	return fmt.Sprintf("term(%d)", t)
}

// ChoiceKind is what an option does.
type ChoiceKind uint8

const (
	ChooseNothing        ChoiceKind = iota // keep things as they are
	ChooseNewTie                           // propose a new tie (needs consent)
	ChooseDeepen                           // raise a tie's level (needs consent)
	ChooseLower                            // lower a tie's level (unilateral)
	ChooseReform                           // change a tie's form (to alliance with consent; down unilaterally)
	ChooseAbandon                          // end a tie (unilateral; costs reputation)
	ChooseProposeGroup                     // convene a minilateral group (needs every invitee's consent)
	ChooseJoinGroup                        // join a minilateral group (needs its members' consent)
	ChooseDeepenGroup                      // raise a group's level (needs every member's consent)
	ChooseLeaveGroup                       // leave a group (unilateral)
	ChooseJoinCoalition                    // join an active coalition
	ChooseLeaveCoalition                   // leave a coalition
	NumChoiceKinds
)

var choiceNames = [...]string{"nothing", "new_tie", "deepen", "lower", "reform", "abandon",
	"propose_group", "join_group", "deepen_group", "leave_group", "join_coalition", "leave_coalition"}

func (k ChoiceKind) String() string {
	if int(k) < len(choiceNames) {
		return choiceNames[k]
	}
	return fmt.Sprintf("choice(%d)", k)
}
