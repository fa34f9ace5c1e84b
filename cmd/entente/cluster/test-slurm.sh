#!/bin/bash
# test-slurm.sh: run an entente sweep as a real Slurm job array on a one-node
# Slurm started here, and check that the merged result equals a one-machine
# sweep byte for byte.
#
#   bash cmd/entente/cluster/test-slurm.sh        (as root, on Debian or Ubuntu)
#
# What it does:
#   1. installs slurmctld slurmd slurm-client munge with apt-get if missing;
#   2. builds bin entente into a scratch folder (mktemp -d) and runs the sweep
#      on this machine (the reference);
#   3. starts munged (as the munge user; reused if one already answers),
#      slurmctld and slurmd in the background, with a slurm.conf in the scratch
#      folder (proctrack/linuxproc, task/none: no systemd or cgroups needed;
#      ports of their own, so a real Slurm on the machine is left alone);
#   4. submits sweep.sbatch with submit.sh: a 3-task array (one shard each) and
#      the merge with --dependency=afterok, and waits for the merge;
#   5. checks every shard's log and folder, and compares the merged folder with
#      the reference: every file byte for byte, except each point's
#      manifest.json, compared without its "started", "finished" and "workers"
#      lines (the run's times and worker count, which differ by design);
#   6. prints the time from daemon start to the merged result.
# Every daemon it started is stopped by its PID and the scratch folder removed,
# whatever happens (KEEP=1 keeps the folder for a look).
#
# Not root, or the packages cannot be installed: prints "SKIP: ..." and exits 0;
# with CI=true a failed installation is an error (exit 1) instead.
# Environment: TIMEOUT (seconds to wait for the jobs, default 300), GO (go).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
here=$repo/cmd/entente/cluster
timeout=${TIMEOUT:-300}

