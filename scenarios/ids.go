package scenarios

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The safe sets of the names a scenario gives. They reach file names,
// dotted override keys, CSV, XML and HTML, and a terminal: nothing in them
// may leave a folder, break a key, or hide or reorder text.
//
//   - IDs (actor ids, threat names, regions): ASCII letters, digits, - and _,
//     starting with a letter or digit, at most MaxIDLen characters.
//   - Names (the scenario's name, group names, actor names): letters and
//     digits of any script, combining marks, single spaces inside, the
//     marks - _ ' ’ & ( ) + , (and . except in group names, which override
//     keys address by name), at most MaxNameLen characters. No / \ < > : = or
//     other punctuation, no leading . or space.
//   - Text (description, notes): printable characters, line breaks and
//     tabs, at most MaxTextLen characters.
//
// None of them may hold control characters, NUL, invisible format
// characters or bidirectional controls (such as U+202E, which reverses the
// text after it), or be invalid UTF-8.
const (
	MaxIDLen   = 64
	MaxNameLen = 120
	MaxTextLen = 10_000
)

const idHint = "use ASCII letters, digits, - and _ (at most 64), starting with a letter or digit"

// idProblem is what is wrong with an id, or "".
func idProblem(s string) string {
	if s == "" {
		return "empty"
	}
	if len(s) > MaxIDLen {
		return fmt.Sprintf("%d characters, at most %d", len(s), MaxIDLen)
	}
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		case (r == '-' || r == '_') && i > 0:
		default:
			return "holds " + runeName(r)
		}
	}
	return ""
}

// nameProblem is what is wrong with a name, or ""; dot says whether it may
// hold a full stop.
func nameProblem(s string, dot bool) string {
	if strings.TrimSpace(s) == "" {
		return "empty"
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	if n := utf8.RuneCountInString(s); n > MaxNameLen {
		return fmt.Sprintf("%d characters, at most %d", n, MaxNameLen)
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return "has leading, trailing or double spaces"
	}
	if s[0] == '.' {
		return "starts with ."
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == ' ':
		case strings.ContainsRune("-_'’&()+,", r):
		case r == '.' && dot:
		default:
			return "holds " + runeName(r)
		}
	}
	return ""
}

// textProblem is what is wrong with free text, or "".
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	if n := utf8.RuneCountInString(s); n > MaxTextLen {
		return fmt.Sprintf("%d characters, at most %d", n, MaxTextLen)
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && r != '\r' && !unicode.IsPrint(r) && r != '\u00a0' {
			return "holds " + runeName(r)
		}
	}
	return ""
}

// runeName names a character in an error message without printing it raw.
func runeName(r rune) string {
	switch {
	case r == 0:
		return "a NUL character"
	case r == utf8.RuneError:
		return "invalid UTF-8"
	case isBidi(r):
		return fmt.Sprintf("the bidirectional control U+%04X", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("the invisible format character U+%04X", r)
	case unicode.IsControl(r):
		return fmt.Sprintf("the control character U+%04X", r)
	case unicode.IsSpace(r):
		return fmt.Sprintf("white space (U+%04X)", r)
	case r < utf8.RuneSelf:
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("%q (U+%04X)", r, r)
}

func isBidi(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// nameHint is the hint for a bad name.
func nameHint(dot bool) string {
	if dot {
		return "use letters, digits, spaces and - _ ' & ( ) + , . (at most 120)"
	}
	return "use letters, digits, spaces and - _ ' & ( ) + , (at most 120)"
}

// id decodes an id (see idProblem); what names it in the error.
func (d *decoder) id(n *yaml.Node, path, what string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if bad := idProblem(s); bad != "" {
		d.add(d.res(n), path, idHint, "invalid %s %q: %s", what, s, bad)
		return "", false
	}
	return s, true
}

// name decodes a name (see nameProblem).
func (d *decoder) name(n *yaml.Node, path string, dot bool) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if bad := nameProblem(s, dot); bad != "" {
		d.add(d.res(n), path, nameHint(dot), "invalid name %q: %s", s, bad)
		return "", false
	}
	return s, true
}

// text decodes free text (see textProblem).
func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if bad := textProblem(s); bad != "" {
		d.add(d.res(n), path, "", "invalid text: %s", bad)
		return "", false
	}
	return s, true
}

// metricProblemAt reports an unknown metric of outputs.metrics; true when
// it did.
func metricProblemAt(d *decoder, n *yaml.Node, path, name string) bool {
	msg, fix := metricProblem(name)
	if msg == "" {
		return false
	}
	d.add(d.res(n), path, fix, "%s", msg)
	return true
}

// safeName is a scenario name taken from a file name (when the file gives
// none), with what a name may not hold replaced by _.
func safeName(s string) string {
	if nameProblem(s, true) == "" {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_", r) || (r == '.' && i > 0)
		if !ok {
			r = '_'
		}
		b.WriteRune(r)
		if b.Len() >= MaxNameLen {
			break
		}
	}
	if b.Len() == 0 {
		return "scenario"
	}
	return b.String()
}
