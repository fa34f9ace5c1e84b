// Command knockout prints the knock-out table of the model (issue 11, item
// 4): every parameter in turn at its neutral value (the value that switches
// its mechanism off), and which tests then fail: the mechanism tests of sim
// (go test -run TestMechanism ./sim, with ENTENTE_TEST_NEUTRAL=NAME) and the
// stylised facts and plausibility guards that hold at the defaults. A
// mechanism without a failing test is marked.
//
//	go run ./scenarios/facts/knockout > docs/knockout.md   (make knockout)
//
// It runs from the repository's root (it calls go test on ./sim) and takes
// several minutes.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/entente/entente/scenarios/facts"
	"github.com/entente/entente/sim"
)

func main() {
	only := flag.String("only", "", "comma-separated parameters to knock out (default: all)")
	flag.Parse()
	if err := run(*only); err != nil {
		fmt.Fprintln(os.Stderr, "knockout:", err)
		os.Exit(1)
	}
}

// failingMechanismTests runs the mechanism tests of sim with the parameter
// neutral and returns the names of those that fail.
func failingMechanismTests(name string) ([]string, error) {
	cmd := exec.Command("go", "test", "-count=1", "-json", "-run", "TestMechanism", "./sim")
	cmd.Env = append(os.Environ(), "ENTENTE_TEST_NEUTRAL="+name)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	var failed []string
	passed := 0
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev struct{ Action, Test string }
		if json.Unmarshal(sc.Bytes(), &ev) != nil || ev.Test == "" || strings.Contains(ev.Test, "/") {
			continue
		}
		switch ev.Action {
		case "fail":
			failed = append(failed, ev.Test)
		case "pass":
			passed++
		}
	}
	if err != nil && len(failed) == 0 {
		return nil, fmt.Errorf("go test with ENTENTE_TEST_NEUTRAL=%s: %v", name, err)
	}
	if passed+len(failed) == 0 {
		return nil, fmt.Errorf("go test with ENTENTE_TEST_NEUTRAL=%s ran no mechanism test (run from the repository's root)", name)
	}
	slices.Sort(failed)
	return failed, nil
}

func run(only string) error {
	base := sim.DefaultParams()
	specs := sim.ParamSpecs
	if only != "" {
		specs = nil
		for _, n := range strings.Split(only, ",") {
			s, ok := sim.LookupParam(n)
			if !ok {
				return fmt.Errorf("-only: no parameter %q", n)
			}
			specs = append(specs, *s)
		}
	}
	start := time.Now()
	fmt.Printf("# Knock-out table\n\n")
	fmt.Printf("Each parameter in turn at its neutral value (the value that switches its mechanism off), everything else at the defaults; the tests that then fail. Mechanism tests: `ENTENTE_TEST_NEUTRAL=NAME go test -run TestMechanism ./sim`; facts and guards: those that hold at the defaults (scenarios/facts, seed 1, the tests' replicates). Made by `go run ./scenarios/facts/knockout` (`make knockout`).\n\n")
	fmt.Printf("| parameter | default | neutral | basis | mechanism tests that fail | facts and guards that vanish |\n|---|---|---|---|---|---|\n")
	uncovered := 0
	var constants []string
	for i := range specs {
		s := &specs[i]
		def := s.Get(&base)
		fmt.Fprintf(os.Stderr, "knockout: %s (%d/%d, %s elapsed)\n", s.Name, i+1, len(specs), time.Since(start).Round(time.Second))
		mech, err := failingMechanismTests(s.Name)
		if err != nil {
			return err
		}
		p := base
		s.Set(&p, s.Neutral)
		var vanish []string
		for _, f := range facts.All {
			if !facts.AtDefaults[f.Name] {
				continue
			}
			r, err := f.Check(p, f.Reps, 1)
			if err != nil {
				return err
			}
			if !r.Holds {
				vanish = append(vanish, f.Name)
			}
		}
		for _, g := range facts.Guards {
			if !facts.AtDefaults[g.Name] {
				continue
			}
			r, err := g.Check(p, g.Reps, 1)
			if err != nil {
				return err
			}
			if !r.Holds {
				vanish = append(vanish, "guard: "+g.Name)
			}
		}
		note := ""
		design := s.Basis == sim.Design && def == s.Neutral
		switch {
		case design:
			note = " (design constant)"
		case def == s.Neutral:
			note = " (off by default)"
		}
		cell := func(xs []string) string {
			if len(xs) == 0 {
				return "—"
			}
			return strings.Join(xs, ", ")
		}
		if len(mech) == 0 && len(vanish) == 0 {
			if design {
				constants = append(constants, s.Name)
			} else {
				uncovered++
				note += " **no test fails**"
			}
		}
		fmt.Printf("| %s%s | %g | %g | %s | %s | %s |\n", s.Name, note, def, s.Neutral, s.Basis, cell(mech), cell(vanish))
	}
	fmt.Printf("\n%d of %d parameters without a failing test (a mechanism off by default is knocked out of its own test's comparison).", uncovered, len(specs)-len(constants))
	if len(constants) > 0 {
		fmt.Printf(" Not counted: %s, design constants whose neutral value is their value (nothing to switch off; their own tests check them at it).", strings.Join(constants, ", "))
	}
	fmt.Printf(" %s.\n", time.Since(start).Round(time.Second))
	return nil
}
