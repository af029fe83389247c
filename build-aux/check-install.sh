#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a temporary DESTDIR and checks that the app, the
# service, the CLI, their data and the translations are all there and valid.
# Usage: check-install.sh BUILD_DIR APPLICATION_ID PREFIX
set -euo pipefail
build=$1 app_id=$2 prefix=$3
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null

root=$dest$prefix
expect=(
  bin/cabut bin/cabut-cli bin/cabut-server
  "share/applications/$app_id.desktop"
  "share/metainfo/$app_id.metainfo.xml"
  share/glib-2.0/schemas/io.github.cabut.Cabut.gschema.xml
  "share/icons/hicolor/scalable/apps/$app_id.svg"
  "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  share/locale/id/LC_MESSAGES/cabut.mo
  share/cabut/holidays-id.txt share/cabut/cabut-demo.conf share/cabut/cabut-api.yaml
)
status=0
for f in "${expect[@]}"; do
  if [ ! -e "$root/$f" ]; then
    echo "not installed: $prefix/$f"
    status=1
  fi
done
for f in bin/cabut bin/cabut-cli bin/cabut-server; do
  [ -x "$root/$f" ] || { echo "not executable: $prefix/$f"; status=1; }
done
desktop-file-validate "$root/share/applications/$app_id.desktop"
appstream-util validate-relax --nonet "$root/share/metainfo/$app_id.metainfo.xml" >/dev/null
glib-compile-schemas --strict --dry-run "$root/share/glib-2.0/schemas"
catalogue=$(msgunfmt "$root/share/locale/id/LC_MESSAGES/cabut.mo")
grep -q 'msgstr "Sebelum Memulai"' <<<"$catalogue" ||
  { echo "the installed catalogue lacks the app's Indonesian"; status=1; }
grep -q '^MimeType=.*application/x-pkcs12;.*application/pkcs12;' "$root/share/applications/$app_id.desktop" ||
  { echo "the desktop file does not open PKCS#12 files"; status=1; }
[ $status -eq 0 ] && echo "installed ${#expect[@]} files under $prefix, all valid"
exit $status
