-- tests/bench/ocsp.lua: the wrk script of tests/bench/run.sh.
--
-- Environment:
--   BENCH_BODY   a file to send as the body of a POST (with BENCH_TYPE as its
--                Content-Type); without it the requests are plain GETs
--   BENCH_TYPE   Content-Type of the body (default application/ocsp-request)
--   BENCH_CLOSE  "1": ask for a new connection per request (Connection: close)
--
-- At the end it prints one line that run.sh reads:
--   BENCH rps=… requests=… errors=… read_errors=… non2xx=… p50_ms=… p99_ms=…
-- (errors: connect, write and timeout; read_errors apart, see run.sh)

-- wrk checks each address with a connect() and an immediate close() before
-- the run. `openssl ocsp` (3.0) then spins forever on that empty connection
-- and answers nobody (openssl/openssl#31129), so skip the check: the address
-- is a literal 127.0.0.1 anyway.
wrk.resolve = function(host, service)
  wrk.addrs = wrk.lookup(host, service)
end

local body_file = os.getenv("BENCH_BODY")
if body_file ~= nil and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = os.getenv("BENCH_TYPE") or "application/ocsp-request"
end

if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH rps=%.1f requests=%d errors=%d read_errors=%d non2xx=%d p50_ms=%.2f p99_ms=%.2f\n",
                         summary.requests / (summary.duration / 1e6), summary.requests,
                         e.connect + e.write + e.timeout, e.read, e.status,
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
