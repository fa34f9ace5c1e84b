package scenarios

import (
	"fmt"
	"strings"
)

// ReadOverlay reads an overlay file: a list of overrides, one KEY=VALUE per
// line as --set takes them (blank lines and lines starting with # are
// skipped). `entente calibrate` writes one (calibrated.overlay); `run`,
// `sweep`, `describe` and `compare` take it with --overlay, before any --set.
func ReadOverlay(path string) ([]string, error) {
	data, err := readCapped(path, "overlay", 1<<20)
	if err != nil {
		return nil, err
	}
	return ParseOverlay(path, data)
}

// ParseOverlay parses an overlay's bytes; name is used in error messages.
func ParseOverlay(name string, data []byte) ([]string, error) {
	var out []string
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("scenarios: %s:%d: %q is not KEY=VALUE (an overlay has one override per line, e.g. parameters.temperature=0.02)", name, i+1, line)
		}
		out = append(out, line)
	}
	return out, nil
}
