// Package charts provides the pictures of a result set and of a sweep.
//
// Time series ([Series]) show each metric's mean over time with its 95%
// interval across replicates (the interval of summary.csv, which stays in
// the metric's range); the axis holds every band whole, series longer than
// MaxPoints are decimated keeping each stretch's peaks, and a metric that is
// 0 throughout gets no chart ([AllZero], [ZeroMetrics]). They are written as
// SVG directly (no plotting library: the charts of a run cost a fraction of
// the run), fit for inlining in HTML.
//
// The network ([NetworkWith]) is laid out by region ([Layout]: a cluster per
// region on a circle, actors on a sunflower spiral inside it, the most
// capable at the centre; deterministic), nodes coloured by region, sized by
// capability and shaped by kind, actors not yet in the system faded; ties as
// thick as their level, solid when binding; the largest groups as hulls
// around their members (coalitions dashed, named with their leader); the
// focus actors labelled in bold beside the patron and the most capable. It
// is written as SVG and PNG (rasterised with gonum's vgimg) from the same
// picture.
//
// Sweeps get heat maps ([HeatMap], gonum/plot) and response curves
// ([Response]); [Sweep] draws them all and has the signature of
// sweep.ChartFunc. [Compare] draws a CDM comparison. [Write] has the
// signature of results.ChartFunc, so a runner passes it as
// results.Options.Charts. Every picture is written atomically and is a pure
// function of its inputs. Legends sit beside the plot, never over the data.
package charts
