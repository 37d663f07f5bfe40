#!/usr/bin/env node
// Runs one of the published protocol compliance suites (the test-suite/ folder of
// socketio/engine.io-protocol or socketio/socket.io-protocol) the way it is meant to be run:
// its index.html opened in a browser, here Debian's headless Chromium driven by playwright-core.
//
// Usage: node run-suite.js SUITE_DIR [--server URL] [--grep TEXT] [--timeout SECONDS] [--repeat N] [--node] [--verbose]
//
// The page is served from an ephemeral loopback port, so every request to the server under
// test is cross-origin, exactly as when the file is opened from disk: the server's CORS
// handling is part of what is checked. The page pulls mocha and chai from a CDN; with no
// internet here those requests are answered from this folder's node_modules (pinned in
// package.json) by page.route. --node runs the suite's own `npm test` in Node.js instead.
// --repeat N runs the suite N times (fresh page or process each time) and tallies the
// failures by title, which shows the cases that race. Exit code: 0 all passed, 1 a test
// failed or none ran, 2 the run itself could not be done (bad arguments, browser missing,
// mocha never finished).
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { chromium } = require('playwright-core');

// The suites hard-code this address; --server other than it is applied by rewriting that
// literal in the JavaScript files as they are served (the files on disk are left alone).
const SUITE_SERVER = 'http://localhost:3000';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// CDN hosts whose /<package>@<range>/<file> URLs are served from local packages.
const CDN_HOSTS = new Set(['unpkg.com', 'cdn.jsdelivr.net']);
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

function usage(message) {
  if (message) console.error(`run-suite: ${message}`);
  console.error('usage: node run-suite.js SUITE_DIR [--server URL] [--grep TEXT] [--timeout SECONDS] [--repeat N] [--node] [--verbose]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { server: SUITE_SERVER, grep: null, timeoutSeconds: 180, verbose: false, repeat: 1, node: false, suiteDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--server') options.server = value().replace(/\/+$/, '');
    else if (arg === '--grep') options.grep = value();
    else if (arg === '--timeout') options.timeoutSeconds = Number(value());
    else if (arg === '--repeat') options.repeat = Number(value());
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--node') options.node = true;
    else if (arg === '--help' || arg === '-h') usage();
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else if (options.suiteDir === null) options.suiteDir = path.resolve(arg);
    else usage(`unexpected argument ${arg}`);
  }
  if (options.suiteDir === null) usage('SUITE_DIR is required');
  if (!fs.existsSync(path.join(options.suiteDir, 'index.html'))) usage(`${options.suiteDir} has no index.html`);
  if (!/^https?:\/\/[^/]+$/.test(options.server)) usage(`--server must be an origin like ${SUITE_SERVER}`);
  if (!Number.isInteger(options.repeat) || options.repeat < 1) usage('--repeat must be a positive integer');
  if (!(options.timeoutSeconds > 0)) usage('--timeout must be a positive number of seconds');
  return options;
}

function pointAt(source, serverOrigin) {
  return serverOrigin === SUITE_SERVER ? source : Buffer.from(source.toString('utf8').split(SUITE_SERVER).join(serverOrigin));
}

