package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --cpuprofile writes a pprof CPU profile of the command (gzip-compressed
// protocol buffer, whose string table names the sample type), and a file
// it cannot create is an error naming the flag, before any work is done.
func TestCPUProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "run.prof")
	if code, _, errs := run(t, "run", "baseline", "--replicates", "1", "--steps", "5", "--charts=false", "--out", filepath.Join(dir, "out"), "--cpuprofile", prof); code != 0 {
		t.Fatalf("run --cpuprofile: %d %s", code, errs)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	z, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a gzip-compressed profile: %v", prof, err)
	}
	raw, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("cpu")) || !bytes.Contains(raw, []byte("nanoseconds")) {
		t.Fatalf("%s holds no CPU profile (%d bytes)", prof, len(raw))
	}
	if err := stopCPUProfile(); err != nil {
		t.Fatalf("the profile was left open: %v", err)
	}

	bad := filepath.Join(dir, "missing", "x.prof")
	out := filepath.Join(dir, "out2")
	code, _, errs := run(t, "run", "baseline", "--replicates", "1", "--steps", "5", "--out", out, "--cpuprofile", bad)
	if code != 1 || !strings.Contains(errs, "--cpuprofile "+bad) {
		t.Fatalf("unwritable --cpuprofile: %d %q", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatalf("the run went ahead (%s exists) though its profile could not be written", out)
	}
}
