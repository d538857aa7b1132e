#!/usr/bin/env bash
# Test data for the SSH end-to-end scenario. Paths are as the calling process sees them: to act on
# a host's /srv, run this inside the host (hosts.sh exec old bash data.sh ..., or over ssh).
#
#   data.sh tree DIR [N]          a real tree of N (default 20000) files under DIR: 200 dirs x 100
#                                 files, mostly small, a few hundred KB, one 50 MiB big.bin,
#                                 symlinks, odd names; deterministic; prints how long it took
#   data.sh churn DIR SECONDS     in the background, every 0.5 s modify, add, rename and delete
#                                 some files under DIR, for SECONDS (or until stop-churn)
#   data.sh stop-churn            stop it and wait until it is gone; prints what it did
#   data.sh checksum DIR [GLOB..] one sha256 over the sorted (path, type, mode, size, content
#                                 sha256, symlink target) under DIR, without paths matching GLOB
#
# The churn's pidfile is $CHURN_PIDFILE, default ${E2E_SSH_DIR:-/tmp/cutover-e2e-ssh}/churn.pid;
# its output goes to the same name with .log.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PIDFILE="${CHURN_PIDFILE:-${E2E_SSH_DIR:-/tmp/cutover-e2e-ssh}/churn.pid}"
LOGFILE="${PIDFILE%.pid}.log"

die() { echo "data: FAILED: $*" >&2; exit 1; }
usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
py() {
  local python
  python=$(command -v python3 || true)
  if [[ -z "$python" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3 >/dev/null \
      || die "python3 is missing and could not be installed"
    python=python3
  fi
  "$python" "$HERE/data.py" "$@"
}

alive() { # PID: exists and is not a zombie waiting for its reaper
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [[ -n "$state" && "$state" != Z ]]
}

churn_pid() { # the running churn's pid, or nothing
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "data.py churn" && echo "$pid"
  return 0
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case "$cmd" in
  tree)
    [[ $# -ge 1 && $# -le 2 ]] || usage
    n=${2:-20000}
    [[ "$n" =~ ^[0-9]+$ ]] || die "N must be a number: $n"
    py tree "$1" "$n" ;;
  churn)
    [[ $# -eq 2 ]] || usage
    [[ -d "$1" ]] || die "$1 is not a directory"
    [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "SECONDS must be a number: $2"
    [[ -z "$(churn_pid)" ]] || die "a churn is already running (pid $(churn_pid), $PIDFILE)"
    mkdir -p "$(dirname "$PIDFILE")"
    rm -f "$PIDFILE"
    setsid "$(command -v python3)" "$HERE/data.py" churn "$1" "$2" "$PIDFILE" </dev/null >"$LOGFILE" 2>&1 &
    for _ in $(seq 1 50); do
      pid=$(churn_pid)
      [[ -n "$pid" ]] && { echo "churn: running (pid $pid) on $1 for $2 s; pidfile $PIDFILE"; exit 0; }
      sleep 0.1
    done
    die "churn did not start: $(cat "$LOGFILE" 2>/dev/null)" ;;
  stop-churn)
    pid=$(churn_pid)
    if [[ -z "$pid" ]]; then echo "churn: not running"; cat "$LOGFILE" 2>/dev/null || true; exit 0; fi
    kill -TERM "$pid"
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    ! alive "$pid" || die "churn (pid $pid) did not stop"
    cat "$LOGFILE" 2>/dev/null || true ;;
  checksum)
    [[ $# -ge 1 ]] || usage
    py checksum "$@" ;;
  *) usage ;;
esac
