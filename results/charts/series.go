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
	"gonum.org/v1/plot/plotter"
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

// Series draws metric over time from summary rows: its mean with the 95%
// confidence band across replicates. A per-actor metric gets one line (and a
// light band) per actor, at most MaxLines of them, those with the highest
// final mean. The format follows path's extension, .png or .svg.
func Series(rows []results.SummaryRow, metric string, path string) error {
	f, err := seriesFigure(rows, metric)
	if err != nil {
		return err
	}
	return f.save(SeriesWidth, SeriesHeight, path)
}

// seriesFigure builds the figure Series draws.
func seriesFigure(rows []results.SummaryRow, metric string) (*figure, error) {
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
	p := plot.New()
	p.Title.Text = metric
	p.X.Label.Text = "step"
	p.Y.Label.Text = metric
	p.Add(plotter.NewGrid())
	f := newFigure(p)
	single := len(lines) == 1 && lines[0].actor == ""
	for i, l := range lines {
		col := color.Color(results.PaletteColor(i))
		if single {
			col = color.RGBA{0x1f, 0x4e, 0x89, 0xff}
		}
		mean := make(plotter.XYs, 0, len(l.rows))
		for _, r := range l.rows {
			if !math.IsNaN(r.Mean) && !math.IsInf(r.Mean, 0) {
				mean = append(mean, plotter.XY{X: float64(r.Step), Y: r.Mean})
			}
		}
		band := bandOf(l.rows)
		if band != nil {
			alpha := uint8(0x40)
			if !single {
				alpha = 0x22
			}
			rc := toRGBA(col)
			band.Color = color.NRGBA{rc.R, rc.G, rc.B, alpha}
			band.LineStyle.Width = 0
			p.Add(band)
			if single {
				f.add("95% CI", band)
			}
		}
		if len(mean) == 0 {
			continue
		}
		ln, err := plotter.NewLine(mean)
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		ln.Color = col
		ln.Width = vg.Points(1.5)
		p.Add(ln)
		name := l.actor
		if name == "" {
			name = "mean"
		}
		f.add(name, ln)
	}
	sub := fmt.Sprintf("mean and 95%% CI over %d replicates", maxN)
	if maxN == 1 {
		sub = "1 replicate"
	}
	if total > MaxLines {
		sub += fmt.Sprintf("; top %d of %d actors by final mean", MaxLines, total)
	}
	p.Title.Text = metric + "\n" + sub
	return f, nil
}

// bandOf is the polygon of the confidence band over the steps where it is
// known (n >= 2), or nil.
func bandOf(rows []results.SummaryRow) *plotter.Polygon {
	var lo, hi plotter.XYs
	for _, r := range rows {
		if finite(r.CILow) && finite(r.CIHigh) {
			lo = append(lo, plotter.XY{X: float64(r.Step), Y: r.CILow})
			hi = append(hi, plotter.XY{X: float64(r.Step), Y: r.CIHigh})
		}
	}
	if len(lo) < 2 {
		return nil
	}
	ring := append(plotter.XYs{}, hi...)
	for i := len(lo) - 1; i >= 0; i-- {
		ring = append(ring, lo[i])
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil
	}
	return poly
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
