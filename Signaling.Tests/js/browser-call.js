// Drives two headless Chromium pages through a whole video call on the page in web/, through the
// server under test: both go online and see each other, Bob declines Alice's first call, then
// accepts the second; both remote videos must really play (decoded frames, advancing time);
// Alice hangs up, both return to idle; Bob leaves and Alice's list shows it.
//
// Usage: node browser-call.js --url http://127.0.0.1:PORT/ --artifacts DIR
//          [--label NAME] [--client-override PATH] [--client-override-a PATH] [--client-override-b PATH]
//          [--chromium /usr/bin/chromium] [--step-timeout-ms 20000] [--firefox-b /usr/bin/firefox-esr]
// --client-override serves PATH in place of /socket.io/socket.io.js to both pages (-a / -b: one).
// --firefox-b runs Bob's page in that Firefox (driven over WebDriver BiDi by puppeteer-core)
// instead of Chromium, so a Chromium page calls a Firefox page.
// Prints one JSON line ({"ok":true,...} or {"ok":false,"step":...,"error":...}); exit code 0 on
// success, 1 on a failed check, 2 on bad arguments.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Plain host candidates on loopback: no mDNS names to resolve, nothing leaves the machine.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

function parseArgs(argv) {
  const options = { label: 'call', chromium: '/usr/bin/chromium', stepTimeoutMs: 20000 };
  const names = {
    '--url': 'url', '--artifacts': 'artifacts', '--label': 'label', '--chromium': 'chromium',
    '--client-override': 'override', '--client-override-a': 'overrideA', '--client-override-b': 'overrideB',
    '--step-timeout-ms': 'stepTimeoutMs', '--firefox-b': 'firefoxB',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || argv[i + 1] === undefined) throw new Error(`unknown or incomplete option ${argv[i]}`);
    options[key] = argv[i + 1];
  }
  if (!options.url) throw new Error('--url is required');
  if (!options.artifacts) throw new Error('--artifacts is required');
  options.stepTimeoutMs = Number(options.stepTimeoutMs);
  if (!(options.stepTimeoutMs > 0)) throw new Error('--step-timeout-ms must be a positive number');
  options.overrideA = options.overrideA ?? options.override;
  options.overrideB = options.overrideB ?? options.override;
  for (const file of [options.overrideA, options.overrideB, options.firefoxB]) {
    if (file && !fs.existsSync(file)) throw new Error(`file not found: ${file}`);
  }
  if (options.firefoxB && options.overrideB) throw new Error('--firefox-b cannot be combined with a client override for Bob');
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  console.log(JSON.stringify({ ok: false, step: 'arguments', error: error.message }));
  process.exit(2);
}

const timings = [];
let currentStep = 'start';

async function step(name, action) {
  currentStep = name;
  const started = Date.now();
  const result = await action();
  timings.push({ step: name, ms: Date.now() - started });
  return result;
}

// One participant: a browser context of its own (separate cookies, permissions, media).
async function openParticipant(browser, name, override) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 680 } });
  const page = await context.newPage();
  const log = [];
  // Which Engine.IO protocol and transports the page's client really used (EIO=3: clients 1.x/2.x).
  const engine = { eio: new Set(), transports: new Set() };
  const noteEngineUrl = (url) => {
    const query = new URL(url).searchParams;
    if (!new URL(url).pathname.startsWith('/socket.io/') || !query.has('EIO')) return;
    engine.eio.add(query.get('EIO'));
    engine.transports.add(query.get('transport'));
  };
  page.on('request', (r) => noteEngineUrl(r.url()));
  page.on('websocket', (ws) => noteEngineUrl(ws.url()));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  if (override) {
    const body = fs.readFileSync(override);
    await page.route('**/socket.io/socket.io.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }));
  }
  return { name, context, page, log, engine, closed: false, countsDecodedFrames: true };
}

// The same participant in Firefox: puppeteer-core's page has the calls used here under other
// shapes, so a thin adapter gives it the Playwright-style ones the steps below use.
async function openFirefoxParticipant(executablePath, name) {
  const puppeteer = require('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      // Firefox's counterparts of Chromium's fake camera and microphone, granted without asking.
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
    },
  });
  const raw = await browser.newPage();
  await raw.setViewport({ width: 1100, height: 680 });
  const log = [];
  const engine = { eio: new Set(), transports: new Set() };
  raw.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/socket.io/') && url.searchParams.has('EIO')) {
      engine.eio.add(url.searchParams.get('EIO'));
      engine.transports.add(url.searchParams.get('transport'));
    }
  });
  raw.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') log.push(`${m.type()}: ${m.text()}`); });
  raw.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  const page = {
    goto: (url) => raw.goto(url),
    fill: (selector, value) => raw.locator(selector).fill(value),
    click: (selector) => raw.locator(selector).click(),
    evaluate: (fn, arg) => raw.evaluate(fn, arg),
    waitForFunction: (fn, arg, { timeout }) => raw.waitForFunction(fn, { timeout, polling: 100 }, arg),
    screenshot: (opts) => raw.screenshot(opts),
  };
  return { name, context: browser, page, log, engine, closed: false, countsDecodedFrames: false };
}

