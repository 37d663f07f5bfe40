// A call between two headless Chromium pages of the page in web/ whose server hands out TURN
// credentials and iceTransportPolicy "relay" (/signaling/config): every path must go through the
// TURN server. Each page's RTCPeerConnections are watched from an init script (no change to the
// page): the configuration they were built with, ICE candidate errors, and, once in the call, the
// selected candidate pair from getStats().
//
// --expect relay    the call connects, both remote videos play, and both pages' selected pairs are
//                   relay candidates on both ends.
// --expect refused  the TURN server refuses the credentials (the server's secret is wrong): both
//                   pages report TURN error 401, no relay candidate, and the call fails with the
//                   page's "could not connect" message on both sides.
//
// Usage: node browser-turn-call.js --url http://127.0.0.1:PORT/ --artifacts DIR --expect relay|refused
//          [--label NAME] [--chromium /usr/bin/chromium] [--step-timeout-ms 20000]
// Prints one JSON line ({"ok":true,...} or {"ok":false,"step":...,"error":...}); exit code 0 on
// success, 1 on a failed check, 2 on bad arguments.
'use strict';
const { chromium } = require('playwright-core');
const { chromiumArgs, parseOptions, main } = require('./browser-harness');

function parseArgs(argv) {
  const options = parseOptions(argv, { names: { '--expect': 'expect' }, defaults: { label: 'turn-call' } });
  if (!['relay', 'refused'].includes(options.expect)) throw new Error('--expect must be relay or refused');
  return options;
}

// Runs in each page before its scripts: keeps every RTCPeerConnection the page makes, with what
// it was configured with, the candidates it gathered and the errors ICE reported.
function watchPeerConnections() {
  const Native = window.RTCPeerConnection;
  const watched = [];
  window.__watchedPeerConnections = watched;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration, ...rest) {
      super(configuration, ...rest);
      const entry = { pc: this, configuration: JSON.parse(JSON.stringify(configuration ?? {})), candidates: [], errors: [] };
      watched.push(entry);
      this.addEventListener('icecandidate', (e) => { if (e.candidate) entry.candidates.push(e.candidate.type); });
      this.addEventListener('icecandidateerror', (e) => entry.errors.push({ url: e.url, errorCode: e.errorCode, errorText: e.errorText }));
    }
  };
}

// What a page's last peer connection did: its configuration (credentials reduced to their shape),
// candidate types, ICE errors and, when connected, the selected pair's two candidates.
function peerConnectionReport(p) {
  return p.page.evaluate(async () => {
    const entry = window.__watchedPeerConnections.at(-1);
    if (!entry) return null;
    const report = {
      iceTransportPolicy: entry.pc.getConfiguration().iceTransportPolicy,
      iceServers: entry.configuration.iceServers ?? [],
      candidates: entry.candidates,
      errors: entry.errors,
      selected: null,
    };
    if (entry.pc.connectionState === 'closed') return report;
    const stats = await entry.pc.getStats();
    for (const s of stats.values()) {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
      const pair = stats.get(s.selectedCandidatePairId);
      const side = (id) => {
        const c = stats.get(id);
        return { candidateType: c.candidateType, protocol: c.protocol, address: c.address, port: c.port, relayProtocol: c.relayProtocol ?? null, url: c.url ?? null };
      };
      report.selected = { state: pair.state, bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived, local: side(pair.localCandidateId), remote: side(pair.remoteCandidateId) };
    }
    return report;
  });
}

function checkConfiguration(name, report) {
  if (!report) throw new Error(`${name}'s page made no RTCPeerConnection`);
  if (report.iceTransportPolicy !== 'relay') throw new Error(`${name}'s RTCPeerConnection has iceTransportPolicy ${report.iceTransportPolicy}, not the server's "relay"`);
  const turn = report.iceServers.find((s) => [].concat(s.urls).some((u) => u.startsWith('turn:')));
  if (!turn || !/^\d+:[A-Za-z0-9_-]+$/.test(turn.username ?? '') || !turn.credential) {
    throw new Error(`${name}'s RTCPeerConnection has no TURN server with REST credentials: ${JSON.stringify(report.iceServers)}`);
  }
  return turn.username;
}

async function run(options, h) {
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: chromiumArgs() });
  const alice = await h.openParticipant(browser, 'Alice');
  const bob = await h.openParticipant(browser, 'Bob');
  const reports = {};
  try {
    for (const p of [alice, bob]) await p.context.addInitScript(watchPeerConnections);
    await h.step('open the page', () => Promise.all([h.openPage(alice), h.openPage(bob)]));
    await h.step('go online', async () => {
      await h.goOnline(alice);
      await h.goOnline(bob);
      await h.waitPeople(alice, ['Alice', 'Bob']);
    });
    await h.step('Bob accepts the call', async () => {
      await h.placeCall(alice, bob);
      await bob.page.click('#accept');
    });
    if (options.expect === 'relay') {
      await h.step('the call connects', async () => {
        await h.waitState(alice, 'in-call');
        await h.waitState(bob, 'in-call');
      });
      const video = await h.step('both remote videos play', async () => {
        const [a, b] = await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
        return { alice: a.presentedFrames, bob: b.presentedFrames };
      });
      await h.screenshot(alice, 'in-call');
      await h.step('both selected candidate pairs are relayed', async () => {
        for (const p of [alice, bob]) {
          const report = await peerConnectionReport(p);
          reports[p.name.toLowerCase()] = report;
          checkConfiguration(p.name, report);
          const pair = report.selected;
          if (!pair || pair.state !== 'succeeded') throw new Error(`${p.name} has no succeeded selected pair: ${JSON.stringify(report)}`);
          if (pair.local.candidateType !== 'relay' || pair.remote.candidateType !== 'relay') {
            throw new Error(`${p.name}'s selected pair is ${pair.local.candidateType} → ${pair.remote.candidateType}, not relay → relay: ${JSON.stringify(pair)}`);
          }
          if (report.candidates.some((t) => t !== 'relay')) throw new Error(`${p.name} gathered non-relay candidates: ${report.candidates}`);
        }
        if (reports.alice.iceServers[0]?.username === reports.bob.iceServers[0]?.username) {
          throw new Error('Alice and Bob were handed the same TURN username; each request must get its own');
        }
      });
      return { ok: true, label: options.label, video, peerConnections: reports, timings: h.timings, screenshots: h.screenshots };
    }
    await h.step('the TURN server refuses the credentials', async () => {
      for (const p of [alice, bob]) {
        await h.waitIn(p, 'an ICE candidate error 401 from the TURN server', () => {
          const entry = window.__watchedPeerConnections.at(-1);
          return entry && entry.errors.some((e) => e.errorCode === 401);
        });
      }
    });
    await h.step('the call fails on both sides', async () => {
      for (const p of [alice, bob]) {
        await h.waitIn(p, 'the call ending without connecting', () => document.body.dataset.state === 'idle');
      }
      await h.waitMessage(alice, 'could not connect');
      await h.waitMessage(bob, 'could not connect');
    });
    await h.screenshot(alice, 'refused');
    for (const p of [alice, bob]) {
      const report = await peerConnectionReport(p);
      reports[p.name.toLowerCase()] = report;
      checkConfiguration(p.name, report);
      if (report.candidates.length) throw new Error(`${p.name} gathered candidates although TURN refused it: ${report.candidates}`);
    }
    return { ok: true, label: options.label, peerConnections: reports, timings: h.timings, screenshots: h.screenshots };
  } catch (error) {
    return { ...(await h.failure(error, [alice, bob])), peerConnections: reports };
  } finally {
    await browser.close();
  }
}

main(parseArgs, run);
