#!/usr/bin/env python3
"""The users of bench/switch.sh: threads that place orders with the shop app over HTTP.

usage: client.py --url ADDR:PORT --log FILE --stop FILE [--clients 5] [--interval 0.1] --prefix P

Each thread P-cI posts order n = 1, 2, ... to /orders, one at a time, a new one `interval` after
the previous one started (or at once when it took longer), and appends one JSON line per attempt:
"t" when it was sent, "e" when the answer came (the acknowledgement time of a 201), "c", "n",
"s" (HTTP status, 0 when the connection failed or timed out), "id" and "err". Only a 201 is an
acknowledged write; n is never reused. A request waits up to 15 s for its answer: a client that
is held waits. Stops when the stop file exists. Talks only to the test address, after `ip route
get` shows it going through the test bridge.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time

BRIDGE = "cutbr0"


def client(name, addr, port, interval, stop, log, lock):
    n = 0
    while not os.path.exists(stop):
        n += 1
        started = time.time()
        entry = {"t": round(started, 4), "c": name, "n": n, "s": 0}
        try:
            conn = http.client.HTTPConnection(addr, port, timeout=15)
            conn.request("POST", "/orders", body=json.dumps({"client": name, "n": n}),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            raw = resp.read()
            entry["s"] = resp.status
            try:
                answer = json.loads(raw)
                if resp.status == 201:
                    entry["id"] = answer.get("id")
                else:
                    entry["err"] = answer.get("error")
            except ValueError:
                entry["err"] = raw[:80].decode(errors="replace").strip()
            conn.close()
        except (OSError, http.client.HTTPException) as e:
            entry["err"] = f"{type(e).__name__}: {e}"
        entry["e"] = round(time.time(), 4)
        with lock:
            log.write(json.dumps(entry) + "\n")
            log.flush()
        time.sleep(max(0.0, interval - (time.time() - started)))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="ADDR:PORT of the app")
    p.add_argument("--log", required=True)
    p.add_argument("--stop", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--clients", type=int, default=5)
    p.add_argument("--interval", type=float, default=0.1)
    a = p.parse_args()
    addr, port = a.url.rsplit(":", 1)
    out = subprocess.run(["ip", "-o", "route", "get", addr], capture_output=True, text=True).stdout
    if not out.startswith(f"{addr} dev {BRIDGE} "):
        sys.exit(f"client: route to {addr} does not go through {BRIDGE}: {out.strip()}")
    lock = threading.Lock()
    with open(a.log, "a") as log:
        threads = [threading.Thread(target=client, args=(f"{a.prefix}-c{i}", addr, int(port), a.interval,
                                                         a.stop, log, lock))
                   for i in range(1, a.clients + 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


if __name__ == "__main__":
    main()
