package charts

import "testing"

// A hull's label goes above its hull where that is free, else to the next
// free spot above or below, so two groups whose hulls share a top do not
// print their names over each other (nor over an actor's label).
func TestHullLabelsAvoidPlacedLabels(t *testing.T) {
	top, bot := pt{100, 50}, pt{100, 200}
	const w, size = 60, 8
	first := labelSpot(top, bot, w, size, nil)
	if first != (pt{100, 48}) {
		t.Fatalf("with nothing placed the label goes just above the hull, at %v", first)
	}
	taken := []box{{first.x - w/2 - 1.5, first.y - size, first.x + w/2 + 1.5, first.y + 2}}
	second := labelSpot(top, bot, w, size, taken)
	b := box{second.x - w/2 - 1.5, second.y - size, second.x + w/2 + 1.5, second.y + 2}
	if b.overlaps(taken[0]) {
		t.Fatalf("the second label at %v overlaps the first at %v", second, first)
	}
	if second.y != bot.y+size+2 {
		t.Errorf("the second label at %v, want just below the hull (y %v)", second, bot.y+size+2)
	}
	// every spot taken: the first spot, not a label off the canvas
	var all []box
	for y := -100.0; y < 400; y += 5 {
		all = append(all, box{0, y, 200, y + 5})
	}
	if p := labelSpot(top, bot, w, size, all); p != first {
		t.Errorf("with every spot taken the label goes to %v, want the first spot %v", p, first)
	}
	if !(box{0, 0, 10, 10}).overlaps(box{5, 5, 15, 15}) || (box{0, 0, 10, 10}).overlaps(box{10, 0, 20, 10}) {
		t.Error("overlaps: boxes that touch at an edge do not overlap, boxes that share area do")
	}
}
