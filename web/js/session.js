// The call in progress: its set-up stages and their timers, the camera, the peer connection
// (call.js) and its data channel, and how it ends.

import { loadRtcConfiguration } from './config.js';
import { openCamera } from './media.js';
import { PeerCall } from './call.js';
import { hangupMessage } from './texts.js';
import * as ring from './ring.js';
import * as view from './view.js';
import { app, announce, render, restingState, setState } from './state.js';

export const CONNECT_TIMEOUT_MS = 30_000; // offer/answer and ICE must finish within this
const RECOVER_TIMEOUT_MS = 45_000;        // an interrupted call (network change) may take this to come back

export function newSession(peer, role) {
  const session = { peer: { ...peer }, role, pendingCandidates: [], media: { muted: false, cameraOff: false } };
  app.session = session;
  announce();
  loadRtcConfiguration().then((configuration) => { session.rtcConfiguration = configuration; });
  return session;
}

// Starts (or replaces) the one timer of the current stage; when it fires the call ends.
export function armTimer(session, ms, message, reason) {
  clearTimeout(session.timer);
  session.timer = setTimeout(() => {
    if (app.session === session) endSession(message, { notify: reason, kind: 'error' });
  }, ms);
}

/** Ends the current call, tells the peer why when `notify` is a reason, and returns to idle. */
export function endSession(message, { notify = null, kind = 'info' } = {}) {
  const session = app.session;
  if (!session) return;
  app.session = null;
  clearTimeout(session.timer);
  if (notify && session.requested) {
    // Both ways: the data channel still reaches the peer when the server does not.
    session.call?.sendControl({ type: 'hangup', reason: notify });
    if (app.signaling.connected) app.signaling.send('hangup', session.peer.id, { reason: notify });
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
export async function startCamera(session, failurePrefix = '') {
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

export function sendMediaState(session) {
  session.call?.sendControl({ type: 'media', muted: session.media.muted, cameraOff: session.media.cameraOff });
}

function onControl(session, message) {
  if (app.session !== session) return;
  if (message.type === 'media') {
    view.setRemoteMedia(session.peer.label, { muted: message.muted === true, cameraOff: message.cameraOff === true });
  } else if (message.type === 'hangup') {
    peerHungUp(session, message.reason);
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
export function peerSeen(session) {
  const peer = app.people.find((p) => p.id === session.peer.id);
  if (!peer) return false;
  Object.assign(session.peer, { name: peer.name, label: peer.label, hue: peer.hue });
  session.peerAway = false;
  return true;
}

// Creates the session's peer connection once; a repeated `stream ok` or `offer` gets null.
export function startPeerCall(session) {
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
    signal: (event, payload) => app.signaling.send(event, session.peer.id, payload),
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

export function failSetUp(session, error) {
  console.error('Call set-up failed', error);
  if (app.session === session) {
    endSession(`The call with ${session.peer.label} could not be set up (${error?.message || error}).`, { notify: 'failed', kind: 'error' });
  }
}

/** The peer ended the call (over the server or the data channel), for this `reason`. */
export function peerHungUp(session, reason) {
  if (app.session !== session) return;
  endSession(hangupMessage(session.peer.label, reason), { kind: reason === 'hangup' || reason === 'cancelled' ? 'info' : 'error' });
}
