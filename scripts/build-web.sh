#!/usr/bin/env bash
# Builds the browser playground into sim-web/dist/ (static files: serve with
# `python3 -m http.server -d sim-web/dist 8000` and open http://localhost:8000/).
#
#   scripts/build-web.sh
#
# cargo build (wasm32, release) -> wasm-bindgen --target web -> dist/pkg, plus sim-web/www/*.
# WEB_PROFILE=wasm-release builds the size-optimised profile instead (opt-level z, LTO, names
# stripped: about 2.4 MB instead of 4.0 MB, same state hashes, stepping ~1.5x slower in
# Chromium); the default `release` is the build the parity stage checks. WEB_WASM_OPT=1 also runs
# npm's binaryen `wasm-opt -Oz` (with WEB_PROFILE=wasm-release: about 2.1 MB, the same hashes).
# Installs the wasm32 target and wasm-bindgen-cli (at exactly the locked crate version) if
# missing. No wasm-pack or trunk (they run whatever wasm-opt is first on PATH: see WEB_WASM_OPT).
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
# shellcheck source=scripts/wasm-tools.sh
. scripts/wasm-tools.sh

DIST=sim-web/dist
rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET" || rustup target add "$WASM_TARGET"
ensure_wasm_bindgen >/dev/null
PROFILE=${WEB_PROFILE:-release}
BINDGEN_FLAGS=()
if [ "$PROFILE" = release ]; then
    cargo build --release --target "$WASM_TARGET" -p sim-web
else
    cargo build --profile "$PROFILE" --target "$WASM_TARGET" -p sim-web
    BINDGEN_FLAGS=(--remove-name-section --remove-producers-section)
fi
WASM=$(wasm_out "$PROFILE")
rm -rf "$DIST"
mkdir -p "$DIST/pkg"
wasm-bindgen --target web ${BINDGEN_FLAGS[@]+"${BINDGEN_FLAGS[@]}"} --out-dir "$DIST/pkg" "$WASM"
if [ "${WEB_WASM_OPT:-0}" = 1 ]; then
    # npm's binaryen (never Debian's wasm-opt 108: it silently breaks the module).
    tools=target/web-tools
    opt="$tools/node_modules/.bin/wasm-opt"
    [ -x "$opt" ] || npm install --prefix "$tools" --no-audit --no-fund binaryen@132 >/dev/null
    "$opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals "$DIST/pkg/sim_web_bg.wasm" -o "$DIST/pkg/sim_web_bg.opt.wasm"
    mv "$DIST/pkg/sim_web_bg.opt.wasm" "$DIST/pkg/sim_web_bg.wasm"
fi
cp sim-web/www/* "$DIST/"
log "built $DIST: $(stat -c %s "$DIST/pkg/sim_web_bg.wasm") bytes of wasm"
