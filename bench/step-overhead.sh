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
# The work dir, cleanup, the temporal CLI, the jars, start_temporal, start_worker and CLI come from e2e/lib.sh.
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
CLEANUPS+=("rm -rf '$WORK'")
start_temporal
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
