# Shared by deploy/local/*.sh (sourced, never run). The run directory ($CLUSTER_LOCAL_DIR, default
# ${TMPDIR:-/tmp}/cluster-local) holds everything a running stand-in is made of, so each script finds it:
#   state.env     what up.sh decided: ports, the PostgreSQL data directory, build folder (sourced by the others)
#   secrets.env   Cluster__Secret, Cluster__AdminToken, Cluster__ConnectionString (generated per run, mode 600)
#   process.env   deploy/cluster.env's settings plus secrets.env: what every gateway and silo gets in its environment
#   procs         one live gateway or silo a line: kind name pid http-port silo-port
#   backends      the gateways' base addresses, read by the front every probe round (its "endpoints")
#   pids/NAME     a process's pid; pids/NAME.wrapper the pid of the shell that waits for it
#   exit/NAME     the process's exit code, written by that shell when it ends
#   logs/NAME.log what it printed; bin/ the Release builds
# Every process runs detached (setsid), with its output in logs/, so the scripts can end while the cluster runs.

local_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
run=${CLUSTER_LOCAL_DIR:-${TMPDIR:-/tmp}/cluster-local}
# How long a process may drain after SIGTERM before it is killed: the manifests' terminationGracePeriodSeconds (90),
# above the drain (Cluster__Runtime__DrainTimeout) plus the deactivation timeout of deploy/cluster.env.
stop_timeout=${CLUSTER_LOCAL_STOP_TIMEOUT:-90}
ready_timeout=${CLUSTER_LOCAL_READY_TIMEOUT:-90}

die() { echo "$*" >&2; exit 1; }

