#!/usr/bin/env bash
# Builds Signaling.Server, starts its conformance fixture, runs both compliance suites against it
# in headless Chromium (and with --node also in Node.js), stops the server. Exit code 0 only if
# every run passed.
# Usage: tools/compliance/run-against-ours.sh SUITES_DIR [--port N] [--repeat N] [--node]
#   SUITES_DIR holds engine.io-protocol/ and socket.io-protocol/ (see README.md).
#   --port defaults to 3000, the address the suites are written for; another port works too
#   (run-suite.js points the suite at it).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
runner="$repo/tools/compliance/run-suite.js"

suites="${1:-}"
[ -n "$suites" ] && [ -d "$suites" ] || { echo "usage: $0 SUITES_DIR [--port N] [--repeat N] [--node]" >&2; exit 2; }
shift
port=3000 repeat=1 node=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --node) node=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if ss -ltn "sport = :$port" | grep -q LISTEN; then
  echo "port $port is in use (ss -ltnp shows by whom); pick another with --port" >&2
  exit 2
fi
[ -d "$repo/tools/compliance/node_modules/playwright-core" ] || (cd "$repo/tools/compliance" && npm ci --no-audit --no-fund --loglevel=error)

dotnet build "$repo/Signaling.Server" -nologo -v quiet
log="$(mktemp)"
dotnet "$repo/Signaling.Server/bin/Debug/net10.0/Signaling.Server.dll" conformance --urls "http://localhost:$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

# Ready when the Engine.IO handshake answers; give up if the process dies or after 30 s.
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://localhost:$port/socket.io/?EIO=4&transport=polling" && break
  kill -0 "$server" 2>/dev/null || { echo "the server exited:" >&2; cat "$log" >&2; exit 2; }
  sleep 0.5
done

status=0
for suite in engine.io-protocol socket.io-protocol; do
  node "$runner" "$suites/$suite/test-suite" --server "http://localhost:$port" --repeat "$repeat" || status=1
  if [ "$node" = 1 ]; then
    node "$runner" "$suites/$suite/test-suite" --server "http://localhost:$port" --repeat "$repeat" --node || status=1
  fi
done
exit $status
