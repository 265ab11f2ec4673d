#!/usr/bin/env bash
# Quick start, part one: set up, then audit a bundled example team.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/alignaudit audit "${1:-examples/northwind-logistics}"
