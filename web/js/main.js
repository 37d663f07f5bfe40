// The video-chat page: presence, the call set-up of the article over the signaling server, and
// the state the UI shows. States (body[data-state]): disconnected, ready (connected, no name yet),
// idle (online), calling, incoming, connecting, in-call.

import { Signaling } from './signaling.js';
import { loadRtcConfiguration } from './config.js';
import { openCamera } from './media.js';
import { PeerCall } from './call.js';
import * as view from './view.js';

const RING_TIMEOUT_MS = 45_000;        // an unanswered call gives up after this
const PEER_CAMERA_TIMEOUT_MS = 60_000; // the callee waits this long for the caller's camera
const CONNECT_TIMEOUT_MS = 30_000;     // offer/answer and ICE must finish within this

const app = {
  state: 'disconnected',
  everConnected: false,
  joined: false,
  name: '',
  people: [],
  selectedId: null,
  /** The call in progress: { peer: {id, name}, role: 'caller'|'callee', step, stream, peerCallStarted, call, pendingCandidates, timer } */
  session: null,
};

let signaling;

function personName(id) {
  return app.people.find((p) => p.id === id)?.name ?? id;
}

function statusText() {
  const peer = app.session?.peer.name;
  switch (app.state) {
    case 'disconnected': return app.everConnected ? 'Lost the server connection; reconnecting…' : 'Connecting to the server…';
    case 'ready': return 'Connected. Enter your name to go online.';
    case 'idle': return app.people.length > 1
      ? `Online as ${app.name}. Pick someone to call.`
      : `Online as ${app.name}. Nobody else is online yet.`;
    case 'calling': return `Calling ${peer}…`;
    case 'incoming': return `${peer} is calling you.`;
    case 'connecting': return app.session.step;
    case 'in-call': return app.session.step ?? `In a call with ${peer}.`;
    default: return '';
  }
}

function render() {
  const selfId = signaling?.id;
  const idle = app.state === 'idle';
  const selected = app.people.find((p) => p.id === app.selectedId && p.id !== selfId);
  view.renderPeople(app.people, {
    selfId,
    selectedId: app.selectedId,
    peerId: app.session?.peer.id,
    canSelect: idle,
  }, select);
  view.setControls({
    joined: app.joined,
    connected: Boolean(signaling?.connected),
    canCall: idle && Boolean(selected),
    callLabel: selected ? `Call ${selected.name}` : 'Call',
    inSession: Boolean(app.session) && app.state !== 'incoming',
  });
  view.setState(app.state, statusText());
}

function setState(state, step) {
  app.state = state;
  if (app.session) app.session.step = step;
  render();
}

function restingState() {
  if (!signaling?.connected) return 'disconnected';
  return app.joined ? 'idle' : 'ready';
}

function select(id) {
  if (app.state !== 'idle') return;
  app.selectedId = id;
  render();
}

// Starts (or replaces) the one timer of the current stage; when it fires the call ends.
function armTimer(session, ms, message, reason) {
  clearTimeout(session.timer);
  session.timer = setTimeout(() => {
    if (app.session === session) endSession(message, { notify: reason, kind: 'error' });
  }, ms);
}

/** Ends the current call, tells the peer why when `notify` is a reason, and returns to idle. */
function endSession(message, { notify = null, kind = 'info' } = {}) {
  const session = app.session;
  if (!session) return;
  app.session = null;
  clearTimeout(session.timer);
  if (notify && signaling.connected) signaling.send('hangup', session.peer.id, { reason: notify });
  session.call?.close();
  for (const track of session.stream?.getTracks() ?? []) track.stop();
  view.hideIncoming();
  view.clearVideos();
  if (message) view.showMessage(message, kind);
  setState(restingState());
}

function hangupMessage(name, reason) {
  switch (reason) {
    case 'declined': return `${name} declined the call.`;
    case 'busy': return `${name} is busy in another call.`;
    case 'media': return `${name}'s camera could not start, so the call was cancelled.`;
    case 'no-answer': return `${name} did not answer in time.`;
    case 'failed': return `The call with ${name} could not connect.`;
    case 'left': return `${name} left, so the call ended.`;
    default: return `${name} hung up.`;
  }
}

// Opens the camera for this session; on failure ends the call and tells the peer.
async function startCamera(session) {
  try {
    const stream = await openCamera();
    if (app.session !== session) {
      for (const track of stream.getTracks()) track.stop();
      return null;
    }
    session.stream = stream;
    view.setLocalStream(stream);
    if (stream.getVideoTracks().length === 0) view.showMessage('No camera found; the call is audio only.', 'info');
    return stream;
  } catch (error) {
    if (app.session === session) endSession(error.message, { notify: 'media', kind: 'error' });
    return null;
  }
}

