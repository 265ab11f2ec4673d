#!/usr/bin/env bash
# Install alignaudit as a consultant would, and use it: build the wheel, install it with every
# optional format into a fresh venv (the CPU torch first, so pip never pulls a CUDA build),
# then audit an example with the installed `alignaudit` command, away from the checkout, in
# JSON, PDF and slides. Fails on any step. .ci/run runs it; so can anyone:
#   bash scripts/wheel_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/alignaudit-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
pip=(--quiet --disable-pip-version-check)

# The wheel of the tracked files as they are now, built from a copy: a stale build/ folder in
# the checkout can never leak into it.
mkdir "$work/tree"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/tree"
else
  cp -r . "$work/tree"
fi
"$PYTHON" -m pip wheel "${pip[@]}" --no-deps "$work/tree" -w "$work/dist"
wheels=("$work"/dist/alignaudit-*.whl)
wheel=${wheels[0]}
echo "wheel check: built $(basename "$wheel")"

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install "${pip[@]}" torch==2.13.0
"$work/venv/bin/python" -m pip install "${pip[@]}" "$wheel[all]"

# From an empty folder with a cache of its own: the installed package and its data, not src/.
mkdir "$work/run"
cd "$work/run"
export XDG_CACHE_HOME="$work/cache"
alignaudit="$work/venv/bin/alignaudit"
"$alignaudit" --version
team="$ROOT/examples/northwind-logistics"
"$alignaudit" audit "$team" -f json -o report.json -q
"$alignaudit" audit "$team" -f pdf -o report.pdf -q
"$alignaudit" audit "$team" -f pptx -o report.pptx -q
"$work/venv/bin/python" - <<'EOF'
import json
from pathlib import Path

report = json.loads(Path("report.json").read_text())
assert report["schema"] == "alignaudit.report/3", report["schema"]
assert report["team"] == "northwind-logistics", report["team"]
assert set(report["foundations"]) == {"vision", "mission", "values", "positioning"}
assert Path("report.pdf").read_bytes().startswith(b"%PDF-"), "report.pdf is not a PDF"
assert Path("report.pptx").read_bytes().startswith(b"PK\x03\x04"), "report.pptx is no deck"
import alignaudit

assert "site-packages" in alignaudit.__file__, alignaudit.__file__  # the installed copy
print(f"wheel check: audited {report['team']}: overall index {report['overall']['index']}")
EOF
echo "wheel check: passed in $((SECONDS - start)) s"
