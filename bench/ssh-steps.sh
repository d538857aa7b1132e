#!/usr/bin/env bash
# Benchmark (prints figures, asserts nothing; run as root): what cutover costs on real SSH hosts.
# Network-namespace hosts with OpenSSH (e2e/ssh/hosts.sh), the Temporal dev server and the worker:
#   - a `run` step of `true` over ssh vs on the worker's machine, per step (the connection is reused);
#   - an rsync step copying a tree of F files old -> new, then again with nothing changed (what a
#     presync round costs when the app is idle), vs the same rsync typed in a shell on old;
#   - then R more plans of that one idle rsync step: the median time per step, and what each step
#     opened, counted in the hosts' sshd logs (LogLevel VERBOSE): SSH sessions (channels) the
#     worker opened on old and on new, and the SSH connections old's rsync opened to new.
# It takes the e2e hosts' lock (the namespaces old and new are shared with the e2e scenarios).
#   usage: bench/ssh-steps.sh [N steps] [F files] [R idle rsync steps]      (defaults 50, 20000, 5)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-50}"
F="${2:-20000}"
R="${3:-5}"
[[ "$(id -u)" == 0 ]] || { echo "bench: run as root (it builds network namespaces)" >&2; exit 2; }
[[ "$N" =~ ^[0-9]+$ && "$F" =~ ^[0-9]+$ && "$R" =~ ^[0-9]+$ ]] && (( N >= 2 && R >= 1 && R <= 50 )) \
  || { echo "usage: bench/ssh-steps.sh [N >= 2] [F files] [R 1..50]" >&2; exit 2; }
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
exec 9>/run/lock/cutover-e2e-hosts.lock
flock -w 900 9 || fail "another e2e holds /run/lock/cutover-e2e-hosts.lock"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh
"${HOSTS[@]}" up >/dev/null
CLEANUPS+=("${HOSTS[*]} down >/dev/null")
eval "$("${HOSTS[@]}" env)"
"${HOSTS[@]}" exec old bash "$ROOT/e2e/ssh/data.sh" tree /srv/bench "$F" >/dev/null
start_temporal >/dev/null
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS" >/dev/null

{
  echo "migration: bench-ssh"
  echo "hosts: {local: {}, old: {transport: ssh, address: $E2E_OLD_ADDR}, new: {transport: ssh, address: $E2E_NEW_ADDR}}"
  echo "phases:"
  echo "  prepare:"
  echo "    steps:"
  for i in $(seq 1 "$N"); do echo "      - {name: ssh$i, kind: run, host: new, command: \"true\"}"; done
  for i in $(seq 1 "$N"); do echo "      - {name: local$i, kind: run, host: local, command: \"true\"}"; done
  echo "      - {name: copy, kind: rsync, from: old, to: new, source: /srv/bench, target: /srv/bench, delete: true}"
  echo "      - {name: again, kind: rsync, from: old, to: new, source: /srv/bench, target: /srv/bench, delete: true}"
} >"$WORK/plan.yaml"

# The CLI gives up on a server that answers slowly (a loaded machine): try again unless it started.
start_plan() { # start_plan PLAN WORKFLOW_ID
  for _ in 1 2 3; do
    "${CLI[@]}" start "$1" >/dev/null 2>"$WORK/start.err" && return 0
    temporal workflow describe --address "$ADDR" --workflow-id "$2" >/dev/null 2>&1 && return 0
    sleep 1
  done
  cat "$WORK/start.err" >&2; fail "could not start $2"
}

# The same copy typed in a shell on old first (its ssh uses old's own key for new), then the plan's.
seconds() { # seconds CMD...: how long CMD takes
  local a b; a=$(date +%s%N); "$@" >/dev/null; b=$(date +%s%N); python3 -c "print(f'{($b - $a) / 1e9:.2f}')"
}
shell_copy=$(seconds "${HOSTS[@]}" exec old rsync -a --delete /srv/bench/ "root@$E2E_NEW_ADDR:/srv/bench/")
shell_again=$(seconds "${HOSTS[@]}" exec old rsync -a --delete /srv/bench/ "root@$E2E_NEW_ADDR:/srv/bench/")
# The plan copies into an empty target again, with the source as warm in the page cache as for the shell.
"${HOSTS[@]}" exec new rm -rf /srv/bench
sync

ID=cutover-bench-ssh
start_plan "$WORK/plan.yaml" "$ID"
# Waits on the server (a long poll of the temporal CLI): no JVM starts every half second meanwhile.
timeout 600 temporal workflow result --address "$ADDR" --workflow-id "$ID" >/dev/null 2>&1 || fail "$ID did not complete"
status_json >"$WORK/status.json"

