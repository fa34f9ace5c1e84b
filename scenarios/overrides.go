package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/entente/entente/sim"
	"go.yaml.in/yaml/v3"
)

// ApplyOverrides applies dotted-key overrides ("parameters.temperature=0.5")
// to a scenario file and returns the edited YAML (comments kept where the
// YAML library keeps them). Parse applies overrides the same way, on the node
// tree before decoding, so the result is validated like any file.
func ApplyOverrides(data []byte, overrides ...string) ([]byte, error) {
	const file = "scenario"
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	d := newDecoder(file)
	for _, ov := range overrides {
		d.override(root, ov)
	}
	if len(d.errs) > 0 {
		return nil, &Errors{File: file, List: d.errs}
	}
	return yaml.Marshal(root)
}

// splitOverride splits "key=value" and trims both sides.
func splitOverride(ov string) (key, val string, ok bool) {
	key, val, ok = strings.Cut(ov, "=")
	return strings.TrimSpace(key), strings.TrimSpace(val), ok && strings.TrimSpace(key) != ""
}

var listKey = map[ctx]string{cActors: "id", cThreats: "name", cGroups: "name"}

var elemCtx = map[ctx]ctx{cActors: cActor, cThreats: cThreat, cGroups: cGroup, cTies: cTie}

var elemWhat = map[ctx]string{cActors: "actor", cThreats: "threat", cGroups: "group", cTies: "tie"}

// override applies one override to the tree rooted at root; problems are
// added to d.errs with the path "--set KEY".
func (d *decoder) override(root *yaml.Node, ov string) {
	key, val, ok := splitOverride(ov)
	where := "--set " + key
	fail := func(hint, format string, a ...any) {
		d.errs = append(d.errs, &Error{File: d.file, Path: where, Msg: fmt.Sprintf(format, a...), Hint: hint})
	}
	if !ok {
		d.errs = append(d.errs, &Error{File: d.file, Path: "--set " + ov, Msg: "want KEY=VALUE", Hint: "e.g. parameters.temperature=0.5"})
		return
	}
	norm := key + "=" + val
	var vdoc yaml.Node
	if err := yaml.Unmarshal([]byte(val), &vdoc); err != nil {
		_, msg := yamlErrorLine(err)
		fail("", "value %q: %s", val, msg)
		return
	}
	v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ""}
	if vdoc.Kind == yaml.DocumentNode && len(vdoc.Content) > 0 {
		v = vdoc.Content[0]
	}
	d.mark(v, norm)
	segs := strings.Split(key, ".")
	if slices.Contains(segs, "") {
		fail("", "empty part in dotted key")
		return
	}
	cur, c, path := root, cTop, ""
	for i, seg := range segs {
		last := i == len(segs)-1
		cur = d.res(cur)
		if cur == nil {
			return
		}
		here := join(path, seg)
		switch c {
		case cActors, cThreats, cGroups, cTies:
			if cur.Kind != yaml.SequenceNode {
				fail("", "%s is not a list", path)
				return
			}
			elem, at, names := d.findElem(cur, c, seg)
			if elem == nil {
				what := elemWhat[c]
				if c == cTies {
					fail(fmt.Sprintf("address a tie by its index, 0 to %d", len(cur.Content)-1), "no tie %s", seg)
				} else {
					fail(hint(seg, names), "no %s %q in %s", what, seg, path)
				}
				return
			}
			if last {
				fail("set one of its fields: "+strings.Join(fieldNames(elemCtx[c]), ", "), "%s is a whole %s", here, elemWhat[c])
				return
			}
			cur, c, path = d.ownAt(cur, at, elem), elemCtx[c], here
		case cRegionMap, cActorMap, cParams:
			if cur.Kind == yaml.ScalarNode && cur.Tag == "!!null" {
				// an empty section, as the loader takes it (owned: ownAt)
				*cur = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: cur.Line, Column: cur.Column}
			}
			if cur.Kind != yaml.MappingNode {
				fail("", "%s is not a mapping", path)
				return
			}
			k := seg
			if c == cParams {
				spec, ok := sim.LookupParam(seg)
				if !ok {
					fail(hint(seg, paramNames()), "unknown parameter %q", seg)
					return
				}
				k = spec.Name
			}
			if !last {
				fail("", "%s is a single value; nothing below it", here)
				return
			}
			d.setKey(cur, k, v, norm, func(existing string) bool {
				if c != cParams {
					return existing == k
				}
				s, ok := sim.LookupParam(existing)
				return ok && s.Name == k
			})
			return
		case cList:
			if cur.Kind == yaml.ScalarNode && cur.Tag == "!!null" {
				*cur = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: cur.Line, Column: cur.Column}
			}
			if cur.Kind != yaml.SequenceNode {
				fail("", "%s is not a list", path)
				return
			}
			j, err := strconv.Atoi(seg)
			if err != nil || j < 0 || j > len(cur.Content) {
				fail(fmt.Sprintf("want an index from 0 to %d", len(cur.Content)), "%s: no element %s", path, seg)
				return
			}
			if !last {
				fail("", "%s is a single value; nothing below it", here)
				return
			}
			if j == len(cur.Content) {
				cur.Content = append(cur.Content, v)
			} else {
				cur.Content[j] = v
			}
			return
		case cScalar:
			fail("", "%s is a single value; nothing below it", path)
			return
		default: // a mapping with a schema
			if c == cProfile && cur.Kind == yaml.ScalarNode && cur.Tag != "!!null" {
				// a constant profile given as a number becomes a mapping
				old := *cur
				*cur = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: old.Line, Column: old.Column}
				cur.Content = []*yaml.Node{d.mark(strNode("shape"), norm), d.mark(strNode("constant"), norm), d.mark(strNode("base"), norm), &old}
			}
			if cur.Kind == yaml.ScalarNode && cur.Tag == "!!null" {
				*cur = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: cur.Line, Column: cur.Column}
			}
			if cur.Kind != yaml.MappingNode {
				fail("", "%s is not a mapping", path)
				return
			}
			fc, ok := lookupField(c, seg)
			if !ok {
				what := "key"
				if path != "" {
					what = "key in " + path
				}
				fail(hint(seg, fieldNames(c)), "unknown %s: %q", what, seg)
				return
			}
			if last {
				if _, isList := listKey[fc]; isList || fc == cTies {
					d.wholeList(fail, d.res(valueOf(cur, seg)), fc, here)
					return
				}
				if fc == cRivalries || fc == cValueChanges {
					if v.Kind == yaml.SequenceNode || v.Tag == "!!null" {
						d.setKey(cur, seg, v, norm, func(existing string) bool { return existing == seg })
						return
					}
					fail(bracketHint(fc, here), "%s is a list of mappings; --set replaces it whole or not at all", here)
					return
				}
				if v.Kind == yaml.ScalarNode && fc != cScalar && fc != cProfile && v.Tag != "!!null" {
					d.notAValue(fail, d.res(valueOf(cur, seg)), fc, here)
					return
				}
				d.setKey(cur, seg, v, norm, func(existing string) bool { return existing == seg })
				return
			}
			if fc == cRivalries || fc == cValueChanges {
				fail(bracketHint(fc, here), "%s is a list whose elements --set cannot address one by one", here)
				return
			}
			child, at := valueAt(cur, seg)
			if child != nil {
				child = d.ownAt(cur, at, child)
			} else {
				switch fc {
				case cActors, cThreats, cGroups, cTies:
					fail("", "the file has no %s", seg)
					return
				case cScalar:
					fail("", "%s is a single value; nothing below it", here)
					return
				case cList:
					child = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
				default:
					child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				}
				d.mark(child, norm)
				cur.Content = append(cur.Content, d.mark(strNode(seg), norm), child)
			}
			cur, c, path = child, fc, here
		}
	}
}