alive() { # pid -> true while the process exists and is not a zombie (an exited child nobody has reaped yet)
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

as_postgres() { # the server refuses to run as root: when we are root, its commands run as the postgres OS user
  if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

require_run() {
  [[ -f $run/state.env ]] || die "no local cluster in $run (start one with deploy/local/up.sh, or set CLUSTER_LOCAL_DIR)"
  # shellcheck disable=SC1091
  source "$run/state.env"
}

# Ports are picked at random below the kernel's ephemeral range and checked free, so the stand-in runs beside other
# servers (and the tests) on a shared machine.
free_port() { # variable-name -> sets it to a free TCP port on 127.0.0.1
  local _candidate # not "port": printf -v would set this function's local instead of the caller's variable
  while true; do
    _candidate=$((20000 + RANDOM % 12000))
    grep -qw "$_candidate" "$run/ports" 2>/dev/null && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$_candidate") 2>/dev/null; then
      echo "$_candidate" >>"$run/ports"
      printf -v "$1" '%s' "$_candidate"
      return
    fi
  done
}

# The shared, non-secret settings of deploy/cluster.env (the same file the k8s ConfigMap is generated from), as
# NAME=value words for env(1). Silo__Port is per process here (every silo on one machine needs its own).
cluster_env() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -z $line || $line == \#* ]] && continue
    [[ $line == *=* ]] || die "deploy/cluster.env: not a NAME=value line: $line"
    [[ $line == Silo__Port=* ]] && continue
    printf '%s\n' "$line"
  done <"$local_root/deploy/cluster.env"
}

launch() { # name env-file command... -> runs it detached, with the NAME=value lines of env-file (if not "") exported; sets launched_pid
  local name=$1 env_file=$2
  shift 2
  rm -f "$run/pids/$name" "$run/pids/$name.wrapper" "$run/exit/$name" "$run/exit/$name.tmp"
  # The wrapper shell only waits for the process and writes down how it ended (a process that is not our child has
  # no exit code to read); signals go to the process itself. Settings from the file go through the environment, so
  # the secrets never show on a command line (ps).
  setsid bash -c '
    name=$1 run=$2 env_file=$3
    shift 3
    echo $$ >"$run/pids/$name.wrapper"
    if [[ -n $env_file ]]; then
      while IFS= read -r line; do export "$line"; done <"$env_file"
    fi
    "$@" </dev/null >>"$run/logs/$name.log" 2>&1 &
    echo $! >"$run/pids/$name"
    wait $!
    # Written aside and renamed: a reader that sees the file sees the whole code (a redirect creates it empty first).
    echo $? >"$run/exit/$name.tmp"
    mv "$run/exit/$name.tmp" "$run/exit/$name"' launch "$name" "$run" "$env_file" "$@" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    [[ -s $run/pids/$name ]] && break
    sleep 0.1
  done
  [[ -s $run/pids/$name ]] || die "$name did not start"
  launched_pid=$(<"$run/pids/$name")
}

write_process_env() { # -> process.env (mode 600): deploy/cluster.env's settings and the run's secrets, for every gateway and silo
  (umask 077 && { cluster_env; cat "$run/secrets.env"; echo ASPNETCORE_ENVIRONMENT=Production; } >"$run/process.env")
}

start_silo() { # -> starts the next silo (not waiting for it); sets started_name, started_pid, started_http
  local n http port
  n=$(( $(<"$run/next-silo") ))
  echo $((n + 1)) >"$run/next-silo"
  free_port http
  free_port port
  started_name="silo-$n"
  launch "$started_name" "$run/process.env" env "Silo__Port=$port" Silo__AdvertisedHost=127.0.0.1 "Silo__SiloName=$started_name" \
    "ASPNETCORE_URLS=http://127.0.0.1:$http" dotnet "$bin_dir/silo/Cluster.Silo.dll"
  started_pid=$launched_pid
  started_http=$http
  echo "silo $started_name $started_pid $http $port" >>"$run/procs"
}

start_gateway() { # -> starts the next gateway (not waiting for it, not yet behind the front); sets started_*
  local n http
  n=$(( $(<"$run/next-gateway") ))
  echo $((n + 1)) >"$run/next-gateway"
  free_port http
  started_name="gateway-$n"
  # As the gateway Deployment: on SIGTERM unready at once, still serving for the drain delay (here 1 s, four of the
  # front's readiness probes) so the front moves traffic away before the port closes.
  launch "$started_name" "$run/process.env" env Gateway__HostSilo=false Gateway__DrainDelay=00:00:01 \
    "ASPNETCORE_URLS=http://127.0.0.1:$http" dotnet "$bin_dir/gateway/Cluster.Gateway.dll"
  started_pid=$launched_pid
  started_http=$http
  echo "gateway $started_name $started_pid $http -" >>"$run/procs"
}

wait_ready() { # name url -> waits for a 200 from url, or fails with the process's log
  local name=$1 url=$2 deadline=$((SECONDS + ready_timeout))
  while (( SECONDS < deadline )); do
    curl -fs -o /dev/null --max-time 2 "$url" && return 0
    if [[ -f $run/exit/$name ]]; then
      echo "$name exited with code $(<"$run/exit/$name") before it was ready; its log:" >&2
      tail -n 40 "$run/logs/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "$name did not answer $url with 200 in $ready_timeout s; its log:" >&2
  tail -n 40 "$run/logs/$name.log" >&2
  return 1
}

write_backends() { # -> the front's list from the gateways in procs (replaced by a rename: the front never reads half)
  awk '$1 == "gateway" {print "http://127.0.0.1:" $4}' "$run/procs" >"$run/backends.tmp"
  mv "$run/backends.tmp" "$run/backends"
}

front_ready_count() { # -> how many gateways the front currently sends to
  curl -fs --max-time 2 "http://127.0.0.1:$front_port/_front/backends" | grep -c ' ready$' || true
}

wait_front_sees() { # count -> waits until the front sends to that many gateways
  local deadline=$((SECONDS + ready_timeout))
  while (( SECONDS < deadline )); do
    [[ $(front_ready_count) == "$1" ]] && return 0
    sleep 0.2
  done
  die "the front did not see $1 ready gateways in $ready_timeout s: $(curl -s "http://127.0.0.1:$front_port/_front/backends")"
}

stop_process() { # name -> SIGTERM, wait for it to exit (SIGKILL after $stop_timeout s); prints and returns its exit code
  local name=$1 pid code
  pid=$(<"$run/pids/$name")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((stop_timeout * 10))); do
    [[ -f $run/exit/$name ]] && break
    sleep 0.1
  done
  if [[ ! -f $run/exit/$name ]]; then
    echo "$name (pid $pid) did not exit within $stop_timeout s of SIGTERM: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [[ -f $run/exit/$name ]] && break; sleep 0.1; done
  fi
  code=$(cat "$run/exit/$name" 2>/dev/null || echo unknown)
  echo "$code"
  [[ $code == 0 ]]
}

forget_process() { # name -> removes it from procs
  awk -v n="$1" '$2 != n' "$run/procs" >"$run/procs.tmp"
  mv "$run/procs.tmp" "$run/procs"
}
