#!/usr/bin/env bash
# The whole goldrush test suite, in one command. Runs on a fresh Debian machine and installs what
# it needs (Rust toolchain pieces, wasm-bindgen-cli, node, python3 with pyarrow, chromium, Slurm).
# CI runs it through `.ci/run` with CI=true.
#
#   scripts/test.sh [STAGE...]      (no STAGE: every stage; else the toolchain and these)
#
# Stages: toolchain, fmt, clippy, test (native, release, all crates' tests, and no import circle in
# sim-core: scripts/import-cycles.py), debug (sim-core's unit
# tests and the determinism, invariants, scenarios, mechanisms, talent, venture and security
# integration tests again with debug_assert!s and overflow checks on: profile
# release-debug-asserts), wasm build,
# native-vs-wasm parity, web (the browser playground built by scripts/build-web.sh, end to end in
# headless Chromium), slurm (a sweep through deploy/slurm/ on a single-node Slurm cluster started
# from Debian's packages). Every stage runs even if an earlier one failed (except that nothing
# runs without a toolchain).
#
# A stage that cannot run, in whole or in part (a tool that cannot be installed, a test that had
# to skip), is never reported as passed: it exits 77 (SKIPPED_EXIT, automake's convention; the
# test scripts tests/slurm/e2e.sh and tests/web/e2e.cjs do the same, and a Rust test calls
# goldrush_tests::skip, which records it in $GOLDRUSH_SKIPS). Under CI=true a skip is a failure;
# otherwise the stage's row says `skipped`. The last line is `N passed, M failed, K skipped`; the
# exit status is non-zero if any stage failed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
export DEBIAN_FRONTEND=noninteractive
export PATH="$HOME/.cargo/bin:$PATH"

# WASM_TARGET, WASM_OUT, locked_wasm_bindgen_version, ensure_wasm_bindgen (shared with
# scripts/build-web.sh).
# shellcheck source=scripts/wasm-tools.sh
. scripts/wasm-tools.sh
# Built-in scenarios compared natively and in wasm; empty = every built-in.
PARITY_SCENARIOS=()

# The exit status of a stage or test script that could not run (see the header).
SKIPPED_EXIT=77

PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=()
SKIPPED_NAMES=()
SUMMARY=()

in_ci() { [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; }

ts() { date -u +%H:%M:%S; }
now() { date +%s.%N; }
log() { echo "[$(ts)] $*"; }

# apt-get as root, or through sudo when available.
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo -n)
        else
            echo "need root (or sudo) to apt-get install $*" >&2
            return 1
        fi
    fi
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@"
}

# stage NAME FUNCTION: runs FUNCTION, timing it and recording pass/fail/skip without stopping.
# Exit 0 passes, SKIPPED_EXIT skips (fails under CI=true), anything else fails.
stage() {
    local name=$1 fn=$2 t0 t1 secs rc
    echo
    log "=== stage $name: start"
    t0=$(now)
    set +e
    ( set -euo pipefail; "$fn" )
    rc=$?
    set -e
    t1=$(now)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    if [ "$rc" -eq 0 ]; then
        PASSED=$((PASSED + 1))
        SUMMARY+=("$(printf '  %-10s ok      %7ss' "$name" "$secs")")
        log "=== stage $name: ok (${secs}s)"
    elif [ "$rc" -eq "$SKIPPED_EXIT" ] && ! in_ci; then
        SKIPPED=$((SKIPPED + 1))
        SKIPPED_NAMES+=("$name")
        SUMMARY+=("$(printf '  %-10s skipped %7ss (could not run here, see its log)' "$name" "$secs")")
        log "=== stage $name: skipped, in whole or in part (${secs}s)"
    elif [ "$rc" -eq "$SKIPPED_EXIT" ]; then
        FAILED=$((FAILED + 1))
        FAILED_NAMES+=("$name")
        SUMMARY+=("$(printf '  %-10s FAILED  %7ss (skipped: under CI=true a skip is a failure)' "$name" "$secs")")
        log "=== stage $name: FAILED: it could not run, in whole or in part, and CI=true (${secs}s)"
    else
        FAILED=$((FAILED + 1))
        FAILED_NAMES+=("$name")
        SUMMARY+=("$(printf '  %-10s FAILED  %7ss (exit %s)' "$name" "$secs" "$rc")")
        log "=== stage $name: FAILED (exit $rc, ${secs}s)"
    fi
    return 0
}

