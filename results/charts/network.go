package charts

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/entente/entente/results"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/spatial/r2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Size of the network drawing.
var NetworkSize = 20 * vg.Centimeter

// MaxLabels is how many of the most capable actors the network drawing labels
// (the patron always is).
const MaxLabels = 15

// LayoutUpdates is the number of Eades iterations.
const LayoutUpdates = 1500

// layoutGraph is an undirected weighted graph with deterministic iteration
// (gonum's simple graphs iterate Go maps, which would make the layout, and so
// the picture, differ between runs). Node n (one past the actors) is a
// virtual centre tied weakly to every actor, so that isolated actors and
// components stay in view instead of being repelled without bound.
type layoutGraph struct {
	nodes []graph.Node
	adj   [][]int64
	w     map[[2]int64]float64
}

// Weights of the ties to the virtual centre: weak for actors with ties,
// strong enough for isolated actors to sit at the rim of the drawing.
const (
	gravity         = 0.15
	isolatedGravity = 1.0
)

func newLayoutGraph(snap *results.Snapshot) *layoutGraph {
	n := len(snap.Nodes)
	g := &layoutGraph{nodes: make([]graph.Node, n+1), adj: make([][]int64, n+1), w: map[[2]int64]float64{}}
	for i := range g.nodes {
		g.nodes[i] = simple.Node(i)
	}
	index := make(map[string]int64, n)
	for i := range snap.Nodes {
		index[snap.Nodes[i].ID] = int64(i)
	}
	set := func(a, b int64, w float64) {
		if a == b {
			return
		}
		if _, ok := g.w[[2]int64{a, b}]; !ok {
			g.adj[a] = append(g.adj[a], b)
			g.adj[b] = append(g.adj[b], a)
		}
		g.w[[2]int64{a, b}], g.w[[2]int64{b, a}] = w, w
	}
	for _, e := range snap.Edges {
		a, ok1 := index[e.Source]
		b, ok2 := index[e.Target]
		if !ok1 || !ok2 {
			continue
		}
		// weights in [1, 2): stronger ties pull harder (Rate 0.01 keeps
		// this stable, see STYLE.md).
		set(a, b, 1+float64(min(max(e.LevelNum, 1), 4)-1)/4)
	}
	for i := 0; i < n; i++ {
		w := gravity
		if len(g.adj[i]) == 0 {
			w = isolatedGravity
		}
		set(int64(i), int64(n), w)
	}
	for i := range g.adj {
		slices.Sort(g.adj[i])
	}
	return g
}

func (g *layoutGraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(g.nodes)) {
		return nil
	}
	return g.nodes[id]
}

func (g *layoutGraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }

func (g *layoutGraph) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(len(g.adj)) {
		return graph.Empty
	}
	ns := make([]graph.Node, len(g.adj[id]))
	for i, v := range g.adj[id] {
		ns[i] = g.nodes[v]
	}
	return iterator.NewOrderedNodes(ns)
}

func (g *layoutGraph) HasEdgeBetween(x, y int64) bool {
	_, ok := g.w[[2]int64{x, y}]
	return ok
}

func (g *layoutGraph) Edge(u, v int64) graph.Edge { return g.WeightedEdge(u, v) }

func (g *layoutGraph) WeightedEdge(u, v int64) graph.WeightedEdge {
	w, ok := g.w[[2]int64{u, v}]
	if !ok {
		return nil
	}
	return simple.WeightedEdge{F: g.nodes[u], T: g.nodes[v], W: w}
}

func (g *layoutGraph) Weight(x, y int64) (float64, bool) {
	w, ok := g.w[[2]int64{x, y}]
	return w, ok
}

// Layout places the snapshot's nodes with gonum's Eades force layout (Rate
// 0.01, seeded), returning one position per node in snapshot order. The same
// snapshot and seed give the same positions.
func Layout(snap *results.Snapshot, seed uint64) []r2.Vec {
	n := len(snap.Nodes)
	pos := make([]r2.Vec, n)
	if n == 0 {
		return pos
	}
	g := newLayoutGraph(snap)
	eades := layout.EadesR2{
		Repulsion: 1, Rate: layoutRate(g), Updates: LayoutUpdates, Theta: 0.2,
		Src: rand.NewPCG(seed, 0x656e74656e7465),
	}
	opt := layout.NewOptimizerR2(g, eades.Update)
	for opt.Update() {
	}
	for i := range pos {
		pos[i] = opt.Coord2(int64(i))
		if math.IsNaN(pos[i].X) || math.IsNaN(pos[i].Y) {
			pos[i] = r2.Vec{}
		}
	}
	return pos
}

