#!/usr/bin/env bash
# End-to-end throughput, all measured in the same run with alternating rounds, medians and their ratios:
#   bare     a bare ASP.NET Core minimal API returning the same bytes (the baseline of the gateway's own cost);
#   gateway  the embedded gateway (gateway + in-process silo) serving the sample app, whose middleware runs on the
#            measured route and answers Next() with one response header;
#   no-mw    the same gateway built for a copy of the sample app without middleware.cs (the baseline of the
#            middleware's cost).
# Then paired rounds: gateway and no-mw loaded at the same time (one wrk each), so that the middleware's cost is also
# measured within moments that the machine's swings affect alike.
#
#   bench/e2e.sh [seconds-per-round=10] [rounds=3] [connections=64]
#
# Needs wrk (apt-get install wrk). Both servers bind to 127.0.0.1 only and are stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-10}
rounds=${2:-3}
connections=${3:-64}
path=/api/products/1
gateway_port=5301
bare_port=5302
nomw_port=5303
out=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$out" "$root/bench/.work"
}
trap cleanup EXIT
# shellcheck source=bench/no-middleware-build.sh
source "$root/bench/no-middleware-build.sh"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

echo "building (Release)..."
dotnet build "$root/src/Gateway/Gateway.csproj" -c Release --nologo -v q -o "$out/gateway" >/dev/null
dotnet build "$root/bench/BareApi/BareApi.csproj" -c Release --nologo -v q -o "$out/bare" >/dev/null
nomw_dir=$(build_gateway_without_middleware "$root" "$out")

export ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=1 Logging__LogLevel__Default=Warning
(cd "$out/gateway" && exec dotnet Cluster.Gateway.dll --urls "http://127.0.0.1:$gateway_port" >"$out/gateway.log" 2>&1) &
pids+=($!); gateway_pid=$!
(cd "$out/bare" && exec dotnet BareApi.dll --urls "http://127.0.0.1:$bare_port" >"$out/bare.log" 2>&1) &
pids+=($!); bare_pid=$!
(cd "$nomw_dir" && exec dotnet Cluster.Gateway.dll --urls "http://127.0.0.1:$nomw_port" >"$out/nomw.log" 2>&1) &
pids+=($!); nomw_pid=$!

