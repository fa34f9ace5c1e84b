package report

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"

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
}

type eventCount struct {
	text, kind string // kind: that of the first event with these words
	reps       map[int]bool
	steps      map[int]int
	minS, maxS int
	mode       int // the step most replicates saw it at (the earliest on a tie)
}

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
		a = &eventCount{text: e.Text, kind: e.Kind, reps: map[int]bool{}, steps: map[int]int{}, minS: e.Step, maxS: e.Step}
		t.by[e.Text] = a
	}
	a.reps[replicate] = true
	a.steps[e.Step]++
	a.minS, a.maxS = min(a.minS, e.Step), max(a.maxS, e.Step)
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

// section lists the events most replicates saw (of runs), in plain words:
// each event with the step most replicates saw it at, the range of steps,
// and how many replicates saw it.
func (t *EventTally) section(runs int) section {
	list := make([]*eventCount, 0, len(t.by))
	for _, a := range t.by {
		best, n := a.minS, -1
		for s, c := range a.steps {
			if c > n || c == n && s < best {
				best, n = s, c
			}
		}
		a.mode = best
		list = append(list, a)
	}
	mode := func(a *eventCount) int { return a.mode }
	sort.Slice(list, func(i, j int) bool {
		if len(list[i].reps) != len(list[j].reps) {
			return len(list[i].reps) > len(list[j].reps)
		}
		if mi, mj := mode(list[i]), mode(list[j]); mi != mj {
			return mi < mj
		}
		return list[i].text < list[j].text
	})
	list = list[:min(len(list), MaxEvents)]
	sort.SliceStable(list, func(i, j int) bool { return mode(list[i]) < mode(list[j]) })
	sec := section{Title: "Key events",
		Intro: fmt.Sprintf("The %d events the most replicates saw (of %d events in events.csv; refusals, deepenings and lowerings left out), in plain words, at the step most replicates saw them.", len(list), t.total)}
	for _, a := range list {
		when := fmt.Sprintf("step %d", mode(a))
		if a.minS != a.maxS {
			when += fmt.Sprintf(" (steps %d–%d)", a.minS, a.maxS)
		}
		sec.Items = append(sec.Items, fmt.Sprintf("%s: %s, %d of %d replicates", when, a.text, len(a.reps), runs))
	}
	return sec
}
