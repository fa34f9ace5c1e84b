package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// pattern is a key with its list elements as *: actors.*.name.
func pattern(key string) string {
	seg := strings.Split(key, ".")
	for i := 1; i < len(seg); i++ {
		switch seg[i-1] {
		case "actors", "threats", "groups", "ties", "values", "members", "regions", "metrics", "snapshots", "points":
			seg[i] = "*"
		}
	}
	return strings.Join(seg, ".")
}

// Every key SettableKeys lists can be set: set to the value it shows, each
// gives back the same scenario. Every numeric key (Keys) is among them.
func TestSettableKeysRoundTrip(t *testing.T) {
	for _, name := range []string{"classroom", "nordic-2022"} {
		sc, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		keys := SettableKeys(sc)
		var names []string
		for _, k := range keys {
			names = append(names, k.Name)
		}
		for _, k := range Keys(sc) {
			if !slices.Contains(names, k) {
				t.Errorf("%s: numeric key %s not listed", name, k)
			}
		}
		for _, want := range []string{"steps", "actors.FIN.enter", "ties.0.form", "outputs.snapshots", "parameters.temperature"} {
			if name == "nordic-2022" && !slices.Contains(names, want) {
				t.Errorf("%s: %s not listed", name, want)
			}
		}
		if len(keys) < 3*len(Keys(sc)) {
			t.Errorf("%s: %d keys, %d numeric", name, len(keys), len(Keys(sc)))
		}
		// every kind of key (the key with its element ids as *) once, and a
		// sample of the rest
		set, seen, every := 0, map[string]bool{}, 10
		if name != "classroom" {
			every = 150 // the large world: a sample (classroom has every kind)
		}
		for i, k := range keys {
			pat := pattern(k.Name)
			if k.Value == "" || ((seen[pat] || name != "classroom") && i%every != 0) {
				continue
			}
			seen[pat] = true
			got, err := Load(name, k.Name+"="+k.Value)
			if err != nil {
				t.Errorf("%s: --set %s=%s: %v", name, k.Name, k.Value, err)
				continue
			}
			if !reflect.DeepEqual(got.World, sc.World) || got.Params != sc.Params || got.Steps != sc.Steps ||
				got.Name != sc.Name || got.Description != sc.Description || !reflect.DeepEqual(got.Outputs, sc.Outputs) {
				t.Errorf("%s: --set %s=%s changed the scenario", name, k.Name, k.Value)
			}
			set++
		}
		if set < 10 || (name == "classroom" && set < 40) {
			t.Errorf("%s: only %d keys with a value", name, set)
		}
		t.Logf("%s: %d settable keys, %d set back to their value, %d numeric", name, len(keys), set, len(Keys(sc)))
	}
}
