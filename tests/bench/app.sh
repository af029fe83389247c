#!/usr/bin/env bash
# tests/bench/app.sh: the app's own figures, headless. Not part of
# `meson test`; see tests/bench/README.md.
#
# It builds nothing: build the tree first (`meson compile -C build`). In one
# fresh Xvfb (xvfb-run) and D-Bus session (dbus-run-session) it measures
#   - start-up: `cabut FILE` and `gcr-viewer FILE` on the same certificate,
#     interleaved, timed from the outside the same way for both
#     (cabut-bench-launch: X MapNotify, then XDamage), and for cabut also
#     by its own probe (CABUT_PROBE: window mapped, details page shown);
#   - the longest main-loop stall while the wizard sends a letter of about
#     10 MiB to the demo service, and while the details page checks
#     revocation (cabut-bench-stall, with the probe's 5 ms timer);
# and prints a Markdown table.
#
# Settings (environment): BUILD_DIR (default: build/ of this tree),
# STARTUP_RUNS (10 per program), STALL_ROUNDS (2 demo services of 3 applicants
# each), CERT (tests/fixtures/certs/rsa2048.pem), QUIET_MS (1000: a window is
# "settled" after this long without drawing), RENDERERS ("cairo nogl gl":
# GSK renderers to start cabut with; nogl is cairo with GDK_DEBUG=gl-disable),
# STALL_RENDERERS ("cairo gl"), KEEP_TMP (1 keeps the temporary folder),
# BENCH_OUTPUT (also write the table to this file).

set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
startup_runs=${STARTUP_RUNS:-10}
stall_rounds=${STALL_ROUNDS:-2}
cert=${CERT:-$root/tests/fixtures/certs/rsa2048.pem}
quiet_ms=${QUIET_MS:-1000}
renderers=${RENDERERS:-cairo nogl gl}
stall_renderers=${STALL_RENDERERS:-cairo gl}

say () { printf 'bench: %s\n' "$*" >&2; }
die () { say "$*"; exit 1; }

cabut=$build/src/cabut
launch=$build/tests/bench/cabut-bench-launch
stall=$build/tests/bench/cabut-bench-stall
[[ -x $cabut && -x $stall ]] || die "no $cabut or $stall: build the tree first (meson compile -C build)"
[[ -x $launch ]] || die "no $launch: it needs libx11-dev and libxdamage-dev at build time"
[[ -r $cert ]] || die "no certificate $cert"

# Everything below runs in its own X server and session bus.
if [[ -z ${CABUT_BENCH_INNER:-} ]]; then
  for tool in xvfb-run dbus-run-session; do
    command -v "$tool" >/dev/null || die "$tool is needed (apt-get install -y xvfb dbus)"
  done
  export CABUT_BENCH_INNER=1
  exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24" "${BASH_SOURCE[0]}" "$@"
fi

