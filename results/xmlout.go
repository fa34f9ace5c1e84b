package results

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"

	"gonum.org/v1/gonum/graph/formats/gexf12"
)

// The snapshots' GraphML and GEXF are written by a streaming writer that
// gives, byte for byte, what encoding/xml's Encoder (indented by two
// spaces) gives for the documents graphMLDoc and gexfDoc describe: the
// same elements, attributes in the same order, the same escapes and
// indentation. encoding/xml finds the fields by reflection and allocates
// for each; a snapshot of the baseline wrote in 3 ms of CPU that way, as
// GraphML and GEXF together. The tests hold the Encoder as the oracle
// (xml_internal_test.go).

// xmlOut appends to a buffer and hands it to w as it grows.
type xmlOut struct {
	w     io.Writer
	b     []byte
	err   error
	depth int  // elements open
	open  bool // the last thing written is a start tag (its end tag follows on the same line)
	esc   bytes.Buffer
}

const xmlChunk = 32 << 10

func newXMLOut(w io.Writer) *xmlOut {
	return &xmlOut{w: w, b: make([]byte, 0, xmlChunk+4096)}
}

func (x *xmlOut) flush() {
	if x.err == nil && len(x.b) > 0 {
		_, x.err = x.w.Write(x.b)
	}
	x.b = x.b[:0]
}

func (x *xmlOut) grow() {
	if len(x.b) >= xmlChunk {
		x.flush()
	}
}

// text appends s escaped as xml.EscapeText escapes it (quotes, ampersand,
// angle brackets, tab, newline and carriage return as character
// references, characters XML cannot carry as U+FFFD): plain ASCII as it is,
// anything else through xml.EscapeText itself.
func (x *xmlOut) text(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x80 || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>' {
			x.esc.Reset()
			_ = xml.EscapeText(&x.esc, []byte(s))
			x.b = append(x.b, x.esc.Bytes()...)
			return
		}
	}
	x.b = append(x.b, s...)
}

// indent starts a line at the current depth (the Encoder's writeIndent for
// a start tag; every start tag but the root's, which root writes, begins
// one).
func (x *xmlOut) indent() {
	x.b = append(x.b, '\n')
	for range x.depth {
		x.b = append(x.b, ' ', ' ')
	}
}

// start opens element name; attributes follow with attr, then end closes
// the tag with '>'.
func (x *xmlOut) start(name string) {
	x.grow()
	x.indent()
	x.b = append(x.b, '<')
	x.b = append(x.b, name...)
	x.depth++
	x.open = true
}

func (x *xmlOut) attr(name, value string) {
	x.b = append(x.b, ' ')
	x.b = append(x.b, name...)
	x.b = append(x.b, '=', '"')
	x.text(value)
	x.b = append(x.b, '"')
}

// optAttr writes attribute name only when value is not empty (the
// Encoder's omitempty).
func (x *xmlOut) optAttr(name, value string) {
	if value != "" {
		x.attr(name, value)
	}
}

// attrFloat and attrUint are attributes of a float64 and an unsigned field,
// formatted as the Encoder formats them.
func (x *xmlOut) attrFloat(name string, v float64) {
	x.b = append(x.b, ' ')
	x.b = append(x.b, name...)
	x.b = append(x.b, '=', '"')
	x.b = strconv.AppendFloat(x.b, v, 'g', -1, 64)
	x.b = append(x.b, '"')
}

func (x *xmlOut) attrUint(name string, v uint64) {
	x.b = append(x.b, ' ')
	x.b = append(x.b, name...)
	x.b = append(x.b, '=', '"')
	x.b = strconv.AppendUint(x.b, v, 10)
	x.b = append(x.b, '"')
}

// endTag closes the start tag being written.
func (x *xmlOut) endTag() { x.b = append(x.b, '>') }

