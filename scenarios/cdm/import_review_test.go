package cdm_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"

	"github.com/entente/entente/scenarios/cdm"
	"github.com/entente/entente/sim"
)

func readEmbeddedCSV(t *testing.T, name string) [][]string {
	b, err := cdm.EmbeddedFile(name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// Presence of every state at every step of every import, against the
// nodes file (CINC > 0) and the COW state list read directly; and a state
// whose COW spell ends within the run must exit (not stay absent).
// Every state is in the system at a step exactly when the COW state list
// and its capability say so, and one whose COW spell ends within the run
// exits (the German Democratic Republic in 1990; it used to stay absent to
// the end, keeping its ties).
func TestPresenceFollowsTheStateList(t *testing.T) {
	cinc := map[string]map[int]float64{}
	for _, r := range readEmbeddedCSV(t, cdm.NodesFile) {
		y, _ := strconv.Atoi(r[0])
		c, _ := strconv.ParseFloat(r[3], 64)
		if cinc[r[1]] == nil {
			cinc[r[1]] = map[int]float64{}
		}
		cinc[r[1]][y] = c
	}
	spells := map[string][][2]int{}
	for _, r := range readEmbeddedCSV(t, cdm.StatesFile) {
		a, _ := strconv.Atoi(r[3])
		b, _ := strconv.Atoi(r[4])
		spells[r[1]] = append(spells[r[1]], [2]int{a, b})
	}
	inCOW := func(id string, y int) bool {
		for _, s := range spells[id] {
			if y >= s[0] && y <= s[1] {
				return true
			}
		}
		return false
	}
	sys := func(id string, y int) bool {
		y = min(y, 2000)
		return cinc[id][y] > 0 && inCOW(id, y)
	}
	p := embedded(t)
	for year := 1981; year <= 2000; year++ {
		sc, _ := imported(t, p, year)
		for _, a := range sc.World.Actors {
			if a.Kind != sim.State {
				continue
			}
			for s := 0; s <= sc.Steps; s++ {
				got := s >= a.Enter && (a.Exit == 0 || s < a.Exit)
				for _, sp := range a.Absent {
					if s >= sp.From && s < sp.To {
						got = false
					}
				}
				if want := sys(a.ID, year+s); got != want {
					t.Errorf("import %d: %s at step %d (%d): present %v, want %v", year, a.ID, s, year+s, got, want)
				}
			}
			// the COW spell ends (for good) within the run: it must exit
			ends := -1
			for s := 0; s <= sc.Steps; s++ {
				if inCOW(a.ID, year+s) && !inCOW(a.ID, year+s+1) {
					ends = s + 1
				}
			}
			everIn := false
			for s := 0; s <= sc.Steps; s++ {
				everIn = everIn || sys(a.ID, year+s)
			}
			if everIn && ends > 0 && ends <= sc.Steps && (a.Exit == 0 || a.Exit > ends) {
				t.Errorf("import %d: %s's COW spell ends after %d but it does not exit by step %d (exit %d, absent %v)", year, a.ID, year+ends-1, ends, a.Exit, a.Absent)
			}
		}
	}
}

// Every present state's values at every step are its Polity/10 of that year.
func TestValuesArePolityYearByYear(t *testing.T) {
	pol := map[string]map[int]float64{}
	cinc := map[string]map[int]float64{}
	for _, r := range readEmbeddedCSV(t, cdm.NodesFile) {
		y, _ := strconv.Atoi(r[0])
		v, _ := strconv.ParseFloat(r[2], 64)
		c, _ := strconv.ParseFloat(r[3], 64)
		if pol[r[1]] == nil {
			pol[r[1]], cinc[r[1]] = map[int]float64{}, map[int]float64{}
		}
		pol[r[1]][y], cinc[r[1]][y] = v, c
	}
	p := embedded(t)
	for year := 1981; year <= 2000; year++ {
		sc, _ := imported(t, p, year)
		for _, a := range sc.World.Actors {
			if a.Kind != sim.State {
				continue
			}
			for s := a.Enter; s <= sc.Steps; s++ {
				y := min(year+s, 2000)
				if cinc[a.ID][y] <= 0 || (a.Exit > 0 && s >= a.Exit) {
					continue
				}
				v := a.Values[0]
				for _, vc := range a.ValueChanges {
					if vc.Step <= s {
						v = vc.Values[0]
					}
				}
				if want := pol[a.ID][y] / 10; v != want {
					t.Errorf("import %d: %s step %d (%d): value %v, want %v", year, a.ID, s, y, v, want)
				}
			}
			if s := a.Enter; cinc[a.ID][min(year+s, 2000)] > 0 && a.Capability != cinc[a.ID][min(year+s, 2000)] {
				t.Errorf("import %d: %s capability %v, want CINC %v of %d", year, a.ID, a.Capability, cinc[a.ID][min(year+s, 2000)], year+s)
			}
		}
	}
}

// Threats and rivalries of every import against the MID file read directly.
func TestDisputesFromTheFile(t *testing.T) {
	mids := map[int]map[[2]string]bool{}
	for _, r := range readEmbeddedCSV(t, cdm.MIDsFile) {
		y, _ := strconv.Atoi(r[0])
		a, b := r[1], r[2]
		if a > b {
			a, b = b, a
		}
		if mids[y] == nil {
			mids[y] = map[[2]string]bool{}
		}
		mids[y][[2]string{a, b}] = true
	}
	p := embedded(t)
	for year := 1981; year <= 2000; year++ {
		sc, _ := imported(t, p, year)
		w := sc.World
		// a state is "gone" when absent at every step
		gone := map[string]bool{}
		for _, a := range w.Actors {
			if a.Kind == sim.State && len(a.Absent) == 1 && a.Absent[0].From == 0 && a.Absent[0].To > sc.Steps {
				gone[a.ID] = true
			}
		}
		count := map[[2]string]int{}
		opp := map[string]map[string]bool{}
		inMID := map[string]map[int]bool{}
		for y := year; y <= 2000; y++ {
			for pr := range mids[y] {
				count[pr]++
				for _, x := range [][2]string{pr, {pr[1], pr[0]}} {
					if opp[x[0]] == nil {
						opp[x[0]], inMID[x[0]] = map[string]bool{}, map[int]bool{}
					}
					opp[x[0]][x[1]] = true
					inMID[x[0]][y-year] = true
				}
			}
		}
		got := map[[2]string]float64{}
		for _, r := range w.Rivalries {
			a, b := w.Actors[r.A].ID, w.Actors[r.B].ID
			if a > b {
				a, b = b, a
			}
			got[[2]string{a, b}] = r.Enmity
		}
		for pr, n := range count {
			if gone[pr[0]] || gone[pr[1]] {
				continue
			}
			want := min(1, float64(n)/6)
			if g, ok := got[pr]; !ok || math.Abs(g-want) > 1e-6 {
				t.Errorf("import %d: rivalry %v enmity %v (present %v), want %v", year, pr, g, ok, want)
			}
			delete(got, pr)
		}
		for pr := range got {
			t.Errorf("import %d: extra rivalry %v", year, pr)
		}
		for _, th := range w.Threats {
			src := w.Actors[th.Source].ID
			for j, wgt := range th.ActorExposure {
				if !opp[src][w.Actors[j].ID] || wgt != 1 {
					t.Errorf("import %d: %s exposes %s (%v)", year, th.Name, w.Actors[j].ID, wgt)
				}
			}
			for o := range opp[src] {
				if !gone[o] {
					if _, ok := th.ActorExposure[w.ActorIndex(o)]; !ok {
						t.Errorf("import %d: %s lacks opponent %s", year, th.Name, o)
					}
				}
			}
			for s := 0; s <= min(sc.Steps, 2000-year); s++ {
				want := 0.0
				if inMID[src][s] {
					want = 0.3
				}
				if v := th.Intensity.At(s); v != want {
					t.Errorf("import %d: %s intensity at %d = %v, want %v", year, th.Name, s, v, want)
				}
			}
		}
	}
}
