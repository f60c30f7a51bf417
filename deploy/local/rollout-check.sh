#!/usr/bin/env bash
# The zero-error rollout check: brings the local stand-in up (up.sh), puts a steady load on its front (wrk, or our
# deploy/local/LoadTool when wrk is not installed or --load-tool is given: a closed loop of GETs rotating over the
# sample app's /api/products/1, /api/products/2 and /api/featured), rolls every silo and
# then both gateways (rolling-restart.sh), stops the load, prints
#   non-2xx: N, socket errors: N, requests: N
# and takes the stand-in down again (down.sh), however it exits. Exits 0 only if both counts are 0 and every old
# process exited 0.
#
#   deploy/local/rollout-check.sh [--silos N (3)] [--connections N (16)] [--no-build] [--load-tool]
#
# Needs what up.sh needs. CLUSTER_LOCAL_DIR as for up.sh.
set -euo pipefail
# shellcheck source=deploy/local/lib.sh
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

silos=3 connections=16 up_args=() load_tool=0
while (( $# )); do
  case $1 in
    --silos) silos=${2:?--silos needs a number}; shift 2 ;;
    --connections) connections=${2:?--connections needs a number}; shift 2 ;;
    --no-build) up_args+=(--no-build); shift ;;
    --load-tool) load_tool=1; shift ;;
    *) die "unknown argument '$1' (usage: rollout-check.sh [--silos N] [--connections N] [--no-build] [--load-tool])" ;;
  esac
done
[[ $connections =~ ^[1-9][0-9]*$ ]] || die "--connections must be a positive number, not '$connections'"
command -v wrk >/dev/null || load_tool=1

out=$(mktemp -d)
wrk_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $wrk_pid ]]; then kill "$wrk_pid" 2>/dev/null || true; fi
  "$here/down.sh" >"$out/down.log" 2>&1 || { cat "$out/down.log" >&2; status=1; }
  rm -rf "$out"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if (( load_tool )); then
  echo "building deploy/local/LoadTool (Release)..."
  dotnet build "$here/LoadTool/LoadTool.csproj" -c Release --nologo -v q --disable-build-servers -o "$out/loadtool" >"$out/build.log" 2>&1 \
    || { cat "$out/build.log" >&2; die "the build of deploy/local/LoadTool failed"; }
fi
"$here/up.sh" --silos "$silos" --gateways 2 "${up_args[@]}"
require_run
front="http://127.0.0.1:$front_port"
for path in /api/products/1 /api/products/2 /api/featured; do
  curl -fs -o /dev/null "$front$path" || die "the front does not serve $path"
done

cat >"$out/paths.lua" <<'LUA'
local paths = { "/api/products/1", "/api/products/2", "/api/featured" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
# The load runs until it gets SIGINT (then prints its totals); wrk's duration is only an upper bound.
if (( load_tool )); then
  tool="deploy/local/LoadTool"
  dotnet "$out/loadtool/Cluster.LoadTool.dll" "$front" "$connections" /api/products/1 /api/products/2 /api/featured >"$out/wrk.txt" 2>&1 &
else
  tool="wrk -t2 -c$connections"
  wrk -t2 -c"$connections" -d1h --timeout 60s -s "$out/paths.lua" "$front" >"$out/wrk.txt" 2>&1 &
fi
wrk_pid=$!
sleep 3 # load on the steady cluster first, so the restart happens under it
restart_status=0
"$here/rolling-restart.sh" || restart_status=$?
sleep 3 # and on the rolled cluster after it
# wrk stops and prints on SIGINT; the load tool on SIGTERM (a background job of a script starts with SIGINT ignored).
if (( load_tool )); then kill -TERM "$wrk_pid"; else kill -INT "$wrk_pid"; fi
wait "$wrk_pid" || true
wrk_pid=""

if (( load_tool )); then
  requests=$(sed -n 's/.*requests: \([0-9]*\).*/\1/p' "$out/wrk.txt")
  non2xx=$(sed -n 's/^non-2xx: \([0-9]*\),.*/\1/p' "$out/wrk.txt")
  errors=$(sed -n 's/.*socket errors: \([0-9]*\),.*/\1/p' "$out/wrk.txt")
else
  requests=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk.txt"); non2xx=${non2xx:-0}
  errors=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$out/wrk.txt"); errors=${errors:-0}
fi
[[ -n $requests ]] || { cat "$out/wrk.txt" >&2; die "the load ($tool) printed no totals"; }
echo "--- $tool, $connections connections, through the front, during the whole rolling restart"
if (( load_tool )); then grep -v '^non-2xx' "$out/wrk.txt" || true; else cat "$out/wrk.txt"; fi
retried=$(grep -c 'retried on another gateway: True' "$run/logs/front.log" || true)
echo "the front retried ${retried:-0} requests on another gateway after a stopping gateway refused the connection"
echo "non-2xx: $non2xx, socket errors: $errors, requests: $requests"
(( non2xx == 0 && errors == 0 && restart_status == 0 ))
