#!/usr/bin/env bash
# Installs what building, running and testing Joren needs on a fresh Debian
# machine (apt), and the locales the translated screenshots use. Installs
# only what is missing, so a second run takes a second.
set -euo pipefail

packages=(
  gcc pkg-config meson ninja-build gettext
  libgtk-4-dev libsqlite3-dev libcurl4-openssl-dev libcjson-dev
  libusb-1.0-0-dev libqrencode-dev libsodium-dev libmicrohttpd-dev
  umockdev libumockdev-dev desktop-file-utils appstream
  xvfb xauth x11-apps netpbm xdotool zbar-tools sqlite3 locales
  fonts-noto-cjk fonts-dejavu-core python3-yaml python3-aiosmtpd poppler-utils
  chromium chromium-driver clang wrk
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Locales for the ja/de/zh_TW screens (gettext ignores LANGUAGE under C).
for loc in ja_JP de_DE zh_TW; do
  if ! locale -a 2>/dev/null | grep -qi "^${loc}\.utf-\?8$"; then
    $sudo localedef -i "$loc" -f UTF-8 "${loc}.UTF-8" 2>/dev/null || true
  fi
done
