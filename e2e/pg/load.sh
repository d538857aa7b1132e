#!/usr/bin/env bash
# The application of the database scenarios: a write load on shop, through the migration, that
# logs every transaction it saw committed. Needs the clusters of pg.sh (it reads `pg.sh env`).
#
#   load.sh start [--clients N] [--rate TPS] [--run-seconds S]
#                  in the background: pgbench runs of S seconds (default 2) one after the other,
#                  N clients (default 4) at TPS transactions a second in all (default 200), as
#                  role app, against old until the switch file exists, then against new.
#                  A run whose connection fails or is cut ends (pgbench aborts the client) and
#                  the next one starts 50 ms later, as an application that retries would.
#   load.sh switch  create the switch file by hand (a plan's last step does it in the scenarios)
#   load.sh stop    stop after the current run; print what was run
#   load.sh kill    stop at once, if running (cleanup after a failure)
#   load.sh check [--json FILE] [--no-switch]
#                  after the migration: check.py (every acknowledged commit is on new, the
#                  sequence goes on without collision, the window the client saw)
#
# Files under $E2E_PG_DIR/load: runs (one line per pgbench run: number, target, exit code, start,
# end, last error line), logs/RUN/tx.* (pgbench -l: one line per committed transaction, "client
# transaction_no latency_us script epoch_s epoch_us lag_us"), switch (its presence sends the next
# run to new), stop, pid, load.log.
# E2E_LOAD_DB (default shop) names another database loaded like shop (pg.sh add-db), and
# E2E_LOAD_DIR (default $E2E_PG_DIR/load) its own files, so several apps can write at once.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "load: FAILED: $*" >&2; exit 1; }
eval "$(bash "$HERE/pg.sh" env)"
L="${E2E_LOAD_DIR:-$E2E_PG_DIR/load}"
DB="${E2E_LOAD_DB:-shop}"
[[ "$DB" =~ ^[a-z][a-z0-9_]*$ ]] || die "E2E_LOAD_DB must be a plain database name: $DB"
SWITCH="$L/switch"

alive() { [[ -f "$L/pid" ]] && kill -0 "$(cat "$L/pid")" 2>/dev/null; }

# The loop itself (run by start in the background).
loop() {
  local clients=$1 rate=$2 secs=$3 scale run=0 target addr port rc t_start t_end last
  scale=$(PGPASSWORD=$E2E_PG_APP_PASSWORD "$E2E_PG_BIN/psql" -X -At -h "$E2E_PG_OLD_ADDR" -p "$E2E_PG_OLD_PORT" \
    -U app -d "$DB" -c 'select count(*) from pgbench_branches')
  echo "scale $scale, $clients clients, $rate tps, runs of ${secs}s" >>"$L/load.log"
  while [[ ! -e "$L/stop" ]]; do
    run=$((run + 1))
    if [[ -e "$SWITCH" ]]; then target=new; addr=$E2E_PG_NEW_ADDR; port=$E2E_PG_NEW_PORT
    else target=old; addr=$E2E_PG_OLD_ADDR; port=$E2E_PG_OLD_PORT; fi
    mkdir -p "$L/logs/$run"
    t_start=$(date +%s.%N)
    set +e
    ( cd "$L/logs/$run" && PGPASSWORD=$E2E_PG_APP_PASSWORD PGCONNECT_TIMEOUT=2 PGAPPNAME=$DB-app \
      exec "$E2E_PG_BIN/pgbench" -n -h "$addr" -p "$port" -U app -c "$clients" -j 2 -T "$secs" -R "$rate" \
        -s "$scale" -D run="$run" -D n=0 -f "$HERE/acked.sql" -l --log-prefix "$L/logs/$run/tx" "$DB" \
        >"$L/logs/$run/out" 2>&1 )
    rc=$?
    set -e
    t_end=$(date +%s.%N)
    # The server's reason when there is one (FATAL/ERROR), else pgbench's own last complaint.
    last=$( { grep -m1 -oE '(FATAL|ERROR): .*' "$L/logs/$run/out" || grep -E 'error' "$L/logs/$run/out" | tail -1 || true; } | tr '\t' ' ')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$target" "$rc" "$t_start" "$t_end" "$last" >>"$L/runs"
    if [[ $rc != 0 ]]; then
      # A run that logged nothing (refused at connect) leaves only its line in runs.
      if ! compgen -G "$L/logs/$run/tx.*" >/dev/null; then rm -rf "$L/logs/$run"; fi
      sleep 0.05
    fi
  done
  echo "stopped after $run runs" >>"$L/load.log"
}

start() {
  local clients=4 rate=200 secs=2
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --clients) clients=$2; shift 2 ;;
      --rate) rate=$2; shift 2 ;;
      --run-seconds) secs=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ "$clients" =~ ^[1-9][0-9]*$ && "$rate" =~ ^[1-9][0-9]*$ && "$secs" =~ ^[1-9][0-9]*$ ]] || die "numbers expected"
  if alive; then die "already running (pid $(cat "$L/pid"))"; fi
  if [[ "$E2E_PG_MODE" == netns ]]; then
    local a out
    for a in "$E2E_PG_OLD_ADDR" "$E2E_PG_NEW_ADDR"; do
      # Never send traffic to a test address that would leave by another route than our bridge.
      out=$(ip -o route get "$a" 2>&1) || die "no route to $a: $out"
      [[ "$out" == "$a dev cutbr0 "* ]] || die "route to $a does not go through cutbr0: $out"
    done
  fi
  rm -rf "$L"; mkdir -p "$L/logs"; : >"$L/runs"
  setsid bash "${BASH_SOURCE[0]}" _loop "$clients" "$rate" "$secs" </dev/null >>"$L/load.log" 2>&1 &
  echo $! >"$L/pid"
  # Started when the first run has committed something.
  local _
  for _ in $(seq 1 100); do
    compgen -G "$L/logs/1/tx.*" >/dev/null && [[ -s "$(ls "$L"/logs/1/tx.* | head -1)" ]] && break
    alive || die "the driver stopped at once: $(tail -3 "$L/load.log"; cat "$L/logs/1/out" 2>/dev/null)"
    sleep 0.1
  done
  echo "load: writing to old as app: $clients clients, $rate tps, runs of ${secs}s (pid $(cat "$L/pid"), $L)"
}

stop() {
  [[ -d "$L" ]] || die "not started"
  touch "$L/stop"
  local _
  for _ in $(seq 1 300); do alive || break; sleep 0.1; done
  if alive; then kill -TERM -- "-$(cat "$L/pid")" 2>/dev/null || true; die "the driver did not stop within 30s"; fi
  awk -F'\t' '{n[$2]++; if ($3 != 0) f[$2]++} END {for (t in n) printf "load: %d runs against %s, %d ended in an error\n", n[t], t, f[t]}' "$L/runs"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case "$cmd" in
  start) start "$@" ;;
  _loop) loop "$@" ;;
  switch) touch "$SWITCH" ;;
  stop) stop ;;
  kill) if alive; then kill -TERM -- "-$(cat "$L/pid")" 2>/dev/null || true; fi ;;
  check) exec python3 "$HERE/check.py" "$L" --db "$DB" "$@" ;;
  *) sed -n '2,22s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
