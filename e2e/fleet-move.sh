#!/usr/bin/env bash
# End to end, a fleet shaped like Newroco's runbook 000 (issue 19, item 4): three services
# (timesheets, finance, hr), each with its own PostgreSQL database and app files, move from the
# namespace host old to new in ONE window, as the fleet e2e/fleet/fleet.yaml: one wave, its shared
# downtime gate approved once with `cutover fleet approve`, each service a child Migration of the
# Fleet workflow, the three running in parallel.
#  - Topology: e2e/ssh/hosts.sh (old 10.231.0.2, new 10.231.0.3, OpenSSH), e2e/pg/pg.sh (a cluster
#    on each) with `pg.sh add-db` for the three databases (pgbench -i -s 1 each, a few MB).
#  - Load: one app per service (e2e/pg/load.sh with E2E_LOAD_DB), writing to its database on old
#    until its plan's switch step sends it to new.
#  - Each service (template e2e/fleet/templates/service.yaml): files presynced, then in the
#    downtime the app's role loses CONNECT, its sessions end, pg-copy, the final rsync, pg-verify;
#    the switch sends the app to new.
# Then: every acknowledged commit of each app is on new and its sequence goes on there (check.py),
# each service's files are the same on new as on old, every member is a child of the fleet and was
# approved through it; the figures: each service's window (its own downtime clock), the wave's
# window (first start to last end) and their sum. The wave's window must be under 0.8 x the sum: a
# check on recorded times that holds only if the services' windows overlap, not a speed limit.
# Run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
PG=(bash "$ROOT/e2e/pg/pg.sh")
LOAD=(bash "$ROOT/e2e/pg/load.sh")
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh   # the template names each app's switch file under it
FLEET_FILE=e2e/fleet/fleet.yaml
FLEET=e2e-newroco
ID=fleet-$FLEET
# service:database, as in the fleet file
SERVICES=(timesheets:timesheetsystem finance:finance hr:humanresource)
GATE=wave-downtime
# The wave's window against the sum of the services' windows: three in parallel give about 1/3;
# one after the other give 1. A structural check on recorded times, with room for a busy machine.
MAX_WAVE_TO_SUM=0.8
# The namespaces, the bridge and the state dirs are the machine's: one scenario at a time.
exec 9>/run/lock/cutover-e2e-hosts.lock
flock -w 900 9 || fail "another e2e holds /run/lock/cutover-e2e-hosts.lock"
t_lock=$(date +%s)   # the total below includes the wait for the lock; this is where the run starts

svc_of() { echo "${1%%:*}"; }
db_of() { echo "${1#*:}"; }
member_id() { echo "cutover-e2e-fleet-$1"; }
# load_of SERVICE CMD...: that service's app (its own database and load dir).
load_of() { local s=$1 db=$2; shift 2; E2E_LOAD_DB=$db E2E_LOAD_DIR="$E2E_PG_DIR/fleet/$s" "${LOAD[@]}" "$@"; }

say "building the hosts old and new with a PostgreSQL cluster each, and three services on old"
t_env=$(date +%s)
"${HOSTS[@]}" up >"$WORK/hosts.log" 2>&1 || { cat "$WORK/hosts.log"; fail "hosts.sh up"; }
kill_loads() {
  local e
  for e in "${SERVICES[@]}"; do load_of "$(svc_of "$e")" "$(db_of "$e")" kill || true; done
}
CLEANUPS+=("kill_loads; ${PG[*]} down; ${HOSTS[*]} down")
"${PG[@]}" up --scale 1 >"$WORK/pg-up.log" 2>&1 || { cat "$WORK/pg-up.log"; fail "pg.sh up"; }
eval "$("${HOSTS[@]}" env)"
eval "$("${PG[@]}" env)"
for e in "${SERVICES[@]}"; do
  "${PG[@]}" add-db "$(db_of "$e")" --scale 1
  # The app's files: a few hundred of various sizes, some in subdirectories.
  python3 - "$E2E_SSH_DIR/old/srv/$(svc_of "$e")" "$(svc_of "$e")" <<'PY'
import os, random, sys
root, name = sys.argv[1], sys.argv[2]
random.seed(name)
for d in ("app", "config", "data/uploads"):
    os.makedirs(os.path.join(root, d), exist_ok=True)
