#!/bin/sh
# Entrypoint wrapper for temporalio/server: wait for the schema job's marker (first start of a
# fresh volume), then hand over to the image's own entrypoint. `docker stack config` accepts no
# depends_on conditions, so the order is kept here; `restart: on-failure` is the backstop (the
# server exits when the schema is missing or older than it needs).
set -eu

i=0
until [ -f /bootstrap/schema.ready ]; do
  i=$((i + 1))
  if [ "$i" -ge 300 ]; then echo "no schema marker after 300 s; starting anyway" >&2; break; fi
  sleep 1
done

exec /etc/temporal/entrypoint.sh
