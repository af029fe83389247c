#!/usr/bin/env bash
# tests/bench/main-loop.sh: does the service keep answering while an
# approval makes its CA re-sign a big CRL? Not part of `meson test`; see
# tests/bench/README.md.
#
# It starts build/src/cabut-server --demo in a temporary folder, adds
# ENTRIES revoked certificates to its registry (as an import from an existing
# CA would), files a request with cabut-cli, and approves it with one client
# while another sends GET /api/v1/health every 5 ms until the approval is
# answered. It prints a Markdown table: how long the approval took, how many
# health checks were answered meanwhile, and their latency (median, p99,
# maximum). PEER_SERVER=path/to/an/older/cabut-server measures that binary
# the same way, side by side.
#
# Settings (environment): BUILD_DIR (default: build/ of this tree),
# ENTRIES (100000), RUNS (3 approvals per server, each on a fresh folder),
# PEER_SERVER (none), KEEP_TMP (1 keeps the temporary folders).

set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
entries=${ENTRIES:-100000}
runs=${RUNS:-3}

say () { printf 'bench: %s\n' "$*" >&2; }
die () { say "$*"; exit 1; }

cli=$build/src/cabut-cli
[[ -x $build/src/cabut-server && -x $cli ]] || die "build the tree first (meson setup build && ninja -C build)"
command -v python3 >/dev/null || die "python3 is needed"

measure () {   # measure LABEL SERVER → one table row per run on stdout
  local label=$1 server=$2 run tmp pid url
  for ((run = 1; run <= runs; run++)); do
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/cabut-bench-loop.XXXXXX")
    "$server" --data "$tmp/data" --listen 127.0.0.1:0 --demo >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 200); do grep -q '^listening on ' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
    url=$(sed -n 's/^listening on //p' "$tmp/out")
    [[ -n $url ]] || die "$label: the service did not start: $(cat "$tmp/err")"

    say "$label, run $run: $entries revoked certificates, then a restart (its CRL lists them)"
    python3 - "$tmp/data/cabut.db" "$entries" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
owner, issuer = db.execute("SELECT account_id, issuer FROM certificates LIMIT 1").fetchone()
db.executemany("INSERT INTO certificates (account_id, serial, issuer, subject, subject_der, not_before, "
               "not_after, status, revoked_at, revocation_reason) VALUES (?, ?, ?, 'CN=Lama', X'3000', 0, 1, "
               "'revoked', ?, 4)",
               ((owner, "7E57%06X" % i, issuer, 1700000000 + i) for i in range(int(sys.argv[2]))))
db.commit()
EOF
    kill "$pid"; wait "$pid" 2>/dev/null || true
    : >"$tmp/out"
    "$server" --data "$tmp/data" --listen "$(echo "${url#http://}" | tr -d /)" --demo >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 600); do grep -q '^listening on ' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
    grep -q '^listening on ' "$tmp/out" || die "$label: the service did not start again: $(cat "$tmp/err")"

    python3 - "$tmp/data/demo/accounts.json" "$url" "$cli" "$label" "$entries" <<'EOF'
import json, os, statistics, subprocess, sys, threading, time, urllib.request
accounts = {a["username"]: a for a in json.load(open(sys.argv[1]))}
url, cli, label, entries = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
agus, dewi = accounts["agus.wijaya"], accounts["dewi.verifikator"]
demo = os.path.dirname(sys.argv[1])
letter = os.path.join(demo, "..", "surat.pdf")
open(letter, "wb").write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
env = dict(os.environ, P=agus["password"], Q=agus["p12_password"] or "")
out = subprocess.run([cli, "--server", url, "--user", "agus.wijaya", "--password-env", "P", "--json", "submit",
                      "--cert", os.path.join(demo, agus["p12"]), "--cert-password-env", "Q",
                      "--reason", "keyCompromise", "--letter", letter],
                     env=env, check=True, capture_output=True, text=True).stdout
number = json.loads(out)["id"]

def call(method, path, body=None, token=None):
    req = urllib.request.Request(url + path, method=method, data=body)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()

token = json.loads(call("POST", "api/v1/session",
                        json.dumps({"username": "dewi.verifikator", "password": dewi["password"]}).encode()))["token"]
done = threading.Event()
timing = {}
def approve():
    t0 = time.monotonic()
    call("POST", "api/v1/requests/%s/approve" % number, b'{"note": "bench"}', token)
    timing["approval"] = time.monotonic() - t0
    done.set()
latencies = []
thread = threading.Thread(target=approve)
thread.start()
while not done.is_set():
    t0 = time.monotonic()
    call("GET", "api/v1/health")
    latencies.append(time.monotonic() - t0)
    time.sleep(0.005)
thread.join()
ms = sorted(x * 1000 for x in latencies)
p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
print("| %s | %.0f ms | %d | %.1f ms | %.1f ms | %.1f ms |" % (
    label, timing["approval"] * 1000, len(ms), statistics.median(ms), p99, ms[-1]))
EOF
    kill "$pid"; wait "$pid" 2>/dev/null || true
    if [[ ${KEEP_TMP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
  done
}

{
  printf 'Machine: %s CPUs (%s), %s, %s; %s revoked entries in the CRL\n\n' "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" "$(uname -r)" "$(openssl version)" "$entries"
  echo "| Server | Approval (CRL re-signed) | Health checks answered meanwhile | Median | p99 | Max |"
  echo "|---|---|---|---|---|---|"
}
measure "cabut-server" "$build/src/cabut-server"
if [[ -n ${PEER_SERVER:-} ]]; then
  measure "peer: $(basename "$(dirname "$(dirname "$(dirname "$PEER_SERVER")")")")" "$PEER_SERVER"
fi
