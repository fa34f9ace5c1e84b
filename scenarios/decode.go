package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/entente/entente/sim"
	"go.yaml.in/yaml/v3"
)

const (
	maxErrors  = 100     // stop collecting after this many
	nodeBudget = 1000000 // node visits, against alias bombs
)

// decoder turns a YAML node tree into a Scenario, collecting located errors.
type decoder struct {
	file   string
	errs   []*Error
	ov     map[*yaml.Node]string // nodes set by overrides -> the override
	lines  map[string]int        // field path -> line, to locate engine errors
	budget int
	over   bool                // budget exhausted
	owned  map[*yaml.Node]bool // the nodes an override may change (nil: all; see own)
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, ov: map[*yaml.Node]string{}, lines: map[string]int{}, budget: nodeBudget}
}

func (d *decoder) add(n *yaml.Node, path, hint, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	e := &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil {
		e.Line = n.Line
		if o, ok := d.ov[n]; ok {
			e.Line = 0
			e.Msg += fmt.Sprintf(" (set by override %s)", o)
		}
	}
	if len(d.errs) == maxErrors-1 {
		e = &Error{File: d.file, Msg: "too many errors; stopping"}
	}
	d.errs = append(d.errs, e)
}

// res follows aliases and charges the node budget; nil when exhausted.
func (d *decoder) res(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i > 100 {
			return nil
		}
		n = n.Alias
	}
	d.budget--
	if d.budget < 0 {
		if !d.over {
			d.over = true
			d.add(nil, "", "", "document too large (too many nodes or aliases)")
		}
		return nil
	}
	return n
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// parseYAML parses one YAML document whose root is a mapping.
func parseYAML(file string, data []byte) (root *yaml.Node, err error) {
	fail := func(line int, msg string) error {
		return &Errors{File: file, List: []*Error{{File: file, Line: line, Msg: msg}}}
	}
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fail(0, fmt.Sprintf("YAML parser failed: %v", r))
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fail(0, "empty file: a scenario needs at least actors")
		}
		line, msg := yamlErrorLine(err)
		return nil, fail(line, msg)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			line, _ = yamlErrorLine(err)
		}
		return nil, fail(line, "more than one YAML document (---); a scenario is one document")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fail(0, "empty file: a scenario needs at least actors")
	}
	root = doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root.Line, "the top level must be a mapping (name:, actors:, ties:, ...)")
	}
	return root, nil
}

var lineRE = regexp.MustCompile(`line (\d+): `)

// yamlErrorLine splits a yaml error into its line and message.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := lineRE.FindStringSubmatchIndex(msg); m != nil {
		line, _ := strconv.Atoi(msg[m[2]:m[3]])
		return line, "invalid YAML: " + msg[:m[0]] + msg[m[1]:]
	}
	return 0, "invalid YAML: " + msg
}

// obj is a decoded mapping: its values by key, in file order.
type obj struct {
	path string
	node *yaml.Node
	val  map[string]*yaml.Node
	keys []string
}

func (o *obj) get(k string) *yaml.Node {
	if o == nil {
		return nil
	}
	return o.val[k]
}

// object checks that n is a mapping whose keys are those of kind c (any key
// when c has no schema), without duplicates.
func (d *decoder) object(n *yaml.Node, path string, c ctx) *obj {
	n = d.res(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return &obj{path: path, node: n, val: map[string]*yaml.Node{}}
		}
		d.add(n, path, "", "want a mapping (key: value lines), got %s", describe(n))
		return nil
	}
	o := &obj{path: path, node: n, val: map[string]*yaml.Node{}}
	allowed := fieldNames(c)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := d.res(n.Content[i]), n.Content[i+1]
		if kn == nil {
			return o
		}
		if kn.Kind != yaml.ScalarNode {
			d.add(kn, path, "", "a key must be a plain name, got %s", describe(kn))
			continue
		}
		k := kn.Value
		p := join(path, k)
		if k == "<<" {
			d.add(kn, path, "write the keys out", "merge keys (<<) are not supported")
			continue
		}
		if len(allowed) > 0 && !slices.Contains(allowed, k) {
			d.add(kn, p, hint(k, allowed), "unknown key %q", k)
			continue
		}
		if _, dup := o.val[k]; dup {
			d.add(kn, p, "", "key %q given twice (first on line %d)", k, d.lines[p])
			continue
		}
		o.val[k] = vn
		o.keys = append(o.keys, k)
		d.lines[p] = kn.Line
	}
	return o
}

// list checks that n is a sequence (null is an empty one).
func (d *decoder) list(n *yaml.Node, path string) []*yaml.Node {
	n = d.res(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.add(n, path, "", "want a list, got %s", describe(n))
		return nil
	}
	for i, c := range n.Content {
		d.lines[index(path, i)] = c.Line
	}
	return n.Content
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return fmt.Sprintf("%q", v)
	}
	return "an unexpected node"
}

