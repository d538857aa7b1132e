#!/usr/bin/env bash
# The traffic servers of the end-to-end scenario, on top of e2e/ssh/hosts.sh: BIND authoritative
# for cutover.test (a primary and a secondary fed by NOTIFY and zone transfer, on loopback ports in
# the root namespace, updates only with a TSIG key), and an nginx in each namespace host: old
# (10.231.0.2:80) serves "old", new (10.231.0.3:80) answers "new host=<Host header>". Run as root.
#
#   servers.sh up     start named twice and both nginx, check each answers
#   servers.sh up --app   the same, but each nginx fronts the host's notes app (e2e/full/app.py on
#                     127.0.0.1:8080 in the namespace) and answers 503 while the host's
#                     /srv/maintenance/on.html exists (the full scenario, e2e/full-move.sh)
#   servers.sh down   stop them and remove the state dir
#   servers.sh env    export lines: E2E_DNS_PRIMARY, E2E_DNS_SECONDARY, E2E_TSIG_FILE, E2E_NGINX_OLD
#   servers.sh dig SERVER NAME   the A record's "ttl value" as SERVER (host:port) answers it
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOSTS=(bash "$HERE/../ssh/hosts.sh")
DIR="${E2E_TRAFFIC_DIR:-/tmp/cutover-e2e-traffic}"
MARKER=.cutover-e2e-traffic     # only a state dir holding this file is ever deleted
ZONE=cutover.test
KEY=cutover-e2e
declare -A ADDR=([old]=10.231.0.2 [new]=10.231.0.3)