// layoutRateBase is the gradient step for graphs without hubs (STYLE.md:
// 0.05 diverges with weights in [1, 2), 0.01 converges).
const layoutRateBase = 0.01

// layoutRate lowers LayoutRate for graphs with hubs: a node's attraction is
// a sum over its ties, so a step that is stable for a node of degree 5 makes
// a hub of degree 50 overshoot and the layout fly apart.
func layoutRate(g *layoutGraph) float64 {
	maxStrength := 0.0
	for i, adj := range g.adj[:len(g.adj)-1] { // not the virtual centre
		s := 0.0
		for _, j := range adj {
			s += g.w[[2]int64{int64(i), j}]
		}
		maxStrength = max(maxStrength, s)
	}
	return layoutRateBase * min(1, layoutStrength/maxStrength)
}

// layoutStrength is the summed tie weight of a node above which the layout
// rate is lowered in proportion (found on the baseline scenario, whose
// largest hub has 37 ties: without it the layout reaches 1e306).
const layoutStrength = 8.0

// nodeRadius is a node's radius: area grows with capability relative to
// the most capable state (organisations, whose capability is their
// members', are drawn no larger than that).
func nodeRadius(capability, maxCap float64) vg.Length {
	if !(capability > 0) || !(maxCap > 0) {
		return vg.Points(3)
	}
	return vg.Points(3 + 14*math.Sqrt(min(capability/maxCap, 1)))
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
	alliedColor = color.RGBA{0x33, 0x33, 0x33, 0xd0}
	looseColor  = color.RGBA{0x80, 0x80, 0x80, 0xb0}
	assistColor = color.RGBA{0xc0, 0x6a, 0x1a, 0xc0}
)

// edgeStyle is how a tie is drawn: thicker the deeper; solid for binding
// alliances, dashed for cooperation and assistance; assistance in orange.
func edgeStyle(e *results.Edge) draw.LineStyle {
	s := draw.LineStyle{Color: alliedColor, Width: vg.Points(0.4 + 0.6*float64(min(max(e.LevelNum, 1), 4)))}
	if !e.Binding() {
		s.Color = looseColor
		s.Dashes = []vg.Length{vg.Points(4), vg.Points(2.5)}
		if e.Form == "assistance" {
			s.Color = assistColor
		}
	}
	return s
}

// networkFigure builds the drawing Network saves.
func networkFigure(snap results.Snapshot, seed uint64) (*figure, error) {
	pos := Layout(&snap, seed)
	p := plot.New()
	f := newFigure(p)
	p.HideAxes()
	p.Title.Text = fmt.Sprintf("alliance network at step %d (%d actors, %d ties, %d groups)", snap.Step, len(snap.Nodes), len(snap.Edges), len(snap.Groups))
	index := map[string]int{}
	for i := range snap.Nodes {
		index[snap.Nodes[i].ID] = i
	}
	// edges under nodes, thin ones first
	order := make([]int, len(snap.Edges))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(snap.Edges[a].LevelNum, snap.Edges[b].LevelNum) })
	var legendForms [3]*plotter.Line
	for _, k := range order {
		e := &snap.Edges[k]
		a, ok1 := index[e.Source]
		b, ok2 := index[e.Target]
		if !ok1 || !ok2 {
			continue
		}
		ln, err := plotter.NewLine(plotter.XYs{{X: pos[a].X, Y: pos[a].Y}, {X: pos[b].X, Y: pos[b].Y}})
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		ln.LineStyle = edgeStyle(e)
		p.Add(ln)
		switch {
		case e.Binding():
			legendForms[0] = ln
		case e.Form == "assistance":
			legendForms[2] = ln
		default:
			legendForms[1] = ln
		}
	}
	regions := snap.Regions()
	maxCap := maxCapability(&snap)
	for ri, region := range regions {
		var xys plotter.XYs
		var idx []int
		for i := range snap.Nodes {
			if snap.Nodes[i].Region == region {
				xys = append(xys, plotter.XY{X: pos[i].X, Y: pos[i].Y})
				idx = append(idx, i)
			}
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("charts: %w", err)
		}
		col := results.PaletteColor(ri)
		sc.GlyphStyleFunc = func(j int) draw.GlyphStyle {
			n := &snap.Nodes[idx[j]]
			return draw.GlyphStyle{Color: col, Radius: nodeRadius(n.Capability, maxCap), Shape: nodeGlyph{patron: n.Patron, kind: n.Kind}}
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(5), Shape: nodeGlyph{}}
		p.Add(sc)
		name := region
		if name == "" {
			name = "(no region)"
		}
		f.add(name, sc)
	}
	for i, name := range []string{"alliance (binding)", "cooperation", "assistance"} {
		if legendForms[i] != nil {
			f.add(name, legendForms[i])
		}
	}
	kinds := map[string]bool{}
	for i := range snap.Nodes {
		kinds[snap.Nodes[i].Kind] = true
	}
	grey := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	for _, k := range []struct{ kind, name string }{{"state", "state"}, {"organisation", "organisation"}, {"group", "informal group"}} {
		if kinds[k.kind] && len(kinds) > 1 {
			f.add(k.name, glyphThumb{draw.GlyphStyle{Color: grey, Radius: vg.Points(5), Shape: nodeGlyph{kind: k.kind}}})
		}
	}
	if lab := labelsOf(&snap, pos); lab != nil {
		p.Add(lab)
	}
	return f, nil
}

