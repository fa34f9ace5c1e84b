// Command gen regenerates the derived parts of the built-in scenarios.
//
// The built-in YAML files under scenarios/builtin are the committed product;
// this program documents where their numbers come from and keeps the derived
// files consistent with baseline.yaml.
//
//	go run ./scenarios/internal/gen cinc [-data DIR] [ABB ...]
//
// prints the Correlates of War CINC score (National Material Capabilities,
// latest year available) of each COW state abbreviation, and the summed CINC
// of the organisations whose member states are not actors of the baseline
// (SICA, CARICOM).
//
//	go run ./scenarios/internal/gen sync [-dir scenarios/builtin]
//
// copies the world block of baseline.yaml (the lines between the
// "# @world-begin" and "# @world-end" markers: actors, ties, groups) into
// every other built-in file that carries the same markers.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// baselineStates are the states of baseline.yaml, by COW abbreviation.
var baselineStates = strings.Fields(`USA CAN MEX BRA ARG CHL BOL COL PER VEN
UKG FRN GMY ITA SPN NTH POL NOR DEN FIN SWD EST LAT LIT TUR
RUS BLR ARM KZK
CHN TAW JPN ROK PRK PHI INS DRV SIN MAL THI AUL NEW IND PAK
IRN SAU UAE QAT ISR EGY IRQ JOR MOR ALG
NIG GHA SAF ETH KEN`)

// memberless organisations: COW codes of their member states (not actors of
// the baseline), whose CINC scores are summed into the organisation's own
// capability.
var memberless = []struct {
	name   string
	ccodes []int
}{
	// SICA: Belize, Costa Rica, Dominican Republic, El Salvador, Guatemala, Honduras, Nicaragua, Panama
	{"SICA", []int{80, 94, 42, 92, 90, 91, 93, 95}},
	// CARICOM full members (sovereign states)
	{"CARICOM", []int{58, 31, 53, 80, 54, 55, 110, 41, 51, 60, 56, 57, 115, 52}},
}

func run(out io.Writer, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: gen cinc|sync [flags]")
	}
	switch args[0] {
	case "cinc":
		fs := flag.NewFlagSet("cinc", flag.ContinueOnError)
		data := fs.String("data", "/work/shared/data/empirical", "directory with cow_nmc_cinc.csv and cow_states_2016.csv")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		abbs := fs.Args()
		if len(abbs) == 0 {
			abbs = baselineStates
		}
		return cinc(out, *data, abbs)
	case "sync":
		fs := flag.NewFlagSet("sync", flag.ContinueOnError)
		dir := fs.String("dir", "scenarios/builtin", "directory of the built-in scenarios")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return sync(out, *dir)
	}
	return fmt.Errorf("unknown command %q (want cinc or sync)", args[0])
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

func cinc(out io.Writer, dir string, abbs []string) error {
	states, err := readCSV(filepath.Join(dir, "cow_states_2016.csv"))
	if err != nil {
		return err
	}
	code := map[string]int{}
	for _, r := range states[1:] {
		c, err := strconv.Atoi(r[0])
		if err != nil {
			return fmt.Errorf("cow_states_2016.csv: %v", err)
		}
		code[r[1]] = c
	}
	rows, err := readCSV(filepath.Join(dir, "cow_nmc_cinc.csv"))
	if err != nil {
		return err
	}
	type obs struct {
		year int
		v    float64
	}
	latest := map[int]obs{}
	for _, r := range rows[1:] {
		c, err1 := strconv.Atoi(r[0])
		y, err2 := strconv.Atoi(r[1])
		v, err3 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue // missing values are empty fields
		}
		if o, ok := latest[c]; !ok || y > o.year {
			latest[c] = obs{y, v}
		}
	}
	for _, a := range abbs {
		c, ok := code[a]
		if !ok {
			return fmt.Errorf("unknown COW abbreviation %q", a)
		}
		o, ok := latest[c]
		if !ok {
			return fmt.Errorf("%s (ccode %d): no CINC score", a, c)
		}
		fmt.Fprintf(out, "%s\tccode %d\t%d\tcapability: %.4f\n", a, c, o.year, o.v)
	}
	for _, m := range memberless {
		sum, year := 0.0, 0
		for _, c := range m.ccodes {
			o := latest[c]
			sum += o.v
			year = max(year, o.year)
		}
		fmt.Fprintf(out, "%s\tsum of %d members\t%d\tcapability: %.4f\n", m.name, len(m.ccodes), year, sum)
	}
	return nil
}

const (
	beginMark = "# @world-begin"
	endMark   = "# @world-end"
)

// worldBlock returns the text between the markers (markers included) and
// its offsets.
func worldBlock(b []byte) (start, end int, err error) {
	start = bytes.Index(b, []byte(beginMark))
	end = bytes.Index(b, []byte(endMark))
	if start < 0 || end < start {
		return 0, 0, errors.New("no world block markers")
	}
	return start, end + len(endMark), nil
}

func sync(out io.Writer, dir string) error {
	base, err := os.ReadFile(filepath.Join(dir, "baseline.yaml"))
	if err != nil {
		return err
	}
	s, e, err := worldBlock(base)
	if err != nil {
		return fmt.Errorf("baseline.yaml: %v", err)
	}
	block := base[s:e]
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		if filepath.Base(f) == "baseline.yaml" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		s, e, err := worldBlock(b)
		if err != nil {
			continue // a self-contained world (classroom)
		}
		nb := append(append(append([]byte{}, b[:s]...), block...), b[e:]...)
		if bytes.Equal(nb, b) {
			continue
		}
		if err := os.WriteFile(f, nb, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "updated %s\n", f)
	}
	return nil
}
