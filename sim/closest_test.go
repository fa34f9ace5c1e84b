package sim_test

import (
	"testing"

	"github.com/entente/entente/sim"
)

func TestClosest(t *testing.T) {
	ids := []string{"ASEAN", "IDN", "JPN", "Asia", "temperature", "steps"}
	for in, want := range map[string]string{
		"ASEN": "ASEAN", "JAP": "JPN", "Asai": "Asia", "temprature": "temperature", "stepz": "steps",
		"CHN": "", "zzzzzz": "", "": "", "asean": "ASEAN",
	} {
		if got := sim.Closest(in, ids); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}
