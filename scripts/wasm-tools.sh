# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/build-web.sh (source it; needs a `log` function).

WASM_TARGET=wasm32-unknown-unknown

# cargo's target directory, absolute: CARGO_TARGET_DIR (or a config's build.target-dir) if set,
# else ./target. Ask cargo rather than assume target/.
cargo_target_dir() {
    local dir
    dir=$(cargo metadata --format-version 1 --no-deps | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
    [ -n "$dir" ] || { echo "cargo metadata gave no target_directory" >&2; return 1; }
    echo "$dir"
}

# The sim-web wasm module built by `cargo build --profile PROFILE --target $WASM_TARGET -p sim-web`.
wasm_out() {
    echo "$(cargo_target_dir)/$WASM_TARGET/${1:-release}/sim_web.wasm"
}

# The exact wasm-bindgen crate version in Cargo.lock; the CLI must match it.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

# Installs wasm-bindgen-cli at exactly the locked crate version unless it is already on PATH.
ensure_wasm_bindgen() {
    local want have
    want=$(locked_wasm_bindgen_version)
    [ -n "$want" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; return 1; }
    have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
    if [ "$have" != "$want" ]; then
        log "wasm-bindgen-cli ${have:-missing}, need $want: installing (a few minutes)"
        # Not --locked: the CLI's lockfile pins crates this registry may lack.
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
    wasm-bindgen --version
}
