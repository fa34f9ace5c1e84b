package cdm

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// embedded holds the panel and the COW state list (see data/README.md for
// their sources and terms): the importer works from a fresh clone with
// nothing beside it.
//
//go:embed data/*.csv data/README.md
var embedded embed.FS

// File names of the panel in its folder.
const (
	NodesFile      = "cdm2012_nodes_1981_2000.csv"
	AlliancesFile  = "cdm2012_defense_alliance_edges_1981_2000.csv"
	MIDsFile       = "cdm2012_mid_edges_1981_2000.csv"
	ContiguityFile = "cdm2012_contiguity_edges.csv"
	StatesFile     = "cow_states_2016.csv"
)

// DefaultDir is the empty folder name: the panel embedded in the binary.
const DefaultDir = ""

// Embedded names the embedded copy of the panel in messages and file headers.
const Embedded = "embedded copy (scenarios/cdm/data)"

// Edge is an undirected pair of state indices (into Panel.States), A < B.
type Edge struct{ A, B int }

// StateYear is one state's attributes in one year.
type StateYear struct {
	Polity float64 // Polity score, -10 (autocracy) .. +10 (democracy)
	CINC   float64 // COW Composite Index of National Capability, 0..1
}

// Panel is the CDM alliance panel: states, their yearly attributes and the
// yearly networks. Every per-year slice is indexed by Year - First.
type Panel struct {
	Dir         string
	First, Last int      // first and last year of the panel (1981, 2000)
	States      []string // COW abbreviations, in the nodes file's order
	Names       []string // COW state names (cow_states_2016.csv, latest spell)
	Codes       []int    // COW country codes
	Attr        [][]StateYear
	Alliances   [][]Edge // observed defence alliances per year, sorted, one per pair
	MIDs        [][]Edge // pairs in a militarised interstate dispute per year, sorted
	Contiguity  []Edge   // pairs sharing a border (time-invariant), sorted
	// Spells are each state's COW system-membership spells [from, to]
	// (years, inclusive).
	Spells [][][2]int
	index  map[string]int
}

// Years is the number of years in the panel.
func (p *Panel) Years() int { return p.Last - p.First + 1 }

// Index returns the index of a state abbreviation, or -1.
func (p *Panel) Index(abb string) int {
	if i, ok := p.index[abb]; ok {
		return i
	}
	return -1
}

// Has reports whether year is in the panel.
func (p *Panel) Has(year int) bool { return year >= p.First && year <= p.Last }

// Network returns the observed alliance ties of a year (nil outside the panel).
func (p *Panel) Network(year int) []Edge {
	if !p.Has(year) {
		return nil
	}
	return p.Alliances[year-p.First]
}

// Regions the importer assigns by COW country code (identifiers, as
// scenario files want them; sub-regions, so that
// pacts act where they do: NATO's accessions come from Europe, the Rio
// Pact's from the Americas).
const (
	RegionNorthAmerica   = "NorthAmerica"            // 2-20
	RegionCaribbean      = "CentralAmericaCaribbean" // 31-99
	RegionSouthAmerica   = "SouthAmerica"            // 100-165
	RegionEurope         = "Europe"                  // 200-399 but the former Soviet Union
	RegionFormerSoviet   = "FormerSoviet"            // 359, 365-373, 701-705
	RegionWestAfrica     = "WestAfrica"              // 400-470 but 403, 411
	RegionCentralAfrica  = "CentralAfrica"           // 403, 411, 471-499
	RegionEastAfrica     = "EastAfrica"              // 500-539
	RegionSouthernAfrica = "SouthernAfrica"          // 540-599
	RegionNorthAfrica    = "NorthAfrica"             // 600-626
	RegionMiddleEast     = "MiddleEast"              // 630-698
	RegionSouthAsia      = "SouthAsia"               // 700, 750-799
	RegionEastAsia       = "EastAsia"                // 706-749
	RegionSoutheastAsia  = "SoutheastAsia"           // 800-899
	RegionOceania        = "Oceania"                 // 900-990
)

