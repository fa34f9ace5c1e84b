package explain_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/results/explain"
)

// decisionRow is one row of decisions.csv with every term 0 but the delta.
func decisionRow(rep, step int, actor string, option int, kind, partner string, delta, prob float64, chosen, model bool, consent string) string {
	h := results.DecisionsHeader()
	f := make([]string, len(h))
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	vals := map[string]string{"replicate": strconv.Itoa(rep), "step": strconv.Itoa(step), "actor": actor, "option": strconv.Itoa(option), "kind": kind,
		"partner": partner, "group": "", "form": "", "level": "", "text": kind + " " + partner, "delta": formatG(delta),
		"prob": formatG(prob), "chosen": b(chosen), "model": b(model), "external": "0", "done": b(chosen), "consent": consent}
	for k, name := range h {
		if v, ok := vals[name]; ok {
			f[k] = v
		} else {
			f[k] = "0"
		}
	}
	return strings.Join(f, ",")
}

func formatG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// TestReasons: the summary of a run counts, for each kind of option the
// model drew, how often it beat doing nothing and was the best weighed, and
// how the answers went against the answering side's utility.
func TestReasons(t *testing.T) {
	dir := t.TempDir()
	writeDecisions(t, dir,
		// A draws a new tie with B below doing nothing (the best was nothing); B says yes against its utility (P 0.3)
		decisionRow(0, 1, "A", 0, "nothing", "", 0, 0.5, false, false, ""),
		decisionRow(0, 1, "A", 1, "new_tie", "B", -0.2, 0.2, true, true, "B:yes:0.3"),
		decisionRow(0, 1, "A", 2, "deepen", "C", -0.1, 0.3, false, false, ""),
		// B draws a new tie with C above nothing and the best; C says no against its utility (P 0.8)
		decisionRow(0, 1, "B", 0, "nothing", "", 0, 0.3, false, false, ""),
		decisionRow(0, 1, "B", 1, "new_tie", "C", 0.1, 0.7, true, true, "C:no:0.8"),
		// A in replicate 1 keeps things as they were although a deepening had more
		decisionRow(1, 2, "A", 0, "nothing", "", 0, 0.4, true, true, ""),
		decisionRow(1, 2, "A", 1, "deepen", "C", 0.05, 0.6, false, false, ""))
	man := `{"tool":"entente","scenario":"test","seed":7,"parameters":{"temperature":0.1}}`
	if err := os.WriteFile(filepath.Join(dir, results.ManifestFile), []byte(man), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := explain.Reasons(&out, dir); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"test (seed 7), 2 replicates, 2 actors (A, B): 3 decisions at temperature 0.1.",
		"| new_tie | 2 | 50 % | 50 % | −0.05 (−0.5) | +0.1 (+1) |",
		"| nothing | 1 | 0 % | 0 % | +0 (+0) | +0.05 (+0.5) |",
		"Answers to the proposals drawn: 2, of which 1 yes (50 %). 1 of the yes answers (100 %) went against",
		"and 1 of the 1 no answers (100 %) against it.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	out.Reset()
	if err := explain.ReasonsCSV(&out, dir); err != nil {
		t.Fatal(err)
	}
	wantCSV := "kind,drawn,above_nothing,best,mean_utility,mean_behind_best,temperature,answers,yes,yes_against,no_against\n" +
		"new_tie,2,1,1,-0.05,0.1,0.1,2,1,1,1\n" +
		"nothing,1,0,0,0,0.05,0.1,0,0,0,0\n"
	if out.String() != wantCSV {
		t.Errorf("ReasonsCSV:\n%s\nwant\n%s", out.String(), wantCSV)
	}
	if err := explain.Reasons(&out, t.TempDir()); err == nil || !strings.Contains(err.Error(), "--explain all") {
		t.Errorf("a folder without decisions.csv: %v, want the advice to rerun with --explain", err)
	}
}

// TestReasonsTwoDecisionsInAStep: an actor with two opportunities in one
// step (an alarm's extra one) has two decisions, each with its own draw.
func TestReasonsTwoDecisionsInAStep(t *testing.T) {
	dir := twoDecisionsInAStep(t)
	var out bytes.Buffer
	if err := explain.ReasonsCSV(&out, dir); err != nil {
		t.Fatal(err)
	}
	want := "kind,drawn,above_nothing,best,mean_utility,mean_behind_best,temperature,answers,yes,yes_against,no_against\n" +
		"new_tie,1,1,1,0.2,0,0,1,1,0,0\n" +
		"nothing,1,0,1,0,0,0,0,0,0,0\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestExplainCountsEachDecision: one actor's explanation counts its two
// decisions of one step as two.
func TestExplainCountsEachDecision(t *testing.T) {
	dir := twoDecisionsInAStep(t)
	var out bytes.Buffer
	if err := explain.Explain(&out, dir, explain.Query{Actor: "A", Step: -1}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "every step: 2 decisions.") || !strings.Contains(out.String(), "kept things as they were in 1 of them (50%)") {
		t.Errorf("got\n%s", out.String())
	}
}

// writeDecisions writes decisions.csv in dir: the header, then rows.
func writeDecisions(t *testing.T, dir string, rows ...string) {
	t.Helper()
	all := append([]string{strings.Join(results.DecisionsHeader(), ",")}, rows...)
	if err := os.WriteFile(filepath.Join(dir, results.DecisionsFile), []byte(strings.Join(all, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// twoDecisionsInAStep is a run in which A has two decisions in step 3 (an
// alarm's extra opportunity): a new tie with B drawn and accepted, then
// nothing drawn although a new tie with C was weighed.
func twoDecisionsInAStep(t *testing.T) string {
	dir := t.TempDir()
	writeDecisions(t, dir,
		decisionRow(0, 3, "A", 0, "nothing", "", 0, 0.4, false, false, ""),
		decisionRow(0, 3, "A", 1, "new_tie", "B", 0.2, 0.6, true, true, "B:yes:0.9"),
		decisionRow(0, 3, "A", 0, "nothing", "", 0, 0.7, true, true, ""),
		decisionRow(0, 3, "A", 1, "new_tie", "C", -0.1, 0.3, false, false, ""))
	return dir
}

// withTerms sets the named terms of a decisions.csv row.
func withTerms(t *testing.T, row string, terms map[string]float64) string {
	t.Helper()
	h := results.DecisionsHeader()
	f := strings.Split(row, ",")
	for name, v := range terms {
		k := slices.Index(h, name)
		if k < 0 {
			t.Fatalf("decisions.csv has no column %q", name)
		}
		f[k] = formatG(v)
	}
	return strings.Join(f, ",")
}

// TestExplainWhatWeighs: an actor's explanation ends with each term's mean
// size over the options it weighed (doing nothing aside), largest first,
// and in temperatures: what retrenchment's terms are worth beside the
// costs, say.
func TestExplainWhatWeighs(t *testing.T) {
	dir := t.TempDir()
	writeDecisions(t, dir,
		decisionRow(0, 1, "A", 0, "nothing", "", 0, 0.4, true, true, ""),
		withTerms(t, decisionRow(0, 1, "A", 1, "new_tie", "B", -0.19, 0.3, false, false, ""), map[string]float64{"upkeep": -0.2, "autonomy": 0.01}),
		withTerms(t, decisionRow(0, 1, "A", 2, "deepen", "C", 0.07, 0.3, false, false, ""), map[string]float64{"upkeep": 0.1, "autonomy": -0.03}),
		// another actor's options do not count
		withTerms(t, decisionRow(0, 1, "B", 0, "deepen", "C", 1, 1, true, true, ""), map[string]float64{"security": 1}))
	man := `{"tool":"entente","scenario":"test","seed":7,"parameters":{"temperature":0.1}}`
	if err := os.WriteFile(filepath.Join(dir, results.ManifestFile), []byte(man), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := explain.Explain(&out, dir, explain.Query{Actor: "A", Step: -1}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"What weighs in its choices (the mean size of each term over the 2 options it weighed, doing nothing aside; in temperatures, 0.1):",
		"  upkeep 0.15 (1.5), autonomy 0.02 (0.2).",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explanation lacks %q:\n%s", want, out.String())
		}
	}
}
