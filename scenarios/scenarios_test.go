package scenarios

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
)

const small = `name: small
description: |-
  A small test world.
  Second line.
steps: 20
actors:
  - {id: USA, capability: 0.12, economy: 0.24, values: [1, 1, 0.6], autonomy: 0.3, patron: true, region: Americas}
  - {id: CHN, capability: 0.23, economy: 0.18, values: [-0.7, -0.8, 0.3], autonomy: 0.8, region: Asia}
  - {id: JPN, capability: 0.025, economy: 0.05, values: [1, 0.9, 0.6], autonomy: 0.2, region: Asia}
  - {id: PHI, capability: 0.007, economy: 0.004, values: [0.8, 0.5, 0.5], region: Asia}
  - {id: ASEAN, kind: organisation, members: [PHI], commitment: 0.05, values: [0.3, 0.2, 0.6], region: Asia}
ties:
  - {a: USA, b: JPN, form: alliance, level: advanced}
  - {a: USA, b: PHI, form: assistance, level: initial, flow: a_to_b, trust: 0.5, age: 10}
  - {a: CHN, b: ASEAN, level: institutionalised}
groups:
  - {name: trio, issue: maritime, level: initial, members: [USA, JPN, PHI]}
threats:
  - name: china
    kind: conventional
    source: CHN
    exposure: {regions: {Asia: 0.8}, actors: {USA: 0.3}}
    intensity: {shape: shock-decay, base: 0.1, peak: 0.9, start: 5, half_life: 4}
  - name: pirates
    kind: piracy
    exposure: {regions: {Asia: 0.5}}
    intensity: 0.1
retrenchment:
  political: {shape: ramp, base: 0.1, peak: 0.8, start: 2, end: 10}
parameters: {temperature: 0.2}
outputs: {actors: [JPN], every: 2}
`

func mustParse(t *testing.T, src string, ov ...string) *Scenario {
	t.Helper()
	sc, err := Parse("small.yaml", []byte(src), ov...)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return sc
}

func TestParseSmall(t *testing.T) {
	sc := mustParse(t, small)
	w := sc.World
	if sc.Name != "small" || sc.Steps != 20 || len(w.Actors) != 5 || len(w.Ties) != 3 || len(w.Groups) != 1 || len(w.Threats) != 2 {
		t.Fatalf("got %q steps %d, %d actors %d ties %d groups %d threats", sc.Name, sc.Steps, len(w.Actors), len(w.Ties), len(w.Groups), len(w.Threats))
	}
	if !w.Actors[0].Patron || w.Actors[4].Kind != sim.Organisation || len(w.Actors[4].Members) != 1 || w.Actors[4].Members[0] != 3 {
		t.Errorf("actors: %+v", w.Actors)
	}
	if w.Actors[3].Autonomy != 0.5 {
		t.Errorf("default autonomy = %v, want 0.5", w.Actors[3].Autonomy)
	}
	t0, t1, t2 := w.Ties[0], w.Ties[1], w.Ties[2]
	// trust omitted: 0 in the world, the engine derives it from the age
	if t0.Form != sim.Alliance || t0.Level != sim.Advanced || t0.Donor != -1 || t0.Trust != 0 || t0.Age != 0 {
		t.Errorf("tie 0: %+v", t0)
	}
	if t1.Form != sim.Assistance || t1.Donor != 0 || t1.Trust != 0.5 || t1.Age != 10 {
		t.Errorf("tie 1: %+v", t1)
	}
	if t2.Form != sim.Cooperation || t2.Level != sim.Institutionalised || t2.Trust != 0 {
		t.Errorf("tie 2: %+v", t2)
	}
	g := w.Groups[0]
	if g.Kind != sim.Minilateral || g.Issue != sim.IssueMaritime || g.Level != sim.Initial || len(g.Members) != 3 || g.Threat != -1 {
		t.Errorf("group: %+v", g)
	}
	th := w.Threats[0]
	if th.Source != 1 || th.RegionExposure["Asia"] != 0.8 || th.ActorExposure[0] != 0.3 || th.Intensity.Shape != sim.ShockDecay || th.Intensity.HalfLife != 4 {
		t.Errorf("threat: %+v", th)
	}
	if w.Threats[1].Source != -1 || !reflect.DeepEqual(w.Threats[1].Intensity, sim.ConstantProfile(0.1)) || w.Threats[1].Class() != sim.Transnational {
		t.Errorf("threat 1: %+v", w.Threats[1])
	}
	if w.Political.Shape != sim.Ramp || w.Political.At(10) != 0.8 || !reflect.DeepEqual(w.Military, sim.ConstantProfile(0)) {
		t.Errorf("retrenchment: %+v %+v", w.Political, w.Military)
	}
	if sc.Params.Temperature != 0.2 || sc.Params.Protection != sim.DefaultParams().Protection {
		t.Errorf("params: %+v", sc.Params)
	}
	if len(sc.Outputs.Actors) != 1 || sc.Outputs.Actors[0] != "JPN" || sc.Outputs.Every != 2 ||
		len(sc.Outputs.Snapshots) != 0 {
		t.Errorf("outputs: %+v", sc.Outputs)
	}
	if sc.File != "small.yaml" || string(sc.Source) != small || len(sc.Hash) != 64 {
		t.Errorf("file %q hash %q", sc.File, sc.Hash)
	}
	if _, err := sim.New(w, sc.Params, sim.SeedFromInt(1)); err != nil {
		t.Errorf("sim.New: %v", err)
	}
}

