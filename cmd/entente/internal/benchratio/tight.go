package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/entente/entente/sim"
	"github.com/entente/entente/sim/simtest"
)

// tightDecision is what one opportunity of the step weighed, as the tight
// loop replays it: the actor, each option, and who was asked to consent.
type tightDecision struct {
	actor    int
	opts     []tightOption
	consents []int32 // the actors asked, in order
}

// tightOption is one option of a decision: its partner (-1: none), the
// group it is about (-1: none), and the tie's form and level after it.
type tightOption struct {
	partner, group int32
	form           sim.Form
	level          sim.Level
	donor          bool // a flow from the actor (an offer, or support kept)
}

// tightTie is a tie as an actor's sorted adjacency holds it.
type tightTie struct {
	j     int32
	form  sim.Form
	level sim.Level
	age   int32
	align float64 // how strongly the two stand together (rivalry's walks)
	donor int32   // the donor's actor index, -1
}

// tightEntry is one of an actor's threat entries (the base need first).
type tightEntry struct {
	T, eP  float64 // the threat felt and exp(−protection), as the engine keeps them
	trans  bool
	k, src int32 // the threat (-1: the base need) and its source
}

// tightWorld is the state the tight loop reads, in flat arrays built from
// the run's state before the step: each actor's values (stride dim),
// resources, capability present, reliability, hub value, autonomy, budget
// and own base, its threat entries (offsets off), its ties sorted by
// partner (offsets adjOff), its rivals (offsets enOff), and each group's
// members (by group ID).
type tightWorld struct {
	dim                                        int
	vals                                       []float64
	res, capP, rel, hub, aut, budget, base, ec []float64
	patron                                     []bool
	off, adjOff, enOff                         []int
	te                                         []tightEntry
	adj                                        []tightTie
	en                                         []struct {
		j int32
		e float64
	}
	groups map[int]*tightGroup
	p      sim.Params
	dt     float64
	retPol float64
}

func newTightWorld(s *sim.Sim) *tightWorld {
	w := s.World()
	n := s.N()
	p := s.Params()
	tw := &tightWorld{dim: len(w.Actors[0].Values), p: p, dt: 0.25, groups: map[int]*tightGroup{},
		off: make([]int, n+1), adjOff: make([]int, n+1), enOff: make([]int, n+1)}
	tw.retPol, _ = s.Retrenchment()
	rivals := make([][]int32, n)
	for _, r := range w.Rivalries {
		rivals[r.A] = append(rivals[r.A], int32(r.B))
		rivals[r.B] = append(rivals[r.B], int32(r.A))
	}
	for i := range n {
		a := &w.Actors[i]
		tw.vals = append(tw.vals, a.Values...)
		ec := s.EffectiveCapability(i)
		tw.ec = append(tw.ec, ec)
		tw.res = append(tw.res, ec+a.Economy)
		tw.capP = append(tw.capP, ec*s.Presence(i))
		tw.rel = append(tw.rel, s.Reliability(i))
		d := float64(s.Degree(i))
		tw.hub = append(tw.hub, 0.5*a.Economy+0.5*d/(d+10))
		tw.aut = append(tw.aut, a.Autonomy)
		tw.budget = append(tw.budget, p.AidRate*a.Economy)
		tw.base = append(tw.base, ec-s.Assisted(i))
		tw.patron = append(tw.patron, a.Patron)
		// the base need and each threat it feels, as the engine's entries
		tw.te = append(tw.te, tightEntry{T: p.BaseNeed, eP: math.Exp(-s.ProtectionAgainst(i, -1)), k: -1, src: -1})
		for k := range w.Threats {
			if t := s.PerceivedThreatOf(i, k); t > 0 {
				tw.te = append(tw.te, tightEntry{T: t, eP: math.Exp(-s.ProtectionAgainst(i, k)),
					trans: w.Threats[k].Kind != "conventional", k: int32(k), src: int32(w.Threats[k].Source)})
			}
		}
		tw.off[i+1] = len(tw.te)
		lo := len(tw.adj)
		for t := range s.TiesOf(i) {
			j := t.Other(i)
			al := 0.3 * t.Level.Frac()
			if t.Form == sim.Alliance {
				al = 1
			}
			tw.adj = append(tw.adj, tightTie{j: int32(j), form: t.Form, level: t.Level, age: int32(t.Age), align: al, donor: int32(t.Donor)})
		}
		slices.SortFunc(tw.adj[lo:], func(a, b tightTie) int { return int(a.j - b.j) })
		tw.adjOff[i+1] = len(tw.adj)
		slices.Sort(rivals[i])
		for _, j := range rivals[i] {
			tw.en = append(tw.en, struct {
				j int32
				e float64
			}{j, s.Enmity(i, int(j))})
		}
		tw.enOff[i+1] = len(tw.en)
	}
	for g := range s.Groups() {
		tg := &tightGroup{members: make([]int32, len(g.Members))}
		for k, x := range g.Members {
			tg.members[k] = int32(x)
			tg.cap += tw.capP[x]
			tg.capRel += tw.capP[x] * tw.rel[x]
		}
		tw.groups[g.ID] = tg
	}
	return tw
}

