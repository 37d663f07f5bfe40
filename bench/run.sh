#!/usr/bin/env bash
# The benchmark in one command: builds what it needs, then runs every scenario of the load
# generator (bench/Signaling.LoadGen) against our server and the Node.js reference
# (bench/reference/server.js), each server pinned to core 0 and the generator to core 1, a fresh
# server process per scenario, and prints one Markdown table comparing the two. The cluster
# scenarios run two nodes of each server on a redis-server of their own (nodes on core 0, Redis
# beside the generator on core 1).
# See bench/README.md for what each figure means.
set -uo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [options]
  --smoke                  tiny sizes, runs in seconds; only checks that counts add up
  --only reference|ours    run against one server (default: both)
  --scenarios LIST         comma-separated subset of relay,latency,slow-reader,connections,presence,
                           cluster,cluster-presence (not run by default: slow-reader, latency next to a
                           client that reads nothing; cluster, relay between two nodes on one Redis,
                           each pair across them; cluster-presence, arrivals spread over two nodes)
  --pairs N                relay: pairs (default 20)
  --window W               relay: messages in flight per sender (default 32)
  --duration S             relay and latency: measured seconds (default 10)
  --warmup S               relay and latency: unmeasured seconds first (default 20)
  --latency-pairs N        latency: pairs (default 50)
  --latency-rate R         latency: offered messages per second, all pairs together (default 10000)
  --connections N|max      connections: idle sockets (default 10000); max: as many as the server's
                           open-files limit leaves room for (limit less its open descriptors), and
                           100 more to see what it does past its limit
  --server-open-files N    the servers' open-files limit (default: the hard limit, less 2000 with
                           --connections max so that the generator, at the hard limit, has room to spare)
  --hold S                 connections: seconds the sockets are held (default 30, past one ping)
  --presence LIST          presence: comma-separated arrival counts (default 200,1000)
  --cluster-warmup S       cluster: unmeasured seconds first (default 60: two nodes share one core, and
                           ours needed more than 20 s of traffic before its cross-node path ran fast)
  --cluster-presence LIST  cluster-presence: arrival counts, spread over the two nodes (default 1000)
  --out DIR                where logs, results and the report go (default bench/results/<time>)
  --ours-dll PATH          run this build of our server instead of building Signaling.Server
                           (e.g. another branch's bin/Release/net10.0/Signaling.Server.dll)
Exit status: 0 when every scenario ran and its checks held (nothing lost, duplicated, reordered
or misrouted; every connection made) on every server run, 1 otherwise, 2 for a bad option.
EOF
}

cd "$(dirname "$0")/.."
. bench/lib.sh

smoke=0
only=both
scenarios=relay,latency,connections,presence
pairs=20 window=32 duration=10 warmup=20
latency_pairs=50 latency_rate=10000
connections=10000 hold=30
# Warm-up sockets of the connections scenario, held through one ping before the baseline.
warmup_connections=200 warmup_pings=1
presence=200,1000
cluster_presence=1000 cluster_warmup=60
out=""
ours_dll=""
server_files=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift; continue ;;
    -h|--help) usage; exit 0 ;;
  esac
  [ $# -ge 2 ] || { echo "option $1 needs a value" >&2; usage >&2; exit 2; }
  case "$1" in
    --only) only=$2 ;;
    --scenarios) scenarios=$2 ;;
    --pairs) pairs=$2 ;;
    --window) window=$2 ;;
    --duration) duration=$2 ;;
    --warmup) warmup=$2 ;;
    --latency-pairs) latency_pairs=$2 ;;
    --latency-rate) latency_rate=$2 ;;
    --connections) connections=$2 ;;
    --hold) hold=$2 ;;
    --presence) presence=$2 ;;
    --cluster-presence) cluster_presence=$2 ;;
    --cluster-warmup) cluster_warmup=$2 ;;
    --out) out=$2 ;;
    --ours-dll) ours_dll=$2 ;;
    --server-open-files) server_files=$2 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift 2
done
case "$only" in
  both) servers="reference ours" ;;
  reference|ours) servers=$only ;;
  *) echo "--only takes reference or ours" >&2; exit 2 ;;
esac
if [ "$smoke" = 1 ]; then
  pairs=2 window=4 duration=1 warmup=0.5
  latency_pairs=2 latency_rate=200
  connections=20 hold=1 warmup_connections=5 warmup_pings=0
  presence=5,20 cluster_presence=20 cluster_warmup=0.5
