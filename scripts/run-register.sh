#!/usr/bin/env bash
# Installs what is missing, builds, starts the bundled joren-server on
# loopback (demo store and catalogue) and the register on the demo shop in
# a local database (both created on first start). Closing the register
# stops the server.
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

data="${XDG_DATA_HOME:-$HOME/.local/share}/joren"
mkdir -p "$data"
build/sync/server/joren-server --db "$data/server.db" --demo --port "${JOREN_SERVER_PORT:-8080}" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
build/app/joren --demo "$@"