// root opens the document's root element after the XML header (the
// Encoder writes no newline before its first element); tag is its name
// and namespace, its attributes follow with attr.
func (x *xmlOut) root(tag string) {
	x.b = append(x.b, xml.Header...)
	x.b = append(x.b, '<')
	x.b = append(x.b, tag...)
	x.depth, x.open = 1, true
}

// textElem is <name>v</name>.
func (x *xmlOut) textElem(name, v string) {
	x.start(name)
	x.endTag()
	x.text(v)
	x.end(name)
}

// end closes element name: on the line of its start tag when nothing but
// character data came between, else on a line of its own.
func (x *xmlOut) end(name string) {
	x.depth--
	if !x.open {
		x.b = append(x.b, '\n')
		for range x.depth {
			x.b = append(x.b, ' ', ' ')
		}
	}
	x.open = false
	x.b = append(x.b, '<', '/')
	x.b = append(x.b, name...)
	x.b = append(x.b, '>')
}

// empty is an element with attributes and nothing inside: start, the
// attributes set by attrs, end.
func (x *xmlOut) empty(name string, attrs func()) {
	x.start(name)
	attrs()
	x.endTag()
	x.end(name)
}

// finish ends the document as the Encoder's callers did (a newline after
// the root)
// and writes what is left.
func (x *xmlOut) finish() error {
	x.b = append(x.b, '\n')
	x.flush()
	return x.err
}

// dataElem is <data key="k">v</data>.
func (x *xmlOut) dataElem(k, v string) {
	x.start("data")
	x.attr("key", k)
	x.endTag()
	x.text(v)
	x.end("data")
}

// writeGraphMLDoc writes doc as the Encoder does (oracleXML in the tests).
func writeGraphMLDoc(w io.Writer, doc *graphML) error {
	x := newXMLOut(w)
	x.root(`graphml xmlns="http://graphml.graphdrawing.org/xmlns"`)
	x.attr("xmlns:xsi", doc.XSI)
	x.attr("xsi:schemaLocation", doc.SchemaLocation)
	x.endTag()
	for i := range doc.Keys {
		k := &doc.Keys[i]
		x.empty("key", func() {
			x.attr("id", k.ID)
			x.attr("for", k.For)
			x.attr("attr.name", k.Name)
			x.attr("attr.type", k.Type)
		})
	}
	g := &doc.Graph
	x.start("graph")
	x.attr("id", g.ID)
	x.attr("edgedefault", g.EdgeDefault)
	x.endTag()
	for _, d := range g.Data {
		x.dataElem(d.Key, d.Value)
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		x.start("node")
		x.attr("id", n.ID)
		x.endTag()
		for _, d := range n.Data {
			x.dataElem(d.Key, d.Value)
		}
		x.end("node")
	}
	for i := range g.Edges {
		e := &g.Edges[i]
		x.start("edge")
		x.attr("id", e.ID)
		x.attr("source", e.Source)
		x.attr("target", e.Target)
		x.endTag()
		for _, d := range e.Data {
			x.dataElem(d.Key, d.Value)
		}
		x.end("edge")
	}
	x.end("graph")
	x.end("graphml")
	return x.finish()
}

const (
	vizNS    = "http://www.gexf.net/1.2draft/viz"
	gexfRoot = `gexf xmlns="http://www.gexf.net/1.2draft"`
)

// attributesElem is an <attributes> declaration (its mode when set).
func (x *xmlOut) attributesElem(as *gexf12.Attributes) {
	x.start("attributes")
	x.attr("class", as.Class)
	x.optAttr("mode", as.Mode)
	x.endTag()
	for _, a := range as.Attributes {
		x.empty("attribute", func() {
			x.attr("id", a.ID)
			x.attr("title", a.Title)
			x.attr("type", a.Type)
		})
	}
	x.end("attributes")
}

