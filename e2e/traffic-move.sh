#!/usr/bin/env bash
# End to end for moving traffic: BIND (primary + secondary, TSIG) authoritative for cutover.test and
# an nginx in each namespace host (e2e/traffic/servers.sh on top of e2e/ssh/hosts.sh), the Temporal
# dev server, the worker and the CLI, while a client keeps requesting www through old's address.
#  1. e2e/plans/traffic-move.yaml: dns-ttl lowers www's TTL (10s -> 2s) and the run waits the old
#     TTL; at the gate the CLI approves; switch: http checks new by address, proxy-switch makes
#     old's nginx (over ssh) proxy to new, http checks old now answers from new, dns-set flips www
#     and waits for both servers; the finish phase puts the TTL back.
#  2. The same plan with a gate before finish, aborted there: the flip, the proxy and the TTL are
#     undone, in reverse.
# Checks what both DNS servers answer, what old's nginx serves, that the client never saw a failed
# request, and that the TSIG secret is in no history, status or worker log. Prints one line per
# figure. Run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
SERVERS=(bash "$ROOT/e2e/traffic/servers.sh")
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh
# The namespaces, the bridge and the state dir are the machine's: one scenario at a time.
exec 9>/run/lock/cutover-e2e-hosts.lock
flock -w 900 9 || fail "another e2e holds /run/lock/cutover-e2e-hosts.lock"

say "building the hosts old and new, BIND for cutover.test and an nginx on each host"
t_env=$(date +%s)
"${HOSTS[@]}" up >"$WORK/hosts.log" 2>&1 || { cat "$WORK/hosts.log"; fail "hosts.sh up"; }
CLEANUPS+=("${SERVERS[*]} down; ${HOSTS[*]} down")
"${SERVERS[@]}" up
eval "$("${HOSTS[@]}" env)"
eval "$("${SERVERS[@]}" env)"
t_env=$(( $(date +%s) - t_env ))

start_temporal
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS"

# plan [EXTRA-GATE]: the committed plan with the servers' addresses filled in.
plan() {
  local out="$WORK/traffic-move${1:+-$1}.yaml"
  sed -e "s|@PRIMARY@|$E2E_DNS_PRIMARY|; s|@SECONDARY@|$E2E_DNS_SECONDARY|; s|@TSIG_KEY@|$E2E_TSIG_KEY|" \
      -e "s|@TSIG_FILE@|$E2E_TSIG_FILE|; s|@NGINX_OLD_CMD@|$E2E_NGINX_OLD_CMD|g; s|@NGINX_OLD@|$E2E_NGINX_OLD|g" \
      e2e/plans/traffic-move.yaml >"$out"
  if [[ -n "${1:-}" ]]; then
    sed -i "s|^gates:|gates:\n  - {name: $1, before: finish}|" "$out"
  fi
  echo "$out"
}