// str decodes a scalar as a string.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	n = d.res(n)
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.add(n, path, "", "want a text value, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// num decodes a number in [lo, hi].
func (d *decoder) num(n *yaml.Node, path string, lo, hi float64) (float64, bool) {
	n = d.res(n)
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		d.add(n, path, "", "want a number, got %s", describe(n))
		return 0, false
	}
	v, err := scalarNumber(n)
	if err != nil {
		d.add(n, path, "", "want a number, got %s", describe(n))
		return 0, false
	}
	if bad := notFinite(v); bad != "" {
		d.add(n, path, "", "%s", bad)
		return 0, false
	}
	if !(v >= lo && v <= hi) {
		d.add(n, path, "", "%s is out of range: want a number in %s", n.Value, rangeText(lo, hi))
		return v, false
	}
	return v, true
}

// scalarNumber is n.Decode into a float64 for a number scalar (tag !!int
// or !!float), with plain decimals parsed directly: the YAML decoder
// builds a decoder for each call, which was most of a sweep point's
// scenario decoding. A plain decimal integer is read as the YAML decoder
// reads it (an int64, then converted; so -0 is 0), a plain decimal with a
// fraction or exponent as strconv.ParseFloat; anything else (hex, octal,
// leading zeros, underscores, a sign +, .inf, .nan) goes to n.Decode.
func scalarNumber(n *yaml.Node) (float64, error) {
	if n.Style == 0 {
		switch plainDecimal(n.Value) {
		case decimalInt:
			if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
				return float64(i), nil
			}
		case decimalFloat:
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		}
	}
	var v float64
	err := n.Decode(&v)
	return v, err
}

const (
	notDecimal = iota
	decimalInt
	decimalFloat
)

// plainDecimal classifies s: -?(0|[1-9][0-9]*) is decimalInt;
// -?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)? with a fraction or an exponent is
// decimalFloat; anything else notDecimal.
func plainDecimal(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits := i - start
	if digits == 0 {
		return notDecimal
	}
	if i == len(s) {
		if digits > 1 && s[start] == '0' {
			return notDecimal // a leading zero: the YAML decoder reads octal
		}
		return decimalInt
	}
	if s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		e := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == e {
			return notDecimal
		}
	}
	if i != len(s) {
		return notDecimal
	}
	return decimalFloat
}

func rangeText(lo, hi float64) string {
	if math.IsInf(hi, 1) {
		return fmt.Sprintf("[%v, ∞)", lo)
	}
	return fmt.Sprintf("[%v, %v]", lo, hi)
}

// integer decodes a whole number in [lo, hi].
func (d *decoder) integer(n *yaml.Node, path string, lo, hi int) (int, bool) {
	n = d.res(n)
	if n == nil {
		return 0, false
	}
	ok := n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
	var v float64
	if ok {
		var err error
		v, err = scalarNumber(n)
		ok = err == nil
	}
	if !ok || v != math.Trunc(v) || math.Abs(v) > 1e15 {
		d.add(n, path, "", "want a whole number, got %s", describe(n))
		return 0, false
	}
	if v < float64(lo) || v > float64(hi) {
		want := fmt.Sprintf("a whole number in [%d, %d]", lo, hi)
		if hi == math.MaxInt32 {
			want = fmt.Sprintf("a whole number >= %d", lo)
		}
		d.add(n, path, "", "%s is out of range: want %s", n.Value, want)
		return int(v), false
	}
	return int(v), true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	n = d.res(n)
	if n == nil {
		return false, false
	}
	var v bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
		d.add(n, path, "", "want true or false, got %s", describe(n))
		return false, false
	}
	return v, true
}

// enum decodes one of names (case-insensitive) and returns it lower case.
func (d *decoder) enum(n *yaml.Node, path, what string, names []string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	l := strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(names, l) {
		d.add(d.res(n), path, hint(s, names), "unknown %s %q", what, s)
		return "", false
	}
	return l, true
}

// ids is the set of actor ids, for references.
type ids struct {
	index   map[string]int
	sorted  []string
	byIndex []string
}

func (d *decoder) ref(r *ids, n *yaml.Node, path, what string) (int, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return -1, false
	}
	i, ok := r.index[s]
	if !ok {
		d.add(d.res(n), path, hint(s, r.sorted), "unknown %s %s", what, s)
		return -1, false
	}
	return i, true
}

// decode builds the scenario from the root mapping.
func (d *decoder) decode(root *yaml.Node, defaultName string) *Scenario {
	sc := &Scenario{Name: defaultName, Steps: 100, Params: sim.DefaultParams()}
	w := &sim.World{Political: sim.ConstantProfile(0), Military: sim.ConstantProfile(0)}
	sc.World = w
	top := d.object(root, "", cTop)
	if top == nil {
		return sc
	}
	if n := top.get("name"); n != nil {
		if s, ok := d.name(n, "name", true); ok {
			sc.Name = s
		}
	}
	if n := top.get("description"); n != nil {
		if s, ok := d.text(n, "description"); ok {
			sc.Description = s
		}
	}
	if n := top.get("steps"); n != nil {
		if v, ok := d.integer(n, "steps", 1, MaxSteps); ok {
			sc.Steps = v
		}
	}
	if n := top.get("steps_per_year"); n != nil {
		if v, ok := d.num(n, "steps_per_year", 0.01, 366); ok {
			w.StepsPerYear = v
		}
	}
	actors := d.actors(top, w)
	threats := d.threats(top, w, actors)
	d.ties(top, w, actors)
	d.groups(top, w, actors, threats)
	d.rivalries(top, w, actors)
	if n := top.get("retrenchment"); n != nil {
		if o := d.object(n, "retrenchment", cRetrench); o != nil {
			if p := o.get("political"); p != nil {
				w.Political = d.profile(p, "retrenchment.political")
			}
			if p := o.get("military"); p != nil {
				w.Military = d.profile(p, "retrenchment.military")
			}
		}
	}
	if n := top.get("parameters"); n != nil {
		d.params(n, &sc.Params)
	}
	sc.Outputs = d.outputs(top.get("outputs"), actors, d.snapshotLimit(top, sc.Steps))
	if len(d.errs) == 0 {
		d.engineErrors(w.Validate())
		d.engineErrors(sc.Params.Validate())
	}
	return sc
}

