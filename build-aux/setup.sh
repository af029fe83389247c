#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up a Debian 12 machine for Cabut and builds it. Installs only the
# Debian packages that are missing (as root, or through sudo), configures
# meson once, then compiles.
#
#   build-aux/setup.sh build        install what is missing and build
#   build-aux/setup.sh run [ARGS]   build, then start the app on its embedded demo
#   build-aux/setup.sh test [ARGS]  build, then run the whole test suite
#                                   headless; the last line counts the
#                                   individual test cases
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
builddir=${CABUT_BUILDDIR:-build}

packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev libssl-dev libsecret-1-dev libpoppler-glib-dev libqrencode-dev libzbar-dev fonts-liberation2
  libcurl4-openssl-dev libgmime-3.0-dev
  poppler-utils zbar-tools imagemagick img2pdf python3-aiosmtpd
  openssl ca-certificates curl desktop-file-utils appstream-util
  xvfb xauth dbus dbus-x11 at-spi2-core gnome-keyring
  python3 python3-pyatspi python3-cairo xdotool
)

install_missing() {
  local missing=() pkg
  for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  echo "setup: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  install_missing
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" -Ddevelopment=true
  fi
  meson compile -C "$builddir"
}

cmd=${1:-build}
[ $# -gt 0 ] && shift

case "$cmd" in
  build)
    build
    ;;
  run)
    build
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "setup: no display to show the window on; run this from a desktop session" >&2
      exit 1
    fi
    export GSETTINGS_SCHEMA_DIR="$top/$builddir/data"
    # The embedded demo: a fictional service, CA and accounts on this computer.
    exec "$builddir/src/cabut" --demo "$@"
    ;;
  test)
    build
    status=0
    dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24" \
      meson test -C "$builddir" --print-errorlogs "$@" || status=$?
    python3 "$top/build-aux/count-tests.py" "$builddir/meson-logs/testlog.json" || status=1
    exit $status
    ;;
  *)
    echo "usage: $0 build|run|test [ARGS]" >&2
    exit 2
    ;;
esac
