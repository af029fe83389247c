#!/usr/bin/env bash
# tests/bench/listing.sh: the queue and the desk's search at REQUESTS requests,
# and filing as requests pile up. Not part of `meson test`; see
# tests/bench/README.md.
#
# It starts build/src/cabut-server --demo in a temporary folder and times, on
# loopback (medians of RUNS, from a Python client):
#   - filing and cancelling a request (a cycle: the one-open-request rule,
#     the letter's fsync, two commits), with the registry empty;
#   - then, with REQUESTS requests of 1,000 further applicants added (60 %
#     open, as an import would leave them) and the service restarted:
#     the same cycle again, the queue's first page, its 100th page (by
#     following cursors), the counts per state (GET /api/v1/queue/counts),
#     searches by request number, serial, NIP and part of a name, and the
#     app's queue model (CabutQueue: counts and first page, parsed) in a
#     process of its own (tests/bench/cabut-bench-queue).
# PEER_SERVER=path/to/an/older/cabut-server measures that binary the same
# way (an older one without paging answers the whole queue in one document).
#
# Settings (environment): BUILD_DIR (default: build/ of this tree),
# REQUESTS (100000), RUNS (15), PEER_SERVER (none), KEEP_TMP (1 keeps the
# temporary folders).

set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
requests=${REQUESTS:-100000}
runs=${RUNS:-15}

say () { printf 'bench: %s\n' "$*" >&2; }
die () { say "$*"; exit 1; }

[[ -x $build/src/cabut-server ]] || die "build the tree first (meson setup build && ninja -C build)"
command -v python3 >/dev/null || die "python3 is needed"

start () {   # start SERVER DIR [LISTEN] → sets pid and url
  : >"$2/out"
  "$1" --data "$2/data" --listen "${3:-127.0.0.1:0}" --demo >"$2/out" 2>"$2/err" &
  pid=$!
  for _ in $(seq 900); do grep -q '^listening on ' "$2/out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$2/out")
  [[ -n $url ]] || die "the service did not start: $(cat "$2/err")"
}

measure () {   # measure LABEL SERVER → table rows on stdout
  local label=$1 server=$2 tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cabut-bench-list.XXXXXX")
  start "$server" "$tmp"
  say "$label: filing with an empty registry"
  python3 "$here/listing.py" cycle "$tmp/data" "$url" "$runs" "$label" "empty registry"
  say "$label: adding $requests requests"
  python3 "$here/listing.py" fill "$tmp/data" "$requests"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  start "$server" "$tmp" "$(echo "${url#http://}" | tr -d /)"
  python3 "$here/listing.py" cycle "$tmp/data" "$url" "$runs" "$label" "$requests requests"
  python3 "$here/listing.py" list "$tmp/data" "$url" "$runs" "$label" "$requests"
  if [[ $server == "$build/src/cabut-server" && -x $build/tests/bench/cabut-bench-queue ]]; then
    "$build/tests/bench/cabut-bench-queue" "$tmp/data" "$url" "$runs" "$label"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [[ ${KEEP_TMP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}

{
  printf 'Machine: %s CPUs (%s), %s; medians of %s\n\n' "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(uname -r)" "$runs"
  echo "| Server | What | Median | Answer |"
  echo "|---|---|---|---|"
}
measure "cabut-server" "$build/src/cabut-server"
if [[ -n ${PEER_SERVER:-} ]]; then
  measure "peer: $(basename "$(dirname "$(dirname "$(dirname "$PEER_SERVER")")")")" "$PEER_SERVER"
fi
