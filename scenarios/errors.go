package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"github.com/entente/entente/sim"
)

// Error is one problem in a scenario file, located by line and field path.
type Error struct {
	File string // file name as given to Parse, or "builtin:NAME"
	Line int    // 1-based line in the file; 0 when unknown (e.g. a value set by an override)
	Path string // field path such as "ties[3].b" or "parameters.temperature"; empty for the whole file
	Msg  string // what is wrong
	Hint string // how to fix it, e.g. "did you mean ASEAN?"; may be empty
}

func (e *Error) Error() string { return "scenarios: " + e.text() }

// text is the error without the package prefix.
func (e *Error) text() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Path != "" {
		b.WriteString(": ")
		b.WriteString(e.Path)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Errors is every problem found in one scenario file, in file order.
type Errors struct {
	File string
	List []*Error
}

func (e *Errors) Error() string {
	if len(e.List) == 1 {
		return e.List[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "scenarios: %d errors in %s:", len(e.List), e.File)
	for _, x := range e.List {
		b.WriteString("\n  ")
		b.WriteString(x.text())
	}
	return b.String()
}

// Unwrap returns the individual errors (each an *Error), for errors.As.
func (e *Errors) Unwrap() []error {
	out := make([]error, len(e.List))
	for i, x := range e.List {
		out[i] = x
	}
	return out
}

// sortErrors orders errors by line (unknown lines last), keeping discovery
// order otherwise.
func sortErrors(list []*Error) {
	sort.SliceStable(list, func(i, j int) bool {
		li, lj := list[i].Line, list[j].Line
		if li == 0 {
			li = 1 << 30
		}
		if lj == 0 {
			lj = 1 << 30
		}
		return li < lj
	})
}

// closest returns the candidate nearest to s, or "" (see sim.Closest).
func closest(s string, cands []string) string { return sim.Closest(s, cands) }

// hint is "did you mean X?" for the closest candidate, or a list of the
// allowed values when there are few of them.
func hint(s string, cands []string) string {
	if c := closest(s, cands); c != "" {
		return fmt.Sprintf("did you mean %s?", c)
	}
	if len(cands) > 0 && len(cands) <= 12 {
		return "want one of " + strings.Join(cands, ", ")
	}
	return ""
}
