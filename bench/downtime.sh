#!/usr/bin/env bash
# Benchmark (prints figures, asserts only that the data arrived; run as root): how long the app
# cannot write when a PostgreSQL database moves with pg-copy in the downtime vs pg-replicate
# (set up in presync, finished in the downtime). Two local clusters on loopback ports
# (e2e/pg/pg.sh local-up), the Temporal dev server, the worker, and the same write load in both
# runs (e2e/pg/load.sh: pgbench as role app, every acknowledged commit logged). Each plan stops the
# app's writes (REVOKE CONNECT), terminates its sessions (pg-connections), moves the data, verifies
# it (pg-verify with checksums), then signals the app to switch to new. The window is what the
# client saw: from its last acknowledged write on old to its first on new.
#   usage: bench/downtime.sh [SCALE]    pgbench scale (default 50, ~750 MB); also BENCH_CLIENTS
#          (4), BENCH_RATE (200 transactions/s), BENCH_COPY_JOBS (pg-copy jobs, default 1: one
#          stream into one transaction was faster here than -j 2 through a directory),
#          BENCH_CHECKSUMS (pg-verify checksums, default true; the table also shows the window
#          without the verify step, which costs both methods the same)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCALE="${1:-${BENCH_SCALE:-50}}"
CLIENTS="${BENCH_CLIENTS:-4}"
RATE="${BENCH_RATE:-200}"
JOBS="${BENCH_COPY_JOBS:-1}"
CHECKSUMS="${BENCH_CHECKSUMS:-true}"
[[ "$(id -u)" == 0 ]] || { echo "bench: run as root (the clusters run as OS user postgres)" >&2; exit 2; }
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
export E2E_PG_DIR=/tmp/cutover-bench-pg
PG=(bash "$ROOT/e2e/pg/pg.sh")
LOAD=(bash "$ROOT/e2e/pg/load.sh")
# shellcheck source=e2e/pg/migration.sh
source "$ROOT/e2e/pg/migration.sh"
CLEANUPS+=("${LOAD[*]} kill; ${PG[*]} down >/dev/null")

b0=$(date +%s)
say "two local clusters, shop on old with pgbench -i -s $SCALE"
"${PG[@]}" local-up --scale "$SCALE" | grep '^figure'
eval "$("${PG[@]}" env)"
start_temporal >/dev/null
start_worker E2E_PG_PASSWORD="$E2E_PG_PASSWORD" >/dev/null

# plan NAME METHOD: the plan of one run; METHOD copy or replicate.
plan() {
  local name=$1 method=$2 psql="$E2E_PG_BIN/psql -X -q -v ON_ERROR_STOP=1 -h $E2E_PG_OLD_SOCK -p $E2E_PG_OLD_PORT -U postgres -d shop"
  cat <<EOF
migration: $name
secrets:
  db-password: env:E2E_PG_PASSWORD
hosts:
  db: {}
databases:
  old-db: {host: db, name: shop, user: cutover, passwordSecret: db-password, port: $E2E_PG_OLD_PORT, address: 127.0.0.1}
  new-db: {host: db, name: shop, user: cutover, passwordSecret: db-password, port: $E2E_PG_NEW_PORT, address: 127.0.0.1}
gates:
  - {name: go-downtime, before: downtime}
phases:
  prepare:
    steps:
      - {name: app-writes-to-old, kind: sql, database: old-db, query: "select count(*) > 0 from pg_stat_activity where datname = 'shop' and usename = 'app'", expectValue: "t"}
EOF
  if [[ $method == replicate ]]; then
    cat <<EOF
  presync:
    steps:
      - {name: replicate-db, kind: pg-replicate, from: old-db, to: new-db}
EOF
  fi
  cat <<EOF
  downtime:
    steps:
      - name: stop-app-writes
        kind: run
        host: db
        command: $psql -c 'REVOKE CONNECT ON DATABASE shop FROM PUBLIC, app'
      - {name: no-app-connections, kind: pg-connections, database: old-db, terminate: true, terminateAfter: 1s, interval: 500ms}
EOF
  if [[ $method == replicate ]]; then
    echo "      - {name: move-data, kind: pg-replicate, from: old-db, to: new-db, action: finish}"
  else
    echo "      - {name: move-data, kind: pg-copy, from: old-db, to: new-db, jobs: $JOBS}"
  fi
  cat <<EOF
      - {name: verify-db, kind: pg-verify, from: old-db, to: new-db, checksums: $CHECKSUMS}
  switch:
    steps:
      - {name: switch-app, kind: run, host: db, command: touch $E2E_PG_DIR/load/switch}
EOF
}

