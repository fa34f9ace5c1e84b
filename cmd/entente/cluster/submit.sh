#!/bin/bash
# Submit an entente sweep to Slurm: the shard array (sweep.sbatch, one task per
# shard), then the merge, which starts only when every shard succeeded
# (--dependency=afterok) and is cancelled if one fails (--kill-on-invalid-dep).
#
#   cmd/entente/cluster/submit.sh [sbatch options...]
#
# Settings: the top of sweep.sbatch, or SWEEP_... environment variables (sbatch
# passes the environment to the jobs). Options given here go to both sbatch
# calls and win over the #SBATCH lines (e.g. --partition=short --time=2:00:00).
# Prints "array JOBID" and "merge JOBID"; the last line is the merge job id.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
script=${SWEEP_SCRIPT:-$here/sweep.sbatch}
# shellcheck source=sweep.sbatch
SWEEP_SETTINGS_ONLY=1 . "$script"
export SWEEP_BIN SWEEP_OUT SWEEP_SCENARIO SWEEP_VARY SWEEP_SHARDS SWEEP_REPLICATES SWEEP_SEED \
  SWEEP_STEPS SWEEP_DESIGN SWEEP_POINTS SWEEP_SET SWEEP_FLAGS SWEEP_CHARTS
[[ "$SWEEP_SHARDS" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: SWEEP_SHARDS='$SWEEP_SHARDS': want a positive number" >&2; exit 1; }
mkdir -p "$SWEEP_OUT"

array=$(sbatch --parsable --array="0-$((SWEEP_SHARDS - 1))" --export=ALL,SWEEP_STAGE=shard "$@" "$script")
array=${array%%;*} # --parsable prints "jobid" or "jobid;cluster"
echo "array $array ($SWEEP_SHARDS shards of $SWEEP_SCENARIO into $SWEEP_OUT/shard-*)"
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name=entente-merge --export=ALL,SWEEP_STAGE=merge "$@" "$script")
merge=${merge%%;*}
echo "merge $merge (after every task of $array succeeds; into $SWEEP_OUT/all)"
echo "$merge"
