#!/usr/bin/env bash
# End-to-end throughput of the cluster as separate processes, all measured in the same run with alternating rounds,
# medians and per-round ratios:
#   bare      a bare ASP.NET Core minimal API returning the same bytes (the common baseline);
#   embedded  the embedded gateway (gateway + in-process silo, one process: `dotnet Cluster.Gateway.dll`);
#   cluster   1 gateway (--Gateway:HostSilo=false) + N silo processes (`dotnet Cluster.Silo.dll`), membership in a
#             throw-away PostgreSQL server this script starts; every request the gateway does not answer from its
#             near-cache crosses gateway -> silo over loopback.
# All of them serve the sample app (bench/BareApi mirrors its routes); the measured request is GET $BENCH_PATH.
#
#   bench/cluster-e2e.sh [seconds-per-round=10] [rounds=3] [connections=64]
#
# Environment: BENCH_PATH (default /api/products/1, a dynamic route; /api/featured is the sample's cached one),
# BENCH_SILOS (default 2), BENCH_REVALIDATIONS (default 0: after the rounds, time that many
# POST /api/admin/revalidate calls — RevalidateTagAsync("products") confirmed by every owner and gateway — on the
# cluster gateway, each after a GET that re-fills the entry, and print their p50/p99/max).
#
# Needs wrk (apt-get install wrk) and the PostgreSQL server binaries (/usr/lib/postgresql/*/bin, or $CLUSTER_POSTGRES_BIN).
# Everything binds to 127.0.0.1 only; every process and temporary directory is removed on exit, however it exits.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-10}
rounds=${2:-3}
connections=${3:-64}
path=${BENCH_PATH:-/api/products/1}
silos=${BENCH_SILOS:-2}
revalidations=${BENCH_REVALIDATIONS:-0}
out=$(mktemp -d)
pgdir=""
pgbin=""
pids=()
wrk_pid=""

as_postgres() { # the server refuses to run as root: when we are root, its commands run as the postgres OS user
  if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $wrk_pid ]]; then kill "$wrk_pid" 2>/dev/null || true; fi
  # SIGTERM is the graceful drain of a gateway or silo; whatever has not exited after 30 s is killed.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ -n $pgdir && -f $pgdir/data/postmaster.pid ]]; then
    as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
    # If pg_ctl could not stop it, the postmaster's pid (first line of postmaster.pid) is killed directly.
    if [[ -f $pgdir/data/postmaster.pid ]]; then kill -9 "$(head -n 1 "$pgdir/data/postmaster.pid")" 2>/dev/null || true; fi
  fi
  rm -rf "$out"
  if [[ -n $pgdir ]]; then rm -rf "$pgdir"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
if [[ -n ${CLUSTER_POSTGRES_BIN:-} ]]; then
  pgbin=$CLUSTER_POSTGRES_BIN
else
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[[ -n $pgbin && -x $pgbin/pg_ctl && -x $pgbin/initdb ]] || {
  echo "no PostgreSQL server binaries (pg_ctl, initdb) under /usr/lib/postgresql/*/bin; install the server or set CLUSTER_POSTGRES_BIN" >&2
  exit 2
}

