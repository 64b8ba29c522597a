#!/usr/bin/env bash
# The Slurm route for real: start a single-node Slurm cluster from Debian's packages, submit a
# sweep with deploy/slurm/submit.sh (job array of shards + dependent merge job), wait, and assert
# the merged results equal a one-machine `goldrush sweep` byte for byte; then resubmit one shard
# (explicit shard count, as after a failure) and check the merge again. Every daemon started
# here is stopped by its PID on exit.
#
#   bash tests/slurm/e2e.sh [path/to/goldrush]     (default: target/release/goldrush)
#
# Installs slurm-wlm and munge with apt when missing (needs root). Skips, saying why, only when
# Slurm cannot be installed (not root, or apt fails).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GOLDRUSH=$(realpath "${1:-$ROOT/target/release/goldrush}")
export GOLDRUSH
[ -x "$GOLDRUSH" ] || { echo "error: $GOLDRUSH is not an executable (build it: cargo build --release -p sim-cli)" >&2; exit 1; }
ms() { echo $(($(date +%s%N) / 1000000)); }
T0=$(ms)

skip() {
  echo "SKIPPED: the Slurm test cannot run here: $*"
  exit 0
}
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  [ "$(id -u)" = 0 ] || skip "Slurm is not installed and installing it needs root (apt-get install slurm-wlm munge)"
  command -v apt-get >/dev/null || skip "Slurm is not installed and there is no apt-get to install it"
  echo "installing slurm-wlm and munge with apt"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null; } ||
    skip "apt-get install slurm-wlm munge failed"
fi
[ "$(id -u)" = 0 ] || skip "the single-node cluster runs its daemons as root and this is not root"

export SLURM_CI_DIR
SLURM_CI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/goldrush-slurm.XXXXXX")
cleanup() {
  local rc=$?
  bash "$ROOT/tests/slurm/stop-slurm.sh"
  if [ $rc -ne 0 ]; then
    echo "--- Slurm logs ($SLURM_CI_DIR/log) ---" >&2
    tail -n 20 "$SLURM_CI_DIR"/log/*.log "$SLURM_CI_DIR"/sweeps/*/logs/* 2>/dev/null >&2 || true
  fi
  rm -rf "$SLURM_CI_DIR"
  exit $rc
}
trap cleanup EXIT
bash "$ROOT/tests/slurm/start-slurm.sh"
export SLURM_CONF=$SLURM_CI_DIR/slurm.conf
T1=$(ms)
echo "Slurm node idle after $((T1 - T0)) ms"

W=$SLURM_CI_DIR/sweeps
mkdir -p "$W"
cd "$W"
# 3 points x 3 replicates = 9 runs of `tiny` over 12 months, in 4 shards (one with 2 runs).
cat >spec.toml <<'SPEC'
base = "tiny"
design = "grid"
replicates = 3
seed = 5
months = 12
outputs = ["users_hhi", "leader_user_share", "spot_price_usd", "startups_alive"]

[[params]]
path = "users.theta_network"
values = [0.0, 0.5, 1.0]
SPEC
"$GOLDRUSH" sweep spec.toml --out local --jobs 2 --quiet

# Waits until the jobs have left the queue, then checks each ended COMPLETED with exit 0.
wait_jobs() {
  local ids=$1 deadline=$(($(date +%s) + 300))
  while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "error: jobs $ids still queued after 300 s" >&2; squeue >&2; exit 1; }
    sleep 0.5
  done
  local id
  for id in ${ids//,/ }; do
    scontrol show job "$id" | grep -E "JobState=|ExitCode=" | tr -s ' ' | grep -v "JobState=COMPLETED" | grep -v "ExitCode=0:0" &&
      { echo "error: job $id did not complete" >&2; scontrol show job "$id" >&2; exit 1; }
    true
  done
}
same() {
  local f
  for f in metrics.parquet summary.parquet manifest.json; do
    cmp "local/$f" "cluster/$f" || { echo "error: cluster/$f differs from the one-machine sweep" >&2; exit 1; }
  done
}

submitted=$(bash "$ROOT/deploy/slurm/submit.sh" spec.toml cluster 4 --cpus-per-task=1)
echo "$submitted"
eval "$(echo "$submitted" | grep '^ARRAY_JOB=')"
wait_jobs "$ARRAY_JOB,$MERGE_JOB"
same
[ "$(ls cluster/shards | wc -l)" = 4 ] || { echo "error: expected 4 shard folders" >&2; exit 1; }
T2=$(ms)
echo "array of 4 shards + merge: results identical to the one-machine sweep ($((T2 - T1)) ms)"

# A lost run (a node died mid-shard): resubmit that shard alone (--array=1, shard count given
# explicitly), merge again, same bytes.
rm cluster/shards/1/runs/*.json
rm cluster/metrics.parquet cluster/summary.parquet
A=$(sbatch --parsable --array=1 --cpus-per-task=1 -o cluster/logs/resubmit-%A_%a.log \
  "$ROOT/deploy/slurm/sweep-array.sbatch" "$W/spec.toml" "$W/cluster" 4)
M=$(sbatch --parsable --dependency="afterany:${A%%;*}" -o cluster/logs/remerge-%j.log \
  "$ROOT/deploy/slurm/merge.sbatch" "$W/cluster")
wait_jobs "${A%%;*},${M%%;*}"
same
T3=$(ms)
echo "resubmitted shard 1 + merge: identical again ($((T3 - T2)) ms)"
echo "Slurm end-to-end test passed in $(((T3 - T0) / 1000)) s"
