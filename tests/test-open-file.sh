#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `cabut FILE` with Cabut already running: the second process hands the
# file to the first (GApplication, HANDLES_OPEN) and exits; the running
# window shows the certificate's details. TAP output.
#   test-open-file.sh CABUT FIXTURE
set -uo pipefail
cabut=$1 fixture=$2
tmp=$(mktemp -d)
trap 'kill "$first" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

echo "1..3"
# A session bus of its own: other tests run Cabut too, and only one
# instance per bus may own the application's name.
export XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config HOME=$tmp CABUT_PROBE=1
dbus-run-session -- bash -c '
  "$0" > "$1/first.out" 2> "$1/first.err" &
  first=$!
  for i in $(seq 100); do grep -q "cabut-probe: window-mapped" "$1/first.err" && break; sleep 0.1; done
  start=$(date +%s%N)
  timeout 20 "$0" "$2" > "$1/second.out" 2> "$1/second.err"
  echo $? > "$1/second.status"
  echo $(( ($(date +%s%N) - start) / 1000000 )) > "$1/second.ms"
  for i in $(seq 100); do grep -q "cabut-probe: details-shown" "$1/first.err" && break; sleep 0.1; done
  kill $first; wait $first
' "$cabut" "$tmp" "$fixture" 2>/dev/null

status=$(cat "$tmp/second.status" 2>/dev/null || echo none)
if [ "$status" = 0 ]; then
  echo "ok 1 - the second cabut exited with 0 after $(cat "$tmp/second.ms") ms"
else
  echo "not ok 1 - the second cabut exited with $status"; sed 's/^/# /' "$tmp/second.err"
fi
if ! grep -q "cabut-probe: window-mapped" "$tmp/second.err"; then
  echo "ok 2 - the second cabut opened no window of its own"
else
  echo "not ok 2 - the second cabut opened a window"
fi
if grep -q "cabut-probe: details-shown" "$tmp/first.err"; then
  echo "ok 3 - the running Cabut shows the certificate's details"
else
  echo "not ok 3 - the running Cabut did not show the certificate"; sed 's/^/# /' "$tmp/first.err" | tail -20
fi
