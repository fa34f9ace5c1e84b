package classroom

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The debrief: the students' decisions beside what the model would have
// chosen, the consents they gave, where every state ended up against where
// it started, and the metrics over time; as JSON for the page and as CSV
// files pandas and R read directly.

// Debrief is the record of a class's run so far.
type Debrief struct {
	Code     string         `json:"code"`
	Scenario scenarioInfo   `json:"scenario"`
	Seed     uint64         `json:"seed"`
	Step     int            `json:"step"`
	Terms    []string       `json:"terms"`
	Timeline []decisionRec  `json:"timeline"`
	Consents []consentRec   `json:"consents"`
	Seats    []seatView     `json:"seats"`
	Start    []actorOutcome `json:"start"`
	Now      []actorOutcome `json:"now"`
	Metrics  []string       `json:"metrics"`
	Series   []point        `json:"series"`
}

type seatView struct {
	Student string `json:"student"`
	Actor   string `json:"actor"`
	Label   string `json:"label"`
}

// debrief gathers the record. It takes run.mu (and fails while a step
// runs), then mu.
func (c *Class) debrief() (*Debrief, bool) {
	r := c.run
	if !r.mu.TryLock() {
		return nil, false
	}
	d := &Debrief{Code: c.code, Scenario: r.info(), Seed: r.seed, Step: r.s.T(), Terms: termNames(),
		Now: outcomes(r.s), Metrics: r.names, Series: slices.Clone(r.series)}
	r.mu.Unlock()
	c.mu.Lock()
	d.Timeline = slices.Clone(c.timeline)
	d.Consents = slices.Clone(c.consentLog)
	d.Start = slices.Clone(c.start)
	w := r.world()
	for _, st := range c.students {
		if st.actor >= 0 {
			d.Seats = append(d.Seats, seatView{Student: st.Name, Actor: w.Actors[st.actor].ID, Label: actorName(w, st.actor)})
		}
	}
	c.mu.Unlock()
	if d.Timeline == nil {
		d.Timeline = []decisionRec{}
	}
	if d.Consents == nil {
		d.Consents = []consentRec{}
	}
	if d.Seats == nil {
		d.Seats = []seatView{}
	}
	return d, true
}

func (s *Server) handleDebrief(w http.ResponseWriter, r *http.Request, c *Class) {
	d, ok := c.debrief()
	if !ok {
		writeError(w, http.StatusServiceUnavailable, "classroom: a step is running; ask again when it is done")
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// exportFiles are the debrief's CSV files.
var exportFiles = []string{"decisions.csv", "consents.csv", "outcomes.csv", "series.csv"}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request, c *Class) {
	file := r.PathValue("file")
	if !slices.Contains(exportFiles, file) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("classroom: no export %q (%s)", file, strings.Join(exportFiles, ", ")))
		return
	}
	d, ok := c.debrief()
	if !ok {
		writeError(w, http.StatusServiceUnavailable, "classroom: a step is running; ask again when it is done")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s"`, safeName(d.Scenario.Name), c.code, file))
	bw := bufio.NewWriter(w)
	switch file {
	case "decisions.csv":
		writeDecisionsCSV(bw, d)
	case "consents.csv":
		writeConsentsCSV(bw, d)
	case "outcomes.csv":
		writeOutcomesCSV(bw, d)
	case "series.csv":
		_ = writeCSV(bw, d.Metrics, d.Series)
	}
	_ = bw.Flush()
}

// csvField quotes a field when it needs it (RFC 4180).
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func fnum(v float64) string { return strconv.FormatFloat(finite(v), 'g', 6, 64) }

// writeDecisionsCSV writes one row per seated state's decision: what was
// chosen, by whom, what the model would have chosen, the change in utility
// by term of both, and whether it was carried out.
func writeDecisionsCSV(w io.Writer, d *Debrief) {
	head := []string{"step", "student", "actor", "chosen_by", "chosen", "chosen_kind", "chosen_delta", "chosen_prob"}
	for _, t := range d.Terms {
		head = append(head, "chosen_"+t)
	}
	head = append(head, "model", "model_kind", "model_delta", "model_prob")
	for _, t := range d.Terms {
		head = append(head, "model_"+t)
	}
	head = append(head, "same_as_model", "done", "consent", "note")
	fmt.Fprintln(w, strings.Join(head, ","))
	terms := func(o option) []string {
		out := make([]string, len(d.Terms))
		for i := range out {
			v := 0.0
			if i < len(o.Terms) {
				v = o.Terms[i]
			}
			out[i] = fnum(v)
		}
		return out
	}
	for _, r := range d.Timeline {
		by := "model"
		if r.External {
			by = "student"
		}
		var cons []string
		for _, v := range r.Consent {
			a := "refused"
			if v.Accepted {
				a = "accepted"
			}
			cons = append(cons, v.Actor+" "+a)
		}
		row := []string{strconv.Itoa(r.Step), csvField(r.Student), r.Actor, by, csvField(r.Chosen.Text), r.Chosen.Kind, fnum(r.Chosen.Delta), fnum(r.Chosen.Prob)}
		row = append(row, terms(r.Chosen)...)
		row = append(row, csvField(r.Model.Text), r.Model.Kind, fnum(r.Model.Delta), fnum(r.Model.Prob))
		row = append(row, terms(r.Model)...)
		row = append(row, strconv.FormatBool(r.Chosen.key == r.Model.key), strconv.FormatBool(r.Done), csvField(strings.Join(cons, "; ")), csvField(r.Note))
		fmt.Fprintln(w, strings.Join(row, ","))
	}
}

func writeConsentsCSV(w io.Writer, d *Debrief) {
	fmt.Fprintln(w, "step,student,actor,from,proposal,answered,accepted,model_accepted,waited_ms")
	for _, r := range d.Consents {
		fmt.Fprintf(w, "%d,%s,%s,%s,%s,%t,%t,%t,%d\n", r.Step, csvField(r.Student), r.Actor, r.From, csvField(r.Proposal), r.Answered, r.Accepted, r.Model, r.WaitedMs)
	}
}

// writeOutcomesCSV writes every actor at the start and now, and who
// steered it.
func writeOutcomesCSV(w io.Writer, d *Debrief) {
	fmt.Fprintln(w, "actor,label,kind,region,student,ties_start,ties_end,alliances_start,alliances_end,groups_start,groups_end,memberships_start,memberships_end,threat_start,threat_end,insecurity_start,insecurity_end,capability_start,capability_end,reliability_start,reliability_end,reputation_start,reputation_end")
	who := map[string]string{}
	for _, s := range d.Seats {
		who[s.Actor] = s.Student
	}
	for i, n := range d.Now {
		if i >= len(d.Start) {
			break
		}
		s := d.Start[i]
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", n.ID, csvField(n.Label), n.Kind, csvField(n.Region), csvField(who[n.ID]),
			s.Ties, n.Ties, s.Alliances, n.Alliances, s.Groups, n.Groups, s.Memberships, n.Memberships,
			fnum(s.Threat), fnum(n.Threat), fnum(s.Insecurity), fnum(n.Insecurity), fnum(s.Capability), fnum(n.Capability),
			fnum(s.Reliability), fnum(n.Reliability), fnum(s.Reputation), fnum(n.Reputation))
	}
}
