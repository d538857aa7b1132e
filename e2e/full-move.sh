#!/usr/bin/env bash
# End to end, everything together: the notes app (nginx in front of e2e/full/app.py, PostgreSQL,
# uploads under /srv/app) moves from the namespace host old to new while users write to it, on
# the real Temporal dev server with its web UI, the worker and the CLI.
#  - Topology: e2e/ssh/hosts.sh (old 10.231.0.2, new 10.231.0.3, OpenSSH), e2e/pg/pg.sh (a
#    cluster on each), e2e/traffic/servers.sh up --app (BIND for cutover.test, nginx on each host
#    in front of the app). The app starts on old only; new gets it from the migration.
#  - Load, the whole time: e2e/full/client.py writes notes through www.cutover.test (resolved at
#    BIND, TTL respected) from the root namespace; e2e/pg/load.sh runs pgbench against the database.
#  - The run, e2e/plans/full-move.yaml: TTL lowered, files and database presynced twice, the
#    downtime gate approved in the Temporal web UI in headless Chromium (e2e/browser), maintenance,
#    app stopped, final sync, replication catch-up, verify, app started on new; the go-live gate
#    approved with `cutover approve`; proxy switch, DNS flip, verify, a minute of monitoring, the
#    TTL put back.
#  - The worker is SIGKILLed during the final sync and started again: the run completes, no step
#    ran twice, the history shows the retried activity.
# Then: every acknowledged note and pgbench commit is on new; one "figure:" line per figure;
# screenshots of the UI at the gate, the status and the report in e2e/out/. Run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
# shellcheck source=e2e/pg/migration.sh
source "$ROOT/e2e/pg/migration.sh"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
PG=(bash "$ROOT/e2e/pg/pg.sh")
LOAD=(bash "$ROOT/e2e/pg/load.sh")
SERVERS=(bash "$ROOT/e2e/traffic/servers.sh")
BROWSER_JAR="$ROOT/e2e/browser/target/cutover-e2e-browser.jar"
OUT="$ROOT/e2e/out"
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh   # the plan names the batch writer's switch file under it
ID=cutover-e2e-full-move
# The namespaces, the bridge and the state dirs are the machine's: one scenario at a time.
exec 9>/run/lock/cutover-e2e-hosts.lock
flock -w 900 9 || fail "another e2e holds /run/lock/cutover-e2e-hosts.lock"

