#!/usr/bin/env bash
# Put WASI Playground in the desktop's launcher and make it the handler of .wasm/.wat files, for this user
# (or system-wide when run as root with --system). Needs xdg-utils; `wasi-playground` must be on PATH
# (pip install . / pipx install .).  Undo with --uninstall.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
res="$here/resources"
app_id=org.wasiplayground.WasiPlayground
mode=user
action=install
for arg in "$@"; do
  case "$arg" in
    --system) mode=system ;;
    --uninstall) action=uninstall ;;
    *) echo "usage: $0 [--system] [--uninstall]" >&2; exit 2 ;;
  esac
done
for tool in xdg-desktop-menu xdg-mime xdg-icon-resource; do
  command -v "$tool" >/dev/null || { echo "$tool not found: install xdg-utils" >&2; exit 1; }
done

if [ "$action" = uninstall ]; then
  xdg-desktop-menu uninstall --mode "$mode" "$res/desktop/$app_id.desktop"
  xdg-mime uninstall --mode "$mode" "$res/desktop/wasi-playground-mime.xml"
  for size in 16 24 32 48 64 128 256 512; do
    xdg-icon-resource uninstall --noupdate --mode "$mode" --size "$size" "$app_id"
  done
  xdg-icon-resource forceupdate --mode "$mode"
  echo "WASI Playground removed from the desktop ($mode)."
  exit 0
fi

for size in 16 24 32 48 64 128 256 512; do
  xdg-icon-resource install --noupdate --mode "$mode" --context apps --size "$size" \
    "$res/icons/wasi-playground-$size.png" "$app_id"
done
xdg-icon-resource forceupdate --mode "$mode"
if [ "$mode" = system ]; then
  install -Dm644 "$res/icons/wasi-playground.svg" "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  install -Dm644 "$res/desktop/$app_id.metainfo.xml" "/usr/share/metainfo/$app_id.metainfo.xml"
else
  install -Dm644 "$res/icons/wasi-playground.svg" \
    "${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps/$app_id.svg"
fi
xdg-mime install --mode "$mode" "$res/desktop/wasi-playground-mime.xml"
xdg-desktop-menu install --mode "$mode" --novendor "$res/desktop/$app_id.desktop"
xdg-mime default "$app_id.desktop" application/wasm text/x-wat
echo "WASI Playground is in the launcher and opens .wasm and .wat files ($mode)."