func (d *decoder) actors(top *obj, w *sim.World) *ids {
	r := &ids{index: map[string]int{}}
	n := top.get("actors")
	if n == nil {
		d.add(top.node, "actors", "", "missing: a scenario needs at least two actors")
		return r
	}
	items := d.list(n, "actors")
	objs := make([]*obj, len(items))
	w.Actors = make([]sim.Actor, len(items))
	for i, it := range items {
		p := index("actors", i)
		o := d.object(it, p, cActor)
		objs[i] = o
		if o == nil {
			continue
		}
		idn := o.get("id")
		if idn == nil {
			d.add(o.node, p, "", "missing id")
			continue
		}
		id, ok := d.str(idn, p+".id")
		if !ok {
			continue
		}
		if bad := idProblem(id); bad != "" {
			d.add(d.res(idn), p+".id", idHint, "invalid id %q: %s", id, bad)
		}
		if j, dup := r.index[id]; dup {
			d.add(d.res(idn), p+".id", "", "duplicate id %s, also actors[%d] on line %d", id, j, d.lines[index("actors", j)])
			continue
		}
		r.index[id] = i
		w.Actors[i].ID = id
	}
	for i := range w.Actors {
		r.byIndex = append(r.byIndex, w.Actors[i].ID)
	}
	for id := range r.index {
		r.sorted = append(r.sorted, id)
	}
	sort.Strings(r.sorted)
	if len(items) < 2 && len(d.errs) == 0 {
		d.add(d.res(n), "actors", "", "%d actors; a world needs at least 2", len(items))
	}
	dim, dimFrom := -1, ""
	for i, o := range objs {
		if o == nil {
			continue
		}
		a := &w.Actors[i]
		p := index("actors", i)
		a.Name = a.ID
		a.Autonomy = 0.5
		if n := o.get("name"); n != nil {
			a.Name, _ = d.name(n, p+".name", true)
		}
		if n := o.get("kind"); n != nil {
			if s, ok := d.enum(n, p+".kind", "actor kind", kindNames); ok {
				a.Kind, _ = sim.ParseKind(s)
			}
		}
		if n := o.get("region"); n != nil {
			a.Region, _ = d.id(n, p+".region", "region")
		}
		if n := o.get("capability"); n != nil {
			a.Capability, _ = d.num(n, p+".capability", 0, 1)
		}
		if n := o.get("economy"); n != nil {
			a.Economy, _ = d.num(n, p+".economy", 0, math.Inf(1))
		}
		if n := o.get("autonomy"); n != nil {
			a.Autonomy, _ = d.num(n, p+".autonomy", 0, 1)
		}
		if n := o.get("commitment"); n != nil {
			a.Commitment, _ = d.num(n, p+".commitment", 0, 1)
		}
		if n := o.get("patron"); n != nil {
			a.Patron, _ = d.boolean(n, p+".patron")
		}
		if n := o.get("enter"); n != nil {
			a.Enter, _ = d.integer(n, p+".enter", 0, 1_000_000)
		}
		if n := o.get("exit"); n != nil {
			a.Exit, _ = d.integer(n, p+".exit", 1, 1_000_000)
		}
		if n := o.get("age"); n != nil {
			a.Age, _ = d.num(n, p+".age", 0, 10_000)
		}
		if n := o.get("mutual_defence"); n != nil {
			a.MutualDefence, _ = d.boolean(n, p+".mutual_defence")
		}
		if n := o.get("consensus"); n != nil {
			a.Consensus, _ = d.boolean(n, p+".consensus")
		}
		if n := o.get("closed"); n != nil {
			a.Closed, _ = d.boolean(n, p+".closed")
		}
		if n := o.get("regions"); n != nil {
			for k, rn := range d.list(n, p+".regions") {
				if s, ok := d.id(rn, index(p+".regions", k), "region"); ok {
					a.Regions = append(a.Regions, s)
				}
			}
		}
		if n := o.get("aid"); n != nil {
			prof := d.profile(n, p+".aid")
			a.Aid = &prof
		}
		if n := o.get("absent"); n != nil {
			for k, sp := range d.list(n, p+".absent") {
				sp0 := index(p+".absent", k)
				pair := d.list(sp, sp0)
				if len(pair) != 2 {
					// (a scalar was reported by list; a list of another
					// length, or an empty span ~, is reported here)
					if r := d.res(sp); r != nil && (r.Kind == yaml.SequenceNode || r.Tag == "!!null") {
						d.add(r, sp0, "write [from, to]: absent from step from until step to", "want a [from, to] pair of steps")
					}
					continue
				}
				from, ok1 := d.integer(pair[0], sp0+"[0]", 0, 1_000_000)
				to, ok2 := d.integer(pair[1], sp0+"[1]", 1, 1_000_000)
				if ok1 && ok2 {
					if to <= from {
						d.add(d.res(pair[1]), sp0+"[1]", "", "to = %d must be after from = %d", to, from)
					}
					a.Absent = append(a.Absent, sim.Span{From: from, To: to})
				}
			}
		}
		if n := o.get("note"); n != nil {
			d.text(n, p+".note")
		}
		if n := o.get("values"); n != nil {
			vs := d.list(n, p+".values")
			a.Values = make([]float64, len(vs))
			for k, v := range vs {
				a.Values[k], _ = d.num(v, index(p+".values", k), -1, 1)
			}
			if dim < 0 {
				dim, dimFrom = len(vs), a.ID
			} else if len(vs) != dim {
				d.add(d.res(n), p+".values", "", "%d values; every actor needs the same number (%s has %d)", len(vs), dimFrom, dim)
			}
		} else if a.Kind != sim.State && o.get("members") != nil {
			// an organisation with members takes its members' mean values
			// (filled in below, once every actor's dimension is known)
		} else if dim < 0 {
			dim, dimFrom = 0, a.ID
		} else if dim != 0 {
			d.add(o.node, p, "", "missing values; every actor needs %d (as %s)", dim, dimFrom)
		}
		if n := o.get("members"); n != nil {
			ms := d.list(n, p+".members")
			if a.Kind == sim.State && len(ms) > 0 {
				d.add(d.res(n), p+".members", "set kind: organisation or kind: group", "a state has no members")
			}
			seen := map[int]bool{}
			for k, m := range ms {
				mp := index(p+".members", k)
				j, ok := d.ref(r, m, mp, "actor")
				switch {
				case !ok:
				case j == i:
					d.add(d.res(m), mp, "", "%s cannot be its own member", a.ID)
				case seen[j]:
					d.add(d.res(m), mp, "", "%s listed twice", w.Actors[j].ID)
				default:
					seen[j] = true
					a.Members = append(a.Members, j)
				}
			}
		}
		if n := o.get("value_changes"); n != nil {
			for k, it := range d.list(n, p+".value_changes") {
				cp := index(p+".value_changes", k)
				co := d.object(it, cp, cValueChange)
				if co == nil {
					continue
				}
				var c sim.ValueChange
				if sn := co.get("step"); sn != nil {
					c.Step, _ = d.integer(sn, cp+".step", 1, 1_000_000)
				} else {
					d.add(co.node, cp, "write {step: S, values: [...]}", "missing step")
				}
				if vn := co.get("values"); vn != nil {
					vs := d.list(vn, cp+".values")
					c.Values = make([]float64, len(vs))
					for x, v := range vs {
						c.Values[x], _ = d.num(v, index(cp+".values", x), -1, 1)
					}
					if len(vs) != len(a.Values) {
						d.add(d.res(vn), cp+".values", "", "%d values; want %d, as the actor's values", len(vs), len(a.Values))
					}
				} else {
					d.add(co.node, cp, "write {step: S, values: [...]}", "missing values")
				}
				if k > 0 && len(a.ValueChanges) > 0 && c.Step <= a.ValueChanges[len(a.ValueChanges)-1].Step {
					d.add(d.res(co.get("step")), cp+".step", "list the changes in increasing step order", "step %d does not come after %d", c.Step, a.ValueChanges[len(a.ValueChanges)-1].Step)
				}
				a.ValueChanges = append(a.ValueChanges, c)
			}
		}
		if n := o.get("admits"); n != nil {
			if a.Kind == sim.State {
				d.add(d.res(n), p+".admits", "set kind: organisation", "a state admits no members")
			}
			for k, m := range d.list(n, p+".admits") {
				if j, ok := d.ref(r, m, index(p+".admits", k), "actor"); ok {
					a.Admits = append(a.Admits, j)
				}
			}
		}
		if n := o.get("inherits"); n != nil {
			for k, m := range d.list(n, p+".inherits") {
				if j, ok := d.ref(r, m, index(p+".inherits", k), "actor"); ok {
					a.Inherits = append(a.Inherits, j)
				}
			}
		}
	}
	if dim > 0 {
		for i := range w.Actors {
			if a := &w.Actors[i]; a.Values == nil && a.Kind != sim.State && len(a.Members) > 0 {
				a.Values = make([]float64, dim) // the engine derives them from the members
			}
		}
	}
	return r
}

