#!/usr/bin/env bash
# Brings up on this machine what deploy/k8s describes: a PostgreSQL server in a temporary data directory (the
# membership store), N silo processes, 2 gateways (Gateway__HostSilo=false) and a front on one port standing in for
# the Service/Ingress (deploy/local/Front: round-robin over the gateways whose /_cluster/readyz is 200; an idempotent
# request whose connection fails is retried once on another gateway). Settings come from deploy/cluster.env (the
# ConfigMap's file) plus a Secret generated for this run. Everything binds to 127.0.0.1. The processes keep running
# after this script ends; deploy/local/down.sh stops them, status.sh shows them, rolling-restart.sh rolls them.
#
#   deploy/local/up.sh [--silos N (3)] [--gateways N (2)] [--no-build]
#
# Environment: CLUSTER_LOCAL_DIR (run directory, default ${TMPDIR:-/tmp}/cluster-local), CLUSTER_LOCAL_BIN (where the
# builds go, default the run directory's bin/; with --no-build, where they already are), CLUSTER_POSTGRES_BIN
# (default: the newest /usr/lib/postgresql/*/bin). Prints the front's address as its last line: "front: http://...".
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "$0")/lib.sh"

silos=3
gateways=2
build=1
while (( $# )); do
  case $1 in
    --silos) silos=${2:?--silos needs a number}; shift 2 ;;
    --gateways) gateways=${2:?--gateways needs a number}; shift 2 ;;
    --no-build) build=0; shift ;;
    *) die "unknown argument '$1' (usage: up.sh [--silos N] [--gateways N] [--no-build])" ;;
  esac
done
[[ $silos =~ ^[1-9][0-9]*$ ]] || die "--silos must be a positive number, not '$silos'"
[[ $gateways =~ ^[1-9][0-9]*$ ]] || die "--gateways must be a positive number, not '$gateways'"
[[ -e $run/state.env ]] && die "a local cluster already runs from $run (deploy/local/down.sh stops it)"
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"
command -v curl >/dev/null || die "curl is not installed"
pgbin=${CLUSTER_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
[[ -n $pgbin && -x $pgbin/pg_ctl && -x $pgbin/initdb ]] \
  || die "no PostgreSQL server binaries (pg_ctl, initdb) under /usr/lib/postgresql/*/bin; install the server or set CLUSTER_POSTGRES_BIN"

# From here on a failure takes down whatever was started (down.sh reads the run directory as far as it got).
mkdir -p "$run"/{pids,exit,logs}
trap 'status=$?; if (( status != 0 )); then echo "up.sh failed; tearing down" >&2; "$local_root/deploy/local/down.sh" >&2 || true; fi' EXIT
bin_dir=${CLUSTER_LOCAL_BIN:-$run/bin}
echo 1 >"$run/next-silo"
echo 1 >"$run/next-gateway"
: >"$run/procs"
: >"$run/backends"
cat >"$run/state.env" <<STATE
bin_dir='$bin_dir'
pgbin='$pgbin'
pgdir=''
STATE

if (( build )); then
  echo "building (Release) into $bin_dir..."
  for project in src/Gateway/Gateway.csproj:gateway src/Silo/Silo.csproj:silo deploy/local/Front/Front.csproj:front; do
    dotnet build "$local_root/${project%%:*}" -c Release --nologo -v q --disable-build-servers -o "$bin_dir/${project##*:}" >"$run/logs/build.log" 2>&1 \
      || { cat "$run/logs/build.log" >&2; die "the build of ${project%%:*} failed"; }
  done
fi
for dll in gateway/Cluster.Gateway.dll silo/Cluster.Silo.dll front/Cluster.LocalFront.dll; do
  [[ -f $bin_dir/$dll ]] || die "$bin_dir/$dll is missing (run without --no-build)"
done

echo "starting PostgreSQL ($pgbin)..."
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/cluster-local-pg.XXXXXX")
echo "pgdir='$pgdir'" >>"$run/state.env"
if (( EUID == 0 )); then chown postgres: "$pgdir"; fi
chmod 700 "$pgdir"
as_postgres mkdir -m 700 "$pgdir/sock"
as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync --no-instructions >"$run/logs/initdb.log" 2>&1 \
  || { cat "$run/logs/initdb.log" >&2; die "initdb failed"; }
as_postgres tee -a "$pgdir/data/postgresql.conf" >/dev/null <<CONF

listen_addresses = '127.0.0.1'
unix_socket_directories = '$pgdir/sock'
log_min_messages = warning
CONF
for attempt in 1 2 3; do
  free_port pg_port
  if as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 -o "-p $pg_port" start >/dev/null 2>&1; then break; fi
  (( attempt < 3 )) || { cat "$pgdir/server.log" >&2; die "PostgreSQL did not start"; }
done
echo "pg_port=$pg_port" >>"$run/state.env"
"$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cluster

# The Secret of the manifests (cluster-secrets), generated for this run.
umask 077
cat >"$run/secrets.env" <<SECRETS
Cluster__ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cluster
Cluster__Secret=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
Cluster__AdminToken=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
SECRETS
umask 022
write_process_env

# Silos join one after the other (each new one finds the earlier ones Active and probes them), then the gateways.
for _ in $(seq 1 "$silos"); do
  start_silo
  echo "  $started_name: pid $started_pid, http://127.0.0.1:$started_http"
  wait_ready "$started_name" "http://127.0.0.1:$started_http/_cluster/readyz"
done
for _ in $(seq 1 "$gateways"); do
  start_gateway
  echo "  $started_name: pid $started_pid, http://127.0.0.1:$started_http"
  wait_ready "$started_name" "http://127.0.0.1:$started_http/_cluster/readyz"
done
write_backends

free_port front_port
echo "front_port=$front_port" >>"$run/state.env"
launch front "" env ASPNETCORE_ENVIRONMENT=Production "ASPNETCORE_URLS=http://127.0.0.1:$front_port" "Front__BackendsFile=$run/backends" \
  dotnet "$bin_dir/front/Cluster.LocalFront.dll"
echo "  front: pid $launched_pid"
wait_ready front "http://127.0.0.1:$front_port/_front/backends"
wait_front_sees "$gateways"
echo "front: http://127.0.0.1:$front_port"
