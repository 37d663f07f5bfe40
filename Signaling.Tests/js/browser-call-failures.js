// Drives headless Chromium pages of the page in web/ into the calls that cannot happen, through
// the server under test, and checks the exact words each person is shown, and that both pages
// are usable again afterwards (they can call, or be called, once more).
//
// Cases (--case):
//   busy            Alice and Bob are in a call; Carol calls Alice: Carol is told Alice is busy,
//                   Alice's call with Bob goes on (video still plays).
//   camera-denied   Bob's browser denies the camera and microphone (Chromium without the fake
//                   permission UI, nothing granted: headless Chromium refuses the request itself).
//   camera-missing  Bob's browser has no camera and no microphone (Chromium without fake devices,
//                   on a machine without any; a desktop's sound server is hidden from it).
//                   In both camera cases Bob fails as the callee (on Accept) and then as the
//                   caller, where his camera opens before Alice's page is rung, so it never rings.
//   peer-leaves     Bob closes his page during an established call.
//   peer-crashes    Bob's page crashes during an established call (no chance to say goodbye).
//   peer-left-unseen  Alice calls Bob just after he left, before her page has the server's new
//                   list: the server answers the call with `signaling error` (unknown-target)
//                   right after that list. What reaches Alice's page is held back for that moment
//                   (Playwright's WebSocket route), then passed on unchanged and in order.
//
// Usage: node browser-call-failures.js --url http://127.0.0.1:PORT/ --artifacts DIR --case NAME
//          [--label NAME] [--chromium /usr/bin/chromium] [--step-timeout-ms 20000]
// Prints one JSON line ({"ok":true,...} or {"ok":false,"step":...,"error":...}); exit code 0 on
// success, 1 on a failed check, 2 on bad arguments.
'use strict';
const { chromium } = require('playwright-core');
const { chromiumArgs, parseOptions, main } = require('./browser-harness');

// The page's words, written out here on purpose: a change to the page's text must fail a test.
const DENIED = 'Camera and microphone access was denied. Allow it for this site in the browser settings, then try again.';
const MISSING = 'No camera or microphone was found. Connect one and try again.';
const peerCameraFailed = (name) => `${name}'s camera could not start, so the call was cancelled.`;

const CASES = {
  busy,
  'camera-denied': (options, h) => cameraFails(options, h, {
    // The fake devices stay, so the only thing in the way is the permission the browser refuses.
    bobArgs: chromiumArgs({ fakeUi: false, extra: ['--deny-permission-prompts'] }),
    bobMustHave: (media) => {
      const kinds = media.devices.map((d) => d.kind);
      if (!kinds.includes('audioinput') || !kinds.includes('videoinput') || media.camera === 'granted' || media.microphone === 'granted') {
        throw new Error(`Bob's Chromium should have a (fake) camera and microphone and not grant them, but reports ${JSON.stringify(media)}`);
      }
    },
    bobMessage: DENIED,
  }),
  'camera-missing': (options, h) => cameraFails(options, h, {
    // Granted without asking, so the only thing in the way is that there is no device.
    bobArgs: chromiumArgs({ fakeDevices: false }),
    // A desktop's sound server (PulseAudio, or PipeWire's stand-in for it) offers a microphone
    // even without one plugged in; pointing Chromium at a server that does not exist hides it.
    bobEnv: { PULSE_SERVER: 'unix:/nonexistent/no-sound-server' },
    // Anything else the machine has (a webcam, bare ALSA hardware) Chromium would still see: then
    // the case fails at once naming those devices, not later on a message the page cannot show.
    bobMustHave: (media) => {
      const devices = media.devices.filter((d) => d.kind === 'audioinput' || d.kind === 'videoinput');
      if (devices.length) throw new Error(`Bob's Chromium runs without fake devices so that it has no camera and no microphone, but on this machine it sees ${JSON.stringify(devices)}`);
    },
    bobMessage: MISSING,
  }),
  'peer-leaves': (options, h) => peerGoes(options, h, {
    how: 'Bob closes his page',
    // Closing runs the page's pagehide handler, which tells Alice before the socket goes.
    go: (bob) => bob.page.close(),
    aliceMessage: 'Bob left, so the call ended.',
  }),
  'peer-crashes': (options, h) => peerGoes(options, h, {
    how: 'Bob\'s page crashes',
    // No pagehide: Alice learns it from the server's list, once Bob's connection is gone.
    go: async (bob) => {
      const session = await bob.context.newCDPSession(bob.page);
      // The reply never comes: the renderer that would send it is gone.
      session.send('Page.crash').catch(() => {});
      await new Promise((resolve) => bob.page.once('crash', resolve));
    },
    aliceMessage: 'Bob went offline, so the call ended.',
  }),
  'peer-left-unseen': peerLeftUnseen,
};

