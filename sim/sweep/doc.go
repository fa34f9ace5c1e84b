// Package sweep provides parameter sweeps, branching scenarios and
// sensitivity analysis for entente: a scenario run over a design of parameter
// points (Run), the shards of a sweep combined (Merge), one run continued
// under several interventions with common random numbers (RunBranches), and
// Morris elementary effects (MorrisEstimator).
//
// # Sweeps
//
// A Factor is a dotted scenario key (the keys of --set, scenarios.Keys) with
// a range or a list of values (ParseFactor reads "KEY=FROM:TO:N",
// "KEY=FROM:TO" and "KEY=V1,V2,..."). A Design turns factors into points:
//
//   - grid: every combination, the first factor varying slowest;
//   - lhs: a Latin hypercube of Points points, each factor's range cut into
//     Points equal strata with one point in each, drawn from the sweep's own
//     ChaCha8 stream SHA-256("entente/sweep/lhs" ‖ seed), independent of the
//     runs' streams;
//   - morris: Points trajectories of k+1 points on Levels levels (Morris
//     1991), each moving one factor by Δ = p/(2(p−1)) at a time, in a random
//     order from SHA-256("entente/sweep/morris" ‖ seed).
//
// Point i is scenarios.Load(scenario, base overrides..., KEY=VALUE...) (the
// scenario read and parsed once: scenarios.Open); its
// replicates run with sim/runner with Job.Point = i, so every run has its own
// seed sim.RunSeed(seed, scenario, i, replicate), whatever the worker count or
// the machine. A point runs into its own result set, points/pNNNN/
// (manifest.json, timeseries.csv, summary.csv, no snapshots or charts), plus
// points/pNNNN/outcomes.csv. The recorded metrics are the scenario's outputs
// (or Config.Metrics) plus the outcome measures, the patrons followed, and
// costly metrics computed every gcd(outputs.every, outcome steps) steps so
// that each outcome step has them.
//
// # Files
//
// At the top of the sweep folder:
//
//	sweep.json             the sweep: scenario, hash, base overrides, factors, design, samples,
//	                       levels, seed, points, replicates, steps, outcome steps, outcome
//	                       columns, shard, points_done, complete, files. No times, no workers.
//	points.csv             point,KEY1,KEY2,...  (one row per point)
//	sobol.csv              sobol designs: outcome,key,n,s1,s1_low,s1_high,st,st_low,st_high,
//	                       noise_share,warning (95% bootstrap intervals)
//	outcomes.csv           point,replicate,KEY1,...,minilaterals,minilaterals_without_patron,binding_share,blocs,density,
//	                       ties_total,pagerank_P,degree_P  (P each patron; with several
//	                       --outcome-steps every column ends in _t{step})
//	outcomes_summary.csv   point,outcome,n,mean,sd,ci_low,ci_high  (95% interval within the
//	                       outcome's range, results.Welford.CIWithin)
//	timeseries.csv         point,KEY1,...,replicate,step,metric,actor,value: every point's
//	                       timeseries.csv in point order, led by its varied values (tidy)
//	morris.csv             outcome,key,r,mu,mu_star,sigma,mu_star_low,mu_star_high,sigma_low,
//	                       sigma_high,noise_floor,warning  (morris designs; bootstrap intervals)
//	charts/                heatmap_OUTCOME (mean over the first two keys: a phase diagram) and
//	                       OUTCOME_by_KEY (mean and 95% band against each key, others pooled)
//	points/pNNNN/          each point's result set and outcomes.csv
//
// Missing values are empty fields (NA in R and pandas). Outcomes are read at
// the last step unless Config.OutcomeSteps says otherwise.
//
// # Memory, checkpoints and resume
//
// Points run a few at a time (several at once when there are more workers
// than replicates) and each is written to disk as it finishes; the top-level
// files are assembled at the end by streaming the points' files in point
// order, so memory does not grow with the number of points (chart data is
// O(outcomes × bins²), bins at most MaxCenters per factor). The table
// PrintOutcomes prints at the end streams points.csv and
// outcomes_summary.csv and holds one float per point and outcome (for the
// median): 20,000 points of the classroom peak at 31 MB resident, as 1,000
// do (29 MB).
//
// A point is complete when its manifest.json says complete: true and every
// file it lists has the SHA-256 it records (PointComplete); the manifest is
// written last, atomically, after outcomes.csv. A point's files are not
// synced one by one (results.Options.Inside): a crash that loses a file's
// content after its manifest was written leaves a digest that does not
// match, and the point runs again. (Run assembles from points it has just
// verified or written itself, so it does not read them back to check them
// again; Merge, whose points come from other processes, verifies each.) The
// sweep's own sweep.json is its commit: written atomically after the
// top-level files, then the sweep's folder is synced, so that it and the
// files renamed before it survive a crash of the machine. A sweep killed
// at any moment (Ctrl-C, kill -9, a lost node) resumes with Config.Resume
// (--resume): sweep.json must describe the same sweep, complete points are
// kept, any other point folder is deleted and run again. Since each point is a
// pure function of the sweep and its index, the resumed sweep's files equal
// an uninterrupted sweep's byte for byte; only the points' manifest.json
// differ, in started, finished and workers (as for any result set).
//
// The sweep folder is claimed as any result set's (results.Claim): locked
// against a second writer while the sweep runs, and refused when it holds a
// result set unless Config.Resume (continue it) or Config.Force (replace
// it). A design has at most MaxPoints points.
//
// # Shards on a cluster
//
// Config.Shard and Shards (--shard I/N) run the points with index % N == I.
// A shard's folder holds sweep.json (shard "I/N") and its points; Merge
// (entente merge DIR... --out DIR) checks that the folders hold one sweep,
// copies every point and writes the top-level files exactly as one machine
// would (byte-identical, the points' manifest times aside). Its --out must
// be new or empty and not one of the shards (MergeReplace, --force, replaces
// a result set there). A shard can itself be resumed.
//
// As a Slurm job array (one task per shard, then a dependent merge):
//
//	#!/bin/bash
//	#SBATCH --job-name=entente-sweep
//	#SBATCH --array=0-15
//	#SBATCH --cpus-per-task=4
//	entente sweep taiwan-crisis --vary retrenchment.political=0:1:21 \
//	    --vary threats.china.intensity.peak=0.2:1:9 --replicates 20 --seed 7 \
//	    --workers "$SLURM_CPUS_PER_TASK" --shard "$SLURM_ARRAY_TASK_ID/16" \
//	    --out "sweep/shard-$SLURM_ARRAY_TASK_ID" --resume
//
//	# sbatch --dependency=afterok:$ARRAY_JOB_ID --wrap 'entente merge sweep/shard-* --out sweep/all'
//
// (--resume makes a requeued or preempted task pick up where it stopped; on
// a fresh folder it simply starts.)
//
// As a Kubernetes Indexed Job (completionIndex is the shard; the folders on a
// shared volume):
//
//	apiVersion: batch/v1
//	kind: Job
//	metadata: {name: entente-sweep}
//	spec:
//	  completions: 16
//	  parallelism: 16
//	  completionMode: Indexed
//	  backoffLimitPerIndex: 3
//	  template:
//	    spec:
//	      restartPolicy: Never
//	      containers:
//	      - name: sweep
//	        image: entente:latest
//	        command: ["sh", "-c"]
//	        args: ["entente sweep taiwan-crisis --vary retrenchment.political=0:1:21 --replicates 20 --seed 7
//	                --shard $JOB_COMPLETION_INDEX/16 --out /data/shard-$JOB_COMPLETION_INDEX --resume"]
//	        volumeMounts: [{name: data, mountPath: /data}]
//	      volumes: [{name: data, persistentVolumeClaim: {claimName: entente-data}}]
//
// then, when the Job has completed, `entente merge /data/shard-* --out
// /data/all` (by hand or as a second Job).
//
// # Branching scenarios
//
// RunBranches runs each replicate to step BranchAt under the base scenario,
// then continues it once per value of a key with sim.Sim.Branch: the same
// state and random stream under the world and parameters of
// scenarios.Load(scenario, overrides..., KEY=VALUE). The branches therefore
// share their history (rows up to and including step BranchAt are identical)
// and, after it, use common random numbers, so their differences come from the
// intervention. Replicate r uses the seed of replicate r of `entente run`,
// so a branch that keeps the base value reproduces that run exactly. Output:
// branches/b{i}/ (a result set per value), differences.csv (branch, key,
// value, step, metric, actor, n, mean, sd, ci_low, ci_high of the paired
// difference branch − first branch per replicate) and branches.json.
//
// # Sensitivity
//
// A morris design yields, per outcome and factor, the elementary effects'
// mean mu, mean absolute value mu* (the factor's importance; Campolongo,
// Cariboni & Saltelli 2007, Environ. Model. Softw. 22:1509) and standard
// deviation sigma (non-linearity or interaction; Morris 1991, Technometrics
// 33:161), on the point means across replicates. Effects are per unit of each
// factor's whole range (an effect is Δy/Δ with Δ in the unit hypercube), so
// they compare across factors of different scales. Campolongo's selection of
// the most spread trajectories is not implemented. mu* and sigma have 95%
// bootstrap percentile intervals (Bootstrap resamples of the trajectories);
// noise_floor is the mu* the replicates' noise in the point means would give
// alone, and a warning marks fewer than MinMorrisTrajectories trajectories
// or a mu* within twice the noise floor.
//
// A sobol design (Saltelli et al. 2010, Comput. Phys. Commun. 181:259) draws
// two independent Latin hypercubes A and B of --points base rows and runs,
// per row n, A_n, B_n and AB^(j)_n (A_n with factor j from B_n), so
// points × (factors + 2) points. sobol.csv gives per outcome and factor the
// first-order index S1 = mean[f(B)(f(AB_j) − f(A))]/V (Saltelli 2010) and the
// total index ST = mean[(f(A) − f(AB_j))²]/2V (Jansen 1999), V the variance
// of all f(A) and f(B), the outcomes centred by their mean, with 95%
// bootstrap percentile intervals (Bootstrap resamples of the base rows). The
// outcomes are point means over replicates: with few replicates the model's
// own noise inflates V and the total indices; noise_share is that noise's
// share of V (mean over points of sd²/n). A warning marks fewer than
// MinSobolRows base rows, an index outside [0, 1] beyond its interval,
// intervals wider than 0.5 and a noise share above MaxNoiseShare; `entente
// sweep` prints the warnings.
package sweep