// rivalries decodes the signed network's negative ties.
func (d *decoder) rivalries(top *obj, w *sim.World, actors *ids) {
	n := top.get("rivalries")
	if n == nil {
		return
	}
	seen := map[[2]int]int{}
	for i, it := range d.list(n, "rivalries") {
		p := index("rivalries", i)
		o := d.object(it, p, cRivalry)
		if o == nil {
			continue
		}
		var r sim.Rivalry
		okA, okB := false, false
		if nn := o.get("a"); nn == nil {
			d.add(o.node, p, "", "missing a")
		} else {
			r.A, okA = d.ref(actors, nn, p+".a", "actor")
		}
		if nn := o.get("b"); nn == nil {
			d.add(o.node, p, "", "missing b")
		} else {
			r.B, okB = d.ref(actors, nn, p+".b", "actor")
		}
		r.Enmity = 1
		if nn := o.get("enmity"); nn != nil {
			r.Enmity, _ = d.num(nn, p+".enmity", 0, 1)
		}
		if nn := o.get("note"); nn != nil {
			d.str(nn, p+".note")
		}
		if !okA || !okB {
			continue
		}
		if r.A == r.B {
			d.add(o.node, p, "", "%s cannot be its own rival", w.Actors[r.A].ID)
			continue
		}
		key := [2]int{min(r.A, r.B), max(r.A, r.B)}
		if j, dup := seen[key]; dup {
			d.add(o.node, p, "", "%s-%s already listed in rivalries[%d]", w.Actors[r.A].ID, w.Actors[r.B].ID, j)
			continue
		}
		seen[key] = i
		w.Rivalries = append(w.Rivalries, r)
	}
}