// Creates the session's peer connection once; a repeated `stream ok` or `offer` gets null.
async function startPeerCall(session) {
  if (session.peerCallStarted) return null;
  session.peerCallStarted = true;
  const rtcConfiguration = await loadRtcConfiguration();
  if (app.session !== session) return null;
  clearTimeout(session.timer); // the peer connection has its own connect timeout
  const name = session.peer.name;
  const call = new PeerCall({
    rtcConfiguration,
    localStream: session.stream,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    signal: (event, payload) => signaling.send(event, session.peer.id, payload),
    onRemoteStream: (stream) => {
      if (app.session === session) view.setRemoteStream(stream, name);
    },
    onConnected: () => {
      if (app.session === session) setState('in-call', `In a call with ${name}.`);
    },
    onInterrupted: (interrupted) => {
      if (app.session === session) {
        setState('in-call', interrupted ? `The connection to ${name} was interrupted; trying to recover…` : `In a call with ${name}.`);
      }
    },
    onFailed: (reason) => {
      if (app.session !== session) return;
      endSession(reason === 'timeout'
        ? `The call with ${name} could not connect in time. A firewall may be blocking it.`
        : `The call with ${name} could not connect (no network path between you). A firewall may be blocking it.`,
      { notify: 'failed', kind: 'error' });
    },
  });
  session.call = call;
  for (const candidate of session.pendingCandidates) call.addRemoteCandidate(candidate);
  session.pendingCandidates = [];
  return call;
}

function failSetUp(session, error) {
  console.error('Call set-up failed', error);
  if (app.session === session) {
    endSession(`The call with ${session.peer.name} could not be set up (${error?.message || error}).`, { notify: 'failed', kind: 'error' });
  }
}

// ---- user actions ----

function join(event) {
  event.preventDefault();
  const name = view.els.name.value.trim();
  if (!name) {
    view.showMessage('Enter a name so others know who you are.', 'error');
    view.els.name.focus();
    return;
  }
  view.clearMessage();
  app.name = name;
  app.joined = true;
  signaling.goOnline(name);
  if (app.state === 'ready') setState('idle');
  else render();
}

function call() {
  const peer = app.people.find((p) => p.id === app.selectedId);
  if (app.state !== 'idle' || !peer || peer.id === signaling.id) return;
  view.clearMessage();
  const session = { peer: { ...peer }, role: 'caller', pendingCandidates: [] };
  app.session = session;
  signaling.send('request chat', peer.id);
  armTimer(session, RING_TIMEOUT_MS, `${peer.name} did not answer.`, 'no-answer');
  setState('calling');
}

async function accept() {
  const session = app.session;
  if (!session || app.state !== 'incoming') return;
  view.hideIncoming();
  clearTimeout(session.timer);
  setState('connecting', 'Starting your camera…');
  if (!await startCamera(session)) return;
  signaling.send('stream ok', session.peer.id);
  armTimer(session, PEER_CAMERA_TIMEOUT_MS, `${session.peer.name}'s camera did not start.`, 'failed');
  setState('connecting', `Waiting for ${session.peer.name}'s camera…`);
}

function decline() {
  if (app.state !== 'incoming') return;
  endSession(null, { notify: 'declined' });
}

function hangup() {
  if (!app.session) return;
  endSession('Call ended.', { notify: 'hangup' });
}

// ---- events from the server ----

function onOnline(list) {
  app.people = Array.isArray(list)
    ? list.filter((p) => p && typeof p.id === 'string').map((p) => ({ id: p.id, name: typeof p.name === 'string' && p.name ? p.name : p.id }))
    : [];
  if (app.selectedId && !app.people.some((p) => p.id === app.selectedId)) app.selectedId = null;
  const session = app.session;
  if (session) {
    const peer = app.people.find((p) => p.id === session.peer.id);
    if (!peer) {
      endSession(`${session.peer.name} went offline, so the call ended.`, { kind: 'error' });
      return;
    }
    session.peer.name = peer.name;
  }
  render();
}

