#!/usr/bin/env bash
# Benchmark (run as root; prints figures, asserts only that no acknowledged write was lost): how
# long clients of an HTTP app cannot write while its PostgreSQL database moves from old to new,
# four ways, side by side in one run (issue 17, item 5):
#   hand       by hand: maintenance page on, the app role's connections revoked and ended,
#              pg_dump | pg_restore into new, the app pointed at new, maintenance off
#   copy       the same as a plan: maintenance, sql revoke, pg-connections, pg-copy, pg-verify,
#              repoint (run), maintenance off
#   replicate  today's replicate path: pg-replicate start in presync; in the downtime maintenance,
#              revoke, pg-connections, pg-replicate finish (catch-up), pg-verify, repoint,
#              maintenance off
#   switch     pg-replicate start in presync; then one pg-switch step holding the clients at
#              PgBouncer on old (PAUSE, freeze old, catch up, repoint, RESUME)
#   kill       the switch with two workers running, the one that runs the section SIGKILLed while
#              it holds: odd switches while old is frozen and new's catch-up is blocked (before the
#              commit point), even ones in an inside command (after it); the other worker's retry
#              must leave old serving or new fully switched, never half, and lose nothing
# Topology: the namespace hosts of e2e/ssh/hosts.sh (old 10.231.0.2, new 10.231.0.3), a
# PostgreSQL cluster on each (e2e/pg/pg.sh up --scale BENCH_SCALE: pgbench tables plus the app's
# orders), Debian's pgbouncer on old (10.231.0.2:6432, transaction pooling, its own ini under old's
# /srv/pgbouncer), the shop app (bench/switch/app.py) in old's namespace on 10.231.0.2:8080, and
# its users (bench/switch/client.py, BENCH_CLIENTS threads each placing an order every
# BENCH_INTERVAL s: 50 writes/s by default) in the root namespace, logging every acknowledged
# write with the time its answer came. The app connects to old's server directly, or through the
# bouncer for the switch method. Between switches the shop is reset (new emptied, old unfrozen,
# the replication objects removed, app and bouncer pointed back at old).
#
#   usage: bench/switch.sh
#     BENCH_SCALE (pgbench scale, default 50), BENCH_SWITCHES (per method, default 5),
#     BENCH_METHODS (default "hand copy replicate switch kill"), BENCH_KILLS (switches of the kill
#     method, default 2: one before, one after the commit point), BENCH_CLIENTS (5), BENCH_INTERVAL (0.1),
#     BENCH_VERIFY (pg-verify in the copy and replicate plans: checksums (default, as today's
#     path), counts, or none), BENCH_DEADLINE (pg-switch deadline, default 5s),
#     E2E_TEMPORAL_PORT / E2E_UI_PORT (the dev server's ports, default free ones), BENCH_LOCK_WAIT
#     (seconds to wait for another scenario to end, default 900)
# Figures: one table; per switch the raw figures in $WORK/results.jsonl (kept as
# /tmp/cutover-bench-switch-results.jsonl).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCALE="${BENCH_SCALE:-50}"
SWITCHES="${BENCH_SWITCHES:-5}"
METHODS="${BENCH_METHODS:-hand copy replicate switch kill}"
KILLS="${BENCH_KILLS:-2}"
CLIENTS="${BENCH_CLIENTS:-5}"
INTERVAL="${BENCH_INTERVAL:-0.1}"
VERIFY="${BENCH_VERIFY:-checksums}"
DEADLINE="${BENCH_DEADLINE:-5s}"
[[ "$(id -u)" == 0 ]] || { echo "bench: run as root (namespaces, clusters run as OS user postgres)" >&2; exit 2; }
[[ "$SCALE" =~ ^[1-9][0-9]*$ && "$SWITCHES" =~ ^[1-9][0-9]*$ && "$KILLS" =~ ^[1-9][0-9]?$ && "$CLIENTS" =~ ^[1-9][0-9]?$ ]] \
  || { echo "bench: BENCH_SCALE, BENCH_SWITCHES, BENCH_KILLS and BENCH_CLIENTS are whole numbers" >&2; exit 2; }
