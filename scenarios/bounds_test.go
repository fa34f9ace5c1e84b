package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

const tiny = "actors:\n  - {id: A}\n  - {id: B}\n"

// wantErr loads data (with overrides) and wants an error holding every part.
func wantErr(t *testing.T, data string, parts []string, over ...string) {
	t.Helper()
	_, err := Parse("x.yaml", []byte(data), over...)
	if err == nil {
		t.Errorf("%q %v: no error", data, over)
		return
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%q %v: error %q lacks %q", data, over, err, p)
		}
	}
}

// Files over MaxFileBytes are refused before they are read, and a file
// without end after MaxFileBytes bytes.
func TestFileSizeCap(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxFileBytes + 1) // sparse: costs no disk
	f.Close()
	for _, path := range []string{big, "/dev/zero"} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("skip %s: %v", path, err)
			continue
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), "at most 8 MiB") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v", path, err)
		}
	}
	if _, err := Load(dir + "/"); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("a folder: %v", err)
	}
	if _, err := Parse("mem.yaml", make([]byte, MaxFileBytes+1)); err == nil || !strings.Contains(err.Error(), "at most 8 MiB") {
		t.Errorf("Parse of too many bytes: %v", err)
	}
	ov := filepath.Join(dir, "fit.overlay")
	os.WriteFile(ov, []byte(strings.Repeat("# x\n", 300_000)), 0o644)
	if _, err := ReadOverlay(ov); err == nil || !strings.Contains(err.Error(), "at most 1 MiB") {
		t.Errorf("a large overlay: %v", err)
	}
}

func TestStepsCap(t *testing.T) {
	wantErr(t, tiny+"steps: 2147483647\n", []string{"steps", "[1, 100000]"})
	wantErr(t, tiny, []string{"steps", "[1, 100000]"}, "steps=100001")
	if sc, err := Parse("x.yaml", []byte(tiny), "steps=100000"); err != nil || sc.Steps != MaxSteps {
		t.Errorf("steps at the cap: %v", err)
	}
}

// .inf and .nan are refused wherever a number goes, from the file and
// from an override; nothing becomes 0 silently.
func TestNonFiniteNumbers(t *testing.T) {
	for _, v := range []string{".inf", "-.inf", ".nan", ".Inf", ".NaN"} {
		wantErr(t, "actors:\n  - {id: A, economy: "+v+"}\n  - {id: B}\n", []string{"actors[0].economy", "want a finite number"})
		wantErr(t, tiny, []string{"parameters.temperature", "finite"}, "parameters.temperature="+v)
		wantErr(t, tiny, []string{"actors.A.capability", "finite"}, "actors.A.capability="+v)
	}
}

func TestIDsAndNames(t *testing.T) {
	for _, id := range []string{"A/B", "A\x00", "A\u202eB", "<script>", "é", "_A", "A B", "A.B", "A:B", strings.Repeat("A", 65), `..`} {
		wantErr(t, "actors:\n  - {id: \""+yamlEscape(id)+"\"}\n  - {id: B}\n", []string{"actors[0].id", "invalid id"})
		wantErr(t, tiny+"threats:\n  - {name: \""+yamlEscape(id)+"\", kind: piracy, exposure: {actors: {A: 1}}, intensity: 0.1}\n",
			[]string{"threats[0].name", "invalid threat name"})
		wantErr(t, "actors:\n  - {id: A, region: \""+yamlEscape(id)+"\"}\n  - {id: B}\n", []string{"actors[0].region", "invalid region"})
	}
	for _, name := range []string{"../../etc/x", "a/b", "<b>", "A\u202eB", "x\x00", "x\u200by", ".hidden", " x", "x  y", "a\\b", "a:b", strings.Repeat("é", 121)} {
		wantErr(t, "name: \""+yamlEscape(name)+"\"\n"+tiny, []string{"name", "invalid name"})
		wantErr(t, "actors:\n  - {id: A, name: \""+yamlEscape(name)+"\"}\n  - {id: B}\n", []string{"actors[0].name", "invalid name"})
	}
	wantErr(t, tiny+"groups:\n  - {name: A.B, issue: maritime, members: [A, B, A]}\n", []string{"groups[0].name", "invalid name"})
	wantErr(t, "description: \"a \\u202e b\"\n"+tiny, []string{"description", "bidirectional control U+202E"})
	wantErr(t, "actors:\n  - {id: A, note: \"x\\u0007\"}\n  - {id: B}\n", []string{"actors[0].note", "control character U+0007"})
	wantErr(t, tiny, []string{"invalid name", "../x"}, "name=../x")
	// what the built-ins and an imported CDM year use passes
	for _, name := range []string{"F-35 partnership", "Yemen People's Republic", "Guinea-Bissau", "Côte d’Ivoire", "Lithium group", "cdm-1981", "St. Kitts and Nevis"} {
		if bad := nameProblem(name, strings.Contains(name, ".")); bad != "" {
			t.Errorf("%q: %s", name, bad)
		}
	}
	for _, in := range List() {
		if _, err := Load(in.Name); err != nil {
			t.Errorf("built-in %s: %v", in.Name, err)
		}
	}
	// a name taken from the file name is made safe
	sc, err := Parse("dir/we<ird> na\u202eme.yaml", []byte(tiny))
	if err != nil || nameProblem(sc.Name, true) != "" || sc.Name != "we_ird__na_me" {
		t.Errorf("name from a file name: %q %v", sc.Name, err)
	}
}

func yamlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r == 0x202e || r == 0x200b:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// An unknown metric in outputs.metrics fails at validate (Load), with a
// hint, as it would fail a run.
func TestMetricsCheckedAtLoad(t *testing.T) {
	wantErr(t, tiny+"outputs: {metrics: [density, densty]}\n", []string{"outputs.metrics[1]", `unknown metric "densty"`, "did you mean density?"})
	wantErr(t, tiny+"outputs: {metrics: [nonsense_metric_xyz]}\n", []string{"entente list metrics"})
	if _, err := Parse("x.yaml", []byte(tiny+"outputs: {metrics: [all, Default, betweenness]}\n")); err != nil {
		t.Error(err)
	}
}

// --set steps=N works on every built-in, shorter or longer than the file's
// steps: the file's snapshots after the end are the run's to drop. A file's
// own snapshot after its own steps is still an error.
func TestSetStepsOnEveryBuiltin(t *testing.T) {
	for _, in := range List() {
		for _, steps := range []string{"steps=5", "steps=50", "steps=300"} {
			if _, err := Load(in.Name, steps); err != nil {
				t.Errorf("%s --set %s: %v", in.Name, steps, err)
			}
		}
	}
	wantErr(t, tiny+"steps: 10\noutputs: {snapshots: [0, 11]}\n", []string{"outputs.snapshots[1]", "[0, 10]"})
}

// FuzzNames checks the safe sets: what passes holds nothing that could
// leave a folder, break a key or hide text, and safeName always gives a
// name that passes.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"USA", "F-35 partnership", "../x", "A\u202eB", "<script>", "x\x00y", "Côte d’Ivoire", ".a", "a..b", ""} {
		f.Add(s)
	}
	idRE := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	f.Fuzz(func(t *testing.T, s string) {
		if idProblem(s) == "" && !idRE.MatchString(s) {
			t.Fatalf("id %q passes", s)
		}
		for _, dot := range []bool{true, false} {
			if nameProblem(s, dot) != "" {
				continue
			}
			if strings.ContainsAny(s, "/\\<>:=\x00\"") || strings.HasPrefix(s, ".") || !utf8.ValidString(s) || (!dot && strings.Contains(s, ".")) {
				t.Fatalf("name %q passes (dot %v)", s, dot)
			}
			for _, r := range s {
				if isBidi(r) || r < 0x20 {
					t.Fatalf("name %q with U+%04X passes", s, r)
				}
			}
		}
		if safe := safeName(s); nameProblem(safe, true) != "" {
			t.Fatalf("safeName(%q) = %q: %s", s, safe, nameProblem(safe, true))
		}
		if textProblem(s) == "" {
			for _, r := range s {
				if isBidi(r) || r == 0 {
					t.Fatalf("text %q passes", s)
				}
			}
		}
	})
}