function parseArgs(argv) {
  const options = parseOptions(argv, { names: { '--case': 'case' } });
  if (!CASES[options.case]) throw new Error(`--case must be one of ${Object.keys(CASES).join(', ')}`);
  options.label ??= options.case;
  return options;
}

// ---- checks shared by the cases ----

function pageChecks(h) {
  // The page settles in `state` showing a message: its text and kind must be exactly these.
  async function expectMessage(p, state, text, kind = 'error') {
    await h.waitIn(p, `state "${state}" with a message`, (s) =>
      document.body.dataset.state === s && !document.getElementById('message').hidden, state);
    const shown = await p.page.evaluate(() => {
      const m = document.getElementById('message');
      return { text: m.textContent, kind: m.dataset.kind ?? null };
    });
    if (shown.text !== text || shown.kind !== kind) {
      throw new Error(`${p.name} was shown ${JSON.stringify(shown)}, expected ${JSON.stringify({ text, kind })}`);
    }
  }

  // Back at rest: online, these people listed, the status line saying so, and nothing of a call
  // left over (the page clears all of it before it shows the new state).
  async function expectIdle(p, names) {
    await h.waitState(p, 'idle');
    await h.waitPeople(p, names);
    const status = names.length > 1 ? `Online as ${p.name}. Pick someone to call.` : `Online as ${p.name}. Nobody else is online yet.`;
    await h.waitIn(p, `status "${status}"`, (s) => document.getElementById('status').textContent === s, status);
    const leftOver = await p.page.evaluate(() => Object.entries({
      'local video': Boolean(document.getElementById('local-video').srcObject),
      'remote video': Boolean(document.getElementById('remote-video').srcObject),
      'incoming call box': !document.getElementById('incoming').hidden,
      'hang-up button': !document.getElementById('hangup').hidden,
      'no call button': document.getElementById('call').hidden,
    }).filter(([, shown]) => shown).map(([what]) => what));
    if (leftOver.length) throw new Error(`${p.name} is idle but still shows: ${leftOver.join(', ')}`);
  }

  // A call that gets through: rings, is accepted, connects, and shows the other side's video.
  async function connect(caller, callee) {
    await h.placeCall(caller, callee);
    await callee.page.click('#accept');
    for (const [p, other] of [[caller, callee], [callee, caller]]) {
      await h.waitState(p, 'in-call');
      await h.waitIn(p, `status "In a call with ${other.name}."`, (s) => document.getElementById('status').textContent === s, `In a call with ${other.name}.`);
    }
    await Promise.all([h.remoteVideoPlays(caller), h.remoteVideoPlays(callee)]);
  }

  async function hangUp(p, other, names) {
    await p.page.click('#hangup');
    await expectMessage(p, 'idle', 'Call ended.', 'info');
    await expectMessage(other, 'idle', `${p.name} hung up.`, 'info');
    await expectIdle(p, names);
    await expectIdle(other, names);
  }

  async function expectInCall(p, other) {
    await h.waitIn(p, `still in the call with ${other.name}, no message`, (n) =>
      document.body.dataset.state === 'in-call'
        && document.getElementById('status').textContent === `In a call with ${n}.`
        && document.getElementById('message').hidden
        && document.getElementById('incoming').hidden
        && document.querySelector('#people li[data-in-call="true"]')?.dataset.name === n, other.name);
  }

  return { expectMessage, expectIdle, connect, hangUp, expectInCall };
}

async function online(h, participants) {
  const names = participants.map((p) => p.name);
  await h.step('open the page', () => Promise.all(participants.map((p) => h.openPage(p))));
  await h.step('go online', async () => {
    for (const p of participants) await h.goOnline(p);
    for (const p of participants) await h.waitPeople(p, names);
  });
  return names;
}

// What the browser offers Bob's page before any call: the evidence for the camera cases.
function mediaReport(p) {
  return p.page.evaluate(async () => {
    const permission = async (name) => {
      try {
        return (await navigator.permissions.query({ name })).state;
      } catch (error) {
        return `unknown (${error.message})`;
      }
    };
    return {
      devices: (await navigator.mediaDevices.enumerateDevices()).map((d) => ({ kind: d.kind, label: d.label })),
      camera: await permission('camera'),
      microphone: await permission('microphone'),
    };
  });
}

