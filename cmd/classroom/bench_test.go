package classroom

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

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

// BenchmarkClassRound measures the server's work in one round of a class
// on the 82-actor baseline with 30 students seated, each having chosen: the
// step (the students' picks taken, their consents answered by the model),
// the network for the projector, and the next round's situation and
// options for the 30 states. Students' thinking and network time aside.
func BenchmarkClassRound(b *testing.B) {
	srv := New(Options{Logf: b.Logf, ClassSize: 40})
	defer srv.CloseClasses()
	code, _, err := srv.StartClass("baseline", 1, "teacher", 600)
	if err != nil {
		b.Fatal(err)
	}
	srv.mu.Lock()
	c := srv.classes[code]
	srv.mu.Unlock()
	w := c.run.world()
	c.mu.Lock()
	n := 0
	for a := range w.Actors {
		if n < 30 && seatable(w, a) && c.run.s.InSystem(a) {
			st, _ := c.join(fmt.Sprintf("s%d", n))
			c.seat(st, a)
			n++
		}
	}
	c.mu.Unlock()
	c.refreshPanels(nil)
	pickAll := func() {
		c.mu.Lock()
		for a, p := range c.panels {
			if len(p.Options) > 0 {
				o := p.Options[(a*7+p.Step)%len(p.Options)]
				c.picks[a] = pick{key: o.key, index: o.Index, text: o.Text}
			}
		}
		c.phase, c.cutShort = phaseResolving, true // consents: the model's verdict at once
		c.mu.Unlock()
	}
	var ds []time.Duration
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if c.run.s.T() >= c.steps-1 {
			if err := c.restart(nil); err != nil {
				b.Fatal(err)
			}
		}
		pickAll()
		b.StartTimer()
		t0 := time.Now()
		c.resolve()
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[min(len(ds)-1, len(ds)*99/100)].Microseconds())/1000, "p99-ms")
	c.mu.Lock()
	b.ReportMetric(float64(c.failures), "engine-failures")
	c.mu.Unlock()
}
