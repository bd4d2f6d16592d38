#!/usr/bin/env bash
# Build the frozen one-folder app into packaging/dist/wasi-playground/ and smoke-test it.
# It installs the project (not editable, as a user would get it) and PyInstaller into a private venv.
# Usage: packaging/build.sh [PYTHON]   (PYTHON: the interpreter to build with; default python3)
set -euo pipefail
cd "$(dirname "$0")"
py="${1:-python3}"
venv=build/venv
start=$(date +%s)
"$py" -m venv --clear "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q .. "pyinstaller>=6.5"
installed=$(date +%s)
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/work wasi-playground.spec
end=$(date +%s)
echo "installed in $((installed - start)) s, frozen in $((end - installed)) s:" \
  "$(du -sh dist/wasi-playground | cut -f1) in packaging/dist/wasi-playground"
"$venv/bin/python" smoke_test.py dist/wasi-playground/wasi-playground
