package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// When import cdm cannot write --out, the error names the file the user
// gave and the flag, says how to fix it, and never names the temporary file
// the write goes through (it used to: "open DIR/.cdm.yaml.123.tmp").
func TestImportOutUnwritable(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what, out, fix string
	}{
		{"a folder that does not exist", filepath.Join(tmp, "missing", "cdm.yaml"), "create"},
		{"a folder that is a file", filepath.Join(file, "cdm.yaml"), "folder"},
		{"a folder given as the file", tmp, "file name"},
	} {
		var out, errb bytes.Buffer
		code := execute(context.Background(), []string{"import", "cdm", "--year", "1999", "--out", c.out}, &out, &errb)
		msg := errb.String()
		if code != 1 || !strings.Contains(msg, "--out "+c.out) || !strings.Contains(msg, c.fix) || strings.Contains(msg, ".tmp") {
			t.Errorf("%s: exit %d, %q; want exit 1 and an error naming --out %s, without the temporary file, saying %q", c.what, code, msg, c.out, c.fix)
		}
	}
}
