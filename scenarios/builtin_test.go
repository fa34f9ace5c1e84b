package scenarios

import (
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
