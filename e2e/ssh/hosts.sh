#!/usr/bin/env bash
# The SSH test hosts of the end-to-end scenario: two network namespaces, cutover-old (10.231.0.2)
# and cutover-new (10.231.0.3), on a bridge cutbr0 (10.231.0.1) in the root namespace, each
# running Debian's OpenSSH sshd in its own mount and UTS namespace, where /srv, root's home and
# the cron spool are the host's own. Run as root. See README.md in this folder.
#
#   hosts.sh up             clean up leftovers, build both hosts, verify them (one line per check)
#   hosts.sh down [--keep]  remove everything (--keep: leave the state dir for a post-mortem)
#   hosts.sh env            print export lines for the scenario to eval
#   hosts.sh exec HOST CMD  run CMD inside HOST's network, mount and UTS namespaces
#   hosts.sh ssh HOST CMD   run CMD on HOST over ssh as root, with the worker key
#   hosts.sh status         what is up
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${E2E_SSH_DIR:-/tmp/cutover-e2e-ssh}"
SUBNET=10.231.0.0/24
BRIDGE=cutbr0
BRIDGE_ADDR=10.231.0.1
NS_IF=cut0                      # the veth end inside each namespace
HOSTS=(old new)
declare -A ADDR=([old]=10.231.0.2 [new]=10.231.0.3)
MARKER=.cutover-e2e-ssh         # only a state dir holding this file is ever deleted
PASSPHRASE=e2e-passphrase
APP_USER=cutoverapp

say() { echo "hosts: $*"; }
die() { echo "hosts: FAILED: $*" >&2; exit 1; }
ns_of() { echo "cutover-$1"; }
veth_of() { echo "cutv-$1"; }
known_host() { case "${1:-}" in old|new) ;; *) die "unknown host '${1:-}' (old or new)";; esac; }