say() { echo "traffic: $*"; }
die() { echo "traffic: FAILED: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

[[ "$DIR" =~ ^/tmp/[A-Za-z0-9._-]+$ ]] || die "E2E_TRAFFIC_DIR must be a directory directly under /tmp: $DIR"

named_conf() { # NAME PORT ZONE-STANZA
  cat <<EOF
options {
  directory "$DIR/$1";
  pid-file "$DIR/$1/named.pid";
  session-keyfile "$DIR/$1/session.key";
  managed-keys-directory "$DIR/$1";
  listen-on port $2 { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  allow-transfer { 127.0.0.1; };
  notify-source 127.0.0.1;
  transfer-source 127.0.0.1;
};
controls { };
include "$DIR/tsig.key";
$3
EOF
}

start_named() { # NAME PORT
  /usr/sbin/named -u root -c "$DIR/$1/named.conf" -f >"$DIR/$1/named.log" 2>&1 &
  echo $! >"$DIR/$1/pid"
  for _ in $(seq 1 50); do
    dig +short +norec -p "$2" @127.0.0.1 "$ZONE" SOA 2>/dev/null | grep -q . && return 0
    sleep 0.2
  done
  tail -20 "$DIR/$1/named.log" >&2
  die "named $1 did not answer on 127.0.0.1:$2"
}

nginx_conf() { # HOST SITE
  local d="$DIR/nginx-$1"
  mkdir -p "$d/logs" "$d/temp" "$d/sites-available" "$d/sites-enabled"
  cat >"$d/nginx.conf" <<EOF
worker_processes 1;
pid $d/nginx.pid;
error_log $d/logs/error.log notice;
events { worker_connections 256; }
http {
  default_type text/plain;
  log_format cutover 'host=\$host xff=\$http_x_forwarded_for real=\$http_x_real_ip "\$request" \$status';
  access_log $d/logs/access.log cutover;
  client_body_temp_path $d/temp/client;
  proxy_temp_path $d/temp/proxy;
  fastcgi_temp_path $d/temp/fastcgi;
  uwsgi_temp_path $d/temp/uwsgi;
  scgi_temp_path $d/temp/scgi;
  include $d/sites-enabled/*;
}
EOF
  printf '%s\n' "$2" >"$d/sites-available/app"
  ln -sfn "$d/sites-available/app" "$d/sites-enabled/app"
  # Workers run as nobody: they must reach the prefix; the TSIG files stay root's.
  chmod a+x "$DIR"
  chmod -R a+rX "$d"
}

nginx_cmd() { echo "/usr/sbin/nginx -p $DIR/nginx-$1/ -c $DIR/nginx-$1/nginx.conf"; }

# app_site ADDR: nginx in front of the notes app, with a maintenance switch by flag file.
app_site() {
  cat <<EOF
server {
  listen $1:80;
  server_name www.$ZONE;
  if (-f /srv/maintenance/on.html) { return 503; }
  location / {
    proxy_pass http://127.0.0.1:8080;
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_connect_timeout 2s;
    proxy_read_timeout 5s;
  }
}
EOF
}

up() {
  local mode=${1:-}
  [[ -z "$mode" || "$mode" == --app ]] || die "unknown option $mode (up [--app])"
  [[ -x /usr/sbin/named ]] || die "named is not installed: apt-get install bind9"
  [[ -x /usr/sbin/nginx ]] || die "nginx is not installed: apt-get install nginx"
  down
  mkdir -p "$DIR/primary" "$DIR/secondary"
  touch "$DIR/$MARKER"
  tsig-keygen -a hmac-sha256 "$KEY" >"$DIR/tsig.key"
  # The worker reads the secret alone (secret by reference: file:$DIR/tsig.secret).
  sed -n 's/.*secret "\(.*\)";.*/\1/p' "$DIR/tsig.key" >"$DIR/tsig.secret"
  chmod 600 "$DIR/tsig.key" "$DIR/tsig.secret"
  local p s
  p=$(free_port); s=$(free_port)
  cat >"$DIR/primary/$ZONE.zone" <<EOF
\$ORIGIN $ZONE.
\$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 60
@ IN NS ns1
ns1 IN A 127.0.0.1
www 10 IN A ${ADDR[old]}
EOF
  named_conf primary "$p" "zone \"$ZONE\" { type primary; file \"$ZONE.zone\"; update-policy { grant $KEY zonesub ANY; }; notify explicit; also-notify { 127.0.0.1 port $s; }; };" \
    >"$DIR/primary/named.conf"
  named_conf secondary "$s" "zone \"$ZONE\" { type secondary; file \"$ZONE.zone\"; primaries { 127.0.0.1 port $p; }; };" \
    >"$DIR/secondary/named.conf"
  start_named primary "$p"
  start_named secondary "$s"
  echo "127.0.0.1:$p" >"$DIR/primary/address"
  echo "127.0.0.1:$s" >"$DIR/secondary/address"
  say "named primary 127.0.0.1:$p and secondary 127.0.0.1:$s serve $ZONE (TSIG key $KEY)"

  if [[ "$mode" == --app ]]; then
    nginx_conf old "$(app_site "${ADDR[old]}")"
    nginx_conf new "$(app_site "${ADDR[new]}")"
  else
    nginx_conf old "server { listen ${ADDR[old]}:80; server_name www.$ZONE; location / { return 200 \"old\\n\"; } }"
    nginx_conf new "server { listen ${ADDR[new]}:80; server_name www.$ZONE; location / { return 200 \"new host=\$host\\n\"; } }"
  fi
  local h
  for h in old new; do
    # shellcheck disable=SC2046
    "${HOSTS[@]}" exec "$h" $(nginx_cmd "$h") >"$DIR/nginx-$h.start.log" 2>&1 || { cat "$DIR/nginx-$h.start.log" >&2; die "nginx on $h"; }
  done
  for h in old new; do
    local got
    if [[ "$mode" == --app ]]; then
      # The apps may not run yet: nginx itself answering (502 without its app) is enough here.
      got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Host: www.$ZONE" "http://${ADDR[$h]}/health" || true)
      [[ "$got" =~ ^[2-5][0-9][0-9]$ ]] || die "nginx on $h does not answer HTTP (got '$got')"
    else
      got=$(curl -s --max-time 5 -H "Host: www.$ZONE" "http://${ADDR[$h]}/" || true)
      [[ "$got" == "$h"* ]] || die "nginx on $h answers '$got'"
    fi
  done
  say "nginx on old (${ADDR[old]}:80) and new (${ADDR[new]}:80) answer${mode:+ (in front of the notes app)}"
}

down() {
  local f h
  for f in "$DIR"/primary/pid "$DIR"/secondary/pid; do
    if [[ -f "$f" ]]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
  for h in old new; do
    if [[ -f "$DIR/nginx-$h/nginx.pid" ]]; then kill "$(cat "$DIR/nginx-$h/nginx.pid")" 2>/dev/null || true; fi
  done
  sleep 0.3
  if [[ -d "$DIR" ]]; then
    [[ -f "$DIR/$MARKER" ]] || die "$DIR exists but is not ours (no $MARKER): not deleting it"
    rm -rf "$DIR"
  fi
}

env_lines() {
  echo "export E2E_DNS_PRIMARY=$(cat "$DIR/primary/address")"
  echo "export E2E_DNS_SECONDARY=$(cat "$DIR/secondary/address")"
  echo "export E2E_TSIG_FILE=$DIR/tsig.secret"
  echo "export E2E_TSIG_KEY=$KEY"
  echo "export E2E_NGINX_OLD=$DIR/nginx-old"
  echo "export E2E_NGINX_OLD_CMD='$(nginx_cmd old)'"
}

dig_a() { # SERVER NAME
  local host=${1%:*} port=${1##*:}
  dig +norec +noall +answer -p "$port" "@$host" "$2" A | awk '{print $2, $5}'
}

cmd=${1:-}; shift || true
case "$cmd" in
  up) up "$@" ;;
  down) down ;;
  env) env_lines ;;
  dig) dig_a "$@" ;;
  *) sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