func (d *decoder) threats(top *obj, w *sim.World, actors *ids) *ids {
	r := &ids{index: map[string]int{}}
	n := top.get("threats")
	if n == nil {
		return r
	}
	regions := map[string]bool{}
	var regionList []string
	for _, a := range w.Actors {
		if a.Region != "" && !regions[a.Region] {
			regions[a.Region] = true
			regionList = append(regionList, a.Region)
		}
	}
	sort.Strings(regionList)
	items := d.list(n, "threats")
	w.Threats = make([]sim.Threat, len(items))
	for i, it := range items {
		p := index("threats", i)
		th := &w.Threats[i]
		th.Source = -1
		th.Kind = "conventional"
		o := d.object(it, p, cThreat)
		if o == nil {
			continue
		}
		if nn := o.get("name"); nn == nil {
			d.add(o.node, p, "", "missing name (overrides address a threat by its name)")
		} else if s, ok := d.str(nn, p+".name"); ok {
			if bad := idProblem(s); bad != "" {
				d.add(d.res(nn), p+".name", idHint, "invalid threat name %q: %s", s, bad)
			} else if j, dup := r.index[s]; dup {
				d.add(d.res(nn), p+".name", "", "duplicate threat name %s, also threats[%d]", s, j)
			} else {
				r.index[s] = i
				th.Name = s
			}
		}
		if nn := o.get("kind"); nn != nil {
			th.Kind, _ = d.enum(nn, p+".kind", "threat kind", threatKindNames)
		} else {
			d.add(o.node, p, "want one of "+strings.Join(threatKindNames, ", "), "missing kind")
		}
		if nn := o.get("source"); nn != nil {
			th.Source, _ = d.ref(actors, nn, p+".source", "actor")
		}
		if nn := o.get("note"); nn != nil {
			d.text(nn, p+".note")
		}
		if nn := o.get("intensity"); nn != nil {
			th.Intensity = d.profile(nn, p+".intensity")
		} else {
			d.add(o.node, p, "e.g. intensity: 0.2, or {shape: pulse, base: 0.05, peak: 0.9, start: 10, end: 40}", "missing intensity")
		}
		th.RegionExposure = map[string]float64{}
		th.ActorExposure = map[int]float64{}
		ep := p + ".exposure"
		e := d.object(o.get("exposure"), ep, cExposure)
		if o.get("exposure") == nil || e == nil {
			if o.get("exposure") == nil {
				d.add(o.node, p, "e.g. exposure: {regions: {Asia: 0.8}, actors: {TAW: 1}}", "missing exposure")
			}
			continue
		}
		if rm := d.object(e.get("regions"), ep+".regions", cRegionMap); rm != nil && e.get("regions") != nil {
			for _, k := range rm.keys {
				kp := join(ep+".regions", k)
				v, ok := d.num(rm.val[k], kp, 0, 1)
				if !regions[k] {
					d.add(d.res(rm.val[k]), kp, hint(k, regionList), "no actor is in region %q", k)
				} else if ok {
					th.RegionExposure[k] = v
				}
			}
		}
		if am := d.object(e.get("actors"), ep+".actors", cActorMap); am != nil && e.get("actors") != nil {
			for _, k := range am.keys {
				kp := join(ep+".actors", k)
				v, ok := d.num(am.val[k], kp, 0, 1)
				j, known := actors.index[k]
				if !known {
					d.add(d.res(am.val[k]), kp, hint(k, actors.sorted), "unknown actor %s", k)
				} else if ok {
					th.ActorExposure[j] = v
				}
			}
		}
	}
	for k := range r.index {
		r.sorted = append(r.sorted, k)
	}
	sort.Strings(r.sorted)
	return r
}

