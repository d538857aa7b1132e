#!/usr/bin/env bash
# End to end, the production shape of docker-compose.yml without Docker: the real Temporal server
# 1.31.2 on PostgreSQL, its web UI 2.54.1 and two cutover workers, all on loopback.
#  - Binaries: the server, its SQL tool (temporal-sql-tool) and the UI server are the Go modules
#    the images are built from, built with `go install` once into a versioned cache that outlives
#    CI runs ($CUTOVER_CACHE, default /var/cache/cutover) and reused after.
#  - Same code as compose: PostgreSQL gets a cluster of its own (initdb in a temp dir); the schemas
#    and the namespace with cutover's search attributes are set up by compose's own
#    deploy/compose/scripts (setup-schema.sh, create-namespace.sh) with the container paths
#    overridden; the server starts through compose's start-server.sh and the image's entrypoint
#    (from the server module) with compose's environment, so it renders the server's own embedded
#    config template; the UI server runs with the image's config/docker.yaml and compose's
#    environment; the workers start through compose's start-worker.sh.
#  - The run, e2e/plans/production.yaml through the cutover CLI: go-downtime approved in the web UI
#    in headless Chromium (e2e/browser) by update approveGate, after an update the workflow refuses
#    (shown at once in the UI, no event in the history); go-live needs a signature (an approver
#    with a key made for the run): the UI's unsigned update is refused with how to sign, the CLI
#    approves it with --sign-with; the worker that runs long-copy SIGKILLed, the other one
#    finishes it exactly once and stops what the dead attempt left running; the server stopped with
#    SIGTERM while go-live waits and SIGKILLed while go-verify waits, started again each time, the
#    gate approved after, the run completes. A worker's log must say the server went and came back
#    in a few lines.
# Ports (loopback only): $E2E_PROD_PORT_BASE (default 17200) + 1 PostgreSQL, +33 frontend gRPC,
# +34 history, +35 matching, +39 worker service, +43 frontend HTTP, +63..69 membership, +80 UI.
# Run as root (initdb runs as the postgres user). Prints one "figure:" line per figure.
#   usage: e2e/production.sh [--bench N]
# --bench N: after the scenario, bench/step-overhead.sh N against this server on PostgreSQL and
# against the dev server, side by side (a benchmark: figures only).
set -euo pipefail
BENCH_N=
case ${1:-} in
  --bench) BENCH_N=${2:?--bench needs a step count} ;;
  '') ;;
  *) echo "usage: e2e/production.sh [--bench N]" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"

TEMPORAL_VERSION=1.31.2
UI_VERSION=2.54.1
CACHE=${CUTOVER_CACHE:-/var/cache/cutover}
SERVER_DIR="$CACHE/temporal-server-$TEMPORAL_VERSION"
UI_DIR="$CACHE/temporal-ui-$UI_VERSION"
BASE=${E2E_PROD_PORT_BASE:-17200}
PG_PORT=$((BASE + 1))
FRONTEND_PORT=$((BASE + 33))
UI_PORT=$((BASE + 80))
ADDR="127.0.0.1:$FRONTEND_PORT"
export TEMPORAL_ADDRESS="$ADDR"
SCRIPTS="$ROOT/deploy/compose/scripts"
BROWSER_JAR="$ROOT/e2e/browser/target/cutover-e2e-browser.jar"
OUT="$ROOT/e2e/out/production"
ID=cutover-e2e-production
[[ "$(id -u)" == 0 ]] || fail "run as root (PostgreSQL's initdb runs as the postgres user)"