gcr=$(command -v gcr-viewer || true)
[[ -n $gcr ]] || say "gcr-viewer is not installed (apt-get install -y gcr): cabut only"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cabut-app-bench.XXXXXX")
cleanup () { if [[ ${KEEP_TMP:-0} = 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

export GDK_BACKEND=x11 GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data
export XDG_DATA_HOME=$tmp/data LANGUAGE=en
# No accessibility bus for either toolkit: its start-up is the session's, not the app's.
export GTK_A11Y=none NO_AT_BRIDGE=1
export CABUT_SERVER=$build/src/cabut-server
mkdir -p "$XDG_DATA_HOME"

rows=()
row () { rows+=("$1|$2|$3"); }

# stats FILE: "median (min–max)" of the numbers in FILE, in ms from µs.
stats () {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "—"; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f ms (%.0f–%.0f)", m / 1000, v[1] / 1000, v[NR] / 1000 }'
}
field () { sed -n "s/.*\<$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# ---------------------------------------------------------------------------
# Start-up

# nogl: the cairo renderer, and GDK told not to open GL at all (GTK 4 probes
# EGL/GLX at start-up even for cairo, which loads Mesa and LLVM).
renderer_env () {
  case $1 in
    nogl) echo GSK_RENDERER=cairo GDK_DEBUG=gl-disable ;;
    *) echo "GSK_RENDERER=$1" ;;
  esac
}

# start_one NAME: one launch, appends to $tmp/NAME.{mapped,painted,settled,…}
start_one () {
  local name=$1 line err=$tmp/$1.err t0 t
  case $name in
    gcr) line=$("$launch" "$quiet_ms" 15000 "$gcr" "$cert" 2>"$err") ;;
    cabut-*) line=$(env CABUT_PROBE=1 $(renderer_env "${name#cabut-}") \
                      "$launch" "$quiet_ms" 15000 "$cabut" "$cert" 2>"$err") ;;
  esac || { cat "$err" >&2; die "$name did not map a window"; }
  t0=$(field start "$line")
  for k in mapped painted settled; do
    t=$(field "$k" "$line")
    (( t >= 0 )) && echo "$t" >>"$tmp/$name.$k"
  done
  for k in window-mapped details-shown; do
    t=$(sed -n "s/^cabut-probe: $k \([0-9]*\)$/\1/p" "$err" | head -n 1)
    [[ -z $t ]] || echo $((t - t0)) >>"$tmp/$name.probe-$k"
  done
  if [[ $name = cabut-* ]] && ! grep -q '^cabut-probe: details-shown ' "$err"; then
    say "warning: $name did not show the details page before it was stopped"
  fi
}

programs=()
[[ -z $gcr ]] || programs+=(gcr)
for r in $renderers; do programs+=("cabut-$r"); done

say "start-up: warming up (${programs[*]})"
for p in "${programs[@]}"; do start_one "$p"; rm -f "$tmp/$p".*; done
say "start-up: $startup_runs runs each, interleaved"
for ((i = 0; i < startup_runs; i++)); do
  for p in "${programs[@]}"; do start_one "$p"; done
done

how_ext="cabut-bench-launch, median (min–max) of $startup_runs, interleaved, after a warm-up: from fork to the X MapNotify of its first top-level window / to the first XDamage on it / to the last XDamage before ${quiet_ms} ms without any"
if [[ -n $gcr ]]; then
  row "Start-up, \`gcr-viewer $(basename "$cert")\`: mapped / first paint / settled" \
    "$(stats "$tmp/gcr.mapped") / $(stats "$tmp/gcr.painted") / $(stats "$tmp/gcr.settled")" \
    "$how_ext; gcr $(dpkg-query -W -f='${Version}' gcr 2>/dev/null || echo '?'), GTK 3, cairo"
fi
for r in $renderers; do
  p=cabut-$r
  label="GSK $r"; [[ $r != nogl ]] || label="GSK cairo, GDK_DEBUG=gl-disable"
  row "Start-up, \`cabut $(basename "$cert")\` ($label): mapped / first paint / settled" \
    "$(stats "$tmp/$p.mapped") / $(stats "$tmp/$p.painted") / $(stats "$tmp/$p.settled")" \
    "the same external method"
  row "Start-up, \`cabut $(basename "$cert")\` ($label), its probe: window mapped / details shown" \
    "$(stats "$tmp/$p.probe-window-mapped") / **$(stats "$tmp/$p.probe-details-shown")**" \
    "CABUT_PROBE=1: the GdkSurface is mapped / the details page is filled in with the certificate, g_get_monotonic_time () against the launcher's CLOCK_MONOTONIC at fork"
done

# ---------------------------------------------------------------------------
# Main-loop stalls: upload and revocation check

