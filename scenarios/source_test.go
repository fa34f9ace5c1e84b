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
