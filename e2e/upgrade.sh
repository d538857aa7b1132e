#!/usr/bin/env bash
# End to end across a worker upgrade: migrations started by the released worker, waiting for an
# operator, are finished or undone by the worker built from the working tree. Local transport
# only: no namespaces, no SSH, so it runs beside anything.
#  - Builds the released worker and CLI from this clone's own history (CUTOVER_UPGRADE_FROM, a
#    commit; the default is the release before issue 16's refactor) in a throwaway worktree; the
#    working tree's jars come from the build .ci/run already did (built here when missing).
#  - On the real Temporal dev server, the released worker and CLI start four runs of
#    e2e/plans/upgrade.yaml: two wait at the gate before downtime with put, maintenance, service
#    and run steps done (one to be approved, one aborted), one is blocked on a failed step, one is
#    in the middle of a slow step.
#  - The released worker is stopped with SIGTERM while the first three wait; a second released
#    worker takes the fourth run's slow step and is SIGKILLed in the middle of it. Then the new
#    worker starts, and the new CLI approves, aborts and decides.
# Checks, per run: how it ended; the new CLI's status and report show every step; in the history,
# every activity the workflow asked for after the upgrade was asked for by the new worker's code
# and ran on the new worker, everything before on the released one, and no step's activity was
# asked for twice; on disk, every step's effect happened once (its line in the run's ledger) and
# an abort put every file back, including the backups the released worker made.
# CUTOVER_UPGRADE_RECORD=DIR also saves the released worker's histories of the waiting runs there
# (how workflows/src/test/resources/histories/v5/waiting-*.json were recorded).
# E2E_TEMPORAL_PORT / E2E_UI_PORT pin the dev server's ports (default: free ones).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FROM="${CUTOVER_UPGRADE_FROM:-3fa071a}"
RECORD="${CUTOVER_UPGRADE_RECORD:-}"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"

# --- the released worker and CLI ---------------------------------------------------------------
t_build=$(date +%s)
SHA=$(git -C "$ROOT" rev-parse --verify --quiet "$FROM^{commit}") || fail "CUTOVER_UPGRADE_FROM=$FROM is no commit of this clone"
# A commit's jars never change: they are built once per machine and kept here.
REL="${CUTOVER_UPGRADE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cutover/upgrade-from}/$SHA"
if [[ -f "$REL/cutover-worker-exec.jar" && -f "$REL/cutover-exec.jar" ]]; then
  say "the released worker and CLI ($FROM) were built before: $REL"
else
  say "building the released worker and CLI ($FROM) in a throwaway worktree"
  SRC="$WORK/released"
  git -C "$ROOT" worktree add --detach --quiet "$SRC" "$SHA" || fail "git worktree add $FROM"
  CLEANUPS+=("git -C $(printf %q "$ROOT") worktree remove --force $(printf %q "$SRC")")
  # Offline first (the Maven cache is warm after .ci/run's build); online when something is missing.
  (cd "$SRC" && { ./mvnw -B -ntp -q -o -DskipTests -pl worker,starter -am package >"$WORK/build-released.log" 2>&1 \
    || ./mvnw -B -ntp -q -DskipTests -pl worker,starter -am package >>"$WORK/build-released.log" 2>&1; }) \
    || { tail -40 "$WORK/build-released.log"; fail "building $FROM"; }
  mkdir -p "$REL.part"
  cp "$SRC/worker/target/cutover-worker-exec.jar" "$SRC/starter/target/cutover-exec.jar" "$REL.part/"
  rm -rf "$REL"; mv "$REL.part" "$REL"
fi
REL_WORKER="$REL/cutover-worker-exec.jar"
RCLI=(java -jar "$REL/cutover-exec.jar")
t_built=$(date +%s)
say "released $(git -C "$ROOT" rev-parse --short "$SHA") ready in $(( t_built - t_build ))s; new: $(git -C "$ROOT" describe --always --dirty)"
NEW_WORKER="$ROOT/worker/target/cutover-worker-exec.jar"

