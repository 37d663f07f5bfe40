// The ring of an incoming call and the ring-back tone a caller hears, made with WebAudio (no
// sound files). Browsers only let a page make sound after a click on it: unlock() runs on the
// "Go online" click, so that a call arriving later can ring. body[data-ring] says what rings.

const PATTERNS = {
  // Two short bursts every 2 s, like a phone: clearly "answer me".
  incoming: { frequencies: [440, 480], gain: 0.18, bursts: [[0, 0.4], [0.6, 1.0]], period: 2 },
  // One long, quieter tone every 3 s: the other side is being rung.
  outgoing: { frequencies: [425], gain: 0.06, bursts: [[0, 1.0]], period: 3 },
};

let context = null;
let playing = null; // { kind, oscillators, gain, timer }

function audioContext() {
  const Context = window.AudioContext ?? window.webkitAudioContext;
  if (!Context) return null;
  context ??= new Context();
  return context;
}

/** Call from a click: creates the AudioContext (or wakes it) while the browser allows it. */
export function unlock() {
  audioContext()?.resume().catch(() => {});
}

// Schedules the bursts of one period from `start` on the gain node (silent in between).
function schedulePeriod(pattern, gain, start) {
  for (const [from, to] of pattern.bursts) {
    gain.gain.setValueAtTime(pattern.gain, start + from);
    gain.gain.setValueAtTime(0, start + to);
  }
}

export function startRing(kind) {
  if (playing?.kind === kind) return;
  stopRing();
  document.body.dataset.ring = kind;
  const ctx = audioContext();
  if (!ctx) return;
  ctx.resume().catch(() => {});
  const pattern = PATTERNS[kind];
  const gain = ctx.createGain();
  gain.gain.value = 0;
  gain.connect(ctx.destination);
  const oscillators = pattern.frequencies.map((frequency) => {
    const oscillator = ctx.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
    return oscillator;
  });
  // A period ahead at a time: a timer that a background tab slows down still keeps up.
  let next = ctx.currentTime + 0.05;
  const keepUp = () => {
    while (next < ctx.currentTime + pattern.period * 2) {
      schedulePeriod(pattern, gain, next);
      next += pattern.period;
    }
  };
  keepUp();
  playing = { kind, oscillators, gain, timer: setInterval(keepUp, pattern.period * 500) };
}

export function stopRing() {
  delete document.body.dataset.ring;
  if (!playing) return;
  clearInterval(playing.timer);
  for (const oscillator of playing.oscillators) {
    oscillator.stop();
    oscillator.disconnect();
  }
  playing.gain.disconnect();
  playing = null;
}