# --- binaries --------------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || fail "go is not installed: the Temporal server, its SQL tool and the UI server build with go install (Go 1.26 or newer)"
# build_once DIR PACKAGE@VERSION...: go install into DIR unless its binaries are there; a build
# that stops half way leaves nothing under DIR's name.
build_once() {
  local dir=$1; shift
  local want=() p
  for p in "$@"; do p=${p%@*}; want+=("$dir/${p##*/}"); done
  local missing=0
  for p in "${want[@]}"; do [[ -x "$p" ]] || missing=1; done
  (( missing )) || return 0
  say "building $* into $dir (once; the next runs reuse it)"
  rm -rf "$dir.partial"; mkdir -p "$dir.partial"
  GOBIN="$dir.partial" GOFLAGS=-buildvcs=false go install "$@" >"$WORK/go-install.log" 2>&1 \
    || { tail -20 "$WORK/go-install.log"; fail "go install $*"; }
  rm -rf "$dir"; mv "$dir.partial" "$dir"
  BUILT=1
}
BUILT=0
t_build=$(date +%s)
mkdir -p "$CACHE"
build_once "$SERVER_DIR" "go.temporal.io/server/cmd/server@v$TEMPORAL_VERSION" "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_VERSION"
build_once "$UI_DIR" "github.com/temporalio/ui-server/v2/cmd/server@v$UI_VERSION"
t_build=$(( $(date +%s) - t_build ))
# The modules' own files: the schema and the server image's entrypoint; the UI image's config.
moddir() { go mod download -json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])'; }
SERVER_MOD=$(moddir "go.temporal.io/server@v$TEMPORAL_VERSION") || fail "go mod download go.temporal.io/server@v$TEMPORAL_VERSION"
UI_MOD=$(moddir "github.com/temporalio/ui-server/v2@v$UI_VERSION") || fail "go mod download ui-server@v$UI_VERSION"
[[ -d "$SERVER_MOD/schema/postgresql/v12" && -f "$SERVER_MOD/docker/scripts/sh/entrypoint.sh" && -f "$UI_MOD/config/docker.yaml" ]] \
  || fail "the server module has no schema/postgresql/v12 or docker entrypoint, or the UI module no config/docker.yaml"
mkdir -p "$WORK/bin" "$WORK/bootstrap"
ln -s "$SERVER_DIR/server" "$WORK/bin/temporal-server"   # the name the image's entrypoint execs

