package classroom

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/entente/entente/scenarios"
)

// yamlCounts parses data with the YAML library and counts its nodes and
// the items of the top-level actors, ties and groups sequences.
func yamlCounts(data []byte) (nodes int, items map[string]int, err error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return 0, nil, err
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		nodes++
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	items = map[string]int{}
	if len(root.Content) == 1 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if v := m.Content[i+1]; v.Kind == yaml.SequenceNode {
				items[m.Content[i].Value] = len(v.Content)
			}
		}
	}
	return nodes, items, nil
}

func TestPrescanBuiltins(t *testing.T) {
	for _, in := range scenarios.List() {
		b, _ := scenarios.Builtin(in.Name)
		st := prescanYAML(b)
		nodes, items, err := yamlCounts(b)
		if err != nil {
			t.Fatal(err)
		}
		if st.Actors != items["actors"] || st.Ties != items["ties"] || st.Groups != items["groups"] || st.Alias {
			t.Errorf("%s: scan %+v, YAML actors %d ties %d groups %d", in.Name, st, items["actors"], items["ties"], items["groups"])
		}
		if nodes > 2*st.Values+2 {
			t.Errorf("%s: %d nodes, scan counted %d values", in.Name, nodes, st.Values)
		}
		if _, err := checkUpload(b, defaultScanLimits); err != nil {
			t.Errorf("%s refused: %v", in.Name, err)
		}
		t.Logf("%s: %d bytes, %d values, %d nodes, %d actors, %d ties, %d groups", in.Name, len(b), st.Values, nodes, st.Actors, st.Ties, st.Groups)
	}
}

func TestPrescanStyles(t *testing.T) {
	cases := []struct {
		src                  string
		actors, ties, groups int
	}{
		{"actors:\n  - id: A\n    values: [1, 2]\n  - id: B\n    values:\n      - 1\n      - 2\n", 2, 0, 0},
		{"actors:\n- id: A\n- {id: B, name: \"x, y\"}\nties: []\n", 2, 0, 0},
		{"actors: [{id: A}, {id: B}, {id: 'C, D'}]\nties: [{a: A, b: B}]\n", 3, 1, 0},
		{"actors: [\n  {id: A},\n  {id: B}\n]\ngroups:\n  - name: G # a comment - with dashes\n    members: [A, B]\n", 2, 0, 1},
		{"description: |\n  - not an item\n  actors: no\nactors:\n  - id: A\n", 1, 0, 0},
		{"\"actors\":\n  - id: A\n  - id: 'it''s'\n  - id: \"multi\n    line\"\n", 3, 0, 0},
		{"---\nactors:\n  # - commented out\n  - id: A\n...\n", 1, 0, 0},
	}
	for _, c := range cases {
		st := prescanYAML([]byte(c.src))
		if st.Actors != c.actors || st.Ties != c.ties || st.Groups != c.groups {
			t.Errorf("%q: %+v, want actors %d ties %d groups %d", c.src, st, c.actors, c.ties, c.groups)
		}
		nodes, items, err := yamlCounts([]byte(c.src))
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		if items["actors"] != c.actors || nodes > 2*st.Values+2 {
			t.Errorf("%q: YAML %d actors, %d nodes; scan %d values", c.src, items["actors"], nodes, st.Values)
		}
	}
}

func TestCheckUploadRefuses(t *testing.T) {
	var big strings.Builder
	big.WriteString("actors:\n")
	for i := range 400 {
		fmt.Fprintf(&big, "  - {id: A%d, kind: state}\n", i)
	}
	lim := defaultScanLimits
	cases := []struct{ src, want string }{
		{big.String(), "400 actors; classroom mode takes at most 300"},
		{"base: &b [1, 2]\nactors:\n  - values: *b\n", "line 3: aliases"},
		{"x:\n" + strings.Repeat("-\n", lim.Values+1), "values; classroom mode takes at most"},
	}
	for _, c := range cases {
		_, err := checkUpload([]byte(c.src), lim)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.30q: %v, want %q", c.src, err, c.want)
		}
	}
}

// FuzzPrescan checks that the scan never panics and never counts fewer
// values than bound the nodes the YAML library builds, which is what keeps
// an upload's parse within its memory budget.
func FuzzPrescan(f *testing.F) {
	b, _ := scenarios.Builtin("classroom")
	f.Add(b)
	f.Add([]byte("actors: [{id: A}, {id: B}]\nties:\n- {a: A, b: B}\n"))
	f.Add([]byte("a: |\n  text\nb: >-\n  more\n- x\n? k\n: v\n"))
	f.Add([]byte("{a: [b, {c: d}], 'e': \"f\\\"g\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4<<10 {
			return
		}
		st := prescanYAML(data)
		if st.Alias {
			return
		}
		nodes, _, err := yamlCounts(data)
		if err != nil {
			return
		}
		if nodes > 2*st.Values+2 {
			t.Fatalf("%d YAML nodes but the scan counted %d values in %q", nodes, st.Values, data)
		}
	})
}
