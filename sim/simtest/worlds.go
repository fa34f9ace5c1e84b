package simtest

import (
	"fmt"
	"math/rand/v2"

	"github.com/entente/entente/sim"
)

// Builder assembles small worlds by actor id.
type Builder struct {
	W   *sim.World
	idx map[string]int
}

// NewBuilder starts an empty world with constant retrenchment 0.
func NewBuilder() *Builder {
	return &Builder{W: &sim.World{}, idx: map[string]int{}}
}

// Actor adds an actor and returns its index.
func (b *Builder) Actor(a sim.Actor) int {
	if a.Values == nil {
		a.Values = []float64{0, 0, 0}
	}
	b.idx[a.ID] = len(b.W.Actors)
	b.W.Actors = append(b.W.Actors, a)
	return b.idx[a.ID]
}

// State adds a state with the given region, capability, economy, values and autonomy.
func (b *Builder) State(id, region string, capability, economy float64, values []float64, autonomy float64) int {
	return b.Actor(sim.Actor{ID: id, Name: id, Kind: sim.State, Region: region, Capability: capability,
		Economy: economy, Values: values, Autonomy: autonomy})
}

// Org adds an organisation of the given members (ids) with a membership commitment.
func (b *Builder) Org(id, region string, commitment float64, economy float64, values []float64, members ...string) int {
	a := sim.Actor{ID: id, Name: id, Kind: sim.Organisation, Region: region, Commitment: commitment, Economy: economy, Values: values}
	for _, m := range members {
		a.Members = append(a.Members, b.I(m))
	}
	return b.Actor(a)
}

// I is the index of an actor id; it panics on an unknown id (a test bug).
func (b *Builder) I(id string) int {
	i, ok := b.idx[id]
	if !ok {
		panic("simtest: unknown actor " + id)
	}
	return i
}

// Tie adds a tie; donor is "" for symmetric or one side's id.
func (b *Builder) Tie(a, c string, f sim.Form, l sim.Level, donor string) {
	d := -1
	if donor != "" {
		d = b.I(donor)
	}
	b.W.Ties = append(b.W.Ties, sim.TieSpec{A: b.I(a), B: b.I(c), Form: f, Level: l, Donor: d})
}

// Threat adds a threat; source "" for none; actors maps ids to exposure.
func (b *Builder) Threat(name, kind, source string, regions map[string]float64, actors map[string]float64, p sim.Profile) int {
	t := sim.Threat{Name: name, Kind: kind, Source: -1, RegionExposure: regions, ActorExposure: map[int]float64{}, Intensity: p}
	if source != "" {
		t.Source = b.I(source)
	}
	for id, v := range actors {
		t.ActorExposure[b.I(id)] = v
	}
	b.W.Threats = append(b.W.Threats, t)
	return len(b.W.Threats) - 1
}

// Nordic is the Finland and Sweden case of source 002: a patron, NATO with
// its members, Russia, and neutral Finland and Sweden (high autonomy
// preference) cooperating with NATO. shock is the peak intensity of a
// Russia-sourced conventional step shock at step 10 (0 for none).
func Nordic(shock float64) *sim.World {
	b := NewBuilder()
	west := []float64{0.9, 0.9, 0.8}
	b.State("USA", "Americas", 0.14, 0.25, west, 0.3)
	b.W.Actors[b.I("USA")].Patron = true
	b.State("UKG", "Europe", 0.02, 0.03, west, 0.3)
	b.State("GMY", "Europe", 0.02, 0.04, west, 0.3)
	b.State("POL", "Europe", 0.01, 0.008, []float64{0.7, 0.9, 0.7}, 0.2)
	b.State("NOR", "Europe", 0.003, 0.005, west, 0.3)
	b.State("EST", "Europe", 0.0005, 0.0004, west, 0.1)
	b.State("RUS", "Europe", 0.04, 0.02, []float64{-0.6, -0.9, -0.3}, 0.9)
	b.State("FIN", "Europe", 0.002, 0.003, []float64{0.9, 0.5, 0.8}, 0.85)
	b.State("SWD", "Europe", 0.003, 0.006, []float64{0.9, 0.5, 0.8}, 0.85)
	b.Org("NATO", "Europe", 0.9, 0.3, west, "USA", "UKG", "GMY", "POL", "NOR", "EST")
	b.Tie("FIN", "NATO", sim.Cooperation, sim.Institutionalised, "")
	b.Tie("SWD", "NATO", sim.Cooperation, sim.Institutionalised, "")
	b.Tie("FIN", "SWD", sim.Cooperation, sim.Advanced, "")
	b.Tie("FIN", "RUS", sim.Cooperation, sim.Nominal, "")
	p := sim.ConstantProfile(0.05)
	if shock > 0 {
		p = sim.Profile{Shape: sim.Step, Base: 0.05, Peak: shock, Start: 10}
	}
	b.Threat("russia", "conventional", "RUS", map[string]float64{"Europe": 0.4},
		map[string]float64{"FIN": 1, "SWD": 0.8, "EST": 1, "POL": 0.8, "NOR": 0.6}, p)
	b.W.Political = sim.ConstantProfile(0.1)
	return b.W
}

