# Shared by scripts/test.sh and scripts/build-web.sh (source it; needs a `log` function).

WASM_TARGET=wasm32-unknown-unknown
WASM_OUT="target/$WASM_TARGET/release/sim_web.wasm"

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
        # Not --locked: the CLI's lockfile pins crates this registry may lack (stack.md P2).
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
    wasm-bindgen --version
}
