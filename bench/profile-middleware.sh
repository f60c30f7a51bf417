#!/usr/bin/env bash
# Where the middleware's per-request cost goes: a CPU profile of the embedded gateway with the sample's middleware and
# of the same gateway built without it, each under the same wrk load, compared per 1,000 requests.
#
#   bench/profile-middleware.sh [seconds=8] [connections=64]
#
# Needs wrk, perf (apt-get install wrk linux-perf) and python3; runs each server alone (not at the same time), on
# 127.0.0.1. .NET writes /tmp/perf-<pid>.map so perf can name JIT-compiled methods. Prints samples per 1,000 requests
# by code owner (our code, ASP.NET Core, the BCL, kernel and native) and the methods whose share moved most.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-8}
connections=${2:-64}
path=/api/products/1
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

for tool in wrk perf python3; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done

echo "building (Release)..."
dotnet build "$root/src/Gateway/Gateway.csproj" -c Release --nologo -v q -o "$out/gateway" >/dev/null
nomw_dir=$(build_gateway_without_middleware "$root" "$out")

export ASPNETCORE_ENVIRONMENT=Production DOTNET_gcServer=1 Logging__LogLevel__Default=Warning
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0

profile() { # name dir port -> $out/name.txt (symbols) and the request count during the profile in $out/name.requests
  local name=$1 dir=$2 port=$3 pid
  (cd "$dir" && exec dotnet Cluster.Gateway.dll --urls "http://127.0.0.1:$port" >"$out/$name.log" 2>&1) &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port$path" >/dev/null 2>&1 && break; sleep 0.2; done
  wrk -t2 -c"$connections" -d8s "http://127.0.0.1:$port$path" >/dev/null   # warm-up: JIT tiers, pools
  wrk -t2 -c"$connections" -d"$((seconds + 4))s" "http://127.0.0.1:$port$path" >"$out/$name.wrk" &
  local load=$!
  sleep 2
  perf record -F 2000 -p "$pid" -o "$out/$name.data" -- sleep "$seconds" >/dev/null 2>&1
  wait "$load"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  # The profile covered $seconds of the load: requests in it ~ requests/s x seconds.
  awk -v s="$seconds" '/Requests\/sec/ {printf "%d\n", $2 * s}' "$out/$name.wrk" >"$out/$name.requests"
  perf report -i "$out/$name.data" --no-children --sort sym --stdio -F sample,sym 2>/dev/null | grep -v '^#' | grep -v '^$' >"$out/$name.txt"
  echo "$name: $(awk '/Requests\/sec/ {print $2}' "$out/$name.wrk") req/s"
}

profile with "$out/gateway" 5311
profile without "$nomw_dir" 5312

python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]

def load(name):
    requests = int(open(f"{out}/{name}.requests").read().split()[0])
    symbols = {}
    for line in open(f"{out}/{name}.txt"):
        m = re.match(r"\s*(\d+)\s+\[.\]\s+(.*)$", line)
        if not m:
            continue
        symbol = re.sub(r"\[(OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|PreJIT|Instrumented[^\]]*)\]", "", m.group(2))
        symbol = re.sub(r"/\* MT: 0x[0-9a-f]+ \*/", "", symbol).strip()
        symbols[symbol] = symbols.get(symbol, 0) + int(m.group(1)) * 1000.0 / requests
    return symbols

def owner(symbol):
    if "Cluster." in symbol or "ShopApp" in symbol: return "our code"
    if "AspNetCore" in symbol: return "ASP.NET Core"
    if "[System." in symbol: return "BCL"
    if "[" in symbol or "::" in symbol: return "other managed"
    return "kernel, native, unnamed"

with_mw, without = load("with"), load("without")
print("\nsamples per 1,000 requests (2,000 samples/s: 1 sample = 0.5 ms of CPU)")
total_with, total_without = sum(with_mw.values()), sum(without.values())
print(f"  {'total':<26} with {total_with:7.2f}  without {total_without:7.2f}  difference {100 * (total_with - total_without) / total_with:+.1f} %")
groups = {}
for table, index in ((with_mw, 0), (without, 1)):
    for symbol, value in table.items():
        groups.setdefault(owner(symbol), [0.0, 0.0])[index] += value
for group, (a, b) in sorted(groups.items(), key=lambda g: -(g[1][0] - g[1][1])):
    print(f"  {group:<26} with {a:7.2f}  without {b:7.2f}  difference {a - b:+6.2f} ({(a - b) / 2:+.2f} us per request)")
print("\nmethods that moved most (with - without, samples per 1,000 requests):")
moved = sorted(set(with_mw) | set(without), key=lambda s: -abs(with_mw.get(s, 0) - without.get(s, 0)))
for symbol in moved[:25]:
    print(f"  {with_mw.get(symbol, 0) - without.get(symbol, 0):+6.2f}  {symbol[:150]}")
PY
