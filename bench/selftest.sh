#!/usr/bin/env bash
# Shows that every check of the load generator can fail: runs its scenarios at smoke sizes
# against bench/selftest/faulty-relay.js, once per injected fault, expecting the matching
# failure, and against the same relay without a fault, expecting none. Takes about a minute.
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build_generator "$out/build.log" || exit 1
if [ ! -d bench/reference/node_modules ]; then
  (cd bench/reference && npm ci --no-audit --no-fund) >"$out/npm.log" 2>&1 || { cat "$out/npm.log"; exit 1; }
fi

declare -A sizes=(
  [relay]="--pairs 2 --window 4 --warmup 0.2 --duration 1 --drain 1"
  [latency]="--pairs 2 --rate 200 --warmup 0.2 --duration 1 --drain 1"
  [connections]="--count 20 --hold 1 --warmup-connections 5 --warmup-pings 0"
  [presence]="--count 10 --timeout 3"
)
# mode, scenario, what the generator must report: "ok" or a piece of its failure message.
cases=(
  "none relay ok"
  "none latency ok"
  "none connections ok"
  "none presence ok"
  "drop relay lost:"
  "duplicate relay duplicated:"
  "reorder relay out of order:"
  "misroute relay wrong or unreadable:"
  "drop latency lost:"
  "refuse connections closed while held"
  "partial presence had seen the full list"
)

passed=0 failed=0
for case in "${cases[@]}"; do
  read -r mode scenario expected <<<"$case"
  port=$(free_port)
  node bench/selftest/faulty-relay.js "$port" "$mode" >"$out/relay.log" 2>&1 &
  pid=$!
  if ! wait_listening "$pid" "$port" "$out/relay.log"; then
    echo "FAIL $mode/$scenario: $start_error"
    failed=$((failed + 1))
    stop_process "$pid"
    continue
  fi
  # shellcheck disable=SC2086 # the sizes are separate words on purpose
  "${generator[@]}" "$scenario" --url "http://127.0.0.1:$port" --server-pid "$pid" --limit 60 ${sizes[$scenario]} >"$out/run.log" 2>&1
  status=$?
  stop_process "$pid"
  if [ "$expected" = ok ]; then
    [ $status -eq 0 ] && verdict=PASS || verdict=FAIL
  else
    [ $status -eq 1 ] && grep -q "FAILED: .*$expected" "$out/run.log" && verdict=PASS || verdict=FAIL
  fi
  echo "$verdict $mode/$scenario (expected: $expected; exit $status)"
  if [ $verdict = PASS ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    sed 's/^/    /' "$out/run.log"
  fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
