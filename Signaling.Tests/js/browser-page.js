// Drives the page in web/ through what a person sees and hears around a call, through the server
// under test, one case per run:
//   call-features  Alice calls Bob: her page rings back and shows whom it calls, his rings and shows
//                  the incoming call over the video (both heard through a tap on WebAudio's output);
//                  she cancels: his page says so and stops ringing. She calls again and he accepts:
//                  the rings stop. Each side mutes (the other's inbound audio energy drops to
//                  nothing) and turns the camera off (the other's frames turn black), and back.
//                  --firefox-b PATH runs Bob's page in that Firefox.
//   busy-names     Alice, Bob, Carol and two people called Sam: the Sams are told apart; while
//                  Alice and Bob are in a call Carol's list shows both busy; Carol calls the
//                  second Sam by his tag and only his page rings.
//   narrow         Alice and Bob on 375×667 screens with 20 more people online: the list scrolls
//                  by itself, the incoming call's buttons, the video and the call controls stay on
//                  screen, also with the page scrolled to its end.
//   signaling-cut  Alice and Bob in a call; Bob's connection to the server is cut (his WebSocket
//                  closed, every new attempt refused) and comes back: the video plays on
//                  throughout, both say what is going on, then list each other again; an ICE
//                  restart after it goes through the new connection; a hang-up ends it on both.
//                  --expect-recovery yes: Bob's client recovers its session (4.x on a server with
//                  recovery): same id, Alice's list keeps him. no: he comes back under a new id
//                  (e.g. --client-override-b with the 1.x client), which his page tells Alice's.
//   server-restart Alice and Bob in a call; the test restarts the server (--server-pid: this
//                  script sends it SIGTERM once the call is up, and the test starts a new server on
//                  the same port): the video plays on throughout, both pages say they are
//                  reconnecting, then list each other again under new ids; a hang-up ends it on both.
//   insecure       The page opened over plain HTTP under a name other than localhost
//                  (http://insecure.test:PORT/, mapped to the server): it says so up front.
//
// Usage: node browser-page.js --url http://127.0.0.1:PORT/ --artifacts DIR --case NAME
//          [--label NAME] [--chromium /usr/bin/chromium] [--step-timeout-ms 20000] [--firefox-b PATH]
// Prints one JSON line ({"ok":true,...} or {"ok":false,"step":...,"error":...}); exit code 0 on
// success, 1 on a failed check, 2 on bad arguments.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { chromiumArgs, parseOptions, main, openFirefoxParticipant } = require('./browser-harness');
const { PAGE_PROBE, audioEnergy, ringLevel, liveOscillators, remoteLuma, boxesOnScreen } = require('./page-probe');

const NARROW = { width: 375, height: 667 };

const CASES = { 'call-features': callFeatures, 'busy-names': busyNames, narrow, insecure, 'signaling-cut': signalingCut, 'server-restart': serverRestart };

function parseArgs(argv) {
  const options = parseOptions(argv, { names: { '--case': 'case', '--firefox-b': 'firefoxB', '--client-override-b': 'overrideB', '--expect-recovery': 'expectRecovery', '--server-pid': 'serverPid' } });
  if (options.case === 'server-restart' && !/^\d+$/.test(options.serverPid ?? '')) throw new Error('--case server-restart needs --server-pid');
  if (options.expectRecovery && !['yes', 'no'].includes(options.expectRecovery)) throw new Error('--expect-recovery must be yes or no');
  if (!CASES[options.case]) throw new Error(`--case must be one of ${Object.keys(CASES).join(', ')}`);
  if (options.firefoxB && !fs.existsSync(options.firefoxB)) throw new Error(`file not found: ${options.firefoxB}`);
  options.label ??= options.case;
  return options;
}

