#!/usr/bin/env bash
# End to end with PostgreSQL: a cluster in each network-namespace host (e2e/pg/pg.sh on top of
# e2e/ssh/hosts.sh), the Temporal dev server, the worker and the CLI, while an app (e2e/pg/load.sh,
# pgbench as role app) keeps writing to old and logs every commit it saw acknowledged.
#  1. e2e/plans/pg-move.yaml: pg-replicate sets up logical replication in presync (two rounds
#     while the app writes); at the gate the CLI approves; downtime: the app's role loses CONNECT,
#     pg-connections terminates its sessions, pg-replicate finish, pg-verify, an sql check; the
#     switch tells the app to write to new.
#  2. e2e/plans/pg-copy.yaml on fresh databases: the same with pg-copy in the downtime.
# After each, e2e/pg/check.py: every acknowledged commit is on new, the sequence continues there
# without collision. Also: the database password is in no history, status, worker or server log.
# Prints one line per figure (rows acknowledged vs present, the window the client could not
# write, the steps' durations). Run as root. E2E_PG_SCALE (default 5) sets pgbench's scale.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
PG=(bash "$ROOT/e2e/pg/pg.sh")
LOAD=(bash "$ROOT/e2e/pg/load.sh")
# shellcheck source=e2e/pg/migration.sh
source "$ROOT/e2e/pg/migration.sh"
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh   # the plans name the switch file and old's socket under it
# The namespaces, the bridge and the state dir are the machine's, and hosts.sh up wipes what it
# finds: one scenario at a time (a second run waits for the first).
exec 9>/run/lock/cutover-e2e-hosts.lock
flock -w 900 9 || fail "another e2e holds /run/lock/cutover-e2e-hosts.lock"
SCALE=${E2E_PG_SCALE:-5}

say "building the hosts old and new, with a PostgreSQL cluster each"
t_env=$(date +%s)
"${HOSTS[@]}" up >"$WORK/hosts.log" 2>&1 || { cat "$WORK/hosts.log"; fail "hosts.sh up"; }
grep '^figure' "$WORK/hosts.log"
CLEANUPS+=("${LOAD[*]} kill; ${PG[*]} down; ${HOSTS[*]} down")
"${PG[@]}" up --scale "$SCALE"
eval "$("${HOSTS[@]}" env)"
eval "$("${PG[@]}" env)"
t_env=$(( $(date +%s) - t_env ))

start_temporal
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS" \
  E2E_PG_PASSWORD="$E2E_PG_PASSWORD"

# scenario PLAN LABEL: the app writes, the migration runs through the CLI, then the checks.
scenario() {
  local plan=$1 label=$2 t_start t_gate t_done
  ID="cutover-$(awk '/^migration:/{print $2}' "$plan")"
  "${LOAD[@]}" start --clients 4 --rate 200 --run-seconds 2
  t_start=$(date +%s)
  expect_exit 0 "${CLI[@]}" start "$plan"
  wait_until waitingFor gate:go-downtime 150
  t_gate=$(date +%s)
  status_json >"$WORK/$label-at-gate.json"
  python3 - "$WORK/$label-at-gate.json" "$label" <<'PY'
import json, sys
status, label = json.load(open(sys.argv[1])), sys.argv[2]
for s in status["steps"]:
    if s.get("kind") == "pg-replicate" and s.get("outputTail"):
        print(f"figure: {label}: {s['name']} round {s.get('round')}: {s['outputTail'].strip().splitlines()[-1]}")
for n in status.get("notes", []):
    print(f"{label}: note: {n}")
PY
  sleep 2   # the app writes on while the gate waits, as it would while someone reads the status
  say "$label: approving the downtime"
  expect_exit 0 "${CLI[@]}" approve "$ID" go-downtime --comment "e2e: go"
  wait_until state COMPLETED 180
  t_done=$(date +%s)
  for _ in $(seq 1 20); do [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] && break; sleep 0.5; done
  [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] || fail "workflow not completed: $(closed_status)"
  "${CLI[@]}" status "$ID"
  status_json >"$WORK/$label-done.json"
  sleep 2   # the app writes on new for a while
  "${LOAD[@]}" stop
  say "$label: checking what the app saw against old and new"
  "${LOAD[@]}" check --json "$WORK/$label-check.json" | sed "s/^figure: /figure: $label: /" \
    || fail "$label: the check failed"
  step_figures "$WORK/$label-done.json" "$label"
  temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json >"$WORK/$label-history.json"
  if grep -qF -- "$E2E_PG_PASSWORD" "$WORK/$label-history.json" "$WORK/$label-done.json" "$WORK/worker.log" \
      "$E2E_PG_DIR/old/postgres.log" "$E2E_PG_DIR/new/postgres.log"; then
    fail "$label: the database password leaked into the history, status, worker log or a server's log"
  fi
  echo "figure: $label: migration through the CLI in $((t_done - t_start))s (to the gate $((t_gate - t_start))s)"
}

say "1. logical replication: pg-replicate in presync, finish in the downtime"
scenario e2e/plans/pg-move.yaml replicate
# What replication left behind: the subscription and its slot must be gone.
left=$("${PG[@]}" psql old -At -c "select count(*) from pg_replication_slots")
[[ "$left" == 0 ]] || fail "old still has $left replication slot(s) after finish"
left=$("${PG[@]}" psql new -At -c "select count(*) from pg_subscription")
[[ "$left" == 0 ]] || fail "new still has $left subscription(s) after finish"
say "replicate: no slot left on old, no subscription on new; publications on old: $("${PG[@]}" psql old -At -c "select coalesce(string_agg(pubname, ', '), 'none') from pg_publication")"

say "2. dump and restore: pg-copy in the downtime, on fresh databases"
"${PG[@]}" reset --scale "$SCALE"
scenario e2e/plans/pg-copy.yaml copy

t_end=$(date +%s)
echo "figure: hosts and clusters up in ${t_env}s (pgbench scale $SCALE)"
echo "figure: pg e2e total $((t_end - t0))s"
say "pg scenario passed"
