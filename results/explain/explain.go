// Package explain tells, in words and across replicates, what an actor did
// in a run and which terms of its utility drove it, from the decisions.csv
// that `entente run --explain` writes (results.DecisionsFile): each option
// the actor weighed at each opportunity, its change in utility by term, the
// logit probability the model gave it, whether it was chosen and carried
// out, and the other side's consent.
//
// [Explain] is what `entente explain DIR --actor ID [--step S] [--partner
// ID]` prints. [Sentence] puts one option's terms into words and is meant
// for any view of a single decision (the classroom's actor panel).
package explain

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/entente/entente/results"
)

// Query selects the decisions to explain.
type Query struct {
	Actor   string // actor ID (required)
	Step    int    // only this step; -1: every step
	Partner string // only options with this partner (actor ID); "": any
}

// MaxOptions is how many chosen and passed-up options Explain describes.
const MaxOptions = 8

// option gathers one option (by its words) over the decisions it was
// weighed in.
type option struct {
	text          string
	partner       string
	weighed       int
	chosen        int
	done          int
	reps          map[int]bool
	first, last   int
	delta, prob   float64 // sums over weighings (chosen ones for chosen stats)
	terms         []float64
	cDelta, cProb float64
	cTerms        []float64
	asked, agreed int
	agreeProb     float64
}

