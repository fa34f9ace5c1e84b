package scenarios

import "testing"

const emptySectionBase = `steps: 10
actors:
  - {id: A, values: [0.1]}
  - {id: B, values: [0.2]}
`

// The loader takes an empty section (parameters:, snapshots: ~, regions: ~)
// as an empty mapping or list; an override into it works as it does when
// the section is absent (it was refused: "parameters is not a mapping").
func TestOverrideIntoAnEmptySection(t *testing.T) {
	for _, c := range []struct{ file, ov string }{
		{emptySectionBase + "parameters:\n", "parameters.temperature=0.5"},
		{emptySectionBase + "outputs: {snapshots: ~}\n", "outputs.snapshots.0=5"},
		{emptySectionBase + "  - {id: C, values: [0.3], region: R}\nthreats:\n  - {name: x, kind: conventional, exposure: {actors: {A: 1}, regions: ~}, intensity: 0.2}\n", "threats.x.exposure.regions.R=0.5"},
	} {
		if _, err := Parse("e.yaml", []byte(c.file)); err != nil {
			t.Fatalf("the file itself: %v", err)
		}
		if _, err := Parse("e.yaml", []byte(c.file), c.ov); err != nil {
			t.Errorf("%s: %v", c.ov, err)
		}
	}
}

// An absent span that is null is not a [from, to] pair: refused, as a span
// of the wrong length is (it was taken silently and ignored).
func TestAnEmptyAbsentSpanIsRefused(t *testing.T) {
	sc, err := Parse("n.yaml", []byte(emptySectionBase+"  - {id: C, values: [0], absent: [~]}\n"))
	if err == nil {
		t.Errorf("absent: [~] accepted (absent = %v)", sc.World.Actors[2].Absent)
	}
}
