#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing): what cutover's orchestration costs per step on a
# real Temporal server: the dev server it starts (default), or the one at --address (e.g. the
# server on PostgreSQL that e2e/production.sh --bench starts; its namespace must have cutover's
# search attributes). One worker, started with the bench profile, runs in turn, R times:
#   - bare: a workflow that calls a no-op activity N times in sequence (its own task queue, SDK
#     defaults, none of cutover's interceptors): what Temporal itself costs per activity;
#   - cutover: a plan of N `run` steps that each run `true` on the worker's machine.
# Both are timed the same way, from their histories (first activity scheduled to last completed,
# over N), and split into where an activity's time goes: scheduled -> started (hand-off: the server
# gives the task to a waiting poller), started -> completed (worker: delivery, the activity, its
# reply), completed -> next scheduled (the workflow task). Then the medians over the R repetitions and their ratio, `true` from a shell, and
# the time from an approval to the next step starting.
#   usage: bench/step-overhead.sh [N] [--reps R] [--address HOST:PORT]      (defaults N=100, R=5)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N=100
REPS=5
TARGET=
usage() { echo "usage: bench/step-overhead.sh [N] [--reps R] [--address HOST:PORT]" >&2; exit 2; }
while (( $# )); do
  case $1 in
    --address) TARGET=${2:?--address needs HOST:PORT}; shift 2 ;;
    --address=*) TARGET=${1#--address=}; shift ;;
    --reps) REPS=${2:?--reps needs a number}; shift 2 ;;
    --reps=*) REPS=${1#--reps=}; shift ;;
    [0-9]*) N=$1; shift ;;
    *) usage ;;
  esac
done
[[ "$N" =~ ^[0-9]+$ && "$REPS" =~ ^[0-9]+$ ]] && (( N >= 2 && N <= 1000 && REPS >= 1 && REPS <= 50 )) \
  || { echo "bench: N must be 2..1000 and R 1..50" >&2; usage; }
# The work dir, cleanup, the temporal CLI, the jars, start_temporal, start_worker and CLI come from e2e/lib.sh.
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
CLEANUPS+=("rm -rf '$WORK'")
if [[ -n "$TARGET" ]]; then
  ADDR=$TARGET
  export TEMPORAL_ADDRESS="$ADDR"
  temporal operator cluster health --address "$ADDR" >/dev/null 2>&1 || fail "no healthy Temporal server at $ADDR"
  LABEL="server at $ADDR"
else
  start_temporal
  LABEL="dev server"
fi
# The bench profile adds the bare no-op workflow on its own task queue (worker/.../bench).
start_worker SPRING_PROFILES_ACTIVE=bench

RUN_ID=$(date +%s)
steps_plan() { # steps_plan MIGRATION [GATE]: N run steps of `true`; with GATE, a gate and one more step
  echo "migration: $1"
  echo "hosts: {local: {}}"
  [[ -n "${2:-}" ]] && echo "gates: [{name: go, before: downtime}]"
  echo "phases:"
  echo "  prepare:"
  echo "    steps:"
  for i in $(seq 1 "$N"); do echo "      - {name: s$i, kind: run, host: local, command: \"true\"}"; done
  [[ -n "${2:-}" ]] && echo "  downtime: {steps: [{name: after-gate, kind: run, host: local, command: \"true\"}]}"
  return 0
}
# Waits on the server (a long poll of the temporal CLI): no JVM starts while the steps run.
await_result() { temporal workflow result --address "$ADDR" --workflow-id "$1" >/dev/null 2>&1 || fail "$1 did not complete"; }
# The CLI gives up on a server that answers slowly (a loaded machine): try again unless it started.
start_plan() { # start_plan PLAN WORKFLOW_ID
  for _ in 1 2 3; do
    "${CLI[@]}" start "$1" >/dev/null 2>"$WORK/start.err" && return 0
    temporal workflow describe --address "$ADDR" --workflow-id "$2" >/dev/null 2>&1 && return 0
    sleep 1
  done
  cat "$WORK/start.err" >&2; fail "could not start $2"
}
history() { temporal workflow show --address "$ADDR" --workflow-id "$1" -o json >"$WORK/$2.json"; }

for r in $(seq 1 "$REPS"); do
  bare="bench-noop-$RUN_ID-$r"
  temporal workflow start --address "$ADDR" --task-queue cutover-bench --type CutoverBenchNoop \
    --workflow-id "$bare" --input "$N" >/dev/null
  await_result "$bare"
  history "$bare" "bare-$r"
  migration="bench-steps-$RUN_ID-$r"
  steps_plan "$migration" >"$WORK/plan-$r.yaml"
  start_plan "$WORK/plan-$r.yaml" "cutover-$migration"
  await_result "cutover-$migration"
  history "cutover-$migration" "cutover-$r"
  say "repetition $r of $REPS done"
done

shell_start=$(date +%s%N); for _ in $(seq 1 "$N"); do sh -c true; done; shell_end=$(date +%s%N)