// Runs `steps` with these people online, each in a browser context of its own in one Chromium
// (Bob in Firefox with --firefox-b), and returns the result line.
async function withPeople(options, h, { names, viewport, args = chromiumArgs(), online = true, prepare = async () => {} }, steps) {
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args });
  const people = [];
  const firefoxes = [];
  try {
    for (const name of names) {
      if (name === 'Bob' && options.firefoxB) {
        const bob = await openFirefoxParticipant(options.firefoxB, name, { viewport, initScript: PAGE_PROBE });
        firefoxes.push(bob.context);
        bob.noAudioOutput = !await canPlayAudio(bob);
        people.push(bob);
      } else {
        const override = name === 'Bob' ? options.overrideB : undefined;
        people.push(await h.openParticipant(browser, name, { viewport, initScript: PAGE_PROBE, override }));
      }
    }
    try {
      await prepare(...people);
      if (online) await goOnline(h, people);
      const extra = await steps(...people);
      return { ok: true, label: options.label, url: options.url, ...extra, timings: h.timings, screenshots: h.screenshots };
    } catch (error) {
      return await h.failure(error, people);
    }
  } finally {
    for (const firefox of firefoxes) await firefox.close();
    await browser.close();
  }
}

// Whether an AudioContext of this browser runs at all (it cannot without an output device).
async function canPlayAudio(p) {
  await p.page.goto('about:blank');
  return p.page.evaluate(async () => {
    const ctx = new AudioContext();
    await Promise.race([ctx.resume(), new Promise((resolve) => setTimeout(resolve, 1000))]);
    const running = ctx.state === 'running';
    await ctx.close();
    return running;
  });
}

async function goOnline(h, people) {
  const names = people.map((p) => p.name);
  await h.step('open the page', () => Promise.all(people.map((p) => h.openPage(p))));
  await h.step('go online', async () => {
    for (const p of people) await h.goOnline(p);
    for (const p of people) await h.waitPeople(p, names);
  });
}

function text(p, selector) {
  return p.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
}

async function expectShown(h, p, state, message, kind) {
  await h.waitIn(p, `state "${state}" with the message "${message}" (${kind})`, ({ state, message, kind }) => {
    const m = document.getElementById('message');
    return document.body.dataset.state === state && !m.hidden && m.textContent === message && m.dataset.kind === kind;
  }, { state, message, kind });
}

// ---- call-features ----

// Heard: WebAudio's output reaches a loud enough peak within one period of the ring. Firefox on a
// machine without a sound device (a build machine) can run no AudioContext at all; there the
// ring's oscillators must run, and that it is heard rests on the Chromium runs.
async function ringsAudibly(h, p, kind) {
  await h.waitIn(p, `the ${kind} ring`, (k) => document.body.dataset.ring === k, kind);
  const live = await liveOscillators(p);
  if (!(live > 0)) throw new Error(`${p.name}'s ${kind} ring runs no oscillator`);
  if (p.noAudioOutput) return { live, heard: 'not checked: this Firefox has no audio output device' };
  const level = await ringLevel(p, kind === 'incoming' ? 2500 : 3500);
  if (!(level.peak > 0.02)) throw new Error(`${p.name}'s ${kind} ring is not heard: ${JSON.stringify(level)}`);
  return { live, ...level };
}

async function ringIsSilent(h, p) {
  await h.waitIn(p, 'no ring', () => !document.body.dataset.ring);
  const live = await liveOscillators(p);
  const level = p.noAudioOutput ? { peak: 0 } : await ringLevel(p, 600);
  if (live !== 0 || level.peak > 0.001) throw new Error(`${p.name}'s ring goes on: ${live} oscillators running, ${JSON.stringify(level)}`);
}

// The overlay lies on the remote video's area, and its buttons (if any) on screen.
async function overlayOnVideo(p, selector) {
  const boxes = await p.page.evaluate((s) => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
    return { overlay: box(document.querySelector(s)), video: box(document.querySelector('.video.remote')) };
  }, selector);
  const { overlay, video } = boxes;
  const inside = overlay.left >= video.left - 1 && overlay.right <= video.right + 1 && overlay.top >= video.top - 1 && overlay.bottom <= video.bottom + 1;
  if (!inside || overlay.right - overlay.left < 100) throw new Error(`${p.name}: ${selector} is not over the video: ${JSON.stringify(boxes)}`);
}

