#!/usr/bin/env bash
# Run a goldrush calibration on Slurm: one job array of N shards per stage, stage after stage,
# then the results.
#
#   deploy/slurm/calibrate.sh SPEC.toml OUT N [sbatch options for the arrays...]
#   e.g. deploy/slurm/calibrate.sh scenarios/calibrations/history-abc.toml /scratch/$USER/cal 8 \
#          --partition=short --cpus-per-task=8 --time=01:00:00
#
# This script is the driver and waits (sbatch --wait) for each stage's array: run it where it
# may keep running (a login node in tmux/screen, or a small long job of its own). Each stage's
# runs are decided by the spec and the earlier stages' results, so the stages must run in turn;
# within a stage the N shards run in parallel (deploy/slurm/calibrate-array.sbatch). The spec is
# checked first (`goldrush calibrate --dry-run`), so a bad spec fails before anything is queued.
# OUT must be on a filesystem every node sees. When every stage is done, the results
# (OUT/calibrate.json, calibrate.parquet, estimate.toml, charts) are written here, byte for byte
# what a one-machine `goldrush calibrate SPEC --out OUT` writes. After a failure or a timeout,
# run the same command again: finished runs are kept. GOLDRUSH names the binary (default:
# goldrush on PATH); it is passed to the jobs. Logs in OUT/logs/.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 3 ]; then
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
SPEC=$1 OUT=$2 N=$3
shift 3
case "$N" in ''|*[!0-9]*) echo "error: N=$N: the number of shards must be a whole number" >&2; exit 2;; esac
if [ "$N" -lt 1 ] || [ "$N" -gt 1000 ]; then
  echo "error: N=$N: use 1 to 1000 shards (Slurm's default MaxArraySize is 1001)" >&2
  exit 2
fi
export GOLDRUSH=${GOLDRUSH:-goldrush}
command -v "$GOLDRUSH" >/dev/null || { echo "error: $GOLDRUSH not found: put goldrush on PATH or set GOLDRUSH=/path/to/goldrush" >&2; exit 2; }
SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
"$GOLDRUSH" calibrate "$SPEC" --out "$OUT" --dry-run
mkdir -p "$OUT/logs"   # Slurm does not create the log directory
OUT=$(cd "$OUT" && pwd)
previous=
while :; do
  # Claims OUT (manifest.json) on the first pass and says where the calibration stands.
  status=$("$GOLDRUSH" calibrate "$SPEC" --out "$OUT" --status)
  echo "$status"
  case "$status" in *"status: complete"*) break ;; esac
  if [ "$status" = "$previous" ]; then
    echo "error: the stage made no progress after its array (see $OUT/logs/); run this command again to retry" >&2
    exit 1
  fi
  previous=$status
  array=$(sbatch --parsable --wait --array="0-$((N - 1))" --export=ALL -o "$OUT/logs/calibrate-%A_%a.log" \
    "$@" "$HERE/calibrate-array.sbatch" "$SPEC" "$OUT" "$N") ||
    { echo "error: a shard failed (see $OUT/logs/); run this command again to resume" >&2; exit 1; }
  echo "array job ${array%%;*} done"
done
"$GOLDRUSH" calibrate "$SPEC" --out "$OUT" --jobs 1
echo "results: $OUT/calibrate.json $OUT/estimate.toml"