// vizColor, vizValue and vizShape are the viz namespace's colour, a
// size or thickness, and an edge's shape.
func (x *xmlOut) vizColor(col *gexf12.Color) {
	x.empty("color", func() {
		x.attr("xmlns", vizNS)
		x.attrUint("r", uint64(col.R))
		x.attrUint("g", uint64(col.G))
		x.attrUint("b", uint64(col.B))
		if col.A != 0 {
			x.attrFloat("a", col.A)
		}
	})
}

func (x *xmlOut) vizValue(name string, v float64) {
	x.empty(name, func() {
		x.attr("xmlns", vizNS)
		x.attrFloat("value", v)
	})
}

func (x *xmlOut) vizShape(shape string) {
	x.empty("shape", func() {
		x.attr("xmlns", vizNS)
		x.attr("value", shape)
	})
}

// writeGEXFDoc writes c as the Encoder does (oracleXML in the tests), for
// the fields gexfDoc
// sets (meta's creator and description, the graph's attribute classes,
// nodes with their values, colour and size, edges with their label,
// weight, values, thickness and shape).
func writeGEXFDoc(w io.Writer, c *gexf12.Content) error {
	x := newXMLOut(w)
	x.root(gexfRoot)
	x.attr("version", c.Version)
	x.optAttr("variant", c.Variant)
	x.endTag()
	if m := c.Meta; m != nil {
		x.start("meta")
		x.endTag()
		for _, e := range [][2]string{{"creator", m.Creator}, {"keywords", m.Keywords}, {"description", m.Description}} {
			if e[1] != "" {
				x.textElem(e[0], e[1])
			}
		}
		x.end("meta")
	}
	g := &c.Graph
	x.start("graph")
	for _, a := range [][2]string{{"timeformat", g.TimeFormat}, {"start", g.Start}, {"startopen", g.StartOpen}, {"end", g.End},
		{"endopen", g.EndOpen}, {"defaultedgetype", g.DefaultEdgeType}, {"idtype", g.IDType}, {"mode", g.Mode}} {
		x.optAttr(a[0], a[1])
	}
	x.endTag()
	for i := range g.Attributes {
		x.attributesElem(&g.Attributes[i])
	}
	x.start("nodes")
	if g.Nodes.Count != 0 {
		x.attr("count", strconv.Itoa(g.Nodes.Count))
	}
	x.endTag()
	for i := range g.Nodes.Nodes {
		n := &g.Nodes.Nodes[i]
		x.start("node")
		x.optAttr("id", n.ID)
		x.optAttr("label", n.Label)
		x.endTag()
		x.attValues(n.AttValues)
		if col := n.Color; col != nil {
			x.vizColor(col)
		}
		if sz := n.Size; sz != nil {
			x.vizValue("size", sz.Value)
		}
		x.end("node")
	}
	x.end("nodes")
	x.start("edges")
	if g.Edges.Count != 0 {
		x.attr("count", strconv.Itoa(g.Edges.Count))
	}
	x.endTag()
	for i := range g.Edges.Edges {
		e := &g.Edges.Edges[i]
		x.start("edge")
		x.optAttr("id", e.ID)
		x.optAttr("type", e.Type)
		x.optAttr("label", e.Label)
		x.attr("source", e.Source)
		x.attr("target", e.Target)
		if e.Weight != 0 {
			x.attrFloat("weight", e.Weight)
		}
		x.endTag()
		x.attValues(e.AttValues)
		if th := e.Thickness; th != nil {
			x.vizValue("thickness", th.Value)
		}
		if sh := e.Shape; sh != nil {
			x.vizShape(sh.Shape)
		}
		x.end("edge")
	}
	x.end("edges")
	x.end("graph")
	x.end("gexf")
	return x.finish()
}

// attValues is a node's or edge's <attvalues> (none when nil).
func (x *xmlOut) attValues(av *gexf12.AttValues) {
	if av == nil {
		return
	}
	x.start("attvalues")
	x.endTag()
	for _, a := range av.AttValues {
		x.empty("attvalue", func() {
			x.attr("for", a.For)
			x.attr("value", a.Value)
		})
	}
	x.end("attvalues")
}
