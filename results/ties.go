package results

import (
	"io"
	"strconv"
	"strings"
)

// TiesHeader and GroupsHeader are the header lines of the tie and group lists
// written beside snapshots when Options.TieLists is set.
var (
	TiesHeader   = []string{"source", "target", "form", "level", "level_num", "flow", "support", "trust", "age", "weight"}
	GroupsHeader = []string{"id", "name", "kind", "issue", "threat", "level", "members", "leader"}
	DyadsHeader  = []string{"a", "b", "via"}
)

// WriteTies writes the snapshot's edges as CSV (header TiesHeader).
func WriteTies(w io.Writer, snap *Snapshot) error {
	b := []byte(strings.Join(TiesHeader, ",") + "\n")
	for i := range snap.Edges {
		e := &snap.Edges[i]
		b = appendField(b, e.Source)
		b = append(b, ',')
		b = appendField(b, e.Target)
		for _, v := range edgeValues(e) {
			b = append(b, ',')
			b = appendField(b, v)
		}
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// WriteGroups writes the snapshot's groups as CSV (header GroupsHeader),
// members as actor IDs joined by ";", leader the ID of a coalition's leader
// (empty for a minilateral).
func WriteGroups(w io.Writer, snap *Snapshot) error {
	b := []byte(strings.Join(GroupsHeader, ",") + "\n")
	for _, g := range snap.Groups {
		b = strconv.AppendInt(b, int64(g.ID), 10)
		for _, v := range []string{g.Name, g.Kind, g.Issue, g.Threat, g.Level, strings.Join(g.Members, ";"), g.Leader} {
			b = append(b, ',')
			b = appendField(b, v)
		}
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// WriteDyads writes the snapshot's pairs of states bound by mutual defence
// as CSV (header DyadsHeader): via is "alliance" or the ID of the
// mutual-defence organisation both belong to.
func WriteDyads(w io.Writer, snap *Snapshot) error {
	b := []byte(strings.Join(DyadsHeader, ",") + "\n")
	for _, d := range snap.Dyads {
		b = appendField(b, d.A)
		b = append(b, ',')
		b = appendField(b, d.B)
		b = append(b, ',')
		b = appendField(b, d.Via)
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}
