package results

import (
	"fmt"
	"io"
	"strconv"

	"gonum.org/v1/gonum/graph/formats/gexf12"
)

// TimelineFile is the dynamic GEXF of replicate R's network at every step,
// in SnapshotDir, with `entente run --timeline`.
func TimelineFile(replicate int) string {
	return SnapshotDir + "/" + fmt.Sprintf("rep%d_timeline.gexf", replicate)
}

// Timeline gathers one replicate's network step by step (Add, a snapshot
// each step) into one dynamic graph, which WriteTimelineGEXF writes for
// Gephi's timeline and networkx: each actor a node present while it is in
// the system, each link of the metrics' projection an edge present while
// it lasts, their values (capability, threat and reliability; what joins
// a pair, its weight and its tie's form, level, flow, support and trust)
// as intervals of the steps they hold. It keeps what changes, not every
// step.
type Timeline struct {
	replicate   int
	first, last int
	steps       int // snapshots added
	nodes       []*tlNode
	nodeIdx     map[string]*tlNode
	edges       []*tlEdge
	edgeIdx     map[string]*tlEdge
	regions     map[string]int
}

// span is a value held over steps from to to, inclusive.
type span struct {
	from, to int
	v        string
}

type tlNode struct {
	id, label, kind, region string
	in                      []span // in the system
	vals                    [3][]span
}

type tlEdge struct {
	id, source, target string
	on                 []span // present
	first              Link   // as first seen (its label, thickness and shape)
	vals               [7][]span
}

// timelineNodeAttrs and timelineEdgeAttrs are the dynamic attributes, in
// tlNode.vals and tlEdge.vals order.
var (
	timelineNodeAttrs = []attribute{{"capability", "double"}, {"threat", "double"}, {"reliability", "double"}}
	timelineEdgeAttrs = []attribute{{"via", "string"}, {"weight", "double"}, {"form", "string"}, {"level", "string"},
		{"flow", "string"}, {"support", "double"}, {"trust", "double"}}
	timelineStaticAttrs = []attribute{{"label", "string"}, {"kind", "string"}, {"region", "string"}}
)

// NewTimeline returns an empty timeline of the given replicate.
func NewTimeline(replicate int) *Timeline {
	return &Timeline{replicate: replicate, nodeIdx: map[string]*tlNode{}, edgeIdx: map[string]*tlEdge{}, regions: map[string]int{}}
}

// extend adds value v at step to spans: the last span grows when it held v
// at the step before (prev), else a new one starts.
func extend(spans []span, prev, step int, v string) []span {
	if n := len(spans); n > 0 && spans[n-1].to == prev && spans[n-1].v == v {
		spans[n-1].to = step
		return spans
	}
	return append(spans, span{step, step, v})
}

// Add records the network of one step; steps must increase.
func (t *Timeline) Add(snap *Snapshot) error {
	if t.steps > 0 && snap.Step <= t.last {
		return fmt.Errorf("results: timeline: step %d after step %d", snap.Step, t.last)
	}
	prev := t.last
	if t.steps == 0 {
		t.first, prev = snap.Step, snap.Step-1
		for i, r := range snap.Regions() {
			t.regions[r] = i
		}
	}
	step := snap.Step
	for i := range snap.Nodes {
		n := &snap.Nodes[i]
		x, ok := t.nodeIdx[n.ID]
		if !ok {
			x = &tlNode{id: n.ID, label: n.Label, kind: n.Kind, region: n.Region}
			t.nodeIdx[n.ID] = x
			t.nodes = append(t.nodes, x)
		}
		if !n.InSystem {
			continue
		}
		x.in = extend(x.in, prev, step, "")
		for k, v := range [3]float64{n.Capability, n.Threat, n.Reliability} {
			x.vals[k] = extend(x.vals[k], prev, step, fmtFloat(v))
		}
	}
	links := snap.ExportLinks()
	for i := range links {
		l := &links[i]
		e, ok := t.edgeIdx[l.ID]
		if !ok {
			e = &tlEdge{id: l.ID, source: l.Source, target: l.Target, first: *l}
			if l.Tie != nil {
				tie := *l.Tie
				e.first.Tie = &tie
			}
			t.edgeIdx[l.ID] = e
			t.edges = append(t.edges, e)
		}
		e.on = extend(e.on, prev, step, "")
		vals := [7]string{l.Via, fmtFloat(l.Weight)}
		if l.Tie != nil {
			tie := l.Tie
			vals[2], vals[3], vals[4], vals[5], vals[6] = tie.Form, tie.Level, tie.Flow, fmtFloat(tie.Support), fmtFloat(tie.Trust)
		}
		for k, v := range vals {
			if k >= 2 && l.Tie == nil {
				break // a link without a tie has no tie values then
			}
			e.vals[k] = extend(e.vals[k], prev, step, v)
		}
	}
	t.last, t.steps = step, t.steps+1
	return nil
}

