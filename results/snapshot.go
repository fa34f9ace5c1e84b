package results

import (
	"image/color"
	"slices"
	"strconv"

	"github.com/entente/entente/sim"
)

// Snapshot is the network at one step of one replicate: actors as nodes,
// pairwise ties as undirected edges, and groups (minilaterals and
// coalitions, which are hyperedges) listed beside them.
type Snapshot struct {
	Step   int
	Nodes  []Node
	Edges  []Edge
	Groups []GroupInfo
}

// Node is an actor in a snapshot.
type Node struct {
	ID, Label, Kind, Region string
	Capability              float64  // effective capability this step (most capable actor = 1)
	Economy                 float64  // economic weight
	Threat                  float64  // total perceived threat
	Reliability             float64  // how reliable partners see it, in [0, 1]
	Patron                  bool     // the patron whose retrenchment the scenario describes
	Groups                  []string // names of the groups it belongs to, by group ID
}

// Edge is a pairwise tie in a snapshot. Source and Target are actor IDs,
// Source first in actor order.
type Edge struct {
	Source, Target string
	Form           string  // cooperation, alliance, assistance, coalition
	Level          string  // nominal, initial, institutionalised, advanced
	LevelNum       int     // 1 (nominal) to 4 (advanced)
	Flow           string  // "symmetric", or the donor's ID for a donor -> recipient tie
	Support        float64 // support flowing donor -> recipient this step
	Trust          float64 // in [0, 1]
	Age            int     // steps the tie has lasted
	Weight         float64 // LevelNum, for tools that size or lay out by weight
}

// Binding reports whether the edge's form carries a mutual-defence
// obligation (an alliance).
func (e *Edge) Binding() bool { return e.Form == sim.Alliance.String() }

// GroupInfo is a minilateral group or coalition in a snapshot.
type GroupInfo struct {
	ID      int
	Name    string
	Kind    string // minilateral or coalition
	Issue   string // minilaterals: deterrence, maritime, terrorism, technology, resources
	Threat  string // coalitions: the name of the threat it is bound to
	Level   string
	Members []string // actor IDs, in actor order
}

// SnapshotOf captures the state of a run: nodes in actor order, edges sorted
// by (source, target) in actor order, groups by ID. It copies everything, so
// the snapshot stays valid after the next Step.
func SnapshotOf(s *sim.Sim) Snapshot {
	w := s.World()
	snap := Snapshot{Step: s.T()}
	ids := make([]string, len(w.Actors))
	for i := range w.Actors {
		ids[i] = w.Actors[i].ID
	}
	for g := range s.Groups() {
		gi := GroupInfo{ID: g.ID, Name: g.Name, Kind: g.Kind.String(), Level: g.Level.String()}
		if g.Kind == sim.CoalitionGroup {
			if g.Threat >= 0 && g.Threat < len(w.Threats) {
				gi.Threat = w.Threats[g.Threat].Name
			}
		} else {
			gi.Issue = g.Issue.String()
		}
		for _, m := range g.Members {
			gi.Members = append(gi.Members, ids[m])
		}
		if gi.Name == "" {
			gi.Name = gi.Kind + "-" + strconv.Itoa(g.ID)
		}
		snap.Groups = append(snap.Groups, gi)
	}
	slices.SortFunc(snap.Groups, func(a, b GroupInfo) int { return a.ID - b.ID })
	member := make([][]string, len(w.Actors))
	for _, g := range snap.Groups {
		for _, m := range g.Members {
			i := w.ActorIndex(m)
			member[i] = append(member[i], g.Name)
		}
	}
	for i := range w.Actors {
		a := &w.Actors[i]
		label := a.Name
		if label == "" {
			label = a.ID
		}
		snap.Nodes = append(snap.Nodes, Node{
			ID: a.ID, Label: label, Kind: a.Kind.String(), Region: a.Region,
			Capability:  s.EffectiveCapability(i),
			Economy:     a.Economy,
			Threat:      s.PerceivedThreat(i),
			Reliability: s.Reliability(i),
			Patron:      a.Patron,
			Groups:      member[i],
		})
	}
	type tieAt struct {
		a, b int
		e    Edge
	}
	var ties []tieAt
	for t := range s.Ties() {
		a, b := min(t.A, t.B), max(t.A, t.B)
		flow := "symmetric"
		if t.Donor >= 0 {
			flow = ids[t.Donor]
		}
		ties = append(ties, tieAt{a, b, Edge{
			Source: ids[a], Target: ids[b],
			Form: t.Form.String(), Level: t.Level.String(), LevelNum: int(t.Level),
			Flow: flow, Support: t.Support, Trust: t.Trust, Age: t.Age,
			Weight: float64(t.Level),
		}})
	}
	slices.SortFunc(ties, func(x, y tieAt) int {
		if x.a != y.a {
			return x.a - y.a
		}
		return x.b - y.b
	})
	for _, t := range ties {
		snap.Edges = append(snap.Edges, t.e)
	}
	return snap
}

// Regions returns the snapshot's regions in order of first appearance among
// its nodes.
func (s *Snapshot) Regions() []string {
	var out []string
	for i := range s.Nodes {
		if !slices.Contains(out, s.Nodes[i].Region) {
			out = append(out, s.Nodes[i].Region)
		}
	}
	return out
}

// palette is Tableau 10: distinct, colour-blind friendlier than defaults.
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff},
	{0x76, 0xb7, 0xb2, 0xff}, {0x59, 0xa1, 0x4f, 0xff}, {0xed, 0xc9, 0x48, 0xff},
	{0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff}, {0x9c, 0x75, 0x5f, 0xff},
	{0xba, 0xb0, 0xac, 0xff},
}

// PaletteColor is the i-th colour of the palette used for regions and
// series (it cycles after ten).
func PaletteColor(i int) color.RGBA { return palette[i%len(palette)] }