// exampleField is the field an error's example sets in an element of a list.
var exampleField = map[ctx]string{cActors: "capability", cThreats: "intensity", cGroups: "level", cTies: "level"}

// wholeList reports an override of a whole list of actors, threats, groups
// or ties (list, the node in the file, may be nil): --set changes one value,
// so it says how to address one element (by the first one's id, or index)
// and that adding or removing elements takes an edited file.
func (d *decoder) wholeList(fail func(hint, format string, a ...any), list *yaml.Node, fc ctx, here string) {
	what := elemWhat[fc]
	id, by := "NAME", "by its name"
	switch fc {
	case cActors:
		id, by = "ID", "by its id"
	case cTies:
		id, by = "0", "by its index"
	}
	if k, ok := listKey[fc]; ok && list != nil && list.Kind == yaml.SequenceNode {
		for _, e := range list.Content {
			if e = d.res(e); e != nil && e.Kind == yaml.MappingNode {
				if n := valueOf(e, k); n != nil && n.Kind == yaml.ScalarNode && n.Value != "" {
					id = n.Value
					break
				}
			}
		}
	}
	fail(fmt.Sprintf("set a field of one %s, addressed %s, e.g. --set %s.%s.%s=VALUE; to add or remove %ss, edit a copy of the scenario file (the built-ins are scenarios/builtin/NAME.yaml) and run that file",
		what, by, here, id, exampleField[fc], what),
		"%s is the list of %ss: --set changes one value and cannot replace, add or remove %ss", here, what, what)
}

