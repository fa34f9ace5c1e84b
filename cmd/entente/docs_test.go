package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/sim"
)

// docs/MODEL.md carries the parameter table exactly as the code states it
// (entente list parameters --markdown): defaults, ranges, neutral values,
// plausible ranges, bases and sources.
func TestModelDescriptionHasTheParameterTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "MODEL.md"))
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- parameters:begin (generated: entente list parameters --markdown) -->", "<!-- parameters:end -->"
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("docs/MODEL.md lacks the markers %q ... %q around the parameter table", begin, end)
	}
	var want bytes.Buffer
	if err := sim.WriteParamTable(&want); err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(doc[i+len(begin) : j])
	if got != strings.TrimSpace(want.String()) {
		t.Errorf("docs/MODEL.md's parameter table differs from the code: regenerate it with 'go run ./cmd/entente list parameters --markdown' between the markers")
	}
}
