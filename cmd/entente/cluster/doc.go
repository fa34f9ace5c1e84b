// Package cluster holds what runs an entente sweep on a cluster, one shard per
// task, and its tests: sweep.sbatch and submit.sh (a Slurm job array and a
// merge job that depends on it), sweep-k8s.yaml (a Kubernetes Indexed Job and
// a merge Job) and test-slurm.sh (the Slurm array run for real on a one-node
// Slurm started on localhost, compared with a one-machine sweep). The Go
// tests check the manifest (valid YAML, Indexed completions equal to the
// shard count, the command's shard arithmetic) and the scripts' defaults.
// README.md explains how to use them.
package cluster
