#!/usr/bin/env python3
"""After the full scenario: what the writing client saw (client.py's log) against new's data.

usage: check.py CLIENT_LOG NEW_SRV [--json FILE]

NEW_SRV is new's /srv as the root namespace sees it ($E2E_SSH_DIR/new/srv). Reads new's notes
table as postgres over the cluster's socket (E2E_PG_* from pg.sh env). Fails (exit 1) unless
every acknowledged note (HTTP 201) is on new with the id it was acknowledged with and the text
the client sent (client.py's "note N of CLIENT at T", T its logged start), and its upload file is
on new with that text; and the client wrote on old first and on
new at the end. Prints one "figure:" line each: attempts, acknowledged vs present, the
write-unavailability window (the last note acknowledged by old to the first acknowledged by
new) with the attempts that failed in it, by answer.
"""
import collections
import csv
import io
import json
import os
import subprocess
import sys


def fail(msg):
    print(f"check: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def notes_on_new():
    env = os.environ
    cmd = [os.path.join(env["E2E_PG_BIN"], "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv",
           "-h", env["E2E_PG_NEW_SOCK"], "-p", env["E2E_PG_NEW_PORT"], "-U", "postgres", "-d", "shop",
           "-c", "select client, n, id, host, text from notes"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"psql on new: {out.stderr.strip()}")
    rows = list(csv.reader(io.StringIO(out.stdout)))[1:]
    return {(r[0], int(r[1])): (int(r[2]), r[3], r[4]) for r in rows}


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        fail(__doc__)
    log_file, new_srv = args[0], args[1]
    json_out = args[args.index("--json") + 1] if "--json" in args else None
    attempts = [json.loads(line) for line in open(log_file) if line.strip()]
    if not attempts:
        fail(f"{log_file} is empty: the client wrote nothing")
    attempts.sort(key=lambda a: a["t"])
    acked = [a for a in attempts if a["status"] == 201]
    on_new = notes_on_new()

    missing_row, wrong_id, missing_file = [], [], []
    for a in acked:
        key = (a["client"], a["n"])
        sent = f"note {a['n']} of {a['client']} at {a['t']:.3f}"
        row = on_new.get(key)
        if row is None:
            missing_row.append(key)
            continue
        if row[0] != a["id"] or row[2] != sent:
            wrong_id.append((key, a["id"], row[0], row[2] == sent))
        path = os.path.join(new_srv, "app", "data", "uploads", a["client"], f"{a['n']}.txt")
        try:
            with open(path) as f:
                if f.read() != sent:
                    missing_file.append((key, "differs"))
        except OSError:
            missing_file.append((key, "absent"))

    by_host = collections.Counter(a.get("host") for a in acked)
    print(f"figure: client attempts {len(attempts)}, acknowledged {len(acked)} "
          f"(by old {by_host.get('old', 0)}, by new {by_host.get('new', 0)})")
    present = len(acked) - len(missing_row)
    print(f"figure: acknowledged notes present on new: {present} of {len(acked)}; "
          f"with their upload file: {present - len(missing_file)}; id and text as acknowledged: {present - len(wrong_id)}")
    unacked_present = sum(1 for a in attempts if a["status"] != 201 and (a["client"], a["n"]) in on_new)
    print(f"figure: notes on new that the client never saw acknowledged (answer lost or refused): {unacked_present}")

    old_acks = [a for a in acked if a.get("host") == "old"]
    new_acks = [a for a in acked if a.get("host") == "new"]
    if not old_acks or not new_acks:
        fail(f"the client must write on old first and on new at the end (old {len(old_acks)}, new {len(new_acks)})")
    last_old = max(a["t"] + a.get("took", 0) for a in old_acks)
    first_new = min(a["t"] + a.get("took", 0) for a in new_acks)
    failed = [a for a in attempts if last_old < a["t"] < first_new and a["status"] != 201]
    kinds = collections.Counter(str(a["status"]) if a["status"] else "no answer" for a in failed)
    window = first_new - last_old
    print(f"figure: write-unavailability window seen by the client: {window:.2f}s "
          f"(last note acknowledged by old to the first acknowledged by new; {len(failed)} attempts failed in it: "
          + ", ".join(f"{n} x {k}" for k, n in sorted(kinds.items())) + ")")
    late_old = [a for a in old_acks if a["t"] > first_new]
    if late_old:
        fail(f"{len(late_old)} notes acknowledged by old after new had started taking them")
    if json_out:
        with open(json_out, "w") as f:
            json.dump({"attempts": len(attempts), "acknowledged": len(acked), "present": present,
                       "missingRows": missing_row[:20], "wrongIds": wrong_id[:20], "missingFiles": missing_file[:20],
                       "windowSeconds": round(window, 3), "failedInWindow": dict(kinds)}, f, indent=2)
    if missing_row:
        fail(f"{len(missing_row)} acknowledged notes are not on new, e.g. {missing_row[:5]}")
    if wrong_id:
        fail(f"{len(wrong_id)} notes differ on new from what was acknowledged (key, id acked, id on new, text as sent), e.g. {wrong_id[:5]}")
    if missing_file:
        fail(f"{len(missing_file)} acknowledged notes lack their upload file on new, e.g. {missing_file[:5]}")


if __name__ == "__main__":
    main()
