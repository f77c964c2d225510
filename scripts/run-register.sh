#!/usr/bin/env bash
# Installs what is missing, builds, and starts the register on the demo
# shop in a local database (created on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run-register: no display; start it from a desktop session" >&2
  echo "(or under Xvfb: xvfb-run -s '-screen 0 1366x768x24' $0)" >&2
  exit 1
fi
exec build/app/joren --demo "$@"
