#!/usr/bin/env bash
# Installs what is missing, builds, starts the bundled joren-server on
# loopback (demo store and catalogue) and the register on the demo shop in
# a local database (both created on first start), paired with the server
# on first start so it syncs (online / offline in the header bar). Closing
# the register stops the server.
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
port="${JOREN_SERVER_PORT:-8080}"
mkdir -p "$data"
pair=()
if [ ! -f "$data/register.paired" ]; then
  # A one-time code for the demo store (seeding it first if the file is new).
  code=$(build/sync/server/joren-server --db "$data/server.db" --demo --new-pairing-code 1 | tail -n 1)
  pair=(--server "http://127.0.0.1:$port" --pair "$code")
fi
build/sync/server/joren-server --db "$data/server.db" --demo --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do  # pairing needs the server listening
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
build/app/joren --demo "${pair[@]}" "$@" && touch "$data/register.paired"