func (d *decoder) ties(top *obj, w *sim.World, actors *ids) {
	n := top.get("ties")
	if n == nil {
		return
	}
	seen := map[[2]int]int{}
	for i, it := range d.list(n, "ties") {
		p := index("ties", i)
		o := d.object(it, p, cTie)
		if o == nil {
			continue
		}
		t := sim.TieSpec{A: -1, B: -1, Donor: -1, Form: sim.Cooperation, Level: sim.Nominal}
		ok := true
		for _, side := range []string{"a", "b"} {
			nn := o.get(side)
			if nn == nil {
				d.add(o.node, p, "", "missing %s (an actor id)", side)
				ok = false
				continue
			}
			j, good := d.ref(actors, nn, p+"."+side, "actor")
			ok = ok && good
			if side == "a" {
				t.A = j
			} else {
				t.B = j
			}
		}
		if ok && t.A == t.B {
			d.add(d.res(o.get("b")), p+".b", "", "a tie needs two different actors (%s twice)", w.Actors[t.A].ID)
			ok = false
		}
		if ok {
			key := [2]int{min(t.A, t.B), max(t.A, t.B)}
			if j, dup := seen[key]; dup {
				d.add(o.node, p, "", "%s and %s are already tied in ties[%d] (line %d); one tie per pair",
					w.Actors[t.A].ID, w.Actors[t.B].ID, j, d.lines[index("ties", j)])
				ok = false
			} else {
				seen[key] = i
			}
		}
		if nn := o.get("form"); nn != nil {
			if s, good := d.enum(nn, p+".form", "tie form", formNames); good {
				t.Form, _ = sim.ParseForm(s)
			}
		}
		if nn := o.get("level"); nn != nil {
			if s, good := d.enum(nn, p+".level", "level", levelNames); good {
				t.Level, _ = sim.ParseLevel(s)
			}
		}
		flow := "symmetric"
		if nn := o.get("flow"); nn != nil {
			if s, good := d.enum(nn, p+".flow", "flow", flowNames); good {
				flow = s
			}
		}
		switch flow {
		case "a_to_b":
			t.Donor = t.A
		case "b_to_a":
			t.Donor = t.B
		}
		if t.Form == sim.Assistance && flow == "symmetric" && o.get("form") != nil {
			d.add(d.res(o.get("form")), p+".form", "add flow: a_to_b (a is the donor) or b_to_a", "assistance needs a direction")
		}
		// trust omitted: the engine derives it from the tie's age
		if nn := o.get("trust"); nn != nil {
			t.Trust, _ = d.num(nn, p+".trust", 0, 1)
		}
		if nn := o.get("age"); nn != nil {
			t.Age, _ = d.integer(nn, p+".age", 0, math.MaxInt32)
		}
		if nn := o.get("note"); nn != nil {
			d.text(nn, p+".note")
		}
		if ok {
			w.Ties = append(w.Ties, t)
		}
	}
}

func (d *decoder) groups(top *obj, w *sim.World, actors, threats *ids) {
	n := top.get("groups")
	if n == nil {
		return
	}
	names := map[string]int{}
	for i, it := range d.list(n, "groups") {
		p := index("groups", i)
		o := d.object(it, p, cGroup)
		if o == nil {
			continue
		}
		g := sim.GroupSpec{Kind: sim.Minilateral, Level: sim.Nominal, Threat: -1, Leader: -1}
		if nn := o.get("name"); nn == nil {
			d.add(o.node, p, "", "missing name")
		} else if s, ok := d.name(nn, p+".name", false); ok {
			if j, dup := names[s]; dup {
				d.add(d.res(nn), p+".name", "", "duplicate group name %q, also groups[%d]", s, j)
			}
			names[s] = i
			g.Name = s
		}
		if nn := o.get("kind"); nn != nil {
			if s, ok := d.enum(nn, p+".kind", "group kind", groupKindNames); ok && s == "coalition" {
				g.Kind = sim.CoalitionGroup
			}
		}
		if nn := o.get("level"); nn != nil {
			if s, ok := d.enum(nn, p+".level", "level", levelNames); ok {
				g.Level, _ = sim.ParseLevel(s)
			}
		}
		if nn := o.get("threat"); nn != nil {
			if g.Kind != sim.CoalitionGroup {
				d.add(d.res(nn), p+".threat", "set kind: coalition", "only a coalition is bound to a threat")
			} else {
				s, _ := d.str(nn, p+".threat")
				if j, ok := threats.index[s]; ok {
					g.Threat = j
				} else {
					d.add(d.res(nn), p+".threat", hint(s, threats.sorted), "unknown threat %q", s)
				}
			}
		} else if g.Kind == sim.CoalitionGroup {
			d.add(o.node, p, "name one of the threats", "a coalition needs a threat")
		}
		if nn := o.get("leader"); nn != nil {
			if g.Kind != sim.CoalitionGroup {
				d.add(d.res(nn), p+".leader", "", "only a coalition has a leader")
			} else {
				g.Leader, _ = d.ref(actors, nn, p+".leader", "actor")
			}
		}
		if nn := o.get("issue"); nn != nil {
			if s, ok := d.enum(nn, p+".issue", "issue", issueNames); ok {
				g.Issue, _ = sim.ParseIssue(s)
			}
		} else if g.Kind == sim.Minilateral {
			d.add(o.node, p, "want one of "+strings.Join(issueNames, ", "), "missing issue")
		} else if g.Threat >= 0 && w.Threats[g.Threat].Class() == sim.Transnational {
			g.Issue = sim.IssueTerrorism
		}
		if nn := o.get("note"); nn != nil {
			d.text(nn, p+".note")
		}
		if nn := o.get("age"); nn != nil {
			g.Age, _ = d.integer(nn, p+".age", 0, 1_000_000)
		}
		if nn := o.get("about"); nn != nil {
			if g.Kind == sim.CoalitionGroup {
				d.add(d.res(nn), p+".about", "a coalition is about its threat", "about is for minilateral groups")
			}
			for k, tn := range d.list(nn, p+".about") {
				s, _ := d.str(tn, index(p+".about", k))
				if j, ok := threats.index[s]; ok {
					g.About = append(g.About, j)
				} else {
					d.add(d.res(tn), index(p+".about", k), hint(s, threats.sorted), "unknown threat %q", s)
				}
			}
		}
		seen := map[int]bool{}
		var ms []*yaml.Node
		if nn := o.get("members"); nn != nil {
			ms = d.list(nn, p+".members")
		}
		for k, m := range ms {
			mp := index(p+".members", k)
			if j, ok := d.ref(actors, m, mp, "actor"); ok {
				if seen[j] {
					d.add(d.res(m), mp, "", "%s listed twice", w.Actors[j].ID)
					continue
				}
				seen[j] = true
				g.Members = append(g.Members, j)
			}
		}
		need := 3
		what := "a minilateral group needs at least 3 (two actors make a tie: use ties)"
		if g.Kind == sim.CoalitionGroup {
			need, what = 2, "a coalition needs at least 2"
		}
		if len(ms) < need {
			at := o.node
			if nn := o.get("members"); nn != nil {
				at = d.res(nn)
			}
			d.add(at, p+".members", "", "%d members; %s", len(ms), what)
		}
		if g.Leader >= 0 && !seen[g.Leader] {
			d.add(d.res(o.get("leader")), p+".leader", "", "the leader %s is not a member", w.Actors[g.Leader].ID)
		}
		w.Groups = append(w.Groups, g)
	}
}