// Serves the suite folder read-only; nothing outside it is reachable.
function startSuiteServer(suiteDir, serverOrigin) {
  const server = http.createServer((req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.resolve(suiteDir, '.' + (urlPath === '/' ? '/index.html' : urlPath));
    if (!file.startsWith(suiteDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const ext = path.extname(file);
    let body = fs.readFileSync(file);
    if (ext === '.js' || ext === '.mjs') body = pointAt(body, serverOrigin);
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[ext] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Maps https://unpkg.com/mocha@9/mocha.js to node_modules/mocha/mocha.js, refusing a package
// whose installed major version is not the one the page asks for.
function resolveCdnFile(url) {
  const match = /^\/((?:@[^/]+\/)?[^/@]+)(?:@([^/]+))?(\/.*)?$/.exec(url.pathname);
  if (!match) return { error: `cannot parse CDN path ${url.pathname}` };
  const [, name, range, file] = match;
  const packageJson = path.join(__dirname, 'node_modules', name, 'package.json');
  if (!fs.existsSync(packageJson)) {
    return { error: `package ${name} is not installed in ${__dirname} (add it to package.json, run npm ci)` };
  }
  const manifest = JSON.parse(fs.readFileSync(packageJson, 'utf8'));
  const installed = manifest.version;
  const wantedMajor = range && /^\^?~?(\d+)/.exec(range);
  if (wantedMajor && wantedMajor[1] !== installed.split('.')[0]) {
    return { error: `page asks for ${name}@${range}, ${installed} is installed` };
  }
  const root = path.dirname(packageJson);
  const target = path.resolve(root, '.' + (file || '/' + (manifest.main || 'index.js')));
  if (!target.startsWith(root + path.sep) || !fs.existsSync(target)) return { error: `${name}@${installed} has no ${file}` };
  return { target, label: `${name}@${installed}${file}` };
}

// Runs in the page before any of its scripts: catches mocha's Runner as the page's own
// `mocha.run()` starts it and forwards its events to Node through the exposed binding.
function pageHook() {
  let mochaClass;
  Object.defineProperty(window, 'Mocha', {
    configurable: true,
    get() { return mochaClass; },
    set(value) {
      mochaClass = value;
      const run = value.Runner.prototype.run;
      value.Runner.prototype.run = function (...args) {
        const report = (event) => window.__complianceReport(JSON.stringify(event));
        const errorOf = (err) => ({
          message: String((err && err.message) || err),
          expected: err && 'expected' in err ? safeJson(err.expected) : undefined,
          actual: err && 'actual' in err ? safeJson(err.actual) : undefined,
        });
        function safeJson(v) {
          if (typeof v === 'string') return v; // mocha's reporter has already stringified it
          if (v instanceof ArrayBuffer) return `ArrayBuffer[${Array.from(new Uint8Array(v)).join(',')}]`;
          try { return JSON.stringify(v); } catch { return String(v); }
        }
        this.on('pass', (test) => report({ type: 'pass', title: test.fullTitle(), duration: test.duration }));
        this.on('fail', (test, err) => report({ type: 'fail', title: test.fullTitle(), duration: test.duration, error: errorOf(err) }));
        this.on('pending', (test) => report({ type: 'pending', title: test.fullTitle() }));
        this.on('end', () => report({ type: 'end', total: this.total, failures: this.failures }));
        // index.html calls mocha.run() from a classic script, but the tests are a module
        // script, which only runs once the document is parsed: left alone, mocha starts
        // first and finds no test. DOMContentLoaded fires after module scripts have run.
        const parsed = document.readyState === 'loading'
          ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
          : Promise.resolve();
        // Node first drops its request interception (see __complianceBeforeTests), then mocha starts.
        Promise.all([parsed, window.__complianceBeforeTests()]).then(() => run.apply(this, args));
        return this;
      };
    },
  });
}

function printResult(event) {
  const mark = { pass: 'ok  ', fail: 'FAIL', pending: 'skip' }[event.type];
  const time = event.duration === undefined ? '' : ` (${event.duration} ms)`;
  console.log(`${mark} ${event.title}${time}`);
}

// One run of the suite in a fresh page; resolves to its results, or null if mocha never
// reported the end within the timeout.
async function runInBrowser(browser, options, pageUrl) {
  const context = await browser.newContext();
  const results = { pass: [], fail: [], pending: [], notes: [] };
  let finished;
  const done = new Promise((resolve) => { finished = resolve; });
  try {
    const page = await context.newPage();
    await page.exposeFunction('__complianceReport', (json) => {
      const event = JSON.parse(json);
      if (event.type === 'end') {
        finished(event);
        return;
      }
      results[event.type].push(event);
      printResult(event);
    });
    // While any route is set, Playwright pauses every request of the page (not just the
    // CDN ones) for a round trip through Node, which can reorder the suite's concurrent
    // requests; the CDN scripts are all loaded once mocha runs, so the route goes then.
    await page.exposeFunction('__complianceBeforeTests', () => page.unrouteAll({ behavior: 'wait' }));
    await page.addInitScript(pageHook);
    await page.route((url) => CDN_HOSTS.has(url.hostname), async (route) => {
      const resolved = resolveCdnFile(new URL(route.request().url()));
      if (resolved.error) {
        results.notes.push(resolved.error);
        await route.fulfill({ status: 404, body: resolved.error });
        return;
      }
      if (options.verbose) console.log(`[cdn] ${route.request().url()} -> ${resolved.label}`);
      await route.fulfill({
        status: 200,
        contentType: CONTENT_TYPES[path.extname(resolved.target)] || 'application/octet-stream',
        body: fs.readFileSync(resolved.target),
      });
    });
    page.on('pageerror', (err) => results.notes.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (options.verbose) console.log(`[console.${msg.type()}] ${msg.text()}`);
    });

    await page.goto(pageUrl);
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), options.timeoutSeconds * 1000); });
    const end = await Promise.race([done, timeout]);
    clearTimeout(timer);
    for (const note of results.notes) console.log(`note: ${note}`);
    return end === null ? null : { ...results, end };
  } finally {
    await context.close();
  }
}

function printFailures(failed) {
  if (failed.length === 0) return;
  console.log('\nfailures:');
  failed.forEach((f, i) => {
    console.log(`  ${i + 1}) ${f.title}`);
    console.log(`     ${f.error.message.split('\n').join('\n     ')}`);
    if (f.error.expected !== undefined || f.error.actual !== undefined) {
      console.log(`     expected: ${f.error.expected}`);
      console.log(`     actual:   ${f.error.actual}`);
    }
  });
}