// Region maps a COW country code to the region the importer assigns.
func Region(ccode int) string {
	switch {
	case ccode >= 2 && ccode <= 20:
		return RegionNorthAmerica
	case ccode >= 31 && ccode <= 99:
		return RegionCaribbean
	case ccode >= 100 && ccode <= 165:
		return RegionSouthAmerica
	case ccode == 359 || (ccode >= 365 && ccode <= 373) || (ccode >= 701 && ccode <= 705):
		return RegionFormerSoviet
	case ccode >= 200 && ccode <= 399:
		return RegionEurope
	case ccode == 403 || ccode == 411 || (ccode >= 471 && ccode <= 499):
		return RegionCentralAfrica
	case ccode >= 400 && ccode <= 470:
		return RegionWestAfrica
	case ccode >= 500 && ccode <= 539:
		return RegionEastAfrica
	case ccode >= 540 && ccode <= 599:
		return RegionSouthernAfrica
	case ccode >= 600 && ccode <= 626:
		return RegionNorthAfrica
	case ccode >= 630 && ccode <= 698:
		return RegionMiddleEast
	case ccode == 700 || (ccode >= 750 && ccode <= 799):
		return RegionSouthAsia
	case ccode >= 706 && ccode <= 749:
		return RegionEastAsia
	case ccode >= 800 && ccode <= 899:
		return RegionSoutheastAsia
	case ccode >= 900 && ccode <= 990:
		return RegionOceania
	}
	return "Other"
}

// table is a CSV file read with its header checked; rows carry line numbers.
type table struct {
	file  string
	lines []int
	rows  [][]string
}

func readTable(fsys fs.FS, dir, name string, header []string) (*table, error) {
	var f io.ReadCloser
	var err error
	var path string
	if fsys != nil {
		path = "data/" + name
		f, err = fsys.Open(path)
		path = "embedded:" + path
	} else {
		path = filepath.Join(dir, name)
		f, err = os.Open(path)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("cdm: %s: file missing (is --data the folder of the CDM panel? see its README.md)", path)
		}
		return nil, fmt.Errorf("cdm: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	t := &table{file: path}
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("cdm: %s:%d: %v (want %d fields: %s)", path, pe.Line, pe.Err, len(header), strings.Join(header, ","))
			}
			return nil, fmt.Errorf("cdm: %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			for i, h := range header {
				if strings.TrimSpace(rec[i]) != h {
					return nil, fmt.Errorf("cdm: %s:%d: header %q, want %q", path, line, strings.Join(rec, ","), strings.Join(header, ","))
				}
			}
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		t.lines = append(t.lines, line)
		t.rows = append(t.rows, rec)
	}
	if first {
		return nil, fmt.Errorf("cdm: %s: empty file (want header %s)", path, strings.Join(header, ","))
	}
	return t, nil
}

func (t *table) errf(k int, format string, args ...any) error {
	return fmt.Errorf("cdm: %s:%d: %s", t.file, t.lines[k], fmt.Sprintf(format, args...))
}

func (t *table) int(k, col int, what string) (int, error) {
	v, err := strconv.Atoi(t.rows[k][col])
	if err != nil {
		return 0, t.errf(k, "%s %q is not a whole number", what, t.rows[k][col])
	}
	return v, nil
}

func (t *table) float(k, col int, what string, lo, hi float64) (float64, error) {
	v, err := strconv.ParseFloat(t.rows[k][col], 64)
	if err != nil || !(v >= lo && v <= hi) { // (NaN fails both)
		return 0, t.errf(k, "%s %q is not a number in [%g, %g]", what, t.rows[k][col], lo, hi)
	}
	return v, nil
}

// ReadPanel reads the CDM panel from a folder holding its files (see
// data/README.md), or, for dir == "" (DefaultDir), from the copy embedded
// in the binary. Missing files and malformed lines are errors naming the
// file and line.
func ReadPanel(dir string) (*Panel, error) {
	var fsys fs.FS
	if dir == "" {
		fsys = embedded
	}
	return readPanel(fsys, dir)
}

// EmbeddedFile returns one file of the embedded panel (e.g. for the
// scenario generator's CINC lookup).
func EmbeddedFile(name string) ([]byte, error) { return embedded.ReadFile(path.Join("data", name)) }