// profile decodes a number (a constant profile) or a profile mapping.
func (d *decoder) profile(n *yaml.Node, path string) sim.Profile {
	n = d.res(n)
	if n == nil {
		return sim.Profile{}
	}
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		v, _ := d.num(n, path, 0, 1)
		return sim.ConstantProfile(v)
	}
	o := d.object(n, path, cProfile)
	if o == nil {
		return sim.Profile{}
	}
	p := sim.Profile{Shape: sim.Constant}
	shapeOK := true
	if nn := o.get("shape"); nn != nil {
		s, ok := d.enum(nn, path+".shape", "profile shape", shapeNames)
		if ok {
			p.Shape, _ = sim.ParseShape(s)
		}
		shapeOK = ok
	}
	need := func(k, why string) {
		if o.get(k) == nil {
			d.add(n, join(path, k), "", "missing: a %s profile needs %s", p.Shape, why)
		}
	}
	if nn := o.get("base"); nn != nil {
		p.Base, _ = d.num(nn, path+".base", 0, 1)
	}
	if nn := o.get("peak"); nn != nil {
		p.Peak, _ = d.num(nn, path+".peak", 0, 1)
	}
	if nn := o.get("start"); nn != nil {
		p.Start, _ = d.integer(nn, path+".start", 0, math.MaxInt32)
	}
	if nn := o.get("end"); nn != nil {
		p.End, _ = d.integer(nn, path+".end", 0, math.MaxInt32)
	}
	if nn := o.get("half_life"); nn != nil {
		p.HalfLife, _ = d.num(nn, path+".half_life", 0, 1e9)
	}
	switch {
	case !shapeOK:
	case p.Shape == sim.Constant:
		if o.get("peak") == nil {
			p.Peak = p.Base
		} else if o.get("base") == nil {
			p.Base = p.Peak
		} else if p.Peak != p.Base {
			d.add(d.res(o.get("peak")), path+".peak", "set shape (step, ramp, pulse, shock-decay) or drop peak",
				"a constant profile has one value (base), but peak differs")
		}
	case p.Shape == sim.Step:
		need("peak", "a peak (the value from start on)")
		need("start", "a start step")
	case p.Shape == sim.Ramp || p.Shape == sim.Pulse:
		need("peak", "a peak")
		need("start", "a start step")
		need("end", "an end step")
		if o.get("end") != nil && o.get("start") != nil && p.End <= p.Start {
			d.add(d.res(o.get("end")), path+".end", "", "end = %d must be after start = %d for a %s", p.End, p.Start, p.Shape)
		}
	case p.Shape == sim.ShockDecay:
		need("peak", "a peak")
		need("start", "a start step")
		need("half_life", "a half_life in steps")
		if o.get("half_life") != nil && !(p.HalfLife > 0) {
			d.add(d.res(o.get("half_life")), path+".half_life", "", "want a positive number of steps")
		}
	case p.Shape == sim.Series:
		need("points", "points: [[step, value], ...]")
	}
	if nn := o.get("points"); nn != nil {
		if shapeOK && p.Shape != sim.Series {
			d.add(d.res(nn), path+".points", "set shape: series", "points are only used by a series profile")
		}
		for k, pt := range d.list(nn, path+".points") {
			pp := index(path+".points", k)
			pair := d.list(pt, pp)
			if len(pair) != 2 {
				if d.res(pt) != nil && d.res(pt).Kind == yaml.SequenceNode {
					d.add(d.res(pt), pp, "", "want a [step, value] pair")
				}
				continue
			}
			t, ok1 := d.integer(pair[0], pp+"[0]", 0, math.MaxInt32)
			v, ok2 := d.num(pair[1], pp+"[1]", 0, 1)
			if ok1 && ok2 {
				if len(p.Points) > 0 && t <= p.Points[len(p.Points)-1].T {
					d.add(d.res(pair[0]), pp, "", "steps must increase (%d after %d)", t, p.Points[len(p.Points)-1].T)
				}
				p.Points = append(p.Points, sim.Point{T: t, V: v})
			}
		}
	}
	return p
}

