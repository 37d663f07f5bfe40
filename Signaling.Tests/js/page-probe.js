// What the page-feature script (browser-page.js) observes inside a page, without the page's help:
// PAGE_PROBE runs before the page's scripts and taps WebAudio's output (every node connected to
// a context's destination is also connected to an analyser) and collects the page's
// RTCPeerConnections; the functions below read those from Node.
'use strict';

// Runs in the page (Playwright's addInitScript, puppeteer's evaluateOnNewDocument).
function pageProbe() {
  const probe = { contexts: [], peerConnections: [], liveOscillators: 0 };
  window.pageProbe = probe;
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (target, ...rest) {
    if (target instanceof AudioDestinationNode) {
      const ctx = target.context;
      if (!ctx.probeTap) {
        ctx.probeTap = ctx.createAnalyser();
        ctx.probeTap.fftSize = 2048;
        probe.contexts.push(ctx);
      }
      connect.call(this, ctx.probeTap);
    }
    return connect.call(this, target, ...rest);
  };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    probe.liveOscillators++;
    this.probeLive = true;
    return start.apply(this, args);
  };
  const stop = OscillatorNode.prototype.stop;
  OscillatorNode.prototype.stop = function (...args) {
    if (this.probeLive) probe.liveOscillators--;
    this.probeLive = false;
    return stop.apply(this, args);
  };
  const Peer = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Peer(...args);
    probe.peerConnections.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Peer.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Peer);
  // Mean luma (0–255) of the video's current frame, drawn small.
  probe.lumaOf = (video) => {
    if (!video.videoWidth) return -1;
    const canvas = probe.canvas ??= document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(video, 0, 0, 64, 36);
    const { data } = g.getImageData(0, 0, 64, 36);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    return sum / (data.length / 4);
  };
}

const PAGE_PROBE = `(${pageProbe})();`;

/** The loudest sample WebAudio sent to the speakers over `ms`, and whether a context ran. */
function ringLevel(p, ms) {
  return p.page.evaluate((ms) => new Promise((resolve) => {
    const probe = window.pageProbe;
    const buffer = new Float32Array(2048);
    let peak = 0;
    const states = probe.contexts.map((c) => c.state);
    const started = probe.contexts.map((c) => c.currentTime);
    const timer = setInterval(() => {
      for (const ctx of probe.contexts) {
        ctx.probeTap.getFloatTimeDomainData(buffer);
        for (const v of buffer) peak = Math.max(peak, Math.abs(v));
      }
    }, 20);
    setTimeout(() => {
      clearInterval(timer);
      resolve({ peak, states, clockAdvanced: probe.contexts.map((c, i) => c.currentTime - started[i]) });
    }, ms);
  }), ms);
}

function liveOscillators(p) {
  return p.page.evaluate(() => window.pageProbe.liveOscillators);
}

/**
 * The audio energy the page's peer connection received over `ms` (after waiting `after` ms):
 * totalAudioEnergy of the inbound audio stream where the browser reports it, else the mean
 * square of the remote stream through an analyser.
 */
function audioEnergy(p, ms, { after = 0 } = {}) {
  return p.page.evaluate(async ({ ms, after }) => {
    const sleep = (t) => new Promise((r) => setTimeout(r, t));
    await sleep(after);
    const pc = window.pageProbe.peerConnections.findLast((c) => c.connectionState === 'connected');
    const inbound = async () => {
      for (const s of (await pc.getStats()).values()) {
        if (s.type === 'inbound-rtp' && s.kind === 'audio' && typeof s.totalAudioEnergy === 'number') return s.totalAudioEnergy;
      }
      return null;
    };
    const first = await inbound();
    if (first !== null) {
      await sleep(ms);
      // Chromium's fake microphone beeps once a second: about 1e-2 over 2 s; silence is ~0.
      return { method: 'totalAudioEnergy', energy: (await inbound()) - first, threshold: 1e-4 };
    }
    const ctx = new AudioContext();
    await ctx.resume();
    const source = ctx.createMediaStreamSource(document.getElementById('remote-video').srcObject);
    const analyser = ctx.createAnalyser();
    source.connect(analyser);
    const buffer = new Float32Array(analyser.fftSize);
    let sum = 0;
    let n = 0;
    const end = Date.now() + ms;
    while (Date.now() < end) {
      analyser.getFloatTimeDomainData(buffer);
      for (const v of buffer) sum += v * v;
      n += buffer.length;
      await sleep(20);
    }
    await ctx.close();
    return { method: 'analyser', energy: sum / n, threshold: 1e-5, contextState: ctx.state };
  }, { ms, after });
}

function remoteLuma(p) {
  return p.page.evaluate(() => window.pageProbe.lumaOf(document.getElementById('remote-video')));
}

/** Whether each element's box lies within the viewport (and the page is no wider than it). */
function boxesOnScreen(p, selectors) {
  return p.page.evaluate((selectors) => {
    const problems = [];
    const width = window.innerWidth;
    const height = window.innerHeight;
    if (document.documentElement.scrollWidth > width) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    const boxes = {};
    for (const selector of selectors) {
      const el = document.querySelector(selector);
      const r = el?.getBoundingClientRect();
      boxes[selector] = r && { left: Math.round(r.left), top: Math.round(r.top), right: Math.round(r.right), bottom: Math.round(r.bottom) };
      if (!r || el.offsetParent === null && getComputedStyle(el).position !== 'fixed') problems.push(`${selector} is not shown`);
      else if (r.width < 1 || r.height < 1 || r.left < 0 || r.top < 0 || r.right > width || r.bottom > height) problems.push(`${selector} at ${JSON.stringify(boxes[selector])} is not within ${width}×${height}`);
    }
    return { problems, boxes };
  }, selectors);
}

module.exports = { PAGE_PROBE, ringLevel, liveOscillators, audioEnergy, remoteLuma, boxesOnScreen };
