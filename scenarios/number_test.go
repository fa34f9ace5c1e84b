package scenarios

import (
	"math"
	"testing"

	"go.yaml.in/yaml/v3"
)

// scalarNumber reads every number scalar as the YAML decoder does: its
// fast path for plain decimals gives the same float64, bit for bit, and
// every other spelling goes to the decoder.
func TestScalarNumberIsTheDecoders(t *testing.T) {
	inputs := []string{"0", "1", "-1", "7", "42", "-0", "1.5", "-0.5", "-0.0", "0.0", "5.", "1e3", "1E-3",
		"2.5e+2", "1e5", "00.5", "010", "-010", "00", "0x1F", "0o17", "1_000", "+1", ".5", "-.5", "1e400",
		"-1e400", ".inf", "-.Inf", ".nan", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"18446744073709551616", "0.1", "0.30000000000000004", "123456789012345678901234567890", "1.7976931348623157e308",
		"4.9e-324", "1e-400", "!!float 3", "!!int 4", "'1'"}
	fast := 0
	for _, in := range inputs {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("v: "+in+"\n"), &doc); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		n := doc.Content[0].Content[1]
		if n.Tag != "!!int" && n.Tag != "!!float" {
			continue // not a number scalar: num and integer refuse it before
		}
		var want float64
		werr := n.Decode(&want)
		got, gerr := scalarNumber(n)
		if (werr == nil) != (gerr == nil) || math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s: scalarNumber %v (%v), the decoder %v (%v)", in, got, gerr, want, werr)
		}
		if n.Style == 0 && plainDecimal(n.Value) != notDecimal {
			fast++
		}
	}
	if fast < 20 {
		t.Fatalf("only %d inputs took the fast path", fast)
	}
}
