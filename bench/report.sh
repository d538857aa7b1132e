#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing): what `cutover report` costs on a long history. A plan
# of N `run` steps, every tenth failing once so the history has retries, runs on the real Temporal
# dev server; then the report is rendered from the server in each format, and from the history
# exported with `temporal workflow show --output json`. Figures: history events and size, wall
# time and peak memory (max RSS of the CLI's JVM) per rendering, and the output's size.
#   usage: bench/report.sh [N]      (default N=1000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-1000}"
# The work dir, cleanup, the temporal CLI, the jars, start_temporal, start_worker and CLI come from e2e/lib.sh.
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
CLEANUPS+=("rm -rf '$WORK'")
start_temporal
# shellcheck disable=SC2119  # no worker settings to pass
start_worker
ID=cutover-bench-report

# Every tenth step fails on its first attempt (a marker file decides), so the report has retries to show.
{
  echo "migration: bench-report"
  echo "hosts: {local: {}}"
  echo "phases:"
  echo "  prepare:"
  echo "    steps:"
  for i in $(seq 1 "$N"); do
    if (( i % 10 == 0 )); then
      echo "      - {name: s$i, kind: run, host: local, retry: {initialInterval: 100ms}, command: \"test -e $WORK/m$i || { touch $WORK/m$i; exit 1; }\"}"
    else
      echo "      - {name: s$i, kind: run, host: local, command: \"true\"}"
    fi
  done
} >"$WORK/plan.yaml"

t0=$(date +%s)
"${CLI[@]}" start "$WORK/plan.yaml" >/dev/null
until "${CLI[@]}" status "$ID" --json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["state"]=="COMPLETED" else 1)'; do sleep 2; done
echo "figure: $N steps ran in $(( $(date +%s) - t0 ))s"
temporal workflow show --address "$ADDR" --workflow-id "$ID" --output json >"$WORK/history.json"
python3 - "$WORK/history.json" <<'PY'
import json, os, sys
events = json.load(open(sys.argv[1]))["events"]
print(f"figure: history: {len(events)} events, {os.path.getsize(sys.argv[1]) / 1e6:.1f} MB exported as JSON")
PY

measure() { # LABEL ARGS...: wall time and max RSS of one report
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "${CLI[@]}" report "$@" >/dev/null
  read -r secs kb <"$WORK/time.txt"
  echo "figure: report $label: ${secs}s, max RSS $(( kb / 1024 )) MB"
}
for format in text md html json; do
  measure "from the server, $format" "$ID" --format "$format" -o "$WORK/report.$format"
  echo "figure: report $format size: $(( $(stat -c %s "$WORK/report.$format") / 1024 )) KB"
done
measure "from the exported history, html" --history "$WORK/history.json" --format html -o "$WORK/report-file.html"
/usr/bin/time -f "%e %M" -o "$WORK/time.txt" "${CLI[@]}" --help >/dev/null
read -r secs kb <"$WORK/time.txt"
echo "figure: the CLI's JVM alone (cutover --help): ${secs}s, max RSS $(( kb / 1024 )) MB"
