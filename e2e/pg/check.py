#!/usr/bin/env python3
"""After a migration with the load driver running (load.sh): what the client saw against the data.

usage: check.py LOAD_DIR [--json FILE] [--no-switch] [--db NAME]

Reads LOAD_DIR/runs and the pgbench -l logs, and the acked table on old and new (as postgres over
the clusters' sockets, from the E2E_PG_* environment of pg.sh env). Fails (exit 1) unless:
- the log and old agree: for each run and client on old, the rows are n = 1..M and the logged
  transactions are n = 1..K with M - K in {0, 1} (at most the one in flight when the connection
  was cut committed without an acknowledgement), so a logged line names its row;
- every transaction acknowledged on old is on new, and so is every row old has;
- with a switch (default): the client wrote on new afterwards, with sequence values above every
  value old used (no collision), and a fresh insert on new takes the next value without a
  conflict; no run on new failed on a duplicate key.
Prints one "figure:" line each: rows acknowledged vs present, the window between the last
acknowledged write on old and the first on new, and the failed attempts in between.
"""
import csv
import glob
import io
import json
import os
import subprocess
import sys


def fail(msg):
    print(f"check: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


DB = "shop"  # --db: another database loaded like shop (pg.sh add-db)


def psql(which, sql):
    env = dict(os.environ)
    cmd = [os.path.join(env["E2E_PG_BIN"], "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv",
           "-h", env[f"E2E_PG_{which.upper()}_SOCK"], "-p", env[f"E2E_PG_{which.upper()}_PORT"],
           "-U", "postgres", "-d", DB, "-c", sql]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"psql on {which}: {out.stderr.strip()}")
    rows = list(csv.reader(io.StringIO(out.stdout)))
    return rows[1:]


def main():
    global DB
    args = sys.argv[1:]
    if not args:
        fail(__doc__)
    load_dir = args[0]
    json_out = None
    expect_switch = True
    i = 1
    while i < len(args):
        if args[i] == "--json":
            json_out = args[i + 1]
            i += 2
        elif args[i] == "--db":
            DB = args[i + 1]
            i += 2
        elif args[i] == "--no-switch":
            expect_switch = False
            i += 1
        else:
            fail(f"unknown option {args[i]}")

    runs = {}
    failed_between = 0
    dup_key_on_new = []
    with open(os.path.join(load_dir, "runs")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            run, target, rc, start, end = int(parts[0]), parts[1], int(parts[2]), float(parts[3]), float(parts[4])
            err = parts[5] if len(parts) > 5 else ""
            runs[run] = {"target": target, "rc": rc, "start": start, "end": end, "err": err}
            if target == "new" and "duplicate key" in err:
                dup_key_on_new.append(run)

    # (run, client, n) -> epoch seconds of the acknowledgement
    acked = {}
    for run, r in runs.items():
        for path in glob.glob(os.path.join(load_dir, "logs", str(run), "tx.*")):
            with open(path) as f:
                for line in f:
                    p = line.split()
                    if len(p) < 6 or not p[2].isdigit():
                        continue  # a skipped or failed transaction: not acknowledged
                    client, n = int(p[0]), int(p[1])
                    acked[(run, client, n)] = int(p[4]) + int(p[5]) / 1e6
    acked_old = {k: t for k, t in acked.items() if runs[k[0]]["target"] == "old"}
    acked_new = {k: t for k, t in acked.items() if runs[k[0]]["target"] == "new"}
    if not acked_old:
        fail("no transaction was acknowledged on old")

    old_rows = {(int(r), int(c), int(n)): int(i) for r, c, n, i in psql("old", "select run, client, n, id from acked")}
    new_rows = {(int(r), int(c), int(n)): int(i) for r, c, n, i in psql("new", "select run, client, n, id from acked")}
    old_runs = {r for r, v in runs.items() if v["target"] == "old"}

    # The log names rows: per (run, client) on old, rows 1..M and acknowledged 1..K, M - K in {0, 1}.
    per_client_rows, per_client_acked = {}, {}
    for (r, c, n) in old_rows:
        if r in old_runs:
            per_client_rows.setdefault((r, c), set()).add(n)
    for (r, c, n) in acked_old:
        per_client_acked.setdefault((r, c), set()).add(n)
    in_flight = 0
    for key in set(per_client_rows) | set(per_client_acked):
        rows = per_client_rows.get(key, set())
        ack = per_client_acked.get(key, set())
        m, k = len(rows), len(ack)
        if rows != set(range(1, m + 1)) or ack != set(range(1, k + 1)) or m - k not in (0, 1):
            fail(f"run {key[0]} client {key[1]}: old has n {sorted(rows)[:3]}..{m} rows, the log {k} acknowledged")
        in_flight += m - k
    missing = sorted(k for k in acked_old if k not in new_rows)
    present = len(acked_old) - len(missing)
    print(f"figure: rows acknowledged on old {len(acked_old)}, present on new {present}, missing {len(missing)}"
          f" (+{in_flight} committed on old while the connection was cut, unacknowledged)")
    if missing:
        fail(f"{len(missing)} acknowledged transactions are not on new, e.g. (run, client, n) {missing[:5]}")
    old_only = sorted(k for k in old_rows if k not in new_rows)
    if old_only:
        fail(f"{len(old_only)} rows of old are not on new, e.g. {old_only[:5]}")

    result = {"acked_old": len(acked_old), "present_on_new": present, "in_flight": in_flight,
              "acked_new": len(acked_new)}
    last_old = max(acked_old.values())
    if expect_switch:
        if not acked_new:
            errs = [v["err"] for v in runs.values() if v["target"] == "new" and v["err"]]
            fail(f"the client never wrote on new after the switch: {errs[-1:] or 'no run on new'}")
        if dup_key_on_new:
            fail(f"runs {dup_key_on_new[:5]} on new failed on a duplicate key: the sequence did not carry over")
        max_old_id = max(old_rows.values())
        new_ids = [new_rows[k] for k in acked_new if k in new_rows]
        if len(new_ids) != len(acked_new):
            fail("a transaction acknowledged on new is not on new")
        if min(new_ids) <= max_old_id:
            fail(f"new reused sequence values: first id on new {min(new_ids)} <= last on old {max_old_id}")
        fresh = psql("new", "insert into acked (run, client, n, aid, delta) "
                            "values (0, -1, (select coalesce(max(n), 0) + 1 from acked where run = 0 and client = -1), 0, 0) "
                            "returning id")
        fresh_id = int(fresh[0][0])
        if fresh_id <= max(max_old_id, max(new_ids)):
            fail(f"a fresh insert on new took id {fresh_id}, not above {max(max_old_id, max(new_ids))}")
        print(f"figure: sequence acked_id_seq: last on old {max_old_id}, first written on new {min(new_ids)}, "
              f"a fresh insert on new took {fresh_id} without a conflict; {len(acked_new)} rows written on new")
        first_new = min(acked_new.values())
        window = first_new - last_old
        failed = [v for v in runs.values() if v["rc"] != 0 and v["start"] >= last_old - 5 and v["end"] <= first_new]
        refused = sum(1 for v in runs.values() if last_old <= v["start"] <= first_new and v["rc"] != 0)
        print(f"figure: write-unavailability window seen by the client {window:.3f}s "
              f"(last acknowledged write on old to first on new; {refused} attempts refused in between)")
        errs = sorted({v["err"] for v in failed if v["err"]})
        for e in errs[:3]:
            print(f"check: an error the client saw: {e}")
        result.update({"last_old_epoch": last_old, "first_new_epoch": first_new, "window_seconds": window,
                       "refused_attempts": refused, "max_old_id": max_old_id, "first_new_id": min(new_ids)})
    if json_out:
        with open(json_out, "w") as f:
            json.dump(result, f, indent=1)
    print("check: every acknowledged commit is on new" + (", the sequence continues there" if expect_switch else ""))


if __name__ == "__main__":
    main()
