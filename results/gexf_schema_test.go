package results_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entente/entente/results"
)

// gexfSamples writes the golden snapshot and snapshots of two built-in runs
// as GEXF files into a temporary folder.
func gexfSamples(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	snaps := []results.Snapshot{tinySnapshot(), runEngine(t, "nordic-2022", 12).snap, runEngine(t, "counter-isis", 20).snap}
	var files []string
	for i := range snaps {
		var buf bytes.Buffer
		if err := results.WriteGEXF(&buf, &snaps[i]); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, fmt.Sprintf("s%d.gexf", i))
		if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// The GEXF files validate with xmllint against the GEXF 1.2 grammar in
// testdata (viz elements in the viz namespace), and a file with the viz
// namespace dropped does not. xmllint comes from Debian's libxml2-utils
// (.ci/run installs it); without it the test skips, loudly.
func TestGEXFValidatesWithXmllint(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		msg := "SKIP " + t.Name() + ": no xmllint: apt-get install libxml2-utils"
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	rng := filepath.Join("testdata", "gexf12-entente.rng")
	for _, f := range gexfSamples(t) {
		if out, err := exec.Command(xmllint, "--noout", "--relaxng", rng, f).CombinedOutput(); err != nil {
			t.Errorf("%s does not validate: %v\n%s", filepath.Base(f), err, out)
		}
	}
	// the grammar is not a rubber stamp: colours outside the viz namespace fail
	b, _ := os.ReadFile(filepath.Join("testdata", "snapshots_rep0_step2.gexf"))
	bad := filepath.Join(t.TempDir(), "bad.gexf")
	os.WriteFile(bad, bytes.ReplaceAll(b, []byte(` xmlns="http://www.gexf.net/1.2draft/viz"`), nil), 0o644)
	if out, err := exec.Command(xmllint, "--noout", "--relaxng", rng, bad).CombinedOutput(); err == nil {
		t.Errorf("a GEXF without the viz namespace validates:\n%s", out)
	}
}

// With ENTENTE_GEXF_SCHEMA naming a folder that holds the published GEXF
// 1.2 specification (gexf.rnc and the files it includes, from the GEXF
// project's specs/1.2draft), the files validate against it with jing
// (Debian's jing). It cannot be shipped here; the test skips without it.
func TestGEXFValidatesAgainstThePublishedSpec(t *testing.T) {
	dir := os.Getenv("ENTENTE_GEXF_SCHEMA")
	jing, err := exec.LookPath("jing")
	if dir == "" || err != nil {
		t.Skip("set ENTENTE_GEXF_SCHEMA to the folder of the published gexf.rnc, and install jing, to validate against it")
	}
	for _, f := range gexfSamples(t) {
		out, err := exec.Command(jing, "-c", filepath.Join(dir, "gexf.rnc"), f).CombinedOutput()
		var msgs []string
		for _, l := range strings.Split(string(out), "\n") {
			if l != "" && !strings.Contains(l, "[warning]") {
				msgs = append(msgs, l)
			}
		}
		if err != nil || len(msgs) > 0 {
			t.Errorf("%s: %v\n%s", filepath.Base(f), err, strings.Join(msgs, "\n"))
		}
	}
}
