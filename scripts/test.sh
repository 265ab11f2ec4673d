#!/usr/bin/env bash
# Quick start, part two: set up, then run the whole test suite (the command CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check --quiet src tests scripts benchmarks
.venv/bin/mypy src
# Tests are independent (each has its own temporary folder and cache): one worker per core.
exec .venv/bin/python -m pytest -n auto "$@"
