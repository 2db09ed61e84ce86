#!/bin/sh
# Container entrypoint of a coordinator: writes dataDir/myid on the first start — from MYID, or in a Kubernetes
# StatefulSet from the pod's ordinal + 1 (coordinator-0 → 1) — then runs the coordinator on ZOO_CFG.
set -eu
DATA_DIR="${DATA_DIR:-/data}"
ZOO_CFG="${ZOO_CFG:-/conf/zoo.cfg}"
if [ -z "${MYID:-}" ]; then
  name="${POD_NAME:-$(hostname)}"
  ordinal="${name##*-}"
  case "$ordinal" in
    '' | *[!0-9]*) ;;
    *) MYID=$((ordinal + 1)) ;;
  esac
fi
if [ ! -f "$DATA_DIR/myid" ]; then
  if [ -z "${MYID:-}" ]; then
    echo "coordinator: $DATA_DIR/myid is missing: set MYID (or run as a StatefulSet pod named NAME-ORDINAL)" >&2
    exit 2
  fi
  echo "$MYID" > "$DATA_DIR/myid"
fi
exec node /app/bin/coordinator.js "$ZOO_CFG"