// tightGroup is a group's members and the sums of their capability
// present and reliability-weighted capability.
type tightGroup struct {
	members     []int32
	cap, capRel float64
}

// tie finds i's tie with j in its sorted adjacency (nil: none), as the
// engine's lookup of a pair does.
func (tw *tightWorld) tie(i, j int32) *tightTie {
	a := tw.adj[tw.adjOff[i]:tw.adjOff[i+1]]
	if k, ok := slices.BinarySearchFunc(a, j, func(t tightTie, j int32) int { return int(t.j - j) }); ok {
		return &a[k]
	}
	return nil
}

func (tw *tightWorld) align(j, k int32) float64 {
	if t := tw.tie(j, k); t != nil {
		return t.align
	}
	return 0
}

// tightPair is what the utility of any tie of i with j depends on, once
// per partner and decision (the engine's pairOf).
type tightPair struct {
	sim, riv, infl, gap float64
}

func (tw *tightWorld) pair(i, j int32) tightPair {
	var pr tightPair
	vi := tw.vals[int(i)*tw.dim : int(i+1)*tw.dim]
	vj := tw.vals[int(j)*tw.dim : int(j+1)*tw.dim]
	dist := 0.0
	for k := range vi {
		q := vi[k] - vj[k]
		dist += q * q
	}
	pr.sim = 2*(1-math.Sqrt(dist/float64(4*tw.dim))) - 1
	// the signed network: i's rivals' standing with j, j's rivals' with
	// i, common rivals (both lists sorted: a merge)
	ej, f := tw.en[tw.enOff[j]:tw.enOff[j+1]], 0
	for _, x := range tw.en[tw.enOff[i]:tw.enOff[i+1]] {
		if x.j == j {
			pr.riv -= x.e
			continue
		}
		pr.riv -= x.e * tw.align(j, x.j)
		for f < len(ej) && ej[f].j < x.j {
			f++
		}
		if f < len(ej) && ej[f].j == x.j {
			pr.riv += x.e * ej[f].e
		}
	}
	for _, x := range ej {
		if x.j != i {
			pr.riv -= x.e * tw.align(i, x.j)
		}
	}
	if ri, rj := tw.res[i], tw.res[j]; ri > rj {
		pr.infl = (ri - rj) / (ri + rj)
	}
	// entrapment: the state threats j feels beyond i's (a merge of the
	// two actors' entries)
	ei, fi := tw.te[tw.off[i]+1:tw.off[i+1]], 0
	for _, x := range tw.te[tw.off[j]+1 : tw.off[j+1]] {
		if x.trans || x.src == i {
			continue
		}
		for fi < len(ei) && ei[fi].k < x.k {
			fi++
		}
		own := 0.0
		if fi < len(ei) && ei[fi].k == x.k {
			own = ei[fi].T
		}
		pr.gap += max(0, x.T-own)
	}
	return pr
}

// commitOf is a form's commitment against state and transnational threats.
func (tw *tightWorld) commitOf(f sim.Form) (conv, trans float64) {
	switch f {
	case sim.Alliance:
		return 1, 0.5
	case sim.Cooperation:
		return tw.p.CooperationCommit, 0.5
	case sim.Coalition:
		return tw.p.CoalitionCommit, tw.p.CoalitionCommit
	}
	return 0, 0
}

