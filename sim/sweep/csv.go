package sweep

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
)

// csvWriter writes RFC 4180 rows and keeps the first error.
type csvWriter struct {
	w   *csv.Writer
	err error
}

func newCSV(w io.Writer) *csvWriter { return &csvWriter{w: csv.NewWriter(w)} }

func (c *csvWriter) row(fields ...string) {
	if c.err == nil {
		c.err = c.w.Write(fields)
	}
}

func (c *csvWriter) flush() error {
	c.w.Flush()
	if c.err != nil {
		return c.err
	}
	return c.w.Error()
}

// fmtNA formats a float as the results files do; NaN is an empty field (NA
// in R and pandas).
func fmtNA(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// parseNA reads a field written by fmtNA.
func parseNA(s string) (float64, error) {
	if s == "" || s == "NaN" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}
