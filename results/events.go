package results

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// EventsFile holds every event of every replicate, when the runner records
// them: replicate,step,kind,actor,other,group,text.
const EventsFile = "events.csv"

// EventsHeader is the header line of events.csv.
var EventsHeader = []string{"replicate", "step", "kind", "actor", "other", "group", "text"}

// EventRow is one event of a replicate (sim.Event in words): kind as
// sim.EventKind names it, actor and other as actor IDs ("" when none; other
// is the threat's name for coalition events), group the group's ID (-1
// none), text the sentence sim.Sim.Describe makes of it, without its
// "step N: " prefix.
type EventRow struct {
	Step         int
	Kind         string
	Actor, Other string
	Group        int
	Text         string
}

func appendEvent(b []byte, rep int, e *EventRow) []byte {
	b = strconv.AppendInt(b, int64(rep), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(e.Step), 10)
	b = append(b, ',')
	b = appendField(b, e.Kind)
	b = append(b, ',')
	b = appendField(b, e.Actor)
	b = append(b, ',')
	b = appendField(b, e.Other)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(e.Group), 10)
	b = append(b, ',')
	b = appendField(b, e.Text)
	return append(b, '\n')
}

// eventLog streams events.csv into a hidden temporary file renamed into
// place when the set closes, like timeseries.csv (a set without
// Options.Resumable).
type eventLog struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
	err error
}

// evPartName is the part file of a replicate's events in PartsDir.
func evPartName(replicate int) string { return fmt.Sprintf("ev%06d.csv", replicate) }

// AddEvents adds one replicate's events to events.csv (a set made with
// Options.Events). Deliver them before the replicate's AddRun, in replicate
// order, for a file that does not depend on the number of workers. A
// resumable set writes them to the replicate's own part file, synced, so
// that once AddRun commits the replicate its events are kept with its rows;
// a replicate committed without AddEvents has none.
func (s *Set) AddEvents(replicate int, events []EventRow) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.addable("AddEvents", s.opt.Events, "Events"); err != nil {
		return err
	}
	write := func(w io.Writer, buf *[]byte) error {
		return writeChunked(w, buf, len(events), func(b []byte, i int) []byte { return appendEvent(b, replicate, &events[i]) })
	}
	if s.opt.Resumable {
		if err := s.partInOrder("events", replicate, s.evNext); err != nil {
			return err
		}
		if err := s.writePart(evPartName(replicate), func(w io.Writer) error { return write(w, &s.buf) }); err != nil {
			s.err = fmt.Errorf("results: writing the events of replicate %d: %w", replicate, err)
			return s.err
		}
		s.evNext = replicate + 1
		if s.opt.Tally != nil {
			// in events.csv once AddRun commits the replicate: tallied then
			s.evHeld = append(s.evHeld[:0], events...)
		}
		return nil
	}
	if s.ev == nil {
		f, err := os.CreateTemp(s.dir, "."+EventsFile+".*.tmp")
		if err != nil {
			return fmt.Errorf("results: %w", err)
		}
		s.ev = &eventLog{f: f, w: bufio.NewWriterSize(f, 128<<10)}
		if _, err := s.ev.w.WriteString(strings.Join(EventsHeader, ",") + "\n"); err != nil {
			s.ev.err = err
		}
	}
	if s.ev.err != nil {
		return s.ev.err
	}
	if err := write(s.ev.w, &s.ev.buf); err != nil {
		s.ev.err = fmt.Errorf("results: writing %s: %w", EventsFile, err)
		return s.ev.err
	}
	if s.opt.Tally != nil {
		for i := range events {
			s.opt.Tally(replicate, &events[i])
		}
	}
	return nil
}

// tallyHeld gives Options.Tally the events of a resumable set's replicate
// that AddRun has just committed (the lock held), held since its AddEvents.
func (s *Set) tallyHeld(replicate int) {
	for i := range s.evHeld {
		s.opt.Tally(replicate, &s.evHeld[i])
	}
	clear(s.evHeld)
	s.evHeld = s.evHeld[:0]
}

// tallyPart gives Options.Tally the events of part i, a replicate Resume
// keeps, in file order.
func (s *Set) tallyPart(i int) error {
	name := filepath.Join(s.dir, PartsDir, evPartName(i))
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return ScanEvents(io.MultiReader(strings.NewReader(strings.Join(EventsHeader, ",")+"\n"), f), name, func(rep int, e EventRow) error {
		if rep != i {
			return fmt.Errorf("%s: an event of replicate %d", name, rep)
		}
		s.opt.Tally(rep, &e)
		return nil
	})
}

// closeEvents puts events.csv in place (Close, lock held): a resumable set
// assembles it from the parts, another renames its stream into place.
func (s *Set) closeEvents() error {
	if !s.opt.Events {
		return nil
	}
	if s.opt.Resumable {
		if err := s.assembleParts(EventsFile, strings.Join(EventsHeader, ",")+"\n", evPartName); err != nil {
			return fmt.Errorf("results: writing %s: %w", EventsFile, err)
		}
		s.addFile(EventsFile)
		return nil
	}
	if s.ev == nil { // no replicate had an event
		err := s.writeFile(EventsFile, func(w io.Writer) error {
			_, err := io.WriteString(w, strings.Join(EventsHeader, ",")+"\n")
			return err
		})
		if err != nil {
			return fmt.Errorf("results: writing %s: %w", EventsFile, err)
		}
		s.addFile(EventsFile)
		return nil
	}
	err := s.ev.err
	if err == nil {
		err = s.ev.w.Flush()
	}
	if err != nil {
		s.ev.f.Close()
		os.Remove(s.ev.f.Name())
		return fmt.Errorf("results: writing %s: %w", EventsFile, err)
	}
	if err := s.commitTemp(s.ev.f, EventsFile); err != nil {
		return fmt.Errorf("results: writing %s: %w", EventsFile, err)
	}
	s.addFile(EventsFile)
	return nil
}

// ScanEvents reads events.csv data from r and calls fn for each event in
// file order; name is used in error messages.
func ScanEvents(r io.Reader, name string, fn func(replicate int, e EventRow) error) error {
	cr, err := newCSVReader(r, name, EventsHeader)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvErr(name, cr, err)
		}
		rep, err := strconv.Atoi(rec[0])
		if err != nil {
			return csvErr(name, cr, fmt.Errorf("replicate: %w", err))
		}
		var e EventRow
		if e.Step, err = strconv.Atoi(rec[1]); err != nil {
			return csvErr(name, cr, fmt.Errorf("step: %w", err))
		}
		e.Kind, e.Actor, e.Other = rec[2], rec[3], rec[4]
		if e.Group, err = strconv.Atoi(rec[5]); err != nil {
			return csvErr(name, cr, fmt.Errorf("group: %w", err))
		}
		e.Text = rec[6]
		if err := fn(rep, e); err != nil {
			return err
		}
	}
}
