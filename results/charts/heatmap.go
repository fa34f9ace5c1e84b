package charts

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Size of the sweep charts (heat maps and response curves).
var (
	HeatWidth  = 14 * vg.Centimeter
	HeatHeight = 12 * vg.Centimeter
)

// grid is a heat map's data: z[x][y] over increasing xs and ys.
type grid struct {
	xs, ys []float64
	z      [][]float64
}

func (g grid) Dims() (c, r int)        { return len(g.xs), len(g.ys) }
func (g grid) Z(c, r int) float64      { return g.z[c][r] }
func (g grid) X(c int) float64         { return g.xs[c] }
func (g grid) Y(r int) float64         { return g.ys[r] }
func (g grid) Label(i int) string      { c, r := i/len(g.ys), i%len(g.ys); return cellLabel(g.z[c][r]) }
func (g grid) Len() int                { return len(g.xs) * len(g.ys) }
func (g grid) XY(i int) (x, y float64) { return g.xs[i/len(g.ys)], g.ys[i%len(g.ys)] }

func cellLabel(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// HeatMap draws a phase diagram: z[i][j] (e.g. the mean of an outcome) over
// xs[i] × ys[j], both increasing, as coloured cells labelled with their
// values; empty (NaN) cells are white. The format follows path's extension,
// .png or .svg.
func HeatMap(path string, xs, ys []float64, z [][]float64, xlabel, ylabel, title string) error {
	if len(xs) == 0 || len(ys) == 0 || len(z) != len(xs) {
		return errors.New("charts: heat map: empty or ragged grid")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range z {
		if len(z[i]) != len(ys) {
			return errors.New("charts: heat map: ragged grid")
		}
		for _, v := range z[i] {
			if !math.IsNaN(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if lo > hi {
		lo, hi = 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}
	pal, err := brewer.GetPalette(brewer.TypeSequential, "YlGnBu", 9)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	g := grid{xs, ys, z}
	hm := plotter.NewHeatMap(g, pal)
	hm.Min, hm.Max = lo, hi
	hm.NaN = color.White
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Add(hm)
	labels, err := plotter.NewLabels(g)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font.Size = vg.Points(9)
		labels.TextStyle[i].XAlign = text.XCenter
		labels.TextStyle[i].YAlign = text.YCenter
		if v := z[i/len(ys)][i%len(ys)]; !math.IsNaN(v) && (v-lo)/(hi-lo) > 0.6 {
			labels.TextStyle[i].Color = color.White
		}
	}
	p.Add(labels)
	p.X.Tick.Marker = valueTicks(xs)
	p.Y.Tick.Marker = valueTicks(ys)
	f := newFigure(p)
	for k, c := range pal.Colors() {
		if k%2 == 0 || k == len(pal.Colors())-1 {
			v := lo + (hi-lo)*float64(k)/float64(len(pal.Colors())-1)
			box, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: 1}})
			box.Color = c
			box.LineStyle.Width = 0
			f.add(strconv.FormatFloat(v, 'g', 3, 64), box)
		}
	}
	return f.save(HeatWidth, HeatHeight, path)
}

// valueTicks labels the axis at the grid's values (at most 12 of them).
func valueTicks(vs []float64) plot.Ticker {
	step := max(1, (len(vs)+11)/12)
	var ticks []plot.Tick
	for i, v := range vs {
		t := plot.Tick{Value: v}
		if i%step == 0 {
			t.Label = strconv.FormatFloat(v, 'g', 4, 64)
		}
		ticks = append(ticks, t)
	}
	return plot.ConstantTicks(ticks)
}

// Response draws an outcome against one parameter: the mean at each x with
// its 95% confidence band (lo, hi; NaN where unknown); the axis holds the
// band whole. The format follows path's extension, .svg or .png.
func Response(path string, x, mean, lo, hi []float64, xlabel, ylabel, title string) error {
	c, err := responseChart(x, mean, lo, hi, xlabel, ylabel, title)
	if err != nil {
		return err
	}
	return c.scene().save(path)
}

// ResponseSVG writes the chart of Response as SVG to w.
func ResponseSVG(w io.Writer, x, mean, lo, hi []float64, xlabel, ylabel, title string) error {
	c, err := responseChart(x, mean, lo, hi, xlabel, ylabel, title)
	if err != nil {
		return err
	}
	return c.scene().SVG(w)
}

func responseChart(x, mean, lo, hi []float64, xlabel, ylabel, title string) (*lineChart, error) {
	if len(x) == 0 || len(mean) != len(x) || len(lo) != len(x) || len(hi) != len(x) {
		return nil, errors.New("charts: response: empty or ragged series")
	}
	t, sub, _ := strings.Cut(title, "\n")
	c := &lineChart{title: t, subtitle: sub, xlabel: xlabel, ylabel: ylabel, bandName: "95% interval", yFloor: math.NaN(), yCeil: math.NaN(),
		series: []lineSeries{{name: "mean", col: blue, xs: x, ys: mean, lo: lo, hi: hi, marks: true}}}
	return c, nil
}
