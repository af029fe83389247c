#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Remakes the screenshots of the real app, headless: every page of the
# wizard on the embedded demo and the service desk's queue, in Indonesian
# and English, light and dark, at 800×600 and 1280×900. The ones AppStream and the README show are
# copied to data/screenshots/.
#
#   build-aux/screenshots.sh [OUTPUT-DIR]     (default: build/screenshots)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${CABUT_BUILDDIR:-build}

if [ "${1:-}" != --inside ]; then
  out=$(realpath -m "${1:-$top/$builddir/screenshots}")
  mkdir -p "$out"
  meson compile -C "$top/$builddir" >/dev/null
  dbus-run-session -- xvfb-run -a -s "-screen 0 1600x1200x24" "$0" --inside "$out"
  mkdir -p "$top/data/screenshots"
  for page in 1-welcome 3-details 6-letter-made 7-check 8-receipt; do
    cp "$out/id-1280x900-light-$page.png" "$top/data/screenshots/$page.png"
  done
  # The service desk, in both languages: the README shows each.
  for page in desk-queue desk-complaints desk-review-1-dossier desk-review-5-approved desk-approval-3-pending \
              desk-audit-1-log; do
    cp "$out/id-1280x900-light-$page.png" "$top/data/screenshots/$page.png"
    cp "$out/en-1280x900-light-$page.png" "$top/data/screenshots/$page-en.png"
  done
  # The letter itself, its first page as a picture.
  pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$out/id-1280x900-light-letter.pdf" "$top/data/screenshots/letter"
  echo "screenshots in $out; AppStream copies in data/screenshots/"
  exit 0
fi

out=$2
for lang in id en; do
  for size in 800x600 1280x900; do
    for style in light dark; do
      env LANGUAGE="$lang" LC_ALL=C.UTF-8 GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none \
          GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$top/$builddir/data" \
          CABUT_LOCALEDIR="$top/$builddir/po" CABUT_SERVER_PROGRAM="$top/$builddir/src/cabut-server" \
          "$top/$builddir/tests/cabut-screenshots" "$out" "$lang-$size-$style" "${size%x*}" "${size#*x}" "$style"
    done
  done
done
