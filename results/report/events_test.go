package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/entente/entente/results"
)

// plainKeyEvents is the key events as the page listed them before the
// tally kept its ranking as it went: every event's replicates and steps
// gathered, the mode found at the end, all of them sorted, the first
// MaxEvents kept and sorted by mode.
func plainKeyEvents(events []results.EventRow, reps []int, runs int) (items []string, total int) {
	type agg struct {
		text       string
		reps       map[int]bool
		steps      map[int]int
		minS, maxS int
		mode       int
	}
	by := map[string]*agg{}
	for i, e := range events {
		total++
		if slices.Contains(minorEvents, e.Kind) {
			continue
		}
		a, ok := by[e.Text]
		if !ok {
			a = &agg{text: e.Text, reps: map[int]bool{}, steps: map[int]int{}, minS: e.Step, maxS: e.Step}
			by[e.Text] = a
		}
		a.reps[reps[i]] = true
		a.steps[e.Step]++
		a.minS, a.maxS = min(a.minS, e.Step), max(a.maxS, e.Step)
	}
	var list []*agg
	for _, a := range by {
		best, n := a.minS, -1
		for s, c := range a.steps {
			if c > n || c == n && s < best {
				best, n = s, c
			}
		}
		a.mode = best
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i].reps) != len(list[j].reps) {
			return len(list[i].reps) > len(list[j].reps)
		}
		if list[i].mode != list[j].mode {
			return list[i].mode < list[j].mode
		}
		return list[i].text < list[j].text
	})
	list = list[:min(len(list), MaxEvents)]
	sort.SliceStable(list, func(i, j int) bool { return list[i].mode < list[j].mode })
	for _, a := range list {
		when := fmt.Sprintf("step %d", a.mode)
		if a.minS != a.maxS {
			when += fmt.Sprintf(" (steps %d–%d)", a.minS, a.maxS)
		}
		items = append(items, fmt.Sprintf("%s: %s, %d of %d replicates", when, a.text, len(a.reps), runs))
	}
	return items, total
}

// The tally's key events (replicates and steps in small sorted slices, the
// mode kept as counts grow, the first MaxEvents picked in one pass) are
// those of gathering everything in maps and sorting it all, on streams full
// of ties: few words, steps and replicates, minor kinds among them, the
// same words at the same step several times in a replicate, in replicate
// order and shuffled.
func TestEventTallyRanksAsASortOfAll(t *testing.T) {
	kinds := []string{"tie_formed", "tie_abandoned", "tie_rejected", "group_formed", "tie_deepened"}
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 1))
		words, steps, runs := 1+r.IntN(80), 1+r.IntN(12), 1+r.IntN(8)
		var events []results.EventRow
		var reps []int
		for rep := range runs {
			for range r.IntN(150) {
				w := r.IntN(words)
				events = append(events, results.EventRow{Step: r.IntN(steps), Kind: kinds[w%len(kinds)], Text: fmt.Sprintf("event %d", w)})
				reps = append(reps, rep)
			}
		}
		order := make([]int, len(events))
		for i := range order {
			order[i] = i
		}
		if seed%2 == 1 { // replicates out of order, as a set without Resumable may add them
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		tally := NewEventTally()
		for _, i := range order {
			tally.Add(reps[i], &events[i])
		}
		sec := tally.section(runs)
		want, total := plainKeyEvents(events, reps, runs)
		if !slices.Equal(sec.Items, want) || !strings.Contains(sec.Intro, fmt.Sprintf("The %d events the most replicates saw (of %d events", len(want), total)) {
			t.Fatalf("seed %d: the tally lists\n%s\n%s\nwant\n%s\n(%d events)", seed, sec.Intro, strings.Join(sec.Items, "\n"), strings.Join(want, "\n"), total)
		}
	}
}