async function describe(p) {
  if (p.closed) return { name: p.name, closed: true };
  try {
    return await p.page.evaluate(() => ({
      url: location.href,
      state: document.body?.dataset.state ?? null,
      status: document.getElementById('status')?.textContent ?? null,
      message: document.getElementById('message')?.hidden === false ? document.getElementById('message').textContent : null,
      people: [...document.querySelectorAll('#people li')].map((li) => `${li.dataset.name}${li.dataset.self ? ' (self)' : ''}`),
    }));
  } catch (error) {
    return { error: error.message };
  }
}

// Waits for a condition in the page; on timeout the error says what the page showed instead.
async function waitIn(p, what, predicate, arg) {
  try {
    await p.page.waitForFunction(predicate, arg, { timeout: options.stepTimeoutMs, polling: 'raf' });
  } catch (error) {
    throw new Error(`${p.name}: ${what} did not happen within ${options.stepTimeoutMs} ms; page shows ${JSON.stringify(await describe(p))} (${error.message.split('\n')[0]})`);
  }
}

function waitState(p, state) {
  return waitIn(p, `state "${state}"`, (s) => document.body.dataset.state === s, state);
}

// The list shows exactly these names, with the page's own entry marked as self.
function waitPeople(p, names) {
  return waitIn(p, `people list [${names}] with ${p.name} marked as self`, ({ names, self }) => {
    const items = [...document.querySelectorAll('#people li')];
    return items.length === names.length
      && names.every((n) => items.some((li) => li.dataset.name === n))
      && items.filter((li) => li.dataset.self === 'true').map((li) => li.dataset.name).join() === self;
  }, { names, self: p.name });
}

function waitMessage(p, fragment) {
  return waitIn(p, `message containing "${fragment}"`, (f) => {
    const m = document.getElementById('message');
    return !m.hidden && m.textContent.includes(f);
  }, fragment);
}

async function openPage(p) {
  let response;
  try {
    response = await p.page.goto(options.url);
  } catch (error) {
    throw new Error(`${p.name}: the server did not serve the page at ${options.url} (${error.message.split('\n')[0]})`);
  }
  if (!response?.ok()) throw new Error(`${p.name}: GET ${options.url} answered ${response?.status()}`);
}

async function goOnline(p) {
  await waitState(p, 'ready');
  await p.page.fill('#name', p.name);
  await p.page.click('#join');
  await waitState(p, 'idle');
}

async function placeCall(caller, callee) {
  await caller.page.click(`#people li[data-name="${callee.name}"] button`);
  await waitIn(caller, `call button for ${callee.name}`, (n) => {
    const b = document.getElementById('call');
    return !b.disabled && b.textContent.includes(n);
  }, callee.name);
  await caller.page.click('#call');
  await waitState(caller, 'calling');
  await waitIn(callee, `incoming call from ${caller.name}`, (n) => {
    const box = document.getElementById('incoming');
    return !box.hidden && document.getElementById('incoming-name').textContent === n;
  }, caller.name);
  await waitState(callee, 'incoming');
}

// Counts frames the remote <video> actually presents, with requestVideoFrameCallback, and reports
// the decoder's and the clock's progress over the same span.
async function remoteVideoPlays(p) {
  const frameTarget = 10;
  const result = await p.page.evaluate(({ frameTarget, timeoutMs }) => new Promise((resolve) => {
    const video = document.getElementById('remote-video');
    const startTime = video.currentTime;
    const startDecoded = video.getVideoPlaybackQuality().totalVideoFrames;
    const frames = [];
    const finish = (error) => resolve({
      error,
      frames: frames.length,
      presentedFrames: frames.length ? frames[frames.length - 1].presentedFrames - frames[0].presentedFrames : 0,
      videoWidth: video.videoWidth,
      videoHeight: video.videoHeight,
      currentTimeAdvance: video.currentTime - startTime,
      decodedFrames: video.getVideoPlaybackQuality().totalVideoFrames - startDecoded,
      paused: video.paused,
      readyState: video.readyState,
    });
    const timer = setTimeout(() => finish(`only ${frames.length} of ${frameTarget} frames were presented within ${timeoutMs} ms`), timeoutMs);
    const onFrame = (_now, metadata) => {
      frames.push(metadata);
      if (frames.length >= frameTarget) {
        clearTimeout(timer);
        finish(null);
      } else {
        video.requestVideoFrameCallback(onFrame);
      }
    };
    video.requestVideoFrameCallback(onFrame);
  }), { frameTarget, timeoutMs: options.stepTimeoutMs });
  const problems = [];
  if (result.error) problems.push(result.error);
  if (!(result.videoWidth > 0 && result.videoHeight > 0)) problems.push(`video size is ${result.videoWidth}x${result.videoHeight}`);
  if (!(result.currentTimeAdvance > 0)) problems.push(`currentTime did not advance (${result.currentTimeAdvance})`);
  // Firefox does not count a MediaStream's frames in getVideoPlaybackQuality(); there the frames
  // presented (requestVideoFrameCallback, checked below) are the proof of decoding.
  if (p.countsDecodedFrames && !(result.decodedFrames > 0)) problems.push(`no frames were decoded (totalVideoFrames grew by ${result.decodedFrames})`);
  if (!(result.presentedFrames > 0)) problems.push('presentedFrames did not grow');
  if (problems.length) throw new Error(`${p.name}'s remote video is not playing: ${problems.join('; ')} ${JSON.stringify(result)}`);
  return result;
}