for r in $stall_renderers; do
  : >"$tmp/stall-$r.out"
  for ((i = 0; i < stall_rounds; i++)); do
    say "stalls: round $((i + 1)) of $stall_rounds (GSK $r)"
    env $(renderer_env "$r") XDG_DATA_HOME="$tmp/stall-$r-$i" "$stall" 3 >>"$tmp/stall-$r.out" 2>"$tmp/stall-$r-$i.err" ||
      { tail -n 20 "$tmp/stall-$r-$i.err" >&2; die "cabut-bench-stall failed"; }
  done
  for what in upload details; do
    sed -n "s/^bench: $what .*max_stall_us=\([0-9]*\).*/\1/p" "$tmp/stall-$r.out" >"$tmp/stall-$r.$what"
    sed -n "s/^bench: $what .*elapsed_us=\([0-9]*\).*/\1/p" "$tmp/stall-$r.out" >"$tmp/stall-$r.$what-elapsed"
  done
  bytes=$(sed -n 's/^bench: letter bytes=\([0-9]*\).*/\1/p' "$tmp/stall-$r.out" | head -n 1)
  n=$(wc -l <"$tmp/stall-$r.upload")
  row "Longest main-loop stall, sending a $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB letter (GSK $r)" \
    "**$(stats "$tmp/stall-$r.upload")**; the send took $(stats "$tmp/stall-$r.upload-elapsed")" \
    "cabut-bench-stall, median (min–max) of $n: a 5 ms timer at G_PRIORITY_HIGH on the main context, its largest lateness; from Send until the receipt page (prepare in a thread, outbox copy, upload to the demo service on loopback)"
  row "Longest main-loop stall, details page and its revocation check (GSK $r)" \
    "**$(stats "$tmp/stall-$r.details")**; the check took $(stats "$tmp/stall-$r.details-elapsed")" \
    "the same; from Next on the certificate page (PKCS#12 opened, details page laid out) until the OCSP answer is shown"
done

# ---------------------------------------------------------------------------
# My requests with many requests kept on this computer

history=$build/tests/bench/cabut-bench-history
history_requests=${HISTORY_REQUESTS:-100000}
if [[ -x $history ]]; then
  say "history: $history_requests requests (GSK cairo)"
  env $(renderer_env cairo) XDG_DATA_HOME="$tmp/history" "$history" "$history_requests" >"$tmp/history.out" \
    2>"$tmp/history.err" || { tail -n 20 "$tmp/history.err" >&2; die "cabut-bench-history failed"; }
  sed -n 's/^bench: history-keystroke .*to_paint_us=\([0-9]*\).*/\1/p' "$tmp/history.out" >"$tmp/history.keys"
  sed -n 's/^bench: history-keystroke .*handler_us=\([0-9]*\).*/\1/p' "$tmp/history.out" >"$tmp/history.handler"
  open=$(grep '^bench: history-open ' "$tmp/history.out")
  row "My requests, $history_requests kept: opening the history (GSK cairo)" \
    "**$(awk -v u="$(field elapsed_us "$open")" 'BEGIN { printf "%.0f ms", u / 1000 }')**, longest stall $(awk -v u="$(field max_stall_us "$open")" 'BEGIN { printf "%.0f ms", u / 1000 }')" \
    "cabut-bench-history: from My requests until the list is painted; the store's thread reads SQLite, parses the JSON and makes the search keys"
  row "My requests, $history_requests kept: a keystroke in the search (GSK cairo)" \
    "**$(stats "$tmp/history.keys")** until painted; the handler $(stats "$tmp/history.handler")" \
    "typing \"siti rahmawati 3f\" one character at a time and deleting it again ($(wc -l <"$tmp/history.keys") keystrokes): the search, the list view's update, the next frame; goal: under 50 ms"
  row "My requests, $history_requests kept: longest main-loop stall while typing" \
    "**$(awk -v u="$(field max_stall_us "$(grep '^bench: history-typing ' "$tmp/history.out")")" 'BEGIN { printf "%.0f ms", u / 1000 }')**" \
    "the probe's 5 ms timer over all those keystrokes"
fi

# ---------------------------------------------------------------------------
# Report

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
  echo "## Cabut app benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}; $(uname -sr); Xvfb $(dpkg-query -W -f='${Version}' xvfb 2>/dev/null || echo '?'); GTK $(pkg-config --modversion gtk4 2>/dev/null || echo '?')."
  echo "Headless: Xvfb has no GPU, so GSK's GL renderer runs on Mesa's software rasterizer (llvmpipe)."
  echo
  echo "| What | Value | How |"
  echo "|---|---|---|"
  for r in "${rows[@]}"; do
    IFS='|' read -r what value how <<<"$r"
    echo "| $what | $value | $how |"
  done
} | tee "${BENCH_OUTPUT:-/dev/null}"