[[ "$INTERVAL" =~ ^0?\.[0-9]+$|^[1-9]$ ]] || { echo "bench: BENCH_INTERVAL: seconds, e.g. 0.1" >&2; exit 2; }
for m in $METHODS; do
  case "$m" in hand|copy|replicate|switch|kill) ;; *) echo "bench: unknown method $m" >&2; exit 2 ;; esac
done
case "$VERIFY" in checksums|counts|none) ;; *) echo "bench: BENCH_VERIFY: checksums, counts or none" >&2; exit 2 ;; esac
[[ "$DEADLINE" =~ ^[0-9]+(ms|s)$ ]] || { echo "bench: BENCH_DEADLINE like 5s or 800ms" >&2; exit 2; }

# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
PG=(bash "$ROOT/e2e/pg/pg.sh")
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh
OLD_ADDR=10.231.0.2
NEW_ADDR=10.231.0.3
APP_PORT=8080
BOUNCER_PORT=6432
OLD_SRV="$E2E_SSH_DIR/old/srv"
ETC=/srv/bench-app                  # on old; the app's target and connection files
MAINT=/srv/maintenance/on.html      # on old; the app answers 503 while it exists
BDIR=/srv/pgbouncer                 # on old; the bouncer's ini, userlist, log, pid
OLD_ETC="$OLD_SRV${ETC#/srv}"; OLD_MAINT="$OLD_SRV${MAINT#/srv}"; OLD_BDIR="$OLD_SRV${BDIR#/srv}"  # seen from here
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

# The namespaces, the bridge and the state dirs are the machine's: one scenario at a time.
exec 9>/run/lock/cutover-e2e-hosts.lock
flock -w "${BENCH_LOCK_WAIT:-900}" 9 || fail "another e2e holds /run/lock/cutover-e2e-hosts.lock"

b0=$(date +%s)
say "namespace hosts old and new, PostgreSQL on each, shop on old at pgbench scale $SCALE"
"${HOSTS[@]}" up >"$WORK/hosts.log" 2>&1 || { cat "$WORK/hosts.log"; fail "hosts.sh up"; }
CLEANUPS+=("$(printf 'touch %q; %q %q down; %q %q down' "$WORK/client.stop" "${PG[@]}" "${HOSTS[@]}")")
"${PG[@]}" up --scale "$SCALE" >"$WORK/pg-up.log" 2>&1 || { cat "$WORK/pg-up.log"; fail "pg.sh up"; }
grep '^figure' "$WORK/pg-up.log" | sed 's/^/bench: /'
eval "$("${HOSTS[@]}" env)"
eval "$("${PG[@]}" env)"
BOUNCER_PASSWORD="bench-bouncer-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
# Only the worker gets the passwords it needs; nothing else started here inherits them.
export -n E2E_PG_PASSWORD E2E_PG_APP_PASSWORD E2E_WORKER_KEY_PASSPHRASE
for a in "$OLD_ADDR" "$NEW_ADDR"; do
  ip -o route get "$a" | grep -q " dev cutbr0 " || fail "route to $a does not go through cutbr0"
done
PG_VERSION=$("${PG[@]}" psql old -At -c 'show server_version' | cut -d' ' -f1)

psql_at() { # old|new SQL: one query as postgres over the cluster's socket, unaligned
  "${PG[@]}" psql "$1" -q -At -c "$2"
}

# The app's table on old (the plans copy or replicate it like the pgbench ones), its files on old.
"${PG[@]}" psql old -q <<'SQL'
SET ROLE app;
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  client text NOT NULL,
  n integer NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (client, n)
);
SQL
install -d -m 700 "$OLD_ETC"
install -d -m 755 "$OLD_SRV/maintenance"
db_env() { printf 'host=%s\nport=%s\ndbname=shop\nuser=app\npassword=%s\n' "$1" "$2" "$E2E_PG_APP_PASSWORD"; }
( umask 077
  db_env 127.0.0.1 5432 >"$OLD_ETC/db-old.env"
  db_env "$NEW_ADDR" 5432 >"$OLD_ETC/db-new.env"
  db_env 127.0.0.1 "$BOUNCER_PORT" >"$OLD_ETC/db-bouncer.env" )

