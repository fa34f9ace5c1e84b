package classroom

import (
	"bytes"
	"fmt"
)

// Uploaded scenarios are checked by a cheap scan before the YAML parser
// (which costs some 60 bytes of memory per byte of input, several hundred
// per value) and the engine see them: the scan counts the YAML values and
// the items of the top-level actors, ties and groups lists without
// building anything, and refuses aliases (*name), which would let a small
// file expand into a large world.

// scanStats is what the scan found.
type scanStats struct {
	Values int // scalars, flow collections, sequence items and explicit keys: the YAML nodes are at most 2×Values+2
	Actors int // items of the top-level actors list
	Ties   int
	Groups int
	Line   int // line of the first alias, when Alias
	Alias  bool
}

// scanLimits bound an upload.
type scanLimits struct {
	Values, Actors, Ties, Groups int
}

// scanError is a located refusal of an upload.
type scanError struct {
	Line int
	Path string
	Msg  string
	Hint string
}

func (e *scanError) Error() string {
	s := e.Msg
	if e.Line > 0 {
		s = fmt.Sprintf("line %d: %s", e.Line, s)
	}
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// checkUpload scans data and refuses it when it passes a limit.
func checkUpload(data []byte, lim scanLimits) (scanStats, error) {
	st := prescanYAML(data)
	switch {
	case st.Alias:
		return st, &scanError{Line: st.Line, Msg: "aliases (*name) are not accepted in an uploaded scenario",
			Hint: "write the repeated values out in full"}
	case st.Actors > lim.Actors:
		return st, &scanError{Path: "actors", Msg: fmt.Sprintf("the scenario has %d actors; classroom mode takes at most %d", st.Actors, lim.Actors),
			Hint: "run larger worlds with `entente run`"}
	case st.Ties > lim.Ties:
		return st, &scanError{Path: "ties", Msg: fmt.Sprintf("the scenario has %d ties; classroom mode takes at most %d", st.Ties, lim.Ties),
			Hint: "run larger worlds with `entente run`"}
	case st.Groups > lim.Groups:
		return st, &scanError{Path: "groups", Msg: fmt.Sprintf("the scenario has %d groups; classroom mode takes at most %d", st.Groups, lim.Groups),
			Hint: "run larger worlds with `entente run`"}
	case st.Values > lim.Values:
		return st, &scanError{Msg: fmt.Sprintf("the scenario holds %d values; classroom mode takes at most %d", st.Values, lim.Values),
			Hint: "run larger worlds with `entente run`"}
	}
	return st, nil
}

// prescanYAML counts without allocating. It follows the YAML syntax far
// enough to be exact on ordinary scenario files (block and flow style,
// quoted and block scalars, comments); on exotic ones it overcounts
// values, never undercounts them.
func prescanYAML(data []byte) scanStats {
	var st scanStats
	var (
		line       = 1
		section    []byte // current top-level key
		itemIndent = -1   // indentation of the section's block sequence items
		flow       = 0    // depth of [ and {
		flowItem   bool   // a depth-1 flow item of the section has begun
		quote      byte   // inside a quoted scalar spanning lines
		blockInd   = -1   // inside a block scalar: lines indented more than this
	)
	count := func() {
		switch string(section) {
		case "actors":
			st.Actors++
		case "ties":
			st.Ties++
		case "groups":
			st.Groups++
		}
	}
	for len(data) > 0 {
		var ln []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			ln, data = data[:i], data[i+1:]
		} else {
			ln, data = data, nil
		}
		ln = bytes.TrimSuffix(ln, []byte{'\r'})
		ind := 0
		for ind < len(ln) && ln[ind] == ' ' {
			ind++
		}
		blank := ind == len(ln) || ln[ind] == '#' && quote == 0
		if blockInd >= 0 {
			if blank || ind > blockInd {
				line++
				continue
			}
			blockInd = -1
		}
		if blank && quote == 0 {
			line++
			continue
		}
		i := ind
		if quote == 0 && flow == 0 {
			rest := ln[ind:]
			switch {
			case ind == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) && (len(rest) == 3 || rest[3] == ' '):
				section, itemIndent = nil, -1
				i = 3
			case ind == 0 && rest[0] == '%':
				line++
				continue
			case rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ' || rest[1] == '\t'):
				if section != nil && (itemIndent < 0 || ind == itemIndent) {
					if itemIndent < 0 {
						itemIndent = ind
					}
					count()
				}
			case ind == 0:
				// a top-level key (plain or quoted) starts a section
				key := rest
				if k := keyEnd(rest); k >= 0 {
					key = bytes.Trim(rest[:k], `"' `)
				}
				section, itemIndent = key, -1
			}
		}
		// Tokens of the line.
		for i < len(ln) {
			c := ln[i]
			if quote != 0 {
				j := i
				for j < len(ln) {
					if quote == '"' && ln[j] == '\\' {
						j += 2
						continue
					}
					if ln[j] == quote {
						if quote == '\'' && j+1 < len(ln) && ln[j+1] == '\'' {
							j += 2
							continue
						}
						break
					}
					j++
				}
				if j >= len(ln) {
					i = len(ln)
					break
				}
				quote = 0
				i = j + 1
				continue
			}
			switch {
			case c == ' ' || c == '\t':
				i++
			case c == '#' && (i == 0 || ln[i-1] == ' ' || ln[i-1] == '\t'):
				i = len(ln)
			case c == '[' || c == '{':
				st.Values++
				if flow == 0 && itemIndent < 0 && section != nil {
					flowItem = false
				}
				flow++
				i++
			case c == ']' || c == '}':
				if flow > 0 {
					flow--
				}
				i++
			case c == ',':
				if flow == 1 {
					flowItem = false
				}
				i++
			case c == ':' && (i+1 == len(ln) || ln[i+1] == ' ' || ln[i+1] == '\t' || flow > 0):
				i++
			case (c == '-' && flow == 0 || c == '?') && (i+1 == len(ln) || ln[i+1] == ' ' || ln[i+1] == '\t'):
				st.Values++ // a block sequence item or an explicit key: a node, perhaps empty
				i++
			case c == '&' || c == '!':
				for i < len(ln) && ln[i] != ' ' && ln[i] != '\t' && !(flow > 0 && isFlowIndicator(ln[i])) {
					i++
				}
			case c == '*':
				if !st.Alias {
					st.Alias, st.Line = true, line
				}
				i++
			case (c == '|' || c == '>') && flow == 0:
				// the scalar's lines are those indented more than the node
				// that owns it: the key after the line's sequence markers
				// ("- note: |": the key's column, not the dash's), or the
				// line's own indentation (then later sibling keys of the
				// item would be skipped as text, and undercounted)
				blockInd = ind
				for j := ind; j+1 < len(ln) && ln[j] == '-' && (ln[j+1] == ' ' || ln[j+1] == '\t'); {
					j++
					for j < len(ln) && (ln[j] == ' ' || ln[j] == '\t') {
						j++
					}
					blockInd = j
				}
				i = len(ln)
				st.Values++
			default:
				st.Values++
				if flow == 1 && !flowItem && section != nil && itemIndent < 0 {
					flowItem = true
					count()
				}
				if c == '"' || c == '\'' {
					quote = c
					i++
					continue
				}
				// a plain scalar: to ": ", " #", the end of the line or (in
				// flow) a flow indicator
				for i < len(ln) {
					d := ln[i]
					if d == ':' && (i+1 == len(ln) || ln[i+1] == ' ' || ln[i+1] == '\t' || flow > 0 && isFlowIndicator(ln[i+1])) {
						break
					}
					if d == '#' && (ln[i-1] == ' ' || ln[i-1] == '\t') {
						break
					}
					if flow > 0 && isFlowIndicator(d) {
						break
					}
					i++
				}
			}
			// a flow collection that opens a depth-1 item counts it too
			if flow == 2 && c == '{' || flow == 2 && c == '[' {
				if !flowItem && section != nil && itemIndent < 0 {
					flowItem = true
					count()
				}
			}
		}
		line++
	}
	return st
}

func isFlowIndicator(c byte) bool { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}' }

// keyEnd returns the index of the ':' that ends a mapping key at the start
// of b, or -1.
func keyEnd(b []byte) int {
	q := byte(0)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == ':' && (i+1 == len(b) || b[i+1] == ' ' || b[i+1] == '\t'):
			return i
		case c == '#' && i > 0 && b[i-1] == ' ':
			return -1
		}
	}
	return -1
}

// defaultScanLimits bound an upload: generous for a classroom world (the
// largest built-in, 82 actors, holds some 4,000 values), small enough that
// the parse stays within a few tens of megabytes.
var defaultScanLimits = scanLimits{Values: 40000, Actors: 300, Ties: 3000, Groups: 300}
