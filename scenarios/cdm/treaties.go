package cdm

import "slices"

// Treaty is a multilateral defence pact of the panel, imported as an
// organisation whose members bind every pair of them (a mutual-defence
// charter). The panel codes pacts as dyads; the importer reads each pact's
// members in every year from the clique its members form (see Members).
type Treaty struct {
	ID, Name string
	// Founded is the year the treaty was signed; Ended the last year it was
	// in force (0: in force at the panel's end).
	Founded, Ended int
	// Seeds are the members the treaty starts from in the panel: its 1981
	// members, or its founders in the year it appears in the panel.
	Seeds []string
	// Regions where it acts: only states of these regions may accede.
	Regions []string
	// Admits, if set, are the only states the treaty's charter lets
	// accede (COW abbreviations; those the panel lacks are left out).
	Admits []string
}

// ArabStates are the states of the League of Arab States, the only ones
// its Pact admits (Pact of the League of Arab States, 1945, Art. 1: the
// independent Arab states), and so the only possible parties to the
// League's Joint Defence and Economic Co-operation Treaty (1950), a treaty
// among its members: the founders and the members admitted up to 2000
// (Mauritania 1973, Somalia 1974, Djibouti 1977, the Comoros 1993), with
// both Yemens and united Yemen. A charter that names its states admits
// them wherever they are (the Comoros are in Southern Africa here).
var ArabStates = []string{"EGY", "IRQ", "JOR", "LEB", "SAU", "SYR", "YAR", "YPR", "YEM", "LIB", "SUD", "MOR", "TUN",
	"KUW", "ALG", "BAH", "QAT", "OMA", "UAE", "MAA", "SOM", "DJI", "COM"}

// Treaties are the multilateral pacts the importer makes organisations of.
// Named treaties (the list) plus the pacts whose cliques form
// together in the panel (ECOWAS 1981, SADC 1999, ECCAS 2000). Smaller
// groupings (ANZUS, the Tripartite Aden Pact, ANAD, the Arab Maghreb Union)
// add only a few dyads beyond the larger pacts and stay bilateral
// alliances. Seeds are the states of the treaty's clique in the panel in
// its first year there, which is how the panel codes them (e.g. its Rio
// Treaty clique includes Jamaica and Trinidad).
var Treaties = []Treaty{
	{ID: "NATO", Name: "North Atlantic Treaty (1949)", Founded: 1949,
		Seeds:   []string{"USA", "CAN", "UKG", "FRN", "GFR", "ITA", "BEL", "NTH", "DEN", "NOR", "POR", "GRC", "TUR", "SPN"},
		Regions: []string{RegionEurope}},
	{ID: "RIO", Name: "Inter-American Treaty of Reciprocal Assistance (Rio Pact, 1947)", Founded: 1947,
		Seeds: []string{"ARG", "BOL", "BRA", "CHL", "COL", "COS", "DOM", "ECU", "GUA", "HAI", "HON", "JAM", "MEX", "NIC",
			"PAN", "PAR", "PER", "SAL", "TRI", "URU", "USA", "VEN"},
		Regions: []string{RegionNorthAmerica, RegionCaribbean, RegionSouthAmerica}},
	{ID: "ARAB", Name: "Arab League Joint Defence and Economic Co-operation Treaty (1950)", Founded: 1950,
		Seeds: []string{"ALG", "BAH", "DJI", "IRQ", "JOR", "KUW", "LEB", "LIB", "MOR", "OMA", "QAT", "SAU", "SOM", "SUD",
			"SYR", "TUN", "UAE", "YAR", "YPR"},
		Regions: []string{RegionMiddleEast, RegionNorthAfrica, RegionEastAfrica}, Admits: ArabStates},
	// ECOWAS: the community's institutions date from the 1975 Treaty of
	// Lagos; the defence protocol (1981) adds to them
	{ID: "ECOWAS", Name: "ECOWAS Protocol on Mutual Assistance in Defence (1981)", Founded: 1975,
		Seeds:   []string{"BEN", "BFO", "CDI", "GAM", "GHA", "GNB", "GUI", "LBR", "MAA", "NIG", "NIR", "SEN", "SIE", "TOG"},
		Regions: []string{RegionWestAfrica}},
	{ID: "WARSAW", Name: "Warsaw Pact (1955-1991)", Founded: 1955, Ended: 1991,
		Seeds:   []string{"BUL", "CZE", "GDR", "HUN", "POL", "ROM"},
		Regions: []string{RegionEurope}},
	{ID: "CST", Name: "CIS Collective Security Treaty (Tashkent, 1992)", Founded: 1992,
		Seeds:   []string{"RUS", "ARM", "KZK", "KYR", "TAJ", "UZB"},
		Regions: []string{RegionFormerSoviet}},
	{ID: "SADC", Name: "SADC mutual defence (Angola, DR Congo, Namibia, Zimbabwe, 1999)", Founded: 1999,
		Seeds:   []string{"ANG", "DRC", "NAM", "ZIM"},
		Regions: []string{RegionSouthernAfrica, RegionCentralAfrica}},
	{ID: "ECCAS", Name: "ECCAS Mutual Assistance Pact (2000)", Founded: 2000,
		Seeds:   []string{"ANG", "BUI", "CAO", "CEN", "CHA", "CON", "DRC", "EQG", "GAB", "RWA"},
		Regions: []string{RegionCentralAfrica, RegionEastAfrica, RegionSouthernAfrica}},
}

