# Shell helpers shared by bench/run.sh and bench/selftest.sh (sourced, not run).

# A loopback port nobody listens on (nothing answers a connect to it), below the kernel's
# ephemeral range: a port there may be the local end of some client's connection (thousands of
# them while a connections scenario runs), which a server cannot listen on.
free_port() {
  local port first
  first=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
  [ "${first:-0}" -gt 11000 ] || first=32768
  while :; do
    port=$((10000 + RANDOM % (first - 10000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# wait_listening PID PORT LOGFILE: waits up to 60 s (a busy machine starts .NET slowly) for the
# server to accept connections; returns 1 with the reason in start_error when it exits or never listens.
wait_listening() {
  local pid=$1 port=$2 logfile=$3 waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      start_error="the server exited at start: $(tail -n 1 "$logfile")"
      return 1
    fi
    if [ $waited -ge 600 ]; then
      start_error="the server did not listen on port $port within 60 s"
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# stop_process PID: ends a process this script started and reaps it.
stop_process() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

# build_generator LOGFILE: Release build of the load generator; sets the generator array.
build_generator() {
  if ! dotnet build bench/Signaling.LoadGen -c Release -nologo -v q >"$1" 2>&1; then
    tail -n 30 "$1"
    echo "the load generator did not build (log: $1)" >&2
    return 1
  fi
  # Socket completions run on the runtime's epoll thread instead of being handed to a thread-pool
  # worker: an arrival is timestamped one thread wake-up sooner, and at a paced load (one wake-up
  # per message) the generator spends about half the CPU. Safe because its receive loops never
  # block; the latency pacer, which does block, has a thread of its own.
  generator=(env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet "$PWD/bench/Signaling.LoadGen/bin/Release/net10.0/Signaling.LoadGen.dll")
}