# PgBouncer on old: Debian's binary, its own ini; the pg-switch step rewrites the shop entry.
install -d -m 700 -o postgres -g postgres "$OLD_BDIR"
bouncer_ini() { # ADDR: the ini with shop pointing at ADDR
  cat <<EOF
; PgBouncer of bench/switch.sh on old
[databases]
shop = host=$1 port=5432 dbname=shop

[pgbouncer]
listen_addr = $OLD_ADDR,127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $BDIR/userlist.txt
admin_users = pgbouncer
; transaction pooling: a PAUSE waits only for transactions in flight, not for the app's sessions
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
server_connect_timeout = 3
server_login_retry = 1
logfile = $BDIR/pgbouncer.log
pidfile = $BDIR/pgbouncer.pid
EOF
}
( umask 077
  printf '"app" "%s"\n"pgbouncer" "%s"\n' "$E2E_PG_APP_PASSWORD" "$BOUNCER_PASSWORD" >"$OLD_BDIR/userlist.txt" )
chown postgres:postgres "$OLD_BDIR/userlist.txt"

bouncer_stop() {
  local pid
  pid=$(cat "$OLD_BDIR/pgbouncer.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$OLD_BDIR/pgbouncer.pid"
}
bouncer_start() { # the bouncer pointing at old, started afresh
  bouncer_stop
  bouncer_ini "$OLD_ADDR" >"$OLD_BDIR/pgbouncer.ini"
  chown postgres:postgres "$OLD_BDIR/pgbouncer.ini"; chmod 600 "$OLD_BDIR/pgbouncer.ini"
  "${HOSTS[@]}" exec old /usr/sbin/pgbouncer -d -u postgres "$BDIR/pgbouncer.ini" >>"$WORK/bouncer.out" 2>&1 \
    || fail "pgbouncer did not start: $(tail -5 "$OLD_BDIR/pgbouncer.log" 2>/dev/null)"
  for _ in $(seq 1 50); do
    PGPASSWORD=$BOUNCER_PASSWORD "$E2E_PG_BIN/psql" -X -At -h "$OLD_ADDR" -p "$BOUNCER_PORT" -U pgbouncer pgbouncer \
      -c 'show version' >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "pgbouncer on old does not answer on $OLD_ADDR:$BOUNCER_PORT: $(tail -5 "$OLD_BDIR/pgbouncer.log" 2>/dev/null)"
}

APP_PID=
app_stop() {
  [[ -n "$APP_PID" ]] || return 0
  kill -TERM "$APP_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}
app_start() { # TARGET (old or bouncer): the app afresh, pointing there
  app_stop
  rm -f "$OLD_MAINT"
  echo "$1" >"$OLD_ETC/target"
  "${HOSTS[@]}" exec old /usr/bin/python3 "$ROOT/bench/switch/app.py" --listen "$OLD_ADDR:$APP_PORT" \
    --etc "$ETC" --maintenance "$MAINT" >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  PIDS+=("$APP_PID")   # lib.sh's cleanup ends it after a failure (it waits for every child)
  local got
  for _ in $(seq 1 100); do
    got=$(curl -s --max-time 2 "http://$OLD_ADDR:$APP_PORT/health" || true)
    [[ "$got" == *"\"target\": \"$1\""* ]] && return 0
    kill -0 "$APP_PID" 2>/dev/null || fail "the app exited: $(tail -5 "$WORK/app.log")"
    sleep 0.1
  done
  fail "the app does not answer /health with target $1: $got"
}
CLEANUPS=("app_stop; bouncer_stop" "${CLEANUPS[@]}")

CLIENT_PID=
client_start() { # PREFIX: the users, until client_stop
  rm -f "$WORK/client.stop"
  python3 "$ROOT/bench/switch/client.py" --url "$OLD_ADDR:$APP_PORT" --log "$WORK/client-$1.log" \
    --stop "$WORK/client.stop" --prefix "$1" --clients "$CLIENTS" --interval "$INTERVAL" >>"$WORK/client.out" 2>&1 &
  CLIENT_PID=$!
  PIDS+=("$CLIENT_PID")
  for _ in $(seq 1 100); do
    [[ $(grep -c '"s": 201' "$WORK/client-$1.log" 2>/dev/null || true) -ge 10 ]] && return 0
    kill -0 "$CLIENT_PID" 2>/dev/null || fail "the client exited: $(tail -3 "$WORK/client.out")"
    sleep 0.1
  done
  fail "no write acknowledged within 10 s: $(tail -3 "$WORK/client-$1.log" 2>/dev/null)"
}
client_stop() {
  touch "$WORK/client.stop"
  wait "$CLIENT_PID" 2>/dev/null || true
  CLIENT_PID=
}

# The shop as after setup, for the next switch: every replication object gone from both sides, new
# empty again, old unfrozen. Old keeps its data (and the orders of earlier switches).
reset_shop() {
  local h sub
  for h in old new; do
    for sub in $(psql_at "$h" "select subname from pg_subscription s join pg_database d on d.oid = s.subdbid where d.datname = 'shop'"); do
      "${PG[@]}" psql "$h" -q -c "ALTER SUBSCRIPTION \"$sub\" DISABLE" -c "ALTER SUBSCRIPTION \"$sub\" SET (slot_name = NONE)" \
        -c "DROP SUBSCRIPTION \"$sub\"" >/dev/null
    done
    for sub in $(psql_at "$h" "select pubname from pg_publication"); do
      psql_at "$h" "DROP PUBLICATION \"$sub\"" >/dev/null
    done
  done
  for _ in $(seq 1 50); do
    [[ "$(psql_at old "select count(*) from pg_replication_slots where active")$(psql_at new "select count(*) from pg_replication_slots where active")" == 00 ]] && break
    sleep 0.2
  done
  for h in old new; do
    psql_at "$h" "select count(pg_drop_replication_slot(slot_name)) from pg_replication_slots where not active" >/dev/null
  done
  # The replication back brought new's rows (ids from new's sequences) to old: old's sequences go
  # past them, as a switch back would copy them.
  "${PG[@]}" psql old -q >/dev/null <<'SQL'
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT s.oid::regclass AS seq, t.oid::regclass AS tbl, a.attname AS col
           FROM pg_class s
           JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
           JOIN pg_class t ON t.oid = d.refobjid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
           WHERE s.relkind = 'S'
  LOOP
    EXECUTE format('SELECT setval(%L, greatest((SELECT coalesce(max(%I), 1) FROM %s), (SELECT last_value FROM %s)))',
                   r.seq, r.col, r.tbl, r.seq);
  END LOOP;
END $$;
SQL
  "${PG[@]}" psql new -q -d postgres -c 'DROP DATABASE IF EXISTS shop WITH (FORCE)' -c 'CREATE DATABASE shop OWNER app' >/dev/null
  # pg-switch leaves old frozen on purpose, marked by database settings: the next switch starts clean.
  "${PG[@]}" psql old -q -d postgres -c 'GRANT CONNECT ON DATABASE shop TO PUBLIC, app' -c 'ALTER DATABASE shop RESET ALL' >/dev/null
}

# caught_up: the subscription on new has every table ready and its slot on old is within 1 MB.
caught_up() {
  local pending lag
  pending=$(psql_at new "select count(*) from pg_subscription_rel where srsubstate <> 'r'") || return 1
  [[ "$pending" == 0 ]] || return 1
  [[ "$(psql_at new "select count(*) from pg_subscription_rel")" -gt 0 ]] || return 1
  lag=$(psql_at old "select coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)), -1) from pg_replication_slots")
  [[ "$lag" -ge 0 && "$lag" -lt 1048576 ]]
}

# The plans. Every one starts with a gate, so the bench decides when the switch starts (after the
# replication's initial copy, with the users writing).
plan_head() { # MIGRATION
  cat <<EOF
migration: $1
secrets:
  db-password: env:E2E_PG_PASSWORD
  bouncer-admin: env:BENCH_BOUNCER_PASSWORD
hosts:
  old: {transport: ssh, address: $OLD_ADDR}
  new: {transport: ssh, address: $NEW_ADDR}
databases:
  old-db: {host: old, name: shop, user: cutover, passwordSecret: db-password}
  new-db: {host: new, name: shop, user: cutover, passwordSecret: db-password}
EOF
}
plan() { # METHOD MIGRATION
  local method=$1
  plan_head "$2"
  if [[ $method == switch || $method == kill ]]; then
    cat <<EOF
gates:
  - {name: go, before: switch}
phases:
  presync:
    steps:
      - {name: replicate-db, kind: pg-replicate, from: old-db, to: new-db}
  switch:
    steps:
      - name: switch-db
        kind: pg-switch
        from: old-db
        to: new-db
        deadline: $DEADLINE
        onDeadline: abort
        appRoles: [app]
        bouncer: {host: old, port: $BOUNCER_PORT, adminUser: pgbouncer, adminPasswordSecret: bouncer-admin, database: shop, config: $BDIR/pgbouncer.ini}
        verify: $([[ $VERIFY == none ]] && echo none || echo "$VERIFY")
EOF
    # The kill after the commit point: the first run of this command marks the moment and lasts
    # long enough to be killed in; the retry's run finds it disarmed and is quick.
    if [[ $method == kill ]]; then
      cat <<EOF
        inside:
          - {host: old, command: "if [ -e $ETC/kill-armed ]; then rm -f $ETC/kill-armed; touch $ETC/inside-mark; sleep 5; fi"}
EOF
    fi
    return
  fi
  echo "gates:"
  echo "  - {name: go, before: downtime}"
  echo "phases:"
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
      - {name: maintenance-on, kind: maintenance, host: old, action: "on", path: $MAINT, content: "Moving. Back in a moment."}
      - {name: stop-app-writes, kind: sql, database: old-db, query: "revoke connect on database shop from public, app"}
      - {name: no-app-connections, kind: pg-connections, database: old-db, terminate: true, terminateAfter: 1s, interval: 500ms}
EOF
  if [[ $method == replicate ]]; then
    echo "      - {name: move-data, kind: pg-replicate, from: old-db, to: new-db, action: finish}"
  else
    echo "      - {name: move-data, kind: pg-copy, from: old-db, to: new-db}"
  fi
  case "$VERIFY" in
    checksums) echo "      - {name: verify-db, kind: pg-verify, from: old-db, to: new-db, checksums: true}" ;;
    counts) echo "      - {name: verify-db, kind: pg-verify, from: old-db, to: new-db}" ;;
  esac
  cat <<EOF
      - {name: app-to-new, kind: run, host: old, command: "echo new > $ETC/target"}
      - {name: maintenance-off, kind: maintenance, host: old, action: "off", path: $MAINT}
EOF
}

