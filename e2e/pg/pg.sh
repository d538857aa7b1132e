#!/usr/bin/env bash
# PostgreSQL servers for the database scenarios: one cluster on `old`, one on `new`, each with its
# own data dir, Debian's PostgreSQL (newest /usr/lib/postgresql/<v>/bin), run as OS user postgres.
# Run as root. See README.md in this folder.
#
#   pg.sh up [--scale N]        in the network-namespace hosts of e2e/ssh/hosts.sh (run its `up`
#                               first): old listens on 10.231.0.2 and new on 10.231.0.3 (and each
#                               on its own 127.0.0.1), port 5432; shop on old gets pgbench -i -s N
#                               (default 5), shop on new stays empty
#   pg.sh local-up [--scale N]  the same as two clusters on this machine's loopback, free ports
#   pg.sh reset [--scale N]     drop and make both shops again as after up (a second scenario)
#   pg.sh add-db NAME [--scale N]  one more database like shop: NAME on old loaded (default scale
#                               1), NAME on new empty, both owned by app (one app each in a fleet)
#   pg.sh down                  stop both clusters, delete their state dir
#   pg.sh env                   export lines for a scenario to eval (addresses, ports, passwords)
#   pg.sh psql old|new [ARGS]   psql as postgres over the cluster's own socket, database shop
#   pg.sh status                what runs
#
# State dir: $E2E_PG_DIR, default $E2E_SSH_DIR/pg (namespaces; hosts.sh down removes it too) or
# /tmp/cutover-e2e-pg (local-up). Roles: `cutover` (superuser + replication, the role the plans
# use) and `app` (owner of shop, the role the load driver writes as), with passwords made fresh by
# every up. Clients over TCP need scram; the socket (a 0700 dir of postgres) trusts.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOSTS_SH="$HERE/../ssh/hosts.sh"
SSH_DIR="${E2E_SSH_DIR:-/tmp/cutover-e2e-ssh}"
SUBNET=10.231.0.0/24
BRIDGE=cutbr0
MARKER=.cutover-e2e-pg
declare -A NS_ADDR=([old]=10.231.0.2 [new]=10.231.0.3)

say() { echo "pg: $*"; }
die() { echo "pg: FAILED: $*" >&2; exit 1; }
known() { case "${1:-}" in old|new) ;; *) die "unknown cluster '${1:-}' (old or new)";; esac; }

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n "$d" && -x "$d/postgres" && -x "$d/pgbench" ]] || die "no PostgreSQL server in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  echo "$d"
}
BIN=$(bin_dir)

state_dir() { # MODE: where the clusters of that mode live
  local d
  if [[ -n "${E2E_PG_DIR:-}" ]]; then d=$E2E_PG_DIR
  elif [[ $1 == netns ]]; then d=$SSH_DIR/pg
  else d=/tmp/cutover-e2e-pg; fi
  [[ "$d" =~ ^/tmp/[A-Za-z0-9._/-]+$ || "$d" =~ ^/var/tmp/[A-Za-z0-9._/-]+$ ]] || die "the state dir must lie under /tmp or /var/tmp: $d"
  echo "${d%/}"
}

# The state dir of clusters that are up: the netns one if it has our marker, else the local one.
current_dir() {
  local d
  for mode in netns local; do
    d=$(state_dir "$mode")
    [[ -f "$d/$MARKER" ]] && { echo "$d"; return 0; }
  done
  return 1
}

# Safety, as in hosts.sh: a namespace address is only ever reached through our bridge.
assert_local_route() { # ADDR
  local out
  out=$(ip -o route get "$1" 2>&1) || die "no route to $1: $out"
  [[ "$out" == "$1 dev $BRIDGE "* ]] || die "route to $1 does not go through $BRIDGE: $out"
}

# ---------------------------------------------------------------------------------------------
as_pg() { runuser -u postgres -- "$@"; }

write_config() { # DIR LABEL LISTEN PORT
  local d=$1 h=$2 listen=$3 port=$4
  cat >>"$d/$h/data/postgresql.conf" <<EOF

# --- cutover e2e cluster '$h' (written by e2e/pg/pg.sh)
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$d/$h/sock'
max_connections = 100
wal_level = logical
max_wal_senders = 20
max_replication_slots = 20
max_logical_replication_workers = 8
max_worker_processes = 16
# A throwaway test cluster: no flush to disk (both runs of the benchmark alike).
fsync = off
full_page_writes = off
log_line_prefix = '%m [%p] %q%u@%d %a '
log_connections = off
log_min_messages = warning
EOF
  cat >"$d/$h/data/pg_hba.conf" <<EOF
# cutover e2e cluster '$h' (written by e2e/pg/pg.sh)
local   all          all                      trust
host    all          all          127.0.0.1/32  scram-sha-256
host    replication  all          127.0.0.1/32  scram-sha-256
host    all          all          $SUBNET  scram-sha-256
host    replication  all          $SUBNET  scram-sha-256
EOF
}

