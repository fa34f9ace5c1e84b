package scenarios

import "testing"

func BenchmarkParseBaseline(b *testing.B) {
	data, _ := Builtin("baseline")
	for b.Loop() {
		if _, err := Parse("baseline", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkList(b *testing.B) {
	for b.Loop() {
		List()
	}
}
