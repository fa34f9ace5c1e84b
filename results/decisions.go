package results

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/entente/entente/sim"
)

// DecisionsFile holds, with `entente run --explain`, every decision of the
// explained actors in every replicate: one row per option weighed.
const DecisionsFile = "decisions.csv"

// DecisionsHeader is the header line of decisions.csv: the option's place,
// what it is, its change in the actor's utility in total and by term (one
// column per sim.Term, named by Term.String, between delta and prob), the
// logit probability the model gave it, whether it was chosen, whether it
// was the model's own draw, whether it was carried out, and the other
// side's consent to the chosen option.
func DecisionsHeader() []string {
	h := []string{"replicate", "step", "actor", "option", "kind", "partner", "group", "form", "level", "text", "delta"}
	for t := sim.Term(0); t < sim.NumTerms; t++ {
		h = append(h, t.String())
	}
	return append(h, "prob", "chosen", "model", "external", "done", "consent")
}

// AppendDecision appends the rows of one decision of replicate rep to b:
// one per option. consent, on the chosen row only, lists each party's
// answer as ID:yes:PROB or ID:no:PROB joined by ";".
func AppendDecision(b []byte, rep int, s *sim.Sim, d *sim.Decision) []byte {
	w := s.World()
	id := func(i int) string {
		if i < 0 || i >= len(w.Actors) {
			return ""
		}
		return w.Actors[i].ID
	}
	for k := range d.Options {
		c := &d.Options[k]
		b = strconv.AppendInt(b, int64(rep), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d.Step), 10)
		b = append(b, ',')
		b = appendField(b, id(d.Actor))
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(k), 10)
		b = append(b, ',')
		b = appendField(b, c.Kind.String())
		b = append(b, ',')
		b = appendField(b, id(c.Partner))
		b = append(b, ',')
		if c.Group >= 0 {
			b = strconv.AppendInt(b, int64(c.Group), 10)
		}
		b = append(b, ',')
		if c.Kind != sim.ChooseNothing {
			b = appendField(b, c.Form.String())
			b = append(b, ',')
			b = appendField(b, c.Level.String())
		} else {
			b = append(b, ',')
		}
		b = append(b, ',')
		b = appendField(b, s.DescribeChoice(*c))
		b = append(b, ',')
		b = appendFloat(b, round12(c.Delta))
		for t := range c.Terms {
			b = append(b, ',')
			b = appendFloat(b, round12(c.Terms[t]))
		}
		b = append(b, ',')
		b = appendFloat(b, round12(c.Prob))
		chosen := k == d.Chosen
		for _, v := range []bool{chosen, k == d.Model, chosen && d.External, chosen && d.Done} {
			b = append(b, ',')
			if v {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		}
		b = append(b, ',')
		if chosen && len(d.Consent) > 0 {
			var parts []string
			for _, v := range d.Consent {
				a := "no"
				if v.Accepted {
					a = "yes"
				}
				parts = append(parts, id(v.Actor)+":"+a+":"+strconv.FormatFloat(round12(v.Prob), 'g', -1, 64))
			}
			b = appendField(b, strings.Join(parts, ";"))
		}
		b = append(b, '\n')
	}
	return b
}

// round12 rounds to 12 significant digits, as the metrics are, so the file
// reads the same whatever the last bits of the arithmetic.
func round12(v float64) float64 {
	if v == 0 {
		return 0
	}
	x, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return x
}

// decisionLog streams decisions.csv like eventLog does events.csv.
type decisionLog struct {
	f   *os.File
	w   *bufio.Writer
	err error
}

// decPartName is the part file of a replicate's decisions in PartsDir.
func decPartName(replicate int) string { return fmt.Sprintf("dec%06d.csv", replicate) }

// AddDecisions adds one replicate's decision rows (made with
// AppendDecision) to decisions.csv (a set made with Options.Decisions).
// Like AddEvents: before the replicate's AddRun, in replicate order; a
// resumable set keeps them in the replicate's own part file, synced.
func (s *Set) AddDecisions(replicate int, rows []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.addable("AddDecisions", s.opt.Decisions, "Decisions"); err != nil {
		return err
	}
	if s.opt.Resumable {
		if err := s.partInOrder("decisions", replicate, s.decNext); err != nil {
			return err
		}
		if err := s.writePart(decPartName(replicate), func(w io.Writer) error { _, err := w.Write(rows); return err }); err != nil {
			s.err = fmt.Errorf("results: writing the decisions of replicate %d: %w", replicate, err)
			return s.err
		}
		s.decNext = replicate + 1
		return nil
	}
	if s.dec == nil {
		f, err := os.CreateTemp(s.dir, "."+DecisionsFile+".*.tmp")
		if err != nil {
			return fmt.Errorf("results: %w", err)
		}
		s.dec = &decisionLog{f: f, w: bufio.NewWriterSize(f, 256<<10)}
		if _, err := s.dec.w.WriteString(decisionsHeaderLine()); err != nil {
			s.dec.err = err
		}
	}
	if s.dec.err != nil {
		return s.dec.err
	}
	if _, err := s.dec.w.Write(rows); err != nil {
		s.dec.err = fmt.Errorf("results: writing %s: %w", DecisionsFile, err)
	}
	return s.dec.err
}

func decisionsHeaderLine() string { return strings.Join(DecisionsHeader(), ",") + "\n" }

