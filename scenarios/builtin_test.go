package scenarios

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
)

func TestBuiltinsLoad(t *testing.T) {
	infos := List()
	if len(infos) == 0 {
		t.Fatal("no built-ins")
	}
	for i, in := range infos {
		if i > 0 && infos[i-1].Name >= in.Name {
			t.Errorf("List not sorted: %s before %s", infos[i-1].Name, in.Name)
		}
		sc, err := Load(in.Name)
		if err != nil {
			t.Errorf("%s: %v", in.Name, err)
			continue
		}
		if in.Summary == "" || sc.File != "builtin:"+in.Name || sc.Name != in.Name {
			t.Errorf("%s: summary %q file %q name %q", in.Name, in.Summary, sc.File, sc.Name)
		}
		if err := sc.World.Validate(); err != nil {
			t.Errorf("%s: %v", in.Name, err)
		}
		if _, err := sim.New(sc.World, sc.Params, sim.SeedFromInt(1)); err != nil {
			t.Errorf("%s: sim.New: %v", in.Name, err)
		}
		t.Logf("%s: %d actors, %d ties, %d groups, %d threats, %d steps; %s", in.Name, len(sc.World.Actors), len(sc.World.Ties), len(sc.World.Groups), len(sc.World.Threats), sc.Steps, in.Summary)
	}
}

// TestDerivedShareBaselineWorld checks that the built-ins derived from
// baseline carry its world block verbatim and decode to the same actors,
// ties and groups (run `go run ./scenarios/internal/gen sync` after editing
// baseline.yaml).
func TestDerivedShareBaselineWorld(t *testing.T) {
	block := func(b []byte) []byte {
		s := bytes.Index(b, []byte("# @world-begin"))
		e := bytes.Index(b, []byte("# @world-end"))
		if s < 0 || e < s {
			return nil
		}
		return b[s:e]
	}
	base, _ := Builtin("baseline")
	bsc, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"taiwan-crisis", "us-retrenchment", "nordic-2022", "counter-isis"} {
		b, ok := Builtin(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		if !bytes.Equal(block(b), block(base)) || block(b) == nil {
			t.Errorf("%s: world block differs from baseline's; run go run ./scenarios/internal/gen sync", name)
		}
		sc, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sc.World.Actors, bsc.World.Actors) || !reflect.DeepEqual(sc.World.Ties, bsc.World.Ties) ||
			!reflect.DeepEqual(sc.World.Groups, bsc.World.Groups) {
			t.Errorf("%s: world differs from baseline", name)
		}
		if len(sc.World.Threats) == 0 || sc.Steps != 100 {
			t.Errorf("%s: %d threats, %d steps", name, len(sc.World.Threats), sc.Steps)
		}
	}
}

// TestBaselineFacts checks the baseline against the source tables.
func TestBaselineFacts(t *testing.T) {
	sc, err := Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	w := sc.World
	id := func(s string) int {
		i := w.ActorIndex(s)
		if i < 0 {
			t.Fatalf("no actor %s", s)
		}
		return i
	}
	states := 0
	for _, a := range w.Actors {
		if a.Kind == sim.State {
			states++
		}
	}
	if states < 40 || states > 60 {
		t.Errorf("%d states", states)
	}
	if !w.Actors[id("USA")].Patron || w.Actors[id("NATO")].Commitment != 0.9 {
		t.Error("USA patron, NATO commitment")
	}
	for _, m := range w.Actors[id("NATO")].Members {
		if w.Actors[m].ID == "FIN" || w.Actors[m].ID == "SWD" {
			t.Error("Finland and Sweden are neutral in the baseline")
		}
	}
	// donor -> recipient flows of source 004
	donor := map[[2]string]string{{"EU", "AU"}: "EU", {"USA", "AU"}: "USA", {"CHN", "AU"}: "CHN", {"NATO", "AU"}: "NATO", {"NATO", "EU"}: ""}
	for _, tie := range w.Ties {
		k := [2]string{w.Actors[tie.A].ID, w.Actors[tie.B].ID}
		if want, ok := donor[k]; ok {
			got := ""
			if tie.Donor >= 0 {
				got = w.Actors[tie.Donor].ID
			}
			if got != want {
				t.Errorf("%v: donor %q, want %q", k, got, want)
			}
			delete(donor, k)
		}
	}
	if len(donor) > 0 {
		t.Errorf("missing ties %v", donor)
	}
	var names []string
	for _, g := range w.Groups {
		names = append(names, g.Name)
		if g.Name == "FCAS" && g.Issue != sim.IssueTechnology {
			t.Error("FCAS is a technology group")
		}
	}
	for _, n := range []string{"AUKUS", "Quad", "Lithium group", "FCAS", "GCAP", "F-35 partnership"} {
		if !slices.Contains(names, n) {
			t.Errorf("no group %s", n)
		}
	}
}

func TestLoadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(p, []byte(small), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := Load(p, "steps=7")
	if err != nil || sc.File != p || sc.Steps != 7 || sc.Name != "small" {
		t.Fatalf("Load(%s): %v", p, err)
	}
	bad := strings.Replace(small, "steps: 20", "stepz: 20", 1)
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p+":5: stepz") {
		t.Errorf("Load(bad): %v", err)
	}
}
