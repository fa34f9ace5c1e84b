package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/entente/entente/results"
)

// ChartData is what the sweep's charts are drawn from, accumulated while the
// top-level files are assembled: every (point, replicate) outcome value,
// grouped by the bins (Centers) of each factor. Memory is O(outcomes ×
// bins²), whatever the number of points.
type ChartData struct {
	Factors  []Factor
	Centers  [][]float64           // factor -> bin centres (grid values, levels, or ten bins of a range)
	Outcomes []string              // outcome column names
	Ranges   []results.Range       // outcome -> the range of its metric (intervals stay inside it)
	Lines    [][][]results.Welford // outcome -> factor -> bin: outcome vs one factor, the others pooled
	// Heat is outcome -> bin of factor 0 -> bin of factor 1 (nil with a
	// single factor): the phase diagram of the first two factors.
	Heat [][][]results.Welford
}

// ChartFunc draws a sweep's charts into dir (the sweep's charts folder,
// already created) and returns the files written relative to dir. The CLI
// fills it from results/charts; sim/sweep never imports plotting.
type ChartFunc func(dir string, d *ChartData) ([]string, error)

// OutcomesSummaryHeader is the header of outcomes_summary.csv: one row per
// (point, outcome) across replicates, with a 95% interval that stays in the
// outcome's range (results.Welford.CIWithin with OutcomeRange).
var OutcomesSummaryHeader = []string{"point", "outcome", "n", "mean", "sd", "ci_low", "ci_high"}

func runtimeWorkers() int { return runtime.GOMAXPROCS(0) }

// assemble writes the top-level files from the points' own files, in point
// order, holding one point at a time: points.csv, outcomes.csv,
// outcomes_summary.csv, morris.csv (morris designs) and the charts. It
// returns the files written, sorted, sweep.json included. checked says
// that every point is known to be complete (Run has just verified the ones
// it kept and written the others, in this process); otherwise (merge) each
// point's manifest and digests are verified first (PointComplete).
func assemble(dir string, d *Design, names []string, draw ChartFunc, checked bool) ([]string, error) {
	header := outcomesHeader(d, names)
	files := []string{ManifestFile, PointsFile, OutcomesFile, OutcomesSummaryFile, TimeseriesFile}
	err := results.WriteFileAtomic(filepath.Join(dir, PointsFile), func(w io.Writer) error {
		cw := newCSV(w)
		h := []string{"point"}
		for _, f := range d.Factors {
			h = append(h, f.Key)
		}
		cw.row(h...)
		for i := range d.Len() {
			f := []string{fmt.Sprint(i)}
			for _, v := range d.Point(i) {
				f = append(f, FormatValue(v))
			}
			cw.row(f...)
		}
		return cw.flush()
	})
	if err != nil {
		return nil, err
	}

	cd := &ChartData{Factors: d.Factors, Outcomes: names}
	ranges := make([]results.Range, len(names))
	for o, name := range names {
		ranges[o] = OutcomeRange(name)
	}
	cd.Ranges = ranges
	for j := range d.Factors {
		cd.Centers = append(cd.Centers, d.Centers(j))
	}
	cd.Lines = make([][][]results.Welford, len(names))
	for o := range names {
		cd.Lines[o] = make([][]results.Welford, len(d.Factors))
		for j := range d.Factors {
			cd.Lines[o][j] = make([]results.Welford, len(cd.Centers[j]))
		}
	}
	if len(d.Factors) >= 2 {
		cd.Heat = make([][][]results.Welford, len(names))
		for o := range names {
			cd.Heat[o] = make([][]results.Welford, len(cd.Centers[0]))
			for x := range cd.Heat[o] {
				cd.Heat[o][x] = make([]results.Welford, len(cd.Centers[1]))
			}
		}
	}
	var morris *MorrisEstimator
	if d.Kind == Morris {
		morris, _ = NewMorrisEstimator(d, names)
		files = append(files, MorrisFile)
	}
	var sobol *SobolEstimator
	if d.Kind == Sobol {
		sobol, _ = NewSobolEstimator(d, names)
		files = append(files, SobolFile)
	}

	nf := len(d.Factors)
	err = results.WriteFileAtomic(filepath.Join(dir, OutcomesFile), func(ow io.Writer) error {
		return results.WriteFileAtomic(filepath.Join(dir, OutcomesSummaryFile), func(sw io.Writer) error {
			out := newCSV(ow)
			out.row(header...)
			sum := newCSV(sw)
			sum.row(OutcomesSummaryHeader...)
			acc := make([]results.Welford, len(names))
			for i := range d.Len() {
				if !checked && !PointComplete(dir, i) {
					return fmt.Errorf("sweep: point %d in %s is not complete", i, dir)
				}
				clear(acc)
				bins := make([]int, nf)
				for j, v := range d.Point(i) {
					bins[j] = nearest(cd.Centers[j], v)
				}
				err := readPointOutcomes(PointDir(dir, i), len(header), func(rec []string) error {
					out.row(rec...)
					for o := range names {
						v, err := parseNA(rec[2+nf+o])
						if err != nil {
							return fmt.Errorf("sweep: point %d outcomes: %w", i, err)
						}
						if v != v { // NaN
							continue
						}
						acc[o].Add(v)
						for j := range nf {
							cd.Lines[o][j][bins[j]].Add(v)
						}
						if cd.Heat != nil {
							cd.Heat[o][bins[0]][bins[1]].Add(v)
						}
					}
					return nil
				})
				if err != nil {
					return err
				}
				for o, name := range names {
					r := acc[o].RowWithin(0, name, "", ranges[o])
					sum.row(fmt.Sprint(i), name, fmt.Sprint(r.N), fmtNA(r.Mean), fmtNA(r.SD), fmtNA(r.CILow), fmtNA(r.CIHigh))
				}
				if morris != nil {
					if err := morris.AddReplicates(i, acc); err != nil {
						return err
					}
				}
				if sobol != nil {
					if err := sobol.AddReplicates(i, acc); err != nil {
						return err
					}
				}
			}
			if err := out.flush(); err != nil {
				return err
			}
			return sum.flush()
		})
	})
	if err != nil {
		return nil, err
	}
	if err := writeTimeseries(dir, d); err != nil {
		return nil, err
	}
	if morris != nil {
		if err := results.WriteFileAtomic(filepath.Join(dir, MorrisFile), func(w io.Writer) error {
			return WriteMorris(w, morris.Effects())
		}); err != nil {
			return nil, err
		}
	}
	if sobol != nil {
		if err := results.WriteFileAtomic(filepath.Join(dir, SobolFile), func(w io.Writer) error {
			return WriteSobol(w, sobol.Indices())
		}); err != nil {
			return nil, err
		}
	}
	if draw != nil {
		cdir := filepath.Join(dir, ChartDir)
		if err := os.MkdirAll(cdir, 0o755); err != nil {
			return nil, err
		}
		cf, err := draw(cdir, cd)
		for _, f := range cf {
			files = append(files, ChartDir+"/"+filepath.ToSlash(f))
		}
		if err != nil {
			return nil, fmt.Errorf("sweep: charts: %w", err)
		}
	}
	slices.Sort(files)
	return files, nil
}

