package results_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim"
)

// decisions.csv reads back what the recorder saw: every option with its
// terms summing to its delta, one chosen per decision, consent on the chosen
// row; the term columns follow sim.Term.
func TestDecisionsRoundTrip(t *testing.T) {
	sc, err := scenarios.Load("nordic-2022")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc.World, sc.Params, sim.RunSeed(1, sc.Name, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	var want []sim.Decision
	s.SetRecorder(func(d *sim.Decision) {
		b = results.AppendDecision(b, 2, s, d)
		c := *d
		c.Options = append([]sim.Choice(nil), d.Options...)
		c.Consent = append([]sim.Verdict(nil), d.Consent...)
		want = append(want, c)
	})
	s.Run(6)
	if len(want) == 0 {
		t.Fatal("no decision recorded")
	}
	data := strings.Join(results.DecisionsHeader(), ",") + "\n" + string(b)
	var got []results.DecisionRow
	terms, err := results.ScanDecisions(strings.NewReader(data), "decisions.csv", func(d results.DecisionRow) error {
		got = append(got, d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != int(sim.NumTerms) || terms[0] != sim.Term(0).String() {
		t.Fatalf("terms %v", terms)
	}
	k := 0
	consents := 0
	for _, d := range want {
		chosen := 0
		for i, o := range d.Options {
			r := got[k]
			k++
			if r.Replicate != 2 || r.Step != d.Step || r.Option != i || r.Kind != o.Kind.String() || r.Actor != sc.World.Actors[d.Actor].ID {
				t.Fatalf("row %d: %+v for option %+v", k, r, o)
			}
			sum := 0.0
			for _, v := range r.Terms {
				sum += v
			}
			if math.Abs(sum-r.Delta) > 1e-9*max(1, math.Abs(r.Delta)) || math.Abs(r.Delta-o.Delta) > 1e-9*max(1, math.Abs(o.Delta)) {
				t.Fatalf("row %d: terms sum to %v, delta %v, recorded %v", k, sum, r.Delta, o.Delta)
			}
			if r.Chosen {
				chosen++
				if len(r.Consent) != len(d.Consent) || r.Done != d.Done {
					t.Fatalf("row %d: consent %v done %v, recorded %v %v", k, r.Consent, r.Done, d.Consent, d.Done)
				}
				consents += len(r.Consent)
			} else if len(r.Consent) > 0 {
				t.Fatalf("row %d: consent on an option not chosen", k)
			}
		}
		if chosen != 1 {
			t.Fatalf("decision at step %d of %s: %d options chosen", d.Step, sc.World.Actors[d.Actor].ID, chosen)
		}
	}
	if k != len(got) || consents == 0 {
		t.Fatalf("%d rows read, %d written; %d consents", len(got), k, consents)
	}
	// a wrong header is refused with the file and the fix
	if _, err := results.ScanDecisions(strings.NewReader("a,b\n"), "d.csv", func(results.DecisionRow) error { return nil }); err == nil || !strings.Contains(err.Error(), "d.csv:1") {
		t.Errorf("bad header: %v", err)
	}
	bad := strings.Replace(data, ",1,1,0,", ",1,x,0,", 1)
	if _, err := results.ScanDecisions(bytes.NewReader([]byte(bad)), "d.csv", func(results.DecisionRow) error { return nil }); bad != data && err == nil {
		t.Error("a bad flag read")
	}
}

func FuzzScanDecisions(f *testing.F) {
	h := strings.Join(results.DecisionsHeader(), ",") + "\n"
	f.Add(h + "0,1,A,0,nothing,,,,,do nothing,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,0,0,\n")
	f.Add(h + "0,1,A,1,new_tie,B,,alliance,nominal,\"x, y\",0.1,0.1,0,0,0,0,0,0,0,0,0,0,0.5,1,0,0,1,B:yes:0.7\n")
	f.Fuzz(func(t *testing.T, data string) {
		_, _ = results.ScanDecisions(strings.NewReader(data), "fuzz", func(results.DecisionRow) error { return nil })
	})
}