// Sentence puts a change in utility into words: the total and the terms
// that drove it and weighed against it, e.g. "+0.034: driven by security
// (+0.051) and trust (+0.004), against autonomy (−0.020)". Terms smaller
// than a hundredth of the largest are left out.
func Sentence(delta float64, names []string, terms []float64) string {
	type tv struct {
		name string
		v    float64
	}
	var pos, neg []tv
	big := 0.0
	for _, v := range terms {
		big = max(big, math.Abs(v))
	}
	for k, v := range terms {
		if math.Abs(v) <= big/100 || v == 0 {
			continue
		}
		if v > 0 {
			pos = append(pos, tv{names[k], v})
		} else {
			neg = append(neg, tv{names[k], v})
		}
	}
	sort.SliceStable(pos, func(i, j int) bool { return pos[i].v > pos[j].v })
	sort.SliceStable(neg, func(i, j int) bool { return neg[i].v < neg[j].v })
	list := func(xs []tv) string {
		var parts []string
		for i, x := range xs {
			if i == 3 {
				break
			}
			parts = append(parts, fmt.Sprintf("%s (%s)", x.name, signed(x.v)))
		}
		switch len(parts) {
		case 0:
			return ""
		case 1:
			return parts[0]
		}
		return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	s := "utility " + signed(delta)
	switch p, n := list(pos), list(neg); {
	case p != "" && n != "":
		s += ": driven by " + p + ", against " + n
	case p != "":
		s += ": driven by " + p
	case n != "":
		s += ": held back by " + n
	}
	return s
}

func signed(v float64) string {
	if v >= 0 {
		return fmt.Sprintf("+%.3g", v)
	}
	return fmt.Sprintf("−%.3g", -v)
}

// Explain writes the explanation of q for the run in dir.
func Explain(w io.Writer, dir string, q Query) error {
	path := filepath.Join(dir, results.DecisionsFile)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("explain: %s has no %s: rerun with 'entente run ... --explain %s' (or --explain all) to record the decisions", dir, results.DecisionsFile, orAll(q.Actor))
	}
	if err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	defer f.Close()
	if q.Actor == "" {
		return errors.New("explain: no actor: give --actor ID")
	}
	var man results.Manifest
	if mf, err := os.Open(filepath.Join(dir, results.ManifestFile)); err == nil {
		man, _ = results.ReadManifest(mf)
		mf.Close()
	}
	opts := map[string]*option{}
	var order []string
	actors := map[string]bool{}
	partners := map[string]bool{}
	type dkey struct{ rep, step, nth int }
	decisions := map[dkey]bool{}
	seq := decisionSeq{}
	reps := map[int]bool{}
	var names []string
	nothingChosen := 0
	// the size of each term over every option weighed but doing nothing:
	// sums of absolute values, and how many options
	var weigh []float64
	weighed := 0
	names, err = results.ScanDecisions(f, path, func(d results.DecisionRow) error {
		actors[d.Actor] = true
		reps[d.Replicate] = true
		if d.Actor != q.Actor || (q.Step >= 0 && d.Step != q.Step) {
			return nil
		}
		n := seq.of(d)
		if d.Partner != "" {
			partners[d.Partner] = true
		}
		if q.Partner != "" && d.Partner != q.Partner {
			return nil
		}
		decisions[dkey{d.Replicate, d.Step, n}] = true
		o, ok := opts[d.Text]
		if !ok {
			o = &option{text: d.Text, partner: d.Partner, reps: map[int]bool{}, first: d.Step, last: d.Step,
				terms: make([]float64, len(d.Terms)), cTerms: make([]float64, len(d.Terms))}
			opts[d.Text] = o
			order = append(order, d.Text)
		}
		o.weighed++
		o.delta += d.Delta
		o.prob += d.Prob
		for k, v := range d.Terms {
			o.terms[k] += v
		}
		if d.Kind != "nothing" {
			if weigh == nil {
				weigh = make([]float64, len(d.Terms))
			}
			for k, v := range d.Terms {
				weigh[k] += math.Abs(v)
			}
			weighed++
		}
		if d.Chosen {
			if d.Kind == "nothing" {
				nothingChosen++
			}
			o.chosen++
			o.reps[d.Replicate] = true
			o.first, o.last = min(o.first, d.Step), max(o.last, d.Step)
			o.cDelta += d.Delta
			o.cProb += d.Prob
			for k, v := range d.Terms {
				o.cTerms[k] += v
			}
			if d.Done {
				o.done++
			}
			for _, c := range d.Consent {
				o.asked++
				o.agreeProb += c.Prob
				if c.Accepted {
					o.agreed++
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !actors[q.Actor] {
		var have []string
		for a := range actors {
			have = append(have, a)
		}
		slices.Sort(have)
		return fmt.Errorf("explain: %s has no decisions of %s: it holds those of %s (rerun with --explain %s)", path, q.Actor, strings.Join(have, ", "), q.Actor)
	}
	if q.Partner != "" && !partners[q.Partner] && len(decisions) == 0 {
		return fmt.Errorf("explain: %s never weighed an option with %s", q.Actor, q.Partner)
	}
	nrep := len(reps)
	// header
	scope := "every step"
	if q.Step >= 0 {
		scope = fmt.Sprintf("step %d", q.Step)
	}
	with := ""
	if q.Partner != "" {
		with = ", options with " + q.Partner
	}
	run := dir
	if man.Scenario != "" {
		run = fmt.Sprintf("%s (seed %d)", man.Scenario, man.Seed)
	}
	fmt.Fprintf(w, "%s in %s, %d replicates, %s%s: %d decisions.\n", q.Actor, run, nrep, scope, with, len(decisions))
	if len(decisions) == 0 {
		fmt.Fprintln(w, "No decision matches.")
		return nil
	}
	if q.Partner == "" {
		fmt.Fprintf(w, "It kept things as they were in %d of them (%.0f%%).\n", nothingChosen, 100*float64(nothingChosen)/float64(len(decisions)))
	}
	// what it did
	var chosen, passed []*option
	for _, t := range order {
		o := opts[t]
		if o.chosen > 0 && !strings.HasPrefix(o.text, "do nothing") {
			chosen = append(chosen, o)
		}
		if 2*o.chosen < o.weighed && !strings.HasPrefix(o.text, "do nothing") {
			passed = append(passed, o)
		}
	}
	sort.SliceStable(chosen, func(i, j int) bool {
		if len(chosen[i].reps) != len(chosen[j].reps) {
			return len(chosen[i].reps) > len(chosen[j].reps)
		}
		return chosen[i].chosen > chosen[j].chosen
	})
	if len(chosen) == 0 {
		fmt.Fprintln(w, "\nIt chose nothing else.")
	} else {
		fmt.Fprintf(w, "\nWhat it did (of %d different options it took, the %d most common across replicates):\n", len(chosen), min(len(chosen), MaxOptions))
	}
	for i, o := range chosen {
		if i == MaxOptions {
			break
		}
		n := float64(o.chosen)
		mean := make([]float64, len(o.cTerms))
		for k, v := range o.cTerms {
			mean[k] = v / n
		}
		steps := fmt.Sprintf("step %d", o.first)
		if o.last != o.first {
			steps = fmt.Sprintf("steps %d–%d", o.first, o.last)
		}
		fmt.Fprintf(w, "- %s: chosen %d times in %d of %d replicates (%s), carried out %d times.\n", capital(o.text), o.chosen, len(o.reps), nrep, steps, o.done)
		fmt.Fprintf(w, "  Why, on average: %s; the model gave it probability %.2g.\n", Sentence(o.cDelta/n, names, mean), o.cProb/n)
		if o.asked > 0 {
			fmt.Fprintf(w, "  Consent: %d of %d answers yes (mean probability %.2g).\n", o.agreed, o.asked, o.agreeProb/float64(o.asked))
		}
	}
	// what it passed up
	sort.SliceStable(passed, func(i, j int) bool {
		pi := passed[i].prob / float64(passed[i].weighed)
		pj := passed[j].prob / float64(passed[j].weighed)
		return pi > pj
	})
	var shown int
	for _, o := range passed {
		if shown == 0 {
			fmt.Fprintln(w, "\nWhat it weighed but mostly passed up (highest mean probability first):")
		}
		if shown == MaxOptions/2 {
			break
		}
		n := float64(o.weighed)
		mean := make([]float64, len(o.terms))
		for k, v := range o.terms {
			mean[k] = v / n
		}
		fmt.Fprintf(w, "- %s: weighed %d times, chosen %d; mean probability %.2g, %s.\n", capital(o.text), o.weighed, o.chosen, o.prob/n, Sentence(o.delta/n, names, mean))
		shown++
	}
	writeWeights(w, names, weigh, weighed, man.Parameters["temperature"])
	fmt.Fprintf(w, "\nTerms: %s. Every row is in %s.\n", strings.Join(names, ", "), path)
	return nil
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orAll(a string) string {
	if a == "" {
		return "all"
	}
	return a
}

// decisionOf is an actor's replicate and step.
type decisionOf struct {
	rep, step int
	actor     string
}

// decisionSeq tells the decisions of decisions.csv apart: an alarm can give
// an actor more than one decision in a step, and the rows of a decision
// come together, option 0 first.
type decisionSeq map[decisionOf]int

// of is which of its actor's decisions in its step row d belongs to (0, 1, ...).
func (q decisionSeq) of(d results.DecisionRow) int {
	k := decisionOf{d.Replicate, d.Step, d.Actor}
	n, seen := q[k]
	if seen && d.Option == 0 {
		n++
	}
	q[k] = n
	return n
}

// kindStats gathers the model's draws of one kind of option over a run.
type kindStats struct {
	kind       string
	drawn      int     // decisions whose model draw was of this kind
	above      int     // ... with a utility above doing nothing
	best       int     // ... that were the best option weighed
	delta      float64 // sum of the drawn options' utilities
	gap        float64 // sum of what the best option weighed had over the drawn one
	asked, yes int     // answers to the drawn proposals
	yesAgainst int     // yes although the answer's own utility said no (P(yes) < 1/2)
	noAgainst  int     // no although it said yes
}

// decisionAcc is one decision while its rows are read.
type decisionAcc struct {
	best    float64 // the largest utility among its options
	drawn   bool
	kind    string
	delta   float64
	consent []results.Consent
}

// Reasons writes, for the whole run in dir, how much of what the actors
// did their utilities decided and how much the draw at the model's
// temperature did: for each kind of option, how often the model drew it,
// how often what it drew had a utility above doing nothing and was the best
// option weighed, its mean utility (also in temperatures, from the
// manifest's parameters), and how the answers to the proposals drawn went
// against the answering side's own utility. It is what `entente explain
// DIR` prints without --actor.
func Reasons(w io.Writer, dir string) error {
	r, err := readReasons(dir)
	if err != nil {
		return err
	}
	r.text(w, dir)
	return nil
}

// ReasonsCSV writes Reasons's table as CSV, a row per kind of option, for
// pandas or R (`entente explain DIR --csv`): kind, drawn, above_nothing and
// best (counts), mean_utility and mean_behind_best (utility), temperature
// (the run's), answers, yes, yes_against and no_against (the answers to
// the proposals of that kind the model drew).
func ReasonsCSV(w io.Writer, dir string) error {
	r, err := readReasons(dir)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"kind", "drawn", "above_nothing", "best", "mean_utility", "mean_behind_best", "temperature", "answers", "yes", "yes_against", "no_against"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
	for _, k := range r.kinds {
		s := r.stats[k]
		n := float64(s.drawn)
		cw.Write([]string{k, strconv.Itoa(s.drawn), strconv.Itoa(s.above), strconv.Itoa(s.best), g(s.delta / n), g(s.gap / n), g(r.tau),
			strconv.Itoa(s.asked), strconv.Itoa(s.yes), strconv.Itoa(s.yesAgainst), strconv.Itoa(s.noAgainst)})
	}
	cw.Flush()
	return cw.Error()
}

// reasons is what Reasons reads from a run.
type reasons struct {
	man      results.Manifest
	path     string
	nrep     int
	actors   map[string]bool
	ndec     int
	external int
	kinds    []string
	stats    map[string]*kindStats
	tau      float64
}

func readReasons(dir string) (*reasons, error) {
	path := filepath.Join(dir, results.DecisionsFile)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("explain: %s has no %s: rerun with 'entente run ... --explain all' (or --explain ID,ID) to record the decisions", dir, results.DecisionsFile)
	}
	if err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	defer f.Close()
	var man results.Manifest
	if mf, err := os.Open(filepath.Join(dir, results.ManifestFile)); err == nil {
		man, _ = results.ReadManifest(mf)
		mf.Close()
	}
	type dkey struct {
		decisionOf
		nth int
	}
	decs := map[dkey]*decisionAcc{}
	seq := decisionSeq{}
	var order []dkey
	actors := map[string]bool{}
	reps := map[int]bool{}
	external := 0
	_, err = results.ScanDecisions(f, path, func(d results.DecisionRow) error {
		k := dkey{decisionOf{d.Replicate, d.Step, d.Actor}, seq.of(d)}
		a, ok := decs[k]
		if !ok {
			a = &decisionAcc{best: math.Inf(-1)}
			decs[k] = a
			order = append(order, k)
			actors[d.Actor] = true
			reps[d.Replicate] = true
		}
		a.best = max(a.best, d.Delta)
		if d.Model {
			a.drawn, a.kind, a.delta = true, d.Kind, d.Delta
		}
		if d.Chosen {
			if d.External {
				external++
			}
			if d.Model {
				a.consent = d.Consent
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(decs) == 0 {
		return nil, fmt.Errorf("explain: %s holds no decision", path)
	}
	stats := map[string]*kindStats{}
	var kinds []string
	for _, k := range order {
		a := decs[k]
		if !a.drawn {
			continue
		}
		s, ok := stats[a.kind]
		if !ok {
			s = &kindStats{kind: a.kind}
			stats[a.kind] = s
			kinds = append(kinds, a.kind)
		}
		s.drawn++
		s.delta += a.delta
		s.gap += a.best - a.delta
		if a.delta > 0 {
			s.above++
		}
		if a.delta >= a.best {
			s.best++
		}
		for _, c := range a.consent {
			s.asked++
			switch {
			case c.Accepted:
				s.yes++
				if c.Prob < 0.5 {
					s.yesAgainst++
				}
			case c.Prob > 0.5:
				s.noAgainst++
			}
		}
	}
	sort.SliceStable(kinds, func(i, j int) bool { return stats[kinds[i]].drawn > stats[kinds[j]].drawn })
	return &reasons{man: man, path: path, nrep: len(reps), actors: actors, ndec: len(decs), external: external,
		kinds: kinds, stats: stats, tau: man.Parameters["temperature"]}, nil
}

// text writes the summary in words and a Markdown table.
func (r *reasons) text(w io.Writer, dir string) {
	man, path, actors, kinds, stats, tau, external := r.man, r.path, r.actors, r.kinds, r.stats, r.tau, r.external
	run := dir
	if man.Scenario != "" {
		run = fmt.Sprintf("%s (seed %d)", man.Scenario, man.Seed)
	}
	who := ""
	if len(actors) <= 8 {
		ids := slices.Sorted(maps.Keys(actors))
		who = " (" + strings.Join(ids, ", ") + ")"
	}
	fmt.Fprintf(w, "%s, %d replicates, %d actors%s: %d decisions", run, r.nrep, len(actors), who, r.ndec)
	if tau > 0 {
		fmt.Fprintf(w, " at temperature %.4g", tau)
	}
	fmt.Fprintln(w, ".")
	fmt.Fprintln(w, "\nWhat the model drew, by kind of option (above nothing: its utility beat doing nothing;")
	fmt.Fprintln(w, "best: no option weighed had more; behind the best: what the best option had over it, on average):")
	fmt.Fprintln(w)
	head := "| kind | drawn | above nothing | best | mean utility | behind the best |"
	if tau > 0 {
		head = "| kind | drawn | above nothing | best | mean utility (temperatures) | behind the best (temperatures) |"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	pct := func(n, of int) string { return fmt.Sprintf("%.0f %%", 100*float64(n)/float64(max(1, of))) }
	inT := func(v float64) string {
		if tau > 0 {
			return fmt.Sprintf("%s (%s)", signed(v), signed(v/tau))
		}
		return signed(v)
	}
	for _, k := range kinds {
		s := stats[k]
		n := float64(s.drawn)
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s |\n", k, s.drawn, pct(s.above, s.drawn), pct(s.best, s.drawn), inT(s.delta/n), inT(s.gap/n))
	}
	var asked, yes, yesAgainst, noAgainst int
	for _, k := range kinds {
		s := stats[k]
		asked, yes, yesAgainst, noAgainst = asked+s.asked, yes+s.yes, yesAgainst+s.yesAgainst, noAgainst+s.noAgainst
	}
	if asked > 0 {
		fmt.Fprintf(w, "\nAnswers to the proposals drawn: %d, of which %d yes (%s). %d of the yes answers (%s) went against the\n",
			asked, yes, pct(yes, asked), yesAgainst, pct(yesAgainst, yes))
		fmt.Fprintf(w, "answering side's own utility (its probability of yes under 1/2), and %d of the %d no answers (%s) against it.\n",
			noAgainst, asked-yes, pct(noAgainst, asked-yes))
		fmt.Fprintln(w, "\nBy kind:")
		for _, k := range kinds {
			if s := stats[k]; s.asked > 0 {
				fmt.Fprintf(w, "- %s: %d answers, %d yes (%s), %d of them against the answer's utility; %d no against it.\n",
					k, s.asked, s.yes, pct(s.yes, s.asked), s.yesAgainst, s.noAgainst)
			}
		}
	}
	if external > 0 {
		fmt.Fprintf(w, "\n%d choices were made from outside the model (the classroom's steering); the table is of the model's draws.\n", external)
	}
	if tau > 0 {
		fmt.Fprintf(w, "\nAn option's chance against another grows as e^(difference/temperature): differences of a fraction of a\n"+
			"temperature are decided mostly by the draw, several temperatures by the utilities (docs/MODEL.md, choice).\n")
	}
	fmt.Fprintf(w, "Every row is in %s; 'entente explain %s --actor ID' tells one actor's choices, --csv writes the table as CSV.\n", path, dir)
}

// writeWeights says how much each term weighs in the actor's choices: its
// mean absolute change in utility over the n options it weighed (doing
// nothing aside), largest first, and in temperatures where the run's is
// known: a term a small fraction of a temperature moves its choices little
// whatever its sign (the logit's odds grow as e^(difference/temperature)).
func writeWeights(w io.Writer, names []string, sum []float64, n int, tau float64) {
	if n == 0 || len(sum) == 0 {
		return
	}
	idx := make([]int, len(sum))
	for k := range idx {
		idx[k] = k
	}
	sort.SliceStable(idx, func(a, b int) bool { return sum[idx[a]] > sum[idx[b]] })
	fmt.Fprintf(w, "\nWhat weighs in its choices (the mean size of each term over the %d options it weighed, doing nothing aside", n)
	if tau > 0 {
		fmt.Fprintf(w, "; in temperatures, %.4g", tau)
	}
	fmt.Fprintln(w, "):")
	var parts []string
	for _, k := range idx {
		m := sum[k] / float64(n)
		if m == 0 || k >= len(names) {
			continue
		}
		if tau > 0 {
			parts = append(parts, fmt.Sprintf("%s %.2g (%.2g)", names[k], m, m/tau))
		} else {
			parts = append(parts, fmt.Sprintf("%s %.2g", names[k], m))
		}
	}
	if len(parts) == 0 {
		fmt.Fprintln(w, "  every term is zero.")
		return
	}
	fmt.Fprintf(w, "  %s.\n", strings.Join(parts, ", "))
}
