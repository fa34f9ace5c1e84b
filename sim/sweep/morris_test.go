package sweep_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim/sweep"
)

// Bootstrap intervals of mu* hold the estimate; exact effects give a point;
// a noisy outcome whose effects are within its noise says so, and so does a
// design with few trajectories.
func TestMorrisIntervalsAndWarnings(t *testing.T) {
	fs := factors(t, "x1=0:1", "x2=0:1")
	e := morrisOf(t, fs, 20, func(x []float64) float64 { return 10*x[0] + 2*x[1] })
	for _, x := range e {
		if math.Abs(x.MuStarLow-x.MuStar) > 1e-9 || math.Abs(x.MuStarHi-x.MuStar) > 1e-9 || x.Warning != "" {
			t.Errorf("exact effects: %+v", x)
		}
	}
	e = morrisOf(t, fs, 30, func(x []float64) float64 { return 8*math.Sin(math.Pi*x[0]) + x[1]*x[1] })
	for _, x := range e {
		if !(x.MuStarLow <= x.MuStar && x.MuStar <= x.MuStarHi && x.MuStarLow < x.MuStarHi) {
			t.Errorf("%s: mu* %v outside [%v, %v]", x.Key, x.MuStar, x.MuStarLow, x.MuStarHi)
		}
		if !(x.SigmaLow <= x.SigmaHi) {
			t.Errorf("%s: sigma interval [%v, %v]", x.Key, x.SigmaLow, x.SigmaHi)
		}
	}
	if e := morrisOf(t, fs, 4, func(x []float64) float64 { return x[0] }); !strings.Contains(e[0].Warning, "only 4 trajectories") {
		t.Errorf("4 trajectories: warning %q", e[0].Warning)
	}
	// y = x1 + noise of sd 3 over 2 replicates; x2 has no effect
	d, err := sweep.NewDesign(sweep.Morris, fs, 20, 4, 11)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := sweep.NewMorrisEstimator(d, []string{"y"})
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range d.Len() {
		var acc results.Welford
		for range 2 {
			acc.Add(d.Point(i)[0] + 3*rng.NormFloat64())
		}
		if err := m.AddReplicates(i, []results.Welford{acc}); err != nil {
			t.Fatal(err)
		}
	}
	e = m.Effects()
	if !(e[1].NoiseFloor > 0) || !strings.Contains(e[1].Warning, "noise") {
		t.Errorf("x2 (no effect, noisy outcome): %+v", e[1])
	}
	if w := sweep.MorrisWarnings(e); len(w) == 0 || !strings.Contains(strings.Join(w, "\n"), "noise") {
		t.Errorf("summed warnings %q", w)
	}
}

func TestOutcomeRange(t *testing.T) {
	for name, want := range map[string]results.Range{
		"binding_share":                   results.Unit,
		"minilaterals":                    results.NonNegative,
		"minilaterals_without_patron_t40": results.NonNegative,
		"pagerank_USA":                    results.Unit,
		"pagerank_USA_t10":                results.Unit,
		"degree_PAT":                      results.NonNegative,
		"something_else":                  results.Unbounded,
	} {
		if got := sweep.OutcomeRange(name); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}
