// What the browser scripts (browser-call.js, browser-call-failures.js) share: their command-line
// options, Chromium's switches, one participant per browser context, waiting on what the page in
// web/ shows (with the page's state in the error when it does not), the usual user actions,
// screenshots, and the one JSON line a script prints as its result.
'use strict';
const fs = require('fs');
const path = require('path');

const BASE_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Plain host candidates on loopback: no mDNS names to resolve, nothing leaves the machine.
const LOOPBACK_ICE_ARGS = [
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/**
 * Chromium's switches. By default the camera and microphone are Chromium's fake devices and every
 * request for them is granted without a prompt. `fakeUi: false` leaves the permission to the
 * browser context (headless Chromium denies what was not granted); `fakeDevices: false` leaves
 * the machine's real devices (none on a build machine).
 */
function chromiumArgs({ fakeUi = true, fakeDevices = true, extra = [] } = {}) {
  return [
    ...BASE_CHROMIUM_ARGS,
    ...(fakeUi ? ['--use-fake-ui-for-media-stream'] : []),
    ...(fakeDevices ? ['--use-fake-device-for-media-stream'] : []),
    ...extra,
    ...LOOPBACK_ICE_ARGS,
  ];
}

const DEFAULT_VIEWPORT = { width: 1100, height: 680 };

function newEngineNotes() {
  return { eio: new Set(), transports: new Set(), paths: new Set() };
}

// An Engine.IO request (any path: the page follows the server's EngineIo:Path and sub-path).
function noteEngineUrl(engine, url) {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('EIO') || !parsed.searchParams.has('transport')) return;
  engine.eio.add(parsed.searchParams.get('EIO'));
  engine.transports.add(parsed.searchParams.get('transport'));
  engine.paths.add(parsed.pathname);
}

/** What a participant's client used, as a script reports it. */
function engineReport(p) {
  return { eio: [...p.engine.eio].sort(), transports: [...p.engine.transports].sort(), paths: [...p.engine.paths].sort() };
}

// The same participant in Firefox: puppeteer-core's page has the calls used here under other
// shapes, so a thin adapter gives it the Playwright-style ones the scripts use.
async function openFirefoxParticipant(executablePath, name, { viewport = DEFAULT_VIEWPORT, initScript } = {}) {
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
  await raw.setViewport(viewport);
  if (initScript) await raw.evaluateOnNewDocument(initScript);
  const log = [];
  const engine = newEngineNotes();
  raw.on('request', (r) => noteEngineUrl(engine, r.url()));
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

const COMMON_OPTIONS = {
  '--url': 'url', '--artifacts': 'artifacts', '--label': 'label', '--chromium': 'chromium',
  '--step-timeout-ms': 'stepTimeoutMs',
};

/** Parses `--name value` pairs: the common options plus the script's own (`names`: switch → key). */
function parseOptions(argv, { names = {}, defaults = {} } = {}) {
  const options = { chromium: '/usr/bin/chromium', stepTimeoutMs: 20000, ...defaults };
  const known = { ...COMMON_OPTIONS, ...names };
  for (let i = 0; i < argv.length; i += 2) {
    const key = known[argv[i]];
    if (!key || argv[i + 1] === undefined) throw new Error(`unknown or incomplete option ${argv[i]}`);
    options[key] = argv[i + 1];
  }
  if (!options.url) throw new Error('--url is required');
  if (!options.artifacts) throw new Error('--artifacts is required');
  options.stepTimeoutMs = Number(options.stepTimeoutMs);
  if (!(options.stepTimeoutMs > 0)) throw new Error('--step-timeout-ms must be a positive number');
  return options;
}

/**
 * Runs a script's body and prints its one JSON line: `run()`'s result ({ok: true|false, ...}),
 * exit code 0 when ok and 1 otherwise; bad arguments print {ok: false, step: 'arguments'} and exit 2.
 */
function main(parse, run) {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, step: 'arguments', error: error.message }));
    process.exit(2);
  }
  fs.mkdirSync(options.artifacts, { recursive: true });
  const harness = createHarness(options);
  run(options, harness).then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(result.ok ? 0 : 1);
    },
    (error) => {
      console.log(JSON.stringify({ ok: false, label: options.label, step: harness.currentStep(), error: error.stack || String(error) }));
      process.exit(1);
    },
  );
}

function createHarness(options) {
  const timings = [];
  const screenshots = [];
  let currentStep = 'start';

  async function step(name, action) {
    currentStep = name;
    const started = Date.now();
    const result = await action();
    timings.push({ step: name, ms: Date.now() - started });
    return result;
  }

  // One participant: a browser context of its own (separate cookies, permissions, media).
  // `permissions` are granted to the page's origin (for a Chromium launched with fakeUi: false);
  // `initScript` runs in every document of the participant before the page's own scripts.
  async function openParticipant(browser, name, { override, permissions, viewport = DEFAULT_VIEWPORT, initScript } = {}) {
    const context = await browser.newContext({ viewport });
    if (permissions) await context.grantPermissions(permissions, { origin: new URL(options.url).origin });
    if (initScript) await context.addInitScript(initScript);
    const page = await context.newPage();
    const participant = { name, context, page, log: [], engine: newEngineNotes(), closed: false, countsDecodedFrames: true };
    await watchPage(participant, override);
    return participant;
  }

  // Listens to a (new) page of the participant: its log and which Engine.IO protocol, paths and
  // transports the page's client really used (EIO=3: clients 1.x/2.x).
  async function watchPage(p, override) {
    const { page, log, engine } = p;
    page.on('request', (r) => noteEngineUrl(engine, r.url()));
    page.on('websocket', (ws) => noteEngineUrl(engine, ws.url()));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    if (override) {
      const body = fs.readFileSync(override);
      // Wherever the page loads it from: it follows the server's EngineIo:Path.
      await page.route('**/socket.io.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }));
    }
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

  async function screenshot(p, suffix) {
    if (p.closed) return;
    const file = path.join(options.artifacts, `${options.label}-${p.name.toLowerCase()}-${suffix}.png`);
    try {
      await p.page.screenshot({ path: file });
      screenshots.push(file);
    } catch (error) {
      p.log.push(`screenshot ${suffix} failed: ${error.message}`);
    }
  }

  // The result of a failed run: where it stopped, what each page showed, their logs, screenshots.
  async function failure(error, participants) {
    for (const p of participants) await screenshot(p, 'failure');
    const pages = {};
    const logs = {};
    for (const p of participants) {
      pages[p.name.toLowerCase()] = await describe(p);
      logs[p.name.toLowerCase()] = p.log;
    }
    return { ok: false, label: options.label, step: currentStep, error: error.message, pages, logs, timings, screenshots };
  }

  return {
    options, timings, screenshots, currentStep: () => currentStep,
    step, openParticipant, watchPage, describe, waitIn, waitState, waitPeople, waitMessage,
    openPage, goOnline, placeCall, remoteVideoPlays, localVideoShows, screenshot, failure,
  };
}

module.exports = { chromiumArgs, parseOptions, main, openFirefoxParticipant, engineReport };
