# tests/bench/listing.py: the client side of tests/bench/listing.sh.
#   listing.py fill DATA COUNT                  add COUNT requests to DATA/cabut.db
#   listing.py cycle DATA URL RUNS LABEL WHEN   time filing + cancelling
#   listing.py list DATA URL RUNS LABEL COUNT   time the queue's pages, counts and searches
import json
import os
import sqlite3
import statistics
import sys
import time
import urllib.parse
import urllib.error
import urllib.request
import uuid


def accounts(data):
    with open(os.path.join(data, "demo", "accounts.json")) as f:
        return {a["username"]: a for a in json.load(f)}


def call(url, method, path, token=None, body=None, content_type="application/json"):
    req = urllib.request.Request(url + path, method=method, data=body)
    req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=300) as r:
        return r.read()


def sign_in(url, data, user):
    password = accounts(data)[user]["password"]
    body = json.dumps({"username": user, "password": password}).encode()
    return json.loads(call(url, "POST", "api/v1/session", body=body))["token"]


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.monotonic()
        result = fn()
        times.append((time.monotonic() - t0) * 1000)
    return statistics.median(times), result


def fill(data, count):
    db = sqlite3.connect(os.path.join(data, "cabut.db"), timeout=30)
    issuer = db.execute("SELECT issuer FROM certificates LIMIT 1").fetchone()[0]
    db.execute("BEGIN")
    first = db.execute("SELECT coalesce(max(id), 0) FROM accounts").fetchone()[0] + 1
    db.executemany("INSERT INTO accounts (username, full_name, nik, nip, role, password_hash, created_at) "
                   "VALUES (?, ?, ?, ?, 'applicant', 'x', 0)",
                   (("bench.%d" % i, "Pegawai Contoh %d" % i, "99%014d" % i, "19%016d" % i)
                    for i in range(1000)))
    db.executemany("INSERT INTO certificates (account_id, serial, issuer, subject, subject_der, not_before, "
                   "not_after) VALUES (?, ?, ?, 'CN=Contoh', X'3000', 0, 1)",
                   ((first + i % 1000, "BE%08X" % i, issuer) for i in range(count)))
    cert0 = db.execute("SELECT min(id) FROM certificates WHERE serial LIKE 'BE%'").fetchone()[0]
    states = ["submitted", "in_review", "submitted", "revoked", "rejected", "submitted", "in_review",
              "cancelled", "submitted", "revoked"]
    db.executemany("INSERT INTO requests (number, account_id, certificate_id, reason, letter_sha256, "
                   "letter_type, letter_size, state, created_at, due_at) "
                   "VALUES (?, ?, ?, 1, 'x', 'application/pdf', 1, ?, ?, ?)",
                   (("CBT-2025-%07d" % i, first + i % 1000, cert0 + i, states[i % 10], 1700000000 + i,
                     1700000000 + i * 7 % 86400 * 30) for i in range(count)))
    db.commit()


def multipart(metadata, letter):
    boundary = uuid.uuid4().hex
    parts = [b"--" + boundary.encode(), b'Content-Disposition: form-data; name="metadata"', b"",
             json.dumps(metadata).encode(), b"--" + boundary.encode(),
             b'Content-Disposition: form-data; name="letter"; filename="surat.pdf"',
             b"Content-Type: application/pdf", b"", letter, b"--" + boundary.encode() + b"--", b""]
    return b"\r\n".join(parts), "multipart/form-data; boundary=" + boundary


def cycle(data, url, runs, label, when):
    token = sign_in(url, data, "agus.wijaya")
    db = sqlite3.connect(os.path.join(data, "cabut.db"), timeout=30)
    serial, subject = db.execute("SELECT c.serial, c.subject FROM certificates c JOIN accounts a "
                                 "ON a.id = c.account_id WHERE a.username = 'agus.wijaya'").fetchone()
    db.close()

    def one():
        letter = b"%PDF-1.4\n% " + uuid.uuid4().hex.encode() + b"\n%%EOF\n"
        body, content_type = multipart({"serial": serial, "subject": subject, "reason": "superseded"}, letter)
        number = json.loads(call(url, "POST", "api/v1/requests", token, body, content_type))["id"]
        call(url, "POST", "api/v1/requests/%s/cancel" % number, token, b"{}")

    median, _ = timed(one, runs)
    print("| %s | file + cancel, %s | %.1f ms | %.1f cycles/s |" % (label, when, median, 1000 / median))


def list_(data, url, runs, label, count):
    token = sign_in(url, data, "dewi.verifikator")

    def page(query):
        return json.loads(call(url, "GET", "api/v1/queue?" + query, token))

    median, first = timed(lambda: page("state=open&limit=50"), runs)
    size = len(json.dumps(first))
    print("| %s | queue, first page of 50 (of %s requests) | %.1f ms | %d requests, %d bytes |" % (
        label, count, median, len(first["requests"]), size))

    if first.get("next") is not None:
        cursor = first["next"]
        for _ in range(98):
            cursor = page("state=open&limit=50&cursor=" + urllib.parse.quote(cursor))["next"]
        median, hundredth = timed(lambda: page("state=open&limit=50&cursor=" + urllib.parse.quote(cursor)), runs)
        print("| %s | queue, 100th page of 50 | %.1f ms | %d requests |" % (
            label, median, len(hundredth["requests"])))

    try:
        median, counts = timed(lambda: json.loads(call(url, "GET", "api/v1/queue/counts", token)), runs)
        print("| %s | queue counts, every state and the overdue (of %s requests) | %.1f ms | %d open, %d overdue |" % (
            label, count, median, counts["open"], counts["overdue"]))
    except urllib.error.HTTPError as e:
        print("| %s | queue counts | — | not served (%d) |" % (label, e.code))

    for what, q in (("number", "CBT-2025-0050000"), ("serial", "be0000c350"), ("NIP", "19%016d" % 500),
                    ("part of a name", "contoh 77")):
        median, found = timed(lambda: page("state=all&limit=50&q=" + urllib.parse.quote(q)), runs)
        print("| %s | search by %s | %.1f ms | %d requests on the first page |" % (
            label, what, median, len(found["requests"])))


if __name__ == "__main__":
    verb = sys.argv[1]
    if verb == "fill":
        fill(sys.argv[2], int(sys.argv[3]))
    elif verb == "cycle":
        cycle(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        list_(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