// security is the change of i's security when its tie with j goes from
// (f0, l0, age) to (f1, l1): for each of i's entries the factor by which
// j's protection multiplies its exposure, one expm1 per distinct argument
// (the engine's exposureMemo), and the concave value's change (secDeltaQ).
func (tw *tightWorld) security(i, j int32, f0 sim.Form, l0 sim.Level, f1 sim.Form, l1 sim.Level, age int32, gain float64) float64 {
	h := tw.p.DeterrenceHorizon
	yrs := tw.p.TreatyTerm + float64(age)*tw.dt
	cred := yrs / (yrs + h)
	pc := tw.p.Protection * tw.capP[j]
	r := min(1, tw.rel[j]) * (1 - tw.enmity(i, j)) // a rival's promise is not credible (the engine's reliabilityTo)
	var q0m, q1m [2]struct {
		c, q float64
		ok   bool
	}
	factor := func(m *[2]struct {
		c, q float64
		ok   bool
	}, f sim.Form, l sim.Level, trans bool) float64 {
		if l == sim.None {
			return 1
		}
		cc, ct := tw.commitOf(f)
		c, cr, k := cc, cred, 0
		if trans {
			c, cr, k = ct, 1, 1
		}
		c = pc * c * cr * l.Frac()
		if m[k].ok && m[k].c == c {
			return m[k].q
		}
		q := 1.0
		if c > 0 && r > 0 {
			q = 1 + r*math.Expm1(-c)
		}
		m[k].c, m[k].q, m[k].ok = c, q, true
		return q
	}
	fa := 1.0
	if gain != 0 {
		fa = math.Exp(-tw.p.SelfHelp * gain)
	}
	d := 0.0
	for _, x := range tw.te[tw.off[i]:tw.off[i+1]] {
		q := factor(&q1m, f1, l1, x.trans) / factor(&q0m, f0, l0, x.trans) * fa
		d += x.T*x.eP - x.T*x.eP*q
	}
	return d
}

// enmity is E_ij from i's list of rivals (short: a scan).
func (tw *tightWorld) enmity(i, j int32) float64 {
	for _, x := range tw.en[tw.enOff[i]:tw.enOff[i+1]] {
		if x.j == j {
			return x.e
		}
	}
	return 0
}

// assistGain is the steady state of the capability a flow from d builds
// in r at level l (the recipient's valuation; its budget shared by level
// across its recipients).
func (tw *tightWorld) assistGain(d, r int32, l sim.Level) float64 {
	total := l.Frac()
	for _, t := range tw.adj[tw.adjOff[d]:tw.adjOff[d+1]] {
		if t.donor == d && t.j != r {
			total += t.level.Frac()
		}
	}
	sup := tw.budget[d] * l.Frac() / total
	q := tw.p.AssistEfficiency * sup / tw.p.AssistDecay
	c := tw.base[r]
	return (q + math.Sqrt(q*q+4*q*c)) / 2
}

// standing is the change of donor d's standing over its recipients when
// its flow to r goes from f0 to f1 of a level (two walks over its ties).
func (tw *tightWorld) standing(d, r int32, f0, f1 float64) float64 {
	others := 0.0
	ties := tw.adj[tw.adjOff[d]:tw.adjOff[d+1]]
	for _, t := range ties {
		if t.donor == d && t.j != r {
			others += t.level.Frac()
		}
	}
	value := func(x int32, fx, total float64) float64 {
		if fx == 0 || total == 0 {
			return 0
		}
		infl := 0.0
		if ri, rx := tw.res[d], tw.res[x]; ri > rx {
			infl = (ri - rx) / (ri + rx)
		}
		sup := tw.budget[d] * fx / total
		return fx * infl * sup / (sup + tw.base[x] + 1e-9)
	}
	v := value(r, f1, others+f1) - value(r, f0, others+f0)
	for _, t := range ties {
		if t.donor == d && t.j != r {
			fx := t.level.Frac()
			v += value(t.j, fx, others+f1) - value(t.j, fx, others+f0)
		}
	}
	return tw.p.InfluenceWeight * v
}

// umbrella is a patron's stake: the change of partner j's security from
// the change of the patron's tie (a walk over j's entries, as security).
func (tw *tightWorld) umbrella(i, j int32, f0 sim.Form, l0 sim.Level, f1 sim.Form, l1 sim.Level, age int32) float64 {
	return tw.p.UmbrellaWeight * (1 - tw.retPol) * tw.security(j, i, f0, l0, f1, l1, age, 0)
}

