package scenarios

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/entente/entente/sim"
	"go.yaml.in/yaml/v3"
)

// Key is one dotted key an override (--set KEY=VALUE) can set.
type Key struct {
	Name string
	// Kind is number (a numeric value: --vary takes it), value (text, a
	// choice or true/false), list, profile (a number or a profile mapping)
	// or section.
	Kind string
	// Value is the value in the file (after overrides) as YAML, "" when the
	// file leaves it to its default.
	Value string
}

// SettableKeys lists every key of sc an override can set, in file order:
// every field the format allows on every actor (by id), tie (by index),
// group and threat (by name), each profile and its fields, each exposure
// to every region and actor, every parameter, the outputs, and list
// elements by index. It walks the format's schema, so it lists whatever the
// format allows.
func SettableKeys(sc *Scenario) []Key {
	root, err := parseYAML(sc.File, sc.Source)
	if err != nil {
		return nil
	}
	d := newDecoder(sc.File)
	for _, ov := range sc.Overrides {
		d.override(root, ov)
	}
	k := &keyLister{d: d, sc: sc, numeric: map[string]bool{}}
	for _, n := range Keys(sc) {
		k.numeric[n] = true
	}
	k.mapping(root, cTop, "")
	return k.out
}

type keyLister struct {
	d       *decoder
	sc      *Scenario
	numeric map[string]bool
	out     []Key
}

// numericFields are the scalar fields that take numbers, numeric even when
// the file leaves them out.
var numericFields = []string{"steps", "capability", "economy", "autonomy", "commitment", "enter", "trust", "age", "every"}

func (k *keyLister) add(name, kind string, n *yaml.Node) {
	last := name[strings.LastIndexByte(name, '.')+1:]
	if kind == "value" && (k.numeric[name] || isNumberNode(k.d.res(n)) || slices.Contains(numericFields, last)) {
		kind = "number"
	}
	k.out = append(k.out, Key{Name: name, Kind: kind, Value: yamlValue(k.d.res(n))})
}

func isNumberNode(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
}

// mapping lists the fields of a mapping of kind c at path (n may be nil:
// the file does not have it).
func (k *keyLister) mapping(n *yaml.Node, c ctx, path string) {
	n = k.d.res(n)
	for _, f := range schema[c] {
		key := join(path, f.name)
		var v *yaml.Node
		if n != nil && n.Kind == yaml.MappingNode {
			v = valueOf(n, f.name)
		}
		k.field(v, f.kind, key, c)
	}
}

func (k *keyLister) field(v *yaml.Node, fc ctx, key string, parent ctx) {
	switch fc {
	case cScalar:
		kind := "value"
		if parent == cProfile && !strings.HasSuffix(key, ".shape") {
			kind = "number"
		}
		k.add(key, kind, v)
	case cList:
		k.add(key, "list", v)
		if v = k.d.res(v); v != nil && v.Kind == yaml.SequenceNode {
			for i, e := range v.Content {
				if e = k.d.res(e); e != nil && e.Kind == yaml.ScalarNode {
					k.add(key+"."+strconv.Itoa(i), "value", e)
				}
			}
		}
	case cProfile:
		k.add(key, "profile", v)
		k.mapping(v, cProfile, key)
	case cActors, cThreats, cGroups, cTies:
		v = k.d.res(v)
		if v == nil || v.Kind != yaml.SequenceNode {
			return
		}
		for i, e := range v.Content {
			e = k.d.res(e)
			if e == nil || e.Kind != yaml.MappingNode {
				continue
			}
			seg := strconv.Itoa(i)
			if lk, ok := listKey[fc]; ok {
				if idn := valueOf(e, lk); idn != nil && idn.Kind == yaml.ScalarNode && idn.Value != "" {
					seg = idn.Value
				}
			}
			k.mapping(e, elemCtx[fc], key+"."+seg)
		}
	case cParams:
		for i := range sim.ParamSpecs {
			s := &sim.ParamSpecs[i]
			var pv *yaml.Node
			if v = k.d.res(v); v != nil && v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					if p, ok := sim.LookupParam(v.Content[j].Value); ok && p.Name == s.Name {
						pv = v.Content[j+1]
					}
				}
			}
			k.out = append(k.out, Key{Name: key + "." + s.Name, Kind: "number", Value: yamlValue(k.d.res(pv))})
		}
	case cRegionMap, cActorMap:
		var names []string
		for _, a := range k.sc.World.Actors {
			n := a.ID
			if fc == cRegionMap {
				n = a.Region
			}
			if n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if fc == cRegionMap {
			sort.Strings(names)
		}
		for _, n := range names {
			var ev *yaml.Node
			if vv := k.d.res(v); vv != nil && vv.Kind == yaml.MappingNode {
				ev = valueOf(vv, n)
			}
			k.out = append(k.out, Key{Name: key + "." + n, Kind: "number", Value: yamlValue(k.d.res(ev))})
		}
	default:
		if _, ok := schema[fc]; ok {
			k.mapping(v, fc, key)
		} else {
			k.add(key, "value", v)
		}
	}
}

// yamlValue writes a node as a one-line YAML value, as --set takes it.
func yamlValue(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	c := flowCopy(n)
	b, err := yaml.Marshal(c)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func flowCopy(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	c := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value}
	if n.Kind == yaml.ScalarNode {
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || strings.Contains(n.Value, "\n") {
			c.Style = yaml.DoubleQuotedStyle
		}
		return c
	}
	c.Style = yaml.FlowStyle
	for _, e := range n.Content {
		c.Content = append(c.Content, flowCopy(e))
	}
	return c
}
