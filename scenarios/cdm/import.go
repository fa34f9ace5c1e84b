package cdm

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Design constants of the importer (see the package documentation).
const (
	// AllianceLevel is the level given to the observed bilateral defence pacts.
	AllianceLevel = "institutionalised"
	// Autonomy is every state's autonomy preference: no source gives it,
	// so one rule applies to all (the scale's midpoint).
	Autonomy = 0.5
	// PactCommitment is the membership commitment of a defence pact: the
	// panel codes every one as an obligation to defend.
	PactCommitment = 1.0
	// DisputeThreat is the intensity of a state's threat in a year it is in
	// a militarised dispute: a dispute (a threat, display or use of force) is
	// taken as a third of a major crisis, on the scale of the built-in
	// scenarios (a major crisis 0.85-0.9, background rivalry 0.15).
	DisputeThreat = 0.3
	// DisputeYearsForFullEnmity is the number of years with a MID between
	// two states (from the import year to the panel's end) at which their
	// enmity reaches 1: six, the disputes that make an enduring rivalry in
	// Diehl & Goertz (2000), War and Peace in International Rivalry; fewer
	// make a proportionally weaker enmity.
	DisputeYearsForFullEnmity = 6
	// StepsPastEnd is how far a run from the panel's last year goes.
	StepsPastEnd = 10
)

// Import builds a scenario file (YAML that scenarios.Parse accepts) from
// the panel in dir ("" for the embedded copy), starting in year.
func Import(dir string, year int) ([]byte, error) {
	p, err := ReadPanel(dir)
	if err != nil {
		return nil, err
	}
	return p.Scenario(year)
}

// Values returns the value vector the importer gives state i in year: its
// Polity score / 10, the regime similarity of the alliance literature (Lai
// & Reiter 2000) and of the actor-oriented model of the same panel. An
// alignment with the US alliance system is not a value: it would read the
// alliances the run is to explain into its inputs (and freeze the Cold
// War's blocs in a run from 1981).
func (p *Panel) Values(i, year int) []float64 {
	return []float64{p.Attr[year-p.First][i].Polity / 10}
}

