#!/usr/bin/env bash
# The Slurm route for real: start a single-node Slurm cluster from Debian's packages and submit a
# sweep with deploy/slurm/submit.sh (job array of shards + dependent merge job) in which one
# shard crashes: the merge must fail naming that shard. Submit again, as the README says: the
# merged results must equal a one-machine `goldrush sweep` byte for byte. Then lose a shard's
# runs, resubmit that shard alone (explicit shard count) and check the merge again. Last, a
# small calibration through deploy/slurm/calibrate.sh (one job array per stage) must equal a
# one-machine `goldrush calibrate` byte for byte. Every daemon started here is stopped by its
# PID on exit.
#
#   bash tests/slurm/e2e.sh [path/to/goldrush]     (default: target/release/goldrush)
#
# Installs slurm-wlm and munge with apt when missing (needs root). When Slurm cannot be installed
# or run (not root, or apt fails) it says why and exits 77 ("skipped", which scripts/test.sh
# reports as such); under CI=true that is a failure (exit 1): CI must run it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GOLDRUSH=$(realpath "${1:-$ROOT/target/release/goldrush}")
export GOLDRUSH
[ -x "$GOLDRUSH" ] || { echo "error: $GOLDRUSH is not an executable (build it: cargo build --release -p sim-cli)" >&2; exit 1; }
ms() { echo $(($(date +%s%N) / 1000000)); }
T0=$(ms)

skip() {
  if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    echo "FAILED: the Slurm test cannot run here, and under CI=true a skip is a failure: $*" >&2
    exit 1
  fi
  echo "SKIPPED: the Slurm test cannot run here: $*" >&2
  exit 77
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

# Waits until the jobs have left the queue.
wait_gone() {
  local ids=$1 deadline=$(($(date +%s) + 300))
  while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "error: jobs $ids still queued after 300 s" >&2; squeue >&2; exit 1; }
    sleep 0.5
  done
}
# Waits for the jobs, then checks each (every array task) ended COMPLETED with exit 0.
wait_jobs() {
  wait_gone "$1"
  local id
  for id in ${1//,/ }; do
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
submit() {
  local out
  out=$(bash "$ROOT/deploy/slurm/submit.sh" spec.toml cluster 4 --cpus-per-task=1)
  echo "$out" >&2
  echo "$out" | grep '^ARRAY_JOB='
}

# 1. Shard 2 fails (a wrapper exits 3 the first time task 2 runs, as a crashed node would):
#    the merge job fails too and its log names the shard to resubmit.
cat >flaky-goldrush <<FLAKY
#!/bin/bash
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 2 ] && [ ! -e "$W/failed-once" ]; then
  touch "$W/failed-once"
  echo "simulated crash of shard 2" >&2
  exit 3
fi
exec "$GOLDRUSH" "\$@"
FLAKY
chmod +x flaky-goldrush
eval "$(GOLDRUSH=$W/flaky-goldrush submit)"
wait_gone "$ARRAY_JOB,$MERGE_JOB"
scontrol show job "${ARRAY_JOB}_2" | grep -q "JobState=FAILED" || { echo "error: shard 2 should have failed" >&2; exit 1; }
scontrol show job "$MERGE_JOB" | grep -q "JobState=FAILED" || { echo "error: the merge should have failed" >&2; exit 1; }
grep -q -- "--array=2)" cluster/logs/merge-"$MERGE_JOB".log ||
  { echo "error: the merge log does not name shard 2:" >&2; cat cluster/logs/merge-"$MERGE_JOB".log >&2; exit 1; }
[ ! -e cluster/summary.parquet ] || { echo "error: a failed merge wrote results" >&2; exit 1; }
T2=$(ms)
echo "shard 2 failed: the merge failed naming --array=2 ($((T2 - T1)) ms)"

# 2. The README's recovery: run the same submit.sh command again. Finished runs are skipped;
#    the merged results equal the one-machine sweep byte for byte.
eval "$(submit)"
wait_jobs "$ARRAY_JOB,$MERGE_JOB"
same
[ "$(find cluster/shards -mindepth 1 -maxdepth 1 | wc -l)" = 4 ] || { echo "error: expected 4 shard folders" >&2; exit 1; }
T3=$(ms)
echo "resubmitted: results identical to the one-machine sweep ($((T3 - T2)) ms)"

# 3. A lost run (a node died mid-shard): resubmit that shard alone (--array=1, shard count given
#    explicitly), merge again, same bytes.
rm cluster/shards/1/runs/*.json
rm cluster/metrics.parquet cluster/summary.parquet
A=$(sbatch --parsable --array=1 --cpus-per-task=1 -o cluster/logs/resubmit-%A_%a.log \
  "$ROOT/deploy/slurm/sweep-array.sbatch" "$W/spec.toml" "$W/cluster" 4)
M=$(sbatch --parsable --dependency="afterany:${A%%;*}" -o cluster/logs/remerge-%j.log \
  "$ROOT/deploy/slurm/merge.sbatch" "$W/cluster" 4)
wait_jobs "${A%%;*},${M%%;*}"
same
T4=$(ms)
echo "resubmitted shard 1 alone + merge: identical again ($((T4 - T3)) ms)"

# 4. A small calibration through deploy/slurm/calibrate.sh: one array of 2 shards per stage
#    (ABC-SMC: 2 generations of 8 proposals, then the posterior median), sharing one folder;
#    the results equal a one-machine `goldrush calibrate` byte for byte.
cat >targets.toml <<'TARGETS'
[[target]]
id = "adoption"
description = "adoption rate, synthetic"
tags = ["test"]
weight = 1.0
period = "2026-01..2026-03"
[target.data]
derive = "literal"
value = 0.3
lower = 0.27
upper = 0.33
source = "synthetic"
[target.model]
metric = "adoption_rate"
statistic = "value"

[[target]]
id = "spot"
description = "spot price, synthetic"
tags = ["test"]
weight = 1.0
period = "2026-01..2026-12"
[target.data]
derive = "literal"
value = 2.0
lower = 1.8
upper = 2.2
source = "synthetic"
[target.model]
metric = "spot_price_usd"
statistic = "value"
TARGETS
cat >cal.toml <<'SPEC'
scenario = "tiny"
set = ["run.months=12", "users.consumer_agents=950", "users.enterprise_agents=50"]
targets = "targets.toml"
seeds = 1
seed = 3
method = "abc-smc"

[[params]]
path = "users.initial_adoption_consumer"
min = 0.1
max = 0.6

[abc]
particles = 4
batch = 8
generations = 2
SPEC
"$GOLDRUSH" calibrate cal.toml --out cal-local --jobs 2 --quiet
bash "$ROOT/deploy/slurm/calibrate.sh" cal.toml cal-cluster 2 --cpus-per-task=1
for f in calibrate.json calibrate.parquet estimate.toml posterior.png; do
  cmp "cal-local/$f" "cal-cluster/$f" || { echo "error: cal-cluster/$f differs from the one-machine calibration" >&2; exit 1; }
done
[ "$(ls cal-cluster/logs/calibrate-*.log | wc -l)" -ge 6 ] || { echo "error: expected an array of 2 shards per stage (3 stages)" >&2; ls cal-cluster/logs >&2; exit 1; }
T5=$(ms)
echo "calibration as one Slurm array per stage: identical to the one-machine calibration ($((T5 - T4)) ms)"
echo "Slurm end-to-end test passed in $(((T5 - T0) / 1000)) s"
