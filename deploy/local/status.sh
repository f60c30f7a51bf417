#!/usr/bin/env bash
# Prints what the local stand-in runs: every gateway and silo with its pid, ports and readiness, the front's view of
# the gateways, and PostgreSQL. Exits 1 when no stand-in runs from CLUSTER_LOCAL_DIR.
#
#   deploy/local/status.sh
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "$0")/lib.sh"
require_run

ready() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }
printf '%-12s %-8s %-8s %-10s %-10s %s\n' NAME KIND PID HTTP SILO-PORT READYZ
while read -r kind name pid http port; do
  state=$(alive "$pid" && echo "$pid" || echo "$pid(gone)")
  printf '%-12s %-8s %-8s %-10s %-10s %s\n' "$name" "$kind" "$state" "$http" "$port" "$(ready "http://127.0.0.1:$http/_cluster/readyz")"
done <"$run/procs"
if [[ -n ${front_port:-} ]]; then
  echo "front: http://127.0.0.1:$front_port (pid $(cat "$run/pids/front" 2>/dev/null || echo '?')); its gateways:"
  curl -s --max-time 2 "http://127.0.0.1:$front_port/_front/backends" | sed 's/^/  /' || echo "  (the front does not answer)"
fi
if [[ -n ${pg_port:-} ]]; then
  echo "PostgreSQL: 127.0.0.1:$pg_port, data in $pgdir ($("$pgbin/pg_isready" -h 127.0.0.1 -p "$pg_port" 2>/dev/null | sed 's/.* - //' || echo 'not answering'))"
fi
echo "run directory: $run"
