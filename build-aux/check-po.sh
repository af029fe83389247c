#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a translation is incomplete: a string in the sources (per
# po/POTFILES.in) that the .po file does not translate, a fuzzy message, or
# format strings that do not match.
# Usage: check-po.sh SOURCE_ROOT POFILE
set -euo pipefail
srcroot=$1
po=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$srcroot/po/POTFILES.in" | grep -v '^$' > "$tmp/files"

# A source with translatable strings that POTFILES.in does not list would
# pass below with its strings never extracted, nor translated.
missing=0
for file in $(cd "$srcroot" && grep -lE '(^|[^A-Za-z0-9_])(N?_|C_|NC_)\(' src/*/*.c; cd "$srcroot" && grep -l 'translatable="yes"' ui/*.ui); do
  if ! grep -qxF "$file" "$tmp/files"; then
    echo "$file has translatable strings but is not in po/POTFILES.in" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1
# The keywords of meson's 'glib' gettext preset.
xgettext --directory="$srcroot" --files-from="$tmp/files" --output="$tmp/current.pot" \
  --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
  --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
  --flag=g_log:3:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
  --flag=g_snprintf:3:c-format

msgcmp "$po" "$tmp/current.pot"
stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
echo "$stats"
case "$stats" in
  *untranslated*|*fuzzy*) exit 1 ;;
esac