python3 - "$WORK/status.json" "$N" "$F" "$shell_copy" "$shell_again" <<'PY'
import json, sys
from datetime import datetime
status = json.load(open(sys.argv[1])); n = int(sys.argv[2]); f = sys.argv[3]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
steps = {s["name"]: s for s in status["steps"]}
def span(prefix):
    ours = [s for s in status["steps"] if s["name"].startswith(prefix) and s["name"][len(prefix):].isdigit()]
    return (t(ours[-1]["endedAt"]) - t(ours[0]["startedAt"])) / len(ours) * 1000
took = lambda name: t(steps[name]["endedAt"]) - t(steps[name]["startedAt"])
print(f"figure: run step over ssh: {span('ssh'):.1f} ms per step; on the worker's machine: {span('local'):.1f} ms per step ({n} steps each)")
print(f"figure: rsync step, {f} files old -> new: {took('copy'):.2f} s (shell: {sys.argv[4]} s); nothing changed: {took('again'):.2f} s (shell: {sys.argv[5]} s)")
print(f"figure: rsync step results: copy '{steps['copy']['outputTail']}'; again '{steps['again']['outputTail']}'")
PY

# The idle rsync step alone, R times, each its own plan on the same worker (its connections to old
# and new are open by now, as they are after a plan's first step): time, and what it opened. The
# step waits behind a gate, so the counts start after the plan's preflight (which logs in too).
count() { # count HOST WHAT FROM: lines of HOST's sshd log; FROM is old (old's address) or worker (any other)
  local log="$E2E_SSH_DIR/$1/sshd.log" pat
  case $2 in session) pat='Starting session: ' ;; connection) pat='Accepted publickey for ' ;; esac
  if [[ $3 == old ]]; then grep -F "$pat" "$log" | grep -cF " from $E2E_OLD_ADDR port " || true
  else grep -F "$pat" "$log" | grep -vcF " from $E2E_OLD_ADDR port " || true; fi
}
snapshot() { echo "$(count old session worker) $(count new session worker) $(count new session old) $(count new connection old) $(count old connection worker) $(count new connection worker)"; }
counted=()
for r in $(seq 1 "$R"); do
  {
    echo "migration: bench-ssh-idle-$r"
    echo "hosts: {local: {}, old: {transport: ssh, address: $E2E_OLD_ADDR}, new: {transport: ssh, address: $E2E_NEW_ADDR}}"
    echo "gates: [{name: go, before: downtime}]"
    echo "phases:"
    echo "  prepare: {steps: [{name: first, kind: run, host: local, command: \"true\"}]}"
    echo "  downtime: {steps: [{name: again, kind: rsync, from: old, to: new, source: /srv/bench, target: /srv/bench, delete: true}]}"
  } >"$WORK/idle-$r.yaml"
  ID="cutover-bench-ssh-idle-$r"
  start_plan "$WORK/idle-$r.yaml" "$ID"
  wait_gate go 300
  before=$(snapshot)
  for _ in 1 2 3; do "${CLI[@]}" approve "$ID" go >/dev/null 2>&1 && break; sleep 1; done
  timeout 600 temporal workflow result --address "$ADDR" --workflow-id "$ID" >/dev/null 2>&1 || fail "$ID did not complete"
  after=$(snapshot)
  counted+=("$before" "$after")
  status_json >"$WORK/idle-$r.json"
done
python3 - "$WORK" "$R" "$(cut -d' ' -f1-3 /proc/loadavg)" "${counted[@]}" <<'PY'
import json, statistics, sys
from datetime import datetime
work, r = sys.argv[1], int(sys.argv[2])
snaps = [[int(x) for x in s.split()] for s in sys.argv[4:]]
d = [sum(b[i] - a[i] for a, b in zip(snaps[0::2], snaps[1::2])) / r for i in range(6)]
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
took = []
for i in range(1, r + 1):
    s = [x for x in json.load(open(f"{work}/idle-{i}.json"))["steps"] if x["name"] == "again"][0]
    took.append((t(s["endedAt"]) - t(s["startedAt"])) * 1000)
print(f"figure: idle rsync step old -> new, {r} plans: median {statistics.median(took):.0f} ms per step (min {min(took):.0f}, max {max(took):.0f})")
print(f"figure: per rsync step: SSH sessions the worker opened: {d[0]:g} on old, {d[1]:g} on new ({d[0] + d[1]:g} in all);"
      f" new SSH connections from the worker: {d[4] + d[5]:g}; old's rsync: {d[3]:g} SSH connection(s) to new, {d[2]:g} session(s)")
print(f"figure: machine load (1, 5, 15 min) at the end: {sys.argv[3]}")
PY