wait_ready() {
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$1$path" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server on port $1 did not start" >&2
  cat "$out"/*.log >&2
  exit 1
}
wait_ready $gateway_port
wait_ready $bare_port
wait_ready $nomw_port

# The middleware must really be running on the measured route (its header), and not in the other build.
curl -si "http://127.0.0.1:$gateway_port$path" | grep -qi '^x-api-version: 1' || { echo "middleware header missing on the gateway" >&2; exit 1; }
if curl -si "http://127.0.0.1:$nomw_port$path" | grep -qi '^x-api-version'; then echo "the no-middleware build still runs middleware" >&2; exit 1; fi

# The comparison is only fair if both answer with the same body.
if ! cmp -s <(curl -s "http://127.0.0.1:$gateway_port$path") <(curl -s "http://127.0.0.1:$bare_port$path"); then
  echo "the gateway and the baseline answer with different bodies:" >&2
  curl -s "http://127.0.0.1:$gateway_port$path" >&2; echo >&2
  curl -s "http://127.0.0.1:$bare_port$path" >&2; echo >&2
  exit 1
fi

cpu_ticks() { # pid -> user+system clock ticks the process has used
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# Throughput is what users see, but on a shared machine it swings with the neighbours' load. The server's own CPU time
# per request does not: it is the work the server does for each request, whatever else the host is running.
run_wrk() { # port pid -> "requests/s p99(ms) non2xx socket_errors cpu_us_per_request"
  local before after
  before=$(cpu_ticks "$2")
  wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$1$path" >"$out/wrk.txt"
  after=$(cpu_ticks "$2")
  local rps p99 non2xx errors requests cpu
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$out/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk.txt"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$out/wrk.txt"); errors=${errors:-0}
  requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
  cpu=$(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.2f", t * 1000000 / hz / n}')
  echo "$rps $p99 $non2xx $errors $cpu"
}

# Warm both up (JIT, tiered compilation, connection pools) before measuring.
wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$gateway_port$path" >/dev/null
wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$bare_port$path" >/dev/null
wrk -t2 -c"$connections" -d5s "http://127.0.0.1:$nomw_port$path" >/dev/null

gateway_rps=(); bare_rps=(); nomw_rps=(); gateway_p99=(); bare_p99=(); nomw_p99=()
gateway_cpu=(); bare_cpu=(); nomw_cpu=()
ratio_rounds=(); cost_rounds=(); cpu_cost_rounds=()
measure() { # name port pid
  local rps p99 non2xx errors cpu
  read -r rps p99 non2xx errors cpu < <(run_wrk "$2" "$3")
  printf 'round %s  %-8s %s req/s  p99 %s ms  %s us CPU/request  non-2xx %s  socket errors %s\n' "$round" "$1" "$rps" "$p99" "$cpu" "$non2xx" "$errors"
  eval "${1}_rps+=(\"$rps\"); ${1}_p99+=(\"$p99\"); ${1}_cpu+=(\"$cpu\"); last_$1=$rps; last_cpu_$1=$cpu"
}
for round in $(seq 1 "$rounds"); do
  # The machine's speed drifts during a run; reversing the order every other round keeps the drift from favouring
  # whichever server is measured last, and the ratios are taken within each round.
  if (( round % 2 )); then order=(bare nomw gateway); else order=(gateway nomw bare); fi
  for name in "${order[@]}"; do
    case $name in
      bare) measure bare $bare_port $bare_pid ;;
      nomw) measure nomw $nomw_port $nomw_pid ;;
      gateway) measure gateway $gateway_port $gateway_pid ;;
    esac
  done
  ratio_rounds+=("$(awk -v g="$last_nomw" -v b="$last_bare" 'BEGIN {print 100*g/b}')")
  cost_rounds+=("$(awk -v g="$last_gateway" -v n="$last_nomw" 'BEGIN {print 100*(n-g)/n}')")
  cpu_cost_rounds+=("$(awk -v g="$last_cpu_gateway" -v n="$last_cpu_nomw" 'BEGIN {print 100*(g-n)/g}')")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
g=$(median "${gateway_rps[@]}"); b=$(median "${bare_rps[@]}")
n=$(median "${nomw_rps[@]}")
gp=$(median "${gateway_p99[@]}"); bp=$(median "${bare_p99[@]}"); np=$(median "${nomw_p99[@]}")
ratio=$(printf '%.1f' "$(median "${ratio_rounds[@]}")")
mw_cost=$(printf '%.1f' "$(median "${cost_rounds[@]}")")
echo
echo "GET $path, wrk -t2 -c$connections -d${duration}s, $rounds rounds, medians:"
echo "  bare minimal API                  : $b req/s, p99 $bp ms"
echo "  embedded gateway, no middleware   : $n req/s, p99 $np ms"
echo "  embedded gateway, with middleware : $g req/s, p99 $gp ms"
echo "  gateway (no middleware) vs bare   : $ratio % of the baseline's requests/s (median of per-round ratios: ${ratio_rounds[*]})"
echo "  cost of the middleware            : $mw_cost % of requests/s (median of per-round costs: ${cost_rounds[*]})"
echo "  CPU per request (median)          : bare $(median "${bare_cpu[@]}") us, no middleware $(median "${nomw_cpu[@]}") us, with middleware $(median "${gateway_cpu[@]}") us"
echo "  cost of the middleware in CPU     : $(printf '%.1f' "$(median "${cpu_cost_rounds[@]}")") % of the gateway's CPU per request, i.e. of the requests/s a CPU-bound gateway serves (per round: ${cpu_cost_rounds[*]})"

# Paired rounds: the machine's speed swings between rounds more than the middleware costs, so the two gateways are also
# loaded at the same time, one wrk each (half the connections each), and compared within the round. Whatever the
# neighbours do then happens to both; with both servers wanting all the CPU they get, the one that does more work per
# request serves fewer requests, and each server's CPU time per request is measured as above.
paired_cost_rounds=(); paired_cpu_cost_rounds=(); paired_gateway_rps=(); paired_nomw_rps=()
half=$(( connections / 2 ))
for round in $(seq 1 "$rounds"); do
  g_before=$(cpu_ticks "$gateway_pid"); n_before=$(cpu_ticks "$nomw_pid")
  wrk -t1 -c"$half" -d"${duration}s" "http://127.0.0.1:$gateway_port$path" >"$out/wrk-paired-gateway.txt" &
  g_wrk=$!
  wrk -t1 -c"$half" -d"${duration}s" "http://127.0.0.1:$nomw_port$path" >"$out/wrk-paired-nomw.txt" &
  n_wrk=$!
  wait "$g_wrk" "$n_wrk"
  g_after=$(cpu_ticks "$gateway_pid"); n_after=$(cpu_ticks "$nomw_pid")
  read -r g_rps g_requests g_bad < <(awk '/Requests\/sec/ {r=$2} /requests in/ {n=$1} /Non-2xx|Socket errors/ {b=1} END {print r, n, b+0}' "$out/wrk-paired-gateway.txt")
  read -r n_rps n_requests n_bad < <(awk '/Requests\/sec/ {r=$2} /requests in/ {n=$1} /Non-2xx|Socket errors/ {b=1} END {print r, n, b+0}' "$out/wrk-paired-nomw.txt")
  if (( g_bad || n_bad )); then
    echo "paired round $round: errors or non-2xx responses:" >&2
    cat "$out/wrk-paired-gateway.txt" "$out/wrk-paired-nomw.txt" >&2
    exit 1
  fi
  g_cpu=$(awk -v t="$((g_after - g_before))" -v hz="$(getconf CLK_TCK)" -v n="$g_requests" 'BEGIN {printf "%.2f", t * 1000000 / hz / n}')
  n_cpu=$(awk -v t="$((n_after - n_before))" -v hz="$(getconf CLK_TCK)" -v n="$n_requests" 'BEGIN {printf "%.2f", t * 1000000 / hz / n}')
  printf 'paired round %s  gateway %s req/s %s us CPU/request  no-mw %s req/s %s us CPU/request\n' "$round" "$g_rps" "$g_cpu" "$n_rps" "$n_cpu"
  paired_gateway_rps+=("$g_rps"); paired_nomw_rps+=("$n_rps")
  paired_cost_rounds+=("$(awk -v g="$g_rps" -v n="$n_rps" 'BEGIN {print 100*(n-g)/n}')")
  paired_cpu_cost_rounds+=("$(awk -v g="$g_cpu" -v n="$n_cpu" 'BEGIN {print 100*(g-n)/g}')")
done
echo
echo "Paired rounds (both gateways loaded at once, wrk -t1 -c$half each, $rounds rounds), medians:"
echo "  with middleware $(median "${paired_gateway_rps[@]}") req/s, without $(median "${paired_nomw_rps[@]}") req/s"
echo "  cost of the middleware            : $(printf '%.1f' "$(median "${paired_cost_rounds[@]}")") % of requests/s (per round: ${paired_cost_rounds[*]})"
echo "  cost of the middleware in CPU     : $(printf '%.1f' "$(median "${paired_cpu_cost_rounds[@]}")") % of the gateway's CPU per request (per round: ${paired_cpu_cost_rounds[*]})"