wf_state() { # the workflow's status and what it waits for: "RUNNING gate:go", "COMPLETED -"
  temporal workflow describe --address "$ADDR" --workflow-id "$ID" -o json 2>/dev/null | python3 -c '
import base64, json, sys
info = json.load(sys.stdin).get("workflowExecutionInfo", {})
p = info.get("searchAttributes", {}).get("indexedFields", {}).get("CutoverWaitingFor")
w = json.loads(base64.b64decode(p["data"])) if p and p.get("data") else "-"
print(info.get("status", "-").replace("WORKFLOW_EXECUTION_STATUS_", ""), w or "-")' 2>/dev/null || echo "- -"
}

# wait_done SECONDS: until the workflow is closed or waits for a decision; prints its state.
wait_done() {
  local deadline=$(( $(date +%s) + $1 )) st w
  while (( $(date +%s) < deadline )); do
    read -r st w < <(wf_state)
    if [[ "$st" != RUNNING && "$st" != - ]]; then echo "$st"; return 0; fi
    if [[ "$w" == decision:* ]]; then echo "WAITING-$w"; return 0; fi
    sleep 0.2
  done
  echo TIMEOUT
}

# frozen_of STATUS_JSON: pg-switch: the frozen time its summary states; others: the downtime clock.
frozen_of() {
  python3 - "$1" <<'PY'
import json, re, sys
from datetime import datetime
s = json.load(open(sys.argv[1]))
def t(v):
    if v is None: return None
    if isinstance(v, (int, float)): return float(v)
    return datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
for st in s.get("steps", []):
    if st.get("kind") == "pg-switch":
        m = re.search(r"frozen (?:for )?([0-9.]+) ?(ms|s)\b", st.get("outputTail") or "")
        if m:
            v = float(m.group(1)); print(v / 1000 if m.group(2) == "ms" else v); sys.exit(0)
d = s.get("downtime") or {}
a, b = t(d.get("startedAt")), t(d.get("endedAt"))
print(b - a if a is not None and b is not None else "")
PY
}