fi
out=${out:-bench/results/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Every socket is a file descriptor, in the servers and in the generator: raise the soft limit to
# the hard one here, and every process started below inherits it.
hard=$(ulimit -Hn)
ulimit -Sn "$hard" 2>/dev/null || echo "could not raise the open-files soft limit" >&2
if [ -z "$server_files" ] && [ "$hard" != unlimited ]; then
  server_files=$hard
  [ "$connections" = max ] && server_files=$((hard > 4000 ? hard - 2000 : hard / 2))
fi
echo "open files: soft limit $(ulimit -Sn), hard limit $(ulimit -Hn); the servers' limit $server_files"

# Server on core 0, generator on core 1, so that neither takes CPU from the other. A cluster's
# two nodes share core 0 (their CPU time is what is compared, and the reference's nodes get the
# same), its redis-server runs on core 1 beside the generator.
if [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -a -c 0)
  pin_generator=(taskset -c 1)
  pin_redis=(taskset -a -c 1)
else
  echo "only one core: servers, Redis and generator are not pinned" >&2
  pin_server=() pin_generator=() pin_redis=()
fi

log() { echo "== $*"; }

log "building the load generator (Release)"
build_generator "$out/build-loadgen.log" || exit 1

# Why a server cannot be run at all; empty when it can.
declare -A broken=([reference]="" [ours]="")
for server in $servers; do
  case $server in
    reference)
      log "installing the reference's packages (npm ci)"
      if ! (cd bench/reference && npm ci --no-audit --no-fund) >"$out/npm-ci.log" 2>&1; then
        broken[reference]="npm ci failed in bench/reference (log: $out/npm-ci.log)"
      fi ;;
    ours)
      if [ -n "$ours_dll" ]; then
        [ -f "$ours_dll" ] || broken[ours]="no such file: $ours_dll"
      else
        log "building our server (Release)"
        ours_dll=$PWD/Signaling.Server/bin/Release/net10.0/Signaling.Server.dll
        if ! dotnet build Signaling.Server -c Release -nologo -v q >"$out/build-server.log" 2>&1; then
          broken[ours]="our server did not build (log: $out/build-server.log)"
        fi
      fi ;;
  esac
  [ -z "${broken[$server]}" ] || echo "!! ${broken[$server]}" >&2
done

no_refusals=(--SocketIo:RateLimit:PacketsPerSecond=1000000000 --SocketIo:RateLimit:PacketBurst=1000000000
  --SocketIo:RateLimit:BytesPerSecond=1000000000000 --SocketIo:RateLimit:ByteBurst=1000000000000)

# Starts one server in the background, a cluster node when given a Redis port; sets server_pid
# and port, or returns 1 with why in start_error.
start_server() {
  local server=$1 logfile=$2 redis=${3:-}
  local limit=() cluster_env=() cluster_options=()
  [ -z "$server_files" ] || limit=(prlimit "--nofile=$server_files:$server_files")
  [ -z "$redis" ] || cluster_env=("REDIS_URL=redis://127.0.0.1:$redis") cluster_options=("--Redis:Configuration=127.0.0.1:$redis")
  port=$(free_port)
  case $server in
    reference) "${pin_server[@]}" "${limit[@]}" env "${cluster_env[@]}" node bench/reference/server.js "$port" >"$logfile" 2>&1 & ;;
    # The generator's senders go far past any client's rate (SocketIo:RateLimit): the limits
    # stay on, so that their cost is measured, but high enough never to refuse.
    ours) "${pin_server[@]}" "${limit[@]}" dotnet "$ours_dll" --urls "http://127.0.0.1:$port" "${no_refusals[@]}" "${cluster_options[@]}" >"$logfile" 2>&1 & ;;
  esac
  # taskset and prlimit exec what follows, so this is the server's own pid, the one /proc is read for.
  server_pid=$!
  if ! wait_listening "$server_pid" "$port" "$logfile"; then
    start_error="$server: $start_error"
    stop_process "$server_pid"
    return 1
  fi
}

# Debian's redis-server, without persistence, on a free loopback port; sets redis_pid and
# redis_port, or returns 1 with why in start_error.
start_redis() {
  local logfile=$1 dir=${1%.log}
  redis_port=$(free_port)
  mkdir -p "$dir"
  "${pin_redis[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$dir" --daemonize no >"$logfile" 2>&1 &
  redis_pid=$!
  if ! wait_listening "$redis_pid" "$redis_port" "$logfile"; then
    start_error="redis-server: $start_error"
    stop_process "$redis_pid"
    return 1
  fi
}

# Starts what one run needs: one server, or (kind "cluster") a redis-server and two nodes on it.
# Sets urls and pids (comma-separated, as the generator takes them), redis_pid, and started
# (every process, in the order to stop them), or returns 1 with why in start_error.
start_setup() {
  local server=$1 kind=$2 name=$3 node
  started=() urls="" pids="" redis_pid=""
  if [ "$kind" = single ]; then
    start_server "$server" "$out/$server-$name.log" || return 1
    started=("$server_pid") urls="http://127.0.0.1:$port" pids=$server_pid
    return 0
  fi
  if ! command -v redis-server >/dev/null; then
    start_error="no redis-server (Debian's redis-server package)"
    return 1
  fi
  start_redis "$out/$server-$name-redis.log" || return 1
  started=("$redis_pid")
  for node in 1 2; do
    start_server "$server" "$out/$server-$name-node$node.log" "$redis_port" || return 1
    # The nodes stop before the Redis they use.
    started=("$server_pid" "${started[@]}")
    urls+="${urls:+,}http://127.0.0.1:$port" pids+="${pids:+,}$server_pid"
  done
}

