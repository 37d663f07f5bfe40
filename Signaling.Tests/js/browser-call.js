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
const { chromium } = require('playwright-core');
const { chromiumArgs, parseOptions, main } = require('./browser-harness');

function parseArgs(argv) {
  const options = parseOptions(argv, {
    names: { '--client-override': 'override', '--client-override-a': 'overrideA', '--client-override-b': 'overrideB', '--firefox-b': 'firefoxB' },
    defaults: { label: 'call' },
  });
  options.overrideA = options.overrideA ?? options.override;
  options.overrideB = options.overrideB ?? options.override;
  for (const file of [options.overrideA, options.overrideB, options.firefoxB]) {
    if (file && !fs.existsSync(file)) throw new Error(`file not found: ${file}`);
  }
  if (options.firefoxB && options.overrideB) throw new Error('--firefox-b cannot be combined with a client override for Bob');
  return options;
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

async function run(options, h) {
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true, args: chromiumArgs() });
  const alice = await h.openParticipant(browser, 'Alice', { override: options.overrideA });
  const bob = options.firefoxB
    ? await openFirefoxParticipant(options.firefoxB, 'Bob')
    : await h.openParticipant(browser, 'Bob', { override: options.overrideB });
  try {
    await h.step('open the page', () => Promise.all([h.openPage(alice), h.openPage(bob)]));
    await h.step('go online', async () => {
      await h.goOnline(alice);
      await h.goOnline(bob);
      await h.waitPeople(alice, ['Alice', 'Bob']);
      await h.waitPeople(bob, ['Alice', 'Bob']);
    });
    await h.step('Bob declines the first call', async () => {
      await h.placeCall(alice, bob);
      await bob.page.click('#decline');
      await h.waitState(bob, 'idle');
      await h.waitState(alice, 'idle');
      await h.waitMessage(alice, 'Bob declined the call');
    });
    await h.step('Bob accepts the second call', async () => {
      await h.placeCall(alice, bob);
      await h.screenshot(bob, 'incoming');
      await bob.page.click('#accept');
      await h.waitState(alice, 'in-call');
      await h.waitState(bob, 'in-call');
    });
    const video = await h.step('both remote videos play', async () => {
      await h.localVideoShows(alice);
      await h.localVideoShows(bob);
      const [a, b] = await Promise.all([h.remoteVideoPlays(alice), h.remoteVideoPlays(bob)]);
      return { alice: a, bob: b };
    });
    await h.screenshot(alice, 'in-call');
    await h.screenshot(bob, 'in-call');
    await h.step('Alice hangs up', async () => {
      await alice.page.click('#hangup');
      await h.waitState(alice, 'idle');
      await h.waitState(bob, 'idle');
      await h.waitMessage(bob, 'Alice hung up');
      for (const p of [alice, bob]) {
        await h.waitIn(p, 'videos cleared', () =>
          !document.getElementById('remote-video').srcObject && !document.getElementById('local-video').srcObject);
      }
      await h.waitPeople(alice, ['Alice', 'Bob']);
      await h.waitPeople(bob, ['Alice', 'Bob']);
    });
    await h.screenshot(alice, 'after-hangup');
    await h.screenshot(bob, 'after-hangup');
    await h.step('Bob leaves', async () => {
      await bob.context.close();
      bob.closed = true;
      await h.waitPeople(alice, ['Alice']);
    });
    const engine = (p) => ({ eio: [...p.engine.eio].sort(), transports: [...p.engine.transports].sort() });
    return { ok: true, label: options.label, url: options.url, engine: { alice: engine(alice), bob: engine(bob) }, video, timings: h.timings, screenshots: h.screenshots };
  } catch (error) {
    return await h.failure(error, [alice, bob]);
  } finally {
    if (options.firefoxB && !bob.closed) await bob.context.close();
    await browser.close();
  }
}

main(parseArgs, run);
