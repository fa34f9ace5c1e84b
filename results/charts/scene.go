package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/entente/entente/results"
)

// A scene is a picture as a list of shapes in points (1/72 inch), y down.
// It is written as SVG directly (fast: the charts of a run cost little
// beside the run) or rasterised to PNG with gonum's vgimg, so both formats
// show the same picture.
type scene struct {
	w, h  float64
	items []shape
	title string // the SVG's <title>
}

type shapeKind uint8

const (
	shapeLine    shapeKind = iota // open polyline
	shapePolygon                  // closed, filled and/or stroked
	shapeCircle
	shapeText
)

type shape struct {
	kind   shapeKind
	pts    []pt // line, polygon; circle: centre
	r      float64
	fill   color.NRGBA // zero alpha: none
	stroke color.NRGBA
	width  float64
	dash   []float64
	text   string
	size   float64
	anchor byte // 's'tart, 'm'iddle, 'e'nd
	bold   bool
	tip    string // SVG <title>: shown on hover
}

type pt struct{ x, y float64 }

func rgba(c color.Color, alpha uint8) color.NRGBA {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), alpha}
}

func (s *scene) line(pts []pt, c color.NRGBA, width float64, dash ...float64) {
	if len(pts) >= 2 {
		s.items = append(s.items, shape{kind: shapeLine, pts: pts, stroke: c, width: width, dash: dash})
	}
}

func (s *scene) polygon(pts []pt, fill, stroke color.NRGBA, width float64) *shape {
	s.items = append(s.items, shape{kind: shapePolygon, pts: pts, fill: fill, stroke: stroke, width: width})
	return &s.items[len(s.items)-1]
}

func (s *scene) circle(c pt, r float64, fill, stroke color.NRGBA, width float64) *shape {
	s.items = append(s.items, shape{kind: shapeCircle, pts: []pt{c}, r: r, fill: fill, stroke: stroke, width: width})
	return &s.items[len(s.items)-1]
}

func (s *scene) text(at pt, str string, size float64, anchor byte, c color.NRGBA, bold bool) {
	s.items = append(s.items, shape{kind: shapeText, pts: []pt{at}, text: str, size: size, anchor: anchor, fill: c, bold: bold})
}

// textFont is the face text is measured and rasterised with (Liberation
// Sans, which SVG viewers without it replace by their sans-serif).
func textFont(size float64, bold bool) font.Face {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = 700
	}
	return font.DefaultCache.Lookup(f, vg.Length(size))
}

// textWidth is the width of str in points.
func textWidth(str string, size float64, bold bool) float64 {
	face := textFont(size, bold)
	return float64(face.Width(str))
}

