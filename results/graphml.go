package results

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// GraphML (http://graphml.graphdrawing.org/): keys for every attribute,
// one undirected graph, nodes and edges in snapshot order. The document is
// described by the types below (which encoding/xml reads back) and written
// by the streaming writer of xmlout.go, which gives encoding/xml's bytes.

type graphML struct {
	XMLName        xml.Name     `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	XSI            string       `xml:"xmlns:xsi,attr"`
	SchemaLocation string       `xml:"xsi:schemaLocation,attr"`
	Keys           []graphMLKey `xml:"key"`
	Graph          graphMLGraph `xml:"graph"`
}

type graphMLKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphMLGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Data        []graphMLData `xml:"data"`
	Nodes       []graphMLNode `xml:"node"`
	Edges       []graphMLEdge `xml:"edge"`
}

type graphMLNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphMLData `xml:"data"`
}

type graphMLEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphMLData `xml:"data"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// attribute declares one node or edge attribute for GraphML and GEXF.
type attribute struct {
	name, typ string // typ: string, double, int, boolean (GraphML spelling)
}

var nodeAttributes = []attribute{
	{"label", "string"}, {"kind", "string"}, {"region", "string"},
	{"capability", "double"}, {"economy", "double"}, {"threat", "double"},
	{"reliability", "double"}, {"patron", "boolean"}, {"groups", "string"},
	{"in_system", "boolean"}, {"organisations", "string"}, {"members", "string"}, {"leads", "string"},
}

// edgeAttributes are a link's attributes: what joins the pair and the
// projection's weight, then the tie's, present only when the pair has a tie.
var edgeAttributes = []attribute{
	{"via", "string"}, {"weight", "double"}, {"tie", "boolean"},
	{"form", "string"}, {"level", "string"}, {"level_num", "int"}, {"flow", "string"},
	{"support", "double"}, {"trust", "double"}, {"age", "int"},
}

// tieAttributes is how many of edgeAttributes (from the end) belong to the
// tie and are left out for a pair without one.
const tieAttributes = 7

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// nodeValues returns a node's attribute values, in nodeAttributes order.
func nodeValues(n *Node) []string {
	return []string{n.Label, n.Kind, n.Region, fmtFloat(n.Capability), fmtFloat(n.Economy),
		fmtFloat(n.Threat), fmtFloat(n.Reliability), strconv.FormatBool(n.Patron), strings.Join(n.Groups, ";"),
		strconv.FormatBool(n.InSystem), strings.Join(n.Organisations, ";"), strings.Join(n.Members, ";"), strings.Join(n.Leads, ";")}
}

// edgeValues returns a tie's attribute values, in TiesHeader order after
// source and target.
func edgeValues(e *Edge) []string {
	return []string{e.Form, e.Level, strconv.Itoa(e.LevelNum), e.Flow, fmtFloat(e.Support),
		fmtFloat(e.Trust), strconv.Itoa(e.Age), fmtFloat(e.Weight)}
}

// linkValues returns a link's attribute values, in edgeAttributes order;
// without a tie, only the first len(edgeAttributes)-tieAttributes.
func linkValues(l *Link) []string {
	v := []string{l.Via, fmtFloat(l.Weight), strconv.FormatBool(l.Tie != nil)}
	if l.Tie == nil {
		return v
	}
	e := l.Tie
	return append(v, e.Form, e.Level, strconv.Itoa(e.LevelNum), e.Flow, fmtFloat(e.Support), fmtFloat(e.Trust), strconv.Itoa(e.Age))
}

// WriteGraphML writes the snapshot as an undirected GraphML graph: every
// actor a node (in_system false for one not yet in the system), every link
// of the metrics' projection an edge with its weight and what joins the
// pair (the tie's attributes when it has one), edge IDs stable across
// snapshots. networkx's read_graphml gives the graph the structural metrics
// are computed on.
func WriteGraphML(w io.Writer, snap *Snapshot) error {
	doc := graphMLDoc(snap)
	return writeGraphMLDoc(w, &doc)
}

// graphMLDoc is the document WriteGraphML writes.
func graphMLDoc(snap *Snapshot) graphML {
	doc := graphML{
		XSI:            "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
		Graph:          graphMLGraph{ID: "G", EdgeDefault: "undirected"},
	}
	doc.Keys = append(doc.Keys, graphMLKey{"step", "graph", "step", "int"})
	for _, a := range nodeAttributes {
		doc.Keys = append(doc.Keys, graphMLKey{a.name, "node", a.name, a.typ})
	}
	for _, a := range edgeAttributes {
		doc.Keys = append(doc.Keys, graphMLKey{a.name, "edge", a.name, a.typ})
	}
	doc.Graph.Data = []graphMLData{{"step", strconv.Itoa(snap.Step)}}
	for i := range snap.Nodes {
		n := graphMLNode{ID: snap.Nodes[i].ID}
		for k, v := range nodeValues(&snap.Nodes[i]) {
			n.Data = append(n.Data, graphMLData{nodeAttributes[k].name, v})
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	links := snap.ExportLinks()
	for i := range links {
		l := &links[i]
		x := graphMLEdge{ID: l.ID, Source: l.Source, Target: l.Target}
		for k, v := range linkValues(l) {
			x.Data = append(x.Data, graphMLData{edgeAttributes[k].name, v})
		}
		doc.Graph.Edges = append(doc.Graph.Edges, x)
	}
	return doc
}

// ReadGraphML reads a snapshot written by WriteGraphML back: nodes with
// their attributes, links with their weight, via and tie, the ties, and the
// groups rebuilt from the nodes' groups and leads (a group's kind from the
// links' via, "minilateral" when no link names it). A GraphML file from
// elsewhere reads too, with what it has.
func ReadGraphML(r io.Reader) (Snapshot, error) {
	var doc graphML
	dec := xml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		return Snapshot{}, fmt.Errorf("results: reading GraphML: %w", err)
	}
	return snapshotOfDoc(&doc), nil
}

// AsFiled is the snapshot ReadGraphML reads from the file WriteGraphML
// writes of snap (what the file keeps of it: groups rebuilt from the
// nodes, edges' weight their level, no dyads), made without the XML; ok is
// false when a name would not come back as it is (a character XML cannot
// carry), and then only the file tells.
func AsFiled(snap *Snapshot) (Snapshot, bool) {
	doc := graphMLDoc(snap)
	ok := xmlSafe(doc.Graph.Data)
	for i := range doc.Graph.Nodes {
		n := &doc.Graph.Nodes[i]
		ok = ok && xmlSafeString(n.ID) && xmlSafe(n.Data)
	}
	for i := range doc.Graph.Edges {
		e := &doc.Graph.Edges[i]
		ok = ok && xmlSafeString(e.ID) && xmlSafeString(e.Source) && xmlSafeString(e.Target) && xmlSafe(e.Data)
	}
	if !ok {
		return Snapshot{}, false
	}
	return snapshotOfDoc(&doc), true
}

func xmlSafe(ds []graphMLData) bool {
	for _, d := range ds {
		if !xmlSafeString(d.Key) || !xmlSafeString(d.Value) {
			return false
		}
	}
	return true
}

// xmlSafeString reports whether encoding/xml writes s so that it reads it
// back as s: valid UTF-8 of characters XML 1.0 allows (it writes U+FFFD
// for others) and no carriage return (which XML's end-of-line handling
// may change).
func xmlSafeString(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError, r == '\r':
			return false
		case r == '\t', r == '\n':
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// snapshotOfDoc is what ReadGraphML makes of a parsed document.
func snapshotOfDoc(doc *graphML) Snapshot {
	var snap Snapshot
	for _, d := range doc.Graph.Data {
		if d.Key == "step" {
			snap.Step, _ = strconv.Atoi(strings.TrimSpace(d.Value))
		}
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ";")
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	groupIdx := map[string]int{}
	for _, n := range doc.Graph.Nodes {
		v := map[string]string{}
		for _, d := range n.Data {
			v[d.Key] = d.Value
		}
		node := Node{ID: n.ID, Label: v["label"], Kind: v["kind"], Region: v["region"],
			Capability: num(v["capability"]), Economy: num(v["economy"]), Threat: num(v["threat"]), Reliability: num(v["reliability"]),
			Patron: v["patron"] == "true", Groups: split(v["groups"]), InSystem: v["in_system"] != "false",
			Organisations: split(v["organisations"]), Members: split(v["members"]), Leads: split(v["leads"])}
		if node.Label == "" {
			node.Label = node.ID
		}
		for _, g := range node.Groups {
			k, ok := groupIdx[g]
			if !ok {
				k = len(snap.Groups)
				groupIdx[g] = k
				snap.Groups = append(snap.Groups, GroupInfo{ID: k, Name: g, Kind: "minilateral"})
			}
			snap.Groups[k].Members = append(snap.Groups[k].Members, node.ID)
		}
		for _, g := range node.Leads {
			if k, ok := groupIdx[g]; ok {
				snap.Groups[k].Leader, snap.Groups[k].Kind = node.ID, "coalition"
			}
		}
		snap.Nodes = append(snap.Nodes, node)
	}
	var ties []int
	for _, e := range doc.Graph.Edges {
		v := map[string]string{}
		for _, d := range e.Data {
			v[d.Key] = d.Value
		}
		l := Link{ID: e.ID, Source: e.Source, Target: e.Target, Weight: num(v["weight"]), Via: v["via"]}
		for _, part := range split(l.Via) {
			kind, name, ok := strings.Cut(part, ":")
			if k, known := groupIdx[name]; ok && known {
				snap.Groups[k].Kind = kind
			}
		}
		if v["tie"] == "true" || (v["tie"] == "" && v["form"] != "") {
			lvl, _ := strconv.Atoi(v["level_num"])
			age, _ := strconv.Atoi(v["age"])
			snap.Edges = append(snap.Edges, Edge{Source: e.Source, Target: e.Target, Form: v["form"], Level: v["level"], LevelNum: lvl,
				Flow: v["flow"], Support: num(v["support"]), Trust: num(v["trust"]), Age: age, Weight: float64(lvl)})
			ties = append(ties, len(snap.Links))
		}
		snap.Links = append(snap.Links, l)
	}
	for k, li := range ties {
		snap.Links[li].Tie = &snap.Edges[k]
	}
	if snap.Links == nil {
		snap.Links = []Link{}
	}
	return snap
}