check_dir() {
  [[ "$DIR" =~ ^/[A-Za-z0-9._/-]+$ ]] || die "E2E_SSH_DIR must be an absolute path of [A-Za-z0-9._/-]: $DIR"
  local d="${DIR%/}"
  [[ -n "$d" ]] || die "E2E_SSH_DIR must not be /"
  case "$d/" in
    /srv/*|/root/*|/var/spool/cron/*|/run/*) die "E2E_SSH_DIR must not lie under /srv, /root, /run or the cron spool: $DIR";;
  esac
}

# ---------------------------------------------------------------------------------------------
# Safety: a test address is only ever reached through our bridge (root namespace) or our veth
# (inside a host namespace). Anything else, in particular a route via the default gateway, fails.
assert_local_route() { # ADDR [NETNS]
  local addr=$1 ns=${2:-} out dev
  if [[ -n "$ns" ]]; then
    out=$(ip -n "$ns" -o route get "$addr" 2>&1) || die "no route to $addr in $ns: $out"
    dev=$NS_IF
  else
    out=$(ip -o route get "$addr" 2>&1) || die "no route to $addr: $out"
    dev=$BRIDGE
  fi
  if [[ "$out" == "local $addr dev lo "* || "$out" == "$addr dev $dev "* ]]; then return 0; fi
  die "route to $addr${ns:+ (in $ns)} does not go through $dev: $out"
}

add_unreachable_route() {
  # Before anything else: packets to a test address that is down must never leave by the
  # default gateway.
  ip route replace unreachable "$SUBNET" metric 4000
  local other
  other=$(ip -o -4 addr show to "$SUBNET" | awk -v br="$BRIDGE" '$2 != br {print $2}')
  [[ -z "$other" ]] || die "$SUBNET is already in use on: $other"
}

# ---------------------------------------------------------------------------------------------
# Packages: ./run-tests keeps the one list of what the tests and these scripts need, and installs
# only what is missing (CI starts from a clean machine).
ensure_tools() {
  "$HERE/../../run-tests" --install-only --e2e >/dev/null || die "./run-tests --install-only --e2e failed"
  hash -r
}

# ---------------------------------------------------------------------------------------------
# Teardown: every process in our namespaces, the namespaces, the veths, the bridge, the state dir.
proc_has() { # PID STRING: whether PID's command line contains STRING
  [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

alive() { # PID: exists and is not a zombie waiting for its reaper
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [[ -n "$state" && "$state" != Z ]]
}

kill_pids() { # PID...: TERM, wait up to 3 s, then KILL
  [[ $# -gt 0 ]] || return 0
  kill -TERM "$@" 2>/dev/null || true
  local _ p alive
  for _ in $(seq 1 30); do
    alive=0
    for p in "$@"; do alive "$p" && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
}

down() {
  local keep=${1:-} h ns pids pid
  check_dir
  for h in "${HOSTS[@]}"; do
    ns=$(ns_of "$h")
    pids=()
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null || true)
    fi
    # An sshd whose namespace was already detached still has its pidfile.
    if [[ -f "$DIR/$h/sshd.pid" ]]; then
      pid=$(cat "$DIR/$h/sshd.pid" 2>/dev/null || true)
      [[ "$pid" =~ ^[0-9]+$ ]] && proc_has "$pid" "$DIR/$h/sshd_config" && pids+=("$pid")
    fi
    if [[ ${#pids[@]} -gt 0 ]]; then kill_pids "${pids[@]}"; fi
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$(veth_of "$h")" 2>/dev/null || true
  done
  # A churn started from the root namespace (data.sh churn) has only its pidfile.
  if [[ -f "$DIR/churn.pid" ]]; then
    pid=$(cat "$DIR/churn.pid" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] && proc_has "$pid" "data.py churn" && kill_pids "$pid"
  fi
  ip link del "$BRIDGE" 2>/dev/null || true
  if [[ "$keep" != --keep && -d "$DIR" ]]; then
    if [[ -f "$DIR/$MARKER" ]]; then rm -rf "$DIR"
    elif [[ -n "$(ls -A "$DIR")" ]]; then die "$DIR is not ours (no $MARKER): not deleting it"
    else rmdir "$DIR"; fi
  fi
  # What must be gone.
  for h in "${HOSTS[@]}"; do
    ! ip netns list | awk '{print $1}' | grep -qx "$(ns_of "$h")" || die "namespace $(ns_of "$h") still there"
  done
  ! ip link show "$BRIDGE" >/dev/null 2>&1 || die "bridge $BRIDGE still there"
}

# ---------------------------------------------------------------------------------------------
# Build.
# (ssh keeps the first value it is given for an option: put overrides before these.)
SSH_BASE=(-F /dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
  -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=5 -o LogLevel=ERROR)

pubkey_line() { # HOST: "ADDR ssh-ed25519 AAAA..." for known_hosts
  awk -v a="${ADDR[$1]}" '{print a, $1, $2}' "$DIR/$1/ssh_host_ed25519_key.pub"
}

make_keys() {
  mkdir -p "$DIR/worker"
  chmod 700 "$DIR/worker"
  ssh-keygen -q -t ed25519 -N '' -C "cutover-e2e worker" -f "$DIR/worker/id_ed25519"
  ssh-keygen -q -t ed25519 -N "$PASSPHRASE" -C "cutover-e2e worker (passphrase)" -f "$DIR/worker/id_ed25519_pass"
  printf '#!/bin/sh\necho %s\n' "$PASSPHRASE" >"$DIR/worker/askpass"
  chmod 700 "$DIR/worker/askpass"
  local h
  for h in "${HOSTS[@]}"; do
    ssh-keygen -q -t ed25519 -N '' -C "cutover-e2e $h host" -f "$DIR/$h/ssh_host_ed25519_key"
  done
  ssh-keygen -q -t ed25519 -N '' -C "cutover-e2e hop old->new" -f "$DIR/old/hop_ed25519"
  # The wrong key for old: a fresh key, never used by any sshd.
  ssh-keygen -q -t ed25519 -N '' -C "cutover-e2e impostor" -f "$DIR/worker/impostor_host_key"

  cat "$DIR/worker/id_ed25519.pub" "$DIR/worker/id_ed25519_pass.pub" >"$DIR/old/authorized_keys"
  cat "$DIR/worker/id_ed25519.pub" "$DIR/worker/id_ed25519_pass.pub" "$DIR/old/hop_ed25519.pub" >"$DIR/new/authorized_keys"
  chmod 600 "$DIR/old/authorized_keys" "$DIR/new/authorized_keys"

  { pubkey_line old; pubkey_line new; } >"$DIR/worker/known_hosts"
  { awk -v a="${ADDR[old]}" '{print a, $1, $2}' "$DIR/worker/impostor_host_key.pub"; pubkey_line new; } \
    >"$DIR/worker/known_hosts.wrong"
  pubkey_line new >"$DIR/old/known_hosts"     # what old knows when it connects to new
  { for h in "${HOSTS[@]}"; do
      echo "$h $(ssh-keygen -lf "$DIR/$h/ssh_host_ed25519_key.pub" | awk '{print $2}')"
    done; } >"$DIR/worker/fingerprints"
}

make_host_root() { # HOST: the directories bound over /srv, the cron spool and (overlaid) /root
  local h=$1 hd="$DIR/$1"
  mkdir -p "$hd/srv/app" "$hd/crontabs" "$hd/root-upper/.ssh" "$hd/root-work"
  [[ $h == old ]] && mkdir -p "$hd/srv/app/data" "$hd/srv/app/run"
  echo "$h" >"$hd/srv/cutover-host"
  install -m 755 "$HERE/appctl" "$hd/srv/appctl"
  chown root:crontab "$hd/crontabs"; chmod 1730 "$hd/crontabs"
  chmod --reference=/root "$hd/root-upper"; chown --reference=/root "$hd/root-upper"
  chmod 700 "$hd/root-upper/.ssh"
  { pubkey_line old; pubkey_line new; } >"$hd/root-upper/.ssh/known_hosts"
  if [[ $h == old ]]; then # old's root reaches new with its own key, as a real host would
    install -m 600 "$hd/hop_ed25519" "$hd/root-upper/.ssh/id_ed25519"
    install -m 644 "$hd/hop_ed25519.pub" "$hd/root-upper/.ssh/id_ed25519.pub"
  fi
}

write_sshd_config() { # HOST
  local h=$1 hd="$DIR/$1"
  cat >"$hd/sshd_config" <<EOF
# cutover e2e host '$h' (written by e2e/ssh/hosts.sh)
Port 22
ListenAddress ${ADDR[$h]}
AddressFamily inet
HostKey $hd/ssh_host_ed25519_key
PidFile $hd/sshd.pid
AuthorizedKeysFile $hd/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
# The state dir may live under /tmp (world-writable), which StrictModes refuses.
StrictModes no
PrintMotd no
X11Forwarding no
AllowTcpForwarding yes
MaxStartups 100:30:200
MaxSessions 64
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
}

make_network() {
  ip link add "$BRIDGE" type bridge
  ip link set "$BRIDGE" type bridge stp_state 0 forward_delay 0
  ip addr add "$BRIDGE_ADDR/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local h ns veth
  for h in "${HOSTS[@]}"; do
    ns=$(ns_of "$h"); veth=$(veth_of "$h")
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "$veth" type veth peer name "$NS_IF" netns "$ns"
    ip link set "$veth" master "$BRIDGE" up
    ip -n "$ns" addr add "${ADDR[$h]}/24" dev "$NS_IF"
    ip -n "$ns" link set "$NS_IF" up
    # No default route in the namespace: a host can reach the subnet and nothing else.
  done
}

start_sshd() { # HOST: sshd in the host's network namespace, in a private mount and UTS namespace
  local h=$1 hd="$DIR/$1" ns
  ns=$(ns_of "$h")
  [[ -d /run/sshd ]] || mkdir -m 0755 /run/sshd   # privilege separation dir, shared by both hosts
  [[ -d /srv ]] || mkdir -m 0755 /srv
  /usr/sbin/sshd -t -f "$hd/sshd_config" || die "sshd -t refused $hd/sshd_config"
  # shellcheck disable=SC2016  # expanded by the inner shell
  ip netns exec "$ns" unshare --mount --uts --propagation private -- /bin/sh -eu -c '
    hd=$1; h=$2
    mount --bind "$hd/srv" /srv
    mount --bind "$hd/crontabs" /var/spool/cron/crontabs
    mount -t overlay overlay -o "lowerdir=/root,upperdir=$hd/root-upper,workdir=$hd/root-work" /root
    hostname "cutover-$h"
    exec /usr/sbin/sshd -f "$hd/sshd_config" -E "$hd/sshd.log"
  ' sh "$hd" "$h" || die "sshd on $h did not start (see $hd/sshd.log)"
  local _
  for _ in $(seq 1 50); do
    if [[ -s "$hd/sshd.pid" ]] && [[ -n "$(ip netns exec "$ns" ss -Hltn "sport = :22")" ]]; then return 0; fi
    sleep 0.1
  done
  die "sshd on $h is not listening on ${ADDR[$h]}:22 (see $hd/sshd.log)"
}

ensure_app_user() {
  id "$APP_USER" >/dev/null 2>&1 && return 0
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$APP_USER"
}

# ---------------------------------------------------------------------------------------------
# Checks, one line each.
ssh_to() { # HOST KEY KNOWN_HOSTS CMD...: as root, strict host key checking, batch mode
  local h=$1 key=$2 kh=$3; shift 3
  assert_local_route "${ADDR[$h]}"
  ssh "${SSH_BASE[@]}" -i "$key" -o UserKnownHostsFile="$kh" "root@${ADDR[$h]}" "$@"
}
ok() { echo "check: $* ok"; }

verify() {
  local h out rc
  for h in "${HOSTS[@]}"; do
    ssh_to "$h" "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" true || die "worker -> $h with known_hosts"
    ok "worker -> $h (${ADDR[$h]}): key, known_hosts, StrictHostKeyChecking=yes"
  done

  assert_local_route "${ADDR[old]}"
  SSH_ASKPASS="$DIR/worker/askpass" SSH_ASKPASS_REQUIRE=force \
    ssh -n -o BatchMode=no -o NumberOfPasswordPrompts=1 "${SSH_BASE[@]}" -i "$DIR/worker/id_ed25519_pass" \
    -o UserKnownHostsFile="$DIR/worker/known_hosts" "root@${ADDR[old]}" true </dev/null \
    || die "worker -> old with the passphrase key"
  ok "worker -> old with the passphrase key (passphrase given by askpass)"
  if ssh_to old "$DIR/worker/id_ed25519_pass" "$DIR/worker/known_hosts" true 2>/dev/null; then
    die "the passphrase key worked without its passphrase"
  fi
  ok "passphrase key refused in batch mode without its passphrase"

  set +e; out=$(ssh_to old "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts.wrong" true 2>&1); rc=$?; set -e
  [[ $rc != 0 && "$out" == *"HOST IDENTIFICATION HAS CHANGED"* ]] || die "known_hosts.wrong did not fail with a host key mismatch (rc $rc): $out"
  ok "worker -> old with known_hosts.wrong fails: host key mismatch"

  local fp
  assert_local_route "${ADDR[old]}"
  fp=$(ssh-keyscan -t ed25519 "${ADDR[old]}" 2>/dev/null | ssh-keygen -lf - | awk '{print $2}')
  [[ "$fp" == "$(awk '$1=="old"{print $2}' "$DIR/worker/fingerprints")" ]] || die "old's fingerprint: scanned $fp"
  ok "old's scanned host key matches fingerprints ($fp)"

  assert_local_route "${ADDR[new]}" "$(ns_of old)"
  ip netns exec "$(ns_of old)" ssh "${SSH_BASE[@]}" -i "$DIR/old/hop_ed25519" \
    -o UserKnownHostsFile="$DIR/old/known_hosts" "root@${ADDR[new]}" true || die "old -> new with the hop key"
  ok "old -> new (ip netns exec, hop key, $DIR/old/known_hosts)"
  out=$(ssh_to old "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" \
    "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes root@${ADDR[new]} cat /srv/cutover-host") \
    || die "worker -> old -> new with old's own ~/.ssh"
  [[ "$out" == new ]] || die "old -> new reached '$out'"
  ok "worker -> old -> new with old's own /root/.ssh (id_ed25519 = hop key, known_hosts)"
  assert_local_route "${ADDR[old]}" "$(ns_of new)"
  if ip netns exec "$(ns_of new)" ssh "${SSH_BASE[@]}" -i "$DIR/old/hop_ed25519" \
      -o UserKnownHostsFile="$DIR/worker/known_hosts" "root@${ADDR[old]}" true 2>/dev/null; then
    die "the hop key is accepted by old"
  fi
  ok "hop key refused by old"

  for h in "${HOSTS[@]}"; do
    out=$(ssh_to "$h" "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" 'cat /srv/cutover-host; hostname')
    [[ "$out" == "$h"$'\n'"cutover-$h" ]] || die "$h sees /srv and hostname as: $out"
  done
  ok "each host has its own /srv (/srv/cutover-host) and hostname (cutover-old, cutover-new)"

  ssh_to old "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" "crontab -u $APP_USER -" <"$HERE/cutoverapp.crontab"
  out=$(ssh_to old "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" "crontab -u $APP_USER -l")
  [[ "$out" == "$(cat "$HERE/cutoverapp.crontab")" ]] || die "old's crontab for $APP_USER reads back as: $out"
  set +e; out=$(ssh_to new "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" "crontab -u $APP_USER -l" 2>&1); rc=$?; set -e
  [[ $rc != 0 && "$out" == *"no crontab"* ]] || die "new sees a crontab for $APP_USER (rc $rc): $out"
  [[ ! -e "/var/spool/cron/crontabs/$APP_USER" ]] || die "the machine's own cron spool has a crontab for $APP_USER"
  [[ -e "$DIR/old/crontabs/$APP_USER" ]] || die "old's crontab is not in $DIR/old/crontabs"
  ok "crontab of $APP_USER installed on old, absent on new and on the machine's spool"

  for h in "${HOSTS[@]}"; do
    # shellcheck disable=SC2016
    ssh_to "$h" "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" '
      set -e
      /srv/appctl start >/dev/null
      /srv/appctl status >/dev/null
      sleep 0.7
      n=$(wc -l </srv/app/data/log.txt); [ "$n" -ge 3 ] || { echo "only $n lines"; exit 1; }
      /srv/appctl stop >/dev/null
      rc=0; /srv/appctl status >/dev/null || rc=$?; [ "$rc" = 3 ] || { echo "status after stop: $rc"; exit 1; }
      rm -rf /srv/app/data/log.txt /srv/app/run/*' || die "appctl on $h"
  done
  ok "appctl start/status/stop on both hosts (log.txt grows every 0.2 s; status 3 when stopped)"
  # new starts with an empty /srv/app: only what the migration brings.
  ssh_to new "$DIR/worker/id_ed25519" "$DIR/worker/known_hosts" 'rm -rf /srv/app/data /srv/app/run'
}

up() {
  local t0 t1
  t0=$(date +%s.%N)
  check_dir
  [[ "$(id -u)" == 0 ]] || die "run as root"
  add_unreachable_route
  ensure_tools
  if [[ -d "$DIR" || -n "$(ip netns list | grep -E '^cutover-(old|new)\b' || true)" ]] || ip link show "$BRIDGE" >/dev/null 2>&1; then
    say "cleaning up leftovers"
    down
  fi
  mkdir -p "$DIR"; chmod 755 "$DIR"
  touch "$DIR/$MARKER"
  mkdir -p "$DIR/old" "$DIR/new"
  ensure_app_user
  make_keys
  local h
  for h in "${HOSTS[@]}"; do make_host_root "$h"; write_sshd_config "$h"; done
  make_network
  for h in "${HOSTS[@]}"; do start_sshd "$h"; done
  say "old ${ADDR[old]} (sshd pid $(cat "$DIR/old/sshd.pid")), new ${ADDR[new]} (sshd pid $(cat "$DIR/new/sshd.pid")), state in $DIR"
  verify
  t1=$(date +%s.%N)
  echo "figure: hosts up in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')s"
}

env_lines() {
  check_dir
  [[ -f "$DIR/worker/fingerprints" ]] || die "no hosts in $DIR: run hosts.sh up first"
  local v
  for v in \
    "E2E_SSH_DIR=$DIR" \
    "E2E_OLD_ADDR=${ADDR[old]}" \
    "E2E_NEW_ADDR=${ADDR[new]}" \
    "E2E_WORKER_ADDR=$BRIDGE_ADDR" \
    "E2E_WORKER_KEY=$DIR/worker/id_ed25519" \
    "E2E_WORKER_KEY_PASS=$DIR/worker/id_ed25519_pass" \
    "E2E_WORKER_KEY_PASSPHRASE=$PASSPHRASE" \
    "E2E_KNOWN_HOSTS=$DIR/worker/known_hosts" \
    "E2E_KNOWN_HOSTS_WRONG=$DIR/worker/known_hosts.wrong" \
    "E2E_OLD_FINGERPRINT=$(awk '$1=="old"{print $2}' "$DIR/worker/fingerprints")" \
    "E2E_NEW_FINGERPRINT=$(awk '$1=="new"{print $2}' "$DIR/worker/fingerprints")" \
    "E2E_HOP_KEY=$DIR/old/hop_ed25519" \
    "E2E_HOP_KNOWN_HOSTS=$DIR/old/known_hosts"; do
    printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
  done
}

sshd_pid() { # HOST
  local pid
  pid=$(cat "$DIR/$1/sshd.pid" 2>/dev/null || true)
  if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! proc_has "$pid" "$DIR/$1/sshd_config"; then
    die "host $1 is not up (no sshd): run hosts.sh up"
  fi
  echo "$pid"
}

status() {
  local h pid
  for h in "${HOSTS[@]}"; do
    if pid=$( (sshd_pid "$h") 2>/dev/null ); then
      echo "$h: up, ${ADDR[$h]}, sshd pid $pid, namespace $(ns_of "$h"), $(ip netns pids "$(ns_of "$h")" 2>/dev/null | wc -l) processes"
    else
      echo "$h: down"
    fi
  done
  ip -br addr show "$BRIDGE" 2>/dev/null || echo "$BRIDGE: absent"
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case "$cmd" in
  up) up ;;
  down) down "${1:-}"; say "down" ;;
  env) env_lines ;;
  status) status ;;
  exec)
    known_host "${1:-}"; h=$1; shift
    [[ $# -gt 0 ]] || die "usage: hosts.sh exec HOST CMD..."
    pid=$(sshd_pid "$h")
    # Keep the caller's directory when the host has it (it may not: /srv is the host's own).
    # shellcheck disable=SC2016
    exec nsenter --target "$pid" --net --mount --uts -- /bin/sh -c 'cd "$1" 2>/dev/null || cd /; shift; exec "$@"' \
      sh "$PWD" "$@" ;;
  ssh)
    known_host "${1:-}"; h=$1; shift
    assert_local_route "${ADDR[$h]}"
    exec ssh "${SSH_BASE[@]}" -i "$DIR/worker/id_ed25519" -o UserKnownHostsFile="$DIR/worker/known_hosts" \
      "root@${ADDR[$h]}" "$@" ;;
  *) sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