// Counts, in the page, each time the incoming-call box appears from now on.
function countIncomingCalls(p) {
  return p.page.evaluate(() => {
    window.incomingCallsShown = 0;
    const box = document.getElementById('incoming');
    new MutationObserver(() => { if (!box.hidden) window.incomingCallsShown++; })
      .observe(box, { attributes: true, attributeFilter: ['hidden'] });
  });
}

// ---- the cases ----

// Runs a case's steps with its people online, each in a browser context of their own, all in one
// Chromium except Bob when `bob` gives his Chromium's switches and environment; `prepare` runs on
// the people before their pages open. The steps get the checks and the people, and return what
// goes into the result besides ok, timings and screenshots.
async function withPeople(options, h, { names, bob = null, prepare = async () => {} }, steps) {
  const launch = (args, env) => chromium.launch({ executablePath: options.chromium, headless: true, args, env });
  const browsers = [await launch(chromiumArgs())];
  try {
    if (bob) browsers.push(await launch(bob.args, { ...process.env, ...bob.env }));
    const people = [];
    for (const name of names) people.push(await h.openParticipant(name === 'Bob' ? browsers.at(-1) : browsers[0], name));
    try {
      await prepare(...people);
      await online(h, people);
      const extra = await steps(pageChecks(h), ...people);
      return { ok: true, label: options.label, url: options.url, ...extra, timings: h.timings, screenshots: h.screenshots };
    } catch (error) {
      return await h.failure(error, people);
    }
  } finally {
    for (const browser of browsers) await browser.close();
  }
}

function busy(options, h) {
  const names = ['Alice', 'Bob', 'Carol'];
  return withPeople(options, h, { names }, async (c, alice, bob, carol) => {
    await h.step('Alice calls Bob and he accepts', () => c.connect(alice, bob));
    await h.step('Carol calls Alice, who is busy', async () => {
      await carol.page.click('#people li[data-name="Alice"] button');
      await carol.page.click('#call');
      await c.expectMessage(carol, 'idle', 'Alice is busy in another call.');
      await c.expectIdle(carol, names);
    });
    await h.screenshot(carol, 'busy');
    await h.step('Alice and Bob are still in their call', async () => {
      await c.expectInCall(alice, bob);
      await c.expectInCall(bob, alice);
      await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
    });
    await h.screenshot(alice, 'still-in-call');
    await h.step('Alice hangs up', () => c.hangUp(alice, bob, names));
    await h.step('Carol calls Alice again and gets through', async () => {
      await c.connect(carol, alice);
      await c.hangUp(carol, alice, names);
    });
    return {};
  });
}

function cameraFails(options, h, { bobArgs, bobEnv = {}, bobMustHave, bobMessage }) {
  const names = ['Alice', 'Bob'];
  return withPeople(options, h, { names, bob: { args: bobArgs, env: bobEnv } }, async (c, alice, bob) => {
    const bothFail = async () => {
      await c.expectMessage(bob, 'idle', bobMessage);
      await c.expectMessage(alice, 'idle', peerCameraFailed('Bob'));
    };
    const bobMedia = await h.step('what Bob\'s browser offers', async () => {
      const media = await mediaReport(bob);
      bobMustHave(media);
      return media;
    });
    await h.step('Bob accepts Alice\'s call; his camera fails', async () => {
      await h.placeCall(alice, bob);
      await bob.page.click('#accept');
      await bothFail();
    });
    await h.screenshot(bob, 'callee-camera-failed');
    await h.screenshot(alice, 'callee-camera-failed');
    await h.step('both are idle again', async () => {
      await c.expectIdle(alice, names);
      await c.expectIdle(bob, names);
    });
    await h.step('Bob calls Alice; his camera fails before her page rings', async () => {
      await countIncomingCalls(alice);
      await bob.page.click('#people li[data-name="Alice"] button');
      await bob.page.click('#call');
      await c.expectMessage(bob, 'idle', bobMessage);
      await c.expectIdle(bob, names);
      await c.expectIdle(alice, names);
    });
    await h.screenshot(bob, 'caller-camera-failed');
    await h.step('Alice calls Bob again; he declines', async () => {
      await h.placeCall(alice, bob);
      await bob.page.click('#decline');
      await c.expectMessage(alice, 'idle', 'Bob declined the call.');
      await c.expectIdle(alice, names);
      await c.expectIdle(bob, names);
      // Bob's "declined" left his page after anything it sent before, and the server keeps one
      // sender's order: had Bob's failed call reached Alice, it would have rung before now.
      const rang = await alice.page.evaluate(() => window.incomingCallsShown);
      if (rang !== 0) throw new Error(`Bob's call rang on Alice's page ${rang} time(s) although his camera had failed`);
    });
    return { bobMedia };
  });
}