# caught_up: the subscription on new has every table ready and its slot on old is within 1 MB.
caught_up() {
  local pending lag
  pending=$("${PG[@]}" psql new -At -c "select count(*) from pg_subscription_rel where srsubstate <> 'r'") || return 1
  [[ "$pending" == 0 ]] || return 1
  [[ "$("${PG[@]}" psql new -At -c "select count(*) from pg_subscription_rel")" -gt 0 ]] || return 1
  lag=$("${PG[@]}" psql old -At -c "select coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)), -1) from pg_replication_slots")
  [[ "$lag" -ge 0 && "$lag" -lt 1048576 ]]
}

# one METHOD: a run; leaves $WORK/METHOD-check.json and $WORK/METHOD-done.json.
one() {
  local method=$1 t_start t_gate
  ID="cutover-bench-pg-$method"
  plan "bench-pg-$method" "$method" >"$WORK/$method.yaml"
  "${LOAD[@]}" start --clients "$CLIENTS" --rate "$RATE" --run-seconds 2 >/dev/null
  t_start=$(date +%s)
  "${CLI[@]}" start "$WORK/$method.yaml" >/dev/null
  wait_until waitingFor gate:go-downtime 1800
  t_gate=$(date +%s)
  if [[ $method == replicate ]]; then
    # As an operator would: approve once the initial copy is done and the lag is small.
    for _ in $(seq 1 3600); do caught_up && break; sleep 0.5; done
    caught_up || fail "replication did not catch up within 30 minutes"
  fi
  sleep 3   # the app writes on, at its rate, before the downtime
  echo "bench: $method: presync/setup $(( $(date +%s) - t_start ))s (gate after $((t_gate - t_start))s); approving the downtime" >&2
  "${CLI[@]}" approve "$ID" go-downtime --comment bench >/dev/null
  wait_until state COMPLETED 1800
  status_json >"$WORK/$method-done.json"
  sleep 2
  "${LOAD[@]}" stop >/dev/null
  "${LOAD[@]}" check --json "$WORK/$method-check.json" | sed "s/^/bench: $method: /" >&2
}

one copy
"${PG[@]}" reset --scale "$SCALE" | sed 's/^/bench: /' >&2
one replicate

python3 - "$WORK" "$SCALE" "$CLIENTS" "$RATE" "$JOBS" "$(( $(date +%s) - b0 ))" <<'PY'
import json, sys
from datetime import datetime
work, scale, clients, rate, jobs, total = sys.argv[1:]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() if isinstance(s, str) else float(s)
rows = {}
for method in ("copy", "replicate"):
    check = json.load(open(f"{work}/{method}-check.json"))
    status = json.load(open(f"{work}/{method}-done.json"))
    steps = {s["name"]: s for s in status["steps"] if s.get("phase") in ("downtime", "switch")}
    took = lambda n: t(steps[n]["endedAt"]) - t(steps[n]["startedAt"]) if n in steps else float("nan")
    rows[method] = (check["window_seconds"], took("move-data"), took("verify-db"), took("no-app-connections"),
                    check["acked_old"], check["present_on_new"])
print(f"PostgreSQL move, pgbench scale {scale}, {clients} clients at {rate} tps (one machine, loopback)")
print(f"{'method':<30} {'write window':>12} {'w/o verify':>10} {'data step':>10} {'verify':>8} {'sessions':>9} {'acked':>7} {'on new':>7}")
labels = {"copy": f"pg-copy in downtime (jobs {jobs})", "replicate": "pg-replicate finish"}
for m, (w, d, v, c, a, p) in rows.items():
    print(f"{labels[m]:<30} {w:>11.2f}s {w - v:>9.2f}s {d:>9.2f}s {v:>7.2f}s {c:>8.2f}s {a:>7} {p:>7}")
ratio = rows["copy"][0] / rows["replicate"][0]
ratio_nv = (rows["copy"][0] - rows["copy"][2]) / (rows["replicate"][0] - rows["replicate"][2])
print(f"ratio copy / replicate: {ratio:.1f}x with verify, {ratio_nv:.1f}x without")
print(f"bench total {total}s")
PY