# ---------------------------------------------------------------------------------------------
stage_toolchain() {
    if ! command -v cc >/dev/null 2>&1; then
        log "no C compiler/linker: installing build-essential"
        apt_install build-essential ca-certificates curl
    fi
    if ! command -v rustup >/dev/null 2>&1; then
        log "no rustup: installing it (the toolchain itself comes from rust-toolchain.toml)"
        command -v curl >/dev/null 2>&1 || apt_install ca-certificates curl
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
            sh -s -- -y --profile minimal --default-toolchain none
    fi
    # rustup >= 1.28 no longer installs the rust-toolchain.toml toolchain implicitly.
    rustup toolchain install || rustup show active-toolchain
    rustup target add "$WASM_TARGET"
    rustup component add rustfmt clippy
    rustup show
    cargo --version
    rustc --version
}

stage_fmt() {
    cargo fmt --all -- --check
}

stage_clippy() {
    cargo clippy --workspace --all-targets -- -D warnings
}

# python3 with pyarrow, for the test that reads goldrush's Parquet files as another tool would:
# apt's python3 and pip if there is no python3, then pip's pyarrow.
ensure_pyarrow() {
    if python3 -c 'import pyarrow' >/dev/null 2>&1; then
        return 0
    fi
    if ! command -v python3 >/dev/null 2>&1; then
        log "no python3: installing python3 and python3-pip"
        apt_install python3 python3-pip || return 1
    fi
    if ! python3 -m pip --version >/dev/null 2>&1; then
        log "no pip: installing python3-pip"
        apt_install python3-pip || return 1
    fi
    log "no pyarrow: pip install --user pyarrow"
    python3 -m pip install --user -q pyarrow ||
        python3 -m pip install --user -q --break-system-packages pyarrow ||
        return 1
    python3 -c 'import pyarrow; print("pyarrow", pyarrow.__version__)'
}

stage_test() {
    ensure_pyarrow || log "could not install pyarrow: the Parquet reader test will skip (fail under CI=true)"
    # No import circles between sim-core's mechanism folders, kernel and params files.
    python3 scripts/import-cycles.py
    # Tests that cannot run here call goldrush_tests::skip, which appends to this file.
    local skips rc=0
    skips=$(mktemp)
    GOLDRUSH_SKIPS=$skips cargo test --workspace --release --no-fail-fast || rc=$?
    if [ "$rc" -eq 0 ] && [ -s "$skips" ]; then
        echo "tests that could not run here:" >&2
        sed 's/^/  /' "$skips" >&2
        rc=$SKIPPED_EXIT
    fi
    rm -f "$skips"
    return "$rc"
}

# The suite above runs in --release, which compiles out debug_assert! and overflow checks: run
# the model's own tests and the whole-run integration tests that need no CLI and no seed sweep
# again with both on (profile release-debug-asserts, optimised like release; the tests take
# about 25 s, the build of the profile a few minutes). The package selection (sim-core and
# goldrush-tests together) is the same in both commands so cargo builds the dependencies once.
stage_debug() {
    local profile=(--profile release-debug-asserts -p sim-core -p goldrush-tests)
    cargo test "${profile[@]}" --lib
    cargo test "${profile[@]}" --test integration -- \
        determinism:: invariants:: scenarios:: mechanisms:: talent:: venture:: security::
}

stage_wasm() {
    cargo build --release --target "$WASM_TARGET" -p sim-web
    ls -l "$(wasm_out release)"
}

# A digest of the model's sources (to tell a real parity failure from files edited mid-check).
source_fingerprint() {
    git ls-files -co --exclude-standard -- sim-core scenarios sim-web Cargo.lock |
        sort | xargs -d '\n' sha1sum 2>/dev/null | sha1sum
}