stop_setup() {
  local pid
  for pid in "${started[@]}"; do
    stop_process "$pid"
  done
}

# The scenario runs: "name args..." per line, and the kind of each (single or cluster).
runs=() kinds=()
for scenario in ${scenarios//,/ }; do
  case $scenario in
    relay) runs+=("relay --pairs $pairs --window $window --duration $duration --warmup $warmup") ;;
    latency) runs+=("latency --pairs $latency_pairs --rate $latency_rate --duration $duration --warmup $warmup") ;;
    # The same next to one client that reads nothing while another sends it 2,000 candidates a second.
    slow-reader) runs+=("latency --pairs $latency_pairs --rate $latency_rate --duration $duration --warmup $warmup --slow-reader-rate 2000") ;;
    # Several source addresses: the generator's ports are not what runs out at the limit.
    connections) runs+=("connections --count $connections --hold $hold --warmup-connections $warmup_connections --warmup-pings $warmup_pings --source-addresses 4") ;;
    presence) for count in ${presence//,/ }; do runs+=("presence --count $count --timeout 300"); done ;;
    cluster) runs+=("relay --pairs $pairs --window $window --duration $duration --warmup $cluster_warmup") ;;
    cluster-presence) for count in ${cluster_presence//,/ }; do runs+=("presence --count $count --timeout 300"); done ;;
    *) echo "unknown scenario $scenario" >&2; exit 2 ;;
  esac
  while [ ${#kinds[@]} -lt ${#runs[@]} ]; do
    case $scenario in cluster*) kinds+=(cluster) ;; *) kinds+=(single) ;; esac
  done
done

failed=0
declare -A failures=([reference]=0 [ours]=0)
for server in $servers; do
  : >"$out/$server.jsonl"
done
# Scenario by scenario, each server in turn, so that both meet much the same background load.
for index in "${!runs[@]}"; do
  read -r -a run_args <<<"${runs[$index]}"
  kind=${kinds[$index]}
  name=$((index + 1))-${run_args[0]}
  [ "$kind" = single ] || name=$((index + 1))-cluster-${run_args[0]}
  for server in $servers; do
    results="$out/$server.jsonl"
    label=$server
    [ "$kind" = single ] || label="$server cluster"
    log "$label: ${runs[$index]}"
    if [ -n "${broken[$server]}" ]; then
      "${generator[@]}" "${run_args[@]}" --url http://127.0.0.1:1 --out "$results" --skip-reason "${broken[$server]}" >/dev/null
      failures[$server]=$((failures[$server] + 1))
      continue
    fi
    # A skipped cluster run still names two nodes, so its row lands under the cluster scenario.
    skipped_urls=http://127.0.0.1:1
    [ "$kind" = single ] || skipped_urls=http://127.0.0.1:1,http://127.0.0.1:2
    if ! start_setup "$server" "$kind" "$name"; then
      echo "!! $start_error" >&2
      stop_setup
      "${generator[@]}" "${run_args[@]}" --url "$skipped_urls" --out "$results" --skip-reason "$start_error" >/dev/null
      failures[$server]=$((failures[$server] + 1))
      continue
    fi
    timeout --kill-after=10 1000 "${pin_generator[@]}" "${generator[@]}" "${run_args[@]}" \
      --url "$urls" --server-pid "$pids" ${redis_pid:+--redis-pid "$redis_pid"} --out "$results" --limit 900
    status=$?
    for pid in "${started[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "!! process $pid ($label) died during ${run_args[0]}; logs: $out/$server-$name*.log" >&2
      fi
    done
    stop_setup
    if [ $status -ne 0 ]; then
      failures[$server]=$((failures[$server] + 1))
    fi
  done
done

{
  echo "# Signaling benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB," \
    "Linux $(uname -r); .NET $(dotnet --version), Node.js $(node --version)." \
    "Servers pinned to core 0, generator to core 1 (cluster runs: both nodes on core 0, Redis on core 1)." \
    "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  [ "$smoke" = 1 ] && echo && echo "Smoke run: tiny sizes, the figures mean nothing; only the checks count."
  echo
  "${generator[@]}" report --reference "$out/reference.jsonl" --ours "$out/ours.jsonl"
} >"$out/report.md"
echo
cat "$out/report.md"
echo
echo "(report, results and server logs in $out)"

for server in $servers; do
  if [ "${failures[$server]}" -gt 0 ]; then
    echo "!! $server: ${failures[$server]} of ${#runs[@]} scenario runs failed${broken[$server]:+: ${broken[$server]}}" >&2
    failed=1
  fi
done
exit $failed
