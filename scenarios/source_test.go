package scenarios

import (
	"reflect"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
)

// A Source loads what Load loads, override by override, and its own tree
// is never changed by the overrides it applies: a load without overrides
// after loads with them is the scenario as written. Loads may run at once
// (a sweep's workers).
func TestSourceIsLoad(t *testing.T) {
	for _, name := range []string{"baseline", "taiwan-crisis", "classroom"} {
		src, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sets := [][]string{nil, {"retrenchment.political=0.7"}, {"parameters.temperature=0.05", "steps=12"}}
		var wg sync.WaitGroup
		got := make([]*Scenario, len(sets))
		errs := make([]error, len(sets))
		for k, ov := range sets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[k], errs[k] = src.Load(ov...)
			}()
		}
		wg.Wait()
		for k, ov := range sets {
			want, err := Load(name, ov...)
			if err != nil || errs[k] != nil {
				t.Fatalf("%s %v: %v / %v", name, ov, err, errs[k])
			}
			if !reflect.DeepEqual(got[k], want) {
				t.Fatalf("%s %v: the source's scenario differs from Load's", name, ov)
			}
		}
		again, err := src.Load()
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := Load(name); !reflect.DeepEqual(again, want) {
			t.Fatalf("%s: after loads with overrides, the source's scenario without them differs from Load's", name)
		}
	}
}

// copyNode copies aliases with the tree: the copy's alias points at the
// copy's anchor, and a change to the copy leaves the original alone.
func TestCopyNodeAliases(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("a: &x {b: 1}\nc: *x\n"), &doc); err != nil {
		t.Fatal(err)
	}
	c := copyNode(&doc, map[*yaml.Node]*yaml.Node{})
	m, cm := doc.Content[0], c.Content[0]
	anchor, alias := cm.Content[1], cm.Content[3]
	if alias.Kind != yaml.AliasNode || alias.Alias != anchor || anchor == m.Content[1] {
		t.Fatalf("the copy's alias does not point at the copy's anchor")
	}
	anchor.Content[1].Value = "2"
	if m.Content[1].Content[1].Value != "1" || m.Content[3].Alias.Content[1].Value != "1" {
		t.Fatalf("a change to the copy reached the original")
	}
}

// Load copies on write the nodes its overrides change and shares the rest
// of the source's tree: setting every numeric field a built-in gives (to
// the value it has, so that each chunk is valid), a profile given as a
// number set by one of its fields, fields the file leaves out, and one
// field twice, loads what Parse loads, with loads running at once; and the
// source's tree, to a load without overrides afterwards, is as it was.
func TestSourceCopiesOnWrite(t *testing.T) {
	for _, name := range []string{"baseline", "taiwan-crisis", "classroom", "nordic-2022"} {
		src, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := Builtin(name)
		plain, err := src.Load()
		if err != nil {
			t.Fatal(err)
		}
		var sets [][]string
		var chunk []string
		for _, k := range SettableKeys(plain) {
			if k.Kind != "number" || k.Value == "-" || k.Value == "" {
				continue
			}
			chunk = append(chunk, k.Name+"="+k.Value)
			if len(chunk) == 25 {
				sets, chunk = append(sets, chunk), nil
			}
		}
		sets = append(sets, chunk,
			[]string{"retrenchment.political=0.4", "retrenchment.political.base=0.6"},
			[]string{"parameters.temperature=0.05", "parameters.temperature=0.07", "steps=12"},
			[]string{"parameters.closure_bias=0.2", "outputs.every=2"})
		if len(sets) < 4 {
			t.Fatalf("%s: only %d sets of overrides", name, len(sets))
		}
		got := make([]*Scenario, len(sets))
		errs := make([]error, len(sets))
		var wg sync.WaitGroup
		for k, ov := range sets {
			wg.Go(func() { got[k], errs[k] = src.Load(ov...) })
		}
		wg.Wait()
		for k, ov := range sets {
			want, err := Parse("builtin:"+name, data, ov...)
			if err != nil || errs[k] != nil {
				t.Fatalf("%s %v: Parse %v, Source.Load %v", name, ov, err, errs[k])
			}
			if !reflect.DeepEqual(got[k], want) {
				t.Fatalf("%s %v: Source.Load's scenario differs from Parse's", name, ov)
			}
		}
		again, err := src.Load()
		if err != nil || !reflect.DeepEqual(again, plain) {
			t.Fatalf("%s: after loads with overrides the source's scenario without them changed (%v)", name, err)
		}
	}
}

// A tree with aliases is copied whole: an override through an alias
// changes every place it stands, as in Parse, and leaves the source alone.
func TestSourceWithAliases(t *testing.T) {
	data := []byte("steps: 5\nparameters: &p {temperature: 0.1}\nactors:\n  - {id: A, values: [0]}\n  - {id: B, values: [0]}\n")
	src, err := openData("a.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if !src.alias {
		// the anchor alone is no alias: add one
		data = append(data, []byte("x-defaults: *p\n")...)
	}
	src, err = openData("a.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	ov := []string{"parameters.temperature=0.3"}
	got, gerr := src.Load(ov...)
	want, werr := Parse("a.yaml", data, ov...)
	if (gerr == nil) != (werr == nil) || (gerr == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("with aliases: Source.Load %v, Parse %v", gerr, werr)
	}
	plainLoad, lerr := src.Load()
	plainParse, perr := Parse("a.yaml", data)
	if (lerr == nil) != (perr == nil) || (lerr == nil && !reflect.DeepEqual(plainLoad, plainParse)) {
		t.Fatalf("with aliases, after an override: Source.Load() %v, Parse %v", lerr, perr)
	}
}
