#!/usr/bin/env bash
# Build the frozen one-folder app into packaging/dist/wasi-playground/ and smoke-test it.
# Usage: packaging/build.sh [PYTHON]   (PYTHON: an interpreter with the project installed; default python3)
set -euo pipefail
cd "$(dirname "$0")"
py="${1:-python3}"
"$py" -m pip install -q "pyinstaller>=6.5"
start=$(date +%s)
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build wasi-playground.spec
echo "built in $(( $(date +%s) - start )) s: $(du -sh dist/wasi-playground | cut -f1) in packaging/dist/wasi-playground"
"$py" smoke_test.py dist/wasi-playground/wasi-playground