# The switch by hand, as a person at a terminal would: ssh to old, psql, pg_dump | pg_restore, ssh.
# Prints the seconds from maintenance on to maintenance off.
switch_by_hand() {
  local t0 t1
  t0=$(date +%s.%N)
  "${HOSTS[@]}" ssh old "touch $MAINT" >&2
  "${PG[@]}" psql old -q -At -c 'REVOKE CONNECT ON DATABASE shop FROM PUBLIC, app' \
    -c "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = 'shop' and usename = 'app'" >/dev/null
  PGPASSWORD=$E2E_PG_PASSWORD "$E2E_PG_BIN/pg_dump" -h "$OLD_ADDR" -U cutover -d shop -Fc \
    | PGPASSWORD=$E2E_PG_PASSWORD "$E2E_PG_BIN/pg_restore" -h "$NEW_ADDR" -U cutover -d shop --exit-on-error --single-transaction \
    >&2 || return 1
  "${HOSTS[@]}" ssh old "echo new > $ETC/target && rm -f $MAINT" >&2
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}'
}

# present LIVE PREFIX FILE: "client n id" of the switch's orders on LIVE.
present() {
  psql_at "$1" "select client || ' ' || n || ' ' || id from orders where client like '$2-%'" >"$3"
}
# live_db PREFIX: the database that holds the last acknowledged order of the switch (the one the
# app wrote to last), new if neither does.
live_db() {
  local last c n h
  last=$(grep '"s": 201' "$WORK/client-$1.log" | tail -1)
  c=$(python3 -c 'import json,sys; e=json.loads(sys.argv[1]); print(e["c"], e["n"])' "$last")
  read -r c n <<<"$c"
  for h in new old; do
    [[ "$(psql_at "$h" "select count(*) from orders where client = '$c' and n = $n" 2>/dev/null || echo 0)" == 1 ]] && { echo "$h"; return 0; }
  done
  echo new
}

