#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing): what cutover's orchestration costs per step on a
# real Temporal server: the dev server it starts (default), or the one at --address (e.g. the
# server on PostgreSQL that e2e/production.sh --bench starts; its namespace must have cutover's
# search attributes). A plan of N `run` steps that each run `true` goes through a worker it starts;
# the figures are the wall time per step, compared with running `true` N times from a shell, and
# the time from an approval to the next step starting.
#   usage: bench/step-overhead.sh [N] [--address HOST:PORT]      (default N=100)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N=100
TARGET=
while (( $# )); do
  case $1 in
    --address) TARGET=${2:?--address needs HOST:PORT}; shift 2 ;;
    --address=*) TARGET=${1#--address=}; shift ;;
    [0-9]*) N=$1; shift ;;
    *) echo "usage: bench/step-overhead.sh [N] [--address HOST:PORT]" >&2; exit 2 ;;
  esac
done
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
# shellcheck disable=SC2119  # no worker settings to pass
start_worker

{
  echo "migration: bench-steps"
  echo "hosts: {local: {}}"
  echo "gates: [{name: go, before: downtime}]"
  echo "phases:"
  echo "  prepare:"
  echo "    steps:"
  for i in $(seq 1 "$N"); do echo "      - {name: s$i, kind: run, host: local, command: \"true\"}"; done
  echo "  downtime: {steps: [{name: after-gate, kind: run, host: local, command: \"true\"}]}"
} >"$WORK/plan.yaml"

"${CLI[@]}" start "$WORK/plan.yaml" >/dev/null
status() { "${CLI[@]}" status cutover-bench-steps --json; }
until status | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["waitingFor"]=="gate:go" else 1)'; do sleep 0.5; done
status >"$WORK/status-gate.json"
approved_at=$(python3 -c 'import time; print(time.time())')
"${CLI[@]}" approve cutover-bench-steps go >/dev/null
until status | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["state"]=="COMPLETED" else 1)'; do sleep 0.5; done
status >"$WORK/status-end.json"

shell_start=$(date +%s%N); for _ in $(seq 1 "$N"); do sh -c true; done; shell_end=$(date +%s%N)

python3 - "$WORK/status-end.json" "$N" "$approved_at" "$(( (shell_end - shell_start) / 1000 ))" "$LABEL" <<'PY'
import json, sys
from datetime import datetime
status = json.load(open(sys.argv[1])); n = int(sys.argv[2]); approved = float(sys.argv[3]); shell_us = int(sys.argv[4]); label = sys.argv[5]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
steps = [s for s in status["steps"] if s["phase"] == "prepare"]
first, last = t(steps[0]["startedAt"]), t(steps[-1]["endedAt"])
per_step = (last - first) / n
after = [s for s in status["steps"] if s["name"] == "after-gate"][0]
print(f"figure: target: {label}")
print(f"figure: steps run: {n}")
print(f"figure: wall time per run step through Temporal: {per_step*1000:.1f} ms")
print(f"figure: sh -c true from a shell, per call: {shell_us/n/1000:.1f} ms")
print(f"figure: approve command to next step started: {(t(after['startedAt']) - approved)*1000:.0f} ms (includes the CLI's JVM start)")
PY
