package results

import (
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/graph/formats/gexf12"
)

// gexfType maps the GraphML attribute types to GEXF's.
func gexfType(t string) string {
	switch t {
	case "int":
		return "integer"
	}
	return t
}

func gexfAttributes(class string, attrs []attribute) gexf12.Attributes {
	a := gexf12.Attributes{Class: class, Mode: "static"}
	for _, x := range attrs {
		a.Attributes = append(a.Attributes, gexf12.Attribute{ID: x.name, Title: x.name, Type: gexfType(x.typ)})
	}
	return a
}

// WriteGEXF writes the snapshot as a static, undirected GEXF 1.2 graph for
// Gephi and networkx, with the nodes and edges of WriteGraphML: attributes
// declared, nodes coloured by region and sized by capability, edges as
// thick as their projection weight and dashed unless a binding alliance
// (colour, size, thickness and shape in the viz namespace, as the GEXF 1.2
// primer, Gephi and networkx have them).
func WriteGEXF(w io.Writer, snap *Snapshot) error {
	c := gexfDoc(snap)
	return writeGEXFDoc(w, &c)
}

// gexfDoc is the document WriteGEXF writes.
func gexfDoc(snap *Snapshot) gexf12.Content {
	c := gexf12.Content{
		Version: "1.2",
		Meta: &gexf12.Meta{
			Creator:     Tool + " " + Version,
			Description: "alliance network at step " + strconv.Itoa(snap.Step),
		},
		Graph: gexf12.Graph{
			DefaultEdgeType: "undirected",
			Mode:            "static",
			IDType:          "string",
			Attributes:      []gexf12.Attributes{gexfAttributes("node", nodeAttributes), gexfAttributes("edge", edgeAttributes)},
		},
	}
	regions := snap.Regions()
	region := map[string]int{}
	for i, r := range regions {
		region[r] = i
	}
	c.Graph.Nodes.Count = len(snap.Nodes)
	for i := range snap.Nodes {
		n := &snap.Nodes[i]
		col := PaletteColor(region[n.Region])
		x := gexf12.Node{
			ID: n.ID, Label: n.Label,
			AttValues: &gexf12.AttValues{},
			Color:     &gexf12.Color{R: col.R, G: col.G, B: col.B},
			Size:      &gexf12.Size{Value: nodeSize(n.Capability)},
		}
		for k, v := range nodeValues(n) {
			x.AttValues.AttValues = append(x.AttValues.AttValues, gexf12.AttValue{For: nodeAttributes[k].name, Value: v})
		}
		c.Graph.Nodes.Nodes = append(c.Graph.Nodes.Nodes, x)
	}
	links := snap.ExportLinks()
	c.Graph.Edges.Count = len(links)
	for i := range links {
		l := &links[i]
		x := gexf12.Edge{
			ID: l.ID, Source: l.Source, Target: l.Target,
			Label: l.Via, Weight: l.Weight,
			AttValues: &gexf12.AttValues{},
			Thickness: &gexf12.Thickness{Value: l.Weight},
		}
		if l.Tie == nil || !l.Tie.Binding() {
			x.Shape = &gexf12.Edgeshape{Shape: "dashed"}
		}
		for k, v := range linkValues(l) {
			x.AttValues.AttValues = append(x.AttValues.AttValues, gexf12.AttValue{For: edgeAttributes[k].name, Value: v})
		}
		c.Graph.Edges.Edges = append(c.Graph.Edges.Edges, x)
	}
	return c
}

// nodeSize maps a capability in [0, 1] to a display size: area grows with
// capability, with a floor so small actors stay visible.
func nodeSize(capability float64) float64 {
	if !(capability > 0) {
		capability = 0
	}
	return math.Round((4+26*math.Sqrt(capability))*100) / 100
}