# The workers, each with its own log; the kill method needs two, so one survives the kill.
WORKERS=()   # "PID LOG" of each worker running
worker_start() { # NAME
  local log="$WORK/worker-$1.log" pid
  env TEMPORAL_ADDRESS="$ADDR" "${WORKER_ENV[@]}" java -jar "$ROOT/worker/target/cutover-worker-exec.jar" >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 180); do
    grep -q "cutover worker ready" "$log" && { WORKERS+=("$pid $log"); return 0; }
    kill -0 "$pid" 2>/dev/null || fail "worker $1 exited: $(tail -5 "$log")"
    sleep 1
  done
  fail "worker $1 did not start"
}

# bouncer_field COLUMN: that column of the shop entry in PgBouncer's SHOW DATABASES.
bouncer_field() {
  PGPASSWORD=$BOUNCER_PASSWORD "$E2E_PG_BIN/psql" -X -A -F'|' -h "$OLD_ADDR" -p "$BOUNCER_PORT" -U pgbouncer pgbouncer \
    -c 'show databases' 2>/dev/null | awk -F'|' -v f="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == f) c = i; next } $1 == "shop" { print $c }'
}
old_frozen() { # the number of settings a switch's freeze put on old's shop (0: not frozen)
  psql_at old "select count(*) from pg_db_role_setting where setdatabase = (select oid from pg_database where datname = 'shop')"
}
new_subscriptions() {
  psql_at new "select count(*) from pg_subscription s join pg_database d on d.oid = s.subdbid where d.datname = 'shop'"
}
# outcome: what a switch left: "new fully switched", "old serving", or "HALF: ..." with the parts.
outcome() {
  local host paused frozen subs
  host=$(bouncer_field host); paused=$(bouncer_field paused); frozen=$(old_frozen); subs=$(new_subscriptions)
  if [[ "$paused" == 0 && "$host" == "$NEW_ADDR" && "$subs" == 0 && "$frozen" -gt 0 ]]; then
    echo "new fully switched"
  elif [[ "$paused" == 0 && "$host" != "$NEW_ADDR" && "$subs" -gt 0 && "$frozen" == 0 ]]; then
    echo "old serving"
  else
    echo "HALF: bouncer to $host paused $paused, old frozen settings $frozen, subscriptions on new $subs"
  fi
}