// --node: the suite's own `npm test` (mocha with node-fetch and ws from the suite's
// node_modules), on a copy of the suite whose JavaScript points at --server.
function nodeCopyOf(suiteDir, serverOrigin) {
  if (!fs.existsSync(path.join(suiteDir, 'node_modules', 'mocha'))) usage(`--node needs the suite's packages: run npm ci in ${suiteDir}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-suite-'));
  for (const name of fs.readdirSync(suiteDir)) {
    const source = path.join(suiteDir, name);
    if (name === 'node_modules') fs.symlinkSync(source, path.join(dir, name));
    else if (fs.statSync(source).isFile()) {
      const body = fs.readFileSync(source);
      fs.writeFileSync(path.join(dir, name), /\.m?js$/.test(name) ? pointAt(body, serverOrigin) : body);
    }
  }
  return dir;
}

function runInNode(options, dir) {
  const args = ['test', '--silent', '--', '--reporter', 'json'];
  if (options.grep) args.push('--grep', options.grep);
  const child = spawn('npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutSeconds * 1000);
    child.once('error', reject);
    child.once('close', () => {
      clearTimeout(timer);
      const start = stdout.indexOf('{');
      let report;
      try {
        report = JSON.parse(stdout.slice(start));
      } catch {
        if (options.verbose) console.log(stdout);
        resolve(null);
        return;
      }
      const errorOf = (err) => ({ message: err.message || '', expected: err.expected, actual: err.actual });
      const results = {
        pass: report.passes.map((t) => ({ type: 'pass', title: t.fullTitle, duration: t.duration })),
        fail: report.failures.map((t) => ({ type: 'fail', title: t.fullTitle, duration: t.duration, error: errorOf(t.err) })),
        pending: report.pending.map((t) => ({ type: 'pending', title: t.fullTitle })),
        end: { total: report.stats.tests, failures: report.stats.failures },
      };
      for (const event of [...results.pass, ...results.fail, ...results.pending]) printResult(event);
      resolve(results);
    });
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let runOnce;
  let where;
  let cleanUp;
  if (options.node) {
    const dir = nodeCopyOf(options.suiteDir, options.server);
    runOnce = () => runInNode(options, dir);
    where = `in Node.js (copy ${dir})`;
    cleanUp = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    if (!fs.existsSync(CHROMIUM)) {
      usage(`${CHROMIUM} not found; install it with: bash Signaling.Tests/tools/install-test-deps.sh (or set CHROMIUM_PATH)`);
    }
    const suiteServer = await startSuiteServer(options.suiteDir, options.server);
    const pageUrl = `http://127.0.0.1:${suiteServer.address().port}/index.html` +
      (options.grep ? `?grep=${encodeURIComponent(options.grep)}` : '');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    runOnce = () => runInBrowser(browser, options, pageUrl);
    where = `in Chromium (page ${pageUrl})`;
    cleanUp = async () => {
      await browser.close();
      suiteServer.close();
    };
  }
  try {
    let passed = 0;
    let failed = 0;
    let incomplete = false;
    const tally = new Map();
    for (let run = 1; run <= options.repeat; run++) {
      const label = options.repeat > 1 ? ` run ${run}/${options.repeat}` : '';
      console.log(`suite ${options.suiteDir} against ${options.server}${label} ${where}`);
      const results = await runOnce();
      if (results === null) {
        console.log(`run-suite: mocha did not finish within ${options.timeoutSeconds} s`);
        return 2;
      }
      printFailures(results.fail);
      // mocha reports a failing hook or an error outside any test as a failure too.
      const ran = results.pass.length + results.fail.length;
      if (ran === 0) {
        console.log('run-suite: no test ran (did the test script load?)');
        incomplete = true;
      }
      if (results.end.failures > results.fail.length) incomplete = true;
      for (const f of results.fail) tally.set(f.title, (tally.get(f.title) || 0) + 1);
      passed += results.pass.length;
      failed += results.fail.length;
      console.log(`${options.repeat > 1 ? `run ${run}: ` : ''}${results.pass.length} passed, ${results.fail.length} failed` +
        (results.pending.length ? `, ${results.pending.length} skipped` : '') + '\n');
    }
    if (options.repeat > 1) {
      console.log(`failures over ${options.repeat} runs:`);
      for (const [title, count] of tally) console.log(`  ${count}/${options.repeat}  ${title}`);
      if (tally.size === 0) console.log('  none');
      console.log(`total: ${passed} passed, ${failed} failed`);
    }
    return failed > 0 || incomplete ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(`run-suite: ${err && err.stack || err}`);
  process.exit(2);
});