async function localVideoShows(p) {
  await waitIn(p, 'local camera preview', () => {
    const v = document.getElementById('local-video');
    return v.srcObject && v.videoWidth > 0;
  });
}

async function screenshot(p, suffix, saved) {
  if (p.closed) return;
  const file = path.join(options.artifacts, `${options.label}-${p.name.toLowerCase()}-${suffix}.png`);
  try {
    await p.page.screenshot({ path: file });
    saved.push(file);
  } catch (error) {
    p.log.push(`screenshot ${suffix} failed: ${error.message}`);
  }
}

const screenshots = [];

async function run() {
  fs.mkdirSync(options.artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: CHROMIUM_ARGS });
  const alice = await openParticipant(browser, 'Alice', options.overrideA);
  const bob = options.firefoxB
    ? await openFirefoxParticipant(options.firefoxB, 'Bob')
    : await openParticipant(browser, 'Bob', options.overrideB);
  try {
    await step('open the page', () => Promise.all([openPage(alice), openPage(bob)]));
    await step('go online', async () => {
      await goOnline(alice);
      await goOnline(bob);
      await waitPeople(alice, ['Alice', 'Bob']);
      await waitPeople(bob, ['Alice', 'Bob']);
    });
    await step('Bob declines the first call', async () => {
      await placeCall(alice, bob);
      await bob.page.click('#decline');
      await waitState(bob, 'idle');
      await waitState(alice, 'idle');
      await waitMessage(alice, 'Bob declined the call');
    });
    await step('Bob accepts the second call', async () => {
      await placeCall(alice, bob);
      await screenshot(bob, 'incoming', screenshots);
      await bob.page.click('#accept');
      await waitState(alice, 'in-call');
      await waitState(bob, 'in-call');
    });
    const video = await step('both remote videos play', async () => {
      await localVideoShows(alice);
      await localVideoShows(bob);
      const [a, b] = await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
      return { alice: a, bob: b };
    });
    await screenshot(alice, 'in-call', screenshots);
    await screenshot(bob, 'in-call', screenshots);
    await step('Alice hangs up', async () => {
      await alice.page.click('#hangup');
      await waitState(alice, 'idle');
      await waitState(bob, 'idle');
      await waitMessage(bob, 'Alice hung up');
      for (const p of [alice, bob]) {
        await waitIn(p, 'videos cleared', () =>
          !document.getElementById('remote-video').srcObject && !document.getElementById('local-video').srcObject);
      }
      await waitPeople(alice, ['Alice', 'Bob']);
      await waitPeople(bob, ['Alice', 'Bob']);
    });
    await screenshot(alice, 'after-hangup', screenshots);
    await screenshot(bob, 'after-hangup', screenshots);
    await step('Bob leaves', async () => {
      await bob.context.close();
      bob.closed = true;
      await waitPeople(alice, ['Alice']);
    });
    const engine = (p) => ({ eio: [...p.engine.eio].sort(), transports: [...p.engine.transports].sort() });
    return { ok: true, label: options.label, url: options.url, engine: { alice: engine(alice), bob: engine(bob) }, video, timings, screenshots };
  } catch (error) {
    await screenshot(alice, 'failure', screenshots);
    await screenshot(bob, 'failure', screenshots);
    return {
      ok: false,
      label: options.label,
      step: currentStep,
      error: error.message,
      pages: { alice: await describe(alice), bob: await describe(bob) },
      logs: { alice: alice.log, bob: bob.log },
      timings,
      screenshots,
    };
  } finally {
    if (options.firefoxB && !bob.closed) await bob.context.close();
    await browser.close();
  }
}

run().then(
  (result) => {
    console.log(JSON.stringify(result));
    process.exit(result.ok ? 0 : 1);
  },
  (error) => {
    console.log(JSON.stringify({ ok: false, label: options.label, step: currentStep, error: error.stack || String(error) }));
    process.exit(1);
  },
);
