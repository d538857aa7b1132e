#!/usr/bin/env python3
"""The writing client of the full end-to-end scenario: users of www.cutover.test, from outside
both hosts (the root namespace), through the whole migration.

usage: client.py --dns HOST:PORT --log FILE --stop FILE [--clients 2] [--interval 0.1]

Each client thread resolves www.cutover.test at the authoritative server (dig, keeping the
answer for its TTL, as a caching resolver would), POSTs note n (1, 2, ...) to /notes at that
address with the Host header, and appends one JSON line per attempt to the log: time, client, n,
address, HTTP status (0 when the connection failed or timed out), the host that served it and
the note's id. Only a 201 is an acknowledged write. n is never reused, so an attempt whose
answer was lost may or may not exist on the server; an acknowledged one must.
Stops when the stop file exists. Sends only to the two test addresses, and only after
`ip route get` shows them going through the test bridge.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time

NAME = "www.cutover.test"
ADDRESSES = {"10.231.0.2", "10.231.0.3"}
BRIDGE = "cutbr0"


def assert_route(addr):
    out = subprocess.run(["ip", "-o", "route", "get", addr], capture_output=True, text=True).stdout
    if not out.startswith(f"{addr} dev {BRIDGE} "):
        sys.exit(f"client: route to {addr} does not go through {BRIDGE}: {out.strip()}")


class Resolver:
    """The A record of NAME as the server answers it, cached for its TTL."""

    def __init__(self, server):
        self.host, self.port = server.rsplit(":", 1)
        self.lock = threading.Lock()
        self.addr, self.until = None, 0.0

    def resolve(self):
        with self.lock:
            now = time.time()
            if self.addr is None or now >= self.until:
                out = subprocess.run(["dig", "+norec", "+noall", "+answer", "+time=1", "+tries=1",
                                      "-p", self.port, f"@{self.host}", NAME, "A"],
                                     capture_output=True, text=True).stdout.split()
                # "www.cutover.test. 2 IN A 10.231.0.2"
                if len(out) >= 5 and out[4] in ADDRESSES:
                    self.addr, self.until = out[4], now + max(int(out[1]), 1)
                elif self.addr is None:
                    raise RuntimeError(f"{NAME} does not resolve to a test address: {out}")
            return self.addr


def client(name, resolver, interval, stop, log, lock):
    n = 0
    while not stop():
        n += 1
        started = time.time()
        entry = {"t": started, "client": name, "n": n, "status": 0}
        try:
            addr = resolver.resolve()
            entry["addr"] = addr
            conn = http.client.HTTPConnection(addr, 80, timeout=3)
            body = json.dumps({"client": name, "n": n, "text": f"note {n} of {name} at {started:.3f}"})
            conn.request("POST", "/notes", body=body,
                         headers={"Host": NAME, "Content-Type": "application/json"})
            resp = conn.getresponse()
            raw = resp.read()
            entry["status"] = resp.status
            try:
                answer = json.loads(raw)
                entry["host"] = answer.get("host")
                entry["id"] = answer.get("id")
                if resp.status != 201:
                    entry["error"] = answer.get("error")
            except ValueError:
                entry["error"] = raw[:80].decode(errors="replace").strip()
            conn.close()
        except (OSError, http.client.HTTPException, RuntimeError) as e:
            entry["error"] = f"{type(e).__name__}: {e}"
        entry["took"] = round(time.time() - started, 4)
        with lock:
            log.write(json.dumps(entry) + "\n")
            log.flush()
        time.sleep(max(0.0, interval - (time.time() - started)))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dns", required=True, help="the authoritative server, HOST:PORT")
    p.add_argument("--log", required=True)
    p.add_argument("--stop", required=True, help="stop once this file exists")
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--interval", type=float, default=0.1, help="seconds between a client's writes")
    a = p.parse_args()
    for addr in sorted(ADDRESSES):
        assert_route(addr)
    resolver = Resolver(a.dns)
    lock = threading.Lock()
    stop = lambda: os.path.exists(a.stop)  # noqa: E731
    with open(a.log, "a") as log:
        threads = [threading.Thread(target=client, args=(f"c{i}", resolver, a.interval, stop, log, lock))
                   for i in range(1, a.clients + 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


if __name__ == "__main__":
    main()
