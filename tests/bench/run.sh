#!/usr/bin/env bash
# tests/bench/run.sh: throughput and latency of the reference AMS service on
# loopback. Not part of `meson test`; see tests/bench/README.md.
#
# It builds nothing: build the tree first (`ninja -C build`). It starts
# build/src/cabut-server --demo in a temporary folder, measures
#   - OCSP answers per second (POST, and GET the RFC 5019 way), with wrk,
#     side by side with `openssl ocsp` as a peer responder,
#   - sign-in latency (scrypt),
#   - submissions per second through cabut-cli (including its start-up) and
#     through curl,
# and prints a Markdown table. Everything stays on 127.0.0.1; the peer, which
# can only bind every interface, runs in a private network namespace.
#
# Settings (environment): BUILD_DIR (default: build/ of this tree),
# DURATION (seconds per wrk run, 10), CONNECTIONS (16), THREADS (2),
# SUBMIT_RUNS (20), SIGNIN_RUNS (5), LETTER_KIB (256), KEEP_TMP (1 keeps the
# temporary folder), BENCH_OUTPUT (also write the table to this file),
# BENCH_WITHOUT (tools to pretend are missing, e.g. "wrk hyperfine").

set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
duration=${DURATION:-10}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
submit_runs=${SUBMIT_RUNS:-20}
signin_runs=${SIGNIN_RUNS:-5}
letter_kib=${LETTER_KIB:-256}
fixtures=$root/tests/fixtures/certs
lua=$here/ocsp.lua

say () { printf 'bench: %s\n' "$*" >&2; }
die () { say "$*"; exit 1; }

server=$build/src/cabut-server
cli=$build/src/cabut-cli
[[ -x $server && -x $cli ]] ||
  die "no $server or $cli: build the tree first (meson setup build && ninja -C build)"
for tool in openssl curl awk sed; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
# BENCH_WITHOUT="wrk hyperfine" pretends those are missing, to try the fallbacks.
have () { [[ " ${BENCH_WITHOUT:-} " != *" $1 "* ]] && command -v "$1" >/dev/null; }
have wrk || say "wrk is not installed (apt-get install -y wrk): OCSP throughput is measured with curl --parallel instead"
have hyperfine || say "hyperfine is not installed (apt-get install -y hyperfine): the CLI is timed with a bash loop"

rows=()
row () { rows+=("$1|$2|$3"); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cabut-bench.XXXXXX")
server_pid=
cleanup () {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP_TMP:-0} = 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------
# The service

say "starting cabut-server --demo in $tmp/data"
"$server" --data "$tmp/data" --listen 127.0.0.1:0 --demo >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
for _ in $(seq 600); do
  grep -q '^listening on ' "$tmp/server.out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err" >&2; die "cabut-server exited"; }
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$tmp/server.out" | head -n 1)
url=${url%/}
[[ -n $url ]] || die "cabut-server did not say where it listens"
case $url in http://127.0.0.1:*) ;; *) die "not on loopback: $url" ;; esac
say "listening on $url"

