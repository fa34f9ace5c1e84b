package scenarios

import (
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
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
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
