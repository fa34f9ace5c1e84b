package charts

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"github.com/entente/entente/results"
	"github.com/entente/entente/sim/sweep"
)

// MorrisSVG draws the Morris screening of one outcome: each factor at (mu*,
// sigma) with its 95% bootstrap intervals as whiskers and its key as label;
// factors far right matter most, high ones act non-linearly or through
// interactions. The noise floor, when known, is a dashed vertical line.
func MorrisSVG(w io.Writer, effects []sweep.MorrisEffect, outcome string) error {
	var es []sweep.MorrisEffect
	for _, e := range effects {
		if e.Outcome == outcome && finiteF(e.MuStar) {
			es = append(es, e)
		}
	}
	sc := &scene{w: 470, h: 300, title: "Morris screening of " + outcome}
	left, top, pw, ph := 56.0, 44.0, 390.0, 212.0
	sc.text(pt{left, 14}, "Morris screening: "+outcome, 11.5, 's', ink, true)
	sc.text(pt{left, 27}, "mu* (importance) against sigma (non-linearity, interactions), 95% bootstrap intervals", 9, 's', muted, false)
	if len(es) == 0 {
		sc.text(pt{left + pw/2, top + ph/2}, "no effects", 10, 'm', muted, false)
		return sc.SVG(w)
	}
	xmax, ymax := 0.0, 0.0
	floor := math.NaN()
	for _, e := range es {
		xmax = max(xmax, e.MuStar, nz(e.MuStarHi))
		ymax = max(ymax, nz(e.Sigma), nz(e.SigmaHi))
		if finiteF(e.NoiseFloor) {
			floor = e.NoiseFloor
			xmax = max(xmax, e.NoiseFloor)
		}
	}
	xmax, ymax = max(xmax*1.08, 1e-12), max(ymax*1.08, 1e-12)
	px := func(x float64) float64 { return left + x/xmax*pw }
	py := func(y float64) float64 { return top + ph - y/ymax*ph }
	axes(sc, left, top, pw, ph, 0, xmax, 0, ymax, "mu*", "sigma")
	if finiteF(floor) {
		sc.line([]pt{{px(floor), top}, {px(floor), top + ph}}, muted, 0.8, 3, 3)
		sc.text(pt{px(floor) + 3, top + 9}, "noise floor", 8, 's', muted, false)
	}
	for i, e := range es {
		col := rgba(results.PaletteColor(i), 0xff)
		c := pt{px(e.MuStar), py(nz(e.Sigma))}
		if finiteF(e.MuStarLow) {
			sc.line([]pt{{px(e.MuStarLow), c.y}, {px(e.MuStarHi), c.y}}, col, 1)
		}
		if finiteF(e.SigmaLow) {
			sc.line([]pt{{c.x, py(e.SigmaLow)}, {c.x, py(e.SigmaHi)}}, col, 1)
		}
		s := sc.circle(c, 3.5, col, ink, 0.5)
		s.tip = fmt.Sprintf("%s: mu* %.4g [%.4g, %.4g], sigma %.4g", e.Key, e.MuStar, e.MuStarLow, e.MuStarHi, e.Sigma)
		sc.text(pt{c.x + 5, c.y - 4}, e.Key, 8.5, 's', ink, false)
	}
	return sc.SVG(w)
}

func nz(v float64) float64 {
	if finiteF(v) {
		return v
	}
	return 0
}