// valueChanges is the value_changes field of state i in a run from year of
// steps steps whose values at step 0 are v: its Polity score as the panel
// records it year by year (the end of the Cold War democratised much of
// Europe: Poland's polity goes from -8 in 1981 to 9 in 1995), a changing
// covariate as actor-oriented models take it. Empty when it never changes.
func (p *Panel) valueChanges(i, year, steps int, v []float64) string {
	var b strings.Builder
	cur := v[0]
	for s := 1; s <= steps && year+s <= p.Last; s++ {
		pol := p.Attr[year+s-p.First][i].Polity / 10
		if pol == cur || p.Attr[year+s-p.First][i].CINC <= 0 {
			continue // unchanged, or not in the panel that year
		}
		cur = pol
		if b.Len() == 0 {
			b.WriteString(", value_changes: [")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{step: %d, values: [%s]}", s, num(pol))
	}
	if b.Len() > 0 {
		b.WriteString("]")
	}
	return b.String()
}

// UnknownAgeYears is the age given to an alliance whose start the panel does
// not show (observed since its first year): the built-in scenarios' rule
// for a tie between two states of unknown age.
const UnknownAgeYears = 10

// allied reports whether the panel records a defence alliance between
// states a and c in year.
func (p *Panel) allied(year, a, c int) bool {
	if !p.Has(year) {
		return false
	}
	e := Edge{min(a, c), max(a, c)}
	_, ok := slices.BinarySearchFunc(p.Alliances[year-p.First], e, func(x, t Edge) int {
		if x.A != t.A {
			return x.A - t.A
		}
		return x.B - t.B
	})
	return ok
}

// allianceAge is the age in years (= steps) of alliance e in year: the
// consecutive years the panel records it up to year, at least
// UnknownAgeYears when it is recorded from the panel's first year on (its
// start is before the panel).
func (p *Panel) allianceAge(e Edge, year int) int {
	age := 0
	for y := year - 1; y >= p.First; y-- {
		if _, ok := slices.BinarySearchFunc(p.Alliances[y-p.First], e, func(x, t Edge) int {
			if x.A != t.A {
				return x.A - t.A
			}
			return x.B - t.B
		}); !ok {
			return age
		}
		age++
	}
	return max(age, UnknownAgeYears)
}

// Steps is the number of steps of a run imported from year.
func (p *Panel) Steps(year int) int {
	if year >= p.Last {
		return StepsPastEnd
	}
	return p.Last - year
}

// presence returns state i's enter step, exit step and absent spans for a
// run from year of steps steps (years past the panel's end repeat its last
// year), or gone when it is in the system at no step of the run.
func (p *Panel) presence(i, year, steps int) (enter, exit int, absent [][2]int, gone bool) {
	in := make([]bool, steps+1)
	any := false
	for s := range in {
		in[s] = p.InSystem(i, year+s)
		any = any || in[s]
	}
	if !any {
		return 0, 0, nil, true
	}
	first, last := -1, -1
	for s, v := range in {
		if v {
			if first < 0 {
				first = s
			}
			last = s
		}
	}
	enter = first
	// a state whose COW spell ends during the run leaves for good then,
	// absent from its last step in the system until it does (the German
	// Democratic Republic, without capability in 1989-90, leaves in 1990
	// with its spell); one still in its spell at the end is absent to the end
	if last < steps {
		end := -1
		for s := last + 1; s <= steps; s++ {
			if !p.inCOW(i, year+s) {
				end = s
				break
			}
		}
		switch {
		case end < 0:
			absent = append(absent, [2]int{last + 1, steps + 1})
		default:
			exit = end
			if end > last+1 {
				absent = append(absent, [2]int{last + 1, end})
			}
		}
	}
	for s := first; s <= last; {
		if in[s] {
			s++
			continue
		}
		e := s
		for e <= last && !in[e] {
			e++
		}
		absent = append(absent, [2]int{s, e})
		s = e
	}
	slices.SortFunc(absent, func(a, b [2]int) int { return a[0] - b[0] })
	return enter, exit, absent, false
}

// Scenario builds the scenario file of the import year: every state of the
// panel (those not in the system during the run are listed, absent
// throughout), the multilateral pacts as organisations with the members
// read off the panel (those founded later enter in their year with their
// founders; the Warsaw Pact leaves after 1991), the year's other defence
// alliances as bilateral ties, states entering and leaving as the COW list
// and the panel say (successors take over their predecessors' treaties),
// one conventional threat per state in a militarised dispute, and
// rivalries between states in disputes.
func (p *Panel) Scenario(year int) ([]byte, error) {
	if !p.Has(year) {
		return nil, fmt.Errorf("cdm: year %d: want a year in %d..%d (a run from %d goes %d years past the panel's end)", year, p.First, p.Last, p.Last, StepsPastEnd)
	}
	members := p.Members()
	t0 := year - p.First
	steps := p.Steps(year)
	n := len(p.States)
	var b bytes.Buffer
	src := p.Dir
	if src == "" {
		src = Embedded
	}
	fmt.Fprintf(&b, "# Generated by 'entente import cdm --year %d' from the CDM alliance panel (%s).\n", year, src)
	fmt.Fprintf(&b, "# Cranmer, Desmarais & Menninga 2012, CMPS 29(3); COW NMC (Singer, Bremer & Stuckey 1972);\n")
	fmt.Fprintf(&b, "# COW State System Membership 2016. Design: go doc github.com/entente/entente/scenarios/cdm\n")
	fmt.Fprintf(&b, "name: cdm-%d\n", year)
	fmt.Fprintf(&b, "description: |-\n  The CDM defence-alliance panel from %d: %d states, %d observed alliance dyads, one step per year for %d years.\n", year, n, len(p.Alliances[t0]), steps)
	fmt.Fprintf(&b, "  Multilateral pacts are organisations with members; capability and economy = COW CINC %d (the panel has no GDP);\n", year)
	fmt.Fprintf(&b, "  values = [polity/10], changing as the panel records it; threats and rivalries from militarised disputes %d-%d.\n", year, p.Last)
	fmt.Fprintf(&b, "steps: %d\nsteps_per_year: 1\n", steps)

	// memberships in the import year (and founders of later pacts)
	type pact struct {
		k           int
		members     []int
		enter, exit int
		age         float64
	}
	var pacts []pact
	for k, tr := range Treaties {
		if tr.Ended > 0 && tr.Ended < year {
			continue
		}
		pc := pact{k: k}
		switch {
		case tr.Founded <= year:
			pc.members = members[k][t0]
			pc.age = float64(year - tr.Founded)
		case tr.Founded <= p.Last:
			pc.enter = tr.Founded - year
			pc.members = members[k][tr.Founded-p.First]
		default:
			continue
		}
		if tr.Ended > 0 && tr.Ended < year+steps {
			pc.exit = tr.Ended + 1 - year
		}
		if len(pc.members) == 0 {
			continue
		}
		pacts = append(pacts, pc)
	}
	// co-membership in the import year explains a dyad, unless the panel
	// still records it the year after the pact ended: then it is a
	// bilateral treaty alongside the pact (the Warsaw Pact's members had
	// their own treaties of friendship and mutual assistance, some in force
	// into 1992), imported as a bilateral alliance besides the membership
	explained := func(a, c int) bool {
		for _, pc := range pacts {
			if pc.enter == 0 && slices.Contains(pc.members, a) && slices.Contains(pc.members, c) {
				if end := Treaties[pc.k].Ended; end > 0 && end < p.Last && p.allied(end+1, a, c) {
					continue
				}
				return true
			}
		}
		return false
	}
	gone := make([]bool, n)
	b.WriteString("actors:\n")
	for i, id := range p.States {
		a := p.Attr[t0][i]
		v := p.Values(i, year)
		enter, exit, absent, out := p.presence(i, year, steps)
		gone[i] = out
		extra := ""
		switch {
		case out:
			extra = fmt.Sprintf(", absent: [[0, %d]]", steps+1)
		default:
			if enter > 0 {
				// a state entering later has the capability and values of its first year
				y := min(year+enter, p.Last)
				a = p.Attr[y-p.First][i]
				v = p.Values(i, y)
				extra += fmt.Sprintf(", enter: %d", enter)
			}
			if pre := Successions[id]; len(pre) > 0 && !gonePre(p, pre, year) {
				extra += ", inherits: [" + joinIDs(pre) + "]"
			}
			if exit > 0 {
				extra += fmt.Sprintf(", exit: %d", exit)
			}
			if len(absent) > 0 {
				extra += ", absent: ["
				for k, sp := range absent {
					if k > 0 {
						extra += ", "
					}
					extra += fmt.Sprintf("[%d, %d]", sp[0], sp[1])
				}
				extra += "]"
			}
		}
		if !out {
			extra += p.valueChanges(i, year, steps, v)
		}
		fmt.Fprintf(&b, "  - {id: %s, name: %s, kind: state, region: %s, capability: %s, economy: %s, values: [%s], autonomy: %s%s}\n",
			id, strconv.Quote(p.Names[i]), strconv.Quote(Region(p.Codes[i])), num(a.CINC), num(a.CINC), num(v[0]), num(Autonomy), extra)
	}
	for _, pc := range pacts {
		tr := Treaties[pc.k]
		fmt.Fprintf(&b, "  - {id: %s, name: %s, kind: organisation, region: %s, regions: [", tr.ID, strconv.Quote(tr.Name), strconv.Quote(tr.Regions[0]))
		for k, r := range tr.Regions {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(r))
		}
		fmt.Fprintf(&b, "], economy: 0, values: [0], commitment: %s, mutual_defence: true, consensus: true, age: %s", num(PactCommitment), num(pc.age))
		if pc.enter > 0 {
			fmt.Fprintf(&b, ", enter: %d", pc.enter)
		}
		if pc.exit > 0 {
			fmt.Fprintf(&b, ", exit: %d", pc.exit)
		}
		if len(tr.Admits) > 0 {
			b.WriteString(",\n      admits: [")
			n := 0
			for _, id := range tr.Admits {
				if slices.Contains(p.States, id) {
					if n > 0 {
						b.WriteString(", ")
					}
					b.WriteString(id)
					n++
				}
			}
			b.WriteString("]")
		}
		b.WriteString(",\n      members: [")
		for k, m := range pc.members {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.States[m])
		}
		b.WriteString("]}\n")
	}
	first := true
	for _, e := range p.Alliances[t0] {
		if explained(e.A, e.B) {
			continue
		}
		if first {
			b.WriteString("ties:\n")
			first = false
		}
		fmt.Fprintf(&b, "  - {a: %s, b: %s, form: alliance, level: %s, age: %d}\n", p.States[e.A], p.States[e.B], AllianceLevel, p.allianceAge(e, year))
	}
	// Threats: opponents per source per year of the run.
	last := min(year+steps, p.Last)
	opp := make([][]map[int]bool, n) // [source][t] set of opponents
	involved := make([]bool, n)
	disputeYears := map[[2]int]int{}
	for t := t0; t <= last-p.First; t++ {
		for _, e := range p.MIDs[t] {
			disputeYears[[2]int{e.A, e.B}]++
			for _, pr := range [2][2]int{{e.A, e.B}, {e.B, e.A}} {
				s, o := pr[0], pr[1]
				if opp[s] == nil {
					opp[s] = make([]map[int]bool, p.Years())
				}
				if opp[s][t] == nil {
					opp[s][t] = map[int]bool{}
				}
				opp[s][t][o] = true
				involved[s] = true
			}
		}
	}
	first = true
	for s := range n {
		if !involved[s] || gone[s] {
			continue
		}
		exposure := make([]float64, n)
		for t := t0; t <= last-p.First; t++ {
			for o := range opp[s][t] {
				exposure[o] = 1
			}
		}
		any := false
		for j, w := range exposure {
			if w > 0 && !gone[j] {
				any = true
			}
		}
		if !any {
			continue
		}
		if first {
			b.WriteString("threats:\n")
			first = false
		}
		fmt.Fprintf(&b, "  - name: mid-%s\n    kind: conventional\n    source: %s\n    exposure:\n      actors: {", p.States[s], p.States[s])
		sep := ""
		for j, w := range exposure {
			if w > 0 && !gone[j] {
				fmt.Fprintf(&b, "%s%s: %s", sep, p.States[j], num(w))
				sep = ", "
			}
		}
		b.WriteString("}\n    intensity: {shape: series, points: [")
		for t := t0; t <= last-p.First; t++ {
			if t > t0 {
				b.WriteString(", ")
			}
			v := 0.0
			if len(opp[s][t]) > 0 {
				v = DisputeThreat
			}
			fmt.Fprintf(&b, "[%d, %s]", t-t0, num(v))
		}
		b.WriteString("]}\n")
	}
	first = true
	keys := make([][2]int, 0, len(disputeYears))
	for k := range disputeYears {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]int) int {
		if x[0] != y[0] {
			return x[0] - y[0]
		}
		return x[1] - y[1]
	})
	for _, k := range keys {
		if gone[k[0]] || gone[k[1]] {
			continue
		}
		if first {
			b.WriteString("rivalries:\n")
			first = false
		}
		e := math.Min(1, float64(disputeYears[k])/DisputeYearsForFullEnmity)
		fmt.Fprintf(&b, "  - {a: %s, b: %s, enmity: %s}\n", p.States[k[0]], p.States[k[1]], num(e))
	}
	return b.Bytes(), nil
}

// gonePre reports whether every predecessor left the COW system before
// year (nothing to inherit from, and no actor to name).
func gonePre(p *Panel, pre []string, year int) bool {
	for _, id := range pre {
		if i := p.Index(id); i >= 0 && p.inCOW(i, year) {
			return false
		}
	}
	return true
}

func joinIDs(ids []string) string {
	var b bytes.Buffer
	for k, id := range ids {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(id)
	}
	return b.String()
}

// num formats a float for YAML: shortest round-trip text, at most 7
// significant digits for derived values.
func num(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 7, 64)
}
