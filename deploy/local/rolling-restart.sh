#!/usr/bin/env bash
# Restarts every silo and then every gateway of the local stand-in one at a time, the way a Deployment rollout with
# maxSurge: 1, maxUnavailable: 0 does: start the replacement, wait for its /_cluster/readyz (for a gateway: until the
# front sends to it), then SIGTERM the old process and wait for it to drain and exit 0. A gateway that gets SIGTERM
# turns its readiness 503 and stops listening; the front drops it and retries on another gateway a request whose
# connection it refused. Exits non-zero if a replacement does not turn ready or an old process does not exit 0.
#
#   deploy/local/rolling-restart.sh [--silos-only | --gateways-only]
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "$0")/lib.sh"
require_run

do_silos=1 do_gateways=1
case ${1:-} in
  "") ;;
  --silos-only) do_gateways=0 ;;
  --gateways-only) do_silos=0 ;;
  *) die "unknown argument '$1' (usage: rolling-restart.sh [--silos-only | --gateways-only])" ;;
esac

failures=0
roll() { # kind -> replaces every process of that kind, one at a time
  local kind=$1 old code
  for old in $(awk -v k="$kind" '$1 == k {print $2}' "$run/procs"); do
    if [[ $kind == silo ]]; then
      start_silo
      wait_ready "$started_name" "http://127.0.0.1:$started_http/_cluster/readyz"
    else
      start_gateway
      wait_ready "$started_name" "http://127.0.0.1:$started_http/_cluster/readyz"
      write_backends
      wait_front_sees "$(awk '$1 == "gateway"' "$run/procs" | wc -l)"
    fi
    echo "$(date +%T) $started_name ready; stopping $old (SIGTERM)"
    if code=$(stop_process "$old"); then
      echo "$(date +%T) $old exited 0"
    else
      echo "$(date +%T) $old exited with code $code (expected 0); its log ends:" >&2
      tail -n 20 "$run/logs/$old.log" >&2
      failures=$((failures + 1))
    fi
    forget_process "$old"
    if [[ $kind == gateway ]]; then write_backends; fi
  done
}

if (( do_silos )); then roll silo; fi
if (( do_gateways )); then roll gateway; fi
echo "rolling restart done: $(awk '$1 == "silo"' "$run/procs" | wc -l) silos, $(awk '$1 == "gateway"' "$run/procs" | wc -l) gateways; $failures unclean exits"
(( failures == 0 ))
