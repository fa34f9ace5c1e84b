package scenarios

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
)

func TestOverrides(t *testing.T) {
	sc := mustParse(t, small,
		"parameters.temperature=0.5",
		"retrenchment.political.peak=0.6",
		"retrenchment.military=0.3",
		"threats.pirates.intensity=0.9",
		"threats.china.intensity.start=7",
		"threats.china.exposure.actors.JPN=0.4",
		"actors.PHI.autonomy=0.2",
		" steps = 50 ",
		"ties.0.trust=0.25",
		"parameters.Coalition-Form=0.6",
	)
	w := sc.World
	if sc.Params.Temperature != 0.5 || sc.Params.CoalitionForm != 0.6 {
		t.Errorf("parameters: %v %v", sc.Params.Temperature, sc.Params.CoalitionForm)
	}
	if w.Political.Shape != sim.Ramp || w.Political.Peak != 0.6 || w.Political.Base != 0.1 {
		t.Errorf("political: %+v", w.Political)
	}
	if !reflect.DeepEqual(w.Military, sim.ConstantProfile(0.3)) {
		t.Errorf("military: %+v", w.Military)
	}
	if !reflect.DeepEqual(w.Threats[1].Intensity, sim.ConstantProfile(0.9)) {
		t.Errorf("pirates: %+v", w.Threats[1].Intensity)
	}
	if w.Threats[0].Intensity.Start != 7 || w.Threats[0].Intensity.Shape != sim.ShockDecay || w.Threats[0].ActorExposure[2] != 0.4 {
		t.Errorf("china: %+v", w.Threats[0])
	}
	if w.Actors[3].Autonomy != 0.2 || sc.Steps != 50 || w.Ties[0].Trust != 0.25 {
		t.Errorf("autonomy %v steps %d trust %v", w.Actors[3].Autonomy, sc.Steps, w.Ties[0].Trust)
	}
	if len(sc.Outputs.Snapshots) != 0 {
		t.Errorf("no snapshots given, yet %v (a run takes the first and its last step)", sc.Outputs.Snapshots)
	}
	if sc.Overrides[7] != "steps=50" || len(sc.Overrides) != 10 {
		t.Errorf("overrides recorded: %q", sc.Overrides)
	}
}

func TestOverrideConstantProfile(t *testing.T) {
	// a constant given as a number becomes a mapping when a field is set
	sc := mustParse(t, small, "threats.pirates.intensity.shape=pulse", "threats.pirates.intensity.peak=0.9",
		"threats.pirates.intensity.start=3", "threats.pirates.intensity.end=8")
	p := sc.World.Threats[1].Intensity
	if p.Shape != sim.Pulse || p.Base != 0.1 || p.Peak != 0.9 || p.At(5) != 0.9 || p.At(9) != 0.1 {
		t.Errorf("pulse: %+v", p)
	}
	// a profile mapping set to a number becomes constant
	sc = mustParse(t, small, "retrenchment.political=0.6")
	if !reflect.DeepEqual(sc.World.Political, sim.ConstantProfile(0.6)) {
		t.Errorf("political: %+v", sc.World.Political)
	}
	// absent sections are created
	src := strings.Replace(small, "parameters: {temperature: 0.2}\n", "", 1)
	src = strings.Replace(src, "retrenchment:\n  political: {shape: ramp, base: 0.1, peak: 0.8, start: 2, end: 10}\n", "", 1)
	sc = mustParse(t, src, "parameters.temperature=0.7", "retrenchment.military.base=0.2")
	if sc.Params.Temperature != 0.7 || sc.World.Military.Base != 0.2 || sc.World.Military.Shape != sim.Constant {
		t.Errorf("created: %v %+v", sc.Params.Temperature, sc.World.Military)
	}
}