# The client: a request to old's address every 50 ms, one line per answer (or failure).
client_start() {
  : >"$WORK/client.log"
  (
    while :; do
      body=$(curl -s --max-time 2 -H 'Host: www.cutover.test' http://10.231.0.2/ 2>/dev/null) || body="FAILED"
      echo "$(date +%s.%N) ${body%% *}" >>"$WORK/client.log"
      sleep 0.05
    done
  ) &
  CLIENT=$!
  PIDS+=("$CLIENT")
}
client_stop() { kill "$CLIENT" 2>/dev/null || true; wait "$CLIENT" 2>/dev/null || true; }

answers() { # what both servers answer for www: "ttl value | ttl value"
  echo "$("${SERVERS[@]}" dig "$E2E_DNS_PRIMARY" www.cutover.test) | $("${SERVERS[@]}" dig "$E2E_DNS_SECONDARY" www.cutover.test)"
}

no_secret_in() {
  local secret
  secret=$(cat "$E2E_TSIG_FILE")
  if grep -qF -- "$secret" "$@"; then fail "the TSIG secret leaked into one of: $*"; fi
}

assert_route() { ip -o route get "$1" | grep -q " dev cutbr0 " || fail "route to $1 does not go through cutbr0"; }
assert_route 10.231.0.2
assert_route 10.231.0.3

say "1. lower the TTL, wait it out, check new, proxy old to new, flip DNS, restore the TTL"
[[ "$(answers)" == "10 10.231.0.2 | 10 10.231.0.2" ]] || fail "www before the run: $(answers)"
PLAN=$(plan)
ID=cutover-e2e-traffic-move
client_start
t_start=$(date +%s)
expect_exit 0 "${CLI[@]}" start "$PLAN"
wait_for waitingFor gate:go-switch 120
t_gate=$(date +%s)
[[ "$(answers)" == "2 10.231.0.2 | 2 10.231.0.2" ]] || fail "www at the gate (TTL lowered on both servers expected): $(answers)"
expect_exit 0 "${CLI[@]}" approve "$ID" go-switch --comment "e2e: TTL is short"
wait_for state COMPLETED 120
t_done=$(date +%s)
sleep 1
client_stop
"${CLI[@]}" status "$ID"
status_json >"$WORK/traffic-done.json"
[[ "$(answers)" == "10 10.231.0.3 | 10 10.231.0.3" ]] || fail "www after the run (new address, TTL back to 10s expected): $(answers)"
got=$(curl -s --max-time 5 -H 'Host: www.cutover.test' http://10.231.0.2/)
[[ "$got" == "new host=www.cutover.test" ]] || fail "old's nginx answers '$got' after the switch"
temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json >"$WORK/traffic-history.json"
no_secret_in "$WORK/traffic-history.json" "$WORK/traffic-done.json" "$WORK/worker.log"
python3 - "$WORK/client.log" "$WORK/traffic-history.json" "$WORK/traffic-done.json" <<'PY'
import json, sys
from datetime import datetime
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
seen = {}
for _, body in lines:
    seen[body] = seen.get(body, 0) + 1
failed = [float(t) for t, b in lines if b == "FAILED"]
print(f"figure: client through old's address: {len(lines)} requests, " + ", ".join(f"{n} {b}" for b, n in sorted(seen.items())))
first_new = next((float(t) for t, b in lines if b == "new"), None)
last_old = max((float(t) for t, b in lines if b == "old"), default=None)
if failed:
    print(f"figure: failed requests: {len(failed)} over {max(failed) - min(failed):.2f}s")
    sys.exit("the client saw failed requests during the switch")
if first_new and last_old:
    print(f"figure: last 'old' to first 'new' answer: {first_new - last_old:.3f}s (no request failed)")
events = json.load(open(sys.argv[2]))["events"]
def when(e):
    return datetime.fromisoformat(e["eventTime"].replace("Z", "+00:00")[:26] + "+00:00")
for e in events:
    if e.get("eventType") in ("EVENT_TYPE_TIMER_STARTED", "TimerStarted"):
        attrs = e.get("timerStartedEventAttributes", {})
        summary = e.get("userMetadata", {}).get("summary", {})
        print(f"figure: timer {attrs.get('startToFireTimeout')} (the old TTL is 10s)")
status = json.load(open(sys.argv[3]))
for s in status["steps"]:
    if s.get("startedAt") and s.get("endedAt"):
        took = (datetime.fromisoformat(s["endedAt"].replace("Z", "+00:00")) - datetime.fromisoformat(s["startedAt"].replace("Z", "+00:00"))).total_seconds()
        print(f"figure: step {s['name']} ({s['kind']}) {took:.2f}s: {(s.get('outputTail') or '').strip().splitlines()[-1] if s.get('outputTail') else ''}")
PY
echo "figure: traffic migration through the CLI in $((t_done - t_start))s (to the gate $((t_gate - t_start))s, including the 10s TTL wait)"
"${CLI[@]}" report "$ID" --format text >"$WORK/traffic-report.txt" || fail "cutover report"
grep -q "flip-www" "$WORK/traffic-report.txt" || fail "the report does not name flip-www"
# The same report from the exported history, as after an incident with no server at hand.
"${CLI[@]}" report --history "$WORK/traffic-history.json" --format text >"$WORK/traffic-report-file.txt" || fail "cutover report --history"
diff -u "$WORK/traffic-report.txt" "$WORK/traffic-report-file.txt" || fail "report from the exported history differs from the server's"
"${CLI[@]}" report "$ID" --format html -o "$WORK/traffic-report.html" || fail "cutover report --format html"
no_secret_in "$WORK/traffic-report.txt" "$WORK/traffic-report.html"

say "2. the same, aborted before finish: flip, proxy and TTL undone in reverse"
"${SERVERS[@]}" up
eval "$("${SERVERS[@]}" env)"
PLAN=$(plan go-finish)
ID=cutover-e2e-traffic-abort
expect_exit 0 "${CLI[@]}" start "$PLAN" --id "$ID"
wait_for waitingFor gate:go-switch 120
expect_exit 0 "${CLI[@]}" approve "$ID" go-switch --comment "e2e: go"
wait_for waitingFor gate:go-finish 120
[[ "$(answers)" == "2 10.231.0.3 | 2 10.231.0.3" ]] || fail "www at the finish gate: $(answers)"
expect_exit 0 "${CLI[@]}" abort "$ID" --reason "e2e: roll back the switch"
wait_for state ABORTED 120
# A rolled-back run ends failed (MigrationAborted), so the Temporal UI's list does not say completed.
for _ in $(seq 1 20); do [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_FAILED ]] && break; sleep 0.5; done
[[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_FAILED ]] || fail "aborted run is $(closed_status) in Temporal, not failed"
"${CLI[@]}" status "$ID"
[[ "$(answers)" == "10 10.231.0.2 | 10 10.231.0.2" ]] || fail "www after the abort (old address, TTL 10s expected): $(answers)"
sleep 0.5
got=$(curl -s --max-time 5 -H 'Host: www.cutover.test' http://10.231.0.2/)
[[ "$got" == "old" ]] || fail "old's nginx answers '$got' after the undo"
status_json | python3 -c '
import json, sys
steps = {s["name"]: s["state"] for s in json.load(sys.stdin)["steps"]}
undone = [n for n in ("short-ttl", "proxy-to-new", "flip-www") if steps.get(n) == "UNDONE"]
print("figure: undone after abort: " + ", ".join(undone))
sys.exit(0 if len(undone) == 3 else "not every traffic step was undone: %s" % steps)'

t_end=$(date +%s)
echo "figure: hosts, BIND and nginx up in ${t_env}s"
echo "figure: traffic e2e total $((t_end - t0))s"
say "traffic scenario passed"
