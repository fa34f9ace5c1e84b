package sim

import (
	"fmt"
	"strconv"
)

// EventKind is what happened.
type EventKind uint8

const (
	TieFormed          EventKind = iota // Actor proposed, Other consented
	TieDeepened                         // level up, with consent
	TieLowered                          // level down, unilateral
	TieReformed                         // form changed (to alliance with consent; down unilaterally)
	TieAbandoned                        // unilateral exit; costs Actor reputation
	TieRejected                         // Other refused a proposal that would deepen commitment
	GroupFormed                         // Actor proposed a minilateral; Group has its members
	GroupJoined                         // Actor joined Group with its members' consent
	GroupDeepened                       // Group's level up, every member consenting
	GroupLeft                           // Actor left Group
	GroupDissolved                      // Group fell below its minimum size, or its threat receded
	GroupRejected                       // a proposal, join or deepening was refused
	CoalitionFormed                     // a coalition formed around a threat, led by Actor
	ActorEntered                        // Actor entered the system (a new state or organisation)
	AccessionRequested                  // Actor applied to join organisation Other
	AccessionHeld                       // a member (Size: its index) with a grievance holds Actor's application to Other
	AccessionRejected                   // a member (Size: its index) turned down Actor's application to Other
	Acceded                             // Actor became a member of Other (every member ratified, or by succession)
	Withdrew                            // Actor withdrew from organisation Other
	ActorLeft                           // Actor left the system for good (its ties and memberships end)
	ActorAbsent                         // Actor is out of the system for a while (it keeps its ties)
	ActorReturned                       // Actor is back in the system
	SupportStarted                      // Actor (donor) adds support to its tie with Other, with Other's consent
	SupportEnded                        // Actor (donor) ends its support on its tie with Other (the tie stays)
	NumEventKinds
)

var eventNames = [...]string{"tie_formed", "tie_deepened", "tie_lowered", "tie_reformed", "tie_abandoned", "tie_rejected",
	"group_formed", "group_joined", "group_deepened", "group_left", "group_dissolved", "group_rejected", "coalition_formed",
	"actor_entered", "accession_requested", "accession_held", "accession_rejected", "acceded", "withdrew",
	"actor_left", "actor_absent", "actor_returned", "support_started", "support_ended"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", k)
}

// Event is one decision or change, recorded in the step it happened.
type Event struct {
	Step  int
	Kind  EventKind
	Actor int   // who acted (proposer, leaver, abandoner, coalition leader, applicant)
	Other int   // the other side of a tie; the organisation of membership events; the threat for coalition events; -1 otherwise
	Group int   // group ID (Group.ID), or -1
	Form  Form  // the tie's form after the event
	Level Level // the tie's or group's level after the event (before it, for abandonment)
	Age   int   // age of a tie or group that was abandoned, left or dissolved
	Size  int   // group size after the event (accession_held: the holding member)
	Issue Issue // group issue
}

// OtherIsThreat reports whether e.Other is a threat's index (a coalition's
// formation, and its dissolution: the threat it was bound to) rather than
// an actor's.
func (e Event) OtherIsThreat() bool {
	return e.Kind == CoalitionFormed || e.Kind == GroupDissolved && e.Other >= 0
}

// Describe puts an event into plain words, e.g. "step 12: Finland and NATO
// form an alliance (advanced)".
func (s *Sim) Describe(e Event) string {
	return "step " + strconv.Itoa(e.Step) + ": " + s.DescribeAction(e)
}

