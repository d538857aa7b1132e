#!/usr/bin/env bash
# Helpers for the database scenarios that drive a migration through the CLI; source after
# e2e/lib.sh (they use CLI, ID, WORK, status_json and fail from there).

# wait_until FIELD VALUE SECONDS: like wait_for, but a step waiting for a decision fails at once.
wait_until() {
  local tries=$(( $3 * 2 )) got state waiting
  for _ in $(seq 1 "$tries"); do
    status_json >"$WORK/poll.json" 2>/dev/null || { sleep 0.5; continue; }
    read -r got state waiting < <(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['$1'], s['state'], s.get('waitingFor') or '-')" "$WORK/poll.json")
    [[ "$got" == "$2" ]] && return 0
    if [[ "$waiting" == decision:* || "$state" == ABORTED || "$state" == HELD || "$state" == ROLLING_BACK ]]; then
      "${CLI[@]}" status "$ID" || true
      fail "$ID is $state, waiting for $waiting, while the e2e waits for $1 = $2"
    fi
    sleep 0.5
  done
  "${CLI[@]}" status "$ID" || true
  fail "status.$1 never became $2"
}

# step_figures STATUS_JSON LABEL: one "figure:" line per step with its duration, and the downtime.
step_figures() {
  python3 - "$1" "$2" <<'PY'
import json, sys
from datetime import datetime
status, label = json.load(open(sys.argv[1])), sys.argv[2]
def t(v):
    if v is None: return None
    if isinstance(v, (int, float)): return float(v)
    return datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
for s in status["steps"]:
    a, b = t(s.get("startedAt")), t(s.get("endedAt"))
    took = f"{b - a:.2f}s" if a is not None and b is not None else "-"
    rnd = f" round {s['round']}" if s.get("round") else ""
    out = (s.get("outputTail") or "").strip().splitlines()
    said = f": {out[-1][:200]}" if out else ""
    print(f"figure: {label}: step {s['name']} ({s.get('kind')}, {s.get('phase')}{rnd}) {s['state']} in {took}{said}")
d = status.get("downtime") or {}
print(f"figure: {label}: downtime measured by the workflow {d.get('measured')}")
PY
}