// HubAndSpoke is the world of source 002's retrenchment argument: a patron
// tied to n partner states in two regions (alliances with the more exposed,
// cooperation with the rest), a low constant conventional threat from a
// rival, and political retrenchment constant at ret.
func HubAndSpoke(n int, ret float64, seed uint64) *sim.World {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := NewBuilder()
	b.State("PAT", "Americas", 1, 1, []float64{0.8, 0.8, 0.8}, 0.2)
	b.W.Actors[0].Patron = true
	b.State("RIV", "Asia", 0.8, 0.6, []float64{-0.7, -0.8, -0.2}, 0.8)
	for i := 0; i < n; i++ {
		region := "Asia"
		if i%2 == 1 {
			region = "Europe"
		}
		id := fmt.Sprintf("S%02d", i)
		c := 0.02 + 0.15*rng.Float64()*rng.Float64()
		v := []float64{0.6 + 0.3*rng.Float64(), 0.4 + 0.5*rng.Float64(), 0.3 + 0.6*rng.Float64()}
		b.State(id, region, c, c*(0.5+rng.Float64()), v, 0.2+0.6*rng.Float64())
		f := sim.Cooperation
		if rng.Float64() < 0.5 {
			f = sim.Alliance
		}
		b.Tie("PAT", id, f, sim.Level(2+rng.IntN(3)), "")
	}
	b.Threat("rival", "conventional", "RIV", map[string]float64{"Asia": 1, "Europe": 0.5}, nil, sim.ConstantProfile(0.1))
	b.W.Political = sim.ConstantProfile(ret)
	return b.W
}

// Terror is source 001's case: a transnational threat pulse (base 0.05,
// peak 0.9 on [start, end)) on the Middle East, Africa and Europe, a patron
// and a dozen states, some tied to each other.
func Terror(start, end int) *sim.World {
	b := NewBuilder()
	b.State("USA", "Americas", 0.14, 0.25, []float64{0.9, 0.9, 0.8}, 0.3)
	b.W.Actors[0].Patron = true
	regions := []string{"MiddleEast", "Europe", "Africa"}
	for i := 0; i < 12; i++ {
		id := fmt.Sprintf("T%02d", i)
		c := 0.004 + 0.002*float64(i%5)
		b.State(id, regions[i%3], c, c, []float64{0.5 + 0.03*float64(i), 0.6, 0.5}, 0.3)
	}
	b.Tie("USA", "T00", sim.Cooperation, sim.Initial, "")
	b.Tie("USA", "T01", sim.Alliance, sim.Institutionalised, "")
	b.Tie("T01", "T04", sim.Cooperation, sim.Initial, "")
	b.Threat("isis", "terrorism", "", map[string]float64{"MiddleEast": 1, "Africa": 0.7, "Europe": 0.5, "Americas": 0.3}, nil,
		sim.Profile{Shape: sim.Pulse, Base: 0.05, Peak: 0.9, Start: start, End: end})
	b.W.Political = sim.ConstantProfile(0.1)
	return b.W
}

// Sponsor is source 003's security force assistance: a rich donor with an
// assistance tie to a weak recipient. Military retrenchment of the donor
// (a patron) steps to 1 at exit (no exit when exit <= 0): its support stops.
func Sponsor(exit int) *sim.World {
	b := NewBuilder()
	b.State("DON", "Americas", 0.5, 1, []float64{0.8, 0.8, 0.8}, 0.1)
	b.W.Actors[0].Patron = true
	b.State("REC", "Africa", 0.002, 0.002, []float64{0.6, 0.7, 0.6}, 0.2)
	b.State("OTH", "Africa", 0.05, 0.05, []float64{0.6, 0.7, 0.6}, 0.2)
	b.Tie("DON", "REC", sim.Assistance, sim.Advanced, "DON")
	b.Threat("insurgency", "terrorism", "", map[string]float64{"Africa": 0.6}, nil, sim.ConstantProfile(0.3))
	b.W.Political = sim.ConstantProfile(0)
	b.W.Military = sim.ConstantProfile(0)
	if exit > 0 {
		b.W.Military = sim.Profile{Shape: sim.Step, Base: 0, Peak: 1, Start: exit}
	}
	return b.W
}