stage_parity() {
    local native wasm before after
    ensure_wasm_bindgen
    if ! command -v node >/dev/null 2>&1; then
        log "no node: installing nodejs"
        apt_install nodejs
    fi
    node --version

    # Native: the same scenarios through sim-core directly. --workspace --examples keeps the
    # feature set equal to the test stage's, so nothing is rebuilt. The wasm build is repeated
    # (a no-op when fresh) so both sides come from the same sources.
    before=$(source_fingerprint || true)
    cargo build --release --workspace --examples
    cargo build --release --target "$WASM_TARGET" -p sim-web
    after=$(source_fingerprint || true)
    pkg=$(mktemp -d)
    trap 'rm -rf "$pkg"' EXIT # this stage runs in its own subshell
    wasm-bindgen --target nodejs --out-dir "$pkg" "$(wasm_out release)"

    native=$("$(cargo_target_dir)"/release/examples/native_hashes ${PARITY_SCENARIOS[@]+"${PARITY_SCENARIOS[@]}"})
    wasm=$(node tests/wasm/parity.cjs "$pkg" ${PARITY_SCENARIOS[@]+"${PARITY_SCENARIOS[@]}"})
    echo "native:"; printf '  %s\n' "${native//$'\n'/$'\n'  }"
    echo "wasm:";   printf '  %s\n' "${wasm//$'\n'/$'\n'  }"
    if [ "$native" != "$wasm" ]; then
        echo "PARITY FAILURE: native and WebAssembly state hashes differ" >&2
        diff <(echo "$native") <(echo "$wasm") >&2 || true
        if [ "$before" != "$after" ]; then
            echo "NOTE: sources changed while the two sides were being built, so they may come" >&2
            echo "      from different code; rerun before trusting this failure." >&2
        fi
        return 1
    fi
    echo "native and wasm hashes match for: $(echo "$native" | awk '{ print $1 }' | xargs)"
}

# The playground end to end: build sim-web/dist, then tests/web/e2e.cjs in headless Chromium
# (Debian's chromium, driven by playwright-core from tests/web/package-lock.json), which also runs
# the native CLI on the page's scenario (GOLDRUSH_BIN, built here).
stage_web() {
    if ! command -v node >/dev/null 2>&1; then
        log "no node: installing nodejs"
        apt_install nodejs
    fi
    if ! command -v npm >/dev/null 2>&1; then
        log "no npm: installing it"
        apt_install npm
    fi
    if [ ! -x /usr/bin/chromium ]; then
        log "no /usr/bin/chromium: installing chromium (a minute or two)"
        apt_install chromium
    fi
    bash scripts/build-web.sh
    # The same feature set as the test stage's build, so nothing is rebuilt.
    cargo build --release --workspace --examples
    local want have
    want=$(node -p 'require("./tests/web/package-lock.json").packages["node_modules/playwright-core"].version')
    have=$(node -p 'require("./tests/web/node_modules/playwright-core/package.json").version' 2>/dev/null || true)
    if [ "$have" != "$want" ]; then
        log "playwright-core ${have:-missing}, need $want: npm ci in tests/web"
        (cd tests/web && npm ci --no-audit --no-fund)
    fi
    GOLDRUSH_BIN="$(cargo_target_dir)/release/goldrush" node tests/web/e2e.cjs sim-web/dist
}

# deploy/slurm/ for real: a single-node Slurm cluster from Debian's packages runs a sweep as a job
# array plus a merge job; the merged results must equal a one-machine sweep byte for byte
# (tests/slurm/e2e.sh, which stops every daemon it started). Installs slurm-wlm and munge.
stage_slurm() {
    if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
        log "no Slurm: installing slurm-wlm and munge"
        apt_install slurm-wlm munge || log "could not install Slurm; tests/slurm/e2e.sh will say so (exit 77)"
    fi
    cargo build --release --workspace --examples
    local bin
    bin="$(cargo_target_dir)/release/goldrush"
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        sudo -n -E bash tests/slurm/e2e.sh "$bin"
    else
        bash tests/slurm/e2e.sh "$bin"
    fi
}

# ---------------------------------------------------------------------------------------------
T_START=$(now)
log "goldrush test suite in $ROOT (CI=${CI:-})"

ALL_STAGES=(fmt clippy test debug wasm parity web slurm)
STAGES=("$@")
if [ "${#STAGES[@]}" -eq 0 ]; then
    STAGES=("${ALL_STAGES[@]}")
fi
for s in "${STAGES[@]}"; do
    case " ${ALL_STAGES[*]} " in
    *" $s "*) ;;
    *) echo "unknown stage $s (stages: ${ALL_STAGES[*]})" >&2; exit 2 ;;
    esac
done

stage toolchain stage_toolchain
if [ "$FAILED" -ne 0 ]; then
    log "no usable toolchain; stopping"
else
    for s in "${STAGES[@]}"; do
        stage "$s" "stage_$s"
    done
fi

T_END=$(now)
echo
log "summary ($(awk -v a="$T_START" -v b="$T_END" 'BEGIN { printf "%.0f", b - a }')s total):"
printf '%s\n' "${SUMMARY[@]}"
if [ "$FAILED" -ne 0 ]; then
    echo "failed stages: ${FAILED_NAMES[*]}"
fi
if [ "$SKIPPED" -ne 0 ]; then
    echo "skipped stages (could not run here, in whole or in part): ${SKIPPED_NAMES[*]}"
fi
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
