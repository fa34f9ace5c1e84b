package charts

import (
	"errors"
	"math"
	"path/filepath"

	"github.com/entente/entente/sim/sweep"
)

// Sweep draws a sweep's charts into dir (its signature is sweep.ChartFunc):
// for each outcome, heatmap_OUTCOME (its mean over the first two varied
// keys, a phase diagram) and OUTCOME_by_KEY (its mean with the 95% interval
// against each varied key, the other keys pooled; the interval stays in the
// outcome's range and the axis holds it whole), as .svg and .png. An
// outcome that is 0 at every point gets no chart.
func Sweep(dir string, d *sweep.ChartData) ([]string, error) {
	var files []string
	var errs []error
	for o, name := range d.Outcomes {
		zero := true
		for _, ws := range d.Lines[o] {
			for _, w := range ws {
				if w.N > 0 && (w.Mean != 0 || w.M2 != 0) {
					zero = false
				}
			}
		}
		if zero {
			continue
		}
		if d.Heat != nil {
			z := make([][]float64, len(d.Heat[o]))
			for x := range z {
				z[x] = make([]float64, len(d.Heat[o][x]))
				for y, w := range d.Heat[o][x] {
					z[x][y] = math.NaN()
					if w.N > 0 {
						z[x][y] = w.Mean
					}
				}
			}
			for _, ext := range []string{".svg", ".png"} {
				file := "heatmap_" + FileName(name) + ext
				err := HeatMap(filepath.Join(dir, file), d.Centers[0], d.Centers[1], z, d.Factors[0].Key, d.Factors[1].Key,
					name+": mean over points and replicates")
				if err != nil {
					errs = append(errs, err)
					continue
				}
				files = append(files, file)
			}
		}
		for j, f := range d.Factors {
			ws := d.Lines[o][j]
			if len(ws) < 2 {
				continue
			}
			mean, lo, hi := make([]float64, len(ws)), make([]float64, len(ws)), make([]float64, len(ws))
			for k, w := range ws {
				mean[k] = math.NaN()
				if w.N > 0 {
					mean[k] = w.Mean
				}
				lo[k], hi[k] = w.CIWithin(0.95, d.Ranges[o])
			}
			for _, ext := range []string{".svg", ".png"} {
				file := FileName(name) + "_by_" + FileName(f.Key) + ext
				err := Response(filepath.Join(dir, file), d.Centers[j], mean, lo, hi, f.Key, name,
					name+" against "+f.Key+"\nmean and 95% interval over points and replicates, other keys pooled")
				if err != nil {
					errs = append(errs, err)
					continue
				}
				files = append(files, file)
			}
		}
	}
	return files, errors.Join(errs...)
}
