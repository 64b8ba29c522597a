#!/usr/bin/env bash
# Submit a goldrush sweep to Slurm: a job array of N shards and a merge job that runs after it.
#
#   deploy/slurm/submit.sh SPEC.toml OUT N [sbatch options for the array...]
#   e.g. deploy/slurm/submit.sh scenarios/sweeps/network-effects.toml /scratch/$USER/net 8 \
#          --partition=short --cpus-per-task=8 --time=02:00:00
#
# The spec and every run's scenario are checked here first (`goldrush sweep --dry-run`), so a
# bad spec fails before anything is queued. OUT must be on a filesystem every node sees.
# Results: OUT/metrics.parquet, OUT/summary.parquet, OUT/manifest.json; logs in OUT/logs/.
# To finish a sweep after a failure or a timeout, run the same command again: every shard skips
# the runs it already finished. GOLDRUSH names the binary (default: goldrush on PATH); it is
# passed to the jobs. Set MERGE_ARGS="--csv" to also get CSV. Prints the two job ids.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 3 ]; then
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
SPEC=$1 OUT=$2 N=$3
shift 3
case "$N" in ''|*[!0-9]*) echo "error: N=$N: the number of shards must be a whole number" >&2; exit 2;; esac
if [ "$N" -lt 1 ] || [ "$N" -gt 1000 ]; then
  echo "error: N=$N: use 1 to 1000 shards (Slurm's default MaxArraySize is 1001); put many runs in each shard" >&2
  exit 2
fi
export GOLDRUSH=${GOLDRUSH:-goldrush}
command -v "$GOLDRUSH" >/dev/null || { echo "error: $GOLDRUSH not found: put goldrush on PATH or set GOLDRUSH=/path/to/goldrush" >&2; exit 2; }
# Absolute paths: the jobs may start in another directory.
SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
mkdir -p "$OUT/logs"   # Slurm does not create the log directory
OUT=$(cd "$OUT" && pwd)
plan=$("$GOLDRUSH" sweep "$SPEC" --out "$OUT" --dry-run)
echo "$plan"
array=$(sbatch --parsable --array="0-$((N - 1))" --export=ALL -o "$OUT/logs/sweep-%A_%a.log" \
  "$@" "$HERE/sweep-array.sbatch" "$SPEC" "$OUT" "$N")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterany:$array" --export=ALL -o "$OUT/logs/merge-%j.log" \
  "$HERE/merge.sbatch" "$OUT" "$N" ${MERGE_ARGS:-})
merge=${merge%%;*}
echo "submitted array job $array ($N shards) and merge job $merge (after the array)"
echo "watch: squeue -j $array,$merge   results: $OUT/summary.parquet   logs: $OUT/logs/"
echo "ARRAY_JOB=$array MERGE_JOB=$merge"