// Successions are the states that continue the treaties of a predecessor
// when they enter (state succession; the COW list has the predecessor end
// as the successor begins): unified Germany continues the Federal
// Republic, Yemen both Yemens, the Czech Republic and Slovakia
// Czechoslovakia. The Soviet Union is not a predecessor: COW codes it and
// Russia as one state, 365 (RUS), which the panel gives a capability from
// 1992 only (it enters then; its disputes of 1981-1991 are kept).
var Successions = map[string][]string{
	"GMY": {"GFR"},
	"YEM": {"YAR", "YPR"},
	"CZR": {"CZE"},
	"SLO": {"CZE"},
}

// Membership-inference thresholds: a state joins a pact's clique in a year
// when it is allied with at least JoinShare of the pact's members then
// (and is not in another pact holding at least half of them, whose ties
// would explain it); a member leaves when it is allied with fewer than
// LeaveShare of the others.
const (
	JoinShare  = 0.75
	LeaveShare = 0.5
)

// InSystem reports whether state i is in the system in year: the COW list
// has it then and the panel has its capability (CINC > 0). The panel has
// no capability for the Soviet Union (RUS, COW code 365, is out of the
// system until 1992, though its disputes are recorded), for Lebanon from
// 1990 and for Kuwait in 1990.
func (p *Panel) InSystem(i, year int) bool {
	y := min(max(year, p.First), p.Last)
	if p.Attr[y-p.First][i].CINC <= 0 {
		return false
	}
	for _, sp := range p.Spells[i] {
		if y >= sp[0] && y <= sp[1] {
			return true
		}
	}
	return false
}

// Members returns each treaty's members in every year of the panel,
// members[treaty][year-First], sorted state indices: a member stays one
// while it is out of the system (an occupied state) until its COW spell
// ends. Nil for a year the treaty is not in force.
func (p *Panel) Members() [][][]int {
	out := make([][][]int, len(Treaties))
	nbr := make([]map[[2]int]bool, p.Years())
	for t := range nbr {
		nbr[t] = make(map[[2]int]bool, len(p.Alliances[t]))
		for _, e := range p.Alliances[t] {
			nbr[t][[2]int{e.A, e.B}] = true
		}
	}
	allied := func(t, a, b int) bool {
		if a > b {
			a, b = b, a
		}
		return nbr[t][[2]int{a, b}]
	}
	// a panel may hold only some of the world (a regional extract): a
	// treaty's seeds outside it are skipped, and a treaty with fewer than
	// two seeds in it is not imported (its members are nil every year)
	inPanel := make([]bool, len(Treaties))
	for k, tr := range Treaties {
		out[k] = make([][]int, p.Years())
		n := 0
		for _, id := range tr.Seeds {
			if p.Index(id) >= 0 {
				n++
			}
		}
		inPanel[k] = n >= 2
	}
	for t := 0; t < p.Years(); t++ {
		year := p.First + t
		for k, tr := range Treaties {
			if !inPanel[k] || year < tr.Founded || (tr.Ended > 0 && year > tr.Ended) {
				continue
			}
			var cur []int
			if t > 0 && out[k][t-1] != nil {
				cur = slices.Clone(out[k][t-1])
			} else {
				for _, id := range tr.Seeds {
					if i := p.Index(id); i >= 0 && p.InSystem(i, year) {
						cur = append(cur, i)
					}
				}
				slices.Sort(cur)
			}
			// members whose COW spell has ended are gone
			cur = slices.DeleteFunc(cur, func(i int) bool { return !p.inCOW(i, year) })
			for pass := 0; pass < 6; pass++ {
				var present []int
				for _, m := range cur {
					if p.InSystem(m, year) {
						present = append(present, m)
					}
				}
				if len(present) < 2 {
					break
				}
				next := slices.Clone(cur)
				for i := range p.States {
					if slices.Contains(cur, i) || !p.InSystem(i, year) {
						continue
					}
					c := 0
					for _, m := range present {
						if allied(t, i, m) {
							c++
						}
					}
					if float64(c) < JoinShare*float64(len(present)) || p.explained(out, k, t, i, present) {
						continue
					}
					next = append(next, i)
				}
				for _, m := range present {
					c := 0
					for _, o := range present {
						if o != m && allied(t, m, o) {
							c++
						}
					}
					if float64(c) < LeaveShare*float64(len(present)-1) {
						next = slices.DeleteFunc(next, func(x int) bool { return x == m })
					}
				}
				slices.Sort(next)
				if slices.Equal(next, cur) {
					break
				}
				cur = next
			}
			out[k][t] = cur
		}
	}
	return out
}

// explained reports whether state i's ties with the present members of
// treaty k in year t are explained by another treaty of the year that holds
// at least half of them and i (processed before k in that year).
func (p *Panel) explained(out [][][]int, k, t, i int, present []int) bool {
	for o := range Treaties {
		if o == k || out[o][t] == nil || !slices.Contains(out[o][t], i) {
			continue
		}
		c := 0
		for _, m := range present {
			if slices.Contains(out[o][t], m) {
				c++
			}
		}
		if 2*c >= len(present) {
			return true
		}
	}
	return false
}

func (p *Panel) inCOW(i, year int) bool {
	for _, sp := range p.Spells[i] {
		if year >= sp[0] && year <= sp[1] {
			return true
		}
	}
	return false
}