# kill_inside I: with the switch approved, SIGKILLs the worker that runs its section while the
# section holds the clients: odd I before the commit point (PgBouncer paused, old frozen, new's
# catch-up blocked by a lock on orders, released after the kill), even I after it (in the inside
# command). Prints what it killed and where; the other worker's retry takes over.
KILL_BLOCKER=
kill_inside() {
  local i=$1 victim="" w pid log at
  for _ in $(seq 1 1200); do
    for w in "${WORKERS[@]}"; do
      read -r pid log <<<"$w"
      grep -q "starts step switch-db of $ID, attempt 1 " "$log" && { victim=$pid; break 2; }
    done
    sleep 0.05
  done
  if [[ -z "$victim" ]]; then
    end_block
    echo "no worker was seen starting the section: nothing killed"
    return 0
  fi
  if (( i % 2 == 1 )); then
    for _ in $(seq 1 1200); do
      [[ "$(bouncer_field paused)" == 1 && "$(old_frozen)" -gt 0 ]] && break
      sleep 0.02
    done
    at="before the commit point (PgBouncer paused, old frozen, catch-up blocked)"
  else
    for _ in $(seq 1 1200); do [[ -e "$OLD_ETC/inside-mark" ]] && break; sleep 0.02; done
    at="after the commit point (in the inside command)"
  fi
  kill -KILL "$victim"
  local state="paused $(bouncer_field paused), old frozen settings $(old_frozen), subscriptions on new $(new_subscriptions)"
  local rest=()
  for w in "${WORKERS[@]}"; do read -r pid log <<<"$w"; [[ $pid == "$victim" ]] || rest+=("$w"); done
  WORKERS=("${rest[@]}")
  end_block
  echo "worker $victim SIGKILLed $at; then $state"
}
end_block() { # ends the lock block_catch_up took, if it did
  [[ -n "$KILL_BLOCKER" ]] || return 0
  psql_at new "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = 'bench-kill-block'" >/dev/null
  wait "$KILL_BLOCKER" 2>/dev/null || true
  KILL_BLOCKER=
}
# block_catch_up: new's apply stalls on orders until kill_inside ends the lock.
block_catch_up() {
  "${PG[@]}" psql new -q -c "BEGIN; SET application_name = 'bench-kill-block'; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600); COMMIT;" \
    >>"$WORK/kill-block.log" 2>&1 &
  KILL_BLOCKER=$!
  PIDS+=("$KILL_BLOCKER")
  for _ in $(seq 1 100); do
    [[ "$(psql_at new "select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'orders' and l.mode = 'AccessExclusiveLock' and l.granted")" -gt 0 ]] && return 0
    sleep 0.1
  done
  fail "the lock that blocks new's catch-up was not granted: $(tail -3 "$WORK/kill-block.log")"
}
KILL_HALF=0

