package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Row is one value of one metric at one step of one replicate: a line of
// timeseries.csv. Actor is empty for network-level metrics.
type Row struct {
	Replicate, Step int
	Metric, Actor   string
	Value           float64
}

// TimeseriesHeader is the header line of timeseries.csv.
var TimeseriesHeader = []string{"replicate", "step", "metric", "actor", "value"}

// SummaryHeader is the header line of summary.csv.
var SummaryHeader = []string{"step", "metric", "actor", "n", "mean", "sd", "ci_low", "ci_high"}

// appendFloat formats v exactly and reproducibly (shortest representation
// that parses back to the same float64); NaN and infinities as NaN, +Inf, -Inf.
func appendFloat(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendOptFloat is appendFloat, with NaN written as an empty field (NA).
func appendOptFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) {
		return b
	}
	return appendFloat(b, v)
}

// appendField appends a CSV field, quoted as RFC 4180 (and encoding/csv) want
// when it holds a comma, a quote, a line break or leading space.
func appendField(b []byte, s string) []byte {
	if s == "" || !fieldNeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func fieldNeedsQuotes(s string) bool {
	if s == `\.` {
		return true
	}
	// a byte loop: strings.ContainsAny builds its byte set on every call,
	// and this runs for every text field of every row
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return s[0] == ' ' || s[0] == '\t'
}

func appendRow(b []byte, r *Row) []byte {
	b = strconv.AppendInt(b, int64(r.Replicate), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Step), 10)
	b = append(b, ',')
	b = appendField(b, r.Metric)
	b = append(b, ',')
	b = appendField(b, r.Actor)
	b = append(b, ',')
	b = appendFloat(b, r.Value)
	return append(b, '\n')
}

// ParseError is a malformed line of a results CSV file.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("results: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// newCSVReader returns a reader checking the header and the field count.
func newCSVReader(r io.Reader, name string, header []string) (*csv.Reader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	got, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{name, 1, errors.New("empty file, want a header line")}
	}
	if err != nil {
		return nil, &ParseError{name, 1, err}
	}
	if strings.Join(got, ",") != strings.Join(header, ",") {
		return nil, &ParseError{name, 1, fmt.Errorf("header %q, want %q", strings.Join(got, ","), strings.Join(header, ","))}
	}
	return cr, nil
}

func csvErr(name string, cr *csv.Reader, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{name, pe.Line, pe.Err}
	}
	line, _ := cr.FieldPos(0)
	return &ParseError{name, line, err}
}

// parseOptFloat parses a float, an empty field being NaN.
func parseOptFloat(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// ScanTimeseries reads timeseries.csv data from r and calls fn for each row in
// file order, holding one row at a time. name is used in error messages.
func ScanTimeseries(r io.Reader, name string, fn func(Row) error) error {
	cr, err := newCSVReader(r, name, TimeseriesHeader)
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
		var row Row
		if row.Replicate, err = strconv.Atoi(rec[0]); err != nil {
			return csvErr(name, cr, fmt.Errorf("replicate: %w", err))
		}
		if row.Step, err = strconv.Atoi(rec[1]); err != nil {
			return csvErr(name, cr, fmt.Errorf("step: %w", err))
		}
		row.Metric, row.Actor = rec[2], rec[3]
		if row.Value, err = strconv.ParseFloat(rec[4], 64); err != nil {
			return csvErr(name, cr, fmt.Errorf("value: %w", err))
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// ReadTimeseries reads a whole timeseries.csv into memory. For large sets use
// ScanTimeseries.
func ReadTimeseries(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	var rows []Row
	err = ScanTimeseries(f, path, func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// newCSVReaderNoHeader returns a reader of records of n fields, the header
// already consumed.
func newCSVReaderNoHeader(r io.Reader, n int) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = n
	cr.ReuseRecord = true
	return cr
}
