#!/usr/bin/env python3
"""Figures of bench/switch.sh.

  figures.py one --method M --switch I --log CLIENT_LOG --present FILE --from T0 --to T1
                 [--frozen SECONDS] [--note TEXT] >> results.jsonl
      one switch: the longest gap between acknowledged writes (201s, by the time the answer came)
      among those around [T0, T1], the attempts that did not get a 201, the acknowledged writes
      missing from FILE ("client n id" lines read from the database the app wrote to last), and
      the longest wait of an acknowledged write (how long clients were held).
  figures.py table RESULTS_JSONL SCALE ...
      the methods side by side: p50 and p95 over their switches (nearest rank: with 5 switches
      p95 is the largest), errors, lost, frozen as measured by the workflow (or by the script
      for the switch by hand).
"""
import argparse
import json
import math
import sys


def one(a):
    acked, errors, held = [], 0, 0.0
    with open(a.log) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    for e in entries:
        if e["s"] == 201:
            acked.append(e)
            held = max(held, e["e"] - e["t"])
        else:
            errors += 1
    ends = sorted(e["e"] for e in acked)
    gap = None
    for x, y in zip(ends, ends[1:]):
        if y >= a.t_from and x <= a.t_to:
            gap = max(gap or 0.0, y - x)
    present = {}
    with open(a.present) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                present[(parts[0], int(parts[1]))] = int(parts[2])
    lost = [f"{e['c']}/{e['n']}" for e in acked if present.get((e["c"], e["n"])) != e.get("id")]
    after = sum(1 for e in acked if e["e"] > a.t_to)
    print(json.dumps({
        "method": a.method, "switch": a.switch, "gap": gap, "errors": errors, "attempts": len(entries),
        "acked": len(acked), "acked_after": after, "lost": len(lost), "lost_sample": lost[:5],
        "held": round(held, 3), "frozen": a.frozen, "note": a.note,
    }))


def pct(values, p):
    v = sorted(x for x in values if x is not None)
    if not v:
        return float("nan")
    return v[max(0, math.ceil(p * len(v)) - 1)]


LABELS = {
    "hand": "by hand (dump|restore)",
    "copy": "pg-copy plan",
    "replicate": "replicate path plan",
    "switch": "pg-switch + pgbouncer",
    "kill": "pg-switch, worker killed",
}
METHODS = tuple(LABELS)


def table(a):
    rows = [json.loads(line) for line in open(a.results) if line.strip()]
    print(f"Database switch under load: pgbench scale {a.scale}, {a.rate}; namespace hosts old/new, PostgreSQL {a.pg}")
    print("write gap = longest time between two acknowledged writes as the clients saw it (p50/p95 over the switches,")
    print("nearest rank); frozen = as measured by the workflow (pg-switch: its frozenMillis; others: the downtime clock;")
    print("by hand: the script's clock from maintenance on to the flip)")
    head = f"{'method':<24} {'n':>2} {'gap p50':>8} {'gap p95':>8} {'errors':>7} {'acked':>7} {'lost':>5} {'held max':>9} {'frozen p50':>11} {'frozen p95':>11}"
    print(head)
    print("-" * len(head))
    for m in METHODS:
        rs = [r for r in rows if r["method"] == m]
        if not rs:
            continue
        fr = [r["frozen"] for r in rs if r["frozen"] is not None]
        print(f"{LABELS[m]:<24} {len(rs):>2} {pct([r['gap'] for r in rs], .5):>7.2f}s {pct([r['gap'] for r in rs], .95):>7.2f}s"
              f" {sum(r['errors'] for r in rs):>7} {sum(r['acked'] for r in rs):>7} {sum(r['lost'] for r in rs):>5}"
              f" {max(r['held'] for r in rs):>8.2f}s {pct(fr, .5):>10.2f}s {pct(fr, .95):>10.2f}s")
    print("per switch (gap s / errors / frozen s):")
    for m in METHODS:
        rs = [r for r in rows if r["method"] == m]
        if rs:
            cells = ", ".join(f"{r['gap'] if r['gap'] is None else round(r['gap'], 2)}/{r['errors']}/"
                              f"{'-' if r['frozen'] is None else round(r['frozen'], 2)}" for r in rs)
            print(f"  {m:<10} {cells}")
    notes = [f"  {r['method']} #{r['switch']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        print("notes:")
        print("\n".join(notes))
    lost = sum(r["lost"] for r in rows)
    if lost:
        print(f"FAILED: {lost} acknowledged writes lost: " + "; ".join(
            f"{r['method']} #{r['switch']}: {r['lost_sample']}" for r in rows if r["lost"]))
        return 1
    print("no acknowledged write lost")
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    o = sub.add_parser("one")
    o.add_argument("--method", required=True)
    o.add_argument("--switch", type=int, required=True)
    o.add_argument("--log", required=True)
    o.add_argument("--present", required=True)
    o.add_argument("--from", dest="t_from", type=float, required=True)
    o.add_argument("--to", dest="t_to", type=float, required=True)
    o.add_argument("--frozen", type=float)
    o.add_argument("--note", default="")
    t = sub.add_parser("table")
    t.add_argument("results")
    t.add_argument("scale")
    t.add_argument("rate")
    t.add_argument("pg")
    a = p.parse_args()
    if a.cmd == "one":
        return one(a)
    return table(a)


if __name__ == "__main__":
    sys.exit(main())
