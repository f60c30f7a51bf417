#!/usr/bin/env bash
# What keeping the dashboard open costs (issue 6): throughput of a cached and a dynamic GET through the embedded gateway
# (gateway + in-process silo, one process, the sample app) with nobody watching vs with the dashboard open, all in the
# same run, alternating rounds, medians of per-round ratios:
#   closed   nobody watches: the dashboard's sampler is idle;
#   browser  a headless Chromium keeps /_cluster/dashboard open (its event stream, its charts redrawn every second);
#            Chromium runs on the same 2 cores, so this includes the browser's own CPU, as a person's open tab would
#            on a machine this small;
#   stream   only the event stream is read (curl -N on /_cluster/dashboard/events): the server's cost alone.
#
#   bench/dashboard-cost.sh [seconds-per-round=10] [rounds=3] [connections=64]
#
# The gateway runs with ASPNETCORE_ENVIRONMENT=Development in every round, so the browser needs no admin token (the
# environment changes nothing else in the gateway). Needs wrk and chromium (apt-get install wrk chromium).
# Everything binds to 127.0.0.1 only; every process and temporary directory is removed on exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-10}
rounds=${2:-3}
connections=${3:-64}
paths=(/api/featured /api/products/1)
out=$(mktemp -d)
pids=()
wrk_pid=""
viewer_pid=""

stop_viewer() {
  if [[ -n $viewer_pid ]]; then
    # Chromium's children belong to its process group (setsid below): the whole group goes.
    kill -- "-$viewer_pid" 2>/dev/null || kill "$viewer_pid" 2>/dev/null || true
    wait "$viewer_pid" 2>/dev/null || true
    viewer_pid=""
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $wrk_pid ]]; then kill "$wrk_pid" 2>/dev/null || true; fi
  stop_viewer
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$out"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[[ -n $chromium ]] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 2; }

port=$((20000 + RANDOM % 12000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 12000)); done
base="http://127.0.0.1:$port"

echo "building (Release)..."
dotnet build "$root/src/Gateway/Gateway.csproj" -c Release --nologo -v q --disable-build-servers -o "$out/gateway" >/dev/null

export ASPNETCORE_ENVIRONMENT=Development DOTNET_gcServer=1 Logging__LogLevel__Default=Warning
(cd "$out/gateway" && exec dotnet Cluster.Gateway.dll --urls "$base" >"$out/gateway.log" 2>&1) &
pids+=($!)
gateway_pid=$!
for _ in $(seq 1 300); do curl -fs "$base/_cluster/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$base/_cluster/readyz" >/dev/null || { echo "the gateway did not become ready:" >&2; cat "$out/gateway.log" >&2; exit 1; }
curl -fs "$base/_cluster/dashboard" | grep -qi "<html" || { echo "no dashboard page at $base/_cluster/dashboard" >&2; exit 1; }

start_viewer() { # closed|browser|stream
  case $1 in
    closed) ;;
    browser)
      setsid "$chromium" --headless=new --no-sandbox --disable-dev-shm-usage --disable-gpu --no-first-run \
        --user-data-dir="$out/chromium" --window-size=1600,1000 --remote-debugging-port=0 \
        "$base/_cluster/dashboard" >"$out/chromium.log" 2>&1 &
      viewer_pid=$!
      ;;
    stream)
      setsid curl -sN "$base/_cluster/dashboard/events" >/dev/null 2>&1 &
      viewer_pid=$!
      ;;
  esac
  if [[ $1 != closed ]]; then
    # The page is loaded and its stream open before the round starts: wait for two samples to have been taken.
    local first
    first=$(curl -fs "$base/_cluster/dashboard/snapshot" | sed -n 's/.*"sequence":\([0-9]*\).*/\1/p')
    for _ in $(seq 1 50); do
      sleep 0.2
      local now
      now=$(curl -fs "$base/_cluster/dashboard/snapshot" | sed -n 's/.*"sequence":\([0-9]*\).*/\1/p')
      (( now >= first + 2 )) && break
    done
    sleep 1
  fi
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

run_wrk() { # path -> sets rps, p99, cpu (gateway's CPU us per request), bad (non-2xx + socket errors)
  local before after requests
  before=$(cpu_ticks "$gateway_pid")
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$base$1" >"$out/wrk.txt" &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
  after=$(cpu_ticks "$gateway_pid")
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$out/wrk.txt")
  requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
  cpu=$(awk -v t="$((after - before))" -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.2f", t * 1000000 / hz / n}')
  local non2xx errors
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk.txt"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$out/wrk.txt"); errors=${errors:-0}
  bad=$((non2xx + errors))
}

echo "warming up (40 s, the dashboard's stream open)..."
# The sampler runs once a second, so its code needs ~30 samples before tiered compilation has optimised it; warming up
# with a viewer keeps that one-off JIT cost (about 1 s of CPU) out of the first measured round.
start_viewer stream
for path in "${paths[@]}"; do
  wrk -t2 -c"$connections" -d20s "$base$path" >/dev/null &
  wrk_pid=$!
  wait "$wrk_pid"
  wrk_pid=""
done
stop_viewer

declare -A rps_of cpu_of p99_of
failures=0
modes=(closed browser stream)
for round in $(seq 1 "$rounds"); do
  # Reversed every other round so that drift in the machine's speed does not favour one mode.
  if (( round % 2 )); then order=("${modes[@]}"); else order=(stream browser closed); fi
  for mode in "${order[@]}"; do
    start_viewer "$mode"
    for path in "${paths[@]}"; do
      run_wrk "$path"
      printf 'round %s  %-8s %-18s %9s req/s  p99 %6s ms  %6s us gateway CPU/request  non-2xx+errors %s\n' \
        "$round" "$mode" "$path" "$rps" "$p99" "$cpu" "$bad"
      failures=$((failures + bad))
      rps_of[$round,$mode,$path]=$rps
      cpu_of[$round,$mode,$path]=$cpu
      p99_of[$round,$mode,$path]=$p99
    done
    stop_viewer
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo
echo "embedded gateway, wrk -t2 -c$connections -d${duration}s on the same $(nproc) cores, $rounds rounds, medians:"
for path in "${paths[@]}"; do
  for mode in "${modes[@]}"; do
    r=(); c=(); p=(); ratio=(); cratio=()
    for round in $(seq 1 "$rounds"); do
      r+=("${rps_of[$round,$mode,$path]}"); c+=("${cpu_of[$round,$mode,$path]}"); p+=("${p99_of[$round,$mode,$path]}")
      ratio+=("$(awk -v a="${rps_of[$round,$mode,$path]}" -v b="${rps_of[$round,closed,$path]}" 'BEGIN {printf "%.1f", 100*a/b}')")
      cratio+=("$(awk -v a="${cpu_of[$round,$mode,$path]}" -v b="${cpu_of[$round,closed,$path]}" 'BEGIN {printf "%.1f", 100*a/b}')")
    done
    printf '  %-18s %-8s %9s req/s  p99 %6s ms  %6s us CPU/request' "$path" "$mode" "$(median "${r[@]}")" "$(median "${p[@]}")" "$(median "${c[@]}")"
    if [[ $mode != closed ]]; then
      printf '  = %s %% of closed req/s (rounds: %s), %s %% of its CPU/request' "$(median "${ratio[@]}")" "${ratio[*]}" "$(median "${cratio[@]}")"
    fi
    echo
  done
done
echo "  non-2xx responses + socket errors: $failures over all rounds"
if (( failures > 0 )); then exit 1; fi