// edit replaces old by new in the small world (exactly once).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if strings.Count(small, old) != 1 {
		t.Fatalf("%q occurs %d times", old, strings.Count(small, old))
	}
	return strings.Replace(small, old, new, 1)
}

// lineOf is the 1-based line of the first occurrence of s in src.
func lineOf(src, s string) int { return strings.Count(src[:strings.Index(src, s)], "\n") + 1 }

func errorsOf(t *testing.T, src string, ov ...string) *Errors {
	t.Helper()
	_, err := Parse("small.yaml", []byte(src), ov...)
	if err == nil {
		t.Fatal("no error")
	}
	var es *Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %T is not *Errors: %v", err, err)
	}
	for _, e := range es.List {
		t.Log(e)
	}
	return es
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, old, new string
		line           string // text on the error's line (empty: line 0)
		path, msg      string
		hint           string
	}{
		{"unknown key", "steps: 20", "stepz: 20", "stepz", "stepz", `unknown key "stepz"`, "did you mean steps?"},
		{"unknown actor", "{a: CHN, b: ASEAN,", "{a: CHN, b: ASEN,", "ASEN", "ties[2].b", "unknown actor ASEN", "did you mean ASEAN?"},
		{"out of range", "capability: 0.025", "capability: 1.5", "1.5", "actors[2].capability", "1.5 is out of range: want a number in [0, 1]", ""},
		{"negative steps", "steps: 20", "steps: -5", "steps", "steps", "-5 is out of range", ""},
		{"duplicate id", "  - {id: ASEAN", "  - {id: JPN, values: [0, 0, 0]}\n  - {id: ASEAN", "{id: JPN, values", "actors[4].id", "duplicate id JPN, also actors[2] on line 9", ""},
		{"group of 2", "members: [USA, JPN, PHI]", "members: [USA, JPN]", "members: [USA, JPN]", "groups[0].members", "2 members; a minilateral group needs at least 3", ""},
		{"bad shape", "shape: shock-decay", "shape: shok-decay", "shok-decay", "threats[0].intensity.shape", `unknown profile shape "shok-decay"`, "did you mean shock-decay?"},
		{"bad level", "level: institutionalised}", "level: institutionalied}", "institutionalied", "ties[2].level", "unknown level", "did you mean institutionalised?"},
		{"bad parameter", "temperature: 0.2", "temprature: 0.2", "temprature", "parameters.temprature", "unknown parameter", "did you mean temperature?"},
		{"parameter range", "temperature: 0.2", "temperature: -1", "temperature", "parameters.temperature", "out of range", ""},
		{"unknown region", "{Asia: 0.5}", "{Asai: 0.5}", "Asai", "threats[1].exposure.regions.Asai", "no actor is in region", "did you mean Asia?"},
		{"unknown admitted", "members: [PHI], commitment", "members: [PHI], admits: [PHI, JAP], commitment", "JAP", "actors[4].admits[1]", "unknown actor JAP", "did you mean JPN?"},
		{"state admits", "region: Americas}", "region: Americas, admits: [JPN]}", "admits: [JPN]", "actors[0].admits", "a state admits no members", "set kind"},
		{"admits an organisation", "members: [PHI], commitment", "members: [PHI], admits: [PHI, ASEAN], commitment", "admits: [PHI, ASEAN]", "actors[4].admits[1]", "only states accede", ""},
		{"member of state", "region: Americas}", "region: Americas, members: [JPN]}", "members: [JPN]", "actors[0].members", "a state has no members", "set kind"},
		{"self tie", "{a: CHN, b: ASEAN,", "{a: CHN, b: CHN,", "{a: CHN, b: CHN", "ties[2].b", "two different actors", ""},
		{"duplicate tie", "{a: CHN, b: ASEAN,", "{a: JPN, b: USA,", "{a: JPN, b: USA", "ties[2]", "already tied in ties[0]", ""},
		{"assistance without flow", "flow: a_to_b, ", "", "form: assistance", "ties[1].form", "assistance needs a direction", "flow: a_to_b"},
		{"ramp end", "start: 2, end: 10", "start: 12, end: 10", "end: 10", "retrenchment.political.end", "must be after start", ""},
		{"values length", "values: [0.8, 0.5, 0.5]", "values: [0.8, 0.5]", "values: [0.8, 0.5]", "actors[3].values", "2 values; every actor needs the same number", ""},
		{"unknown output actor", "actors: [JPN]", "actors: [JAP]", "JAP", "outputs.actors[0]", "unknown actor JAP", "did you mean JPN?"},
		{"snapshot beyond steps", "every: 2}", "every: 2, snapshots: [0, 30]}", "snapshots", "outputs.snapshots[1]", "30 is out of range", ""},
		{"not a number", "economy: 0.05", "economy: lots", "lots", "actors[2].economy", `want a number, got "lots"`, ""},
		{"coalition parameters", "temperature: 0.2", "coalition_dissolve: 0.9", "coalition_dissolve", "parameters.coalition_dissolve", "must not exceed coalition_form", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := edit(t, c.old, c.new)
			es := errorsOf(t, src)
			if len(es.List) != 1 {
				t.Fatalf("%d errors, want 1: %v", len(es.List), es)
			}
			e := es.List[0]
			want := 0
			if c.line != "" {
				want = lineOf(src, c.line)
			}
			if e.File != "small.yaml" || e.Line != want || e.Path != c.path || !strings.Contains(e.Msg, c.msg) || !strings.Contains(e.Hint, c.hint) {
				t.Errorf("got %+v\nwant line %d path %q msg %q hint %q", *e, want, c.path, c.msg, c.hint)
			}
			s := es.Error()
			for _, part := range []string{"scenarios: ", "small.yaml", c.path, c.hint} {
				if !strings.Contains(s, part) {
					t.Errorf("message %q lacks %q", s, part)
				}
			}
			if want > 0 && !strings.Contains(s, "small.yaml:"+itoa(want)+":") {
				t.Errorf("message %q lacks the line", s)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestManyErrorsAtOnce(t *testing.T) {
	src := edit(t, "steps: 20", "stepz: 20")
	src = strings.Replace(src, "{a: CHN, b: ASEAN,", "{a: CHN, b: ASEN,", 1)
	src = strings.Replace(src, "capability: 0.025", "capability: 1.5", 1)
	src = strings.Replace(src, "shape: shock-decay", "shape: shok", 1)
	es := errorsOf(t, src)
	if len(es.List) != 4 {
		t.Fatalf("%d errors, want 4", len(es.List))
	}
	for i := 1; i < len(es.List); i++ {
		if es.List[i].Line < es.List[i-1].Line {
			t.Errorf("errors not in line order")
		}
	}
	if !strings.HasPrefix(es.Error(), "scenarios: 4 errors in small.yaml:") {
		t.Errorf("message: %s", es.Error())
	}
	var e *Error
	if !errors.As(error(es), &e) || e.Path != "stepz" {
		t.Errorf("errors.As: %v", e)
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, src := range []string{"", "a: [", "- 1\n- 2\n", "name: x\n---\nname: y\n", "actors: 3\n", "actors:\n  - {id: A}\n"} {
		_, err := Parse("bad.yaml", []byte(src))
		if err == nil {
			t.Errorf("%q: no error", src)
			continue
		}
		if !strings.Contains(err.Error(), "bad.yaml") {
			t.Errorf("%q: %v lacks the file", src, err)
		}
		t.Log(err)
	}
	_, err := Parse("bad.yaml", []byte("name: x\nactors: [\n"))
	var es *Errors
	if !errors.As(err, &es) || es.List[0].Line == 0 {
		t.Errorf("syntax error without line: %v", err)
	}
}
