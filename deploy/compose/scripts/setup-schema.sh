#!/bin/sh
# One-shot job (temporalio/admin-tools): create the `temporal` and `temporal_visibility`
# databases on PostgreSQL and bring both schemas to the version this admin-tools release
# ships. Idempotent: `create` ignores an existing database, `setup-schema -v 0.0` leaves a newer
# schema alone, and `update-schema` applies only the missing versions.
# Connection: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (read by temporal-sql-tool).
# Paths default to the admin-tools container's; e2e/production.sh runs this same script outside a
# container with TEMPORAL_SQL_TOOL (the tool), SCHEMA_ROOT (the server module's
# schema/postgresql/v12) and BOOTSTRAP_DIR (where the marker goes) set.
set -eu

SQL_TOOL=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
SCHEMA_ROOT=${SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}
MARKER=${BOOTSTRAP_DIR:-/bootstrap}/schema.ready

# Without nc (outside the image) the retries of `create` below do the waiting.
if command -v nc >/dev/null 2>&1; then
  echo "waiting for PostgreSQL at ${SQL_HOST}:${SQL_PORT}..."
  i=0
  until nc -z -w 2 "$SQL_HOST" "$SQL_PORT"; do
    i=$((i + 1))
    if [ "$i" -ge 120 ]; then echo "PostgreSQL did not come up" >&2; exit 1; fi
    sleep 1
  done
fi

sql() { "$SQL_TOOL" --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" "$@"; }

# The server may still be finishing its first start (init scripts, restart): retry `create`.
for db in temporal temporal_visibility; do
  i=0
  until sql --db "$db" create; do
    i=$((i + 1))
    if [ "$i" -ge 30 ]; then echo "could not create database $db" >&2; exit 1; fi
    sleep 2
  done
done

sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d "$SCHEMA_ROOT/temporal/versioned"
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d "$SCHEMA_ROOT/visibility/versioned"

date -u +%Y-%m-%dT%H:%M:%SZ > "$MARKER"
echo "schemas temporal and temporal_visibility are up to date"
