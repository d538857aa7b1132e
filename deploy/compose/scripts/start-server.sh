#!/bin/sh
# Entrypoint wrapper for temporalio/server: wait for the schema job's marker (first start of a
# fresh volume), then hand over to the image's own entrypoint. `docker stack config` accepts no
# depends_on conditions, so the order is kept here; `restart: on-failure` is the backstop (the
# server exits when the schema is missing or older than it needs).
# Outside the image (e2e/production.sh) BOOTSTRAP_DIR says where the marker is and
# TEMPORAL_SERVER_ENTRYPOINT which command starts the server.
set -eu

MARKER=${BOOTSTRAP_DIR:-/bootstrap}/schema.ready
i=0
until [ -f "$MARKER" ]; do
  i=$((i + 1))
  if [ "$i" -ge 300 ]; then echo "no schema marker after 300 s; starting anyway" >&2; break; fi
  sleep 1
done

# A command, not a path: left unquoted so that it may be e.g. "bash /path/to/entrypoint.sh".
# shellcheck disable=SC2086
exec ${TEMPORAL_SERVER_ENTRYPOINT:-/etc/temporal/entrypoint.sh}