// DescribeAction is Describe without the step: "Finland and NATO form an
// alliance (advanced)". The commonest kinds are put together without fmt:
// a run that records its events describes every one of them.
func (s *Sim) DescribeAction(e Event) string {
	name := func(i int) string {
		if i < 0 || i >= len(s.w.Actors) {
			return "?"
		}
		if n := s.w.Actors[i].Name; n != "" {
			return n
		}
		return s.w.Actors[i].ID
	}
	article := func(f Form) string {
		if f == Alliance || f == Assistance {
			return "an " + f.String()
		}
		return "a " + f.String() + " tie"
	}
	a, o := name(e.Actor), name(e.Other)
	var what string
	switch e.Kind {
	case TieFormed:
		what = a + " and " + o + " form " + article(e.Form) + " (" + e.Level.String() + ")"
	case TieDeepened:
		what = a + " and " + o + " deepen their " + e.Form.String() + " to " + e.Level.String()
	case TieLowered:
		what = a + " lowers its " + e.Form.String() + " with " + o + " to " + e.Level.String()
	case TieReformed:
		what = fmt.Sprintf("%s and %s turn their tie into %s (%s)", a, o, article(e.Form), e.Level)
	case TieAbandoned:
		what = a + " abandons its " + e.Form.String() + " with " + o + " after " + strconv.Itoa(e.Age) + " steps"
	case SupportStarted:
		what = a + " starts supporting " + o + " on their " + e.Form.String() + " (" + e.Level.String() + ")"
	case SupportEnded:
		what = a + " ends its support to " + o + "; their " + e.Form.String() + " stays (" + e.Level.String() + ")"
	case TieRejected:
		what = o + " turns down " + a + "'s proposal of " + article(e.Form) + " (" + e.Level.String() + ")"
	case GroupFormed:
		what = fmt.Sprintf("%s convenes a %d-member %s group (%s)", a, e.Size, e.Issue, s.groupLabel(e.Group))
	case GroupJoined:
		what = fmt.Sprintf("%s joins %s (%s, now %d members)", a, s.groupLabel(e.Group), e.Issue, e.Size)
	case GroupDeepened:
		what = fmt.Sprintf("%s (%s) deepens to %s at %s's initiative", s.groupLabel(e.Group), e.Issue, e.Level, a)
	case GroupLeft:
		what = fmt.Sprintf("%s leaves %s (%s)", a, s.groupLabel(e.Group), e.Issue)
	case GroupDissolved:
		what = fmt.Sprintf("%s (%s) dissolves after %d steps", s.groupLabel(e.Group), e.Issue, e.Age)
	case GroupRejected:
		if e.Group < 0 {
			what = fmt.Sprintf("%s's proposal of a %d-member %s group is turned down", a, e.Size, e.Issue)
		} else {
			what = fmt.Sprintf("%s's initiative on %s (%s) is turned down", a, s.groupLabel(e.Group), e.Issue)
		}
	case CoalitionFormed:
		what = fmt.Sprintf("%s leads a %d-member coalition against %s (group %d)", a, e.Size, s.threatName(e.Other), e.Group)
	case ActorEntered:
		what = fmt.Sprintf("%s enters the system", a)
	case AccessionRequested:
		what = fmt.Sprintf("%s applies to join %s", a, o)
	case AccessionHeld:
		what = fmt.Sprintf("%s holds %s's application to join %s", name(e.Size), a, o)
	case AccessionRejected:
		what = fmt.Sprintf("%s turns down %s's application to join %s", name(e.Size), a, o)
	case Acceded:
		what = fmt.Sprintf("%s joins %s", a, o)
	case Withdrew:
		what = fmt.Sprintf("%s withdraws from %s after %d steps", a, o, e.Age)
	case ActorLeft:
		what = fmt.Sprintf("%s leaves the system", a)
	case ActorAbsent:
		what = fmt.Sprintf("%s is out of the system for a while", a)
	case ActorReturned:
		what = fmt.Sprintf("%s is back in the system", a)
	default:
		what = e.Kind.String()
	}
	return what
}

func (s *Sim) threatName(k int) string {
	if k >= 0 && k < len(s.w.Threats) {
		return s.w.Threats[k].Name
	}
	return "a threat"
}

// groupLabel is the name of the group with that ID (AUKUS, or minilateral-9
// for one the model formed), kept after the group dissolves; "group ID" for
// an ID the run never gave.
func (s *Sim) groupLabel(id int) string {
	if id >= 0 && id < len(s.groupNames) {
		return s.groupNames[id]
	}
	return fmt.Sprintf("group %d", id)
}
