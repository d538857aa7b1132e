#!/bin/sh
# One-shot job (temporalio/admin-tools): wait for the frontend, create the namespace if it is
# missing and register cutover's search attributes as Keyword. Idempotent: an existing namespace
# or search attribute is left as it is.
# Paths default to the admin-tools container's; e2e/production.sh runs this same script outside a
# container with TEMPORAL_CLI (the temporal CLI) and BOOTSTRAP_DIR (where the marker goes) set.
set -eu

CLI=${TEMPORAL_CLI:-temporal}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
RETENTION=${NAMESPACE_RETENTION:-72h}
SEARCH_ATTRIBUTES="CutoverPhase CutoverWaitingFor CutoverMigration"
MARKER=${BOOTSTRAP_DIR:-/bootstrap}/namespace.ready

# Resolve the host to IPv4 (the server listens on 0.0.0.0 only), as the upstream compose
# examples do.
host=${ADDRESS%:*}
port=${ADDRESS##*:}
ip=$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }' || true)
[ -n "$ip" ] && ADDRESS="$ip:$port"

echo "waiting for the Temporal frontend at $ADDRESS..."
i=0
until "$CLI" operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 150 ]; then echo "Temporal frontend not healthy after 300 s" >&2; exit 1; fi
  sleep 2
done

if "$CLI" operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  "$CLI" operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS" \
    || "$CLI" operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null
  echo "namespace $NAMESPACE created"
fi

has_attribute() {
  "$CLI" operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS" 2>/dev/null \
    | grep -qw "$1"
}

# A just-created namespace takes a few seconds to reach the frontend's namespace cache, and
# "already exists" is an error to the CLI: retry, and judge by the list, not the exit code.
for name in $SEARCH_ATTRIBUTES; do
  i=0
  until has_attribute "$name"; do
    i=$((i + 1))
    if [ "$i" -ge 30 ]; then echo "could not register search attribute $name" >&2; exit 1; fi
    "$CLI" operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" \
      --name "$name" --type Keyword || true
    has_attribute "$name" || sleep 2
  done
  echo "search attribute $name (Keyword) registered"
done

date -u +%Y-%m-%dT%H:%M:%SZ > "$MARKER"
