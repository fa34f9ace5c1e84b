package report

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/entente/entente/results"
)

// minorEvents are left out of the key events: refusals and small
// adjustments happen all the time.
var minorEvents = []string{"tie_rejected", "group_rejected", "tie_lowered", "tie_deepened", "group_deepened"}

// An EventTally is what the key events of a result set's page are made
// of: the number of events in its events.csv and, for each event's words
// (wherever it happened; minorEvents left out), its kind, the replicates
// that saw it and how many times it happened at each step. It is filled
// one event at a time by Add, either from events.csv (ReadEventTally) or,
// by the run that writes the file, as the set comes to hold each event
// (results.Options.Tally), so that a fresh run's page does not read the
// file back ([WriteTallied]). Not safe for concurrent use: a set calls Add
// with its lock held.
type EventTally struct {
	total int
	by    map[string]*eventCount
	list  []*eventCount // by's values in the order first seen
}

type eventCount struct {
	text, kind   string      // kind: that of the first event with these words
	reps         []int       // the replicates that saw it, ascending
	steps        []stepCount // how many times it happened at each step, by step
	mode, atMode int         // the step it happened at most often (the earliest on a tie) and how often
}

// stepCount is how many times an event happened at a step. Most events
// happen at a few steps in a few replicates: small sorted slices hold them
// in a fraction of a map's memory (a run holds its tally while it runs).
type stepCount struct{ step, n int }

// NewEventTally returns an empty tally.
func NewEventTally() *EventTally { return &EventTally{by: map[string]*eventCount{}} }

// Add counts one event of replicate.
func (t *EventTally) Add(replicate int, e *results.EventRow) {
	t.total++
	if slices.Contains(minorEvents, e.Kind) {
		return
	}
	a, ok := t.by[e.Text]
	if !ok {
		a = &eventCount{text: e.Text, kind: e.Kind}
		t.by[e.Text] = a
		t.list = append(t.list, a)
	}
	if i, seen := slices.BinarySearch(a.reps, replicate); !seen {
		a.reps = slices.Insert(a.reps, i, replicate)
	}
	i, seen := slices.BinarySearchFunc(a.steps, e.Step, func(c stepCount, step int) int { return cmp.Compare(c.step, step) })
	if !seen {
		a.steps = slices.Insert(a.steps, i, stepCount{step: e.Step})
	}
	a.steps[i].n++
	// counts only grow, so the mode can only move to the step counted
	if n := a.steps[i].n; n > a.atMode || n == a.atMode && e.Step < a.mode {
		a.mode, a.atMode = e.Step, n
	}
}

// ReadEventTally tallies the events.csv at path; nil, nil when there is no
// such file.
func ReadEventTally(path string) (*EventTally, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	t := NewEventTally()
	err = results.ScanEvents(f, results.EventsFile, func(rep int, e results.EventRow) error {
		t.Add(rep, &e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// keyOrder ranks events for the page: seen by more replicates first, then
// by the earlier mode, then by their words (a total order: the words are
// the tally's keys).
func keyOrder(a, b *eventCount) int {
	if len(a.reps) != len(b.reps) {
		return cmp.Compare(len(b.reps), len(a.reps))
	}
	if a.mode != b.mode {
		return cmp.Compare(a.mode, b.mode)
	}
	return strings.Compare(a.text, b.text)
}

// section lists the MaxEvents events most replicates saw (of runs), in
// plain words, by the step most replicates saw them at: each event with
// that step, the range of steps, and how many replicates saw it.
func (t *EventTally) section(runs int) section {
	// the first MaxEvents in keyOrder, kept sorted as the tally is read
	// once (keyOrder is total, so they are those a sort of all would give)
	top := make([]*eventCount, 0, MaxEvents+1)
	for _, a := range t.list {
		if len(top) == MaxEvents && keyOrder(a, top[MaxEvents-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, a, keyOrder)
		top = slices.Insert(top, i, a)
		top = top[:min(len(top), MaxEvents)]
	}
	slices.SortStableFunc(top, func(a, b *eventCount) int { return cmp.Compare(a.mode, b.mode) })
	sec := section{Title: "Key events",
		Intro: fmt.Sprintf("The %d events the most replicates saw (of %d events in events.csv; refusals, deepenings and lowerings left out), in plain words, at the step most replicates saw them.", len(top), t.total)}
	for _, a := range top {
		when := fmt.Sprintf("step %d", a.mode)
		if first, last := a.steps[0].step, a.steps[len(a.steps)-1].step; first != last {
			when += fmt.Sprintf(" (steps %d–%d)", first, last)
		}
		sec.Items = append(sec.Items, fmt.Sprintf("%s: %s, %d of %d replicates", when, a.text, len(a.reps), runs))
	}
	return sec
}
