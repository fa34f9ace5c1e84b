package charts

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/entente/entente/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MaxLines is the most actors a per-actor chart draws: those with the
// highest mean at the last step.
const MaxLines = 8

// Size of the time-series charts.
var (
	SeriesWidth  = 16 * vg.Centimeter
	SeriesHeight = 10 * vg.Centimeter
)

type line struct {
	actor string
	rows  []results.SummaryRow // by step
}

// linesOf returns the rows of metric grouped by actor, actors in order of
// first appearance.
func linesOf(rows []results.SummaryRow, metric string) []line {
	var out []line
	idx := map[string]int{}
	for _, r := range rows {
		if r.Metric != metric {
			continue
		}
		i, ok := idx[r.Actor]
		if !ok {
			i = len(out)
			idx[r.Actor] = i
			out = append(out, line{actor: r.Actor})
		}
		out[i].rows = append(out[i].rows, r)
	}
	for i := range out {
		slices.SortStableFunc(out[i].rows, func(a, b results.SummaryRow) int { return a.Step - b.Step })
	}
	return out
}

// lastMean is a line's mean at its last step with a value.
func (l *line) lastMean() float64 {
	for i := len(l.rows) - 1; i >= 0; i-- {
		if !math.IsNaN(l.rows[i].Mean) {
			return l.rows[i].Mean
		}
	}
	return math.Inf(-1)
}

// MaxPoints is the most points a line of a time-series chart has: longer
// series are decimated, keeping each stretch's highest and lowest mean.
const MaxPoints = 400

// Series draws metric over time from summary rows: its mean with the 95%
// confidence band across replicates. A per-actor metric gets one line (and a
// light band) per actor, at most MaxLines of them, those with the highest
// final mean. The axis holds every band whole. The format follows path's
// extension, .svg (written directly) or .png.
func Series(rows []results.SummaryRow, metric string, path string) error {
	c, err := seriesChart(rows, metric)
	if err != nil {
		return err
	}
	return c.scene().save(path)
}

// SeriesSVG writes the chart of Series as SVG to w (for inlining in HTML).
func SeriesSVG(w io.Writer, rows []results.SummaryRow, metric string) error {
	c, err := seriesChart(rows, metric)
	if err != nil {
		return err
	}
	return c.scene().SVG(w)
}

// AllZero reports whether every mean and interval of metric in rows is 0
// (or missing): its chart would say nothing, and Write leaves it out.
func AllZero(rows []results.SummaryRow, metric string) bool {
	for _, r := range rows {
		if r.Metric != metric {
			continue
		}
		for _, v := range []float64{r.Mean, r.CILow, r.CIHigh} {
			if finiteF(v) && v != 0 {
				return false
			}
		}
	}
	return true
}

// seriesChart builds the chart Series draws.
func seriesChart(rows []results.SummaryRow, metric string) (*lineChart, error) {
	lines := linesOf(rows, metric)
	if len(lines) == 0 {
		return nil, fmt.Errorf("charts: no summary rows for metric %q", metric)
	}
	total := len(lines)
	if total > MaxLines {
		slices.SortStableFunc(lines, func(a, b line) int {
			x, y := a.lastMean(), b.lastMean()
			switch {
			case x > y:
				return -1
			case x < y:
				return 1
			}
			return 0
		})
		lines = lines[:MaxLines]
	}
	maxN := 0
	for _, l := range lines {
		for _, r := range l.rows {
			maxN = max(maxN, r.N)
		}
	}
	rng := results.RangeOf(metric)
	c := &lineChart{title: metric, xlabel: "step", yFloor: rng.Lo, yCeil: rng.Hi}
	single := len(lines) == 1 && lines[0].actor == ""
	for i, l := range lines {
		col := rgba(results.PaletteColor(i), 0xff)
		if single {
			col = blue
		}
		ys := make([]float64, len(l.rows))
		for k, r := range l.rows {
			ys[k] = r.Mean
			if !finiteF(ys[k]) {
				ys[k] = math.NaN()
			}
		}
		idx := decimate(len(l.rows), MaxPoints, ys)
		s := lineSeries{col: col, lo: []float64{}, hi: []float64{}}
		for _, k := range idx {
			r := l.rows[k]
			s.xs = append(s.xs, float64(r.Step))
			s.ys = append(s.ys, ys[k])
			s.lo = append(s.lo, r.CILow)
			s.hi = append(s.hi, r.CIHigh)
		}
		if !single {
			s.bandA = 0x22
		}
		s.name = l.actor
		if s.name == "" {
			s.name = "mean"
		}
		c.series = append(c.series, s)
	}
	if single && maxN > 1 {
		c.bandName = "95% interval"
	}
	sub := fmt.Sprintf("mean and 95%% interval over %d replicates", maxN)
	if maxN == 1 {
		sub = "1 replicate"
	}
	if total > MaxLines {
		sub += fmt.Sprintf("; top %d of %d actors by final mean", MaxLines, total)
	}
	c.subtitle = sub
	return c, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func toRGBA(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// figure is a plot with its legend drawn beside it, on the right, so the
// legend never hides data.
type figure struct {
	p      *plot.Plot
	legend plot.Legend
	names  []string
}

func newFigure(p *plot.Plot) *figure {
	f := &figure{p: p, legend: plot.NewLegend()}
	f.legend.Top, f.legend.Left = true, true
	f.legend.ThumbnailWidth = 0.7 * vg.Centimeter
	f.legend.TextStyle.Font.Size = vg.Points(10)
	return f
}

func (f *figure) add(name string, thumbs ...plot.Thumbnailer) {
	f.legend.Add(name, thumbs...)
	f.names = append(f.names, name)
}

// legendWidth is the width the legend needs, 0 without entries.
func (f *figure) legendWidth() vg.Length {
	if len(f.names) == 0 {
		return 0
	}
	var w vg.Length
	for _, n := range f.names {
		w = max(w, f.legend.TextStyle.Width(n))
	}
	return w + f.legend.ThumbnailWidth + vg.Points(16)
}

// save renders the figure in the format of path's extension (.png or .svg)
// and writes it atomically.
func (f *figure) save(w, h vg.Length, path string) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	switch format {
	case "png", "svg":
	default:
		return fmt.Errorf("charts: %s: unsupported format %q (want .png or .svg)", path, filepath.Ext(path))
	}
	lw := f.legendWidth()
	c, err := draw.NewFormattedCanvas(w+lw, h, format)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	dc := draw.New(c)
	f.p.Draw(draw.Crop(dc, 0, -lw, 0, 0))
	if lw > 0 {
		f.legend.Draw(draw.Crop(dc, w+vg.Points(4), 0, 0, -vg.Points(40)))
	}
	return results.WriteFileAtomic(path, func(out io.Writer) error {
		_, err := c.WriteTo(out)
		return err
	})
}
