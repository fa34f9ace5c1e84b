package scenarios

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/entente/entente/sim/metrics"
)

// Limits on what a scenario may ask for. They are far above any real
// scenario (the largest built-in is 30 KB, an imported CDM year 130 KB and
// 100 steps) and keep a mistyped or hostile file from exhausting the
// machine: a YAML file costs about forty times its size in memory while it
// is parsed.
const (
	// MaxFileBytes is the largest scenario (or overlay) file read.
	MaxFileBytes = 8 << 20
	// MaxSteps is the longest run: steps in a file, --set steps, --steps.
	MaxSteps = 100_000
)

// readCapped reads a file of at most limit bytes, streaming, so that a
// device or a pipe without end (/dev/zero) is refused after limit bytes and
// a large regular file before any is read.
func readCapped(path, what string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	tooBig := func() error {
		return fmt.Errorf("scenarios: %s: larger than %d MiB: a %s file is at most %d MiB (a real one is well under 1 MiB; check that this is the file you meant)",
			path, limit>>20, what, limit>>20)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("scenarios: %s is a folder, not a %s file", path, what)
	}
	if fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, tooBig()
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, tooBig()
	}
	return b, nil
}

// checkSize refuses data over MaxFileBytes (Parse's callers may not have
// read it through readCapped).
func checkSize(file string, data []byte) error {
	if len(data) > MaxFileBytes {
		return &Errors{File: file, List: []*Error{{File: file, Msg: fmt.Sprintf("%d bytes: a scenario is at most %d MiB", len(data), MaxFileBytes>>20)}}}
	}
	return nil
}

// notFinite is the complaint about a number that is not finite (.inf,
// -.inf, .nan), or "".
func notFinite(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "want a finite number, got " + fmt.Sprint(v)
	}
	return ""
}

// snapshotLimit is the largest step outputs.snapshots may name: the file's
// steps, except when steps was set by an override (--set steps=50): then
// the snapshots of the file's own length are kept, and a run drops those
// after its last step (and always snapshots the last step).
func (d *decoder) snapshotLimit(top *obj, steps int) int {
	if n := top.get("steps"); n != nil {
		if _, set := d.ov[d.res(n)]; set {
			return MaxSteps
		}
	}
	return steps
}

// metricProblem checks a metric name of outputs.metrics against the
// catalog (as a run would), so that validate catches what run would refuse.
func metricProblem(name string) (msg, fix string) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "all" || n == "default" {
		return "", ""
	}
	if _, ok := metrics.Lookup(n); ok {
		return "", ""
	}
	h := hint(n, metrics.Names())
	if h == "" {
		h = "'entente list metrics' lists them (or all, default)"
	}
	return fmt.Sprintf("unknown metric %q", name), h
}