ensure_browser_jar
[[ -x /usr/bin/chromedriver ]] && command -v chromium >/dev/null 2>&1 || fail "chromium and chromium-driver are needed to approve in the web UI"
mkdir -p "$OUT"
rm -f "$OUT"/*.png

for p in "$PG_PORT" "$FRONTEND_PORT" $((BASE + 34)) $((BASE + 35)) $((BASE + 39)) $((BASE + 43)) \
    $((BASE + 63)) $((BASE + 64)) $((BASE + 65)) $((BASE + 69)) "$UI_PORT"; do
  [[ -z "$(ss -Hltn "sport = :$p")" ]] || fail "port $p is taken (set E2E_PROD_PORT_BASE to move the scenario's ports)"
done

# --- PostgreSQL --------------------------------------------------------------------------------
t_setup=$(date +%s)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PG_BIN/initdb" ]] || fail "PostgreSQL's server package is not installed (initdb)"
PGDIR=$(mktemp -d /tmp/cutover-e2e-prod-pg.XXXXXX)
chown postgres: "$PGDIR"
CLEANUPS+=("$(printf 'runuser -u postgres -- %q -D %q -m immediate -w stop >/dev/null 2>&1; rm -rf %q' "$PG_BIN/pg_ctl" "$PGDIR/data" "$PGDIR")")
PG_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
(umask 077; printf '%s\n' "$PG_PASSWORD" >"$PGDIR/pwfile"); chown postgres: "$PGDIR/pwfile"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDIR/data" -U temporal --pwfile="$PGDIR/pwfile" -A scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; fail "initdb"; }
rm -f "$PGDIR/pwfile"
cat >>"$PGDIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDIR'
max_connections = 200
EOF
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/postgres.log" -w -t 60 start >/dev/null \
  || { cat "$PGDIR/postgres.log"; fail "PostgreSQL did not start"; }
say "PostgreSQL on 127.0.0.1:$PG_PORT"

# --- schemas: compose's temporal-schema job ------------------------------------------------------
SQL_PLUGIN=postgres12 SQL_HOST=127.0.0.1 SQL_PORT="$PG_PORT" SQL_USER=temporal SQL_PASSWORD="$PG_PASSWORD" \
  TEMPORAL_SQL_TOOL="$SERVER_DIR/sql" SCHEMA_ROOT="$SERVER_MOD/schema/postgresql/v12" BOOTSTRAP_DIR="$WORK/bootstrap" \
  sh "$SCRIPTS/setup-schema.sh" >"$WORK/schema.log" 2>&1 || { cat "$WORK/schema.log"; fail "setup-schema.sh"; }
tail -1 "$WORK/schema.log"

# --- the server: compose's temporal service ------------------------------------------------------
SERVER_PID=
start_server() {
  env PATH="$WORK/bin:$PATH" BOOTSTRAP_DIR="$WORK/bootstrap" \
    TEMPORAL_SERVER_ENTRYPOINT="bash $SERVER_MOD/docker/scripts/sh/entrypoint.sh" \
    DB=postgres12 DB_PORT="$PG_PORT" VISIBILITY_DB_PORT="$PG_PORT" POSTGRES_SEEDS=127.0.0.1 \
    POSTGRES_USER=temporal POSTGRES_PWD="$PG_PASSWORD" BIND_ON_IP=127.0.0.1 \
    DYNAMIC_CONFIG_FILE_PATH="$ROOT/deploy/compose/dynamicconfig/development-sql.yaml" \
    FRONTEND_GRPC_PORT="$FRONTEND_PORT" FRONTEND_HTTP_PORT=$((BASE + 43)) HISTORY_GRPC_PORT=$((BASE + 34)) \
    MATCHING_GRPC_PORT=$((BASE + 35)) WORKER_GRPC_PORT=$((BASE + 39)) FRONTEND_MEMBERSHIP_PORT=$((BASE + 63)) \
    HISTORY_MEMBERSHIP_PORT=$((BASE + 64)) MATCHING_MEMBERSHIP_PORT=$((BASE + 65)) WORKER_MEMBERSHIP_PORT=$((BASE + 69)) \
    sh "$SCRIPTS/start-server.sh" >>"$WORK/temporal.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
}
# wait_healthy SECONDS: until the frontend answers its health check.
wait_healthy() {
  local deadline=$(( $(date +%s) + $1 ))
  while (( $(date +%s) < deadline )); do
    temporal operator cluster health --address "$ADDR" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the Temporal server exited (see temporal.log)"
    sleep 0.5
  done
  fail "the Temporal server is not healthy after $1 s"
}
start_server
wait_healthy 180
t_server=$(date +%s)
say "Temporal server $TEMPORAL_VERSION on PostgreSQL at $ADDR"

# --- namespace and search attributes: compose's temporal-namespace job -------------------------
TEMPORAL_ADDRESS="$ADDR" TEMPORAL_NAMESPACE=default NAMESPACE_RETENTION=72h TEMPORAL_CLI="$(command -v temporal)" \
  BOOTSTRAP_DIR="$WORK/bootstrap" sh "$SCRIPTS/create-namespace.sh" >"$WORK/namespace.log" 2>&1 \
  || { cat "$WORK/namespace.log"; fail "create-namespace.sh"; }
cat "$WORK/namespace.log"

# --- the web UI: compose's temporal-ui service, the image's config/docker.yaml ------------------
# The image's config leaves the bind address at the UI server's default (every interface, inside
# the container; compose publishes it on loopback only): base.yaml, loaded before it, says loopback.
mkdir -p "$WORK/ui/config"
printf 'host: 127.0.0.1\n' >"$WORK/ui/config/base.yaml"
cp "$UI_MOD/config/docker.yaml" "$WORK/ui/config/docker.yaml"
env TEMPORAL_ADDRESS="$ADDR" TEMPORAL_UI_PORT="$UI_PORT" TEMPORAL_DEFAULT_NAMESPACE=default \
  TEMPORAL_CORS_ORIGINS="http://127.0.0.1:$UI_PORT,http://localhost:$UI_PORT" \
  "$UI_DIR/server" --root "$WORK/ui" --config config --env docker start >"$WORK/ui.log" 2>&1 &
UI_PID=$!
PIDS+=("$UI_PID")
for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://127.0.0.1:$UI_PORT/" 2>/dev/null && break; sleep 0.5; done
curl -fsS -o /dev/null "http://127.0.0.1:$UI_PORT/" || fail "the UI server does not answer on 127.0.0.1:$UI_PORT"

# --- two workers: compose's worker service, twice ------------------------------------------------
export E2E_DIR="$WORK/app"
mkdir -p "$E2E_DIR"
WORKER_PIDS=()
# start_worker N: worker N through compose's start-worker.sh; its pid is its Temporal identity's.
start_prod_worker() {
  env BOOTSTRAP_DIR="$WORK/bootstrap" CUTOVER_WORKER_JAR="$ROOT/worker/target/cutover-worker-exec.jar" \
    TEMPORAL_ADDRESS="$ADDR" TEMPORAL_NAMESPACE=default SPRING_PROFILES_ACTIVE=local CUTOVER_PASS_ENV=E2E_DIR \
    bash "$SCRIPTS/start-worker.sh" >>"$WORK/worker-$1.log" 2>&1 &
  WORKER_PIDS[$1]=$!
  PIDS+=("$!")
}
start_prod_worker 1
start_prod_worker 2
# Up to 3 minutes: a JVM and Spring Boot on a machine shared by several builds took over one.
for n in 1 2; do
  for _ in $(seq 1 360); do grep -q "cutover worker ready" "$WORK/worker-$n.log" && break; sleep 0.5; done
  grep -q "cutover worker ready" "$WORK/worker-$n.log" || fail "worker $n did not start"
done
t_ready=$(date +%s)
say "UI on http://127.0.0.1:$UI_PORT, workers pid ${WORKER_PIDS[1]} and ${WORKER_PIDS[2]}"

# Loopback only: everything the server, the UI and PostgreSQL listen on.
listening=$(ss -Hltnp | grep -E "pid=($SERVER_PID|$UI_PID)," | awk '{print $4}' || true)
[[ -n "$listening" ]] || fail "ss shows nothing the server or the UI listens on"
echo "$listening" | grep -Ev '^127\.0\.0\.1:' && fail "the server or the UI listens beyond loopback"
ss -Hltn "sport = :$PG_PORT" | awk '{print $4}' | grep -Ev '^127\.0\.0\.1:' && fail "PostgreSQL listens beyond loopback"
say "server, UI and PostgreSQL listen on 127.0.0.1 only ($(echo $listening | wc -w) server/UI sockets)"

# update_in_ui GATE COMMENT PREFIX [--expect refused --expect-reason TEXT]: sends the update
# approveGate for GATE of $ID in the web UI (screenshots PREFIX-*.png in $OUT); sets t_ui.
update_in_ui() {
  local gate=$1 comment=$2 prefix=$3; shift 3
  t_ui=$(date +%s.%N)
  java -jar "$BROWSER_JAR" approve-update --ui "http://127.0.0.1:$UI_PORT" --namespace default --workflow-id "$ID" \
    --gate "$gate" --comment "$comment" --by "e2e browser" --screenshots "$OUT" --shots-prefix "update-$prefix" "$@" \
    >"$WORK/browser-$prefix.log" 2>&1 || { cat "$WORK/browser-$prefix.log"; fail "approving $gate by update in the web UI ($prefix expected)"; }
  cat "$WORK/browser-$prefix.log"
  t_ui=$(awk -v a="$t_ui" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
}
# history_events: one line per event of $ID's history, "ID TYPE", once the run rests (no workflow
# task scheduled and not yet ended), so two calls around a refused update compare like for like.
history_events() {
  for _ in $(seq 1 40); do
    temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json >"$WORK/history-now.json"
    python3 - "$WORK/history-now.json" <<'PY' && break
import json, sys
types = [e["eventType"].removeprefix("EVENT_TYPE_").replace("_", "").lower() for e in json.load(open(sys.argv[1]))["events"]]
n = lambda t: types.count(t)
sys.exit(0 if n("workflowtaskscheduled") == n("workflowtaskcompleted") + n("workflowtaskfailed") + n("workflowtasktimedout") else 1)
PY
    sleep 0.25
  done
  python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["events"]: print(e["eventId"], e["eventType"])' "$WORK/history-now.json"
}

# --- the migration -------------------------------------------------------------------------------
# go-live needs a signed approval: the plan gets an approver whose key is made here, so the UI's
# unsigned approval of it is refused and the CLI's, signed with that key, counts.
ssh-keygen -q -t ed25519 -N '' -C "e2e approver" -f "$WORK/approver" || fail "ssh-keygen could not make the approver's key"
python3 - e2e/plans/production.yaml "$WORK/approver.pub" "$WORK/production.yaml" <<'PY' || fail "could not write the plan with its approver"
import sys
plan, pub, out = open(sys.argv[1]).read(), open(sys.argv[2]).read().split(), sys.argv[3]
gate = "  - name: go-live\n    before: switch\n"
assert gate in plan, "production.yaml has no go-live gate before switch"
plan = plan.replace(gate, gate + "    approval: {require: 1, from: [e2e-approver@cutover.test], selfApproval: true}\n")
plan += f"approvers:\n  - e2e-approver@cutover.test {pub[0]} {pub[1]} e2e approver\n"
open(out, "w").write(plan)
PY
expect_exit 0 "${CLI[@]}" validate "$WORK/production.yaml"
t_start=$(date +%s)
expect_exit 0 "${CLI[@]}" start "$WORK/production.yaml"
wait_gate go-downtime 120

# By update approveGate, as the gate's Current Details say: first one the workflow refuses (go-live
# is not open yet), which the UI must show at once and which must leave no event, then the one it
# takes. (full-move.sh and the demo keep approving by signal, which the UI offers too.)
say "approving go-downtime in the Temporal web UI (headless Chromium) by update approveGate"
history_events >"$WORK/events-before-refusal.txt"
update_in_ui go-live "e2e: approving a gate that is not open" refused --expect refused \
  --expect-reason "gate 'go-live' is not open yet"
t_ui_refused=$t_ui
history_events >"$WORK/events-after-refusal.txt"
cmp -s "$WORK/events-before-refusal.txt" "$WORK/events-after-refusal.txt" || {
  diff "$WORK/events-before-refusal.txt" "$WORK/events-after-refusal.txt" || true
  fail "the refused update left events in the history"
}
say "the refused update left no event: the history still ends at event $(tail -1 "$WORK/events-after-refusal.txt")"
update_in_ui go-downtime "e2e: production shape, go" accepted
t_ui_accepted=$t_ui

# --- a worker dies in the long step ---------------------------------------------------------------
say "waiting for long-copy to start, to SIGKILL the worker that runs it"
for _ in $(seq 1 240); do grep -q '^start ' "$E2E_DIR/long.log" 2>/dev/null && break; sleep 0.25; done
grep -q '^start ' "$E2E_DIR/long.log" 2>/dev/null || fail "long-copy never started"
runner=
for n in 1 2; do grep -q "worker ${WORKER_PIDS[$n]}@[^ ]* starts step long-copy of $ID, attempt 1 " "$WORK/worker-$n.log" && runner=$n; done
[[ -n "$runner" ]] || { grep -h "starts step" "$WORK"/worker-*.log; fail "no worker log says it starts long-copy (attempt 1)"; }
other=$(( 3 - runner ))
dead_shell=$(awk '/^start /{print $2; exit}' "$E2E_DIR/long.log")
kill -KILL "${WORKER_PIDS[$runner]}"
t_kill=$(date +%s)
wait "${WORKER_PIDS[$runner]}" 2>/dev/null || true
say "worker $runner (pid ${WORKER_PIDS[$runner]}) SIGKILLed in long-copy; its shell $dead_shell runs on"
kill -0 "$dead_shell" 2>/dev/null || fail "attempt 1's shell $dead_shell ended with its worker: nothing left for the retry to stop"
# Compose's restart: on-failure brings a dead worker back; so does this, once the retry is under way.
for _ in $(seq 1 240); do grep -q "starts step long-copy of $ID, attempt 2 " "$WORK/worker-$other.log" && break; sleep 0.25; done
grep -q "worker ${WORKER_PIDS[$other]}@[^ ]* starts step long-copy of $ID, attempt 2 " "$WORK/worker-$other.log" \
  || fail "worker $other did not start attempt 2 of long-copy"
t_retry=$(date +%s)
for _ in $(seq 1 120); do kill -0 "$dead_shell" 2>/dev/null || break; sleep 0.25; done
kill -0 "$dead_shell" 2>/dev/null && fail "attempt 1's shell $dead_shell still runs after the retry began"
# The retry's wrapper says so once the whole group is gone, a moment after the shell.
for _ in $(seq 1 60); do grep -qF "stopped what attempt 1 left running on host app" "$WORK/worker-$other.log" && break; sleep 0.5; done
stopped=$(grep -F "stopped what attempt 1 left running on host app" "$WORK/worker-$other.log" | head -1 || true)
[[ -n "$stopped" ]] || fail "worker $other's log does not say the retry stopped what attempt 1 left running"
echo "${stopped#*: }"
mv "$WORK/worker-$runner.log" "$WORK/worker-$runner-killed.log"
start_prod_worker "$runner"
for _ in $(seq 1 360); do grep -q "cutover worker ready" "$WORK/worker-$runner.log" && break; sleep 0.5; done
grep -q "cutover worker ready" "$WORK/worker-$runner.log" || fail "worker $runner did not start again"

# --- the server stops while a gate waits: SIGTERM, then SIGKILL ----------------------------------
# outage SIGNAL GATE: stop the server with SIGNAL while the run waits at GATE, keep it down 10 s,
# start it again, approve GATE with the CLI; the run must go on. Sets the figures' variables.
declare -A down_s back_s approved_s log_lines
outage() {
  local sig=$1 gate=$2 t0 t1 t1b t2 t3 before after n hidden
  shift 2   # the rest: more options of cutover approve
  wait_gate "$gate" 180
  for n in 1 2; do before[$n]=$(wc -l <"$WORK/worker-$n.log"); done
  say "stopping the Temporal server with SIG$sig while $gate waits"
  t0=$(date +%s.%N)
  kill -"$sig" "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  t1=$(date +%s.%N)
  sleep 10
  t1b=$(date +%s.%N)
  start_server
  wait_healthy 180
  t2=$(date +%s.%N)
  expect_exit 0 "${CLI[@]}" approve "$ID" "$gate" --comment "e2e: approved after the server's SIG$sig and restart" "$@"
  t3=$(date +%s.%N)
  # Each worker says the server went and came back (its health check runs every 2 s).
  for n in 1 2; do
    for _ in $(seq 1 60); do tail -n +"$(( before[$n] + 1 ))" "$WORK/worker-$n.log" | grep -q "is reachable again" && break; sleep 0.5; done
    tail -n +"$(( before[$n] + 1 ))" "$WORK/worker-$n.log" >"$WORK/outage-$sig-worker-$n.log"
    grep -q "is unreachable" "$WORK/outage-$sig-worker-$n.log" || { cat "$WORK/outage-$sig-worker-$n.log"; fail "worker $n's log does not say the server is unreachable (SIG$sig)"; }
    grep -q "is reachable again" "$WORK/outage-$sig-worker-$n.log" || { cat "$WORK/outage-$sig-worker-$n.log"; fail "worker $n's log does not say the server is back (SIG$sig)"; }
    # What the outage cost the log: every line but the run's own (workflow and step-start lines).
    after=$(grep -v -e " starts step " -e " starts activity " -e "d\.c\.workflow\." "$WORK/outage-$sig-worker-$n.log" | grep -c . || true)
    hidden=$(sed -n 's/.*reachable again after .* (\([0-9]*\) failed calls not logged).*/\1/p' "$WORK/outage-$sig-worker-$n.log" | head -1)
    (( after <= 10 )) || { cat "$WORK/outage-$sig-worker-$n.log"; fail "worker $n logged $after lines for a server outage (SIG$sig); a few expected"; }
    log_lines[$sig]="${log_lines[$sig]:-}${log_lines[$sig]:+, }worker $n $after (${hidden:-?} failures not logged)"
  done
  sed 's/^/  /' "$WORK/outage-$sig-worker-1.log"
  down_s[$sig]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  back_s[$sig]=$(awk -v a="$t1b" -v b="$t2" 'BEGIN{printf "%.1f", b-a}')
  approved_s[$sig]=$(awk -v a="$t2" -v b="$t3" 'BEGIN{printf "%.1f", b-a}')
}

