// Package results provides what a run of entente writes and how: a result
// set folder with a manifest, the time series of every metric of every
// replicate, their summary across replicates, network snapshots for Gephi,
// networkx and igraph, and (through a caller-supplied hook) charts.
//
// # A result set
//
// [Create] starts a set in a folder, [Set.AddRun] appends one finished
// replicate, [Set.AddSnapshot] writes a network snapshot, [Set.Close]
// finishes. Call [CheckWritable] (or [Claim]) before any run starts so a bad
// --out fails at once. The folder then holds:
//
//	manifest.json                    what was run (tool, version, commit, scenario, hash,
//	                                 overrides, every parameter, seed, replicates, steps,
//	                                 metrics, actors), whether it completed, the files
//	timeseries.csv                   replicate,step,metric,actor,value  (tidy long format)
//	summary.csv                      step,metric,actor,n,mean,sd,ci_low,ci_high
//	events.csv                       replicate,step,kind,actor,other,group,text  (Options.Events)
//	decisions.csv                    one row per option weighed (Options.Decisions, DecisionsHeader)
//	snapshots/rep{R}_step{T}.graphml undirected GraphML: the metrics' projection (Snapshot.Links)
//	snapshots/rep{R}_step{T}.gexf    GEXF 1.2 (Gephi), same nodes and edges, viz colour/size
//	snapshots/rep{R}_step{T}_ties.csv, _groups.csv, _dyads.csv   with Options.TieLists
//	snapshots/rep0_timeline.gexf     dynamic GEXF 1.2: replicate 0's network at every step (AddTimeline)
//	charts/<metric>.svg, charts/network.svg, .png   with Options.Charts
//	report.html                      written by results/report (Options.Finish)
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
// summary.csv has one row per (step, metric, actor) that at least one
// replicate has a value for (a per-actor metric of an actor out of the system
// at that step in every replicate has no row): n
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
// trust, age): networkx on the GraphML, restricted to the nodes in the
// system (in_system true), reproduces the engine's structural metrics. Groups (minilaterals and coalitions are hyperedges) appear as each
// node's groups attribute and, with TieLists, in _groups.csv with each
// coalition's leader; _dyads.csv lists the pairs of states bound by mutual
// defence ([DescribeExports]).
//
// # Folders
//
// [Create] claims its folder ([Claim]): it makes it if needed, checks it is
// writable, and locks it (an flock on the folder, which dies with the
// process: no lock file, no stale lock) so that a second writer fails at
// once. A folder that already holds a result set is refused with
// [New], the default; [Replace] removes what the set held (the files a result
// set of any kind writes, and those its manifest lists; nothing else) and
// starts afresh; [Resume] continues it. A folder holding other files is
// never written to.
//
// # Atomic writes and resuming
//
// Every file is written to a temporary file in its folder, synced and
// renamed into place ([WriteFileAtomic]; one sync per file), so a reader
// never sees half a file. The folder is synced after the manifest (and so
// after the files renamed before it) and, in a resumable set, the parts
// folder once per replicate after its commit, so that what they hold
// survives a crash of the machine, not only of the process. A set made with [Options.Resumable] writes each
// replicate, as [Set.AddRun] receives it, to its own part file
// (.parts/rep000000.csv, ...), after its events and decisions
// ([Set.AddEvents], [Set.AddDecisions]: .parts/ev000000.csv,
// dec000000.csv) and snapshots: AddRun is the replicate's commit. A process
// killed at any moment keeps every replicate added, and [Create] with
// [Resume] and the same run ([Manifest.SameRun]) continues after them (the
// longest run of replicates from 0 with all their parts), ending
// byte-identical to a set written without a break. Close assembles
// timeseries.csv, events.csv and decisions.csv from the parts and removes
// them once the set is complete; [Options.Finish] then writes report.html
// (the CLI: from the key events [Options.Tally] gathered as events.csv was
// written, those of the replicates a resume kept read back from their parts,
// so that the page does not read the file again). A set closed with Close(false, ...)
// (interrupted) has valid CSVs of the finished runs, manifest.json says
// "complete": false, and a resumable one keeps its parts. Without Resumable
// (a sweep's points, which are rerun whole), timeseries.csv lives as a hidden
// temporary file until Close. A set made with [Options.Inside] (a sweep's
// point, in the folder the sweep has claimed) syncs none of its files,
// writes them (timeseries.csv too) in place, hashing each as it is written,
// and writes its manifest, atomically, only at Close, with the SHA-256 of
// every file it lists ([Manifest.Digests]); its caller trusts it only when
// [VerifyDigests] passes, so a point cut short by a crash (a file whose
// content never reached the disk, or half written) is rerun, never read. One sync less per
// file is what makes a sweep of a thousand small points fast; the sweep's own
// files are synced as any set's.
//
// # Charts
//
// results does not import plotting: [Options.Charts] is a [ChartFunc] the
// caller fills, normally with charts.Write from results/charts.
package results
