package classroom

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/entente/entente/scenarios"
)

// benchSession loads a built-in scenario into a session (classroom has 10
// actors; nordic-2022 and baseline share the 82-actor world).
func benchSession(b *testing.B, name string) *session {
	b.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		b.Fatal(err)
	}
	ss := &session{id: "bench"}
	if err := ss.load(sc, true, 1); err != nil {
		b.Fatal(err)
	}
	return ss
}

// BenchmarkStepJSON measures what the server does per step of play: one
// sim step, the metrics, and the JSON reply with the whole network.
func BenchmarkStepJSON(b *testing.B) {
	for _, name := range []string{"classroom", "nordic-2022", "baseline"} {
		b.Run(name, func(b *testing.B) {
			ss := benchSession(b, name)
			b.ReportMetric(float64(ss.s.N()), "actors")
			enc := json.NewEncoder(io.Discard)
			b.ResetTimer()
			for b.Loop() {
				if ss.s.T() >= 1000 {
					b.StopTimer()
					_ = ss.reset()
					b.StartTimer()
				}
				t := ss.s.T()
				ss.step(1)
				if err := enc.Encode(ss.state(t, 2000)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
