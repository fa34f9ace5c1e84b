package results

import (
	"image/color"
	"slices"
	"strconv"
	"strings"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/metrics"
)

// Snapshot is the network at one step of one replicate: actors as nodes,
// pairwise ties, groups (minilaterals and coalitions, which are hyperedges),
// the links of the projection the structural metrics are computed on, and
// the pairs of states bound by mutual defence.
type Snapshot struct {
	Step   int
	Nodes  []Node
	Edges  []Edge // the pairwise ties
	Groups []GroupInfo
	// Links are the edges of the weighted projection the structural
	// metrics use (sim/metrics.Graph): one per pair of actors it joins,
	// with its weight and what joins the pair. GraphML and GEXF export
	// these, so that networkx or Gephi reproduce the metrics. A snapshot
	// built by hand may leave Links nil: the exports then hold the ties.
	Links []Link
	// Dyads are the pairs of states bound by mutual defence
	// (sim.Sim.DefenceDyads): through an alliance or a common
	// mutual-defence organisation.
	Dyads []Dyad
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
	// InSystem is false for an actor that has not entered the system yet
	// (or has left it): it is a node, with no ties.
	InSystem bool
	// Organisations are the IDs of the organisations and informal groups
	// (actors) it is a member of, Members those of an organisation's or
	// group's own members (sim.Sim.OrganisationsOf, MembersOf).
	Organisations, Members []string
	// Leads are the names of the coalitions it leads.
	Leads []string
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

// Link is an edge of the metrics' projection between two actors.
type Link struct {
	// ID is stable across the snapshots of a run: "SOURCE--TARGET".
	ID             string
	Source, Target string  // actor IDs, Source first in actor order
	Weight         float64 // the projection's weight of the pair
	// Via says what joins the pair, ";"-separated in this order: "tie" (a
	// pairwise tie), "member" (one is a member of the other),
	// "minilateral:NAME" (co-members of a minilateral group), "coalition:NAME"
	// (a coalition's leader and a member, or co-members of a coalition
	// without a leader), or "projection" for anything else the
	// projection counts.
	Via string
	// Tie is the pair's tie, when Via has "tie".
	Tie *Edge
}

// Dyad is a pair of states bound by mutual defence: Via is "alliance" (a
// bilateral alliance) or the ID of the mutual-defence organisation both
// belong to.
type Dyad struct{ A, B, Via string }

// GroupInfo is a minilateral group or coalition in a snapshot.
type GroupInfo struct {
	ID      int
	Name    string
	Kind    string // minilateral or coalition
	Issue   string // minilaterals: deterrence, maritime, terrorism, technology, resources
	Threat  string // coalitions: the name of the threat it is bound to
	Level   string
	Members []string // actor IDs, in actor order
	Leader  string   // coalitions: the leading actor's ID (the metrics draw a coalition as a star around it); "" otherwise
}

// LinkID is the stable ID of the link between two actor IDs.
func LinkID(source, target string) string { return source + "--" + target }

// SnapshotOf captures the state of a run: nodes in actor order, edges and
// links sorted by (source, target) in actor order, groups by ID, dyads by
// (A, B). It copies everything, so the snapshot stays valid after the next
// Step.
func SnapshotOf(s *sim.Sim) Snapshot {
	w := s.World()
	snap := Snapshot{Step: s.T()}
	ids := make([]string, len(w.Actors))
	for i := range w.Actors {
		ids[i] = w.Actors[i].ID
	}
	leads := make([][]string, len(w.Actors))
	type groupAt struct {
		g      *sim.Group
		info   GroupInfo
		leader int
	}
	var groups []groupAt
	for g := range s.Groups() {
		gi := GroupInfo{ID: g.ID, Name: g.Name, Kind: g.Kind.String(), Level: g.Level.String()}
		leader := -1
		if g.Kind == sim.CoalitionGroup {
			if g.Threat >= 0 && g.Threat < len(w.Threats) {
				gi.Threat = w.Threats[g.Threat].Name
			}
			if g.Leader >= 0 && g.Leader < len(ids) && g.Has(g.Leader) {
				leader = g.Leader
				gi.Leader = ids[g.Leader]
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
		groups = append(groups, groupAt{g, gi, leader})
	}
	slices.SortFunc(groups, func(a, b groupAt) int { return a.info.ID - b.info.ID })
	for _, g := range groups {
		snap.Groups = append(snap.Groups, g.info)
		if g.leader >= 0 {
			leads[g.leader] = append(leads[g.leader], g.info.Name)
		}
	}
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
			Capability:    s.EffectiveCapability(i),
			Economy:       a.Economy,
			Threat:        s.PerceivedThreat(i),
			Reliability:   s.Reliability(i),
			Patron:        a.Patron,
			Groups:        member[i],
			InSystem:      s.InSystem(i),
			Organisations: idsOf(ids, s.OrganisationsOf(i)),
			Members:       idsOf(ids, s.MembersOf(i)),
			Leads:         leads[i],
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

	// the links: the projection's pairs, and what joins each
	g := metrics.Graph(s, metrics.GraphOptions{})
	type pair struct{ a, b int }
	var pairs []pair
	weight := map[pair]float64{}
	for it := g.WeightedEdges(); it.Next(); {
		e := it.WeightedEdge()
		a, b := int(e.From().ID()), int(e.To().ID())
		if a > b {
			a, b = b, a
		}
		p := pair{a, b}
		pairs = append(pairs, p)
		weight[p] = e.Weight()
	}
	slices.SortFunc(pairs, func(x, y pair) int {
		if x.a != y.a {
			return x.a - y.a
		}
		return x.b - y.b
	})
	via := make(map[pair][]string, len(pairs))
	add := func(a, b int, what string) {
		if a > b {
			a, b = b, a
		}
		p := pair{a, b}
		if _, ok := weight[p]; ok && !slices.Contains(via[p], what) {
			via[p] = append(via[p], what)
		}
	}
	tieOf := map[pair]int{}
	for k, t := range ties {
		tieOf[pair{t.a, t.b}] = k
		add(t.a, t.b, "tie")
	}
	for o := range w.Actors {
		for _, m := range s.MembersOf(o) {
			add(o, m, "member")
		}
	}
	for _, ga := range groups {
		what := ga.info.Kind + ":" + ga.info.Name
		mem := ga.g.Members
		if ga.leader >= 0 {
			for _, m := range mem {
				if m != ga.leader {
					add(ga.leader, m, what)
				}
			}
			continue
		}
		for x, a := range mem {
			for _, b := range mem[x+1:] {
				add(a, b, what)
			}
		}
	}
	used := make(map[string]bool, len(pairs))
	for _, p := range pairs {
		l := Link{Source: ids[p.a], Target: ids[p.b], Weight: weight[p], Via: strings.Join(via[p], ";")}
		if l.Via == "" {
			l.Via = "projection"
		}
		if k, ok := tieOf[p]; ok {
			l.Tie = &snap.Edges[k]
		}
		l.ID = LinkID(l.Source, l.Target)
		for k := 2; used[l.ID]; k++ { // only if IDs themselves hold "--"
			l.ID = LinkID(l.Source, l.Target) + "#" + strconv.Itoa(k)
		}
		used[l.ID] = true
		snap.Links = append(snap.Links, l)
	}
	for d := range s.DefenceDyads() {
		v := "alliance"
		if d.Via >= 0 {
			v = ids[d.Via]
		}
		snap.Dyads = append(snap.Dyads, Dyad{A: ids[d.A], B: ids[d.B], Via: v})
	}
	return snap
}

func idsOf(ids []string, idx []int) []string {
	if len(idx) == 0 {
		return nil
	}
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = ids[i]
	}
	return out
}

// ExportLinks returns the links the GraphML and GEXF exports hold: Links,
// or for a snapshot without them (built by hand) one link per tie.
func (s *Snapshot) ExportLinks() []Link {
	if s.Links != nil {
		return s.Links
	}
	out := make([]Link, len(s.Edges))
	for i := range s.Edges {
		e := &s.Edges[i]
		out[i] = Link{ID: LinkID(e.Source, e.Target), Source: e.Source, Target: e.Target, Weight: e.Weight, Via: "tie", Tie: e}
	}
	return out
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