async function mutingSilences(h, speaker, listener) {
  const before = await audioEnergy(listener, 2000);
  if (!(before.energy > before.threshold)) throw new Error(`${listener.name} hears nothing from ${speaker.name} before muting: ${JSON.stringify(before)}`);
  await speaker.page.click('#mute');
  await h.waitIn(speaker, 'the microphone muted', () => document.getElementById('mute').getAttribute('aria-pressed') === 'true'
    && document.getElementById('local-video').srcObject.getAudioTracks().every((t) => !t.enabled));
  await h.waitIn(listener, `"${speaker.name} is muted" shown`, (n) => document.getElementById('remote-media').textContent.includes(`${n} is muted`), speaker.name);
  // What was already under way drains first; then two seconds must be (near) silent.
  const muted = await audioEnergy(listener, 2000, { after: 800 });
  if (!(muted.energy < before.energy / 100)) throw new Error(`${listener.name} still hears ${speaker.name} after muting: ${JSON.stringify({ before, muted })}`);
  await speaker.page.click('#mute');
  await h.waitIn(listener, 'the muted note gone', () => document.getElementById('remote-media').hidden);
  const again = await audioEnergy(listener, 2000, { after: 500 });
  if (!(again.energy > again.threshold)) throw new Error(`${listener.name} hears nothing once ${speaker.name} unmuted: ${JSON.stringify(again)}`);
  return { before, muted, again };
}

async function cameraOffBlanks(h, speaker, listener) {
  const before = await remoteLuma(listener);
  if (!(before > 40)) throw new Error(`${listener.name}'s picture of ${speaker.name} is dark before the camera goes off (luma ${before})`);
  await speaker.page.click('#camera');
  await h.waitIn(listener, `"${speaker.name}'s camera is off" shown`, (n) => document.getElementById('remote-media').textContent.includes(`${n}'s camera is off`), speaker.name);
  // Black frames, not just a hidden picture: the camera's image no longer leaves the sender.
  await h.waitIn(listener, 'black frames from the other side', () => window.pageProbe.lumaOf(document.getElementById('remote-video')) < 16);
  await h.screenshot(speaker, 'camera-off-sender');
  await h.screenshot(listener, 'camera-off-receiver');
  await speaker.page.click('#camera');
  await h.waitIn(listener, 'the picture back', () => window.pageProbe.lumaOf(document.getElementById('remote-video')) > 40);
  return { before };
}

function callFeatures(options, h) {
  return withPeople(options, h, { names: ['Alice', 'Bob'] }, async (alice, bob) => {
    const secure = await alice.page.evaluate(() => ({ secure: window.isSecureContext, hint: !document.getElementById('secure-hint').hidden }));
    if (!secure.secure || secure.hint) throw new Error(`the page on 127.0.0.1 should be a secure context without the notice: ${JSON.stringify(secure)}`);

    const rings = await h.step('Alice calls Bob: both pages ring', async () => {
      await alice.page.click('#people li[data-name="Bob"] button');
      await alice.page.click('#call');
      await h.waitIn(bob, 'the incoming-call overlay', () => !document.getElementById('incoming').hidden);
      await h.waitIn(alice, 'the ringing overlay, a Cancel button and her own camera', () =>
        document.body.dataset.state === 'calling' && !document.getElementById('outgoing').hidden
          && document.getElementById('outgoing-text').textContent === 'Calling Bob… ringing'
          && document.getElementById('hangup').textContent === 'Cancel'
          && document.getElementById('local-video').srcObject?.active);
      await overlayOnVideo(bob, '#incoming');
      await overlayOnVideo(alice, '#outgoing');
      const levels = { bob: await ringsAudibly(h, bob, 'incoming'), alice: await ringsAudibly(h, alice, 'outgoing') };
      await h.screenshot(alice, 'ringing');
      await h.screenshot(bob, 'incoming');
      return levels;
    });
    await h.step('Alice cancels: Bob reads "cancelled" and his ring stops', async () => {
      await alice.page.click('#hangup');
      await expectShown(h, alice, 'idle', 'Call cancelled.', 'info');
      await expectShown(h, bob, 'idle', 'Alice cancelled the call.', 'info');
      await h.waitIn(bob, 'the overlay gone', () => document.getElementById('incoming').hidden);
      await ringIsSilent(h, bob);
      await ringIsSilent(h, alice);
    });
    await h.screenshot(bob, 'cancelled');
    await h.step('Alice calls again and Bob accepts: the rings stop', async () => {
      await h.placeCall(alice, bob);
      await ringsAudibly(h, bob, 'incoming');
      await bob.page.click('#accept');
      await h.waitState(alice, 'in-call');
      await h.waitState(bob, 'in-call');
      await ringIsSilent(h, bob);
      await ringIsSilent(h, alice);
      await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
    });
    const mute = {};
    const camera = {};
    for (const [speaker, listener] of [[alice, bob], [bob, alice]]) {
      mute[speaker.name] = await h.step(`${speaker.name} mutes: ${listener.name} hears silence`, () => mutingSilences(h, speaker, listener));
      camera[speaker.name] = await h.step(`${speaker.name}'s camera off: ${listener.name} sees black`, () => cameraOffBlanks(h, speaker, listener));
    }
    await h.screenshot(alice, 'in-call');
    await h.step('Alice hangs up', async () => {
      await alice.page.click('#hangup');
      await expectShown(h, bob, 'idle', 'Alice hung up.', 'info');
    });
    return { rings, mute, camera };
  });
}