func readPanel(fsys fs.FS, dir string) (*Panel, error) {
	p := &Panel{Dir: dir, index: map[string]int{}}
	if fsys != nil {
		p.Dir = Embedded
	}
	nodes, err := readTable(fsys, dir, NodesFile, []string{"year", "stateabb", "polity", "cinc"})
	if err != nil {
		return nil, err
	}
	if len(nodes.rows) == 0 {
		return nil, fmt.Errorf("cdm: %s: no rows", nodes.file)
	}
	years := make([]int, len(nodes.rows))
	p.First, p.Last = 1<<30, -1<<30
	for k := range nodes.rows {
		y, err := nodes.int(k, 0, "year")
		if err != nil {
			return nil, err
		}
		years[k] = y
		p.First, p.Last = min(p.First, y), max(p.Last, y)
		abb := nodes.rows[k][1]
		if abb == "" {
			return nil, nodes.errf(k, "empty stateabb")
		}
		if _, ok := p.index[abb]; !ok {
			p.index[abb] = len(p.States)
			p.States = append(p.States, abb)
		}
	}
	if p.First < 0 || p.Last > 10000 || p.Last-p.First > 500 { // (bounded first: the difference cannot overflow)
		return nil, fmt.Errorf("cdm: %s: years %d..%d: not a yearly panel", nodes.file, p.First, p.Last)
	}
	n := len(p.States)
	p.Attr = make([][]StateYear, p.Years())
	seen := make([][]bool, p.Years())
	for t := range p.Attr {
		p.Attr[t] = make([]StateYear, n)
		seen[t] = make([]bool, n)
	}
	for k := range nodes.rows {
		t, i := years[k]-p.First, p.index[nodes.rows[k][1]]
		if seen[t][i] {
			return nil, nodes.errf(k, "state %s appears twice in %d", p.States[i], years[k])
		}
		seen[t][i] = true
		pol, err := nodes.float(k, 2, "polity", -10, 10)
		if err != nil {
			return nil, err
		}
		cinc, err := nodes.float(k, 3, "cinc", 0, 1)
		if err != nil {
			return nil, err
		}
		p.Attr[t][i] = StateYear{Polity: pol, CINC: cinc}
	}
	for t := range seen {
		for i, ok := range seen[t] {
			if !ok {
				return nil, fmt.Errorf("cdm: %s: state %s has no row for %d (the panel must be balanced)", nodes.file, p.States[i], p.First+t)
			}
		}
	}

	if p.Alliances, err = p.readYearEdges(fsys, dir, AlliancesFile); err != nil {
		return nil, err
	}
	if p.MIDs, err = p.readYearEdges(fsys, dir, MIDsFile); err != nil {
		return nil, err
	}
	cont, err := readTable(fsys, dir, ContiguityFile, []string{"state1", "state2"})
	if err != nil {
		return nil, err
	}
	for k := range cont.rows {
		e, err := p.edge(cont, k, 0)
		if err != nil {
			return nil, err
		}
		p.Contiguity = append(p.Contiguity, e)
	}
	p.Contiguity = sortEdges(p.Contiguity)

	states, err := readTable(fsys, dir, StatesFile, []string{"ccode", "stateabb", "statenme", "styear", "endyear"})
	if err != nil {
		return nil, err
	}
	p.Names = make([]string, n)
	p.Codes = make([]int, n)
	p.Spells = make([][][2]int, n)
	for k := range states.rows {
		i := p.Index(states.rows[k][1])
		if i < 0 {
			continue
		}
		code, err := states.int(k, 0, "ccode")
		if err != nil {
			return nil, err
		}
		from, err := states.int(k, 3, "styear")
		if err != nil {
			return nil, err
		}
		to, err := states.int(k, 4, "endyear")
		if err != nil {
			return nil, err
		}
		if to < from {
			return nil, states.errf(k, "spell %d-%d ends before it starts", from, to)
		}
		p.Codes[i] = code
		p.Names[i] = states.rows[k][2] // later spells win
		p.Spells[i] = append(p.Spells[i], [2]int{from, to})
	}
	for i, name := range p.Names {
		if name == "" {
			return nil, fmt.Errorf("cdm: %s: state %s of %s is not listed", states.file, p.States[i], nodes.file)
		}
	}
	return p, nil
}

func (p *Panel) edge(t *table, k, col int) (Edge, error) {
	a, b := p.Index(t.rows[k][col]), p.Index(t.rows[k][col+1])
	if a < 0 || b < 0 {
		bad := t.rows[k][col]
		if a >= 0 {
			bad = t.rows[k][col+1]
		}
		return Edge{}, t.errf(k, "unknown state %q (not in %s)", bad, NodesFile)
	}
	if a == b {
		return Edge{}, t.errf(k, "self-tie %s-%s", t.rows[k][col], t.rows[k][col])
	}
	if a > b {
		a, b = b, a
	}
	return Edge{a, b}, nil
}

func (p *Panel) readYearEdges(fsys fs.FS, dir, name string) ([][]Edge, error) {
	t, err := readTable(fsys, dir, name, []string{"year", "state1", "state2"})
	if err != nil {
		return nil, err
	}
	out := make([][]Edge, p.Years())
	for k := range t.rows {
		y, err := t.int(k, 0, "year")
		if err != nil {
			return nil, err
		}
		if !p.Has(y) {
			return nil, t.errf(k, "year %d outside the panel's %d..%d", y, p.First, p.Last)
		}
		e, err := p.edge(t, k, 1)
		if err != nil {
			return nil, err
		}
		out[y-p.First] = append(out[y-p.First], e)
	}
	for i := range out {
		out[i] = sortEdges(out[i])
	}
	return out, nil
}

// sortEdges sorts and removes duplicate pairs (the MID file is symmetrised).
func sortEdges(es []Edge) []Edge {
	slices.SortFunc(es, func(x, y Edge) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	return slices.Compact(es)
}