func svgColor(c color.NRGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

func f2(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

func escapeXML(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			if r < 0x20 && r != '\t' && r != '\n' {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

func paint(b *bytes.Buffer, attr string, c color.NRGBA) {
	if c.A == 0 {
		fmt.Fprintf(b, ` %s="none"`, attr)
		return
	}
	fmt.Fprintf(b, ` %s="%s"`, attr, svgColor(c))
	if c.A != 0xff {
		fmt.Fprintf(b, ` %s-opacity="%s"`, attr, f2(float64(c.A)/255))
	}
}

// SVG writes the scene as a standalone SVG document (no scripts, no
// external references), fit to be inlined in HTML.
func (s *scene) SVG(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%spt" height="%spt" viewBox="0 0 %s %s" font-family="Liberation Sans, Arial, Helvetica, sans-serif">`,
		f2(s.w), f2(s.h), f2(s.w), f2(s.h))
	if s.title != "" {
		fmt.Fprintf(&b, "<title>%s</title>", escapeXML(s.title))
	}
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>` + "\n")
	for i := range s.items {
		it := &s.items[i]
		switch it.kind {
		case shapeLine, shapePolygon:
			tag := "polyline"
			if it.kind == shapePolygon {
				tag = "polygon"
			}
			fmt.Fprintf(&b, `<%s points="`, tag)
			for k, p := range it.pts {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(f2(p.x))
				b.WriteByte(',')
				b.WriteString(f2(p.y))
			}
			b.WriteByte('"')
			if it.kind == shapeLine {
				b.WriteString(` fill="none"`)
			} else {
				paint(&b, "fill", it.fill)
			}
			writeStroke(&b, it)
		case shapeCircle:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s"`, f2(it.pts[0].x), f2(it.pts[0].y), f2(it.r))
			paint(&b, "fill", it.fill)
			writeStroke(&b, it)
		case shapeText:
			anchor := "start"
			switch it.anchor {
			case 'm':
				anchor = "middle"
			case 'e':
				anchor = "end"
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s"`, f2(it.pts[0].x), f2(it.pts[0].y), f2(it.size), anchor)
			if it.bold {
				b.WriteString(` font-weight="bold"`)
			}
			paint(&b, "fill", it.fill)
			fmt.Fprintf(&b, ">%s</text>\n", escapeXML(it.text))
			continue
		}
		if it.tip != "" {
			fmt.Fprintf(&b, "><title>%s</title></%s>\n", escapeXML(it.tip), map[shapeKind]string{shapeLine: "polyline", shapePolygon: "polygon", shapeCircle: "circle"}[it.kind])
		} else {
			b.WriteString("/>\n")
		}
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeStroke(b *bytes.Buffer, it *shape) {
	if it.stroke.A == 0 || it.width <= 0 {
		return
	}
	paint(b, "stroke", it.stroke)
	fmt.Fprintf(b, ` stroke-width="%s" stroke-linejoin="round"`, f2(it.width))
	if len(it.dash) > 0 {
		var d []string
		for _, x := range it.dash {
			d = append(d, f2(x))
		}
		fmt.Fprintf(b, ` stroke-dasharray="%s"`, strings.Join(d, ","))
	}
}

// PNG rasterises the scene at dpi dots per inch.
func (s *scene) PNG(w io.Writer, dpi int) error {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(s.w), vg.Length(s.h)), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	flip := func(p pt) vg.Point { return vg.Point{X: vg.Length(p.x), Y: vg.Length(s.h - p.y)} }
	pathOf := func(pts []pt, closed bool) vg.Path {
		var p vg.Path
		for k, q := range pts {
			if k == 0 {
				p.Move(flip(q))
			} else {
				p.Line(flip(q))
			}
		}
		if closed {
			p.Close()
		}
		return p
	}
	for i := range s.items {
		it := &s.items[i]
		var p vg.Path
		switch it.kind {
		case shapeLine:
			p = pathOf(it.pts, false)
		case shapePolygon:
			p = pathOf(it.pts, true)
		case shapeCircle:
			ctr := flip(it.pts[0])
			p.Move(vg.Point{X: ctr.X + vg.Length(it.r), Y: ctr.Y})
			p.Arc(ctr, vg.Length(it.r), 0, 2*math.Pi)
			p.Close()
		case shapeText:
			face := textFont(it.size, it.bold)
			at := flip(it.pts[0])
			switch it.anchor {
			case 'm':
				at.X -= face.Width(it.text) / 2
			case 'e':
				at.X -= face.Width(it.text)
			}
			c.SetColor(it.fill)
			c.FillString(face, at, it.text)
			continue
		}
		if it.kind != shapeLine && it.fill.A != 0 {
			c.SetColor(it.fill)
			c.Fill(p)
		}
		if it.stroke.A != 0 && it.width > 0 {
			c.SetColor(it.stroke)
			c.SetLineWidth(vg.Length(it.width))
			var dash []vg.Length
			for _, d := range it.dash {
				dash = append(dash, vg.Length(d))
			}
			c.SetLineDash(dash, 0)
			c.Stroke(p)
		}
	}
	// BestSpeed: deflate's fastest level encodes the network picture in
	// about 0.6 of the default level's time for a file 4 % larger (the
	// pixels are the same); it was most of a run's chart time.
	return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, c.Image())
}

// save writes the scene to path as SVG or PNG by its extension, atomically.
func (s *scene) save(path string) error {
	switch {
	case strings.HasSuffix(strings.ToLower(path), ".svg"):
		return results.WriteFileAtomic(path, s.SVG)
	case strings.HasSuffix(strings.ToLower(path), ".png"):
		return results.WriteFileAtomic(path, func(w io.Writer) error { return s.PNG(w, 144) })
	}
	return fmt.Errorf("charts: %s: unsupported format (want .png or .svg)", path)
}

var _ = plot.DefaultFont
