// Asks a TURN server for a relay allocation from headless Chromium with the given ICE servers
// (iceTransportPolicy "relay", so only the TURN server can produce candidates) and reports what
// came back: the relay candidates gathered and the ICE candidate errors (401: credentials refused).
// Run from the page at --url so that the peer connection has an http://127.0.0.1 origin.
//
// Usage: node browser-turn-probe.js --url http://127.0.0.1:PORT/ --artifacts DIR --ice-servers JSON
//          [--label NAME] [--chromium /usr/bin/chromium] [--step-timeout-ms 20000]
// Prints one JSON line: {"ok":true,"relayCandidates":[...],"errors":[...]} once gathering has
// completed (ok means the probe ran, whatever the TURN server answered), or {"ok":false,...}.
'use strict';
const { chromium } = require('playwright-core');
const { chromiumArgs, parseOptions, main } = require('./browser-harness');

function parseArgs(argv) {
  const options = parseOptions(argv, { names: { '--ice-servers': 'iceServers' }, defaults: { label: 'turn-probe' } });
  options.iceServers = JSON.parse(options.iceServers ?? 'null');
  if (!Array.isArray(options.iceServers)) throw new Error('--ice-servers must be a JSON array');
  return options;
}

async function run(options, h) {
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: chromiumArgs() });
  try {
    const page = await (await browser.newContext()).newPage();
    await h.step('open the page', () => page.goto(options.url));
    const outcome = await h.step('gather relay candidates', () => page.evaluate(({ iceServers, timeoutMs }) => new Promise((resolve, reject) => {
      const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
      const relayCandidates = [];
      const errors = [];
      const timer = setTimeout(() => reject(new Error(`ICE gathering did not complete within ${timeoutMs} ms`)), timeoutMs);
      pc.onicecandidate = (e) => {
        if (e.candidate) {
          relayCandidates.push({ type: e.candidate.type, address: e.candidate.address, port: e.candidate.port, protocol: e.candidate.protocol });
          return;
        }
        clearTimeout(timer);
        pc.close();
        resolve({ relayCandidates, errors });
      };
      pc.onicecandidateerror = (e) => errors.push({ url: e.url, errorCode: e.errorCode, errorText: e.errorText });
      pc.createDataChannel('probe');
      pc.createOffer().then((offer) => pc.setLocalDescription(offer)).catch(reject);
    }), { iceServers: options.iceServers, timeoutMs: options.stepTimeoutMs }));
    return { ok: true, label: options.label, ...outcome, timings: h.timings };
  } finally {
    await browser.close();
  }
}

main(parseArgs, run);
