#!/usr/bin/env bash
# Stops the local stand-in that up.sh started: the front, the gateways and the silos (SIGTERM — their graceful drain —
# and SIGKILL for whatever has not exited after CLUSTER_LOCAL_STOP_TIMEOUT, default 90 s, the pods' grace period), then
# PostgreSQL; removes the PostgreSQL data directory and the run directory. Safe on a half-started cluster, and twice.
#
#   deploy/local/down.sh        (CLUSTER_LOCAL_DIR as for up.sh)
set -uo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ ! -d $run ]]; then
  echo "no local cluster in $run"
  exit 0
fi
pgdir='' pgbin=''
# shellcheck disable=SC1091
[[ -f $run/state.env ]] && source "$run/state.env"

# Every process this run started, newest first by kind: the front, gateways, silos (all at once: each drains alone).
names=()
[[ -f $run/pids/front ]] && names+=(front)
for kind in gateway silo; do
  while read -r k name _; do [[ $k == "$kind" ]] && names+=("$name"); done <"$run/procs" 2>/dev/null || true
done
# A process of an interrupted run or rolling restart that is not in procs (yet, or any more) is in pids/ too.
for file in "$run"/pids/*; do
  [[ -f $file && $file != *.wrapper ]] || continue
  name=${file##*/}
  [[ -f $run/exit/$name || " ${names[*]} " == *" $name "* ]] || names+=("$name")
done

for name in "${names[@]}"; do
  [[ -f $run/exit/$name ]] || kill -TERM "$(<"$run/pids/$name")" 2>/dev/null || true
done
deadline=$((SECONDS + stop_timeout))
for name in "${names[@]}"; do
  pid=$(<"$run/pids/$name")
  while alive "$pid" && (( SECONDS < deadline )); do sleep 0.1; done
  if alive "$pid"; then
    echo "$name (pid $pid) did not exit within $stop_timeout s of SIGTERM: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
# The wrapper shells end right after their process; wait for them too, so nothing of this run is left.
for name in "${names[@]}"; do
  for file in "$run/pids/$name" "$run/pids/$name.wrapper"; do
    [[ -f $file ]] || continue
    pid=$(<"$file")
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  echo "stopped $name (exit code $(cat "$run/exit/$name" 2>/dev/null || echo 'unknown: killed'))"
done

if [[ -n $pgdir && -d $pgdir ]]; then
  if [[ -f $pgdir/data/postmaster.pid ]]; then
    as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    # If pg_ctl could not stop it, the postmaster (first line of postmaster.pid) is killed directly.
    if [[ -f $pgdir/data/postmaster.pid ]]; then kill -KILL "$(head -n 1 "$pgdir/data/postmaster.pid")" 2>/dev/null || true; fi
    echo "stopped PostgreSQL"
  fi
  rm -rf "$pgdir"
fi
rm -rf "$run"
echo "removed $run${pgdir:+ and $pgdir}"
