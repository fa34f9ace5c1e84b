package sim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestModelDescriptionMapsOntoTheCode checks docs/MODEL.md's table "Where
// to find a mechanism" against the package: every file it names exists in
// sim/, and every function it names is declared in one of the files of its
// row, so a mechanism moved or renamed without the description fails here.
// The submodel headings of section 7 are checked the same way.
func TestModelDescriptionMapsOntoTheCode(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "MODEL.md"))
	if err != nil {
		t.Fatal(err)
	}
	decls := declsByFile(t)
	tick := regexp.MustCompile("`([^`]+)`")

	check := func(where string, files, funcs []string) {
		t.Helper()
		if len(files) == 0 {
			t.Errorf("%s: no file named", where)
		}
		for _, f := range files {
			if _, ok := decls[f]; !ok {
				t.Errorf("%s: file %s is not in sim/", where, f)
			}
		}
		for _, fn := range funcs {
			name := fn[strings.LastIndex(fn, ".")+1:] // Sim.Step, Profile.At: the method
			found := false
			for _, f := range files {
				if decls[f][name] {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %s is declared in none of %v", where, fn, files)
			}
		}
	}

	// the table
	text := string(doc)
	start := strings.Index(text, "## Where to find a mechanism")
	if start < 0 {
		t.Fatal(`docs/MODEL.md has no section "Where to find a mechanism"`)
	}
	rows := 0
	for _, line := range strings.Split(text[start:], "\n")[1:] {
		if strings.HasPrefix(line, "## ") {
			break
		}
		cells := strings.Split(line, "|")
		if len(cells) != 5 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") || strings.TrimSpace(cells[2]) == "file" {
			continue
		}
		rows++
		check("row "+strings.TrimSpace(cells[1]), names(tick, cells[2]), names(tick, cells[3]))
	}
	if rows < 20 {
		t.Fatalf("read %d rows of the table; want every mechanism", rows)
	}

	// the submodel headings: ### 7.N Title (`file.go` `fn`, ...; `other.go` ...)
	heading := regexp.MustCompile(`(?m)^### 7\.\d+ [^(\n]*\((.*)\)$`)
	hs := heading.FindAllStringSubmatch(text, -1)
	if len(hs) < 10 {
		t.Fatalf("found %d submodel headings in section 7", len(hs))
	}
	for _, h := range hs {
		var files, funcs []string
		for _, n := range names(tick, h[1]) {
			for _, w := range strings.Fields(strings.Trim(n, ":,")) {
				w = strings.Trim(w, ":,")
				if strings.HasSuffix(w, ".go") {
					files = append(files, w)
				} else {
					funcs = append(funcs, w)
				}
			}
		}
		check(strings.TrimSpace(h[0]), files, funcs)
	}
}

func names(re *regexp.Regexp, cell string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// declsByFile lists the top-level functions, methods and types of each
// non-test file of the package.
func declsByFile(t *testing.T) map[string]map[string]bool {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]map[string]bool{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				m[d.Name.Name] = true
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						m[sp.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							m[n.Name] = true
						}
					}
				}
			}
		}
		out[p] = m
	}
	return out
}