// closeDecisions puts decisions.csv in place (Close, lock held), as
// closeEvents does events.csv.
func (s *Set) closeDecisions() error {
	if !s.opt.Decisions {
		return nil
	}
	if s.opt.Resumable {
		if err := s.assembleParts(DecisionsFile, decisionsHeaderLine(), decPartName); err != nil {
			return fmt.Errorf("results: writing %s: %w", DecisionsFile, err)
		}
		s.addFile(DecisionsFile)
		return nil
	}
	if s.dec == nil { // no decision of the explained actors
		err := s.writeFile(DecisionsFile, func(w io.Writer) error {
			_, err := io.WriteString(w, decisionsHeaderLine())
			return err
		})
		if err != nil {
			return fmt.Errorf("results: writing %s: %w", DecisionsFile, err)
		}
		s.addFile(DecisionsFile)
		return nil
	}
	err := s.dec.err
	if err == nil {
		err = s.dec.w.Flush()
	}
	if err != nil {
		s.dec.f.Close()
		os.Remove(s.dec.f.Name())
		return fmt.Errorf("results: writing %s: %w", DecisionsFile, err)
	}
	if err := s.commitTemp(s.dec.f, DecisionsFile); err != nil {
		return fmt.Errorf("results: writing %s: %w", DecisionsFile, err)
	}
	s.addFile(DecisionsFile)
	return nil
}

// DecisionRow is one row of decisions.csv: one option of one decision.
type DecisionRow struct {
	Replicate, Step int
	Actor           string
	Option          int
	Kind            string
	Partner         string
	Group           int // -1: none
	Form, Level     string
	Text            string
	Delta           float64
	Terms           []float64 // by term, in the file's order (DecisionTerms)
	Prob            float64
	Chosen, Model   bool
	External, Done  bool
	Consent         []Consent
}

// Consent is one party's answer to a chosen proposal.
type Consent struct {
	Actor    string
	Accepted bool
	Prob     float64
}

// ScanDecisions reads decisions.csv data from r: it returns the term names
// of its header (the columns between delta and prob, so files of a model
// with other terms read too) and calls fn for each row in file order; name
// is used in error messages.
func ScanDecisions(r io.Reader, name string, fn func(DecisionRow) error) (terms []string, err error) {
	br := bufio.NewReaderSize(r, 256<<10)
	head, err := br.ReadString('\n')
	if err != nil && head == "" {
		return nil, &ParseError{name, 1, fmt.Errorf("empty file, want a header line")}
	}
	cols := strings.Split(strings.TrimRight(head, "\r\n"), ",")
	di, pi := slices.Index(cols, "delta"), slices.Index(cols, "prob")
	want := []string{"replicate", "step", "actor", "option", "kind", "partner", "group", "form", "level", "text", "delta"}
	if di != len(want)-1 || !slices.Equal(cols[:di+1], want) || pi < di || !slices.Equal(cols[pi:], []string{"prob", "chosen", "model", "external", "done", "consent"}) {
		return nil, &ParseError{name, 1, fmt.Errorf("header %q is not that of decisions.csv (%s)", strings.TrimSpace(head), strings.Join(DecisionsHeader(), ","))}
	}
	terms = slices.Clone(cols[di+1 : pi])
	cr := newCSVReaderNoHeader(br, len(cols))
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return terms, nil
		}
		if err != nil {
			return terms, csvErr(name, cr, err)
		}
		var d DecisionRow
		bad := func(what string, err error) error { return &ParseError{name, line, fmt.Errorf("%s: %w", what, err)} }
		if d.Replicate, err = strconv.Atoi(rec[0]); err != nil {
			return terms, bad("replicate", err)
		}
		if d.Step, err = strconv.Atoi(rec[1]); err != nil {
			return terms, bad("step", err)
		}
		d.Actor = rec[2]
		if d.Option, err = strconv.Atoi(rec[3]); err != nil {
			return terms, bad("option", err)
		}
		d.Kind, d.Partner = rec[4], rec[5]
		d.Group = -1
		if rec[6] != "" {
			if d.Group, err = strconv.Atoi(rec[6]); err != nil {
				return terms, bad("group", err)
			}
		}
		d.Form, d.Level, d.Text = rec[7], rec[8], rec[9]
		if d.Delta, err = strconv.ParseFloat(rec[10], 64); err != nil {
			return terms, bad("delta", err)
		}
		d.Terms = make([]float64, len(terms))
		for k := range terms {
			if d.Terms[k], err = strconv.ParseFloat(rec[11+k], 64); err != nil {
				return terms, bad(terms[k], err)
			}
		}
		if d.Prob, err = strconv.ParseFloat(rec[pi], 64); err != nil {
			return terms, bad("prob", err)
		}
		for k, p := range []*bool{&d.Chosen, &d.Model, &d.External, &d.Done} {
			switch rec[pi+1+k] {
			case "1":
				*p = true
			case "0":
			default:
				return terms, bad(cols[pi+1+k], fmt.Errorf("%q is not 0 or 1", rec[pi+1+k]))
			}
		}
		if c := rec[pi+5]; c != "" {
			for _, part := range strings.Split(c, ";") {
				f := strings.Split(part, ":")
				if len(f) != 3 || (f[1] != "yes" && f[1] != "no") {
					return terms, bad("consent", fmt.Errorf("%q is not ID:yes|no:PROB", part))
				}
				p, err := strconv.ParseFloat(f[2], 64)
				if err != nil {
					return terms, bad("consent", err)
				}
				d.Consent = append(d.Consent, Consent{Actor: f[0], Accepted: f[1] == "yes", Prob: p})
			}
		}
		if err := fn(d); err != nil {
			return terms, err
		}
	}
}