# --- helpers -----------------------------------------------------------------------------------
# reaching CMD...: CMD (a CLI call), again up to twice when it could not reach the server (on a
# loaded machine the CLI's connection deadline can pass first); then nothing was sent.
reaching() {
  local i rc
  for i in 1 2 3; do
    rc=0; "$@" >"$WORK/cli.out" 2>"$WORK/cli.err" || rc=$?
    cat "$WORK/cli.out"; cat "$WORK/cli.err" >&2
    (( rc == 0 )) && return 0
    grep -q "cannot reach Temporal" "$WORK/cli.err" "$WORK/cli.out" || return "$rc"
    sleep 1
  done
  return "$rc"
}
# worker_up JAR LOG: a worker against ADDR; sets WPID (the identity Temporal records is WPID@host).
worker_up() {
  env TEMPORAL_ADDRESS="$ADDR" java -jar "$1" >"$2" 2>&1 &
  WPID=$!
  PIDS+=("$WPID")
  for _ in $(seq 1 120); do grep -q "cutover worker ready" "$2" && return 0; kill -0 "$WPID" 2>/dev/null || break; sleep 0.5; done
  fail "the worker $1 did not start (log $2)"
}
# worker_down PID SIGNAL: stops a worker and waits until it is gone.
worker_down() {
  kill -"$2" "$1"
  for _ in $(seq 1 60); do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$1" 2>/dev/null && fail "worker $1 still runs 30s after SIG$2"
  wait "$1" 2>/dev/null || true
}
# waiting ID: "STATUS WAITING_FOR" from the run's description and search attribute, no JVM per poll.
waiting() {
  temporal workflow describe --address "$ADDR" --workflow-id "$1" -o json 2>/dev/null | python3 -c '
import base64, json, sys
info = json.load(sys.stdin).get("workflowExecutionInfo", {})
p = info.get("searchAttributes", {}).get("indexedFields", {}).get("CutoverWaitingFor")
print(info.get("status", "-"), json.loads(base64.b64decode(p["data"])) if p and p.get("data") else "-")' 2>/dev/null || echo "- -"
}
# wait_until ID WANT SECONDS: until the run waits for WANT (gate:G, decision:S) or, for WANT
# COMPLETED or FAILED, until it has closed so.
wait_until() {
  local deadline=$(( $(date +%s) + $3 )) status want_status=WORKFLOW_EXECUTION_STATUS_RUNNING w
  [[ "$2" == COMPLETED || "$2" == FAILED ]] && want_status=WORKFLOW_EXECUTION_STATUS_$2
  while (( $(date +%s) < deadline )); do
    read -r status w < <(waiting "$1")
    if [[ "$status" == "$want_status" && ( "$want_status" != *RUNNING || "$w" == "$2" ) ]]; then return 0; fi
    [[ "$status" != - && "$status" != WORKFLOW_EXECUTION_STATUS_RUNNING && "$status" != "$want_status" ]] && break
    sleep 0.25
  done
  "${CLI[@]}" status "$1" || true
  fail "$1 never came to $2 (it is $status, waiting for $w)"
}
# run_dir NAME: the run's hosts (old/ and new/ under one directory) in their state before it.
run_dir() {
  local d="$WORK/$1"
  mkdir -p "$d/old/srv" "$d/new/etc"
  for i in $(seq 1 50); do echo "file $i" >"$d/old/srv/f$i.txt"; done
  echo "db=old" >"$d/new/etc/app.conf"
  chmod 640 "$d/new/etc/app.conf"
  touch "$d/old/jobs.running"
  echo "$d"
}
# start_run NAME SLOW: starts NAME with the released CLI.
start_run() {
  local d="$WORK/$1"
  sed -e "s|@NAME@|$1|g; s|@DIR@|$d|g; s|@SLOW@|$2|g" e2e/plans/upgrade.yaml >"$d/plan.yaml"
  reaching "${RCLI[@]}" start "$d/plan.yaml" >"$WORK/start-$1.txt" 2>&1 || { cat "$WORK/start-$1.txt"; fail "released CLI: start $1"; }
}
history() { temporal workflow show --address "$ADDR" --workflow-id "cutover-$1" -o json >"$WORK/$1-$2.json"; }
# ledger_once NAME LINE...: each line is in the run's ledger exactly once.
ledger_once() {
  local d="$WORK/$1" l n; shift
  for l in "$@"; do
    n=$(grep -cx -- "$l" "$d/ledger" || true)
    [[ "$n" == 1 ]] || { cat "$d/ledger"; fail "${d##*/}: '$l' is $n times in the ledger, once expected"; }
  done
}
# status_check NAME STATE STEP=STATE...: the new CLI's status --json.
status_check() {
  reaching "${CLI[@]}" status "cutover-$1" --json >"$WORK/$1-status.json" || fail "new CLI: status cutover-$1"
  python3 - "$WORK/$1-status.json" "${@:2}" <<'PY' || fail "the new CLI's status of $1 is not as expected"
import json, sys
s = json.load(open(sys.argv[1]))
want_state, want = sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
assert s["state"] == want_state, f"state {s['state']}, {want_state} expected"
steps = {x["name"]: x["state"] for x in s["steps"]}
bad = {k: (steps.get(k), v) for k, v in want.items() if steps.get(k) != v}
assert not bad, f"steps not in the state expected (got, want): {bad}"
print(f"status: {s['state']}, " + ", ".join(f"{k} {v}" for k, v in steps.items()))
PY
}
# report_check NAME STEP...: the new CLI's report names every step.
report_check() {
  local n=$1; shift
  reaching "${CLI[@]}" report "cutover-$n" --format text >"$WORK/$n-report.txt" 2>&1 || { cat "$WORK/$n-report.txt"; fail "new CLI: report cutover-$n"; }
  local s; for s in "$@"; do grep -qw -- "$s" "$WORK/$n-report.txt" || { cat "$WORK/$n-report.txt"; fail "the report of $n does not name $s"; }; done
  say "report of $n: $(grep -m1 -i 'outcome' "$WORK/$n-report.txt" || head -1 "$WORK/$n-report.txt")"
}

