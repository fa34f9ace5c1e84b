// Package results provides what a run of entente writes and how: a result
// set folder with a manifest, the time series of every metric of every
// replicate, their summary across replicates, network snapshots for Gephi,
// networkx and igraph, and (through a caller-supplied hook) charts.
//
// # A result set
//
// [Create] starts a set in a folder, [Set.AddRun] appends one finished
// replicate, [Set.AddSnapshot] writes a network snapshot, [Set.Close]
// finishes. Call [CheckWritable] before any run starts so a bad --out fails
// at once. The folder then holds:
//
//	manifest.json                    what was run (tool, version, commit, scenario, hash,
//	                                 overrides, every parameter, seed, replicates, steps,
//	                                 metrics, actors), whether it completed, the files
//	timeseries.csv                   replicate,step,metric,actor,value  (tidy long format)
//	summary.csv                      step,metric,actor,n,mean,sd,ci_low,ci_high
//	events.csv                       replicate,step,kind,actor,other,group,text  (AddEvents)
//	decisions.csv                    one row per option weighed (AddDecisions, DecisionsHeader)
//	snapshots/rep{R}_step{T}.graphml undirected GraphML: the metrics' projection (Snapshot.Links)
//	snapshots/rep{R}_step{T}.gexf    GEXF 1.2 (Gephi), same nodes and edges, viz colour/size
//	snapshots/rep{R}_step{T}_ties.csv, _groups.csv, _dyads.csv   with Options.TieLists
//	charts/<metric>.svg, charts/network.svg, .png   with Options.Charts
//	report.html                      written after Close by results/report
//
// # Reproducibility
//
// Every file except manifest.json is a pure function of the sequence of
// calls: floats are written with strconv.FormatFloat(v, 'g', -1, 64), the
// shortest text that reads back to the same float64; nothing iterates a Go
// map into output. A runner that adds replicates in index order therefore
// writes byte-identical files whatever its number of workers. manifest.json
// differs between such runs only in workers, started and finished.
//
// # Files
//
// timeseries.csv has one row per (replicate, step, metric, actor); actor is
// empty for network-level metrics; a NaN value is written NaN. Rows are streamed to disk as runs arrive
// (memory does not grow with replicates). Fields holding a comma, quote or
// line break are quoted as in RFC 4180.
//
// summary.csv has one row per (step, metric, actor) across replicates: n
// (replicates with a value: NaN values are skipped), mean, the sample
// standard deviation sd, and the 95% confidence interval of the mean, which
// never leaves the metric's range ([RangeOf], [Welford.CIWithin]): the
// Student-t interval on the angular scale for shares and other bounded
// measures, on the square-root scale for counts and other non-negative ones,
// plain otherwise ([DescribeIntervals] lists them). With n = 1, sd, ci_low and ci_high are
// empty fields (NA in R and pandas; [ReadSummary] reads them as NaN). It is
// computed in one streaming pass with Welford's algorithm, one accumulator
// per key, so memory is O(steps × series). Rows are sorted by step, then
// metric in order of first appearance, then actor in order of first
// appearance (network-level first when its metric comes first). Summaries of
// disjoint replicate sets (sweep shards) can be merged with
// [WelfordOf] and [Welford.Merge] (up to the rounding of sd); [ReadSummary], [ReadTimeseries] and
// [ScanTimeseries] read the files back.
//
// Snapshots list actors as nodes (label, kind, region, capability, economy,
// threat, reliability, patron, groups, in_system, organisations, members,
// leads) and the edges of the projection the structural metrics are
// computed on (sim/metrics.Graph) as undirected edges with a stable id
// SOURCE--TARGET, their weight, what joins the pair (via) and the tie's
// attributes when there is one (tie, form, level, level_num, flow, support,
// trust, age): networkx on the GraphML reproduces the engine's structural
// metrics. Groups (minilaterals and coalitions are hyperedges) appear as each
// node's groups attribute and, with TieLists, in _groups.csv with each
// coalition's leader; _dyads.csv lists the pairs of states bound by mutual
// defence ([DescribeExports]).
//
// # Atomic writes
//
// Every file is written to a temporary file in its folder and renamed into
// place ([WriteFileAtomic]), so a reader never sees half a file. timeseries.csv
// lives as a hidden temporary file until Close; a set closed with
// Close(false, ...) (interrupted) still has valid CSVs of the finished runs
// and manifest.json says "complete": false. A process killed without Close
// leaves manifest.json from Create (complete false, runs_done 0) and a hidden
// .timeseries.csv.*.tmp.
//
// # Charts
//
// results does not import plotting: [Options.Charts] is a [ChartFunc] the
// caller fills, normally with charts.Write from results/charts.
package results