// readPointOutcomes streams a point's outcomes.csv rows (header skipped).
func readPointOutcomes(pd string, width int, fn func([]string) error) error {
	f, err := os.Open(filepath.Join(pd, OutcomesFile))
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = width
	r.ReuseRecord = true
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sweep: %s: %w", filepath.Join(pd, OutcomesFile), err)
		}
		if first {
			first = false
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// TimeseriesFile is the sweep's tidy time series: every point's
// timeseries.csv, each row led by the point and its varied values.
const TimeseriesFile = "timeseries.csv"

// writeTimeseries writes the sweep's timeseries.csv: header point,KEY1,...,
// replicate,step,metric,actor,value, then every row of every point's
// timeseries.csv in point order, led by the point's index and values. Rows
// are copied as bytes (one point at a time in memory), so the file is as
// exact as the points'.
func writeTimeseries(dir string, d *Design) error {
	return results.WriteFileAtomic(filepath.Join(dir, TimeseriesFile), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		h := []string{"point"}
		for _, f := range d.Factors {
			h = append(h, f.Key)
		}
		cw := newCSV(bw)
		cw.row(append(h, results.TimeseriesHeader...)...)
		if err := cw.flush(); err != nil {
			return err
		}
		want := strings.Join(results.TimeseriesHeader, ",")
		for i := range d.Len() {
			var prefix bytes.Buffer
			pc := newCSV(&prefix)
			f := []string{strconv.Itoa(i)}
			for _, v := range d.Point(i) {
				f = append(f, FormatValue(v))
			}
			pc.row(append(f, "")...) // ends in ",\n": the row's fields follow
			if err := pc.flush(); err != nil {
				return err
			}
			lead := bytes.TrimRight(prefix.Bytes(), "\r\n")
			path := filepath.Join(PointDir(dir, i), results.TimeseriesFile)
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			first, rest, _ := bytes.Cut(b, []byte("\n"))
			if string(bytes.TrimRight(first, "\r")) != want {
				return fmt.Errorf("sweep: %s: header %q, want %q", path, first, want)
			}
			for len(rest) > 0 {
				var line []byte
				line, rest, _ = bytes.Cut(rest, []byte("\n"))
				if len(line) == 0 {
					continue
				}
				bw.Write(lead)
				bw.Write(line)
				if err := bw.WriteByte('\n'); err != nil {
					return err
				}
			}
		}
		return bw.Flush()
	})
}
