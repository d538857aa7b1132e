#!/usr/bin/python3
"""The shop app of bench/switch.sh: an HTTP service that takes orders and writes each to PostgreSQL.

Runs in the namespace host old (started by bench/switch.sh), listening on ADDR:PORT. Where it
connects is a file: ETC/target holds a word (old, new or bouncer) and ETC/db-WORD.env the
connection (KEY=VALUE lines: host, port, dbname, user, password; 0600). The target is read
again on every request (a stat), so a plan repoints the app by writing the target file, as a
config reload would; the connections to the former target are dropped.

  POST /orders {"client": "c1", "n": 7}
        one transaction: insert the order (client, n), add to a pgbench account's balance,
        commit; only then 201 {"id": ID}. 503 while MAINTENANCE exists or the database fails.
  GET  /health  200 {"target": WORD} while the database answers, else 503

A request waits for a connection of the pool (at most POOL at once) up to 10 s: while PgBouncer
holds the clients, requests wait here and there, not fail. Debian's python3 and psycopg2.
"""
import argparse
import json
import os
import queue
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import psycopg2.errors

POOL = 24
WAIT_FOR_CONNECTION = 10.0  # seconds a request waits for a free connection of the pool


def read_env(path):
    conf = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                conf[k.strip()] = v.strip()
    return conf


class Pool:
    """At most POOL connections to one target; a connection that failed is closed, not reused."""

    def __init__(self, target, conf):
        self.target, self.conf = target, conf
        self.idle = queue.LifoQueue()
        self.slots = threading.BoundedSemaphore(POOL)
        self.closed = False

    def run(self, fn):
        if not self.slots.acquire(timeout=WAIT_FOR_CONNECTION):
            raise TimeoutError("no free database connection within 10 s")
        conn, ok = None, False
        try:
            try:
                conn = self.idle.get_nowait()
            except queue.Empty:
                conn = psycopg2.connect(connect_timeout=3, application_name="bench-shop", **self.conf)
            with conn:
                with conn.cursor() as cur:
                    result = fn(cur)
            ok = True
            return result
        finally:
            if conn is not None:
                if ok and not self.closed and conn.closed == 0:
                    self.idle.put(conn)
                else:
                    conn.close()
            self.slots.release()

    def close(self):
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return


class App:
    def __init__(self, etc, maintenance):
        self.etc, self.maintenance = etc, maintenance
        self.lock = threading.Lock()
        self.pool, self.stamp = None, None

    def current(self):
        path = os.path.join(self.etc, "target")
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self.lock:
            if stamp != self.stamp:
                with open(path) as f:
                    target = f.read().strip()
                conf = read_env(os.path.join(self.etc, f"db-{target}.env"))
                if self.pool is not None:
                    self.pool.close()
                self.pool, self.stamp = Pool(target, conf), stamp
            return self.pool


APP = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path != "/health":
            return self.reply(404, {"error": "not found"})
        try:
            pool = APP.current()
            pool.run(lambda c: c.execute("select 1"))
            return self.reply(200, {"target": pool.target})
        except (psycopg2.Error, OSError, TimeoutError) as e:
            return self.reply(503, {"error": str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__})

    def do_POST(self):
        if self.path != "/orders":
            return self.reply(404, {"error": "not found"})
        try:
            length = int(self.headers.get("Content-Length", "0"))
            order = json.loads(self.rfile.read(min(length, 4096)))
            client, n = str(order["client"]), int(order["n"])
            if not (0 < len(client) <= 32) or n < 1:
                raise ValueError("client: 1 to 32 characters, n >= 1")
        except (ValueError, KeyError, TypeError) as e:
            return self.reply(400, {"error": f"bad order: {e}"})
        if os.path.exists(APP.maintenance):
            return self.reply(503, {"error": "maintenance"})

        def insert(c):
            c.execute("insert into orders (client, n) values (%s, %s) returning id", (client, n))
            order_id = c.fetchone()[0]
            c.execute("update pgbench_accounts set abalance = abalance + 1 where aid = %s", (order_id % 100000 + 1,))
            return order_id

        try:
            pool = APP.current()
            order_id = pool.run(insert)
            return self.reply(201, {"id": order_id, "target": pool.target})
        except psycopg2.errors.UniqueViolation as e:
            return self.reply(409, {"error": str(e).strip().splitlines()[0]})
        except (psycopg2.Error, OSError, TimeoutError) as e:
            msg = str(e).strip()
            return self.reply(503, {"error": msg.splitlines()[0] if msg else type(e).__name__})


def main():
    global APP
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", required=True, help="ADDR:PORT")
    p.add_argument("--etc", required=True, help="the directory of target and db-*.env")
    p.add_argument("--maintenance", required=True, help="the flag file of the maintenance page")
    a = p.parse_args()
    APP = App(a.etc, a.maintenance)
    addr, port = a.listen.rsplit(":", 1)
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer((addr, int(port)), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"bench shop app listening on {a.listen}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