# What this scenario needs beyond the others (the app's database driver, the browser and its
# driver) is on run-tests' one list.
"$ROOT/run-tests" --install-only --e2e >/dev/null || fail "./run-tests --install-only --e2e"
ensure_browser_jar
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.html "$OUT"/*.txt "$OUT"/*.json

say "building the hosts old and new: OpenSSH, PostgreSQL, nginx in front of the notes app; BIND for cutover.test"
t_env=$(date +%s)
"${HOSTS[@]}" up >"$WORK/hosts.log" 2>&1 || { cat "$WORK/hosts.log"; fail "hosts.sh up"; }
CLEANUPS+=("$(printf 'touch %q; %q %q kill; %q %q down; %q %q down; %q %q down' "$WORK/client.stop" "${LOAD[@]}" \
  "${SERVERS[@]}" "${PG[@]}" "${HOSTS[@]}")")
"${PG[@]}" up --scale 2 >"$WORK/pg-up.log" 2>&1 || { cat "$WORK/pg-up.log"; fail "pg.sh up"; }
"${SERVERS[@]}" up --app
eval "$("${HOSTS[@]}" env)"
eval "$("${PG[@]}" env)"
eval "$("${SERVERS[@]}" env)"
# Only the worker gets the database password (the plan's env: reference), and nothing else here
# needs the others: keep them out of the environment of every process this script starts.
export -n E2E_PG_PASSWORD E2E_PG_APP_PASSWORD E2E_WORKER_KEY_PASSPHRASE
for a in "$E2E_OLD_ADDR" "$E2E_NEW_ADDR"; do
  ip -o route get "$a" | grep -q " dev cutbr0 " || fail "route to $a does not go through cutbr0"
done

# The app on old: its code, its config (the app role's password, 0600), some uploads, its table.
install_app() {
  local app="$E2E_SSH_DIR/old/srv/app" h
  install -d -m 755 "$app" "$app/etc" "$app/data/uploads/seed"
  install -m 755 e2e/full/app.py e2e/full/webctl "$app/"
  printf 'host=127.0.0.1\nport=5432\ndbname=shop\nuser=app\npassword=%s\n' "$E2E_PG_APP_PASSWORD" >"$app/etc/db.env"
  chmod 600 "$app/etc/db.env"
  python3 - "$app/data/uploads/seed" <<'PY'
import os, random, sys
random.seed(6)
for i in range(400):   # earlier uploads: what the presync rounds carry
    with open(os.path.join(sys.argv[1], f"upload-{i:03d}.txt"), "w") as f:
        f.write("".join(random.choice("abcdefghij \n") for _ in range(random.randint(200, 8000))))
PY
  for h in old new; do install -d -m 755 "$E2E_SSH_DIR/$h/srv/maintenance"; done
  "${PG[@]}" psql old -q <<'SQL'
SET ROLE app;
CREATE TABLE notes (
  id bigserial PRIMARY KEY,
  client text NOT NULL,
  n integer NOT NULL,
  text text NOT NULL,
  host text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (client, n)
);
SQL
  "${HOSTS[@]}" ssh old /srv/app/webctl start
  local got
  got=$(curl -s --max-time 5 -H 'Host: www.cutover.test' "http://$E2E_OLD_ADDR/health" || true)
  [[ "$got" == *'"host": "old"'* ]] || fail "www through old's nginx answers '$got'"
  say "notes app on old answers through nginx: $got"
}
install_app
t_env=$(( $(date +%s) - t_env ))

start_temporal
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS" \
  E2E_PG_PASSWORD="$E2E_PG_PASSWORD"
WORKER_PID=${PIDS[-1]}

PLAN="$WORK/full-move.yaml"
sed -e "s|@PRIMARY@|$E2E_DNS_PRIMARY|; s|@SECONDARY@|$E2E_DNS_SECONDARY|; s|@TSIG_KEY@|$E2E_TSIG_KEY|" \
    -e "s|@TSIG_FILE@|$E2E_TSIG_FILE|; s|@NGINX_OLD_CMD@|$E2E_NGINX_OLD_CMD|g; s|@NGINX_OLD@|$E2E_NGINX_OLD|g" \
    -e "s|@LOAD_SWITCH@|$E2E_PG_DIR/load/switch|" e2e/plans/full-move.yaml >"$PLAN"
expect_exit 0 "${CLI[@]}" validate "$PLAN"

say "load: the client writes notes through www, pgbench writes to the database"
rm -f "$WORK/client.stop"
python3 e2e/full/client.py --dns "$E2E_DNS_PRIMARY" --log "$WORK/client.log" --stop "$WORK/client.stop" \
  --clients 2 --interval 0.1 >"$WORK/client.out.log" 2>&1 &
CLIENT_PID=$!
PIDS+=("$CLIENT_PID")
"${LOAD[@]}" start --clients 2 --rate 50 --run-seconds 2
for _ in $(seq 1 100); do [[ -s "$WORK/client.log" ]] && break; kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.1; done
[[ -s "$WORK/client.log" ]] || fail "the client wrote nothing: $(cat "$WORK/client.out.log")"

t_start=$(date +%s)
expect_exit 0 "${CLI[@]}" start "$PLAN"
wait_gate go-downtime 240
t_gate=$(date +%s)
"${CLI[@]}" status "$ID" >"$OUT/status-at-gate.txt"
status_json >"$WORK/at-gate.json"

# Users upload on while the gate waits: a large upload after the last presync round, which only
# the final sync carries, at its bwlimit of 1 MiB/s for about 32 s: well beyond the worker's
# restart and the activity's heartbeat timeout, so its retry meets the dead attempt's rsync.
head -c 32M /dev/urandom >"$E2E_SSH_DIR/old/srv/app/data/uploads/seed/late-video.bin"
sha_late=$(sha256sum <"$E2E_SSH_DIR/old/srv/app/data/uploads/seed/late-video.bin" | cut -d' ' -f1)

# The kill, watched for from before the approval (the browser takes its time to finish): as soon as
# the final sync's rsync runs (its --bwlimit names it), wait a second, check it still runs, and
# SIGKILL the worker. Then follow what the dead worker's rsync does.
kill_in_final_sync() {
  local deadline=$(( $(date +%s) + 300 )) pids=() alive=() p still
  while (( $(date +%s) < deadline )); do
    mapfile -t pids < <(pgrep -f -- '--bwlimit=1024' || true)
    if (( ${#pids[@]} )); then
      sleep 1
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
      (( ${#alive[@]} )) || { echo "ended-within-a-second" >"$WORK/kill.txt"; return 0; }
      kill -KILL "$WORKER_PID"
      printf 'killed %s %s\n' "$(date +%s.%N)" "${alive[*]}" >"$WORK/kill.txt"
      for _ in $(seq 1 1200); do
        still=0
        for p in "${alive[@]}"; do kill -0 "$p" 2>/dev/null && still=1; done
        if [[ $still == 0 ]]; then date +%s.%N >"$WORK/orphan-ended.txt"; return 0; fi
        sleep 0.1
      done
      return 0
    fi
    sleep 0.1
  done
  echo "never-started" >"$WORK/kill.txt"
}
kill_in_final_sync &
KILLER=$!

say "approving go-downtime in the Temporal web UI (headless Chromium)"
approve_in_ui go-downtime "e2e: presync done, go"

say "waiting for the final sync, to kill the worker in the middle of it"
for _ in $(seq 1 3000); do [[ -s "$WORK/kill.txt" ]] && break; sleep 0.1; done
read -r what t_kill rsyncs <"$WORK/kill.txt" || fail "the kill watcher said nothing"
[[ "$what" == killed ]] || fail "no worker kill in the final sync: $what"
say "worker (pid $WORKER_PID) killed with SIGKILL during the final sync (rsync pids $rsyncs)"
wait "$WORKER_PID" 2>/dev/null || true
mv "$WORK/worker.log" "$WORK/worker-1.log"
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS" \
  E2E_PG_PASSWORD="$E2E_PG_PASSWORD"
t_restart=$(awk -v a="$t_kill" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')

wait_gate go-live 240
expect_exit 0 "${CLI[@]}" approve "$ID" go-live --comment "e2e: new serves, send the users"
wait_until state COMPLETED 300
t_done=$(date +%s)
for _ in $(seq 1 20); do [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] && break; sleep 0.5; done
[[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] || fail "workflow not completed: $(closed_status)"

sleep 2   # the users and the batch writer go on for a moment on new
touch "$WORK/client.stop"
wait "$CLIENT_PID" || fail "the client ended with an error: $(tail -3 "$WORK/client.out.log")"
"${LOAD[@]}" stop
wait "$KILLER" 2>/dev/null || true
"${CLI[@]}" status "$ID" | tee "$OUT/status-done.txt"
status_json >"$WORK/done.json"
temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json >"$WORK/history.json"
"${CLI[@]}" report "$ID" --format text >"$OUT/report.txt" || fail "cutover report"
"${CLI[@]}" report "$ID" --format html -o "$OUT/report.html" || fail "cutover report --format html"

say "checking what the users and the batch writer saw against new"
python3 e2e/full/check.py "$WORK/client.log" "$E2E_SSH_DIR/new/srv" --json "$OUT/client-check.json" \
  || fail "the notes check failed"
"${LOAD[@]}" check --json "$WORK/load-check.json" | sed 's/^figure: /figure: pgbench: /' || fail "the pgbench check failed"
[[ "$(sha256sum <"$E2E_SSH_DIR/new/srv/app/data/uploads/seed/late-video.bin" | cut -d' ' -f1)" == "$sha_late" ]] \
  || fail "the upload made after the last presync is not whole on new"
starts=$(grep -c '^started ' "$E2E_SSH_DIR/new/srv/app/log/starts" || true)
[[ "$starts" == 1 ]] || fail "the app was started $starts times on new"
"${HOSTS[@]}" ssh old '! /srv/app/webctl status' >/dev/null || fail "the app still runs on old"
for s in "$E2E_DNS_PRIMARY" "$E2E_DNS_SECONDARY"; do
  [[ "$("${SERVERS[@]}" dig "$s" www.cutover.test)" == "10 10.231.0.3" ]] \
    || fail "$s answers www with '$("${SERVERS[@]}" dig "$s" www.cutover.test)' (10 10.231.0.3 expected)"
done
# The zone's serial counts its changes: TTL lowered, flipped, TTL restored. One more would be a
# DNS change made twice.
serial=$(dig +short -p "${E2E_DNS_PRIMARY##*:}" @127.0.0.1 cutover.test SOA | awk '{print $3}')
[[ "$serial" == 4 ]] || fail "cutover.test's serial is $serial: 3 changes expected (from 1 to 4)"
# Presync runs its rsync once and its pg-replicate twice (set up, then the lag) per round; the
# monitor one http check per round.
checks=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["monitorChecks"])' "$WORK/done.json")
python3 e2e/full/history.py "$WORK/history.json" --killed final-sync --dead-worker "$WORKER_PID" \
  --killed-at "$t_kill" --orphan-ended "$(cat "$WORK/orphan-ended.txt" 2>/dev/null || echo -)" \
  presync-files=2 replicate-db=4 "www-healthy=$checks" || fail "the history check failed"
# The retry stops what the dead attempt left running before it starts its own rsync (leases on the host).
[[ -s "$WORK/orphan-ended.txt" ]] || fail "the dead worker's rsync still ran 120 s after the kill"
grep -F "stopped what attempt 1 left running on host old" "$WORK/worker.log" | sed 's/^.*: stopped/figure: retry: stopped/' | head -1 | grep . \
  || fail "the retry of final-sync did not stop the dead attempt's rsync (see $WORK/worker.log; had it ended before the retry began?)"
tsig=$(cat "$E2E_TSIG_FILE")
mapfile -t evidence < <(find "$WORK" "$OUT" -maxdepth 1 -type f \( -name '*.log' -o -name '*.json' -o -name '*.txt' -o -name '*.html' \))
for s in "$E2E_PG_PASSWORD" "$E2E_PG_APP_PASSWORD" "$E2E_WORKER_KEY_PASSPHRASE" "$tsig"; do
  leaked=$(grep -lF -- "$s" "${evidence[@]}" || true)
  [[ -z "$leaked" ]] || fail "a secret leaked into: $leaked"
done

step_figures "$WORK/done.json" full | sed 's/^figure: full: /figure: /'
python3 - "$WORK/done.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
steps = s["steps"]
print(f"figure: steps: {len(steps)}, " + ", ".join(f"{n} {st.lower()}" for st, n in sorted(
    {st: sum(1 for x in steps if x['state'] == st) for st in {x['state'] for x in steps}}.items())))
PY
t_end=$(date +%s)
python3 - "$WORK/done.json" <<'PY'
import json, sys
from datetime import datetime
t = lambda v: datetime.fromisoformat(v.replace("Z", "+00:00"))
for g in json.load(open(sys.argv[1]))["gates"]:
    print(f"figure: gate {g['name']} open {(t(g['approvedAt']) - t(g['openedAt'])).total_seconds():.1f}s until approved by {g['by']}")
PY
echo "figure: workflow tasks failed by the SDK's deadlock detector: $(cat "$WORK/worker-1.log" "$WORK/worker.log" | grep -c 'Potential deadlock detected' || true) (first worker and restarted worker)"
echo "figure: web UI approval (open the page, send approve, see it) in ${t_ui}s"
echo "figure: worker killed during the final sync and back in ${t_restart}s"
echo "figure: migration through the CLI in $((t_done - t_start))s (to the downtime gate $((t_gate - t_start))s, including the TTL wait and two presync rounds; the monitor phase 1m)"
echo "figure: hosts, PostgreSQL, BIND, nginx and the app up in ${t_env}s"
echo "figure: full e2e total $((t_end - t0))s"
ls "$OUT"
say "full scenario passed"