func TestOverrideErrors(t *testing.T) {
	cases := []struct{ ov, path, msg, hint string }{
		{"parameters.temprature=0.5", "--set parameters.temprature", "unknown parameter", "did you mean temperature?"},
		{"threats.chna.intensity=0.5", "--set threats.chna.intensity", `no threat "chna"`, "did you mean china?"},
		{"actors.JAP.autonomy=0.5", "--set actors.JAP.autonomy", `no actor "JAP"`, "did you mean JPN?"},
		{"actors.JPN.autonomi=0.5", "--set actors.JPN.autonomi", "unknown key", "did you mean autonomy?"},
		{"stepz=5", "--set stepz", "unknown key", "did you mean steps?"},
		{"retrenchment.political.peek=0.5", "--set retrenchment.political.peek", "unknown key", "did you mean peak?"},
		{"steps", "--set steps", "want KEY=VALUE", ""},
		{"actors.JPN=1", "--set actors.JPN", "is a whole actor", "autonomy"},
		{"steps.x=1", "--set steps.x", "single value", ""},
	}
	for _, c := range cases {
		es := errorsOf(t, small, c.ov)
		if len(es.List) != 1 {
			t.Errorf("%s: %d errors", c.ov, len(es.List))
			continue
		}
		e := es.List[0]
		if e.Path != c.path || !strings.Contains(e.Msg, c.msg) || !strings.Contains(e.Hint, c.hint) || e.File != "small.yaml" {
			t.Errorf("%s: got %+v", c.ov, *e)
		}
	}
	// a bad value set by an override is reported by the normal validation,
	// naming the override instead of a line
	es := errorsOf(t, small, "actors.JPN.autonomy=1.5")
	if e := es.List[0]; e.Line != 0 || e.Path != "actors[2].autonomy" || !strings.Contains(e.Msg, "override actors.JPN.autonomy=1.5") {
		t.Errorf("got %+v", *e)
	}
	es = errorsOf(t, small, "steps=-1")
	if e := es.List[0]; e.Path != "steps" || !strings.Contains(e.Msg, "out of range") {
		t.Errorf("got %+v", *e)
	}
}

func TestHash(t *testing.T) {
	a := mustParse(t, small)
	b := mustParse(t, small)
	c := mustParse(t, small, "steps=50")
	d := mustParse(t, small, "steps=50", "parameters.temperature=0.2")
	if a.Hash != b.Hash {
		t.Error("hash not deterministic")
	}
	if a.Hash == c.Hash || c.Hash == d.Hash {
		t.Error("hash does not change with overrides")
	}
	if want := hash([]byte(small), []string{"steps=50"}); c.Hash != want {
		t.Errorf("hash %s, want %s", c.Hash, want)
	}
}

func TestApplyOverrides(t *testing.T) {
	out, err := ApplyOverrides([]byte(small), "retrenchment.political.peak=0.6", "actors.JPN.autonomy=0.25")
	if err != nil {
		t.Fatal(err)
	}
	sc := mustParse(t, string(out))
	if sc.World.Political.Peak != 0.6 || sc.World.Actors[2].Autonomy != 0.25 {
		t.Errorf("applied: %+v %v", sc.World.Political, sc.World.Actors[2].Autonomy)
	}
	if _, err := ApplyOverrides([]byte(small), "nope=1"); err == nil {
		t.Error("unknown key accepted")
	}
}