# Ports are picked at random from below the kernel's ephemeral range (where wrk's own sockets live) and checked free,
# so the script can run beside other servers on a shared machine.
used_ports=" "
free_port() { # variable-name -> sets it to a free TCP port on 127.0.0.1
  local port
  while true; do
    port=$((20000 + RANDOM % 12000))
    [[ $used_ports == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+="$port "
      printf -v "$1" '%s' "$port"
      return
    fi
  done
}

echo "building (Release)..."
dotnet build "$root/src/Gateway/Gateway.csproj" -c Release --nologo -v q --disable-build-servers -o "$out/gateway" >/dev/null
dotnet build "$root/src/Silo/Silo.csproj" -c Release --nologo -v q --disable-build-servers -o "$out/silo" >/dev/null
dotnet build "$root/bench/BareApi/BareApi.csproj" -c Release --nologo -v q --disable-build-servers -o "$out/bare" >/dev/null

echo "starting PostgreSQL ($pgbin)..."
pgdir=$(mktemp -d)
if (( EUID == 0 )); then chown postgres: "$pgdir"; fi
chmod 700 "$pgdir"
as_postgres mkdir -m 700 "$pgdir/sock"
as_postgres "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync --no-instructions >"$out/initdb.log" 2>&1 \
  || { cat "$out/initdb.log" >&2; exit 1; }
# Appended after initdb's defaults, so these win. A benchmark's table never outlives the run: no fsync.
as_postgres tee -a "$pgdir/data/postgresql.conf" >/dev/null <<EOF

listen_addresses = '127.0.0.1'
unix_socket_directories = '$pgdir/sock'
fsync = off
full_page_writes = off
synchronous_commit = off
log_min_messages = warning
EOF
for attempt in 1 2 3; do
  free_port pg_port
  if as_postgres "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 -o "-p $pg_port" start >/dev/null 2>&1; then break; fi
  (( attempt < 3 )) || { echo "PostgreSQL did not start:" >&2; cat "$pgdir/server.log" >&2; exit 1; }
done
"$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cluster

free_port bare_port; free_port embedded_port; free_port gateway_port
secret=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
cluster=(
  --Cluster:Membership=Postgres
  "--Cluster:ConnectionString=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cluster"
  "--Cluster:Secret=$secret"
  "--Cluster:ClusterId=e2e-$$"
)

export ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=1 Logging__LogLevel__Default=Warning
start() { # name folder dll args... -> runs it in the background; its pid goes to <name>_pid
  local name=$1 dir=$2 dll=$3
  shift 3
  (cd "$dir" && exec dotnet "$dll" "$@" >"$out/$name.log" 2>&1) &
  pids+=($!)
  printf -v "${name}_pid" '%s' "$!"
}

wait_for() { # name url -> waits for a 200 from it
  for _ in $(seq 1 300); do
    curl -fs "$2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$1 did not answer $2 in 60 s; logs:" >&2
  for log in "$out"/*.log; do echo "--- $log" >&2; cat "$log" >&2; done
  exit 1
}

echo "starting the servers..."
start bare "$out/bare" BareApi.dll --urls "http://127.0.0.1:$bare_port"
start embedded "$out/gateway" Cluster.Gateway.dll --urls "http://127.0.0.1:$embedded_port"
# The silos join one after the other (the second finds the first Active and probes it), then the gateway reads them.
silo_pids=()
for i in $(seq 1 "$silos"); do
  free_port silo_http; free_port silo_port
  start "silo$i" "$out/silo" Cluster.Silo.dll --urls "http://127.0.0.1:$silo_http" "--Silo:Port=$silo_port" "--Silo:SiloName=silo-$i" "${cluster[@]}"
  silo_pids+=("$(eval "echo \$silo${i}_pid")")
  wait_for "silo-$i" "http://127.0.0.1:$silo_http/_cluster/readyz"
done
start gateway "$out/gateway" Cluster.Gateway.dll --urls "http://127.0.0.1:$gateway_port" --Gateway:HostSilo=false "${cluster[@]}" \
  --Logging:LogLevel:Cluster.Runtime.Hosting.ClusterClientHostedService=Information
wait_for gateway "http://127.0.0.1:$gateway_port/_cluster/readyz"
wait_for bare "http://127.0.0.1:$bare_port$path"
wait_for embedded "http://127.0.0.1:$embedded_port$path"
wait_for gateway "http://127.0.0.1:$gateway_port$path"

# The cluster gateway must really be a client of the silo processes, not a gateway with a silo of its own.
grep -q "with $silos active silos" "$out/gateway.log" || { echo "the cluster gateway did not start with $silos active silos:" >&2; cat "$out/gateway.log" >&2; exit 1; }
# The comparison is only fair if all three answer with the same body.
for port in $embedded_port $gateway_port; do
  if ! cmp -s <(curl -s "http://127.0.0.1:$port$path") <(curl -s "http://127.0.0.1:$bare_port$path"); then
    echo "the server on port $port and the baseline answer with different bodies:" >&2
    curl -s "http://127.0.0.1:$port$path" >&2; echo >&2
    curl -s "http://127.0.0.1:$bare_port$path" >&2; echo >&2
    exit 1
  fi
done

cpu_ticks() { # pid... -> user+system clock ticks the processes have used, summed
  local sum=0 pid
  for pid in "$@"; do sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$sum"
}
hz=$(getconf CLK_TCK)

# Throughput is what users see, but on a shared machine it swings with the neighbours' load. The servers' own CPU time
# per request does not: it is the work the server processes do for each request, whatever else the host is running.
# For the cluster it is summed over the gateway and both silos, and also given per process.
run_wrk() { # port pid... -> sets result=(requests/s p99-ms non2xx socket-errors cpu-us/request cpu-us/request-of-each-pid...)
  # wrk runs from this shell (not a subshell), so the exit trap can always reach and stop it.
  local port=$1
  shift
  local before=() after=() pid
  for pid in "$@"; do before+=("$(cpu_ticks "$pid")"); done
  wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port$path" >"$out/wrk.txt" &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
  for pid in "$@"; do after+=("$(cpu_ticks "$pid")"); done
  local rps p99 non2xx errors requests total=0 each=() i
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$out/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk.txt"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$out/wrk.txt"); errors=${errors:-0}
  requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
  for i in "${!before[@]}"; do
    total=$((total + after[i] - before[i]))
    each+=("$(per_request "$((after[i] - before[i]))" "$requests")")
  done
  result=("$rps" "$p99" "$non2xx" "$errors" "$(per_request "$total" "$requests")" "${each[@]}")
}
per_request() { # ticks requests -> microseconds of CPU per request
  awk -v t="$1" -v hz="$hz" -v n="$2" 'BEGIN {printf "%.2f", t * 1000000 / hz / n}'
}

echo "warming up..."
# JIT, tiered compilation, connection pools, the route grain's activation: none of it in the figures.
for port in $bare_port $embedded_port $gateway_port; do
  wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$port$path" >/dev/null &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
done

bare_rps=(); embedded_rps=(); cluster_rps=(); bare_p99=(); embedded_p99=(); cluster_p99=()
bare_cpu=(); embedded_cpu=(); cluster_cpu=(); gw_cpu=(); silos_cpu=()
cluster_ratio=(); embedded_ratio=(); cluster_bare_ratio=(); cpu_ratio=()
failures=0
measure() { # name port pid...
  local name=$1 port=$2
  shift 2
  run_wrk "$port" "$@"
  local rps=${result[0]} p99=${result[1]} non2xx=${result[2]} errors=${result[3]} cpu=${result[4]} split=""
  if [[ $name == cluster ]]; then
    local silo_sum
    silo_sum=$(printf '%s\n' "${result[@]:6}" | awk '{s += $1} END {printf "%.2f", s}')
    split=" (gateway ${result[5]} + silos $silo_sum)"
    gw_cpu+=("${result[5]}"); silos_cpu+=("$silo_sum")
  fi
  printf 'round %s  %-8s %9s req/s  p99 %6s ms  %6s us CPU/request%s  non-2xx %s  socket errors %s\n' \
    "$round" "$name" "$rps" "$p99" "$cpu" "$split" "$non2xx" "$errors"
  failures=$((failures + non2xx + errors))
  eval "${name}_rps+=(\"$rps\"); ${name}_p99+=(\"$p99\"); ${name}_cpu+=(\"$cpu\"); last_$name=$rps; last_cpu_$name=$cpu"
}
for round in $(seq 1 "$rounds"); do
  # The machine's speed drifts during a run; reversing the order every other round keeps the drift from favouring
  # whichever server is measured last, and the ratios are taken within each round.
  if (( round % 2 )); then order=(bare embedded cluster); else order=(cluster embedded bare); fi
  for name in "${order[@]}"; do
    case $name in
      bare) measure bare "$bare_port" "$bare_pid" ;;
      embedded) measure embedded "$embedded_port" "$embedded_pid" ;;
      cluster) measure cluster "$gateway_port" "$gateway_pid" "${silo_pids[@]}" ;;
    esac
  done
  cluster_ratio+=("$(awk -v c="$last_cluster" -v e="$last_embedded" 'BEGIN {printf "%.1f", 100*c/e}')")
  embedded_ratio+=("$(awk -v e="$last_embedded" -v b="$last_bare" 'BEGIN {printf "%.1f", 100*e/b}')")
  cluster_bare_ratio+=("$(awk -v c="$last_cluster" -v b="$last_bare" 'BEGIN {printf "%.1f", 100*c/b}')")
  cpu_ratio+=("$(awk -v c="$last_cpu_cluster" -v e="$last_cpu_embedded" 'BEGIN {printf "%.2f", c/e}')")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "GET $path, wrk -t2 -c$connections -d${duration}s on the same $(nproc) cores, $rounds rounds, medians:"
echo "  bare minimal API                   : $(median "${bare_rps[@]}") req/s, p99 $(median "${bare_p99[@]}") ms, $(median "${bare_cpu[@]}") us CPU/request"
echo "  embedded gateway (1 process)       : $(median "${embedded_rps[@]}") req/s, p99 $(median "${embedded_p99[@]}") ms, $(median "${embedded_cpu[@]}") us CPU/request"
echo "  1 gateway + $silos silos              : $(median "${cluster_rps[@]}") req/s, p99 $(median "${cluster_p99[@]}") ms, $(median "${cluster_cpu[@]}") us CPU/request" \
  "(gateway $(median "${gw_cpu[@]}") + silos $(median "${silos_cpu[@]}"))"
echo "  cluster vs embedded, requests/s    : $(median "${cluster_ratio[@]}") % (median of per-round ratios: ${cluster_ratio[*]})"
echo "  cluster vs embedded, CPU/request   : $(median "${cpu_ratio[@]}") x (median of per-round ratios: ${cpu_ratio[*]})"
echo "  embedded vs bare, requests/s       : $(median "${embedded_ratio[@]}") % (median of per-round ratios: ${embedded_ratio[*]})"
echo "  cluster vs bare, requests/s        : $(median "${cluster_bare_ratio[@]}") % (median of per-round ratios: ${cluster_bare_ratio[*]})"
echo "  non-2xx responses + socket errors  : $failures over all rounds"
echo "  x-route-cache of the measured path : embedded '$(curl -si "http://127.0.0.1:$embedded_port$path" | awk -F': ' 'tolower($1)=="x-route-cache" {sub(/\r/,"",$2); print $2}')'," \
  "cluster '$(curl -si "http://127.0.0.1:$gateway_port$path" | awk -F': ' 'tolower($1)=="x-route-cache" {sub(/\r/,"",$2); print $2}')'"

if (( revalidations > 0 )); then
  # Each call is RevalidateTagAsync("products") inside a handler on some silo: it completes once the owner of every
  # tagged route dropped its entries and every gateway acknowledged dropping its copies. curl's time_total is the
  # whole HTTP exchange with the gateway, so this is an upper bound of the confirmation time.
  times=()
  for _ in $(seq 1 "$revalidations"); do
    curl -fs "http://127.0.0.1:$gateway_port/api/featured" >/dev/null
    t=$(curl -fs -o /dev/null -w '%{time_total}' -X POST -H "authorization: Bearer demo-admin-token" "http://127.0.0.1:$gateway_port/api/admin/revalidate")
    times+=("$(awk -v t="$t" 'BEGIN {printf "%.2f", t * 1000}')")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  pct() { echo "$sorted" | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; print a[i]}'; }
  echo "  revalidateTag confirmed, $revalidations calls on $silos silos: p50 $(pct 50) ms, p99 $(pct 99) ms, max $(pct 100) ms (POST through the gateway)"
fi
if (( failures > 0 )); then exit 1; fi
