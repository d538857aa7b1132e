#!/bin/bash
# Entrypoint wrapper for the worker (eclipse-temurin): wait until the namespace job has run once
# (namespace and search attributes exist) and the frontend accepts connections, then start it.
# Outside the container (e2e/production.sh) BOOTSTRAP_DIR says where the marker is and
# CUTOVER_WORKER_JAR where the jar is.
set -euo pipefail

marker=${BOOTSTRAP_DIR:-/bootstrap}/namespace.ready
jar=${CUTOVER_WORKER_JAR:-/app/cutover-worker.jar}
host=${TEMPORAL_ADDRESS%:*}
port=${TEMPORAL_ADDRESS##*:}

i=0
until [ -f "$marker" ] && timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; do
  i=$((i + 1))
  if [ "$i" -ge 300 ]; then echo "Temporal not ready after 300 s; starting anyway" >&2; break; fi
  sleep 1
done

# JVM flags: set JAVA_TOOL_OPTIONS on the service; the JVM reads it by itself.
exec java -jar "$jar"