PREPARE=(make-root app-conf app-flag notice-on pause-jobs slow-step check-flag)
AFTER_GATE=(presync-files notice-off maintenance-on final-sync site-conf flip)
ALL_STEPS=("${PREPARE[@]}" "${AFTER_GATE[@]}")

# --- the released worker starts the runs -------------------------------------------------------
[[ -f "$NEW_WORKER" && -f "$ROOT/starter/target/cutover-exec.jar" ]] || fail "the working tree's jars are missing"
start_temporal
worker_up "$REL_WORKER" "$WORK/released-1.log"
OLD1=$WPID
say "released worker 1 is pid $OLD1"
for n in approve abort decide; do run_dir "up-$n" >/dev/null; done
touch "$WORK/up-approve/flag" "$WORK/up-abort/flag"   # up-decide has none: check-flag blocks it
for n in approve abort decide; do start_run "up-$n" 0; done
wait_until cutover-up-approve gate:go-downtime 90
wait_until cutover-up-abort gate:go-downtime 60
wait_until cutover-up-decide decision:check-flag 60
say "up-approve and up-abort wait at gate go-downtime, up-decide for a decision on check-flag"
if [[ -n "$RECORD" ]]; then
  mkdir -p "$RECORD"
  history up-approve released && cp "$WORK/up-approve-released.json" "$RECORD/waiting-at-gate.json"
  history up-decide released && cp "$WORK/up-decide-released.json" "$RECORD/waiting-for-decision.json"
  say "histories of the waiting runs saved in $RECORD"
fi
worker_down "$OLD1" TERM
say "released worker 1 stopped with SIGTERM"

worker_up "$REL_WORKER" "$WORK/released-2.log"
OLD2=$WPID
run_dir up-killed >/dev/null
touch "$WORK/up-killed/flag"
start_run up-killed 25
for _ in $(seq 1 240); do grep -q '^start' "$WORK/up-killed/slow.log" 2>/dev/null && break; sleep 0.25; done
grep -q '^start' "$WORK/up-killed/slow.log" 2>/dev/null || fail "up-killed never started its slow step"
worker_down "$OLD2" KILL
say "released worker 2 (pid $OLD2) SIGKILLed in the middle of up-killed's slow step"

# --- the upgrade -------------------------------------------------------------------------------
worker_up "$NEW_WORKER" "$WORK/new.log"
NEW=$WPID
say "the new worker is pid $NEW"