// SobolSVG draws the Sobol indices of one outcome: for each factor a bar of
// its first-order index S1 and one of its total index ST, with their 95%
// bootstrap intervals; the axis runs from 0 to 1 (and beyond where an
// estimate does, which a warning then explains).
func SobolSVG(w io.Writer, idx []sweep.SobolIndex, outcome string) error {
	var xs []sweep.SobolIndex
	for _, x := range idx {
		if x.Outcome == outcome {
			xs = append(xs, x)
		}
	}
	sc := &scene{w: 470, h: 60 + 26*float64(max(1, len(xs))) + 40, title: "Sobol indices of " + outcome}
	left, top := 150.0, 40.0
	pw := 290.0
	sc.text(pt{10, 14}, "Sobol indices: "+outcome, 11.5, 's', ink, true)
	sc.text(pt{10, 27}, "first-order S1 (dark) and total ST (light), 95% bootstrap intervals", 9, 's', muted, false)
	lo, hi := 0.0, 1.0
	for _, x := range xs {
		for _, v := range []float64{x.S1, x.S1Low, x.S1Hi, x.ST, x.STLow, x.STHi} {
			if finiteF(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	px := func(v float64) float64 { return left + (v-lo)/(hi-lo)*pw }
	ph := 26 * float64(max(1, len(xs)))
	for _, t := range ticks(lo, hi, 5) {
		sc.line([]pt{{px(t), top}, {px(t), top + ph}}, gridInk, 0.6)
		sc.text(pt{px(t), top + ph + 12}, tickLabel(t), 8.5, 'm', muted, false)
	}
	sc.line([]pt{{px(0), top}, {px(0), top + ph}}, muted, 0.8)
	dark, light := blue, color.NRGBA{0x8f, 0xb3, 0xd9, 0xff}
	for i, x := range xs {
		y := top + 26*float64(i)
		sc.text(pt{left - 6, y + 15}, x.Key, 8.5, 'e', ink, false)
		for k, v := range [][3]float64{{x.S1, x.S1Low, x.S1Hi}, {x.ST, x.STLow, x.STHi}} {
			col := dark
			if k == 1 {
				col = light
			}
			yy := y + 4 + 9*float64(k)
			if finiteF(v[0]) {
				b := sc.polygon([]pt{{px(0), yy}, {px(v[0]), yy}, {px(v[0]), yy + 8}, {px(0), yy + 8}}, col, color.NRGBA{}, 0)
				b.tip = fmt.Sprintf("%s %s %.3g [%.3g, %.3g]", x.Key, []string{"S1", "ST"}[k], v[0], v[1], v[2])
			}
			if finiteF(v[1]) && finiteF(v[2]) {
				sc.line([]pt{{px(v[1]), yy + 4}, {px(v[2]), yy + 4}}, ink, 1)
				sc.line([]pt{{px(v[1]), yy + 1}, {px(v[1]), yy + 7}}, ink, 1)
				sc.line([]pt{{px(v[2]), yy + 1}, {px(v[2]), yy + 7}}, ink, 1)
			}
		}
	}
	return sc.SVG(w)
}

// axes draws a frame with ticks for a scatter in [x0, x1] × [y0, y1].
func axes(sc *scene, left, top, pw, ph, x0, x1, y0, y1 float64, xlabel, ylabel string) {
	px := func(x float64) float64 { return left + (x-x0)/(x1-x0)*pw }
	py := func(y float64) float64 { return top + ph - (y-y0)/(y1-y0)*ph }
	for _, t := range ticks(y0, y1, 5) {
		sc.line([]pt{{left, py(t)}, {left + pw, py(t)}}, gridInk, 0.6)
		sc.text(pt{left - 5, py(t) + 3}, tickLabel(t), 8.5, 'e', muted, false)
	}
	for _, t := range ticks(x0, x1, 6) {
		sc.line([]pt{{px(t), top + ph}, {px(t), top + ph + 3}}, muted, 0.6)
		sc.text(pt{px(t), top + ph + 13}, tickLabel(t), 8.5, 'm', muted, false)
	}
	sc.line([]pt{{left, top}, {left, top + ph}, {left + pw, top + ph}}, muted, 0.8)
	sc.text(pt{left + pw/2, top + ph + 30}, xlabel, 9.5, 'm', ink, false)
	sc.text(pt{left - 8, top - 6}, ylabel, 8.5, 's', muted, false)
}

// Difference is a paired difference of one branch from the first at one
// step, with its 95% interval.
type Difference struct {
	Branch          string
	Step            int
	Mean, Low, High float64
}

// DifferencesSVG draws the paired differences of a metric between each
// branch and the first over time, with their 95% intervals, and a line at
// 0 (no effect).
func DifferencesSVG(w io.Writer, metric string, diffs []Difference) error {
	var order []string
	by := map[string]*lineSeries{}
	for _, d := range diffs {
		s, ok := by[d.Branch]
		if !ok {
			s = &lineSeries{name: d.Branch, col: rgba(results.PaletteColor(len(order)+1), 0xff), lo: []float64{}, hi: []float64{}, bandA: 0x30}
			by[d.Branch] = s
			order = append(order, d.Branch)
		}
		s.xs = append(s.xs, float64(d.Step))
		s.ys = append(s.ys, d.Mean)
		s.lo = append(s.lo, d.Low)
		s.hi = append(s.hi, d.High)
	}
	c := &lineChart{title: metric + ": difference from the first branch", subtitle: "paired by replicate (common random numbers), 95% interval",
		xlabel: "step", yFloor: math.NaN(), yCeil: math.NaN()}
	var x0, x1 float64
	for i, b := range order {
		c.series = append(c.series, *by[b])
		if i == 0 || by[b].xs[0] < x0 {
			x0 = by[b].xs[0]
		}
		x1 = max(x1, by[b].xs[len(by[b].xs)-1])
	}
	c.series = append(c.series, lineSeries{name: "no difference", col: muted, xs: []float64{x0, x1}, ys: []float64{0, 0}, dash: true, width: 0.8})
	return c.scene().SVG(w)
}