python3 - "$WORK" "$N" "$REPS" "$(( (shell_end - shell_start) / 1000 ))" "$LABEL" <<'PY'
import json, statistics, sys
from datetime import datetime
work, n, reps, shell_us, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

def when(e):
    s = e["eventTime"].replace("Z", "")
    if "." in s:  # RFC 3339 with nanoseconds: Python takes microseconds
        head, frac = s.split(".")
        s = head + "." + (frac + "000000")[:6]
    return datetime.fromisoformat(s + "+00:00").timestamp()

def activities(path, activity_type):
    """Per activity: scheduled, started, completed times, and the next one's scheduled time."""
    events = json.load(open(path))["events"]
    by_id, acts = {}, []
    for e in events:
        kind = e["eventType"]
        if kind in ("EVENT_TYPE_ACTIVITY_TASK_SCHEDULED", "ActivityTaskScheduled"):
            attrs = e["activityTaskScheduledEventAttributes"]
            if attrs["activityType"]["name"] == activity_type:
                a = {"scheduled": when(e)}
                by_id[str(e["eventId"])] = a
                acts.append(a)
        elif kind in ("EVENT_TYPE_ACTIVITY_TASK_STARTED", "ActivityTaskStarted"):
            a = by_id.get(str(e["activityTaskStartedEventAttributes"]["scheduledEventId"]))
            if a is not None:
                a["started"] = when(e)
        elif kind in ("EVENT_TYPE_ACTIVITY_TASK_COMPLETED", "ActivityTaskCompleted"):
            a = by_id.get(str(e["activityTaskCompletedEventAttributes"]["scheduledEventId"]))
            if a is not None:
                a["completed"] = when(e)
    if len(acts) != n or any("completed" not in a for a in acts):
        sys.exit(f"bench: {path}: expected {n} completed {activity_type} activities, found {len(acts)}")
    return acts

def figures(path, activity_type):
    acts = activities(path, activity_type)
    ms = lambda xs: statistics.median(xs) * 1000
    return {
        "per": (acts[-1]["completed"] - acts[0]["scheduled"]) / n * 1000,
        "dispatch": ms([a["started"] - a["scheduled"] for a in acts]),
        "run": ms([a["completed"] - a["started"] for a in acts]),
        "task": ms([b["scheduled"] - a["completed"] for a, b in zip(acts, acts[1:])]),
    }

rows = []
for r in range(1, reps + 1):
    bare = figures(f"{work}/bare-{r}.json", "CutoverBenchNoop")
    step = figures(f"{work}/cutover-{r}.json", "RunCommand")
    rows.append((bare, step))

def split(f):
    return f"hand-off {f['dispatch']:5.1f}, worker {f['run']:5.1f}, workflow task {f['task']:5.1f}"

print(f"figure: target: {label}; {n} activities per run, {reps} repetitions (bare and cutover in turn)")
print("figure: per activity, ms          bare no-op activity  cutover run step  ratio   | cutover median split (ms)")
for r, (bare, step) in enumerate(rows, 1):
    print(f"figure:   repetition {r:<2}             {bare['per']:8.1f}          {step['per']:8.1f}     {step['per'] / bare['per']:5.2f}x  | {split(step)}")
med = lambda key, i: statistics.median(row[i][key] for row in rows)
bare_med, step_med = med("per", 0), med("per", 1)
ratio_med = statistics.median(row[1]["per"] / row[0]["per"] for row in rows)
print(f"figure: median per activity: bare no-op {bare_med:.1f} ms, cutover run step {step_med:.1f} ms, ratio {ratio_med:.2f}x (median of the repetitions' ratios)")
print(f"figure: wall time per run step through Temporal: {step_med:.1f} ms (median of {reps}; bare no-op activity {bare_med:.1f} ms)")
print(f"figure: median split, bare:    {split({k: med(k, 0) for k in ('dispatch', 'run', 'task')})}")
print(f"figure: median split, cutover: {split({k: med(k, 1) for k in ('dispatch', 'run', 'task')})}")
print(f"figure: sh -c true from a shell, per call: {shell_us / n / 1000:.1f} ms")
print(f"figure: machine load (1, 5, 15 min) at the end: {open('/proc/loadavg').read().split()[:3]}")
PY

# The approval, last: a gate after one step, approved with the CLI as an operator would.
ID="cutover-bench-gate-$RUN_ID"
N=1 steps_plan "bench-gate-$RUN_ID" gate >"$WORK/plan-gate.yaml"
start_plan "$WORK/plan-gate.yaml" "$ID"
wait_gate go 120
approved_at=$(python3 -c 'import time; print(time.time())')
"${CLI[@]}" approve "$ID" go >/dev/null
await_result "$ID"
status_json | python3 -c '
import json, sys
from datetime import datetime
after = [s for s in json.load(sys.stdin)["steps"] if s["name"] == "after-gate"][0]
started = datetime.fromisoformat(after["startedAt"].replace("Z", "+00:00")).timestamp()
print(f"figure: approve command to next step started: {(started - float(sys.argv[1])) * 1000:.0f} ms (includes the CLI'"'"'s JVM start)")
' "$approved_at"