# start_cluster DIR LABEL MODE: pg_ctl start, inside the host's namespaces for netns.
start_cluster() {
  local d=$1 h=$2 mode=$3
  local -a pgctl=(runuser -u postgres -- "$BIN/pg_ctl" -D "$d/$h/data" -l "$d/$h/postgres.log" -w -t 60 start)
  if [[ $mode == netns ]]; then
    bash "$HOSTS_SH" exec "$h" "${pgctl[@]}" >/dev/null || die "postgres on $h did not start (see $d/$h/postgres.log)"
  else
    "${pgctl[@]}" >/dev/null || die "postgres $h did not start (see $d/$h/postgres.log)"
  fi
}

psql_admin() { # DIR LABEL PORT DB SQL...: as postgres over the socket
  local d=$1 h=$2 port=$3 db=$4; shift 4
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$d/$h/sock" -p "$port" -U postgres -d "$db" "$@"
}

# load_shop DIR SCALE [DB]: pgbench -i on old's shop (or DB) plus the acked table.
load_shop() {
  local d=$1 scale=$2 db=${3:-shop} port
  port=$(cat "$d/old.port")
  # As app over the socket: app owns what pgbench creates, as an application's tables would be.
  "$BIN/pgbench" -i -I dtGvp -s "$scale" -q -h "$d/old/sock" -p "$port" -U app "$db" >"$d/old/pgbench-init-$db.log" 2>&1 \
    || die "pgbench -i on old's $db (see $d/old/pgbench-init-$db.log)"
  # pgbench makes its history without a key; logical replication needs one on every table it
  # publishes (else the old server refuses UPDATE and DELETE there), as a real app's would have.
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$d/old/sock" -p "$port" -U app -d "$db" \
    -c 'ALTER TABLE pgbench_history ADD COLUMN hid bigserial PRIMARY KEY'
  # acked: one row per transaction of the load driver, keyed by (run, client, n) = the driver's
  # pgbench run, its client and the n-th transaction of that client (see load.sh); id is the
  # sequence that must continue on new without collision.
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$d/old/sock" -p "$port" -U app -d "$db" <<'SQL'
CREATE TABLE acked (
  id bigserial PRIMARY KEY,
  run integer NOT NULL,
  client integer NOT NULL,
  n integer NOT NULL,
  aid integer NOT NULL,
  delta integer NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (run, client, n)
);
ANALYZE acked;
SQL
}

# reset SCALE: both shops dropped and made again as after up (a second scenario on the same
# clusters). What a migration left behind goes first: subscriptions on new (without touching
# old's slot, dropped next), inactive slots and publications on old.
reset() {
  local d scale=$1 h port t0
  t0=$(date +%s.%N)
  d=$(current_dir) || die "no clusters: run pg.sh up or local-up first"
  for h in old new; do
    port=$(cat "$d/$h.port")
    local subs sub
    subs=$(psql_admin "$d" "$h" "$port" shop -At -c "select subname from pg_subscription s join pg_database d on d.oid = s.subdbid where d.datname = 'shop'")
    for sub in $subs; do
      psql_admin "$d" "$h" "$port" shop -c "ALTER SUBSCRIPTION \"$sub\" DISABLE" -c "ALTER SUBSCRIPTION \"$sub\" SET (slot_name = NONE)" -c "DROP SUBSCRIPTION \"$sub\"" >/dev/null
    done
  done
  for h in old new; do
    port=$(cat "$d/$h.port")
    psql_admin "$d" "$h" "$port" postgres >/dev/null <<SQL
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'shop' AND pid <> pg_backend_pid();
DROP DATABASE IF EXISTS shop WITH (FORCE);
CREATE DATABASE shop OWNER app;
SQL
  done
  load_shop "$d" "$scale"
  echo "figure: shop reset on old and new (pgbench -i -s $scale) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"
}

# add_db NAME SCALE: NAME on both clusters, owned by app; old's loaded like shop, new's empty.
add_db() {
  local db=$1 scale=$2 d h t0
  t0=$(date +%s.%N)
  [[ "$db" =~ ^[a-z][a-z0-9_]*$ && "$db" != shop ]] || die "add-db needs a plain database name other than shop: $db"
  d=$(current_dir) || die "no clusters: run pg.sh up or local-up first"
  for h in old new; do
    psql_admin "$d" "$h" "$(cat "$d/$h.port")" postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER app" >/dev/null
  done
  load_shop "$d" "$scale" "$db"
  echo "figure: $db on old (pgbench -i -s $scale, $(psql_admin "$d" old "$(cat "$d/old.port")" "$db" -At \
    -c "select pg_size_pretty(pg_database_size('$db'))")) and empty on new in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"
}