func paramNames() []string {
	out := make([]string, len(sim.ParamSpecs))
	for i := range sim.ParamSpecs {
		out[i] = sim.ParamSpecs[i].Name
	}
	return out
}

func (d *decoder) params(n *yaml.Node, p *sim.Params) {
	o := d.object(n, "parameters", cParams)
	if o == nil {
		return
	}
	seen := map[string]string{}
	for _, k := range o.keys {
		kp := join("parameters", k)
		spec, ok := sim.LookupParam(k)
		if !ok {
			kn := d.keyNode(o.node, k)
			d.add(kn, kp, hint(k, paramNames()), "unknown parameter %q", k)
			continue
		}
		if prev, dup := seen[spec.Name]; dup {
			d.add(d.keyNode(o.node, k), kp, "", "parameter %s given twice (also as %s)", spec.Name, prev)
			continue
		}
		seen[spec.Name] = k
		d.lines[join("parameters", spec.Name)] = d.lines[kp]
		var v float64
		if spec.Integer {
			iv, good := d.integer(o.val[k], kp, int(spec.Min), int(spec.Max))
			v, ok = float64(iv), good
		} else {
			v, ok = d.num(o.val[k], kp, spec.Min, spec.Max)
		}
		if ok {
			spec.Set(p, v)
		}
	}
}

// keyNode returns the key node of k in mapping m.
func (d *decoder) keyNode(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i]
		}
	}
	return m
}

func (d *decoder) outputs(n *yaml.Node, actors *ids, steps int) Outputs {
	out := Outputs{Every: 1}
	if n != nil {
		o := d.object(n, "outputs", cOutputs)
		if o != nil {
			if nn := o.get("metrics"); nn != nil {
				seen := map[string]bool{}
				for k, m := range d.list(nn, "outputs.metrics") {
					mp := index("outputs.metrics", k)
					s, ok := d.str(m, mp)
					switch {
					case !ok:
					case s == "":
						d.add(d.res(m), mp, "", "empty metric name")
					case seen[s]:
						d.add(d.res(m), mp, "", "metric %s listed twice", s)
					case metricProblemAt(d, m, mp, s):
					default:
						seen[s] = true
						out.Metrics = append(out.Metrics, s)
					}
				}
			}
			if nn := o.get("actors"); nn != nil {
				seen := map[int]bool{}
				for k, m := range d.list(nn, "outputs.actors") {
					mp := index("outputs.actors", k)
					if j, ok := d.ref(actors, m, mp, "actor"); ok {
						if seen[j] {
							d.add(d.res(m), mp, "", "actor listed twice")
							continue
						}
						seen[j] = true
						out.Actors = append(out.Actors, actors.byIndex[j])
					}
				}
			}
			if nn := o.get("snapshots"); nn != nil {
				seen := map[int]bool{}
				for k, m := range d.list(nn, "outputs.snapshots") {
					mp := index("outputs.snapshots", k)
					if v, ok := d.integer(m, mp, 0, steps); ok && !seen[v] {
						seen[v] = true
						out.Snapshots = append(out.Snapshots, v)
					}
				}
				sort.Ints(out.Snapshots)
			}
			if nn := o.get("every"); nn != nil {
				if v, ok := d.integer(nn, "outputs.every", 1, math.MaxInt32); ok {
					out.Every = v
				}
			}
		}
	}
	return out
}

var enginePath = regexp.MustCompile(`^(?:parameters\.)?([a-z_]+(?:\[\d+\])?)(?: \([^)]*\))?((?:\.[a-z_]+(?:\[[^\]]*\])?)*)`)

// engineErrors translates the engine's own validation errors, locating them
// where possible.
func (d *decoder) engineErrors(err error) {
	if err == nil {
		return
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	for _, e := range list {
		msg := e.Error()
		path := ""
		var pe *sim.ParamError
		if errors.As(e, &pe) {
			path = "parameters." + pe.Name
		} else if m := enginePath.FindStringSubmatch(msg); m != nil {
			path = m[1] + m[2]
		}
		line := 0
		for p := path; p != "" && line == 0; {
			line = d.lines[p]
			cut := strings.LastIndexAny(p, ".[")
			if cut < 0 {
				break
			}
			p = p[:cut]
		}
		if path != "" {
			// the engine names the place too: say it once
			head, rest, ok := strings.Cut(msg, ": ")
			if ok && !strings.Contains(head, "=") && strings.HasPrefix(head, strings.SplitN(path, ".", 2)[0]) {
				msg = rest
			}
		}
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Path: path, Msg: msg})
	}
}
