package charts

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
)

// line is one series of a line chart: a line through (xs, ys) and, where lo
// and hi are finite, a band.
type lineSeries struct {
	name   string
	col    color.NRGBA
	xs, ys []float64
	lo, hi []float64 // nil: no band
	dash   bool
	marks  bool // a dot at each point
	width  float64
	bandA  uint8 // band opacity (0: 0x40)
}

// lineChart is a chart of series against a numeric x with axes, grid and a
// legend on the right that never covers the data.
type lineChart struct {
	title, subtitle string
	xlabel, ylabel  string
	series          []lineSeries
	bandName        string // legend entry for the bands ("" none)
	extra           []legendEntry
	w, h            float64
	// yFloor and yCeil, when finite, bound the y axis (the metric's range):
	// the axis is padded inside them only.
	yFloor, yCeil float64
}

type legendEntry struct {
	name string
	col  color.NRGBA
	kind byte // 'l'ine, 'd'ashed line, 'b'and, 'c'ircle
}

func finiteF(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// niceStep is a round step (1, 2 or 5 × 10^k) that cuts span into about n
// parts.
func niceStep(span float64, n int) float64 {
	if !(span > 0) {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func ticks(lo, hi float64, n int) []float64 {
	st := niceStep(hi-lo, n)
	var out []float64
	for v := math.Ceil(lo/st-1e-9) * st; v <= hi+st*1e-9; v += st {
		if math.Abs(v) < st*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

func tickLabel(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e9 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

var (
	ink     = color.NRGBA{0x22, 0x22, 0x22, 0xff}
	muted   = color.NRGBA{0x66, 0x66, 0x66, 0xff}
	gridInk = color.NRGBA{0xe4, 0xe4, 0xe4, 0xff}
	blue    = color.NRGBA{0x1f, 0x4e, 0x89, 0xff}
	red     = color.NRGBA{0xc0, 0x39, 0x2b, 0xff}
)

// dataRange is the extent of every finite value and band end.
func (c *lineChart) dataRange() (x0, x1, y0, y1 float64, ok bool) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, s := range c.series {
		for i, x := range s.xs {
			if !finiteF(x) {
				continue
			}
			for _, v := range []float64{s.ys[i], at(s.lo, i), at(s.hi, i)} {
				if finiteF(v) {
					x0, x1 = min(x0, x), max(x1, x)
					y0, y1 = min(y0, v), max(y1, v)
				}
			}
		}
	}
	return x0, x1, y0, y1, x0 <= x1
}

func at(v []float64, i int) float64 {
	if v == nil {
		return math.NaN()
	}
	return v[i]
}

// scene lays the chart out.
func (c *lineChart) scene() *scene {
	if c.w == 0 {
		c.w, c.h = 470, 270
	}
	var leg []legendEntry
	for _, s := range c.series {
		k := byte('l')
		if s.dash {
			k = 'd'
		}
		if s.name != "" {
			leg = append(leg, legendEntry{s.name, s.col, k})
		}
	}
	if c.bandName != "" {
		leg = append(leg, legendEntry{c.bandName, color.NRGBA{blue.R, blue.G, blue.B, 0x40}, 'b'})
	}
	leg = append(leg, c.extra...)
	legW := 0.0
	for _, e := range leg {
		legW = max(legW, textWidth(e.name, 9, false))
	}
	if legW > 0 {
		legW += 34
	}
	sc := &scene{w: c.w + legW, h: c.h, title: c.title}
	left, right, top, bottom := 56.0, 12.0, 20.0, 38.0
	if c.subtitle != "" {
		top += 13
	}
	if c.ylabel != "" {
		top += 10
	}
	pw, ph := c.w-left-right, c.h-top-bottom
	sc.text(pt{left, 14}, c.title, 11.5, 's', ink, true)
	if c.subtitle != "" {
		sc.text(pt{left, 27}, c.subtitle, 9, 's', muted, false)
	}
	x0, x1, y0, y1, ok := c.dataRange()
	if !ok {
		sc.text(pt{left + pw/2, top + ph/2}, "no values", 10, 'm', muted, false)
		return sc
	}
	if x0 == x1 {
		x0, x1 = x0-1, x1+1
	}
	if y0 == y1 {
		y0, y1 = y0-max(0.5, math.Abs(y0)*0.1), y1+max(0.5, math.Abs(y1)*0.1)
	}
	pad := (y1 - y0) * 0.05
	y0, y1 = y0-pad, y1+pad
	if finiteF(c.yFloor) && y0 < c.yFloor {
		y0 = c.yFloor
	}
	if finiteF(c.yCeil) && y1 > c.yCeil {
		y1 = c.yCeil
	}
	px := func(x float64) float64 { return left + (x-x0)/(x1-x0)*pw }
	py := func(y float64) float64 { return top + (y1-y)/(y1-y0)*ph }
	// grid and axes
	for _, t := range ticks(y0, y1, 5) {
		y := py(t)
		sc.line([]pt{{left, y}, {left + pw, y}}, gridInk, 0.6)
		sc.text(pt{left - 5, y + 3}, tickLabel(t), 8.5, 'e', muted, false)
	}
	for _, t := range ticks(x0, x1, 6) {
		x := px(t)
		sc.line([]pt{{x, top + ph}, {x, top + ph + 3}}, muted, 0.6)
		sc.text(pt{x, top + ph + 13}, tickLabel(t), 8.5, 'm', muted, false)
	}
	sc.line([]pt{{left, top}, {left, top + ph}, {left + pw, top + ph}}, muted, 0.8)
	sc.text(pt{left + pw/2, c.h - 6}, c.xlabel, 9.5, 'm', ink, false)
	if c.ylabel != "" {
		sc.text(pt{left - 5, top - 5}, c.ylabel, 8.5, 's', muted, false)
	}
	// bands first, then lines
	for _, s := range c.series {
		if s.lo == nil {
			continue
		}
		var top, bot []pt
		for i, x := range s.xs {
			if finiteF(x) && finiteF(s.lo[i]) && finiteF(s.hi[i]) {
				top = append(top, pt{px(x), py(s.hi[i])})
				bot = append(bot, pt{px(x), py(s.lo[i])})
			}
		}
		if len(top) < 2 {
			continue
		}
		ring := append([]pt{}, top...)
		for i := len(bot) - 1; i >= 0; i-- {
			ring = append(ring, bot[i])
		}
		a := s.bandA
		if a == 0 {
			a = 0x40
		}
		sc.polygon(ring, color.NRGBA{s.col.R, s.col.G, s.col.B, a}, color.NRGBA{}, 0)
	}
	for _, s := range c.series {
		var run []pt
		flush := func() {
			w := s.width
			if w == 0 {
				w = 1.5
			}
			if s.dash {
				sc.line(run, s.col, w, 4, 2.5)
			} else {
				sc.line(run, s.col, w)
			}
			run = nil
		}
		for i, x := range s.xs {
			if !finiteF(x) || !finiteF(s.ys[i]) {
				flush()
				continue
			}
			p := pt{px(x), py(s.ys[i])}
			run = append(run, p)
			if s.marks {
				sc.circle(p, 2.2, s.col, color.NRGBA{}, 0)
			}
		}
		flush()
	}
	// legend
	ly := top + 4
	for _, e := range leg {
		lx := c.w + 4
		switch e.kind {
		case 'b':
			sc.polygon([]pt{{lx, ly - 5}, {lx + 20, ly - 5}, {lx + 20, ly + 3}, {lx, ly + 3}}, e.col, color.NRGBA{}, 0)
		case 'c':
			sc.circle(pt{lx + 10, ly - 1}, 4, e.col, ink, 0.5)
		case 'd':
			sc.line([]pt{{lx, ly - 1}, {lx + 20, ly - 1}}, e.col, 1.5, 4, 2.5)
		default:
			sc.line([]pt{{lx, ly - 1}, {lx + 20, ly - 1}}, e.col, 1.8)
		}
		sc.text(pt{lx + 26, ly + 2}, e.name, 9, 's', ink, false)
		ly += 14
	}
	return sc
}

// decimate keeps at most max points of a series: every k-th, the first and
// the last, and in each stride the points where the mean is highest and
// lowest, so peaks survive.
func decimate(n, limit int, ys []float64) []int {
	if n <= limit {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	stride := (n + limit/2 - 1) / (limit / 2)
	var idx []int
	for s := 0; s < n; s += stride {
		e := min(n, s+stride)
		lo, hi := s, s
		for i := s; i < e; i++ {
			if ys[i] < ys[lo] {
				lo = i
			}
			if ys[i] > ys[hi] {
				hi = i
			}
		}
		idx = append(idx, min(lo, hi))
		if lo != hi {
			idx = append(idx, max(lo, hi))
		}
	}
	if idx[len(idx)-1] != n-1 {
		idx = append(idx, n-1)
	}
	return idx
}

// CompareRow is one year of a statistic set beside its observed value.
type CompareRow struct {
	Year            int
	Observed        float64
	Mean, Low, High float64 // simulated mean and the central 95% of the replicates
}

// Compare draws a statistic over the years: the simulated mean (dashed)
// with the band of the central 95% of the replicates, and the observed
// value as a solid line. For a statistic that measures the distance between
// the simulated and the observed network (reference true: degree_ks, top-10
// overlap), the observed value is no series but the value of a perfect
// match, and it is drawn as such. The axis holds band and line whole. The
// format follows path's extension, .svg or .png.
func Compare(path string, rows []CompareRow, stat string, reference bool) error {
	if len(rows) == 0 {
		return fmt.Errorf("charts: compare %s: no rows", stat)
	}
	s := lineSeries{name: "simulated mean", col: blue, dash: true, lo: []float64{}, hi: []float64{}}
	o := lineSeries{name: "observed (CDM)", col: red, width: 2}
	if reference {
		o.name = "perfect match"
		o.width = 1
		o.dash = true
		o.col = muted
	}
	for _, r := range rows {
		s.xs = append(s.xs, float64(r.Year))
		s.ys = append(s.ys, r.Mean)
		s.lo = append(s.lo, r.Low)
		s.hi = append(s.hi, r.High)
		o.xs = append(o.xs, float64(r.Year))
		o.ys = append(o.ys, r.Observed)
	}
	title := stat + ": observed (CDM) and simulated"
	if reference {
		title = stat + ": simulated against the observed network"
	}
	c := &lineChart{title: title, subtitle: "band: central 95% of the replicates", xlabel: "year", ylabel: stat,
		series: []lineSeries{s, o}, bandName: "simulated 95% of replicates", yFloor: math.NaN(), yCeil: math.NaN()}
	return c.scene().save(path)
}