// WriteTimelineGEXF writes the timeline as a dynamic, undirected GEXF 1.2
// graph with integer steps as its time (timeformat double, each interval's
// start and end inclusive, as GEXF 1.2 has them): nodes and edges with the
// spells they are present in and their values by interval (an edge's
// weight is its "weight" values, the name Gephi reads a dynamic weight
// by, with no static weight beside them), colour by region and size, thickness
// and shape as the network had them when each first appeared (viz
// namespace, as WriteGEXF).
func WriteTimelineGEXF(w io.Writer, t *Timeline) error {
	x := newXMLOut(w)
	x.root(gexfRoot)
	x.attr("version", "1.2")
	x.endTag()
	x.start("meta")
	x.endTag()
	x.textElem("creator", Tool+" "+Version)
	x.textElem("description", fmt.Sprintf("alliance network of replicate %d, steps %d to %d", t.replicate, t.first, t.last))
	x.end("meta")
	x.start("graph")
	x.attr("defaultedgetype", "undirected")
	x.attr("idtype", "string")
	x.attr("mode", "dynamic")
	x.attr("timeformat", "double")
	x.attr("start", strconv.Itoa(t.first))
	x.attr("end", strconv.Itoa(t.last))
	x.endTag()
	decl := func(class, mode string, attrs []attribute) {
		as := gexfAttributes(class, attrs)
		as.Mode = mode
		x.attributesElem(&as)
	}
	decl("node", "static", timelineStaticAttrs)
	decl("node", "dynamic", timelineNodeAttrs)
	decl("edge", "dynamic", timelineEdgeAttrs)
	spells := func(on []span) {
		x.start("spells")
		x.endTag()
		for _, s := range on {
			x.empty("spell", func() {
				x.attr("start", strconv.Itoa(s.from))
				x.attr("end", strconv.Itoa(s.to))
			})
		}
		x.end("spells")
	}
	dynamic := func(attrs []attribute, vals [][]span) {
		for k, a := range attrs {
			for _, s := range vals[k] {
				x.empty("attvalue", func() {
					x.attr("for", a.name)
					x.attr("value", s.v)
					x.attr("start", strconv.Itoa(s.from))
					x.attr("end", strconv.Itoa(s.to))
				})
			}
		}
	}
	present := 0
	for _, n := range t.nodes {
		if len(n.in) > 0 {
			present++
		}
	}
	x.start("nodes")
	x.attr("count", strconv.Itoa(present))
	x.endTag()
	for _, n := range t.nodes {
		if len(n.in) == 0 {
			continue // never in the system while recorded
		}
		x.start("node")
		x.attr("id", n.id)
		if n.label != "" {
			x.attr("label", n.label)
		}
		x.endTag()
		x.start("attvalues")
		x.endTag()
		for _, a := range [][2]string{{"label", n.label}, {"kind", n.kind}, {"region", n.region}} {
			x.empty("attvalue", func() {
				x.attr("for", a[0])
				x.attr("value", a[1])
			})
		}
		dynamic(timelineNodeAttrs, n.vals[:])
		x.end("attvalues")
		spells(n.in)
		col := PaletteColor(t.regions[n.region])
		x.vizColor(&gexf12.Color{R: col.R, G: col.G, B: col.B})
		capability, _ := strconv.ParseFloat(n.vals[0][0].v, 64)
		x.vizValue("size", nodeSize(capability))
		x.end("node")
	}
	x.end("nodes")
	x.start("edges")
	x.attr("count", strconv.Itoa(len(t.edges)))
	x.endTag()
	for _, e := range t.edges {
		x.start("edge")
		x.attr("id", e.id)
		if e.first.Via != "" {
			x.attr("label", e.first.Via)
		}
		x.attr("source", e.source)
		x.attr("target", e.target)
		x.endTag()
		x.start("attvalues")
		x.endTag()
		dynamic(timelineEdgeAttrs, e.vals[:])
		x.end("attvalues")
		spells(e.on)
		x.vizValue("thickness", e.first.Weight)
		if e.first.Tie == nil || !e.first.Tie.Binding() {
			x.vizShape("dashed")
		}
		x.end("edge")
	}
	x.end("edges")
	x.end("graph")
	x.end("gexf")
	return x.finish()
}
