package calibrate

import (
	"context"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
)

// The stationarity moments count the young ties (made less than two years
// before) beside the mean age: a cross-section whose ties are made and
// dropped within a year by the logit's noise keeps its mean age and its
// counts, and only the young ties show it. With choices near a coin toss
// and many partnership opportunities, the baseline ends with many times
// its two young ties; with purposeful choices it makes hardly any. The
// moment is in the misfit and its description.
func TestStationaryCountsYoungTies(t *testing.T) {
	sc, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	st := &Stationary{Name: "baseline", World: sc.World, Steps: 60}
	start := 0
	for _, tt := range sc.World.Ties {
		if young(sc.World, tt.Age) {
			start++
		}
	}
	if start != 2 {
		t.Fatalf("the baseline holds %d ties under %d years old, want 2 (CHN-IRN, UAE-ISR)", start, youngYears)
	}
	ratio := func(temp, rate float64) (float64, string) {
		p := sc.Params
		p.Temperature, p.PartnershipRate = temp, rate
		_, raw, err := st.moments(context.Background(), p, Options{Replicates: 4, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, what, err := st.misfit(context.Background(), p, Options{Replicates: 4, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		return raw[classYoung], what
	}
	noisy, what := ratio(0.3, 4)
	calm, _ := ratio(0.01, 0.2)
	t.Logf("young ties at the end over the start: %.2f (temperature 0.3, 4 opportunities a year), %.2f (0.01, 0.2)", noisy, calm)
	if noisy < 4 {
		t.Errorf("noisy choices: young ties x%.2f, want many times the start", noisy)
	}
	if calm > 1.5 {
		t.Errorf("purposeful choices: young ties x%.2f, want few", calm)
	}
	if !strings.Contains(what, " young x") {
		t.Errorf("the misfit's description %q does not name the young ties", what)
	}
}
