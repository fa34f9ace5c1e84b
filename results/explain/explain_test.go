package explain_test

import (
	"testing"

	"github.com/entente/entente/results/explain"
)

func TestSentence(t *testing.T) {
	names := []string{"security", "economy", "autonomy", "upkeep", "trust"}
	got := explain.Sentence(0.05, names, []float64{0.08, 0.0001, -0.02, -0.011, 0.003})
	want := "utility +0.05: driven by security (+0.08) and trust (+0.003), against autonomy (−0.02) and upkeep (−0.011)"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := explain.Sentence(-0.01, names, []float64{0, 0, -0.01, 0, 0}); got != "utility −0.01: held back by autonomy (−0.01)" {
		t.Errorf("got %q", got)
	}
	if got := explain.Sentence(0, names, make([]float64, 5)); got != "utility +0" {
		t.Errorf("got %q", got)
	}
}
