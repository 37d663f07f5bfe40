#!/usr/bin/env bash
# Installs what the tests drive: the official Socket.IO clients, Playwright and puppeteer-core
# from npm (pinned in js/package-lock.json), Debian's Chromium and Firefox ESR, and the servers the
# tests run beside ours. Called by the test project's
# build, so `dotnet test` works on a fresh machine; each step is skipped when done.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
js="$here/js"

if [ ! -f "$js/node_modules/.package-lock.json" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
  echo "install-test-deps: npm ci in $js"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Each Debian package with the command that shows it is there: the browsers, and the servers that
# the tests start beside ours on loopback (Redis, nginx, HAProxy, coturn, Prometheus and promtool),
# and systemd-analyze, which checks the unit in deploy/.
missing=()
for pair in chromium:chromium firefox-esr:firefox-esr redis-server:redis-server nginx:nginx \
            haproxy:haproxy coturn:turnserver prometheus:prometheus prometheus:promtool systemd:systemd-analyze; do
  command -v "${pair#*:}" >/dev/null 2>&1 || missing+=("${pair%%:*}")
done
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | grep -v '^$' || true)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: Debian's ${missing[*]} missing; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "install-test-deps: installing Debian's ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