// tieUtility is i's change of utility when its tie with j goes from what
// it is (none, or the tie in i's adjacency) to form f1 at level l1: every
// term the engine weighs (security and the recipient's gain, the linear
// terms, the donor's standing, the patron's stake, reputation, creation
// and lock-in).
func (tw *tightWorld) tieUtility(i, j int32, pr *tightPair, f1 sim.Form, l1 sim.Level, donor bool) float64 {
	f0, l0, age := sim.Cooperation, sim.None, int32(0)
	donor0, fromJ := false, false
	if t := tw.tie(i, j); t != nil {
		f0, l0, age, donor0, fromJ = t.form, t.level, t.age, t.donor == i, t.donor == j
	}
	p := &tw.p
	// a recipient values the capability j's flow builds, before and after
	gain := 0.0
	if fromJ {
		if l1 > sim.None {
			gain = tw.assistGain(j, i, l1)
		}
		gain -= tw.assistGain(j, i, l0)
	}
	u := tw.security(i, j, f0, l0, f1, l1, age, gain)
	lin := func(f sim.Form, l sim.Level, sign float64) {
		if l == sim.None {
			return
		}
		frac := l.Frac()
		b := 0.1
		if f == sim.Alliance {
			b = 1
		}
		u += sign * frac * (p.EconomicWeight*tw.hub[j] + p.SimilarityWeight*pr.sim + p.TrustWeight*0.1 +
			p.InfluenceWeight*(1+b)*pr.infl - p.AutonomyWeight*tw.aut[i]*b + p.RivalryWeight*pr.riv)
		u -= sign * (p.TieCost + p.UpkeepCost*float64(int(l)*(int(l)+1)/2))
		if c, _ := tw.commitOf(f); c > 0 {
			u -= sign * frac * p.EntrapmentWeight * c * pr.gap
		}
	}
	lin(f1, l1, 1)
	lin(f0, l0, -1)
	if donor || donor0 {
		f0v, f1v := 0.0, 0.0
		if donor0 {
			f0v = l0.Frac()
		}
		if donor {
			f1v = l1.Frac()
		}
		u += tw.standing(i, j, f0v, f1v)
	}
	if tw.patron[i] {
		u += tw.umbrella(i, j, f0, l0, f1, l1, age)
	}
	if l0 == sim.None {
		u -= p.CreationCost
	} else {
		u -= p.AbandonPenalty * 0.3 * max(0, l0.Frac()-l1.Frac())
		u -= p.LockinWeight * (1 - math.Exp(-float64(age)*tw.dt/p.LockTime)) * max(0, l0.Frac()-l1.Frac())
	}
	return u
}

// groupUtility is i's change of security from a group's protection: the
// pool of its other members' capability and reliability (the group's sums,
// kept current as the engine keeps them, less i's own), delivered once
// (a log1p and an expm1) and applied to each of i's entries.
func (tw *tightWorld) groupUtility(i int32, g *tightGroup) float64 {
	capSum, relSum := g.cap, g.capRel
	if slices.Contains(g.members, i) {
		capSum -= tw.capP[i]
		relSum -= tw.capP[i] * tw.rel[i]
	}
	r := 0.0
	if capSum > 0 {
		r = min(1, relSum/capSum)
	}
	c := tw.p.Protection * tw.p.GroupCommit * 0.25 * capSum
	q := math.Exp(math.Log1p(-r * -math.Expm1(-c)))
	v := 0.0
	for _, x := range tw.te[tw.off[i]:tw.off[i+1]] {
		v += x.T * x.eP * (1 - q)
	}
	return v - tw.p.CoordinationCost*float64(len(g.members))
}