func TestKeys(t *testing.T) {
	sc := mustParse(t, small)
	keys := Keys(sc)
	for _, k := range []string{"steps", "parameters.temperature", "retrenchment.political", "retrenchment.political.end",
		"retrenchment.military", "threats.china.intensity.half_life", "threats.pirates.intensity",
		"threats.china.exposure.regions.Asia", "threats.china.exposure.actors.USA", "actors.FIN.autonomy"[:0] + "actors.JPN.autonomy",
		"actors.ASEAN.commitment"} {
		if !slices.Contains(keys, k) {
			t.Errorf("Keys lacks %s", k)
		}
	}
	if slices.Contains(keys, "actors.JPN.commitment") || slices.Contains(keys, "retrenchment.military.peak") {
		t.Error("Keys lists keys that do not apply")
	}
	// every key is settable with a number in range
	for _, k := range keys {
		v := "0.5"
		switch {
		case k == "steps" || k == "outputs.every" || strings.HasSuffix(k, ".start") || strings.HasSuffix(k, ".end") ||
			strings.HasSuffix(k, "half_life") || k == "parameters.candidates" || k == "parameters.max_group_size" ||
			k == "parameters.coalition_patience" || k == "parameters.donor_ratio":
			v = "5"
			if strings.HasSuffix(k, ".end") {
				v = "15"
			}
		}
		if _, err := Parse("small.yaml", []byte(small), k+"="+v); err != nil && !strings.Contains(err.Error(), "coalition_") {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}

func TestListAndBuiltin(t *testing.T) {
	want := []string{"baseline", "classroom", "counter-isis", "nordic-2022", "taiwan-crisis", "us-retrenchment"}
	var got []string
	for _, in := range List() {
		got = append(got, in.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("List = %v, want %v", got, want)
	}
	b, ok := Builtin("baseline")
	if !ok || !bytes.HasPrefix(b, []byte("# baseline")) {
		t.Error("Builtin(baseline)")
	}
	for _, bad := range []string{"", "nope", "../scenarios", "builtin/baseline", "baseline.yaml"} {
		if _, ok := Builtin(bad); ok {
			t.Errorf("Builtin(%q) found", bad)
		}
	}
	_, err := Load("baselin")
	if err == nil || !strings.Contains(err.Error(), "did you mean baseline?") {
		t.Errorf("Load(baselin): %v", err)
	}
	_, err = Load("no/such/file.yaml")
	if err == nil || !strings.HasPrefix(err.Error(), "scenarios: ") {
		t.Errorf("Load(missing file): %v", err)
	}
	sc, err := Load("taiwan-crisis", "retrenchment.political=0.8")
	if err != nil || sc.World.Political.At(50) != 0.8 || sc.File != "builtin:taiwan-crisis" {
		t.Errorf("Load with override: %v", err)
	}
	var es *Errors
	if _, err := Load("classroom", "actors.XX.autonomy=1"); !errors.As(err, &es) || es.File != "builtin:classroom" {
		t.Errorf("error file: %v", err)
	}
}

// --set on a key whose value is a list or a map (actors, ties, a list of
// values, an exposure map, rivalries) names the key, says why it cannot be
// set so, and what to do instead, with an example from the file. The hint
// used to be empty ("set one of its fields: "), to name ties by NAME (they
// go by index), or to call rivalries "not a mapping".
func TestOverrideListKeys(t *testing.T) {
	cases := []struct {
		ov, path, msg string
		hints         []string
	}{
		{"actors=[]", "--set actors", "actors is the list of actors", []string{"actors.USA.capability=", "add or remove", "edit a copy of the scenario file"}},
		{"threats=1", "--set threats", "threats is the list of threats", []string{"threats.china.intensity=", "edit a copy"}},
		{"groups=1", "--set groups", "groups is the list of groups", []string{"groups.trio.level=", "edit a copy"}},
		{"ties=1", "--set ties", "ties is the list of ties", []string{"ties.0.level=", "by its index", "edit a copy"}},
		{"actors.USA.values=1", "--set actors.USA.values", "actors.USA.values is a list of values", []string{"actors.USA.values.0=", "actors.USA.values=[1, 1, 0.6]"}},
		{"threats.china.exposure.actors=1", "--set threats.china.exposure.actors", "maps actors to numbers", []string{"threats.china.exposure.actors.USA="}},
		{"threats.china.exposure.regions=1", "--set threats.china.exposure.regions", "maps regions to numbers", []string{"threats.china.exposure.regions.Asia="}},
		{"parameters=1", "--set parameters", "parameters is the section of model parameters", []string{"parameters.temperature=", "entente list parameters"}},
		{"rivalries=1", "--set rivalries", "rivalries is a list", []string{"rivalries=[{a: ", "edit a copy"}},
		{"rivalries.0.enmity=0.5", "--set rivalries.0.enmity", "rivalries is a list", []string{"rivalries=[{a: ", "edit a copy"}},
		{"actors.USA.value_changes.0.step=1", "--set actors.USA.value_changes.0.step", "actors.USA.value_changes is a list", []string{"actors.USA.value_changes=[{step: ", "edit a copy"}},
	}
	for _, c := range cases {
		es := errorsOf(t, small, c.ov)
		if len(es.List) != 1 {
			t.Errorf("%s: %d errors: %v", c.ov, len(es.List), es)
			continue
		}
		e := es.List[0]
		ok := e.Path == c.path && strings.Contains(e.Msg, c.msg) && !strings.HasSuffix(e.Hint, ": ")
		for _, h := range c.hints {
			ok = ok && strings.Contains(e.Hint, h)
		}
		if !ok {
			t.Errorf("%s: got %s\nwant path %q, message with %q, hint with %q", c.ov, e, c.path, c.msg, c.hints)
		}
	}
}
