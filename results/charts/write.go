package charts

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/entente/entente/results"
)

// DefaultSeed seeds the network layout of Write.
const DefaultSeed = 1

// Write draws a result set's charts into dir: <metric>.svg for every
// metric of the summary that is not 0 throughout (in order of first
// appearance), and network.svg and network.png from last when it is not
// nil, with the summary's followed actors labelled. It returns the files
// written, relative to dir. Its signature is results.ChartFunc.
func Write(dir string, summary []results.SummaryRow, last *results.Snapshot) ([]string, error) {
	return Writer(DefaultSeed)(dir, summary, last)
}

// Writer returns a results.ChartFunc like Write (the seed is kept for
// callers; the region layout needs none).
func Writer(seed uint64) results.ChartFunc {
	return func(dir string, summary []results.SummaryRow, last *results.Snapshot) ([]string, error) {
		var files []string
		var errs []error
		used := map[string]bool{"network": true}
		seen := map[string]bool{}
		var focus []string
		for _, r := range summary {
			if r.Actor != "" && !slices.Contains(focus, r.Actor) {
				focus = append(focus, r.Actor)
			}
			if seen[r.Metric] {
				continue
			}
			seen[r.Metric] = true
			if AllZero(summary, r.Metric) {
				continue
			}
			base := FileName(r.Metric)
			for k := 2; used[base]; k++ {
				base = fmt.Sprintf("%s-%d", FileName(r.Metric), k)
			}
			used[base] = true
			if err := Series(summary, r.Metric, filepath.Join(dir, base+".svg")); err != nil {
				errs = append(errs, err)
				continue
			}
			files = append(files, base+".svg")
		}
		if last != nil {
			sc := networkScene(last, NetworkOptions{Focus: focus})
			for _, ext := range []string{".svg", ".png"} {
				if err := sc.save(filepath.Join(dir, "network"+ext)); err != nil {
					errs = append(errs, err)
					continue
				}
				files = append(files, "network"+ext)
			}
		}
		return files, errors.Join(errs...)
	}
}

// ZeroMetrics lists the metrics of a summary that are 0 throughout, whose
// charts Write leaves out.
func ZeroMetrics(summary []results.SummaryRow) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range summary {
		if !seen[r.Metric] {
			seen[r.Metric] = true
			if AllZero(summary, r.Metric) {
				out = append(out, r.Metric)
			}
		}
	}
	return out
}

// FileName turns a metric name into a safe file name: letters, digits, '-',
// '_' and '.' are kept, anything else becomes '_'.
func FileName(metric string) string {
	var b strings.Builder
	for _, r := range metric {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if s == "" {
		s = "metric"
	}
	return s
}