log() { echo "test-slurm: $*"; }
skip() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL: $* (CI=true: the Slurm test must run in CI)" >&2
    exit 1
  fi
  echo "SKIP: $*"
  exit 0
}
die() {
  echo "FAIL: $*" >&2
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: the Slurm test needs root (to install Slurm and run slurmd); run it as root"
  exit 0
fi

# ---- 1. packages ----
need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
command -v munged >/dev/null 2>&1 || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || skip "no apt-get to install ${need[*]}"
  log "installing ${need[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }; then
    skip "could not install ${need[*]} with apt-get"
  fi
fi
for c in slurmctld slurmd sbatch squeue scontrol scancel sinfo munged munge unmunge setpriv; do
  command -v "$c" >/dev/null 2>&1 || skip "$c not found after installing Slurm and munge"
done
log "$(slurmctld -V)"

# ---- cleanup, whatever happens ----
scratch=$(mktemp -d /tmp/entente-slurm.XXXXXX)
chmod 755 "$scratch"
pids=() # daemons we started: name:pid, stopped in reverse order
made_run_munge=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] && [ ${#pids[@]} -gt 1 ]; then
    # jobs still queued or running (a timeout): cancel them before the daemons go
    scancel --quiet --name=entente-sweep,entente-merge 2>/dev/null || true
    for _ in $(seq 20); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  if [ $rc -ne 0 ] && [ -d "$scratch/log" ]; then
    for f in "$scratch"/log/*.log "$scratch"/logs/*.out; do
      [ -f "$f" ] || continue
      echo "---- $f (last 25 lines)" >&2
      tail -n 25 "$f" >&2
    done
  fi
  local i name pid
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    name=${pids[i]%%:*} pid=${pids[i]#*:}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name ($pid) did not stop on TERM: KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    log "stopped $name ($pid)"
  done
  [ -n "$made_run_munge" ] && rm -rf /run/munge
  if [ "${KEEP:-}" = 1 ]; then
    log "kept $scratch"
  else
    rm -rf "$scratch"
  fi
  if [ $rc -eq 0 ]; then log "PASS"; else echo "test-slurm: FAILED (exit $rc)" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 2. the binary and the reference sweep ----
scenario=classroom
vary="retrenchment.political=0:0.8:3 parameters.temperature=0.01:0.05:2"
shards=3 replicates=2 seed=7 steps=10
log "building entente into $scratch"
(cd "$repo" && "${GO:-go}" build -o "$scratch/entente" ./cmd/entente) || die "go build failed"
ref_args=("$scenario")
for v in $vary; do ref_args+=(--vary "$v"); done
ref_args+=(--design grid --replicates "$replicates" --seed "$seed" --steps "$steps")
"$scratch/entente" sweep "${ref_args[@]}" --out "$scratch/local" >"$scratch/local.out" 2>&1 ||
  { cat "$scratch/local.out" >&2; die "the one-machine sweep failed"; }
log "reference: $(head -n 1 "$scratch/local.out")"

# ---- 3. munge, slurmctld, slurmd ----
mkdir -p "$scratch"/{state,spool,run,log,logs,out}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port=16817
while ! port_free $ctld_port || ! port_free $((ctld_port + 1)); do ctld_port=$((ctld_port + 2)); done
d_port=$((ctld_port + 1))

cpus=$(nproc)
# the node's topology as slurmd sees it, if it agrees with nproc (a cpuset can
# make them differ); never more CPUs or memory than there are (that drains the node)
topo=$(slurmd -C 2>/dev/null | head -n 1 || true)
node="CPUs=$cpus"
if [[ "$topo" =~ CPUs=([0-9]+)\ Boards=([0-9]+)\ SocketsPerBoard=([0-9]+)\ CoresPerSocket=([0-9]+)\ ThreadsPerCore=([0-9]+) ]] &&
  [ "${BASH_REMATCH[1]}" = "$cpus" ]; then
  node="CPUs=$cpus Boards=${BASH_REMATCH[2]} SocketsPerBoard=${BASH_REMATCH[3]} CoresPerSocket=${BASH_REMATCH[4]} ThreadsPerCore=${BASH_REMATCH[5]}"
fi

export SLURM_CONF=$scratch/slurm.conf
cat >"$SLURM_CONF" <<EOF
# one-node Slurm for entente's cluster test (written by test-slurm.sh)
ClusterName=entente-test
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/run/slurmctld.pid
SlurmdPidFile=$scratch/run/slurmd.pid
SlurmctldLogFile=$scratch/log/slurmctld.log
SlurmdLogFile=$scratch/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=4
DependencyParameters=kill_invalid_depend
NodeName=localhost $node State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

t0=$(now)
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "munged already running: using it"
else
  if [ ! -f /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile=/etc/munge/munge.key
    else
      create-munge-key -f
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  if [ ! -d /run/munge ]; then
    mkdir -p /run/munge
    made_run_munge=1
  fi
  chown munge:munge /run/munge
  chmod 0755 /run/munge
  setpriv --reuid=munge --regid=munge --init-groups munged --foreground >"$scratch/log/munged.out" 2>&1 &
  pids+=("munged:$!")
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    kill -0 "$!" 2>/dev/null || { cat "$scratch/log/munged.out" >&2; die "munged exited"; }
    sleep 0.2
  done
  munge -n | unmunge >/dev/null || die "munged does not answer"
fi
slurmctld -D -f "$SLURM_CONF" >"$scratch/log/slurmctld.out" 2>&1 &
pids+=("slurmctld:$!")
slurmd -D -N localhost -f "$SLURM_CONF" >"$scratch/log/slurmd.out" 2>&1 &
pids+=("slurmd:$!")
state=
for _ in $(seq 120); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  for p in "${pids[@]}"; do
    kill -0 "${p#*:}" 2>/dev/null || die "${p%%:*} exited (see its log below)"
  done
  sleep 0.25
done
[ "$state" = idle ] || die "node localhost is '$state', not idle: $(scontrol show node localhost | grep -o 'Reason=.*' || true)"
log "slurmctld (port $ctld_port) and slurmd up, node localhost idle ($node) in $(since "$t0") s"

# ---- 4. submit the array and the merge ----
export SWEEP_BIN=$scratch/entente SWEEP_OUT=$scratch/out SWEEP_SCENARIO=$scenario SWEEP_VARY=$vary \
  SWEEP_SHARDS=$shards SWEEP_REPLICATES=$replicates SWEEP_SEED=$seed SWEEP_STEPS=$steps \
  SWEEP_DESIGN=grid SWEEP_POINTS='' SWEEP_SET='' SWEEP_FLAGS='' SWEEP_CHARTS=true
submitted=$("$here/submit.sh" --partition=debug --time=00:10:00 --cpus-per-task=1 \
  --chdir="$scratch" --output="$scratch/logs/%x-%A_%a.out") || die "submit.sh failed"
while IFS= read -r l; do echo "  $l"; done <<<"$submitted"
array=$(echo "$submitted" | awk '$1 == "array" { print $2 }')
merge=$(echo "$submitted" | tail -n 1)
[[ "$array" =~ ^[0-9]+$ && "$merge" =~ ^[0-9]+$ ]] || die "could not read the job ids from submit.sh"

# wait for the merge job to end (it ends too when a shard fails: kill_invalid_depend)
deadline=$(($(date +%s) + timeout))
last='' final=''
while :; do
  st=$(scontrol -o show job "$merge" 2>&1 || true)
  if [[ "$st" == *"Invalid job id"* ]]; then
    final=PURGED
    break
  fi
  cur=$(grep -o 'JobState=[A-Z_]*' <<<"$st" | cut -d= -f2 || true)
  reason=$(grep -o 'Reason=[^ ]*' <<<"$st" | cut -d= -f2 || true)
  tasks=$(squeue -h -r -j "$array" -o '%K:%T' 2>/dev/null | tr '\n' ' ' || true)
  line="merge $cur ($reason); array tasks: ${tasks:-done}"
  [ "$line" != "$last" ] && log "$(since "$t0") s: $line"
  last=$line
  case $cur in
  COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | PREEMPTED | BOOT_FAIL | DEADLINE)
    final=$cur
    break
    ;;
  esac
  [ "$(date +%s)" -lt "$deadline" ] || die "the jobs did not finish in $timeout s (TIMEOUT=...)"
  sleep 0.25
done
elapsed=$(since "$t0")
log "merge job $merge: $final after $elapsed s"
[ "$final" = COMPLETED ] || [ "$final" = PURGED ] || die "merge job $merge ended $final"

# ---- 5. check the logs and files (exit codes are not enough: a job that
# failed to start can still look done) ----
for ((i = 0; i < shards; i++)); do
  f=$scratch/logs/entente-sweep-${array}_$i.out
  [ -f "$f" ] || die "no log $f for array task $i"
  grep -q "^shard $i/$shards: .* points" "$f" || { cat "$f" >&2; die "array task $i did not finish its shard"; }
  grep -q '"complete": true' "$scratch/out/shard-$i/sweep.json" || die "shard-$i/sweep.json is not complete"
  grep -q "\"shard\": \"$i/$shards\"" "$scratch/out/shard-$i/sweep.json" || die "shard-$i/sweep.json is not shard $i/$shards"
  log "task $i: $(grep "^shard $i/$shards: " "$f" | cut -d';' -f1)"
done
f=$(find "$scratch/logs" -name "entente-merge-${merge}_*.out" | head -n 1)
[ -n "$f" ] || die "no log of the merge job $merge"
grep -q "^merged $shards folders" "$f" || { cat "$f" >&2; die "the merge job did not merge"; }
grep -q '"complete": true' "$scratch/out/all/sweep.json" || die "merged sweep.json is not complete"

a=$scratch/local b=$scratch/out/all
(cd "$a" && find . -type f | sort) >"$scratch/files.local"
(cd "$b" && find . -type f | sort) >"$scratch/files.merged"
diff "$scratch/files.local" "$scratch/files.merged" >&2 || die "the merged folder has other files than the one-machine sweep (< local, > merged)"
same=0 manifests=0
while read -r rel; do
  case $rel in
  ./points/*/manifest.json)
    # a point's manifest records when it ran and with how many workers
    diff <(grep -vE '^  "(started|finished|workers)":' "$a/$rel") \
      <(grep -vE '^  "(started|finished|workers)":' "$b/$rel") >&2 ||
      die "$rel differs beyond started/finished/workers"
    manifests=$((manifests + 1))
    ;;
  *)
    cmp "$a/$rel" "$b/$rel" >&2 || die "$rel differs between the one-machine sweep and the merged shards"
    same=$((same + 1))
    ;;
  esac
done <"$scratch/files.local"
points=$(grep -c . <(tail -n +2 "$a/points.csv"))
[ "$manifests" = "$points" ] || die "$manifests point manifests for $points points"
[ "$same" -gt "$manifests" ] || die "only $same files compared"
log "merged result = one-machine sweep: $same files byte-identical, $manifests point manifests equal but for their times and workers"
log "time from daemon start to merged result: $elapsed s ($shards shards x $((points / shards)) points x $replicates replicates, $steps steps, on $cpus CPUs)"