// replay does the arithmetic of the decisions' utility evaluations on flat
// arrays: for each option the terms the engine weighs (above), a pair's
// terms once per partner, then the logit's exp per option and a draw, and
// for each consent the consenting side's pair and terms and its binary
// logit. It returns a checksum so that the work is not optimised away.
func (tw *tightWorld) replay(ds []tightDecision) float64 {
	sum := 0.0
	u := make([]float64, 0, 64)
	x := uint64(1)
	tau := tw.p.Temperature
	for _, d := range ds {
		i := int32(d.actor)
		u = u[:0]
		var pr tightPair
		last := int32(-1)
		for _, o := range d.opts {
			switch {
			case o.group >= 0:
				v := 0.0
				if g := tw.groups[int(o.group)]; g != nil { // (nil: formed in this step, after the loop's state was taken)
					v = tw.groupUtility(i, g)
				}
				u = append(u, v)
			case o.partner < 0:
				u = append(u, 0)
			default:
				if o.partner != last {
					pr, last = tw.pair(i, o.partner), o.partner
				}
				u = append(u, tw.tieUtility(i, o.partner, &pr, o.form, o.level, o.donor))
			}
		}
		best := math.Inf(-1)
		for _, v := range u {
			best = max(best, v)
		}
		tot := 0.0
		for k, v := range u {
			w := math.Exp((v - best) / tau)
			u[k] = w
			tot += w
		}
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		r := float64(x>>11) / (1 << 53) * tot
		chosen := 0
		for k, w := range u {
			if r -= w; r <= 0 {
				chosen = k
				break
			}
		}
		sum += float64(chosen)
		o := d.opts[chosen]
		for _, c := range d.consents {
			if c < 0 || c == i {
				continue
			}
			cp := tw.pair(c, i)
			v := tw.tieUtility(c, i, &cp, o.form, o.level, false)
			sum += 1 / (1 + math.Exp(-v/tau))
		}
	}
	return sum
}

// tightRatio times the model step on Synthetic(n) against the tight loop
// replaying the same step's decisions (target: the step at most 2 times the
// loop). Each measured step is first run on a clone with a recorder, which
// gives the decisions the real step then makes (a clone stepped alike stays
// identical).
func tightRatio(out io.Writer, n, steps int) error {
	s, err := sim.New(simtest.Synthetic(n, 1), sim.DefaultParams(), sim.SeedFromInt(1))
	if err != nil {
		return err
	}
	s.Run(steps)
	var step, loop time.Duration
	var check float64
	opps, opts := 0, 0
	for k := 0; k < steps; k++ {
		tw := newTightWorld(s)
		var ds []tightDecision
		c := s.Clone()
		c.SetRecorder(func(d *sim.Decision) {
			td := tightDecision{actor: d.Actor}
			for _, o := range d.Options {
				to := tightOption{partner: int32(o.Partner), group: int32(o.Group), form: o.Form, level: o.Level,
					donor: o.Kind == sim.ChooseOfferAssistance}
				switch o.Kind {
				case sim.ChooseNothing:
					to.partner, to.group = -1, -1
				case sim.ChooseAccede, sim.ChooseWithdraw:
					to.partner = -1 // (an organisation's pool: weighed as a group of its members)
				}
				if o.Group >= 0 {
					to.partner = -1
				}
				td.opts = append(td.opts, to)
			}
			for _, v := range d.Consent {
				td.consents = append(td.consents, int32(v.Actor))
			}
			opps, opts = opps+1, opts+len(td.opts)
			ds = append(ds, td)
		})
		c.Step()
		t0 := cpu()
		s.Step()
		t1 := cpu()
		check += tw.replay(ds)
		t2 := cpu()
		step += t1 - t0
		loop += t2 - t1
		if c.NumTies() != s.NumTies() {
			return fmt.Errorf("tight: the recorded clone diverged from the run at step %d", s.T())
		}
	}
	fmt.Fprintf(out, "tight: Synthetic(%d), %d steps after %d: %d opportunities, %.1f options each (CPU; checksum %.0f)\n",
		n, steps, steps, opps, float64(opts)/float64(max(1, opps)), check)
	fmt.Fprintf(out, "tight:   (the loop weighs every option with the model's terms on flat arrays: security over the actor's entries with the recipient's gain, similarity, the signed network's walks, influence, entrapment's walk, upkeep, a donor's standing over its recipients, the patron's stake, lock-in, a group's pooled protection; then the logit, and each consent's terms and logit)\n")
	fmt.Fprintf(out, "tight:   step %.2f ms, the tight loop over the same decisions %.2f ms: ratio %.2f (target <= 2)\n",
		step.Seconds()*1e3/float64(steps), loop.Seconds()*1e3/float64(steps), float64(step)/float64(loop))
	return nil
}