rand_secret() { echo "e2e-pg-$1-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"; }

up() { # MODE SCALE
  local mode=$1 scale=$2 d h port listen t0
  t0=$(date +%s.%N)
  [[ "$(id -u)" == 0 ]] || die "run as root"
  id postgres >/dev/null 2>&1 || die "no OS user postgres (apt-get install postgresql)"
  d=$(state_dir "$mode")
  if [[ $mode == netns ]]; then
    local st
    st=$(bash "$HOSTS_SH" status)
    [[ "$st" == *"old: up"* && "$st" == *"new: up"* ]] || die "hosts old and new are not up: run e2e/ssh/hosts.sh up first ($st)"
  fi
  if [[ -e "$d" ]]; then say "cleaning up leftovers in $d"; down_dir "$d"; fi
  mkdir -p "$d"; chmod 755 "$d"; touch "$d/$MARKER"
  echo "$mode" >"$d/mode"
  local cutover_pw app_pw
  cutover_pw=$(rand_secret cutover); app_pw=$(rand_secret app)
  printf 'cutover %s\napp %s\n' "$cutover_pw" "$app_pw" >"$d/passwords"; chmod 600 "$d/passwords"
  for h in old new; do
    if [[ $mode == netns ]]; then port=5432; listen="${NS_ADDR[$h]},127.0.0.1"
    else port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'); listen=127.0.0.1; fi
    echo "$port" >"$d/$h.port"
    mkdir -p "$d/$h/data" "$d/$h/sock"
    chown -R postgres:postgres "$d/$h"; chmod 700 "$d/$h/data" "$d/$h/sock"; chmod 755 "$d/$h"
    printf '%s\n' "$(rand_secret postgres)" >"$d/$h/pwfile"; chown postgres "$d/$h/pwfile"; chmod 600 "$d/$h/pwfile"
    as_pg "$BIN/initdb" -D "$d/$h/data" -U postgres --pwfile="$d/$h/pwfile" -A scram-sha-256 \
      --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$d/$h/initdb.log" 2>&1 || die "initdb $h (see $d/$h/initdb.log)"
    rm -f "$d/$h/pwfile"
    touch "$d/$h/postgres.log"; chown postgres "$d/$h/postgres.log"
    write_config "$d" "$h" "$listen" "$port"
    start_cluster "$d" "$h" "$mode"
    psql_admin "$d" "$h" "$port" postgres <<SQL
CREATE ROLE cutover LOGIN SUPERUSER REPLICATION PASSWORD '$cutover_pw';
CREATE ROLE app LOGIN PASSWORD '$app_pw';
CREATE DATABASE shop OWNER app;
SQL
  done
  say "old and new up (state in $d, $mode); loading shop on old: pgbench -i -s $scale"
  local t1 t2
  t1=$(date +%s.%N)
  load_shop "$d" "$scale"
  t2=$(date +%s.%N)
  local size
  size=$(psql_admin "$d" old "$(cat "$d/old.port")" shop -At -c "select pg_size_pretty(pg_database_size('shop'))")
  verify "$d" "$mode"
  echo "figure: pgbench -i -s $scale on old in $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.1f", b-a}')s ($size)"
  echo "figure: PostgreSQL clusters up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"
}

ok() { echo "check: $* ok"; }

verify() { # DIR MODE
  local d=$1 mode=$2 h addr port out cutover_pw app_pw
  cutover_pw=$(awk '$1=="cutover"{print $2}' "$d/passwords"); app_pw=$(awk '$1=="app"{print $2}' "$d/passwords")
  for h in old new; do
    port=$(cat "$d/$h.port")
    if [[ $mode == netns ]]; then addr=${NS_ADDR[$h]}; assert_local_route "$addr"; else addr=127.0.0.1; fi
    out=$(PGPASSWORD=$cutover_pw PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -At -h "$addr" -p "$port" -U cutover -d shop \
      -c "select current_setting('wal_level') || ' ' || (select rolsuper and rolreplication from pg_roles where rolname = 'cutover')") \
      || die "cutover cannot log in to $h at $addr:$port"
    [[ "$out" == "logical true" ]] || die "$h: wal_level and cutover's rights read: $out"
    ok "cutover -> $h shop at $addr:$port with scram: wal_level logical, superuser, replication"
    PGPASSWORD=$app_pw PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -At -h "$addr" -p "$port" -U app -d shop -c 'select 1' >/dev/null \
      || die "app cannot log in to $h at $addr:$port"
    if PGPASSWORD=wrong PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -At -h "$addr" -p "$port" -U cutover -d shop -c 'select 1' >/dev/null 2>&1; then
      die "$h accepted a wrong password"
    fi
    ok "app -> $h logs in; a wrong password is refused"
  done
  if [[ $mode == netns ]]; then
    # The subscription on new connects to old: from new's namespace through its own veth.
    out=$(bash "$HOSTS_SH" exec new env PGPASSWORD="$cutover_pw" PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -At \
      -h "${NS_ADDR[old]}" -U cutover -d shop -c 'select inet_server_addr()') || die "new cannot reach old's server"
    [[ "$out" == "${NS_ADDR[old]}" ]] || die "new reached $out instead of old"
    ok "new -> old (${NS_ADDR[old]}:5432) from new's namespace, as the subscription will"
  fi
  out=$(psql_admin "$d" old "$(cat "$d/old.port")" shop -At -c "select count(*) from pgbench_accounts")
  ok "old shop has $out pgbench_accounts rows and an empty acked table"
  out=$(psql_admin "$d" new "$(cat "$d/new.port")" shop -At -c "select count(*) from pg_tables where schemaname = 'public'")
  [[ "$out" == 0 ]] || die "new's shop is not empty ($out tables)"
  ok "new shop is empty"
}

