#!/usr/bin/env python3
"""bench-push-wrk.py: requests/s of POST /v1/ops under wrk (Debian's wrk).

Starts the real joren-server ($JOREN_SERVER) on a free port, pairs one
register per wrk connection, and prepares for each register a file of push
bodies: batches of unique ops (random op ids and sale uuids, gapless seq,
the payload hash of the canonical JSON). wrk runs one connection per
thread, each posting its own register's bodies in order, so every request
is a real, applied batch (once a file runs out its bodies come round again
and are answered "duplicate": the replay path). Prints requests/s, sales/s
and the applied sales counted in the server's database. A figure, not a
pass/fail timing. JOREN_BENCH_SMALL=1 runs 3 s instead of 10."""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

# Each thread follows its register's next_seq from the answers, so a
# request wrk sends before the previous answer or after a reconnect
# cannot leave a gap that makes every later batch a cheap rejection.
LUA = r"""
local bodies, token, batch, n = {}, nil, 1, 0
local index = 0
function setup(thread)
  index = index + 1
  thread:set("file", os.getenv("BENCH_DIR") .. "/register-" .. index)
end
function init(args)
  local f = assert(io.open(file))
  token = f:read("*l")
  batch = tonumber(f:read("*l"))
  for line in f:lines() do bodies[#bodies + 1] = line end
  f:close()
end
function request()
  n = n % #bodies + 1
  return wrk.format("POST", "/v1/ops", {["Content-Type"] = "application/json",
                    ["Authorization"] = "Bearer " .. token}, bodies[n])
end
function response(status, headers, body)
  local next_seq = tonumber(body:match('"next_seq":(%d+)'))
  if next_seq then n = math.floor((next_seq - 1) / batch) end
end
"""


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sale(number):
    lines = [{"product_id": i + 1, "name": "Item %d" % i, "qty": 1, "unit_price": 100 * (i + 1),
              "amount": 100 * (i + 1), "rate_bp": 1000} for i in range(3)]
    total = sum(line["amount"] for line in lines)
    return {"uuid": str(uuid.uuid4()), "receipt_no": "R1-%06d" % number,
            "created_at": int(time.time() * 1e6), "staff_id": 3, "total": total,
            "tax_total": total // 11, "lines": lines,
            "tenders": [{"kind": "cash", "amount": total}]}


def batches(count, size):
    seq = 1
    for _ in range(count):
        ops = []
        for _ in range(size):
            payload = sale(seq)
            ops.append({"op_id": str(uuid.uuid4()), "seq": seq, "kind": "sale", "payload": payload,
                        "payload_hash": hashlib.sha256(canonical(payload).encode()).hexdigest()})
            seq += 1
        yield canonical({"ops": ops})


def start_server(db):
    process = subprocess.Popen([os.environ["JOREN_SERVER"], "--db", db, "--port", "0", "--demo"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if line.startswith("listening on "):
            return process, "http://" + line.split()[-1]
    raise SystemExit("joren-server exited before listening")


def pair(base, db):
    code = subprocess.run([os.environ["JOREN_SERVER"], "--db", db, "--new-pairing-code", "1"],
                          capture_output=True, text=True, check=True).stdout.strip()
    request = urllib.request.Request(base + "/v1/pair", method="POST",
                                     data=json.dumps({"code": code, "name": "wrk"}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        return json.loads(reply.read())["token"]


def run(connections, batch, seconds, tmp):
    db = os.path.join(tmp, "server-%d.db" % batch)
    server, base = start_server(db)
    try:
        for n in range(1, connections + 1):
            with open(os.path.join(tmp, "register-%d" % n), "w") as out:
                out.write(pair(base, db) + "\n%d\n" % batch)
                for body in batches((60000 if seconds > 3 else 15000) // batch, batch):
                    out.write(body + "\n")
        script = os.path.join(tmp, "push.lua")
        with open(script, "w") as out:
            out.write(LUA)
        result = subprocess.run(["wrk", "-t%d" % connections, "-c%d" % connections, "-d%ds" % seconds,
                                 "-s", script, base + "/v1/ops"],
                                capture_output=True, text=True, env=dict(os.environ, BENCH_DIR=tmp),
                                check=True).stdout
    finally:
        server.terminate()
        server.wait(30)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1))
    errors = re.search(r"Socket errors:.*|Non-2xx.*", result)
    if errors:
        print("# wrk: " + errors.group(0))
    with sqlite3.connect(db) as conn:
        applied = conn.execute("SELECT count(*) FROM sales").fetchone()[0]
        for row in conn.execute("SELECT register_id, result, reason, count(*), min(seq), max(seq)"
                                " FROM inbox GROUP BY 1, 2, 3"):
            print("# inbox: register %s %s %s: %d ops, seq %d..%d" % row)
    print("# wrk -t%d -c%d %ds, %d sale(s) per request: %.0f requests/s, %.0f sales/s offered;"
          " %d sales applied (%.0f/s)" % (connections, connections, seconds, batch, rps, rps * batch,
                                          applied, applied / seconds))
    return applied


def main():
    if shutil.which("wrk") is None:
        print("1..0 # SKIP wrk is not installed (scripts/setup.sh)")
        return 77
    seconds = 3 if os.environ.get("JOREN_BENCH_SMALL") == "1" else 10
    with tempfile.TemporaryDirectory(prefix="joren-wrk-") as tmp:
        single = run(2, 1, seconds, tmp)
        batched = run(2, 50, seconds, tmp)
    print("ok 1 - push endpoint under wrk (1 and 50 sales per request)" if single > 0 and batched > 0
          else "not ok 1 - nothing was applied")
    print("1..1")
    return 0 if single > 0 and batched > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