# one METHOD I: one switch, its figures appended to RESULTS.
one() {
  local method=$1 i=$2 prefix="$1$2" t_from t_to frozen="" note="" st live killed="" left
  ID="cutover-bench-sw-$method-$i"
  bouncer_start
  if [[ $method == switch || $method == kill ]]; then app_start bouncer; else app_start old; fi
  client_start "$prefix"
  if [[ $method == hand ]]; then
    sleep 2
    t_from=$(date +%s.%N)
    frozen=$(switch_by_hand) || fail "hand #$i: the switch by hand failed"
    t_to=$(date +%s.%N)
  else
    plan "$method" "bench-sw-$method-$i" >"$WORK/$prefix.yaml"
    "${CLI[@]}" start "$WORK/$prefix.yaml" >"$WORK/$prefix.start.log" 2>&1 || { cat "$WORK/$prefix.start.log"; fail "$method #$i: cutover start"; }
    wait_gate go 1800
    if [[ $method == replicate || $method == switch || $method == kill ]]; then
      for _ in $(seq 1 3600); do caught_up && break; sleep 0.5; done
      caught_up || fail "$method #$i: the replication did not catch up within 30 minutes"
    fi
    sleep 2   # the users write on, at their rate, before the switch
    t_from=$(date +%s.%N)
    if [[ $method == kill ]]; then
      rm -f "$OLD_ETC/inside-mark"
      if (( i % 2 == 1 )); then block_catch_up; else touch "$OLD_ETC/kill-armed"; chmod 666 "$OLD_ETC/kill-armed"; fi
    fi
    "${CLI[@]}" approve "$ID" go --comment bench >"$WORK/$prefix.approve.log" 2>&1 || { cat "$WORK/$prefix.approve.log"; fail "$method #$i: approve"; }
    if [[ $method == kill ]]; then
      killed=$(kill_inside "$i")
      say "kill #$i: $killed"
    fi
    st=$(wait_done 1800)
    t_to=$(date +%s.%N)
    status_json >"$WORK/$prefix-done.json" 2>/dev/null || true
    "${CLI[@]}" status "$ID" >"$WORK/$prefix-done.txt" 2>&1 || true
    [[ -s "$WORK/$prefix-done.json" ]] && frozen=$(frozen_of "$WORK/$prefix-done.json")
    if [[ "$st" != COMPLETED ]]; then
      note="workflow $st: $(grep -m1 -iE 'error|failed' "$WORK/$prefix-done.txt" | tr -s ' ' | cut -c1-160)"
      say "$method #$i: $note"
      temporal workflow terminate --address "$ADDR" --workflow-id "$ID" --reason bench >/dev/null 2>&1 || true
    fi
  fi
  if [[ $method == kill ]]; then
    left=$(outcome)
    [[ $left == HALF* ]] && KILL_HALF=$((KILL_HALF + 1))
    note="${note:+$note; }${killed}; at the end: $left"
  fi
  sleep 2     # the users write on after the switch
  client_stop
  live=$(live_db "$prefix")
  present "$live" "$prefix" "$WORK/$prefix.present"
  [[ $method == hand || $live == new ]] || note="${note:+$note; }the app ended on $live"
  python3 "$ROOT/bench/switch/figures.py" one --method "$method" --switch "$i" --log "$WORK/client-$prefix.log" \
    --present "$WORK/$prefix.present" --from "$t_from" --to "$t_to" ${frozen:+--frozen "$frozen"} --note "$note" >>"$RESULTS"
  tail -1 "$RESULTS" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("bench: %s #%s: gap %s s, %d errors, %d acked, %d lost, held up to %.2f s, frozen %s s%s" % (r["method"], r["switch"], None if r["gap"] is None else round(r["gap"],3), r["errors"], r["acked"], r["lost"], r["held"], r["frozen"], (" (" + r["note"] + ")") if r["note"] else ""))' >&2
  app_stop
  reset_shop
  if [[ $method == kill ]]; then
    worker_start "after-kill-$i"   # two running again for the next kill
  fi
}

start_temporal >/dev/null
WORKER_ENV=(CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS"
  E2E_PG_PASSWORD="$E2E_PG_PASSWORD" BENCH_BOUNCER_PASSWORD="$BOUNCER_PASSWORD")
worker_start a
[[ " $METHODS " == *" kill "* ]] && worker_start b

for method in $METHODS; do
  n=$SWITCHES
  [[ $method == kill ]] && n=$KILLS
  for i in $(seq 1 "$n"); do
    one "$method" "$i"
  done
done

cp "$RESULTS" /tmp/cutover-bench-switch-results.jsonl
rate=$(awk -v c="$CLIENTS" -v i="$INTERVAL" 'BEGIN{printf "%d clients, one order each every %ss (about %d writes/s)", c, i, c/i}')
rc=0
python3 "$ROOT/bench/switch/figures.py" table "$RESULTS" "$SCALE" "$rate" "$PG_VERSION" || rc=$?
if (( KILL_HALF > 0 )); then echo "FAILED: $KILL_HALF killed switches left old and new half switched"; rc=1; fi
echo "bench total $(( $(date +%s) - b0 ))s"
exit $rc