// ---- busy-names ----

function busyNames(options, h) {
  return withPeople(options, h, { names: ['Alice', 'Bob', 'Carol', 'Sam', 'Sam'] }, async (alice, bob, carol, sam1, sam2) => {
    const listOf = (p) => p.page.evaluate(() => [...document.querySelectorAll('#people li')].map((li) => ({
      id: li.dataset.id,
      name: li.dataset.name,
      tag: li.querySelector('.id-tag')?.textContent ?? '',
      busy: li.dataset.busy === 'true',
      busyShown: li.querySelector('.tag.busy')?.textContent ?? '',
      hue: li.querySelector('.avatar').style.getPropertyValue('--hue'),
    })));
    const selfId = (p) => p.page.evaluate(() => document.querySelector('#people li[data-self]').dataset.id);
    const tags = await h.step('the two Sams are told apart', async () => {
      const ids = { sam1: await selfId(sam1), sam2: await selfId(sam2) };
      const seen = {};
      for (const p of [carol, sam1, sam2]) {
        const list = await listOf(p);
        const sams = list.filter((x) => x.name === 'Sam');
        const others = list.filter((x) => x.name !== 'Sam');
        if (sams.length !== 2 || !sams.every((x) => /^#[0-9a-z]{4}$/.test(x.tag)) || sams[0].tag === sams[1].tag) {
          throw new Error(`${p.name} cannot tell the Sams apart: ${JSON.stringify(sams)}`);
        }
        if (others.some((x) => x.tag)) throw new Error(`${p.name} tags names that are unique: ${JSON.stringify(others)}`);
        seen[p.name === 'Sam' ? (p === sam1 ? 'sam1' : 'sam2') : 'carol'] = Object.fromEntries(sams.map((x) => [x.id === ids.sam1 ? 'sam1' : 'sam2', x.tag]));
      }
      // Every page shows the same tag for the same person.
      if (new Set(Object.values(seen).map((s) => JSON.stringify(s))).size !== 1) throw new Error(`the tags differ between pages: ${JSON.stringify(seen)}`);
      return { ids, tags: seen.carol };
    });
    await h.screenshot(carol, 'same-names');

    await h.step('Alice and Bob in a call: Carol sees both busy', async () => {
      await h.placeCall(alice, bob);
      await bob.page.click('#accept');
      await h.waitState(alice, 'in-call');
      await h.waitState(bob, 'in-call');
      await h.waitIn(carol, 'Alice and Bob listed as busy, nobody else', () => {
        const busy = [...document.querySelectorAll('#people li')].filter((li) => li.dataset.busy === 'true' && li.querySelector('.tag.busy')?.textContent === 'busy');
        return busy.map((li) => li.dataset.name).sort().join() === 'Alice,Bob';
      });
      // Their own pages mark each other as the call, not as busy.
      await h.waitIn(alice, 'Bob as "in call"', () => document.querySelector('#people li[data-name="Bob"]').dataset.inCall === 'true');
    });
    await h.screenshot(carol, 'busy');

    await h.step('Carol calls the second Sam by his tag: only his page rings', async () => {
      await countIncoming(sam1);
      await carol.page.click(`#people li[data-id="${tags.ids.sam2}"] button`);
      const label = `Call Sam ${tags.tags.sam2}`;
      await h.waitIn(carol, `the call button "${label}"`, (l) => document.getElementById('call').textContent === l, label);
      await carol.page.click('#call');
      await h.waitIn(sam2, 'the incoming call from Carol', () => !document.getElementById('incoming').hidden
        && document.getElementById('incoming-name').textContent === 'Carol');
      const status = await text(carol, '#status');
      if (status !== `Calling Sam ${tags.tags.sam2}…`) throw new Error(`Carol's status is ${JSON.stringify(status)}`);
      await carol.page.click('#hangup');
      await expectShown(h, sam2, 'idle', 'Carol cancelled the call.', 'info');
      const rang = await sam1.page.evaluate(() => window.incomingShown);
      if (rang !== 0) throw new Error(`the first Sam's page rang ${rang} time(s)`);
    });

    await h.step('Alice hangs up: nobody is busy', async () => {
      await alice.page.click('#hangup');
      await h.waitIn(carol, 'no one busy', () => !document.querySelector('#people li[data-busy]'));
    });
    return { tags };
  });
}

function countIncoming(p) {
  return p.page.evaluate(() => {
    window.incomingShown = 0;
    const box = document.getElementById('incoming');
    new MutationObserver(() => { if (!box.hidden) window.incomingShown++; }).observe(box, { attributes: true, attributeFilter: ['hidden'] });
  });
}

// ---- narrow ----

// 20 more people online, each a Socket.IO client in this process (4.x, as the served one).
async function crowd(options, count) {
  const { io } = require('socket.io-client-4');
  const sockets = [];
  for (let i = 1; i <= count; i++) {
    const socket = io(options.url, { transports: ['websocket'], forceNew: true });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.emit('online', `Guest ${String(i).padStart(2, '0')}`);
    sockets.push(socket);
  }
  return sockets;
}

async function onScreen(p, selectors, what) {
  const result = await boxesOnScreen(p, selectors);
  if (result.problems.length) throw new Error(`${p.name} at ${NARROW.width}×${NARROW.height} (${what}): ${result.problems.join('; ')}`);
  return result;
}

function narrow(options, h) {
  let sockets = [];
  return withPeople(options, h, { names: ['Alice', 'Bob'], viewport: NARROW, online: false }, async (alice, bob) => {
    try {
      sockets = await h.step('20 more people online', () => crowd(options, 20));
      await goOnlineAmong(h, [alice, bob], 22);
      await h.step('the list scrolls by itself', async () => {
        const list = await alice.page.evaluate(() => {
          const ul = document.getElementById('people');
          return { overflow: getComputedStyle(ul).overflowY, scrollHeight: ul.scrollHeight, clientHeight: ul.clientHeight };
        });
        if (!['auto', 'scroll'].includes(list.overflow) || !(list.scrollHeight > list.clientHeight + 10)) {
          throw new Error(`Alice's list does not scroll on its own: ${JSON.stringify(list)}`);
        }
      });
      await h.screenshot(alice, 'narrow-idle');
      await h.step('Bob rings: the overlay and its buttons on screen', async () => {
        await h.placeCall(alice, bob);
        await onScreen(bob, ['#incoming', '#accept', '#decline'], 'incoming call');
        await onScreen(alice, ['.video.remote', '#hangup'], 'ringing');
      });
      await h.screenshot(bob, 'narrow-incoming');
      await h.step('in the call: video and controls on screen, page scrolled or not', async () => {
        await bob.page.click('#accept');
        await h.waitState(alice, 'in-call');
        await h.waitState(bob, 'in-call');
        await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
        for (const p of [alice, bob]) await onScreen(p, ['.video.remote', '#mute', '#camera', '#hangup'], 'in a call');
        await h.screenshot(alice, 'narrow-in-call');
        for (const p of [alice, bob]) {
          await p.page.evaluate(() => {
            document.getElementById('people').scrollTop = 1e6;
            window.scrollTo(0, document.documentElement.scrollHeight);
          });
          await onScreen(p, ['.video.remote', '#mute', '#camera', '#hangup'], 'in a call, page scrolled to its end');
        }
        await h.screenshot(alice, 'narrow-in-call-scrolled');
      });
      await h.step('Alice hangs up', async () => {
        await alice.page.click('#hangup');
        await expectShown(h, bob, 'idle', 'Alice hung up.', 'info');
      });
      return {};
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
}

async function goOnlineAmong(h, people, total) {
  await h.step('open the page', () => Promise.all(people.map((p) => h.openPage(p))));
  await h.step('go online', async () => {
    for (const p of people) await h.goOnline(p);
    for (const p of people) {
      await h.waitIn(p, `${total} people listed`, (n) => document.querySelectorAll('#people li').length === n, total);
    }
  });
}

// ---- signaling-cut ----

// Passes the page's Engine.IO traffic through, until cut(): then its WebSockets are closed and
// every new attempt (WebSocket or polling) is refused, until restore().
async function cuttableConnection(page) {
  const line = { cut: false, sockets: new Set() };
  await page.routeWebSocket((url) => url.searchParams.has('EIO'), (ws) => {
    if (line.cut) {
      ws.close();
      return;
    }
    const server = ws.connectToServer();
    const pair = { ws, server };
    line.sockets.add(pair);
    ws.onClose(() => line.sockets.delete(pair));
  });
  await page.route((url) => url.searchParams.has('EIO'), (route) => (line.cut ? route.abort('connectionrefused') : route.continue()));
  line.cutNow = async () => {
    line.cut = true;
    // Both ends: the page sees its transport close, the server its client go.
    for (const { ws, server } of line.sockets) {
      await server.close();
      await ws.close();
    }
  };
  line.restore = () => { line.cut = false; };
  return line;
}

function iceUfrags(p) {
  return p.page.evaluate(() => {
    const pc = window.pageProbe.peerConnections.at(-1);
    const ufrag = (d) => /a=ice-ufrag:(\S+)/.exec(d?.sdp ?? '')?.[1] ?? null;
    return { local: ufrag(pc.localDescription), remote: ufrag(pc.remoteDescription), signalingState: pc.signalingState };
  });
}

const selfIdOf = (p) => p.page.evaluate(() => document.querySelector('#people li[data-self]')?.dataset.id ?? null);

function signalingCut(options, h) {
  const recovers = options.expectRecovery === 'yes';
  let line;
  const prepare = async (alice, bob) => { line = await cuttableConnection(bob.page); };
  return withPeople(options, h, { names: ['Alice', 'Bob'], prepare }, async (alice, bob) => {
    const statusIs = (p, status) => statusShown(h, p, status);
    await callUp(h, alice, bob);
    const before = { bobId: await selfIdOf(bob), ufrags: await iceUfrags(alice) };
    await h.step('Bob\'s connection to the server is cut: the call goes on', async () => {
      await line.cutNow();
      await statusIs(bob, 'Reconnecting… (the call with Alice goes on)');
      // With recovery the server keeps Bob listed while he is away; without, he leaves the list.
      if (recovers) await h.waitPeople(alice, ['Alice', 'Bob']);
      else await statusIs(alice, 'In a call with Bob, who is reconnecting to the server…');
      await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
      for (const p of [alice, bob]) {
        await h.waitIn(p, 'still in the call, no message', () => document.body.dataset.state === 'in-call'
          && document.getElementById('message').hidden && !document.getElementById('hangup').hidden);
      }
    });
    await h.screenshot(bob, 'reconnecting');
    await h.screenshot(alice, 'peer-reconnecting');
    const after = await h.step('Bob is back: everyone listed again, the call as it was', async () => {
      line.restore();
      await statusIs(bob, 'In a call with Alice.');
      await statusIs(alice, 'In a call with Bob.');
      for (const p of [alice, bob]) await h.waitPeople(p, ['Alice', 'Bob']);
      await h.waitIn(alice, 'Bob as the one in the call', () => document.querySelector('#people li[data-in-call="true"]')?.dataset.name === 'Bob');
      const bobId = await selfIdOf(bob);
      if (recovers ? bobId !== before.bobId : (!bobId || bobId === before.bobId)) {
        throw new Error(`Bob should be back under ${recovers ? 'his old id (recovered)' : 'a new id'}, but has ${bobId} (before: ${before.bobId})`);
      }
      return { bobId };
    });
    await h.step('an ICE restart goes through the new connection', async () => {
      // Bob's page makes the offers (it was called); Alice's answer must find his new id.
      await bob.page.evaluate(() => window.pageProbe.peerConnections.at(-1).restartIce());
      await h.waitIn(alice, 'a new remote ICE ufrag', (old) => {
        const sdp = window.pageProbe.peerConnections.at(-1).remoteDescription?.sdp ?? '';
        return !sdp.includes(`a=ice-ufrag:${old}\r`) && window.pageProbe.peerConnections.at(-1).signalingState === 'stable';
      }, before.ufrags.remote);
      await h.waitIn(bob, 'Alice\'s answer applied', () => window.pageProbe.peerConnections.at(-1).signalingState === 'stable');
      await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
    });
    const restarted = await iceUfrags(alice);
    await aliceHangsUp(h, alice, bob);
    return { before, after, restarted };
  });
}

const statusShown = (h, p, status) => h.waitIn(p, `status "${status}"`, (s) => document.getElementById('status').textContent === s, status);

function callUp(h, alice, bob) {
  return h.step('Alice calls Bob and he accepts', async () => {
    await h.placeCall(alice, bob);
    await bob.page.click('#accept');
    await statusShown(h, alice, 'In a call with Bob.');
    await statusShown(h, bob, 'In a call with Alice.');
    await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
  });
}

function aliceHangsUp(h, alice, bob) {
  return h.step('Alice hangs up: it ends on both sides', async () => {
    await alice.page.click('#hangup');
    await expectShown(h, alice, 'idle', 'Call ended.', 'info');
    await expectShown(h, bob, 'idle', 'Alice hung up.', 'info');
  });
}

// ---- server-restart ----

function serverRestart(options, h) {
  return withPeople(options, h, { names: ['Alice', 'Bob'] }, async (alice, bob) => {
    await callUp(h, alice, bob);
    const before = { aliceId: await selfIdOf(alice), bobId: await selfIdOf(bob) };
    await h.step('the server stops: the call goes on', async () => {
      // As a deployment restarts it; the test starts the new server once this one has exited.
      process.kill(Number(options.serverPid), 'SIGTERM');
      await statusShown(h, alice, 'Reconnecting… (the call with Bob goes on)');
      await statusShown(h, bob, 'Reconnecting… (the call with Alice goes on)');
      await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
    });
    await h.screenshot(alice, 'server-away');
    const after = await h.step('the new server is up: everyone listed again, the call as it was', async () => {
      await statusShown(h, alice, 'In a call with Bob.');
      await statusShown(h, bob, 'In a call with Alice.');
      for (const p of [alice, bob]) {
        await h.waitPeople(p, ['Alice', 'Bob']);
        await h.waitIn(p, 'no message left over', () => document.getElementById('message').hidden);
      }
      await h.waitIn(alice, 'Bob as the one in the call', () => document.querySelector('#people li[data-in-call="true"]')?.dataset.name === 'Bob');
      const ids = { aliceId: await selfIdOf(alice), bobId: await selfIdOf(bob) };
      // A new process kept no sessions: both came back under new ids, which their pages exchanged.
      if (!ids.aliceId || !ids.bobId || ids.aliceId === before.aliceId || ids.bobId === before.bobId) {
        throw new Error(`both should be back under new ids, but have ${JSON.stringify(ids)} (before: ${JSON.stringify(before)})`);
      }
      await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
      return ids;
    });
    await h.screenshot(alice, 'server-back');
    await aliceHangsUp(h, alice, bob);
    return { before, after };
  });
}

// ---- insecure ----

function insecure(options, h) {
  const host = 'insecure.test';
  const url = new URL(options.url);
  const args = chromiumArgs({ extra: [`--host-resolver-rules=MAP ${host} ${url.hostname}`] });
  return withPeople(options, h, { names: ['Alice'], args, online: false }, async (alice) => {
    const insecureUrl = `http://${host}:${url.port}${url.pathname}`;
    const hint = await h.step('open the page over plain HTTP as insecure.test', async () => {
      await alice.page.goto(insecureUrl);
      await h.waitIn(alice, 'the plain-HTTP notice', () => !document.getElementById('secure-hint').hidden);
      return alice.page.evaluate(() => ({ secure: window.isSecureContext, text: document.getElementById('secure-hint').textContent }));
    });
    const expected = `This page was opened over plain HTTP (${host}:${url.port}), so the browser will not let it use the camera or microphone and calls cannot start. Open it over HTTPS (put the server behind a TLS reverse proxy, see the README), or open http://localhost:${url.port}${url.pathname} on the computer that runs the server.`;
    if (hint.secure !== false || hint.text !== expected) throw new Error(`the notice reads ${JSON.stringify(hint)}, expected ${JSON.stringify(expected)}`);
    await h.step('the page still goes online', () => h.goOnline(alice));
    await h.screenshot(alice, 'insecure');
    return { hint: hint.text };
  });
}

main(parseArgs, (options, h) => CASES[options.case](options, h));
