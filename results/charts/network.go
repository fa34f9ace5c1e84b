package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/spatial/r2"

	"github.com/entente/entente/results"
)

// NetworkSize is the side of the network drawing, in points (the legend
// sits to its right).
var NetworkSize = 560.0

// MaxLabels is how many of the most capable actors the network drawing labels
// besides the focus actors and the patron.
const MaxLabels = 10

// MaxHulls is the most groups drawn as hulls (the largest); the title says
// how many more there are.
const MaxHulls = 12

// NetworkOptions say what a network drawing stresses.
type NetworkOptions struct {
	// Focus are the IDs of the actors to label in bold (the run's followed
	// actors); the patron and the MaxLabels most capable actors are
	// labelled too.
	Focus []string
}

// Layout places the snapshot's nodes by region: each region is a cluster
// on a circle (in order of first appearance, its arc as wide as the
// cluster), and inside a cluster the actors lie on a sunflower spiral, the
// most capable at its centre, so allies of a region sit together and the
// picture reads by geography. It returns one position per node, in
// snapshot order, in a square of side about 2 centred on 0. It is a pure
// function of the snapshot (seed is kept for callers that pass one).
func Layout(snap *results.Snapshot, seed uint64) []r2.Vec {
	_ = seed
	n := len(snap.Nodes)
	pos := make([]r2.Vec, n)
	if n == 0 {
		return pos
	}
	regions := snap.Regions()
	members := make([][]int, len(regions))
	for i := range snap.Nodes {
		r := slices.Index(regions, snap.Nodes[i].Region)
		members[r] = append(members[r], i)
	}
	deg := make(map[string]int, n)
	for _, e := range snap.Edges {
		deg[e.Source]++
		deg[e.Target]++
	}
	// cluster radius in units of one node's spacing: a spiral of k points
	// with spacing 1 fills a disc of radius about sqrt(k)/sqrt(π)·1.1
	rad := make([]float64, len(regions))
	total := 0.0
	for r, m := range members {
		rad[r] = 0.6 + 0.62*math.Sqrt(float64(len(m)))
		total += 2 * rad[r]
	}
	gap := 0.8
	total += gap * float64(len(regions))
	R := 0.0
	if len(regions) > 1 {
		R = max(total/(2*math.Pi), rad[0]+rad[len(rad)-1]+gap)
	}
	golden := math.Pi * (3 - math.Sqrt(5))
	angle := -math.Pi / 2
	var ext float64
	for r, m := range members {
		theta := angle + (rad[r]+gap/2)/max(R, 1e-9)
		if len(regions) == 1 {
			theta = 0
		}
		cx, cy := R*math.Cos(theta), R*math.Sin(theta)
		angle += (2*rad[r] + gap) / max(R, 1e-9)
		slices.SortStableFunc(m, func(a, b int) int {
			na, nb := &snap.Nodes[a], &snap.Nodes[b]
			if c := cmp.Compare(nb.Capability, na.Capability); c != 0 && !math.IsNaN(na.Capability) && !math.IsNaN(nb.Capability) {
				return c
			}
			return cmp.Compare(deg[nb.ID], deg[na.ID])
		})
		for k, i := range m {
			rr := 0.62 * math.Sqrt(float64(k)+0.5)
			a := float64(k) * golden
			pos[i] = r2.Vec{X: cx + rr*math.Cos(a), Y: cy + rr*math.Sin(a)}
			ext = max(ext, math.Abs(pos[i].X), math.Abs(pos[i].Y))
		}
	}
	if ext > 0 {
		for i := range pos {
			pos[i] = r2.Scale(1/ext, pos[i])
		}
	}
	return pos
}

// nodeRadius is a node's radius in points: area grows with capability
// relative to the most capable state (organisations, whose capability is
// their members', are drawn no larger than that).
func nodeRadius(capability, maxCap float64) float64 {
	if !(capability > 0) || !(maxCap > 0) {
		return 3
	}
	return 3 + 11*math.Sqrt(min(capability/maxCap, 1))
}

// maxCapability is the largest capability among the states, or among all
// nodes if there are no states.
func maxCapability(snap *results.Snapshot) float64 {
	m, all := 0.0, 0.0
	for i := range snap.Nodes {
		c := snap.Nodes[i].Capability
		if math.IsInf(c, 1) || !(c > 0) {
			continue
		}
		all = max(all, c)
		if snap.Nodes[i].Kind == "state" {
			m = max(m, c)
		}
	}
	if m == 0 {
		return all
	}
	return m
}

var (
	alliedInk = color.NRGBA{0x33, 0x33, 0x33, 0xd0}
	looseInk  = color.NRGBA{0x90, 0x90, 0x90, 0x70}
	assistInk = color.NRGBA{0xc0, 0x6a, 0x1a, 0xc0}
	memberInk = color.NRGBA{0x99, 0x99, 0x99, 0x90}
)

