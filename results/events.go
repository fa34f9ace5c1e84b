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
// place when the set closes, like timeseries.csv.
type eventLog struct {
	f   *os.File
	w   *bufio.Writer
	buf []byte
	err error
}

// AddEvents appends one replicate's events to events.csv (created on the
// first call). Call it after AddRun of the same replicate, in replicate
// order, for a file that does not depend on the number of workers.
func (s *Set) AddEvents(replicate int, events []EventRow) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
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
	b := s.ev.buf[:0]
	for i := range events {
		b = appendEvent(b, replicate, &events[i])
		if len(b) >= 64<<10 {
			if _, err := s.ev.w.Write(b); err != nil {
				s.ev.err = fmt.Errorf("results: writing %s: %w", EventsFile, err)
				return s.ev.err
			}
			b = b[:0]
		}
	}
	if _, err := s.ev.w.Write(b); err != nil {
		s.ev.err = fmt.Errorf("results: writing %s: %w", EventsFile, err)
		return s.ev.err
	}
	s.ev.buf = b[:0]
	return nil
}

// closeEvents renames events.csv into place; called by Close with the lock
// held.
func (s *Set) closeEvents() error {
	if s.ev == nil {
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
	if err := commitTemp(s.ev.f, filepath.Join(s.dir, EventsFile)); err != nil {
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
