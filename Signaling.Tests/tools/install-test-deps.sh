#!/usr/bin/env bash
# Installs what the tests drive: the official Socket.IO clients, Playwright and puppeteer-core
# from npm (pinned in js/package-lock.json), and Debian's Chromium and Firefox ESR. Called by the test project's
# build, so `dotnet test` works on a fresh machine; each step is skipped when done.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
js="$here/js"

if [ ! -f "$js/node_modules/.package-lock.json" ] || [ "$js/package-lock.json" -nt "$js/node_modules/.package-lock.json" ]; then
  echo "install-test-deps: npm ci in $js"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
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