// hullPalette colours group hulls (muted, distinct from the regions').
var hullPalette = []color.NRGBA{
	{0x6a, 0x3d, 0x9a, 0xff}, {0x1b, 0x9e, 0x77, 0xff}, {0xd9, 0x5f, 0x02, 0xff}, {0x75, 0x70, 0xb3, 0xff},
	{0xe7, 0x29, 0x8a, 0xff}, {0x66, 0xa6, 0x1e, 0xff}, {0xa6, 0x76, 0x1d, 0xff}, {0x1f, 0x78, 0xb4, 0xff},
}

// convexHull returns the hull of ps counter-clockwise (Andrew's monotone
// chain).
func convexHull(ps []pt) []pt {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b pt) int { return cmp.Or(cmp.Compare(a.x, b.x), cmp.Compare(a.y, b.y)) })
	if len(ps) < 3 {
		return ps
	}
	cross := func(o, a, b pt) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }
	var h []pt
	for _, p := range ps {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lower := len(h) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// networkScene draws the snapshot.
func networkScene(snap *results.Snapshot, opt NetworkOptions) *scene {
	pos := Layout(snap, 0)
	side := NetworkSize
	margin := 34.0
	top := 40.0
	inner := side - 2*margin
	at := func(i int) pt {
		return pt{margin + (pos[i].X+1)/2*inner, top + (pos[i].Y+1)/2*inner}
	}
	index := make(map[string]int, len(snap.Nodes))
	for i := range snap.Nodes {
		index[snap.Nodes[i].ID] = i
	}
	regions := snap.Regions()
	var leg []legendEntry
	for ri, r := range regions {
		name := r
		if name == "" {
			name = "(no region)"
		}
		leg = append(leg, legendEntry{name, rgba(results.PaletteColor(ri), 0xff), 'c'})
	}
	sc := &scene{}
	// hulls of the largest groups
	order := make([]int, len(snap.Groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(len(snap.Groups[b].Members), len(snap.Groups[a].Members)) })
	hidden := max(0, len(order)-MaxHulls)
	order = order[:min(len(order), MaxHulls)]
	maxCap := maxCapability(snap)
	type hull struct {
		ring  []pt
		col   color.NRGBA
		label string
		top   pt
		bot   pt
		dash  bool
	}
	var hulls []hull
	for k, gi := range order {
		g := &snap.Groups[gi]
		var ps []pt
		for _, m := range g.Members {
			i, ok := index[m]
			if !ok {
				continue
			}
			c := at(i)
			pad := nodeRadius(snap.Nodes[i].Capability, maxCap) + 5 + 2*float64(k%3)
			for a := 0; a < 12; a++ {
				t := float64(a) * math.Pi / 6
				ps = append(ps, pt{c.x + pad*math.Cos(t), c.y + pad*math.Sin(t)})
			}
		}
		if len(ps) == 0 {
			continue
		}
		ring := convexHull(ps)
		topPt := ring[0]
		for _, p := range ring {
			if p.y < topPt.y {
				topPt = p
			}
		}
		col := hullPalette[k%len(hullPalette)]
		label := g.Name
		if g.Kind == "coalition" && g.Leader != "" {
			label += " (led by " + g.Leader + ")"
		}
		botPt := ring[0]
		for _, p := range ring {
			if p.y > botPt.y {
				botPt = p
			}
		}
		hulls = append(hulls, hull{ring, col, label, topPt, botPt, g.Kind == "coalition"})
	}
	for _, h := range hulls {
		s := sc.polygon(h.ring, color.NRGBA{h.col.R, h.col.G, h.col.B, 0x14}, color.NRGBA{h.col.R, h.col.G, h.col.B, 0xa0}, 1)
		if h.dash {
			s.dash = []float64{5, 3}
		}
		s.tip = h.label
	}
	// membership of organisations, then ties, thin under thick
	for _, l := range snap.ExportLinks() {
		if !strings.Contains(l.Via, "member") || l.Tie != nil {
			continue
		}
		a, ok1 := index[l.Source]
		b, ok2 := index[l.Target]
		if ok1 && ok2 {
			sc.line([]pt{at(a), at(b)}, memberInk, 0.6, 1.5, 2)
		}
	}
	edges := make([]int, len(snap.Edges))
	for i := range edges {
		edges[i] = i
	}
	slices.SortStableFunc(edges, func(a, b int) int { return cmp.Compare(snap.Edges[a].LevelNum, snap.Edges[b].LevelNum) })
	forms := map[string]bool{}
	for _, k := range edges {
		e := &snap.Edges[k]
		a, ok1 := index[e.Source]
		b, ok2 := index[e.Target]
		if !ok1 || !ok2 {
			continue
		}
		w := 0.4 + 0.55*float64(min(max(e.LevelNum, 1), 4))
		if !e.Binding() {
			w = 0.3 + 0.3*float64(min(max(e.LevelNum, 1), 4))
		}
		switch {
		case e.Binding():
			sc.line([]pt{at(a), at(b)}, alliedInk, w)
		case e.Form == "assistance":
			sc.line([]pt{at(a), at(b)}, assistInk, w, 4, 2.5)
		default:
			sc.line([]pt{at(a), at(b)}, looseInk, w, 4, 2.5)
		}
		forms[e.Form] = true
		sc.items[len(sc.items)-1].tip = fmt.Sprintf("%s – %s: %s, %s", e.Source, e.Target, e.Form, e.Level)
	}
	// nodes
	for i := range snap.Nodes {
		n := &snap.Nodes[i]
		c := at(i)
		r := nodeRadius(n.Capability, maxCap)
		col := rgba(results.PaletteColor(slices.Index(regions, n.Region)), 0xff)
		stroke, sw := ink, 0.6
		if n.Patron {
			sw = 2
		}
		var dash []float64
		if !n.InSystem && (snap.Links != nil) {
			col.A = 0x50
			stroke = muted
			dash = []float64{2, 1.5}
		}
		var s *shape
		switch n.Kind {
		case "organisation":
			q := r * 0.886
			s = sc.polygon([]pt{{c.x - q, c.y - q}, {c.x + q, c.y - q}, {c.x + q, c.y + q}, {c.x - q, c.y + q}}, col, stroke, sw)
		case "group":
			q := r * 1.25
			s = sc.polygon([]pt{{c.x, c.y - q}, {c.x + q, c.y}, {c.x, c.y + q}, {c.x - q, c.y}}, col, stroke, sw)
		default:
			s = sc.circle(c, r, col, stroke, sw)
		}
		s.dash = dash
		tip := n.Label
		if n.Label != n.ID {
			tip = n.ID + " (" + n.Label + ")"
		}
		if !n.InSystem && snap.Links != nil {
			tip += ", not yet in the system"
		}
		s.tip = tip
	}
	// labels: focus actors in bold, the patron, the most capable
	byCap := make([]int, len(snap.Nodes))
	for i := range byCap {
		byCap[i] = i
	}
	slices.SortStableFunc(byCap, func(a, b int) int { return cmp.Compare(snap.Nodes[b].Capability, snap.Nodes[a].Capability) })
	labelled := map[int]bool{}
	var taken []box // the labels placed so far (hull labels go where none is)
	for k, i := range byCap {
		n := &snap.Nodes[i]
		focus := slices.Contains(opt.Focus, n.ID)
		if k >= MaxLabels && !n.Patron && !focus {
			continue
		}
		labelled[i] = true
		c := at(i)
		size := 8.5
		if focus {
			size = 9.5
		}
		lift := nodeRadius(n.Capability, maxCap) + 2.5
		// a white halo behind the text keeps it readable over ties
		w := textWidth(n.ID, size, focus)
		sc.polygon([]pt{{c.x - w/2 - 1.5, c.y - lift - size}, {c.x + w/2 + 1.5, c.y - lift - size}, {c.x + w/2 + 1.5, c.y - lift + 2}, {c.x - w/2 - 1.5, c.y - lift + 2}},
			color.NRGBA{0xff, 0xff, 0xff, 0xb0}, color.NRGBA{}, 0)
		sc.text(pt{c.x, c.y - lift}, n.ID, size, 'm', ink, focus)
		taken = append(taken, box{c.x - w/2 - 1.5, c.y - lift - size, c.x + w/2 + 1.5, c.y - lift + 2})
	}
	// hull labels over everything, each above its hull (or below it) where
	// it overlaps no label placed before it, on a white halo
	for _, h := range hulls {
		const size = 8
		w := textWidth(h.label, size, false)
		at := labelSpot(h.top, h.bot, w, size, taken)
		b := box{at.x - w/2 - 1.5, at.y - size, at.x + w/2 + 1.5, at.y + 2}
		taken = append(taken, b)
		sc.polygon([]pt{{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}}, color.NRGBA{0xff, 0xff, 0xff, 0xa0}, color.NRGBA{}, 0)
		sc.text(at, h.label, size, 'm', h.col, false)
	}
	// legend
	for _, f := range []struct{ form, name string }{{"alliance", "alliance (binding)"}, {"cooperation", "cooperation"}, {"assistance", "assistance"}} {
		if forms[f.form] {
			c := map[string]color.NRGBA{"alliance": alliedInk, "cooperation": looseInk, "assistance": assistInk}[f.form]
			k := byte('d')
			if f.form == "alliance" {
				k = 'l'
			}
			leg = append(leg, legendEntry{f.name, c, k})
		}
	}
	if len(hulls) > 0 {
		leg = append(leg, legendEntry{"group (hull; dashed: coalition)", hullPalette[0], 'b'})
	}
	legW := 0.0
	for _, e := range leg {
		legW = max(legW, textWidth(e.name, 9, false))
	}
	sc.w, sc.h = side+legW+40, side+top-margin+20
	inSys := 0
	for i := range snap.Nodes {
		if snap.Nodes[i].InSystem {
			inSys++
		}
	}
	title := fmt.Sprintf("alliance network at step %d", snap.Step)
	sub := fmt.Sprintf("%d actors, %d ties, %d groups; laid out by region, sized by capability; circle state, square organisation, diamond informal group", len(snap.Nodes), len(snap.Edges), len(snap.Groups))
	if snap.Links != nil && inSys < len(snap.Nodes) {
		sub = fmt.Sprintf("%d actors (%d in the system, the others faded), %d ties, %d groups; laid out by region, sized by capability", len(snap.Nodes), inSys, len(snap.Edges), len(snap.Groups))
	}
	if hidden > 0 {
		sub += fmt.Sprintf("; %d smaller groups not drawn", hidden)
	}
	sc.title = title
	head := []shape{{kind: shapeText, pts: []pt{{margin, 16}}, text: title, size: 12, anchor: 's', fill: ink, bold: true},
		{kind: shapeText, pts: []pt{{margin, 29}}, text: sub, size: 8.5, anchor: 's', fill: muted}}
	ly := top + 4
	for _, e := range leg {
		lx := side + 8
		switch e.kind {
		case 'b':
			head = append(head, shape{kind: shapePolygon, pts: []pt{{lx, ly - 6}, {lx + 20, ly - 6}, {lx + 20, ly + 3}, {lx, ly + 3}}, fill: color.NRGBA{e.col.R, e.col.G, e.col.B, 0x30}, stroke: e.col, width: 1})
		case 'c':
			head = append(head, shape{kind: shapeCircle, pts: []pt{{lx + 10, ly - 1}}, r: 4.5, fill: e.col, stroke: ink, width: 0.5})
		case 'd':
			head = append(head, shape{kind: shapeLine, pts: []pt{{lx, ly - 1}, {lx + 20, ly - 1}}, stroke: e.col, width: 1.6, dash: []float64{4, 2.5}})
		default:
			head = append(head, shape{kind: shapeLine, pts: []pt{{lx, ly - 1}, {lx + 20, ly - 1}}, stroke: e.col, width: 1.8})
		}
		head = append(head, shape{kind: shapeText, pts: []pt{{lx + 26, ly + 2}}, text: e.name, size: 9, anchor: 's', fill: ink})
		ly += 14
	}
	sc.items = append(head, sc.items...)
	return sc
}

// Network draws the snapshot (see NetworkWith) without focus actors.
func Network(snap results.Snapshot, path string, seed uint64) error {
	return NetworkWith(snap, path, NetworkOptions{})
}

// NetworkWith draws the snapshot: actors laid out by region (Layout),
// coloured by region, sized by capability and shaped by kind (circle state,
// square organisation, diamond informal group), actors not yet in the
// system faded; ties as thick as their level, solid for alliances, dashed
// for cooperation and assistance (orange), organisation membership dotted;
// the largest groups as hulls around their members (coalitions dashed,
// with their leader); the focus actors labelled in bold, the patron (heavy
// outline) and the most capable labelled. The format follows path's
// extension, .svg or .png.
func NetworkWith(snap results.Snapshot, path string, opt NetworkOptions) error {
	return networkScene(&snap, opt).save(path)
}

// NetworkSVG writes the drawing of NetworkWith as SVG to w.
func NetworkSVG(w io.Writer, snap *results.Snapshot, opt NetworkOptions) error {
	return networkScene(snap, opt).SVG(w)
}

// box is a label's extent on the canvas.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// labelSpot is where a hull's label of width w goes (the middle of its
// baseline): just above the hull's top, or higher, or just below its
// bottom, or lower, the first spot whose box overlaps none of taken; the
// first spot if every one does.
func labelSpot(top, bot pt, w, size float64, taken []box) pt {
	var spots []pt
	for k := range 4 {
		spots = append(spots, pt{top.x, top.y - 2 - float64(k)*(size+3)}, pt{bot.x, bot.y + size + 2 + float64(k)*(size+3)})
	}
	for _, p := range spots {
		b := box{p.x - w/2 - 1.5, p.y - size, p.x + w/2 + 1.5, p.y + 2}
		if !slices.ContainsFunc(taken, b.overlaps) {
			return p
		}
	}
	return spots[0]
}
