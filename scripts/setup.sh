#!/usr/bin/env bash
# Set up .venv for alignaudit and everything its tests use; safe to run again (it only installs
# what is missing).
# torch==2.13.0 goes in first: it is the CPU build this machine keeps on disk, and with it
# present sentence-transformers' torch requirement is met, so pip never pulls a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "alignaudit needs Python 3.11 or newer ($PYTHON is older)" >&2; exit 2; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
fi
# [test] for the suite, [all] for every optional format and backend (pdf: WeasyPrint, pptx:
# python-pptx, onnx: ONNX Runtime), so every test runs; pdftoppm (poppler-utils) and LibreOffice
# are system packages: without them the tests that look at pages and slides skip.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,all]"