# go-live needs a signature: the UI's unsigned approval is refused with how to sign, and leaves
# no event; the CLI's signed one, after the outage, counts.
wait_gate go-live 180
history_events >"$WORK/events-before-unsigned.txt"
update_in_ui go-live "e2e: unsigned, from the UI" unsigned --expect refused \
  --expect-reason "gate 'go-live' needs signed approvals"
t_ui_unsigned=$t_ui
grep -q -- "--sign-with" "$WORK/browser-unsigned.log" || fail "the UI's refusal of an unsigned approval does not say how to sign"
history_events >"$WORK/events-after-unsigned.txt"
cmp -s "$WORK/events-before-unsigned.txt" "$WORK/events-after-unsigned.txt" || {
  diff "$WORK/events-before-unsigned.txt" "$WORK/events-after-unsigned.txt" || true
  fail "the refused unsigned update left events in the history"
}
say "the refused unsigned update left no event either"
outage TERM go-live --sign-with "$WORK/approver"
outage KILL go-verify
wait_for state COMPLETED 180
t_done=$(date +%s)
for _ in $(seq 1 20); do [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] && break; sleep 0.5; done
[[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] || fail "workflow not completed: $(closed_status)"
"${CLI[@]}" status "$ID" | tee "$OUT/status-done.txt"
status_json >"$WORK/done.json"

# --- checks ----------------------------------------------------------------------------------------
say "checking: long-copy ran to its end exactly once, by attempt 2 on worker $other"
cat "$E2E_DIR/long.log"
[[ "$(grep -c '^start ' "$E2E_DIR/long.log")" == 2 ]] || fail "long-copy started $(grep -c '^start ' "$E2E_DIR/long.log") times (2 expected: the killed attempt and its retry)"
[[ "$(grep -c '^end ' "$E2E_DIR/long.log")" == 1 ]] || fail "long-copy ended $(grep -c '^end ' "$E2E_DIR/long.log") times (once expected)"
grep -qx "end $dead_shell" "$E2E_DIR/long.log" && fail "the killed attempt's shell ran to its end"
temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json >"$WORK/history.json"
python3 - "$WORK/history.json" "${WORKER_PIDS[$other]}" <<'PY' || fail "the history check failed"
import base64, json, sys
events = json.load(open(sys.argv[1]))["events"]
survivor = sys.argv[2]
scheduled = {}
for e in events:
    a = e.get("activityTaskScheduledEventAttributes")
    if a:
        data = [json.loads(base64.b64decode(p["data"])) for p in a.get("input", {}).get("payloads", []) if p.get("data")]
        step = data[0].get("step") if data and isinstance(data[0], dict) else None
        scheduled[e["eventId"]] = step
long = [i for i, s in scheduled.items() if s == "long-copy"]
assert len(long) == 1, f"long-copy scheduled {len(long)} times"
started = [e["activityTaskStartedEventAttributes"] for e in events
           if e.get("activityTaskStartedEventAttributes", {}).get("scheduledEventId") == long[0]]
assert len(started) == 1, f"{len(started)} started events for long-copy"
s = started[0]
assert int(s.get("attempt", 1)) == 2, f"long-copy completed by attempt {s.get('attempt', 1)}, 2 expected"
assert s.get("identity", "").startswith(survivor + "@"), f"long-copy's last attempt ran on {s.get('identity')}, not the surviving worker {survivor}"
completed = [e for e in events if e.get("activityTaskCompletedEventAttributes", {}).get("scheduledEventId") == long[0]]
assert len(completed) == 1, f"long-copy completed {len(completed)} times"
gates = [e for e in events if e.get("workflowExecutionSignaledEventAttributes") or e.get("workflowExecutionUpdateAcceptedEventAttributes")]
# go-downtime: approved by the UI's update, the only one accepted; the refused one (go-live) is nowhere.
updates = []
for e in events:
    a = e.get("workflowExecutionUpdateAcceptedEventAttributes")
    if a:
        i = a["acceptedRequest"]["input"]
        args = [json.loads(base64.b64decode(p["data"])) for p in i.get("args", {}).get("payloads", []) if p.get("data")]
        meta = a["acceptedRequest"]["meta"]
        updates.append((e["eventId"], i["name"], args[0] if args else None, meta["updateId"], meta.get("identity", "")))
ui = [u for u in updates if u[2] and u[2].get("gate") == "go-downtime"]
assert len(ui) == 1 and ui[0][1] == "approveGate" and ui[0][2].get("by") == "e2e browser", f"go-downtime's accepted updates: {ui}"
refused = ("e2e: approving a gate that is not open", "e2e: unsigned, from the UI")
assert not any(u[2] and u[2].get("comment") in refused for u in updates), "a refused update is in the history"
live = [u for u in updates if u[2] and u[2].get("gate") == "go-live"]
assert len(live) == 1 and live[0][2].get("signature"), f"go-live's accepted updates: {live}"
done = [e for e in events if e.get("workflowExecutionUpdateCompletedEventAttributes", {}).get("meta", {}).get("updateId") == ui[0][3]]
assert len(done) == 1 and "success" in done[0]["workflowExecutionUpdateCompletedEventAttributes"]["outcome"], f"go-downtime's update did not complete with success: {done}"
print(f"history: long-copy scheduled once, completed once by attempt 2 on {s['identity']}; {len(gates)} approvals received, go-downtime's by update approveGate from the UI (event {ui[0][0]}), go-live's signed by the CLI (event {live[0][0]}), none from the refused ones; the identity the UI declared with it: {ui[0][4]!r}")
PY
python3 - "$WORK/done.json" <<'PY' || fail "the status check failed"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["state"] == "COMPLETED", s["state"]
bad = [x["name"] for x in s["steps"] if x["state"] != "SUCCEEDED"]
assert not bad, f"steps not succeeded: {bad}"
by = {g["name"]: g.get("by") for g in s["gates"]}
assert by.get("go-downtime") == "e2e browser", f"go-downtime approved by {by.get('go-downtime')}, not the browser"
live = [g for g in s["gates"] if g["name"] == "go-live"][0]
assert "e2e-approver@cutover.test" in json.dumps(live), f"go-live does not name its signed approver: {live}"
assert all(g.get("approvedAt") for g in s["gates"]), "a gate was not approved"
long = [x for x in s["steps"] if x["name"] == "long-copy"][0]
assert "stopped what attempt 1 left running on host app" in (long.get("outputTail") or ""), \
    f"long-copy's output does not say its retry stopped attempt 1: {long.get('outputTail')!r}"
print("status: completed, every step succeeded, go-downtime approved in the web UI, go-live by the signed approver, long-copy's output says attempt 1 was stopped")
PY
[[ "$(cat "$E2E_DIR/active")" == new ]] || fail "switch did not run"
leaked=$(grep -lF -- "$PG_PASSWORD" "$WORK"/*.log "$WORK"/*.json "$OUT"/*.txt 2>/dev/null || true)
[[ -z "$leaked" ]] || fail "the database password leaked into: $leaked"

t_end=$(date +%s)
if (( BUILT )); then
  echo "figure: production: Temporal server, SQL tool and UI built (first use) in ${t_build}s"
else
  echo "figure: production: binaries cached under $CACHE (build skipped, ${t_build}s)"
fi
echo "figure: production: PostgreSQL, schemas and server healthy in $((t_server - t_setup))s; namespace, UI and two workers ready $((t_ready - t_server))s later"
echo "figure: production: web UI approval by update approveGate: refused ones (open the page, send it, read the refusal) in ${t_ui_refused}s (gate not open) and ${t_ui_unsigned}s (unsigned), accepted one (open the page, send it, find its answer in the history) in ${t_ui_accepted}s"
echo "figure: production: worker SIGKILLed in long-copy, attempt 2 started on the other worker $((t_retry - t_kill))s later (heartbeat timeout 10s)"
for sig in TERM KILL; do
  echo "figure: production: server SIG$sig: stopped in ${down_s[$sig]}s, kept down 10s, healthy ${back_s[$sig]}s after its start, then cutover approve took ${approved_s[$sig]}s (CLI JVM included); worker log lines for the outage: ${log_lines[$sig]}"
done
echo "figure: production: migration through the CLI in $((t_done - t_start))s (a 30s step run twice, two 10s server outages)"
echo "figure: production e2e total $((t_end - t0))s"
say "production scenario passed"

if [[ -n "$BENCH_N" ]]; then
  say "bench: $BENCH_N run steps on this server (PostgreSQL), then on the dev server, one worker each"
  for n in 1 2; do kill "${WORKER_PIDS[$n]}" 2>/dev/null || true; done
  wait "${WORKER_PIDS[1]}" "${WORKER_PIDS[2]}" 2>/dev/null || true
  bash bench/step-overhead.sh "$BENCH_N" --address "$ADDR" | tee "$WORK/bench-pg.txt"
  bash bench/step-overhead.sh "$BENCH_N" | tee "$WORK/bench-dev.txt"
  python3 - "$WORK/bench-pg.txt" "$WORK/bench-dev.txt" <<'PY'
import sys
def figures(path):
    out = {}
    for line in open(path):
        if line.startswith("figure: ") and ": " in line[8:]:
            k, v = line[8:].rstrip("\n").split(": ", 1)
            out[k] = v
    return out
pg, dev = figures(sys.argv[1]), figures(sys.argv[2])
rows = ["wall time per run step through Temporal", "approve command to next step started", "sh -c true from a shell, per call"]
print(f"{'':42} {'server 1.31.2 on PostgreSQL':>30} {'dev server (temporal CLI)':>30}")
for r in rows:
    a, b = pg.get(r, "-").split(" (")[0], dev.get(r, "-").split(" (")[0]
    print(f"{r:42} {a:>30} {b:>30}")
    print(f"figure: production bench: {r}: {a} on PostgreSQL, {b} on the dev server")
PY
fi
