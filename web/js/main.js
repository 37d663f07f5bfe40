// The video-chat page: presence, the call set-up of the article over the signaling server, and
// the state the UI shows. States (body[data-state]): disconnected, ready (connected, no name yet),
// idle (online), calling, incoming, connecting, in-call.

import { Signaling, loadClient } from './signaling.js';
import { loadConfig, loadRtcConfiguration } from './config.js';
import { openCamera } from './media.js';
import { PeerCall } from './call.js';
import { peopleFrom } from './people.js';
import { hangupMessage, insecureContextHint } from './texts.js';
import * as ring from './ring.js';
import * as view from './view.js';

const RING_TIMEOUT_MS = 45_000;        // an unanswered call gives up after this
const PEER_CAMERA_TIMEOUT_MS = 60_000; // the callee waits this long for the caller's camera
const CONNECT_TIMEOUT_MS = 30_000;     // offer/answer and ICE must finish within this
const RECOVER_TIMEOUT_MS = 45_000;     // an interrupted call (network change) may take this to come back

const app = {
  state: 'disconnected',
  everConnected: false,
  joined: false,
  name: '',
  /** ICE servers and transport policy from the server, as loaded with the page. */
  rtcConfiguration: { iceServers: [] },
  /** The server's list as peopleFrom() shapes it. */
  people: [],
  selectedId: null,
  /** Our socket id when we were last connected: a new one after a reconnect goes to the peer. */
  lastId: null,
  /**
   * The call in progress: { peer: {id, name, label, hue}, role: 'caller'|'callee', step, requested
   * (the peer knows of the call), stream, media: {muted, cameraOff}, peerCallStarted, call,
   * pendingCandidates, timer, peerAway (the peer is off the server's list while the call goes on) }
   */
  session: null,
};

let signaling;

function personOf(id) {
  return app.people.find((p) => p.id === id) ?? { id, name: id, label: id, hue: 0, busy: false };
}

function statusText() {
  const peer = app.session?.peer.label;
  switch (app.state) {
    case 'disconnected': return app.everConnected ? 'Lost the server connection; reconnecting…' : 'Connecting to the server…';
    case 'ready': return 'Connected. Enter your name to go online.';
    case 'idle': return app.people.length > 1
      ? `Online as ${app.name}. Pick someone to call.`
      : `Online as ${app.name}. Nobody else is online yet.`;
    case 'calling': return app.session.step ?? `Calling ${peer}…`;
    case 'incoming': return `${peer} is calling you.`;
    case 'connecting': return app.session.step;
    case 'in-call':
      if (!signaling?.connected) return `Reconnecting… (the call with ${peer} goes on)`;
      if (app.session.peerAway) return `In a call with ${peer}, who is reconnecting to the server…`;
      return app.session.step ?? `In a call with ${peer}.`;
    default: return '';
  }
}