for i in range(300):
    d = random.choice(("app", "config", "data/uploads"))
    with open(os.path.join(root, d, f"{name}-{i:03d}.txt"), "w") as f:
        f.write("".join(random.choice("abcdefghij \n") for _ in range(random.randint(100, 12000))))
PY
done
t_env=$(( $(date +%s) - t_env ))

start_temporal
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS" \
  E2E_PG_PASSWORD="$E2E_PG_PASSWORD"

expect_exit 0 "${CLI[@]}" fleet validate "$FLEET_FILE"

say "load: each service's app writes to its database on old"
for e in "${SERVICES[@]}"; do
  load_of "$(svc_of "$e")" "$(db_of "$e")" start --clients 2 --rate 40 --run-seconds 2
done

# The files are written on old while the presync runs; each service's last file comes after it,
# so only the final sync in the downtime carries it.
late_files() {
  local e
  for e in "${SERVICES[@]}"; do
    head -c 2M /dev/urandom >"$E2E_SSH_DIR/old/srv/$(svc_of "$e")/data/uploads/late.bin"
  done
}

t_start=$(date +%s)
expect_exit 0 "${CLI[@]}" fleet start "$FLEET_FILE"
wait_gate "$GATE" 180
t_gate=$(date +%s)
late_files
"${CLI[@]}" fleet status "$FLEET" | tee "$WORK/fleet-at-gate.txt"
sleep 1   # the apps write on while the gate waits, as they would while someone reads the status
say "approving the wave's downtime once, for all three"
expect_exit 0 "${CLI[@]}" fleet approve "$FLEET" "$GATE" --comment "e2e: the whole wave goes"

for _ in $(seq 1 360); do
  [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_RUNNING ]] || break
  sleep 0.5
done
t_done=$(date +%s)
"${CLI[@]}" fleet status "$FLEET" | tee "$WORK/fleet-done.txt"
[[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] || fail "the fleet is $(closed_status)"

say "each member: a child of the fleet, approved through it, completed"
for e in "${SERVICES[@]}"; do
  s=$(svc_of "$e")
  m=$(member_id "$s")
  "${CLI[@]}" status "$m" --json >"$WORK/$s-done.json"
  temporal workflow describe --address "$ADDR" --workflow-id "$m" -o json >"$WORK/$s-describe.json"
  temporal workflow show --address "$ADDR" --workflow-id "$m" -o json >"$WORK/$s-history.json"
  python3 - "$WORK/$s-done.json" "$WORK/$s-describe.json" "$ID" "$GATE" "$FLEET" <<'PY' || fail "member $m"
import json, sys
status, desc, fleet_id, gate, fleet = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), *sys.argv[3:]
info = desc["workflowExecutionInfo"]
def bad(msg):
    print(f"e2e: {status['migration']}: {msg}", file=sys.stderr); sys.exit(1)
if info.get("status") != "WORKFLOW_EXECUTION_STATUS_COMPLETED" or status["state"] != "COMPLETED":
    bad(f"{info.get('status')} / {status['state']}")
parent = (info.get("parentExecution") or {}).get("workflowId")
if parent != fleet_id:
    bad(f"its parent is {parent}, not the fleet {fleet_id}")
g = [x for x in status.get("gates", []) if x.get("name") == gate]
if not g or g[0].get("state") != "APPROVED" or f"fleet {fleet}" not in (g[0].get("by") or ""):
    bad(f"gate {gate} was not approved through the fleet: {g}")
if any(s.get("state") != "SUCCEEDED" for s in status["steps"]):
    bad("steps not all succeeded: " + ", ".join(f"{s['name']}={s.get('state')}" for s in status["steps"]))
PY
done

