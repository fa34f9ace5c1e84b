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
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
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
	type dkey struct{ rep, step int }
	decisions := map[dkey]bool{}
	reps := map[int]bool{}
	var names []string
	nothingChosen := 0
	names, err = results.ScanDecisions(f, path, func(d results.DecisionRow) error {
		actors[d.Actor] = true
		reps[d.Replicate] = true
		if d.Actor != q.Actor || (q.Step >= 0 && d.Step != q.Step) {
			return nil
		}
		if d.Partner != "" {
			partners[d.Partner] = true
		}
		if q.Partner != "" && d.Partner != q.Partner {
			return nil
		}
		decisions[dkey{d.Replicate, d.Step}] = true
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