// labelsOf labels the patron and the MaxLabels most capable actors, each
// just above its node.
func labelsOf(snap *results.Snapshot, pos []r2.Vec) *nodeLabels {
	order := make([]int, len(snap.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(snap.Nodes[b].Capability, snap.Nodes[a].Capability)
	})
	l := &nodeLabels{style: draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, vg.Points(9)),
		XAlign:  draw.XCenter,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}}
	maxCap := maxCapability(snap)
	for k, i := range order {
		n := &snap.Nodes[i]
		if k >= MaxLabels && !n.Patron {
			continue
		}
		l.at = append(l.at, pos[i])
		l.text = append(l.text, n.ID)
		l.lift = append(l.lift, nodeRadius(n.Capability, maxCap)+vg.Points(1.5))
	}
	if len(l.text) == 0 {
		return nil
	}
	return l
}

// nodeLabels draws each label lift above its point.
type nodeLabels struct {
	at    []r2.Vec
	text  []string
	lift  []vg.Length
	style draw.TextStyle
}

// GlyphBoxes makes room for the labels inside the plot area.
func (l *nodeLabels) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	boxes := make([]plot.GlyphBox, len(l.at))
	for i, v := range l.at {
		w := l.style.Width(l.text[i])
		h := l.style.Height(l.text[i])
		boxes[i] = plot.GlyphBox{X: p.X.Norm(v.X), Y: p.Y.Norm(v.Y), Rectangle: vg.Rectangle{
			Min: vg.Point{X: -w / 2, Y: 0},
			Max: vg.Point{X: w / 2, Y: l.lift[i] + h},
		}}
	}
	return boxes
}

func (l *nodeLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, v := range l.at {
		pt := vg.Point{X: trX(v.X), Y: trY(v.Y) + l.lift[i]}
		c.FillText(l.style, pt, l.text[i])
	}
}

// glyphThumb is a legend thumbnail showing one glyph.
type glyphThumb struct{ sty draw.GlyphStyle }

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(g.sty, c.Center())
}

// nodeGlyph is a filled shape with a dark outline (thicker for the patron):
// a circle for a state, a square for an organisation, a diamond for an
// informal group.
type nodeGlyph struct {
	patron bool
	kind   string
}

func (g nodeGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var path vg.Path
	r := sty.Radius
	switch g.kind {
	case "organisation":
		r *= 0.886 // same area as the circle
		path.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
		path.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
		path.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
		path.Line(vg.Point{X: pt.X - r, Y: pt.Y + r})
	case "group":
		r *= 1.25
		path.Move(vg.Point{X: pt.X, Y: pt.Y - r})
		path.Line(vg.Point{X: pt.X + r, Y: pt.Y})
		path.Line(vg.Point{X: pt.X, Y: pt.Y + r})
		path.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	default:
		path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		path.Arc(pt, r, 0, 2*math.Pi)
	}
	path.Close()
	c.Push()
	c.SetColor(sty.Color)
	c.Fill(path)
	c.SetColor(color.RGBA{0x22, 0x22, 0x22, 0xff})
	w := vg.Points(0.6)
	if g.patron {
		w = vg.Points(2)
	}
	c.SetLineWidth(w)
	c.SetLineDash(nil, 0)
	c.Stroke(path)
	c.Pop()
}

// Network draws the snapshot: a force layout (seeded, so reproducible),
// nodes coloured by region, sized by capability and shaped by kind (circle
// state, square organisation, diamond informal group), ties as thick as their
// level, dashed when non-binding (cooperation, assistance; assistance in
// orange), the patron with a heavy outline, the most capable actors
// labelled. The format follows path's extension, .png or .svg.
func Network(snap results.Snapshot, path string, seed uint64) error {
	f, err := networkFigure(snap, seed)
	if err != nil {
		return err
	}
	return f.save(NetworkSize, NetworkSize, path)
}
