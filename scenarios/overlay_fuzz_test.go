package scenarios_test

import (
	"testing"

	"github.com/entente/entente/scenarios"
)

// FuzzOverrides: any --set string on a built-in gives a scenario or an
// error, never a panic; so does any overlay file.
func FuzzOverrides(f *testing.F) {
	for _, s := range []string{"parameters.temperature=0.5", "retrenchment.political={shape: ramp, base: 0, peak: 1, start: 1, end: 5}",
		"threats.rivalia.intensity.peak=2", "actors.NOPE.autonomy=1", "ties.0.level=advanced", "=", "a.b.c.d.e=1", "actors=[]", "steps=-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = scenarios.Load("classroom", s)
		_, _ = scenarios.ParseOverlay("fuzz.overlay", []byte(s))
	})
}
