// Drives two headless Chromium pages through a whole video call on the page in web/, through the
// server under test: both go online and see each other, Bob declines Alice's first call, then
// accepts the second; both remote videos must really play (decoded frames, advancing time);
// Alice hangs up, both return to idle; Bob leaves and Alice's list shows it.
//
// Usage: node browser-call.js --url http://127.0.0.1:PORT/ --artifacts DIR
//          [--label NAME] [--client-override PATH] [--client-override-a PATH] [--client-override-b PATH]
//          [--chromium /usr/bin/chromium] [--step-timeout-ms 20000] [--firefox-b /usr/bin/firefox-esr]
//          [--engine-path /socket.io/]
// --client-override serves PATH in place of /socket.io/socket.io.js to both pages (-a / -b: one).
// --engine-path P checks that both pages' clients used Engine.IO at path P only.
// --firefox-b runs Bob's page in that Firefox (driven over WebDriver BiDi by puppeteer-core)
// instead of Chromium, so a Chromium page calls a Firefox page.
// Prints one JSON line ({"ok":true,...} or {"ok":false,"step":...,"error":...}); exit code 0 on
// success, 1 on a failed check, 2 on bad arguments.
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');
const { chromiumArgs, parseOptions, main, openFirefoxParticipant, engineReport } = require('./browser-harness');

function parseArgs(argv) {
  const options = parseOptions(argv, {
    names: { '--client-override': 'override', '--client-override-a': 'overrideA', '--client-override-b': 'overrideB', '--firefox-b': 'firefoxB', '--engine-path': 'enginePath' },
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
    const engine = { alice: engineReport(alice), bob: engineReport(bob) };
    // The page found Engine.IO where the server serves it (EngineIo:Path, Server:PathBase).
    for (const [who, report] of Object.entries(engine)) {
      if (options.enginePath && report.paths.join() !== options.enginePath) {
        throw new Error(`${who}'s client used Engine.IO at ${JSON.stringify(report.paths)}, expected only ${options.enginePath}`);
      }
    }
    return { ok: true, label: options.label, url: options.url, engine, video, timings: h.timings, screenshots: h.screenshots };
  } catch (error) {
    return await h.failure(error, [alice, bob]);
  } finally {
    if (options.firefoxB && !bob.closed) await bob.context.close();
    await browser.close();
  }
}

main(parseArgs, run);
