package sim

// Hooks for the review's tests (review_choice_test.go).

// OptionsOn builds actor i's options on an agenda (0 all, 1 commitment,
// 2 partnership) as an opportunity would, and returns them as Choices.
func (s *Sim) OptionsOn(i int, agenda uint8) []Choice {
	s.agenda = agenda
	s.buildOptions(i)
	s.probabilities()
	return s.choiceList(i, nil)
}

const (
	AgendaAll         = agendaAll
	AgendaCommitment  = agendaCommitment
	AgendaPartnership = agendaPartnership
)
