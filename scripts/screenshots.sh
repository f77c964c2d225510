#!/usr/bin/env bash
# Renders the register's screens at 1024x768, 1366x768 and 1920x1080 in
# English, Japanese, German and Traditional Chinese into ./screenshots/
# (one process per language, under Xvfb), and refreshes docs/screenshot.png.
# JOREN_BUILD names the build directory (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${JOREN_BUILD:-build}
[ -f "$build/build.ninja" ] || meson setup "$build"
meson compile -C "$build"
build=$(cd "$build" && pwd)   # JOREN_BUILD may be relative or absolute
out=${JOREN_SCREENSHOTS_DIR:-screenshots}
mkdir -p "$out" docs

for loc in ja_JP de_DE zh_TW; do
  if ! locale -a 2>/dev/null | grep -qi "^${loc}\.utf-\?8$"; then
    echo "screenshots: locale ${loc}.UTF-8 missing: run scripts/setup.sh" >&2
    exit 1
  fi
done

shoot() {
  local lang=$1 locale=$2
  env LANGUAGE="$lang" LC_ALL="$locale" JOREN_SCREENSHOT_LANG="$lang" \
      JOREN_LOCALEDIR="$build/po" JOREN_FAST_PWHASH=1 \
      GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
      xvfb-run -a -s '-screen 0 1920x1080x24' \
      "$build/app/joren-screenshots" "$out" 1024x768 1366x768 1920x1080
}

shoot en C.UTF-8
shoot ja ja_JP.UTF-8
shoot de de_DE.UTF-8
shoot zh_TW zh_TW.UTF-8
cp "$out/ja-1366x768-register.png" docs/screenshot.png
echo "screenshots: $(ls "$out" | wc -l) files in $out/, docs/screenshot.png updated"