function peerGoes(options, h, { how, go, aliceMessage }) {
  const names = ['Alice', 'Bob'];
  return withPeople(options, h, { names }, async (c, alice, bob) => {
    await h.step('Alice calls Bob and he accepts', () => c.connect(alice, bob));
    await h.step(how, async () => {
      await go(bob);
      bob.closed = true;
      await c.expectMessage(alice, 'idle', aliceMessage);
      await c.expectIdle(alice, ['Alice']);
    });
    await h.screenshot(alice, 'peer-gone');
    await h.step('Bob comes back in a new page and Alice calls him', () => comesBack(h, c, alice, bob, names));
    return {};
  });
}

// Bob opens the page again (same browser context) and Alice's call to him gets through.
async function comesBack(h, c, alice, bob, names) {
  if (!bob.page.isClosed()) await bob.page.close();
  bob.page = await bob.context.newPage();
  bob.closed = false;
  await h.watchPage(bob);
  await h.openPage(bob);
  await h.goOnline(bob);
  await c.connect(alice, bob);
  await c.hangUp(alice, bob, names);
}

// Passes a page's WebSocket traffic through unchanged, and can hold back what the server sends
// the page (in order) until released: the page then sees the server's messages late, as on a
// slow network, never changed or reordered.
async function holdableWebSocket(page) {
  const relay = { upgraded: false, holding: false, held: [], toPage: null, watchers: [] };
  const notify = () => { relay.watchers = relay.watchers.filter((w) => !w()); };
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      // Engine.IO's upgrade packet: from here on everything goes over this WebSocket.
      if (message === '5') relay.upgraded = true;
      server.send(message);
      notify();
    });
    server.onMessage((message) => {
      if (relay.holding) relay.held.push(message);
      else ws.send(message);
      notify();
    });
    relay.toPage = (message) => ws.send(message);
  });
  // Resolves once `condition()` holds (checked on every message either way).
  relay.until = (what, condition, timeoutMs) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms; held ${JSON.stringify(relay.held)}`)), timeoutMs);
    const check = () => {
      if (!condition()) return false;
      clearTimeout(timer);
      resolve();
      return true;
    };
    if (!check()) relay.watchers.push(check);
  });
  relay.release = () => {
    relay.holding = false;
    for (const message of relay.held.splice(0)) relay.toPage(message);
  };
  return relay;
}

function peerLeftUnseen(options, h) {
  const names = ['Alice', 'Bob'];
  let relay;
  const prepare = async (alice) => { relay = await holdableWebSocket(alice.page); };
  return withPeople(options, h, { names, prepare }, async (c, alice, bob) => {
    await h.step('Alice\'s page is on its WebSocket', () =>
      relay.until('the upgrade to WebSocket', () => relay.upgraded, options.stepTimeoutMs));
    await h.step('Bob leaves; Alice\'s page does not know yet', async () => {
      await alice.page.click('#people li[data-name="Bob"] button');
      relay.holding = true;
      await bob.page.close();
      bob.closed = true;
      await relay.until('the server\'s list without Bob', () => relay.held.some((m) => String(m).includes('"online"')), options.stepTimeoutMs);
      await c.expectIdle(alice, names);
    });
    const heldForAlice = await h.step('Alice calls Bob; the server cannot deliver it', async () => {
      await alice.page.click('#call');
      await h.waitState(alice, 'calling');
      await relay.until('the server\'s signaling error', () => relay.held.some((m) => String(m).includes('"signaling error"')), options.stepTimeoutMs);
      const held = relay.held.map(String);
      relay.release();
      await c.expectMessage(alice, 'idle', 'Bob went offline, so the call ended.');
      await c.expectIdle(alice, ['Alice']);
      return held;
    });
    await h.screenshot(alice, 'peer-gone');
    await h.step('Bob comes back in a new page and Alice calls him', () => comesBack(h, c, alice, bob, names));
    return { heldForAlice };
  });
}

main(parseArgs, (options, h) => CASES[options.case](options, h));
