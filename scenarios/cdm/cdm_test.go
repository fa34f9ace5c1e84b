package cdm_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
)

// embedded reads the panel the package ships (no files beside the repository).
func embedded(t testing.TB) *cdm.Panel {
	t.Helper()
	p, err := cdm.ReadPanel(cdm.DefaultDir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadPanel(t *testing.T) {
	p := embedded(t)
	if len(p.States) != 164 || p.First != 1981 || p.Last != 2000 {
		t.Fatalf("panel: %d states, %d..%d; want 164, 1981..2000", len(p.States), p.First, p.Last)
	}
	if n := len(p.Network(1981)); n != 625 {
		t.Errorf("1981 alliances = %d, want 625", n)
	}
	if n := len(p.Network(2000)); n != 767 {
		t.Errorf("2000 alliances = %d, want 767", n)
	}
	usa := p.Index("USA")
	if p.Names[usa] != "United States of America" || p.Codes[usa] != 2 || cdm.Region(p.Codes[usa]) != cdm.RegionNorthAmerica {
		t.Errorf("USA: %q %d %s", p.Names[usa], p.Codes[usa], cdm.Region(p.Codes[usa]))
	}
	if r := cdm.Region(p.Codes[p.Index("JPN")]); r != cdm.RegionEastAsia {
		t.Errorf("JPN region %s, want %s", r, cdm.RegionEastAsia)
	}
	if len(p.Contiguity) != 507 {
		t.Errorf("contiguity = %d pairs, want 507", len(p.Contiguity))
	}
}

// The embedded copy is the shared panel byte for byte (when shared/ sits
// beside the repository, as in the team's checkout).
func TestEmbeddedIsTheSharedPanel(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "empirical")
	if _, err := os.Stat(filepath.Join(dir, cdm.NodesFile)); err != nil {
		t.Skipf("shared panel not beside the repository: %v", err)
	}
	for _, f := range []string{cdm.NodesFile, cdm.AlliancesFile, cdm.MIDsFile, cdm.ContiguityFile} {
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := cdm.EmbeddedFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the embedded copy differs from %s", f, dir)
		}
	}
}

// At step 0 an imported scenario's defence dyads (bilateral alliances and
// co-membership of the pacts) are exactly the panel's alliances of the
// year, for every year of the panel.
func TestImportReproducesObservedYear(t *testing.T) {
	p := embedded(t)
	for year := p.First; year <= p.Last; year++ {
		data, err := p.Scenario(year)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Parse("cdm.yaml", data)
		if err != nil {
			t.Fatalf("%d: the imported scenario does not load: %v", year, err)
		}
		if sc.Steps != p.Steps(year) {
			t.Errorf("%d: steps %d, want %d", year, sc.Steps, p.Steps(year))
		}
		s, err := sim.New(sc.World, sc.Params, sim.SeedFromInt(1))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for d := range s.DefenceDyads() {
			got = append(got, sc.World.Actors[d.A].ID+"-"+sc.World.Actors[d.B].ID)
		}
		var want []string
		for _, e := range p.Network(year) {
			a, b := sc.World.ActorIndex(p.States[e.A]), sc.World.ActorIndex(p.States[e.B])
			if a > b {
				a, b = b, a
			}
			want = append(want, sc.World.Actors[a].ID+"-"+sc.World.Actors[b].ID)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			missing, extra := diff(want, got), diff(got, want)
			t.Errorf("%d step 0: %d defence dyads, panel %d; missing %v, extra %v", year, len(got), len(want), head(missing), head(extra))
		}
	}
}

func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

func head(s []string) []string { return s[:min(len(s), 8)] }

