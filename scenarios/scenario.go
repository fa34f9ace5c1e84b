package scenarios

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/entente/entente/sim"
	"go.yaml.in/yaml/v3"
)

// Scenario is a loaded scenario: a world, parameters and what to record.
type Scenario struct {
	Name, Description string
	Steps             int // default run length
	World             *sim.World
	Params            sim.Params // sim.DefaultParams() overlaid with the file's parameters
	Outputs           Outputs
	File              string   // "builtin:NAME" or the path given
	Hash              string   // hex SHA-256 of Source followed by each applied override "key=value\n"
	Source            []byte   // the file's bytes
	Overrides         []string // overrides applied, in order, as "key=value"
}

// Outputs is what a run of the scenario records.
type Outputs struct {
	Metrics   []string // metric names (empty = default set; the metrics package validates names)
	Actors    []string // actor ids to follow with per-actor series
	Snapshots []int    // steps to snapshot (empty: the first; a run always snapshots its last step)
	Every     int      // compute costly metrics every k steps (default 1)
}

// Info names a built-in scenario.
type Info struct{ Name, Summary string }

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Builtin returns the raw bytes of the embedded scenario name.
func Builtin(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\.`) {
		return nil, false
	}
	b, err := builtinFS.ReadFile(path.Join("builtin", name+".yaml"))
	if err != nil {
		return nil, false
	}
	return b, true
}

func builtinNames() []string {
	ents, _ := builtinFS.ReadDir("builtin")
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// List returns the built-in scenarios sorted by name; Summary is the first
// line of each one's description.
func List() []Info {
	var out []Info
	for _, n := range builtinNames() {
		b, _ := Builtin(n)
		sum := ""
		if sc, err := Parse("builtin:"+n, b); err == nil {
			sum, _, _ = strings.Cut(strings.TrimSpace(sc.Description), "\n")
		}
		out = append(out, Info{Name: n, Summary: sum})
	}
	return out
}

// isPath reports whether ref names a file rather than a built-in.
func isPath(ref string) bool {
	if strings.ContainsAny(ref, `/\`) || strings.ContainsRune(ref, filepath.Separator) {
		return true
	}
	if strings.HasSuffix(ref, ".yaml") || strings.HasSuffix(ref, ".yml") {
		return true
	}
	_, err := os.Stat(ref)
	return err == nil
}

// Load loads a built-in scenario by name, or a file: ref is a path if it
// contains a path separator, ends in .yaml or .yml, or exists on disk.
func Load(ref string, overrides ...string) (*Scenario, error) {
	src, err := Open(ref)
	if err != nil {
		return nil, err
	}
	return src.Load(overrides...)
}

// Source is a scenario read and parsed once, from which Load makes
// scenarios with different overrides without reading or parsing the file
// again (a sweep's points): src.Load(ov...) is Load(ref, ov...) as it was
// when Open read it.
type Source struct {
	file  string
	data  []byte
	root  *yaml.Node
	alias bool // the tree has aliases: Load copies it whole
}

// Open reads and parses a built-in scenario or a file, as Load takes ref.
func Open(ref string) (*Source, error) {
	if isPath(ref) {
		b, err := readCapped(ref, "scenario", MaxFileBytes)
		if err != nil {
			return nil, err
		}
		return openData(ref, b)
	}
	b, ok := Builtin(ref)
	if !ok {
		msg := fmt.Sprintf("scenarios: no built-in scenario %q and no such file", ref)
		if h := hint(ref, builtinNames()); h != "" {
			msg += "; " + h
		}
		return nil, fmt.Errorf("%s", msg)
	}
	return openData("builtin:"+ref, b)
}

func openData(file string, data []byte) (*Source, error) {
	if err := checkSize(file, data); err != nil {
		return nil, err
	}
	root, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	return &Source{file: file, data: data, root: root, alias: hasAlias(root)}, nil
}

// Load decodes the scenario with overrides applied to a copy of its YAML
// tree (the source stays as it was read). It is safe for concurrent use.
// The copy is made on write: only the nodes on the overrides' paths are
// copied, the rest shared (decoding only reads a tree). A tree with
// aliases is copied whole, so that an override through an alias changes
// every place the alias stands, as in a tree of one's own.
func (src *Source) Load(overrides ...string) (*Scenario, error) {
	if src.alias {
		return decodeTree(src.file, src.data, copyNode(src.root, map[*yaml.Node]*yaml.Node{}), overrides, false)
	}
	return decodeTree(src.file, src.data, src.root, overrides, true)
}

// hasAlias reports whether the tree under n has an alias node.
func hasAlias(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode {
		return true
	}
	return slices.ContainsFunc(n.Content, hasAlias)
}

// Parse decodes a scenario from data, applying overrides (dotted keys,
// "KEY=VALUE") to the YAML tree first. file names the source in errors. All
// problems are reported at once, as an *Errors. data is at most
// MaxFileBytes.
func Parse(file string, data []byte, overrides ...string) (*Scenario, error) {
	src, err := openData(file, data)
	if err != nil {
		return nil, err
	}
	return decodeTree(file, data, src.root, overrides, false)
}

// copyNode is a deep copy of a YAML tree, aliases pointing into the copy.
func copyNode(n *yaml.Node, seen map[*yaml.Node]*yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if c, ok := seen[n]; ok {
		return c
	}
	c := new(yaml.Node)
	*c = *n
	seen[n] = c
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for k, x := range n.Content {
			c.Content[k] = copyNode(x, seen)
		}
	}
	c.Alias = copyNode(n.Alias, seen)
	return c
}

// decodeTree is Parse after the YAML is parsed: the overrides applied to
// root, then the scenario decoded and checked. It changes root in place,
// or, with shared, leaves it as it is and copies on write what the
// overrides change.
func decodeTree(file string, data []byte, root *yaml.Node, overrides []string, shared bool) (*Scenario, error) {
	d := newDecoder(file)
	if shared && len(overrides) > 0 {
		d.owned = map[*yaml.Node]bool{}
		root = d.own(root)
	}
	var applied []string
	for _, ov := range overrides {
		d.override(root, ov)
		if k, v, ok := splitOverride(ov); ok {
			applied = append(applied, k+"="+v)
		}
	}
	if len(d.errs) > 0 {
		return nil, &Errors{File: file, List: d.errs}
	}
	name := strings.TrimPrefix(file, "builtin:")
	name = safeName(strings.TrimSuffix(strings.TrimSuffix(filepath.Base(name), ".yaml"), ".yml"))
	sc := d.decode(root, name)
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		return nil, &Errors{File: file, List: d.errs}
	}
	sc.File = file
	sc.Source = data
	sc.Overrides = applied
	sc.Hash = hash(data, applied)
	return sc, nil
}

func hash(data []byte, overrides []string) string {
	h := sha256.New()
	h.Write(data)
	for _, o := range overrides {
		h.Write([]byte(o + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Keys lists the numeric dotted keys of sc that overrides (--set KEY=VALUE)
// and parameter sweeps can set: steps, every parameter, the retrenchment
// profiles and the fields their shapes use, each threat's intensity (and its
// fields) and exposures, and each actor's capability, economy, autonomy and
// (for organisations and groups) commitment. Ties and list elements can be
// set by index (ties.3.trust) but are not listed.
func Keys(sc *Scenario) []string {
	keys := []string{"steps", "outputs.every"}
	for i := range sim.ParamSpecs {
		keys = append(keys, "parameters."+sim.ParamSpecs[i].Name)
	}
	prof := func(prefix string, p sim.Profile) {
		keys = append(keys, prefix)
		var fs []string
		switch p.Shape {
		case sim.Step:
			fs = []string{"base", "peak", "start"}
		case sim.Ramp, sim.Pulse:
			fs = []string{"base", "peak", "start", "end"}
		case sim.ShockDecay:
			fs = []string{"base", "peak", "start", "half_life"}
		}
		for _, f := range fs {
			keys = append(keys, prefix+"."+f)
		}
	}
	w := sc.World
	prof("retrenchment.political", w.Political)
	prof("retrenchment.military", w.Military)
	for _, th := range w.Threats {
		p := "threats." + th.Name
		prof(p+".intensity", th.Intensity)
		regions := make([]string, 0, len(th.RegionExposure))
		for r := range th.RegionExposure {
			regions = append(regions, r)
		}
		sort.Strings(regions)
		for _, r := range regions {
			keys = append(keys, p+".exposure.regions."+r)
		}
		idx := make([]int, 0, len(th.ActorExposure))
		for a := range th.ActorExposure {
			idx = append(idx, a)
		}
		sort.Ints(idx)
		for _, a := range idx {
			keys = append(keys, p+".exposure.actors."+w.Actors[a].ID)
		}
	}
	for _, a := range w.Actors {
		p := "actors." + a.ID
		keys = append(keys, p+".capability", p+".economy", p+".autonomy")
		if a.Kind != sim.State {
			keys = append(keys, p+".commitment")
		}
	}
	return keys
}