say "what each app saw, and each service's files, on new"
for e in "${SERVICES[@]}"; do
  s=$(svc_of "$e"); db=$(db_of "$e")
  load_of "$s" "$db" stop
  load_of "$s" "$db" check --json "$WORK/$s-check.json" | sed "s/^figure: /figure: $s: /" || fail "$s: the check failed"
  sum_old=$(cd "$E2E_SSH_DIR/old/srv/$s" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  sum_new=$(cd "$E2E_SSH_DIR/new/srv/$s" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  [[ "$sum_old" == "$sum_new" ]] || fail "$s: the files on new differ from old's"
  [[ -f "$E2E_SSH_DIR/new/srv/$s/data/uploads/late.bin" ]] || fail "$s: the file written after the presync is not on new"
  echo "figure: $s: $(find "$E2E_SSH_DIR/new/srv/$s" -type f | wc -l) files on new, the same as old's (sha256 of all)"
  if grep -qF -- "$E2E_PG_PASSWORD" "$WORK/$s-history.json" "$WORK/$s-done.json"; then
    fail "$s: the database password is in its history or status"
  fi
done

temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json >"$WORK/fleet-history.json"
if grep -qF -- "$E2E_PG_PASSWORD" "$WORK/fleet-history.json" "$WORK/worker.log"; then
  fail "the database password is in the fleet's history or the worker's log"
fi
"${CLI[@]}" fleet report "$FLEET" | tee "$WORK/fleet-report.txt"
"${CLI[@]}" fleet report "$FLEET" --format json >"$WORK/fleet-report.json" || fail "fleet report --format json"

say "the windows: each service's downtime clock, the wave's from first start to last end"
python3 - "$MAX_WAVE_TO_SUM" "$WORK" "${SERVICES[@]}" <<'PY' || fail "the wave's window"
import json, re, sys
from datetime import datetime
limit, work, entries = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
def t(v):
    return datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
windows = {}
for e in entries:
    s = e.split(":")[0]
    d = json.load(open(f"{work}/{s}-done.json")).get("downtime") or {}
    if not d.get("startedAt") or not d.get("endedAt"):
        print(f"e2e: {s}: no downtime recorded: {d}", file=sys.stderr); sys.exit(1)
    windows[s] = (t(d["startedAt"]), t(d["endedAt"]))
for s, (a, b) in windows.items():
    print(f"figure: {s}: window {b - a:.2f}s")
longest = max(b - a for a, b in windows.values())
total = sum(b - a for a, b in windows.values())
first, last = min(a for a, _ in windows.values()), max(b for _, b in windows.values())
wave = last - first
print(f"figure: wave night-1: window {wave:.2f}s (first service down to last one switched)")
print(f"figure: longest service's window {longest:.2f}s; sum of the services' windows {total:.2f}s")
print(f"figure: wave / sum = {wave / total:.2f} (limit {limit}); wave / longest = {wave / longest:.2f}")
overlap = min(b for _, b in windows.values()) - max(a for a, _ in windows.values())
if overlap <= 0:
    print(f"e2e: the services' windows do not all overlap ({overlap:.2f}s): they did not run in parallel", file=sys.stderr)
    sys.exit(1)
if wave >= limit * total:
    print(f"e2e: the wave's window {wave:.2f}s is not under {limit} x the sum {total:.2f}s", file=sys.stderr)
    sys.exit(1)

# The fleet's own report, from each member's history: the same windows, told by the CLI.
def secs(v):
    if v is None or isinstance(v, (int, float)):
        return v
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", v)
    return int(m[1] or 0) * 3600 + int(m[2] or 0) * 60 + float(m[3] or 0) if m else None
report = json.load(open(f"{work}/fleet-report.json"))
for w in report.get("waves", []):
    rw, rs, rl = secs(w.get("window")), secs(w.get("sumOfServices")), secs(w.get("longest"))
    if None in (rw, rs, rl):
        print(f"e2e: the fleet report has no window for wave {w.get('name')}: {w}", file=sys.stderr); sys.exit(1)
    print(f"figure: fleet report: wave {w['name']}: window {rw:.2f}s, sum of services {rs:.2f}s, "
          f"longest {rl:.2f}s ({w.get('longestService')})")
    if rw >= limit * rs:
        print(f"e2e: the report's wave window {rw:.2f}s is not under {limit} x its sum {rs:.2f}s", file=sys.stderr)
        sys.exit(1)
PY

t_end=$(date +%s)
echo "figure: hosts, clusters, databases and files up in ${t_env}s"
echo "figure: fleet through the CLI in $((t_done - t_start))s (to the shared gate $((t_gate - t_start))s)"
echo "figure: fleet e2e $((t_end - t_lock))s once it held the hosts lock ($((t_end - t0))s in all)"
say "fleet scenario passed"
