package charts

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/entente/entente/results"
)

// DefaultSeed seeds the network layout of Write.
const DefaultSeed = 1

// Write draws a result set's charts into dir: <metric>.png and .svg for every
// metric of the summary (in order of first appearance), and network.png and
// .svg from last when it is not nil. It returns the files written, relative
// to dir. Its signature is results.ChartFunc.
func Write(dir string, summary []results.SummaryRow, last *results.Snapshot) ([]string, error) {
	return Writer(DefaultSeed)(dir, summary, last)
}

// Writer returns a results.ChartFunc like Write with another layout seed.
func Writer(seed uint64) results.ChartFunc {
	return func(dir string, summary []results.SummaryRow, last *results.Snapshot) ([]string, error) {
		var files []string
		var errs []error
		used := map[string]bool{"network": true}
		seen := map[string]bool{}
		for _, r := range summary {
			if seen[r.Metric] {
				continue
			}
			seen[r.Metric] = true
			base := FileName(r.Metric)
			for k := 2; used[base]; k++ {
				base = fmt.Sprintf("%s-%d", FileName(r.Metric), k)
			}
			used[base] = true
			for _, ext := range []string{".png", ".svg"} {
				if err := Series(summary, r.Metric, filepath.Join(dir, base+ext)); err != nil {
					errs = append(errs, err)
					continue
				}
				files = append(files, base+ext)
			}
		}
		if last != nil {
			for _, ext := range []string{".png", ".svg"} {
				if err := Network(*last, filepath.Join(dir, "network"+ext), seed); err != nil {
					errs = append(errs, err)
					continue
				}
				files = append(files, "network"+ext)
			}
		}
		return files, errors.Join(errs...)
	}
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