say "up-approve: the new CLI approves the gate; the run must complete on the new worker"
reaching "${CLI[@]}" approve cutover-up-approve go-downtime --comment "after the upgrade" >/dev/null || fail "new CLI: approve up-approve"
say "up-abort: the new CLI aborts; the undo of the released worker's steps runs on the new one"
reaching "${CLI[@]}" abort cutover-up-abort --reason "after the upgrade" >/dev/null || fail "new CLI: abort up-abort"
say "up-decide: the flag is created and the new CLI decides retry"
touch "$WORK/up-decide/flag"
reaching "${CLI[@]}" decide cutover-up-decide check-flag retry --comment "flag created" >/dev/null || fail "new CLI: decide up-decide"
wait_until cutover-up-decide gate:go-downtime 60
reaching "${CLI[@]}" approve cutover-up-decide go-downtime --comment "after the upgrade" >/dev/null || fail "new CLI: approve up-decide"
say "up-killed: its slow step is retried on the new worker once the dead one's heartbeat times out"
wait_until cutover-up-killed gate:go-downtime 90
reaching "${CLI[@]}" approve cutover-up-killed go-downtime --comment "after the upgrade" >/dev/null || fail "new CLI: approve up-killed"
for n in approve decide killed; do wait_until "cutover-up-$n" COMPLETED 90; done
# An aborted run ends as a failed workflow, with the reason.
wait_until cutover-up-abort FAILED 90

# --- checks ------------------------------------------------------------------------------------
succeeded=(); for s in "${ALL_STEPS[@]}"; do succeeded+=("$s=SUCCEEDED"); done
for n in approve decide killed; do
  say "checking up-$n: completed, every step once, the steps after the upgrade on the new worker"
  status_check "up-$n" COMPLETED "${succeeded[@]}"
  report_check "up-$n" "${ALL_STEPS[@]}"
  history "up-$n" done
  d="$WORK/up-$n"
  ledger_once "up-$n" make-root pause-jobs presync-files final-sync flip
  [[ "$(cat "$d/new/etc/app.conf")" == "db=new" && "$(cat "$d/new/etc/site.conf")" == "active=new" && "$(cat "$d/active")" == new ]] \
    || fail "up-$n: the files on new are not the migration's"
  diff -r "$d/old/srv" "$d/new/srv" >/dev/null || fail "up-$n: the trees differ"
  [[ ! -e "$d/old/notice.html" && -e "$d/old/maintenance.html" && ! -e "$d/old/jobs.running" ]] || fail "up-$n: old's pages or jobs are not as the run left them"
  left=$(find "$d/new/etc" -name '*.cutover-*' | sort)
  [[ -z "$left" ]] || fail "up-$n: the completed run left the put backups and markers: $left"
done
python3 e2e/upgrade/history.py "$WORK/up-approve-done.json" --old "$OLD1" --new "$NEW" || fail "history of up-approve"
python3 e2e/upgrade/history.py "$WORK/up-decide-done.json" --old "$OLD1" --new "$NEW" --retried check-flag || fail "history of up-decide"
python3 e2e/upgrade/history.py "$WORK/up-killed-done.json" --old "$OLD2" --new "$NEW" --killed slow-step || fail "history of up-killed"
grep -c '^start' "$WORK/up-killed/slow.log" | grep -qx 2 || { cat "$WORK/up-killed/slow.log"; fail "up-killed: the slow step started other than twice (the killed attempt and its retry)"; }

say "checking up-abort: aborted, the released worker's steps undone by the new one"
undone=(); for s in make-root app-conf app-flag notice-on pause-jobs; do undone+=("$s=UNDONE"); done
status_check up-abort ABORTED "${undone[@]}"
report_check up-abort "${PREPARE[@]}"
history up-abort done
python3 e2e/upgrade/history.py "$WORK/up-abort-done.json" --old "$OLD1" --new "$NEW" || fail "history of up-abort"
d="$WORK/up-abort"
ledger_once up-abort make-root pause-jobs presync-files undo-pause-jobs undo-make-root
[[ "$(cat "$d/new/etc/app.conf")" == "db=old" && "$(stat -c %a "$d/new/etc/app.conf")" == 640 ]] || fail "up-abort: app.conf is not back as it was"
[[ ! -e "$d/new/etc/flag.conf" && ! -e "$d/new/srv" && ! -e "$d/old/notice.html" && -e "$d/old/jobs.running" ]] \
  || fail "up-abort: the undo left files behind or did not restore them"
left=$(find "$d/new/etc" -name '*.cutover-*' | sort)
[[ -z "$left" ]] || fail "up-abort: the undo left the put backups and markers: $left"
grep -q "starts step" "$WORK/new.log" || fail "the new worker's log names no step it started"

t_end=$(date +%s)
echo "figure: released worker and CLI ready in $(( t_built - t_build ))s (0: built by an earlier run)"
echo "figure: e2e upgrade total $(( t_end - t0 ))s"
say "passed"
