#!/usr/bin/python3
"""notes: the web app of the full end-to-end scenario (e2e/full-move.sh).

It lives in /srv/app on a namespace host (the migration copies it to new with the rest of
/srv/app), listens on 127.0.0.1:8080 behind that host's nginx, and keeps its data in the host's
own PostgreSQL (127.0.0.1:5432, database shop, role app; etc/db.env holds the connection) and
its uploads under /srv/app/data/uploads:

  POST /notes {"client": "c1", "n": 7, "text": "..."}
        writes data/uploads/c1/7.txt (fsync'd), then inserts the row (client, n) and commits;
        201 {"id": ID, "host": "old"} only after both. A (client, n) that exists answers 409.
  GET  /notes/CLIENT/N   200 the row, 404 if absent
  GET  /health           200 {"host": ..., "notes": COUNT} while the database answers, else 503

Run by webctl (start|stop|status). Uses Debian's python3 and python3-psycopg2.
"""
import json
import os
import re
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import psycopg2.errors
import psycopg2.pool

APP = os.path.dirname(os.path.abspath(__file__))
UPLOADS = os.path.join(APP, "data", "uploads")
LISTEN = ("127.0.0.1", 8080)
NAME = re.compile(r"^[a-z0-9-]{1,32}$")


def read_host():
    try:
        with open("/srv/cutover-host") as f:
            return f.read().strip()
    except OSError:
        return os.uname().nodename


HOST = read_host()


def read_dsn():
    # etc/db.env: KEY=VALUE lines (host, port, dbname, user, password), mode 0600.
    conf = {}
    with open(os.path.join(APP, "etc", "db.env")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                conf[k.strip()] = v.strip()
    return conf


class Db:
    """A small pool; a connection that failed is closed, not reused (the server may be gone)."""

    def __init__(self, conf):
        self.pool = psycopg2.pool.ThreadedConnectionPool(0, 8, connect_timeout=2,
                                                         application_name="notes-app", **conf)

    def run(self, fn):
        conn = self.pool.getconn()
        ok = False
        try:
            with conn:
                with conn.cursor() as cur:
                    result = fn(cur)
            ok = True
            return result
        finally:
            self.pool.putconn(conn, close=not ok or conn.closed != 0)


DB = None


def write_upload(client, n, text):
    d = os.path.join(UPLOADS, client)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, f"{n}.txt")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # one line per request would drown the log
        pass

    def reply(self, status, body):
        data = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        try:
            if self.path == "/health":
                count = DB.run(lambda c: (c.execute("select count(*) from notes"), c.fetchone()[0])[1])
                return self.reply(200, {"host": HOST, "notes": count})
            m = re.match(r"^/notes/([a-z0-9-]{1,32})/([0-9]{1,9})$", self.path)
            if m:
                def get(c):
                    c.execute("select id, client, n, text, host from notes where client = %s and n = %s",
                              (m.group(1), int(m.group(2))))
                    return c.fetchone()
                row = DB.run(get)
                if row is None:
                    return self.reply(404, {"host": HOST, "error": "no such note"})
                return self.reply(200, dict(zip(("id", "client", "n", "text", "host"), row)) | {"served_by": HOST})
            return self.reply(404, {"host": HOST, "error": "not found"})
        except psycopg2.Error as e:
            return self.reply(503, {"host": HOST, "error": str(e).strip().splitlines()[0]})

    def do_POST(self):
        if self.path != "/notes":
            return self.reply(404, {"host": HOST, "error": "not found"})
        try:
            length = int(self.headers.get("Content-Length", "0"))
            note = json.loads(self.rfile.read(length))
            client, n, text = note["client"], int(note["n"]), str(note["text"])
            if not NAME.match(client) or n < 1:
                raise ValueError("client must be [a-z0-9-]{1,32} and n >= 1")
        except (ValueError, KeyError, TypeError) as e:
            return self.reply(400, {"host": HOST, "error": f"bad note: {e}"})
        try:
            write_upload(client, n, text)

            def insert(c):
                c.execute("insert into notes (client, n, text, host) values (%s, %s, %s, %s) returning id",
                          (client, n, text, HOST))
                return c.fetchone()[0]
            note_id = DB.run(insert)
            return self.reply(201, {"id": note_id, "host": HOST})
        except psycopg2.errors.UniqueViolation as e:
            if e.diag.constraint_name == "notes_client_n_key":
                return self.reply(409, {"host": HOST, "error": f"note {client}/{n} exists"})
            # Another key (the id: a sequence that did not move with the data) is the server's fault.
            return self.reply(500, {"host": HOST, "error": str(e).strip().splitlines()[0]})
        except (psycopg2.Error, OSError) as e:
            return self.reply(503, {"host": HOST, "error": str(e).strip().splitlines()[0]})


def main():
    global DB
    DB = Db(read_dsn())
    server = ThreadingHTTPServer(LISTEN, Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"notes app on {HOST} listening on {LISTEN[0]}:{LISTEN[1]}", flush=True)
    server.serve_forever()
    print("notes app stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