// imported is the panel's scenario of year, parsed, and its text.
func imported(t *testing.T, p *cdm.Panel, year int) (*scenarios.Scenario, []byte) {
	t.Helper()
	data, err := p.Scenario(year)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Parse("cdm.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return sc, data
}

func TestImportAttributes(t *testing.T) {
	p := embedded(t)
	sc, data := imported(t, p, 1981)
	w := sc.World
	usa := w.Actors[w.ActorIndex("USA")]
	if usa.Capability != 0.1392099 || usa.Region != cdm.RegionNorthAmerica || len(usa.Values) != 1 || usa.Values[0] != 1 || len(usa.ValueChanges) != 0 {
		t.Errorf("USA = %+v", usa)
	}
	// Poland's polity as the panel records it, year by year
	pol := w.Actors[w.ActorIndex("POL")]
	if pol.Values[0] != -0.8 || len(pol.ValueChanges) == 0 || last(pol.ValueChanges).Values[0] != 0.9 || last(pol.ValueChanges).Step != 14 {
		t.Errorf("POL values %v, changes %+v; want -0.8 in 1981 and 0.9 from 1995 (step 14)", pol.Values, pol.ValueChanges)
	}
	// bilateral alliances recorded from the panel's start are given the
	// unknown-age rule
	for _, tie := range w.Ties {
		if tie.Age != cdm.UnknownAgeYears {
			t.Errorf("1981 tie %+v: age %d, want %d", tie, tie.Age, cdm.UnknownAgeYears)
			break
		}
	}
	if len(w.Threats) == 0 || w.Threats[0].Kind != "conventional" {
		t.Fatalf("threats: %d", len(w.Threats))
	}
	if !strings.Contains(string(data), "name: mid-USA") {
		t.Error("no threat sourced at the USA (MIDs with CUB, NIC, LIB ...)")
	}
	// the pacts in force in 1981 are organisations with their members; the
	// later ones enter in the year they appear
	for _, c := range []struct {
		id     string
		member string
		enter  int
	}{{"NATO", "UKG", 0}, {"WARSAW", "POL", 0}, {"RIO", "BRA", 0}, {"ECOWAS", "NIR", 0}, {"CST", "", 11}, {"SADC", "", 18}} {
		k := w.ActorIndex(c.id)
		if k < 0 {
			t.Errorf("no organisation %s", c.id)
			continue
		}
		o := w.Actors[k]
		if o.Kind != sim.Organisation || !o.MutualDefence || o.Enter != c.enter {
			t.Errorf("%s: kind %s, mutual defence %v, enter %d; want an organisation with a mutual-defence charter entering at %d", c.id, o.Kind, o.MutualDefence, o.Enter, c.enter)
		}
		if c.member != "" && !slices.Contains(o.Members, w.ActorIndex(c.member)) {
			t.Errorf("%s: members %v lack %s", c.id, o.Members, c.member)
		}
	}
	if w.Actors[w.ActorIndex("WARSAW")].Exit != 11 {
		t.Errorf("WARSAW exit step %d, want 11 (in force to 1991)", w.Actors[w.ActorIndex("WARSAW")].Exit)
	}
	// unified Germany continues the Federal Republic's treaties
	if g := w.Actors[w.ActorIndex("GMY")]; !slices.Contains(g.Inherits, w.ActorIndex("GFR")) || g.Enter != 9 {
		t.Errorf("GMY: enter %d, inherits %v; want 9 and GFR", g.Enter, g.Inherits)
	}
}

func last[T any](s []T) T { return s[len(s)-1] }

// Treaty membership follows the panel's cliques: Poland joins NATO's in
// 1997 (the panel codes the accession protocols of December 1997), unified
// Germany continues the Federal Republic's, the Warsaw Pact's end after 1991.
func TestTreatyMembers(t *testing.T) {
	p := embedded(t)
	m := p.Members()
	k := slices.IndexFunc(cdm.Treaties, func(tr cdm.Treaty) bool { return tr.ID == "NATO" })
	has := func(k, year int, id string) bool { return slices.Contains(m[k][year-p.First], p.Index(id)) }
	if !has(k, 1997, "POL") || has(k, 1996, "POL") || !has(k, 1995, "GMY") || !has(k, 1985, "GFR") {
		t.Errorf("NATO members: POL 1996 %v, 1997 %v; GMY 1995 %v; GFR 1985 %v", has(k, 1996, "POL"), has(k, 1997, "POL"), has(k, 1995, "GMY"), has(k, 1985, "GFR"))
	}
	w := slices.IndexFunc(cdm.Treaties, func(tr cdm.Treaty) bool { return tr.ID == "WARSAW" })
	if m[w][1992-p.First] != nil || !has(w, 1985, "POL") {
		t.Errorf("WARSAW: 1992 %v, POL 1985 %v", m[w][1992-p.First], has(w, 1985, "POL"))
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{cdm.NodesFile, cdm.AlliancesFile, cdm.MIDsFile, cdm.ContiguityFile, cdm.StatesFile, "cow_nmc_cinc.csv"} {
		b, err := cdm.EmbeddedFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if f == cdm.AlliancesFile {
			lines := strings.SplitN(string(b), "\n", 4)
			lines[2] = "1981,USA,XXX"
			b = []byte(strings.Join(lines, "\n"))
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := cdm.ReadPanel(dir)
	if err == nil || !strings.Contains(err.Error(), cdm.AlliancesFile+":3:") || !strings.Contains(err.Error(), "XXX") {
		t.Errorf("malformed line: %v; want the file, line 3 and the bad state", err)
	}
	os.Remove(filepath.Join(dir, cdm.MIDsFile))
	if _, err := cdm.ReadPanel(dir); err == nil || !strings.Contains(err.Error(), cdm.AlliancesFile) {
		t.Errorf("missing or bad file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, cdm.AlliancesFile), []byte("year,state1,state2\n1981,USA\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cdm.ReadPanel(dir); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Errorf("short line: %v", err)
	}
	os.Remove(filepath.Join(dir, cdm.AlliancesFile))
	if _, err := cdm.ReadPanel(dir); err == nil || !strings.Contains(err.Error(), "file missing") {
		t.Errorf("missing file: %v", err)
	}
	p := embedded(t)
	for _, y := range []int{1980, 2001} {
		if _, err := p.Scenario(y); err == nil || !strings.Contains(err.Error(), "1981..2000") {
			t.Errorf("import of %d: %v; want an error naming the panel's years", y, err)
		}
	}
	if sc, err := p.Scenario(2000); err != nil || !bytes.Contains(sc, []byte("steps: 10\n")) {
		t.Errorf("import of the last year: %v; want a run of %d steps past the panel", err, cdm.StepsPastEnd)
	}
}

// A dyad of pact members that the panel still records after the pact has
// ended is a bilateral treaty alongside it: the import of 1981 has it as
// an alliance besides the Warsaw Pact membership, and a member dyad that
// ends with the pact has none. Started from 1981, the run keeps those
// dyads in 1992, as the record does.
func TestBilateralTreatiesAlongsideAPact(t *testing.T) {
	sc, _ := imported(t, embedded(t), 1981)
	w := sc.World
	tied := func(a, b string) bool {
		i, j := w.ActorIndex(a), w.ActorIndex(b)
		for _, x := range w.Ties {
			if (x.A == i && x.B == j) || (x.A == j && x.B == i) {
				return x.Form == sim.Alliance
			}
		}
		return false
	}
	if !tied("POL", "BUL") || !tied("BUL", "ROM") {
		t.Error("the Polish-Bulgarian and Bulgarian-Romanian dyads, recorded in 1992 after the Warsaw Pact, are not bilateral alliances in the 1981 import")
	}
	if tied("POL", "HUN") {
		t.Error("the Polish-Hungarian dyad ends with the Warsaw Pact in the record, but is a bilateral alliance in the 1981 import")
	}
}

// COW code 365 is one state (cow_states_2016.csv: RUS, "Russia",
// 1816-2016): the Soviet Union's disputes of 1981-1991 are RUS's in the
// panel, and the import has one actor for the code, RUS, that enters in
// 1992 (the panel gives it no capability before) and whose threat and
// rivalries count those disputes, as the Correlates of War code them.
func TestSovietDisputesAreRussias(t *testing.T) {
	p := embedded(t)
	n := 0
	for _, c := range p.Codes {
		if c == 365 {
			n++
		}
	}
	rus := p.Index("RUS")
	if n != 1 || rus < 0 || p.Codes[rus] != 365 || p.Names[rus] != "Russia" || p.InSystem(rus, 1991) || !p.InSystem(rus, 1992) {
		t.Fatalf("COW code 365: %d states; RUS index %d; want one, RUS (Russia), in the system from 1992", n, rus)
	}
	sc, _ := imported(t, p, 1981)
	w := sc.World
	r := w.ActorIndex("RUS")
	if a := w.Actors[r]; a.Enter != 1992-1981 {
		t.Errorf("RUS enters at step %d, want %d (1992)", a.Enter, 1992-1981)
	}
	found := false
	for k := range w.Threats {
		th := &w.Threats[k]
		if th.Name != "mid-RUS" {
			continue
		}
		found = true
		if th.Source != r || th.Intensity.At(0) != cdm.DisputeThreat {
			t.Errorf("mid-RUS: source %d, intensity %v at 1981; want RUS's disputes of 1981", th.Source, th.Intensity.At(0))
		}
	}
	if !found {
		t.Error("no threat mid-RUS")
	}
	usa := w.ActorIndex("USA")
	years := 0
	for y := p.First; y <= p.Last; y++ {
		if slices.Contains(p.MIDs[y-p.First], cdm.Edge{A: min(usa, rus), B: max(usa, rus)}) {
			years++
		}
	}
	found = false
	for _, rv := range w.Rivalries {
		if rv.A == usa && rv.B == r || rv.A == r && rv.B == usa {
			found = true
			if rv.Enmity != min(1, float64(years)/cdm.DisputeYearsForFullEnmity) {
				t.Errorf("USA-RUS enmity %v, want %d dispute years 1981-2000 over %d", rv.Enmity, years, cdm.DisputeYearsForFullEnmity)
			}
		}
	}
	if !found || years < 12 {
		t.Errorf("USA-RUS: rivalry %v, %d dispute years; want a rivalry counting 1981-1991 too", found, years)
	}
}