function onRequestChat(fromId) {
  if (typeof fromId !== 'string' || app.session?.peer.id === fromId) return;
  if (!app.joined || app.session) {
    signaling.send('hangup', fromId, { reason: 'busy' });
    return;
  }
  view.clearMessage();
  const session = { peer: { id: fromId, name: personName(fromId) }, role: 'callee', pendingCandidates: [] };
  app.session = session;
  armTimer(session, RING_TIMEOUT_MS, `You missed a call from ${session.peer.name}.`, 'no-answer');
  setState('incoming');
  view.showIncoming(session.peer.name);
}

async function onStreamOk(fromId) {
  const session = app.session;
  if (!session || session.peer.id !== fromId) return;
  const name = session.peer.name;
  if (session.role === 'caller' && app.state === 'calling') {
    // The callee accepted and its camera is on; now ours.
    setState('connecting', 'Starting your camera…');
    if (!await startCamera(session)) return;
    signaling.send('stream ok', fromId);
    armTimer(session, CONNECT_TIMEOUT_MS, `The call with ${name} could not connect in time.`, 'failed');
    setState('connecting', `Connecting to ${name}…`);
  } else if (session.role === 'callee' && session.stream && !session.peerCallStarted) {
    // Both cameras are on: the callee makes the offer.
    setState('connecting', `Connecting to ${name}…`);
    try {
      const peerCall = await startPeerCall(session);
      await peerCall?.createOffer();
    } catch (error) {
      failSetUp(session, error);
    }
  }
}

async function onOffer(fromId, description) {
  const session = app.session;
  if (!session || session.peer.id !== fromId || session.role !== 'caller' || !session.stream) return;
  try {
    const peerCall = await startPeerCall(session);
    await peerCall?.acceptOffer(description);
  } catch (error) {
    failSetUp(session, error);
  }
}

async function onAnswer(fromId, description) {
  const session = app.session;
  if (!session || session.peer.id !== fromId || session.role !== 'callee' || !session.call) return;
  try {
    await session.call.acceptAnswer(description);
  } catch (error) {
    failSetUp(session, error);
  }
}

function onCandidate(fromId, candidate) {
  const session = app.session;
  if (!session || session.peer.id !== fromId) return;
  if (session.call) session.call.addRemoteCandidate(candidate);
  else session.pendingCandidates.push(candidate);
}

function onHangup(fromId, info) {
  const session = app.session;
  if (!session || session.peer.id !== fromId) return;
  endSession(hangupMessage(session.peer.name, info?.reason), { kind: info?.reason === 'hangup' ? 'info' : 'error' });
}

function onSignalingError(error) {
  const session = app.session;
  if (session && error?.to === session.peer.id) {
    endSession(`${session.peer.name} is no longer online.`, { kind: 'error' });
    return;
  }
  // Someone who has left since: the server sends its new list before it answers a message to
  // them, so the list already shows it, and a call with them was already ended with a message
  // saying why (a call placed just as they left, or late candidates). The server's technical
  // words for the same thing would only replace that clear message.
  if (error?.reason === 'unknown-target' && !app.people.some((p) => p.id === error?.to)) return;
  view.showMessage(`The server could not deliver “${error?.event ?? 'a message'}” (${error?.reason ?? 'unknown reason'}).`, 'error');
}

function onConnect() {
  app.everConnected = true;
  // After a reconnect the server has forgotten us: announce the name again.
  if (app.joined) signaling.goOnline(app.name);
  setState(app.session ? app.state : restingState());
}

function onDisconnect() {
  app.people = [];
  app.selectedId = null;
  if (app.session) endSession('Lost the connection to the server, so the call ended.', { kind: 'error' });
  setState('disconnected');
}

function start() {
  try {
    signaling = new Signaling();
  } catch (error) {
    view.showMessage(error.message, 'error');
    view.setState('disconnected', 'Cannot reach the server.');
    return;
  }
  signaling.on('connect', onConnect);
  signaling.on('disconnect', onDisconnect);
  signaling.on('online', onOnline);
  signaling.on('request chat', onRequestChat);
  signaling.on('stream ok', onStreamOk);
  signaling.on('offer', onOffer);
  signaling.on('answer', onAnswer);
  signaling.on('candidate', onCandidate);
  signaling.on('hangup', onHangup);
  signaling.on('signaling error', onSignalingError);

  view.els.joinForm.addEventListener('submit', join);
  view.els.call.addEventListener('click', call);
  view.els.accept.addEventListener('click', accept);
  view.els.decline.addEventListener('click', decline);
  view.els.hangup.addEventListener('click', hangup);
  // Tell the peer at once instead of leaving it to wait for the server to notice.
  window.addEventListener('pagehide', () => endSession(null, { notify: 'left' }));
  render();
}

start();