demo=$tmp/data/demo
# accounts.json is pretty-printed by json-glib, one member per line.
account_field () {
  awk -v user="$1" -v field="$2" '
    /"username"/ { split($0, a, "\""); current = a[4] }
    current == user && index($0, "\"" field "\"") { split($0, a, "\""); print a[4]; exit }
  ' "$demo/accounts.json"
}
user=$(awk '/"username"/ { split($0, a, "\""); u = a[4] }
            /"role"/ && /"applicant"/ { print u; exit }' "$demo/accounts.json")
[[ -n $user ]] || die "no applicant in $demo/accounts.json"
password=$(account_field "$user" password)
p12=$demo/$(account_field "$user" p12)
p12_password=$(account_field "$user" p12_password)
export CABUT_BENCH_PASSWORD=$password CABUT_BENCH_P12_PASSWORD=$p12_password

openssl pkcs12 -in "$p12" -passin env:CABUT_BENCH_P12_PASSWORD -nokeys -clcerts -out "$tmp/cert.pem"
openssl pkcs12 -in "$p12" -passin env:CABUT_BENCH_P12_PASSWORD -nocerts -nodes -out "$tmp/key.pem" 2>/dev/null
awk '/-----BEGIN CERTIFICATE-----/ { n++ } n == 1 { print } /-----END CERTIFICATE-----/ && n == 1 { exit }' \
  "$demo/ca.pem" >"$tmp/issuing.pem"

urlencode_b64 () { openssl base64 -A -in "$1" | sed -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/=/%3D/g'; }

# ---------------------------------------------------------------------------
# Load generation

field () { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

# run_load URL [VAR=value…]: prints the BENCH line of ocsp.lua.
run_load () {
  local target=$1; shift
  if have wrk; then
    env "$@" wrk -t"$threads" -c"$connections" -d"${duration}s" -s "$lua" "$target" >"$tmp/wrk.out" 2>&1 ||
      { cat "$tmp/wrk.out" >&2; return 1; }
    grep '^BENCH ' "$tmp/wrk.out" | tail -n 1
  else
    # curl --parallel in one process: no per-request start-up.
    local n=$((duration * 200)) i body="" type="" close="" start end
    for kv in "$@"; do
      case $kv in
        BENCH_BODY=*) body=${kv#BENCH_BODY=} ;;
        BENCH_TYPE=*) type=${kv#BENCH_TYPE=} ;;
        BENCH_CLOSE=1) close=1 ;;
      esac
    done
    # Options are per transfer only between `next`s.
    : >"$tmp/curl.cfg"
    for ((i = 0; i < n; i++)); do
      (( i == 0 )) || echo next >>"$tmp/curl.cfg"
      printf 'url = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code} %%{size_download}\\n"\n' \
        "$target" >>"$tmp/curl.cfg"
      if [[ -n $body ]]; then
        printf 'data-binary = "@%s"\nheader = "Content-Type: %s"\n' "$body" "${type:-application/ocsp-request}" >>"$tmp/curl.cfg"
      fi
      [[ -z $close ]] || echo 'header = "Connection: close"' >>"$tmp/curl.cfg"
    done
    start=$EPOCHREALTIME
    curl -s --no-progress-meter --parallel --parallel-max "$connections" -K "$tmp/curl.cfg" >"$tmp/curl.codes"
    end=$EPOCHREALTIME
    # An OCSP error answer (malformedRequest…) is 5 bytes: count it as an error.
    awk -v n="$n" -v s="$start" -v e="$end" '$1 != 200 || $2 < 8 { bad++ }
      END { printf "BENCH rps=%.1f requests=%d errors=0 read_errors=0 non2xx=%d p50_ms=nan p99_ms=nan\n", n / (e - s), n, bad + 0 }' \
      "$tmp/curl.codes"
  fi
}

# how_load LINE [EXTRA [CLOSES]]: CLOSES=1 when the server closes every
# connection without announcing it; wrk then counts each close as a read error.
how_load () {
  local line=$1 extra=${2:-} closes=${3:-0} how errors reads
  if have wrk; then
    how="wrk -t$threads -c$connections -d${duration}s; p50 $(field p50_ms "$line") ms, p99 $(field p99_ms "$line") ms"
  else
    how="curl --parallel-max $connections, $(field requests "$line") requests"
  fi
  reads=$(field read_errors "$line"); reads=${reads:-0}
  errors=$(( $(field errors "$line") + $(field non2xx "$line") ))
  if [[ $closes = 1 ]]; then
    (( reads == 0 )) || how="$how; $reads unannounced closes (wrk's read errors: the answer lacks \`Connection: close\`; every answer arrived)"
  else
    errors=$(( errors + reads ))
  fi
  (( errors == 0 )) || how="$how; **$errors errors**"
  printf '%s%s' "$how" "${extra:+; $extra}"
}

rps () { printf '%s req/s' "$(field rps "$1")"; }

# ---------------------------------------------------------------------------
# OCSP: cabut-server

openssl ocsp -issuer "$tmp/issuing.pem" -cert "$tmp/cert.pem" -reqout "$tmp/req.der" -no_nonce >/dev/null
get_path=$(urlencode_b64 "$tmp/req.der")

# One answer first, checked like a client would: signature and status.
openssl ocsp -issuer "$tmp/issuing.pem" -cert "$tmp/cert.pem" -url "$url/pki/ocsp" \
  -CAfile "$demo/ca.pem" -no_nonce >"$tmp/check.txt" 2>&1 || true
grep -q 'Response verify OK' "$tmp/check.txt" && grep -q ': good' "$tmp/check.txt" ||
  { cat "$tmp/check.txt" >&2; die "cabut-server's OCSP answer does not verify"; }
curl -s -o "$tmp/get.der" "$url/pki/ocsp/$get_path"
openssl ocsp -respin "$tmp/get.der" -issuer "$tmp/issuing.pem" -cert "$tmp/cert.pem" -CAfile "$demo/ca.pem" \
  2>&1 | grep -q ': good' || die "cabut-server's OCSP answer to GET is not good"

cabut_bits=$(openssl x509 -in "$tmp/issuing.pem" -noout -text | sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p')
peer_bits=$(openssl x509 -in "$fixtures/ca-issuing.pem" -noout -text | sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p')

say "OCSP POST against cabut-server (${duration}s)"
line=$(run_load "$url/pki/ocsp" BENCH_BODY="$tmp/req.der")
row "OCSP POST, cabut-server" "$(rps "$line")" "$(how_load "$line" "keep-alive; RSA-$cabut_bits responder key, every answer signed afresh")"

say "OCSP GET (RFC 5019) against cabut-server"
line=$(run_load "$url/pki/ocsp/$get_path")
row "OCSP GET /pki/ocsp/{base64}, cabut-server" "$(rps "$line")" "$(how_load "$line" "keep-alive")"

say "OCSP POST against cabut-server, one connection per request"
line=$(run_load "$url/pki/ocsp" BENCH_BODY="$tmp/req.der" BENCH_CLOSE=1)
row "OCSP POST, cabut-server, new connection each" "$(rps "$line")" \
  "$(how_load "$line" "Connection: close, as the peer below works" 1)"

say "GET /api/v1/health against cabut-server (HTTP baseline, no crypto)"
line=$(run_load "$url/api/v1/health")
row "GET /api/v1/health, cabut-server" "$(rps "$line")" "$(how_load "$line" "libsoup + JSON, no database, no crypto")"

# ---------------------------------------------------------------------------
# OCSP: openssl ocsp as the peer, in a network namespace of its own (it
# binds every interface and cannot be told otherwise).

cat >"$tmp/peer.sh" <<'EOF'
# peer.sh INDEX RSIGNER RKEY CA CHAIN CERT REQ OUT LUA THREADS CONNECTIONS DURATION
# Runs inside `unshare -n`: a network namespace with nothing but loopback.
set -euo pipefail
index=$1 rsigner=$2 rkey=$3 ca=$4 chain=$5 cert=$6 req=$7 out=$8 lua=$9
threads=${10} connections=${11} duration=${12}
port=8888
pid=
ip link set lo up

# When a wrk run ends, the connections wrk opened but did not use yet are
# closed empty, and `openssl ocsp` 3.0 then spins on one of them for ever
# (openssl/openssl#31129): a fresh responder for every run.
start_peer () {
  openssl ocsp -index "$index" -port "$port" -rsigner "$rsigner" -rkey "$rkey" -CA "$ca" -ignore_err \
    >>"$out.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -s -o "$out.resp" -H 'Content-Type: application/ocsp-request' --data-binary @"$req" \
      "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  return 1
}
stop_peer () {
  [[ -z $pid ]] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  pid=
}
trap stop_peer EXIT

start_peer
if openssl ocsp -respin "$out.resp" -issuer "$ca" -cert "$cert" -CAfile "$chain" 2>&1 | grep -q ': good'; then
  echo "CHECK ok"
else
  echo "CHECK failed"
fi
BENCH_BODY=$req wrk -t"$threads" -c"$connections" -d"${duration}s" -s "$lua" "http://127.0.0.1:$port/" |
  sed -n 's/^BENCH /POST /p'
stop_peer

start_peer
get=$(openssl base64 -A -in "$req" | sed -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/=/%3D/g')
wrk -t"$threads" -c"$connections" -d"${duration}s" -s "$lua" "http://127.0.0.1:$port/$get" |
  sed -n 's/^BENCH /GET /p'
stop_peer
EOF

peer_note=
if ! have unshare || ! have ip || ! unshare -n true 2>/dev/null; then
  peer_note="skipped: needs \`unshare -n\` and \`ip\` (run as root) to keep \`openssl ocsp\`, which binds every interface, off the network"
elif ! have wrk; then
  peer_note="skipped: needs wrk"
fi

run_peer () {  # LABEL INDEX RSIGNER RKEY CA CHAIN CERT REQ BITS
  local label=$1 out
  out=$tmp/peer-$RANDOM
  say "OCSP against openssl ocsp ($label)"
  unshare -n bash "$tmp/peer.sh" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$out" "$lua" \
    "$threads" "$connections" "$duration" >"$out.bench" 2>"$out.err" || { cat "$out.err" >&2; }
  grep -q '^CHECK ok' "$out.bench" || say "warning: the peer's answer did not verify ($label)"
  local post get
  post=$(sed -n 's/^POST /BENCH /p' "$out.bench")
  get=$(sed -n 's/^GET /BENCH /p' "$out.bench")
  if [[ -n $post ]]; then
    row "OCSP POST, openssl ocsp ($label)" "$(rps "$post")" \
      "$(how_load "$post" "single process, HTTP/1.0, closes each connection; RSA-$9 key")"
  fi
  if [[ -n $get ]]; then
    row "OCSP GET, openssl ocsp ($label)" "$(rps "$get")" "$(how_load "$get")"
  fi
}

if [[ -n $peer_note ]]; then
  say "peer $peer_note"
  row "OCSP, openssl ocsp peer" "—" "$peer_note"
else
  # As asked: the fixtures' CA, its index, a request for rsa2048.pem.
  openssl ocsp -issuer "$fixtures/ca-issuing.pem" -cert "$fixtures/rsa2048.pem" -reqout "$tmp/peer-req.der" \
    -no_nonce >/dev/null
  cp "$fixtures/ca-index.txt" "$tmp/peer-index.txt"
  run_peer "tests/fixtures CA" "$tmp/peer-index.txt" "$fixtures/ca-issuing.pem" "$fixtures/ca-issuing.key" \
    "$fixtures/ca-issuing.pem" "$fixtures/ca-chain.pem" "$fixtures/rsa2048.pem" "$tmp/peer-req.der" "$peer_bits"

  # Like for like: the demo CA's own key and the very request cabut-server got.
  serial=$(openssl x509 -in "$tmp/cert.pem" -noout -serial | sed 's/^serial=//')
  expiry=$(date -u -d "$(openssl x509 -in "$tmp/cert.pem" -noout -enddate | sed 's/^notAfter=//')" +%y%m%d%H%M%SZ)
  printf 'V\t%s\t\t%s\tunknown\t/CN=bench\n' "$expiry" "$serial" >"$tmp/demo-index.txt"
  run_peer "demo CA key, same request" "$tmp/demo-index.txt" "$tmp/data/ca/issuing-ca.pem" \
    "$tmp/data/ca/issuing-ca.key" "$tmp/issuing.pem" "$demo/ca.pem" "$tmp/cert.pem" "$tmp/req.der" "$cabut_bits"
fi

# The ceiling for a responder that signs every answer on one core.
if speed=$(openssl speed -seconds 2 "rsa$peer_bits" "rsa$cabut_bits" 2>/dev/null); then
  for bits in $(printf '%s\n' "$peer_bits" "$cabut_bits" | sort -un); do
    sign=$(awk -v b="$bits" '$1 == "rsa" && $2 == b && $3 == "bits" { print $6 }' <<<"$speed")
    [[ -n $sign ]] && row "RSA-$bits signatures, one core" "$sign sign/s" "openssl speed -seconds 2 rsa$bits (the ceiling of a single-threaded responder)"
  done
fi

# ---------------------------------------------------------------------------
# Sign-in

printf '{"username":"%s","password":"%s"}' "$user" "$password" >"$tmp/signin.json"
chmod 600 "$tmp/signin.json"
say "sign-in latency ($signin_runs sign-ins)"
: >"$tmp/signin.times"
for ((i = 0; i < signin_runs; i++)); do
  curl -s -o "$tmp/session.json" -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/json' \
    --data-binary @"$tmp/signin.json" "$url/api/v1/session" >>"$tmp/signin.times"
done
grep -qv '^201 ' "$tmp/signin.times" && die "sign-in failed: $(cat "$tmp/signin.times")"
token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$tmp/session.json")
signin=$(awk '{ print $2 * 1000 }' "$tmp/signin.times" | sort -n |
         awk '{ v[NR] = $1 } END { printf "%.0f ms (min %.0f, max %.0f)", v[int((NR + 1) / 2)], v[1], v[NR] }')
row "Sign-in latency (POST /api/v1/session)" "$signin" "median of $signin_runs with curl; scrypt N=2^15 r=8 in a worker thread"

# ---------------------------------------------------------------------------
# Submissions through the CLI: each is a process that loads the PKCS#12 file,
# signs in (scrypt), signs the metadata, uploads and signs out.

letter=$tmp/letter.pdf
new_letter () {  # a distinct letter each time, so that none is deduplicated
  { printf '%%PDF-1.4\n%% cabut bench letter\n'; head -c $((letter_kib * 1024)) /dev/urandom; printf '\n%%%%EOF\n'; } >"$1"
}
new_letter "$letter"

q () { printf '%q ' "$@"; }
cli_base=$(q "$cli" --server "$url" --user "$user" --password-env CABUT_BENCH_PASSWORD)
submit_cmd="$cli_base --json submit --cert $(q "$p12") --cert-password-env CABUT_BENCH_P12_PASSWORD --reason superseded --letter $(q "$letter") --note bench >$(q "$tmp/last.json")"

cat >"$tmp/cancel-last.sh" <<EOF
#!/usr/bin/env bash
# Cancels the request in last.json, if any, so the certificate is free again.
set -e
if [[ -s $(q "$tmp/last.json") ]]; then
  id=\$(sed -n 's/^  "id" : "\(CBT-[^"]*\)".*/\1/p' $(q "$tmp/last.json") | head -n 1)
  rm -f $(q "$tmp/last.json")
  [[ -z \$id ]] || $cli_base cancel "\$id" >/dev/null
fi
EOF
cat >"$tmp/prepare-submit.sh" <<EOF
#!/usr/bin/env bash
set -e
bash $(q "$tmp/cancel-last.sh")
{ printf '%%PDF-1.4\n%% cabut bench letter\n'; head -c $((letter_kib * 1024)) /dev/urandom; printf '\n%%%%EOF\n'; } >$(q "$letter")
EOF
cat >"$tmp/submit-one.sh" <<EOF
#!/usr/bin/env bash
set -e
bash $(q "$tmp/prepare-submit.sh")
$submit_cmd
EOF

# One by hand first, so that a failure shows its message.
bash -c "$submit_cmd" || die "cabut-cli submit failed"
grep -q '"key_possession" : true' "$tmp/last.json" || say "warning: the CLI's submission has no proof of key possession"
bash "$tmp/cancel-last.sh"

mean_ms () { sed -n 's/^ *"mean": *\([0-9.e+-]*\),*$/\1/p' "$1" | head -n 1 | awk '{ printf "%.0f", $1 * 1000 }'; }
sd_ms () { sed -n 's/^ *"stddev": *\([0-9.e+-]*\),*$/\1/p' "$1" | head -n 1 | awk '{ printf "%.0f", $1 * 1000 }'; }
per_s () { awk -v ms="$1" 'BEGIN { printf "%.2f", 1000 / ms }'; }

if have hyperfine; then
  say "CLI submit, $submit_runs runs (hyperfine)"
  hyperfine --style basic --runs "$submit_runs" --warmup 1 --prepare "bash $(q "$tmp/prepare-submit.sh")" \
    --export-json "$tmp/submit.json" "$submit_cmd" >"$tmp/hyperfine-submit.out" 2>&1 ||
    { cat "$tmp/hyperfine-submit.out" >&2; die "hyperfine (submit) failed"; }
  submit_ms=$(mean_ms "$tmp/submit.json"); submit_sd=$(sd_ms "$tmp/submit.json")
  say "CLI cancel, $submit_runs runs (hyperfine)"
  hyperfine --style basic --runs "$submit_runs" --prepare "bash $(q "$tmp/submit-one.sh")" \
    --export-json "$tmp/cancel.json" "bash $(q "$tmp/cancel-last.sh")" >"$tmp/hyperfine-cancel.out" 2>&1 ||
    { cat "$tmp/hyperfine-cancel.out" >&2; die "hyperfine (cancel) failed"; }
  cancel_ms=$(mean_ms "$tmp/cancel.json"); cancel_sd=$(sd_ms "$tmp/cancel.json")
  tool="hyperfine --runs $submit_runs"
else
  say "CLI submit and cancel, $submit_runs runs (bash loop)"
  bash "$tmp/cancel-last.sh"
  : >"$tmp/submit.times"; : >"$tmp/cancel.times"
  for ((i = 0; i < submit_runs; i++)); do
    new_letter "$letter"
    t0=$EPOCHREALTIME; bash -c "$submit_cmd"; t1=$EPOCHREALTIME
    bash "$tmp/cancel-last.sh"; t2=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) * 1000 }' >>"$tmp/submit.times"
    awk -v a="$t1" -v b="$t2" 'BEGIN { print (b - a) * 1000 }' >>"$tmp/cancel.times"
  done
  stats () { awk '{ s += $1; ss += $1 * $1 } END { m = s / NR; printf "%.0f %.0f\n", m, sqrt(ss / NR - m * m) }' "$1"; }
  read -r submit_ms submit_sd < <(stats "$tmp/submit.times")
  read -r cancel_ms cancel_sd < <(stats "$tmp/cancel.times")
  tool="bash loop, $submit_runs runs"
fi
bash "$tmp/cancel-last.sh"

row "Submissions/s **via cabut-cli, including its start-up**" "$(per_s "$submit_ms") /s ($submit_ms ± $submit_sd ms each)" \
  "$tool; one process per submission: PKCS#12, sign-in (scrypt), signed metadata, ${letter_kib} KiB letter, sign-out; cancel untimed"
row "Cancels/s via cabut-cli, including its start-up" "$(per_s "$cancel_ms") /s ($cancel_ms ± $cancel_sd ms each)" \
  "$tool; sign-in (scrypt), POST …/cancel, sign-out"
row "Submit + cancel cycles/s via cabut-cli" "$(per_s "$((submit_ms + cancel_ms))") /s" "sum of the two above"

# ---------------------------------------------------------------------------
# Submissions over HTTP with curl, one token for all: what the service itself
# takes (plus a curl process per call).

serial=$(openssl x509 -in "$tmp/cert.pem" -noout -serial | sed 's/^serial=//')
subject=$(openssl x509 -in "$tmp/cert.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
subject_json=$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' <<<"$subject")
printf '{"serial":"%s","subject":"%s","reason":"superseded","note":"bench"}' "$serial" "$subject_json" >"$tmp/meta.json"
openssl dgst -sha256 -sign "$tmp/key.pem" "$tmp/meta.json" | openssl base64 -A >"$tmp/meta.sig"

say "HTTP submit and cancel with curl, $submit_runs runs"
for ((i = 0; i < submit_runs; i++)); do new_letter "$tmp/letter-$i.pdf"; done
: >"$tmp/http-submit.times"; : >"$tmp/http-cancel.times"
for ((i = 0; i < submit_runs; i++)); do
  t0=$EPOCHREALTIME
  code=$(curl -s -o "$tmp/http-last.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
           -H "Idempotency-Key: bench-$$-$i" \
           -F "metadata=@$tmp/meta.json;type=application/json" -F "signature=<$tmp/meta.sig" \
           -F "letter=@$tmp/letter-$i.pdf;type=application/pdf" "$url/api/v1/requests")
  t1=$EPOCHREALTIME
  [[ $code = 201 ]] || die "HTTP submit answered $code: $(cat "$tmp/http-last.json")"
  (( i > 0 )) || grep -q '"key_possession":true' "$tmp/http-last.json" ||
    say "warning: the signature over the metadata was not accepted"
  id=$(sed -n 's/^{"id":"\(CBT-[^"]*\)".*/\1/p' "$tmp/http-last.json")
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" "$url/api/v1/requests/$id/cancel")
  t2=$EPOCHREALTIME
  [[ $code = 200 ]] || die "HTTP cancel of $id answered $code"
  awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) * 1000 }' >>"$tmp/http-submit.times"
  awk -v a="$t1" -v b="$t2" 'BEGIN { print (b - a) * 1000 }' >>"$tmp/http-cancel.times"
done
mean_of () { awk '{ s += $1 } END { printf "%.1f", s / NR }' "$1"; }
http_submit=$(mean_of "$tmp/http-submit.times")
http_cancel=$(mean_of "$tmp/http-cancel.times")
row "Submissions/s over HTTP (curl, token reused)" "$(per_s "$http_submit") /s ($http_submit ms each)" \
  "$submit_runs sequential multipart POSTs, signed metadata, distinct ${letter_kib} KiB letters (written + fsynced), a curl process each"
row "Cancels/s over HTTP (curl)" "$(per_s "$http_cancel") /s ($http_cancel ms each)" "POST …/cancel, a curl process each"

# ---------------------------------------------------------------------------
# Report

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
  echo "## Cabut benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) CPUs, ${cpu:-unknown CPU}; $(uname -sr); $(openssl version | cut -d' ' -f1-2)."
  echo "Load generator and server share the machine; everything on 127.0.0.1."
  echo
  echo "| What | Value | How |"
  echo "|---|---|---|"
  for r in "${rows[@]}"; do
    IFS='|' read -r what value how <<<"$r"
    echo "| $what | $value | $how |"
  done
} | tee "${BENCH_OUTPUT:-/dev/null}"