function render() {
  const selfId = signaling?.id;
  const idle = app.state === 'idle';
  const selected = app.people.find((p) => p.id === app.selectedId && p.id !== selfId);
  const session = app.session;
  view.renderPeople(app.people, {
    selfId,
    selectedId: app.selectedId,
    peerId: session?.peer.id,
    peerTag: { calling: 'ringing', incoming: 'calling you' }[app.state] ?? 'in call',
    canSelect: idle,
    emptyText: app.joined && !signaling?.connected ? 'Reconnecting to the server…' : 'Go online to see who else is here.',
  }, select);
  view.setControls({
    joined: app.joined,
    connected: Boolean(signaling?.connected),
    canCall: idle && Boolean(selected),
    callLabel: selected ? `Call ${selected.label}` : 'Call',
    inSession: Boolean(session) && app.state !== 'incoming',
    hangupLabel: app.state === 'calling' ? 'Cancel' : 'Hang up',
    media: session?.stream ? session.media : null,
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

// Presence says whether we are busy, so that everyone's list shows it (docs/SIGNALING.md).
function announce() {
  if (app.joined && signaling?.connected) signaling.goOnline(app.name, Boolean(app.session));
}

function newSession(peer, role) {
  const session = { peer: { ...peer }, role, pendingCandidates: [], media: { muted: false, cameraOff: false } };
  app.session = session;
  announce();
  loadRtcConfiguration().then((configuration) => { session.rtcConfiguration = configuration; });
  return session;
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
  if (notify && session.requested) {
    // Both ways: the data channel still reaches the peer when the server does not.
    session.call?.sendControl({ type: 'hangup', reason: notify });
    if (signaling.connected) signaling.send('hangup', session.peer.id, { reason: notify });
  }
  session.call?.close();
  for (const track of session.stream?.getTracks() ?? []) track.stop();
  ring.stopRing();
  view.hideIncoming();
  view.hideOutgoing();
  view.clearVideos();
  if (message) view.showMessage(message, kind);
  announce();
  setState(restingState());
}

// Opens the camera for this session; on failure ends the call (telling the peer, if it knows).
async function startCamera(session, failurePrefix = '') {
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
    if (app.session === session) endSession(failurePrefix + error.message, { notify: 'media', kind: 'error' });
    return null;
  }
}

function sendMediaState(session) {
  session.call?.sendControl({ type: 'media', muted: session.media.muted, cameraOff: session.media.cameraOff });
}

function onControl(session, message) {
  if (app.session !== session) return;
  if (message.type === 'media') {
    view.setRemoteMedia(session.peer.label, { muted: message.muted === true, cameraOff: message.cameraOff === true });
  } else if (message.type === 'hangup') {
    onHangup(session.peer.id, { reason: message.reason });
  } else if (message.type === 'signaling-id' && typeof message.id === 'string') {
    // The peer came back to the server under a new id (no state recovery, or a server restart):
    // the call's messages go there from now on.
    session.peer.id = message.id;
    peerSeen(session);
    session.call?.restartIce();
    render();
  }
}

// The peer is on the server's list (again): its name there, and no longer away.
function peerSeen(session) {
  const peer = app.people.find((p) => p.id === session.peer.id);
  if (!peer) return false;
  Object.assign(session.peer, { name: peer.name, label: peer.label, hue: peer.hue });
  session.peerAway = false;
  return true;
}

// Creates the session's peer connection once; a repeated `stream ok` or `offer` gets null.
function startPeerCall(session) {
  if (session.peerCallStarted) return null;
  session.peerCallStarted = true;
  clearTimeout(session.timer); // the peer connection has its own connect timeout
  const name = session.peer.label;
  const call = new PeerCall({
    // The one fetched when the session began, if it has come by now: TURN credentials expire.
    rtcConfiguration: session.rtcConfiguration ?? app.rtcConfiguration,
    localStream: session.stream,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    recoverTimeoutMs: RECOVER_TIMEOUT_MS,
    offerer: session.role === 'callee',
    signal: (event, payload) => signaling.send(event, session.peer.id, payload),
    onRemoteStream: (stream) => {
      if (app.session === session) view.setRemoteStream(stream, name);
    },
    onConnected: () => {
      if (app.session === session) setState('in-call');
    },
    onInterrupted: (interrupted) => {
      if (app.session !== session) return;
      // Off the server's list and the media gone too: the peer's page is gone, not reconnecting.
      if (interrupted && session.peerAway) {
        endSession(`${session.peer.label} went offline, so the call ended.`, { kind: 'error' });
        return;
      }
      setState('in-call', interrupted ? `The connection to ${name} was interrupted; trying to recover…` : undefined);
    },
    onFailed: (reason) => {
      if (app.session !== session) return;
      endSession(reason === 'timeout'
        ? `The call with ${name} could not connect in time. A firewall may be blocking it.`
        : `The call with ${name} could not connect (no network path between you). A firewall may be blocking it.`,
      { notify: 'failed', kind: 'error' });
    },
    onControlOpen: () => sendMediaState(session),
    onControl: (message) => onControl(session, message),
  });
  session.call = call;
  for (const candidate of session.pendingCandidates) call.addRemoteCandidate(candidate);
  session.pendingCandidates = [];
  return call;
}

function failSetUp(session, error) {
  console.error('Call set-up failed', error);
  if (app.session === session) {
    endSession(`The call with ${session.peer.label} could not be set up (${error?.message || error}).`, { notify: 'failed', kind: 'error' });
  }
}

// ---- user actions ----

function join(event) {
  event.preventDefault();
  ring.unlock(); // a click: the moment the browser lets the page make sound later
  const name = view.els.name.value.trim();
  if (!name) {
    view.showMessage('Enter a name so others know who you are.', 'error');
    view.els.name.focus();
    return;
  }
  view.clearMessage();
  app.name = name;
  app.joined = true;
  announce();
  if (app.state === 'ready') setState('idle');
  else render();
}

// The caller's camera opens before the callee's page rings: a blocked camera shows here, and
// nobody is asked to pick up a call that could not have started.
async function call() {
  const peer = app.people.find((p) => p.id === app.selectedId);
  if (app.state !== 'idle' || !peer || peer.id === signaling.id) return;
  view.clearMessage();
  ring.unlock();
  const session = newSession(peer, 'caller');
  setState('calling', 'Starting your camera…');
  if (!await startCamera(session)) return;
  session.requested = true;
  signaling.send('request chat', peer.id);
  armTimer(session, RING_TIMEOUT_MS, `${peer.label} did not answer.`, 'no-answer');
  ring.startRing('outgoing');
  view.showOutgoing(session.peer, `Calling ${session.peer.label}… ringing`);
  setState('calling');
}

async function accept() {
  const session = app.session;
  if (!session || app.state !== 'incoming') return;
  ring.stopRing();
  view.hideIncoming();
  clearTimeout(session.timer);
  setState('connecting', 'Starting your camera…');
  if (!await startCamera(session)) return;
  signaling.send('stream ok', session.peer.id);
  armTimer(session, PEER_CAMERA_TIMEOUT_MS, `${session.peer.label}'s camera did not start.`, 'failed');
  setState('connecting', `Waiting for ${session.peer.label}'s camera…`);
}

function decline() {
  if (app.state !== 'incoming') return;
  endSession(null, { notify: 'declined' });
}

function hangup() {
  if (!app.session) return;
  if (app.state === 'calling') endSession('Call cancelled.', { notify: 'cancelled' });
  else endSession('Call ended.', { notify: 'hangup' });
}

function toggleMedia(which) {
  const session = app.session;
  if (!session?.stream) return;
  const off = !session.media[which];
  session.media[which] = off;
  const tracks = which === 'muted' ? session.stream.getAudioTracks() : session.stream.getVideoTracks();
  // A disabled track sends silence or black frames: the call and its negotiation stay as they are.
  for (const track of tracks) track.enabled = !off;
  sendMediaState(session);
  render();
}

// ---- events from the server ----

function onOnline(list) {
  app.people = peopleFrom(list);
  if (app.selectedId && !app.people.some((p) => p.id === app.selectedId)) app.selectedId = null;
  const session = app.session;
  if (session && !peerSeen(session)) {
    // Media is peer to peer: while it flows, the peer may only be reconnecting to the server
    // (and will say its new id over the data channel); the call ends if the media stops too.
    if (!session.call?.isUp) {
      endSession(`${session.peer.label} went offline, so the call ended.`, { kind: 'error' });
      return;
    }
    session.peerAway = true;
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
  const session = newSession(personOf(fromId), 'callee');
  session.requested = true;
  armTimer(session, RING_TIMEOUT_MS, `You missed a call from ${session.peer.label}.`, 'no-answer');
  setState('incoming');
  ring.startRing('incoming');
  view.showIncoming(session.peer);
}

async function onStreamOk(fromId) {
  const session = app.session;
  if (!session || session.peer.id !== fromId) return;
  const name = session.peer.label;
  if (session.role === 'caller' && app.state === 'calling' && session.stream) {
    // The callee accepted and its camera is on; ours has been on since the call was placed.
    ring.stopRing();
    view.hideOutgoing();
    signaling.send('stream ok', fromId);
    armTimer(session, CONNECT_TIMEOUT_MS, `The call with ${name} could not connect in time.`, 'failed');
    setState('connecting', `Connecting to ${name}…`);
  } else if (session.role === 'callee' && session.stream && !session.peerCallStarted) {
    // Both cameras are on: the callee makes the offer.
    setState('connecting', `Connecting to ${name}…`);
    try {
      await startPeerCall(session)?.createOffer();
    } catch (error) {
      failSetUp(session, error);
    }
  }
}

async function onOffer(fromId, description) {
  const session = app.session;
  if (!session || session.peer.id !== fromId || session.role !== 'caller' || !session.stream) return;
  try {
    // The first offer sets the call up; a later one renegotiates it (an ICE restart).
    await (session.call ?? startPeerCall(session))?.acceptOffer(description);
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
  const reason = info?.reason;
  endSession(hangupMessage(session.peer.label, reason), { kind: reason === 'hangup' || reason === 'cancelled' ? 'info' : 'error' });
}

function onSignalingError(error) {
  const session = app.session;
  if (session && error?.to === session.peer.id) {
    if (session.call?.isUp) {
      session.peerAway = true; // reconnecting under a new id, which it will tell us
      render();
      return;
    }
    endSession(`${session.peer.label} is no longer online.`, { kind: 'error' });
    return;
  }
  // Someone who has left since: the server sends its new list before it answers a message to
  // them, so the list already shows it, and a call with them was already ended with a message
  // saying why (a call placed just as they left, or late candidates). The server's technical
  // words for the same thing would only replace that clear message.
  if (error?.reason === 'unknown-target' && !app.people.some((p) => p.id === error?.to)) return;
  view.showMessage(`The server could not deliver “${error?.event ?? 'a message'}” (${error?.reason ?? 'unknown reason'}).`, 'error', { stale: true });
}

function onConnect() {
  app.everConnected = true;
  // Errors about the connection that is now back no longer hold.
  view.clearStaleMessage();
  // After a reconnect the server has forgotten us (unless it recovered our session): announce
  // the name again, and tell a peer we are still in a call with where to reach us now.
  announce();
  const session = app.session;
  if (session && app.lastId && signaling.id !== app.lastId) {
    session.call?.sendControl({ type: 'signaling-id', id: signaling.id });
  }
  app.lastId = signaling.id;
  session?.call?.restartIce(); // an offer lost while the server was away goes out again
  setState(session ? app.state : restingState());
}

function onDisconnect() {
  app.people = [];
  app.selectedId = null;
  const session = app.session;
  // An established call goes on without the server (media is peer to peer); anything still
  // being set up needs it, and ends.
  if (session && !(app.state === 'in-call' && session.call?.connected)) {
    endSession('Lost the connection to the server, so the call ended.', { kind: 'error' });
  }
  setState(app.session ? app.state : 'disconnected');
}

async function start() {
  if (!window.isSecureContext) view.showSecureHint(insecureContextHint(location));
  view.els.joinForm.addEventListener('submit', join);
  view.els.call.addEventListener('click', call);
  view.els.accept.addEventListener('click', accept);
  view.els.decline.addEventListener('click', decline);
  view.els.hangup.addEventListener('click', hangup);
  view.els.mute.addEventListener('click', () => toggleMedia('muted'));
  view.els.camera.addEventListener('click', () => toggleMedia('cameraOff'));
  // Tell the peer at once instead of leaving it to wait for the server to notice.
  window.addEventListener('pagehide', () => endSession(null, { notify: 'left' }));
  render();

  const config = await loadConfig();
  app.rtcConfiguration = config.rtcConfiguration;
  try {
    await loadClient(config.engineUrl);
    signaling = new Signaling(config.engineUrl);
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
}

start();