// notAValue reports a single value given to a key whose value is a list of
// values, a map or a section (cur, the node in the file, may be nil).
func (d *decoder) notAValue(fail func(hint, format string, a ...any), cur *yaml.Node, fc ctx, here string) {
	switch fc {
	case cList:
		whole := "[A, B]"
		if cur != nil && cur.Kind == yaml.SequenceNode && len(cur.Content) > 0 {
			var vals []string
			for _, e := range cur.Content {
				if e = d.res(e); e == nil || e.Kind != yaml.ScalarNode {
					vals = nil
					break
				}
				vals = append(vals, e.Value)
			}
			if vals != nil {
				whole = "[" + strings.Join(vals, ", ") + "]"
			}
		}
		fail(fmt.Sprintf("set one element by its index, e.g. --set %s.0=VALUE, or the whole list in brackets, e.g. --set '%s=%s'", here, here, whole),
			"%s is a list of values, not one value", here)
	case cRegionMap, cActorMap:
		what, key := "regions", "REGION"
		if fc == cActorMap {
			what, key = "actors", "ID"
		}
		if cur != nil && cur.Kind == yaml.MappingNode && len(cur.Content) >= 2 {
			key = cur.Content[0].Value
		}
		fail(fmt.Sprintf("set one entry, e.g. --set %s.%s=0.5", here, key), "%s maps %s to numbers, not one number", here, what)
	case cParams:
		fail(fmt.Sprintf("set one parameter, e.g. --set %s.temperature=0.5 (entente list parameters lists them)", here), "%s is the section of model parameters, not a value", here)
	default:
		fail("set one of its fields: "+strings.Join(fieldNames(fc), ", "), "%s is a section, not a value", here)
	}
}

// bracketHint is the hint for rivalries and value changes, lists of
// mappings that --set gives whole.
func bracketHint(fc ctx, here string) string {
	ex := "[{a: ID, b: ID, enmity: 0.5}]"
	if fc == cValueChanges {
		ex = "[{step: 10, values: [0.5, 0.5]}]"
	}
	return fmt.Sprintf("give the whole list in brackets, e.g. --set '%s=%s' (it replaces the file's), or edit a copy of the scenario file and run that file", here, ex)
}

// findElem finds a list element by id/name or index, and its index in
// seq.Content; names lists the ids.
func (d *decoder) findElem(seq *yaml.Node, c ctx, seg string) (*yaml.Node, int, []string) {
	var names []string
	if k, ok := listKey[c]; ok {
		for at, e := range seq.Content {
			e = d.res(e)
			if e == nil || e.Kind != yaml.MappingNode {
				continue
			}
			if idn := valueOf(e, k); idn != nil && idn.Kind == yaml.ScalarNode {
				if idn.Value == seg {
					return e, at, nil
				}
				names = append(names, idn.Value)
			}
		}
	}
	if j, err := strconv.Atoi(seg); err == nil && j >= 0 && j < len(seq.Content) {
		return d.res(seq.Content[j]), j, nil
	}
	slices.Sort(names)
	return nil, -1, names
}

// valueOf is the value of key k in mapping m, or nil.
func valueOf(m *yaml.Node, k string) *yaml.Node {
	v, _ := valueAt(m, k)
	return v
}

// valueAt is valueOf with the value's index in m.Content (-1: none).
func valueAt(m *yaml.Node, k string) (*yaml.Node, int) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i+1], i + 1
		}
	}
	return nil, -1
}

// Copy on write. A Source's tree is shared by every Load (a sweep's
// points load concurrently), so an override must not change it: Load gives
// the decoder the set of nodes it owns (d.owned), and the override's walk
// makes each node it is about to enter or change its own by a shallow copy
// linked into its (owned) parent, sharing everything it does not touch.
// Parse, which owns its tree, leaves d.owned nil and changes the tree in
// place.

// own is n itself if the decoder owns it, else its own shallow copy (the
// content slice copied, the nodes in it shared).
func (d *decoder) own(n *yaml.Node) *yaml.Node {
	if d.owned == nil || d.owned[n] {
		return n
	}
	c := *n
	c.Content = slices.Clone(n.Content)
	d.owned[&c] = true
	return &c
}

// ownAt is own(child) for the node at parent.Content[at] (parent owned),
// linked into its place. child is what the walk found there: the node
// itself (a tree copied on write has no aliases: Source.Load).
func (d *decoder) ownAt(parent *yaml.Node, at int, child *yaml.Node) *yaml.Node {
	if d.owned == nil {
		return child // the tree is the decoder's: nothing to copy or relink
	}
	c := d.own(child)
	parent.Content[at] = c
	return c
}

// setKey sets key k of mapping m to v (replacing the first key that match
// accepts).
func (d *decoder) setKey(m *yaml.Node, k string, v *yaml.Node, norm string, match func(string) bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if match(m.Content[i].Value) {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, d.mark(strNode(k), norm), v)
}

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// mark records that n (and everything below it) was set by override norm.
func (d *decoder) mark(n *yaml.Node, norm string) *yaml.Node {
	if n == nil {
		return n
	}
	n.Line, n.Column = 0, 0
	d.ov[n] = norm
	for _, c := range n.Content {
		d.mark(c, norm)
	}
	return n
}