stop_cluster() { # DIR LABEL
  local d=$1 h=$2
  [[ -f "$d/$h/data/postmaster.pid" ]] || return 0
  runuser -u postgres -- "$BIN/pg_ctl" -D "$d/$h/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
}

down_dir() { # DIR
  local d=$1 h
  [[ -d "$d" ]] || return 0
  [[ -f "$d/$MARKER" ]] || { [[ -z "$(ls -A "$d")" ]] && rmdir "$d" && return 0; die "$d is not ours (no $MARKER): not deleting it"; }
  for h in old new; do stop_cluster "$d" "$h"; done
  rm -rf "$d"
}

down() {
  local mode
  for mode in netns local; do down_dir "$(state_dir "$mode")"; done
}

env_lines() {
  local d mode cutover_pw app_pw old_addr new_addr
  d=$(current_dir) || die "no clusters: run pg.sh up or local-up first"
  mode=$(cat "$d/mode")
  cutover_pw=$(awk '$1=="cutover"{print $2}' "$d/passwords"); app_pw=$(awk '$1=="app"{print $2}' "$d/passwords")
  if [[ $mode == netns ]]; then old_addr=${NS_ADDR[old]}; new_addr=${NS_ADDR[new]}
  else old_addr=127.0.0.1; new_addr=127.0.0.1; fi
  local v
  for v in \
    "E2E_PG_DIR=$d" \
    "E2E_PG_MODE=$mode" \
    "E2E_PG_BIN=$BIN" \
    "E2E_PG_OLD_ADDR=$old_addr" \
    "E2E_PG_OLD_PORT=$(cat "$d/old.port")" \
    "E2E_PG_OLD_SOCK=$d/old/sock" \
    "E2E_PG_NEW_ADDR=$new_addr" \
    "E2E_PG_NEW_PORT=$(cat "$d/new.port")" \
    "E2E_PG_NEW_SOCK=$d/new/sock" \
    "E2E_PG_PASSWORD=$cutover_pw" \
    "E2E_PG_APP_PASSWORD=$app_pw"; do
    printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
  done
}

status() {
  local d h
  d=$(current_dir) || { echo "no clusters"; return 0; }
  for h in old new; do
    if runuser -u postgres -- "$BIN/pg_ctl" -D "$d/$h/data" status >/dev/null 2>&1; then
      echo "$h: up, port $(cat "$d/$h.port"), $(cat "$d/mode"), data $d/$h/data"
    else echo "$h: down"; fi
  done
}

scale_arg() { # ARGS...: --scale N (default 5)
  local s=5
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --scale) s=${2:-}; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ "$s" =~ ^[1-9][0-9]*$ ]] || die "--scale needs a whole number: $s"
  echo "$s"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case "$cmd" in
  up) up netns "$(scale_arg "$@")" ;;
  local-up) up local "$(scale_arg "$@")" ;;
  reset) reset "$(scale_arg "$@")" ;;
  add-db)
    [[ $# -gt 0 ]] || die "add-db needs a database name"
    db=$1; shift
    add_db "$db" "$(scale_arg --scale 1 "$@")" ;;
  down) down; say "down" ;;
  env) env_lines ;;
  status) status ;;
  psql)
    known "${1:-}"; h=$1; shift
    d=$(current_dir) || die "no clusters: run pg.sh up or local-up first"
    exec "$BIN/psql" -X -v ON_ERROR_STOP=1 -h "$d/$h/sock" -p "$(cat "$d/$h.port")" -U postgres -d shop "$@" ;;
  *) sed -n '2,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
