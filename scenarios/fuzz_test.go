package scenarios

import (
	"reflect"
	"testing"
)

// FuzzParse checks that malformed input never panics and that whatever
// parses also passes the engine's own validation.
func FuzzParse(f *testing.F) {
	// built-ins as seeds; the large ones cut short (malformed, which is
	// welcome) so that fuzzing runs at a useful speed
	for _, in := range List() {
		b, _ := Builtin(in.Name)
		if len(b) > 1500 {
			b = b[:1500]
		}
		f.Add(b, "steps=10")
	}
	f.Add([]byte(small), "retrenchment.political.peak=0.5")
	f.Add([]byte(small), "threats.china.intensity=2")
	f.Add([]byte("a: &x [*x]\n"), "a=1")
	f.Add([]byte("actors:\n  - &a {id: A, values: [0]}\n  - *a\n"), "actors.A.autonomy=0.1")
	f.Add([]byte("actors: [{id: A}, {id: B}]\nties: [{a: A, b: B, level: 9}]\n"), "ties.0.level=advanced")
	f.Add([]byte("{"), "")
	f.Add([]byte("actors: [{id: A, values: [0]}, {id: B, values: [0]}, {id: O, kind: organisation, members: [A], admits: [A, B, O, Z]}]\n"), "")
	f.Fuzz(func(t *testing.T, data []byte, ov string) {
		var ovs []string
		if ov != "" {
			ovs = []string{ov}
		}
		sc, err := Parse("fuzz.yaml", data, ovs...)
		src, serr := openData("fuzz.yaml", data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			// a Source parsed once fails as Parse does
			if serr == nil {
				if _, lerr := src.Load(ovs...); lerr == nil || lerr.Error() != err.Error() {
					t.Fatalf("Parse: %v; Source.Load: %v", err, lerr)
				}
			}
			return
		}
		// and loads what Parse loads, its own tree untouched by overrides
		if serr != nil {
			t.Fatalf("Parse succeeded, openData: %v", serr)
		}
		if sc2, err := src.Load(ovs...); err != nil || !reflect.DeepEqual(sc, sc2) {
			t.Fatalf("Source.Load differs from Parse (%v)", err)
		}
		if plain, err := Parse("fuzz.yaml", data); err == nil {
			if again, err := src.Load(); err != nil || !reflect.DeepEqual(plain, again) {
				t.Fatalf("after a load with overrides, Source.Load() differs from Parse (%v)", err)
			}
		}
		if err := sc.World.Validate(); err != nil {
			t.Fatalf("parsed but invalid world: %v", err)
		}
		if err := sc.Params.Validate(); err != nil {
			t.Fatalf("parsed but invalid params: %v", err)
		}
		_ = Keys(sc)
		_, _ = ApplyOverrides(data, ovs...)
	})
}
