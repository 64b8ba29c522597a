#!/usr/bin/env bash
# Regenerates the documentation that is derived from the code: docs/PARAMETERS.md,
# docs/METRICS.md and the parameter tables embedded in docs/ODD.md between
# `<!-- params:SECTION -->` and `<!-- /params:SECTION -->` markers, and docs/VALIDATION.md
# (the backtest of the history scenario against data/targets.toml). Tests check all four.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p sim-cli
bin=target/release/goldrush
"$bin" params --markdown > docs/PARAMETERS.md
"$bin" metrics --markdown > docs/METRICS.md
"$bin" backtest --calibration scenarios/calibrations/history-abc.toml --markdown > docs/VALIDATION.md
python3 - "$bin" <<'PY'
import re, subprocess, sys
bin = sys.argv[1]
path = "docs/ODD.md"
src = open(path).read()
def table(section):
    return subprocess.run([bin, "params", "--markdown", "--section", section],
                          check=True, capture_output=True, text=True).stdout
pat = re.compile(r"<!-- params:(\S+) -->\n.*?<!-- /params:\1 -->", re.S)
n = 0
def repl(m):
    global n
    n += 1
    return "<!-- params:%s -->\n%s<!-- /params:%s -->" % (m.group(1), table(m.group(1)), m.group(1))
src = pat.sub(repl, src)
open(path, "w").write(src)
print(f"docs/PARAMETERS.md, docs/METRICS.md, docs/VALIDATION.md and {n} table(s) in docs/ODD.md regenerated")
PY
