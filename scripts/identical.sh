#!/usr/bin/env bash
# Fingerprints every result goldrush produces, so two builds can be shown to give identical
# outputs (the oracle of a refactor):
#
#   scripts/identical.sh OUT_DIR [GOLDRUSH_BIN] [HASHES_BIN]
#   diff -r before/ after/        # no output: identical
#
# OUT_DIR/ receives: state-hashes.txt (every built-in scenario's state hash at every month,
# seed 42, from sim-core's `hashes` example), outputs.sha256 (metrics.csv and panel.csv of every
# built-in run, summary.json without its version, git and timing lines, the Parquet and CSV files of the
# list and grid example sweeps and of a saltelli sensitivity sweep). GOLDRUSH_BIN defaults to
# target/release/goldrush and HASHES_BIN to target/release/examples/hashes (both built if
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/identical.sh OUT_DIR [GOLDRUSH_BIN] [HASHES_BIN]}
BIN=${2:-target/release/goldrush}
HASHES=${3:-target/release/examples/hashes}
[ -x "$BIN" ] || cargo build --release -q -p sim-cli
[ -x "$HASHES" ] || cargo build --release -q -p sim-core --example hashes
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$HASHES" > "$OUT/state-hashes.txt"

names=$("$BIN" scenarios | awk 'NR > 0 && $1 ~ /^[a-z][a-z0-9-]*$/ { print $1 }')
: > "$OUT/outputs.sha256"
for name in $names; do
    "$BIN" run "$name" --out "$WORK/run-$name" --panel > /dev/null
    grep -v '"goldrush_version"\|"git_commit"\|_seconds"\|_per_second"' "$WORK/run-$name/summary.json" > "$WORK/run-$name/summary.stable.json"
    rm "$WORK/run-$name/summary.json"
done
"$BIN" sweep scenarios/sweeps/bench-classroom.toml --out "$WORK/sweep-list" --jobs 2 --csv -q
"$BIN" sweep scenarios/sweeps/network-effects.toml --out "$WORK/sweep-grid" --jobs 2 --csv -q
cat > "$WORK/saltelli.toml" <<'SPEC'
base = "tiny"
design = "saltelli"
samples = 4
replicates = 2
seed = 7
months = 24
outputs = ["users_hhi", "compute_cr5", "spot_price_usd"]

[[params]]
path = "users.theta_network"
min = 0.0
max = 1.0

[[params]]
path = "allocation.priority_theta"
min = 0.5
max = 2.0
SPEC
"$BIN" sweep "$WORK/saltelli.toml" --out "$WORK/sweep-saltelli" --jobs 2 --csv -q
(
    cd "$WORK"
    find . -type f \( -name '*.csv' -o -name '*.parquet' -o -name 'summary.stable.json' \) \
        -not -path '*/runs/*' | LC_ALL=C sort | xargs sha256sum
) >> "$OUT/outputs.sha256"
echo "wrote $OUT/state-hashes.txt ($(wc -l < "$OUT/state-hashes.txt") lines) and $OUT/outputs.sha256 ($(wc -l < "$OUT/outputs.sha256") files)"
