// The video-chat page: what the person does (go online, call, accept, hang up, mute) and what
// the signaling server sends (presence, the call set-up of the article, errors); the state and
// how it shows are in state.js, the call itself in session.js.

import { Signaling, loadClient } from './signaling.js';
import { loadConfig } from './config.js';
import { peopleFrom } from './people.js';
import { insecureContextHint } from './texts.js';
import * as ring from './ring.js';
import * as view from './view.js';
import { app, announce, personOf, render, restingState, setState } from './state.js';
import {
  CONNECT_TIMEOUT_MS, armTimer, endSession, failSetUp, newSession, peerHungUp, peerSeen, startCamera,
  startPeerCall, sendMediaState,
} from './session.js';

const RING_TIMEOUT_MS = 45_000;        // an unanswered call gives up after this
const PEER_CAMERA_TIMEOUT_MS = 60_000; // the callee waits this long for the caller's camera

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
  if (app.state !== 'idle' || !peer || peer.id === app.signaling.id) return;
  view.clearMessage();
  ring.unlock();
  const session = newSession(peer, 'caller');
  setState('calling', 'Starting your camera…');
  if (!await startCamera(session)) return;
  session.requested = true;
  app.signaling.send('request chat', peer.id);
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
  app.signaling.send('stream ok', session.peer.id);
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
    app.signaling.send('hangup', fromId, { reason: 'busy' });
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
    app.signaling.send('stream ok', fromId);
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
  if (session && session.peer.id === fromId) peerHungUp(session, info?.reason);
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
  if (session && app.lastId && app.signaling.id !== app.lastId) {
    session.call?.sendControl({ type: 'signaling-id', id: app.signaling.id });
  }
  app.lastId = app.signaling.id;
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
    app.signaling = new Signaling(config.engineUrl);
  } catch (error) {
    view.showMessage(error.message, 'error');
    view.setState('disconnected', 'Cannot reach the server.');
    return;
  }
  app.signaling.on('connect', onConnect);
  app.signaling.on('disconnect', onDisconnect);
  app.signaling.on('online', onOnline);
  app.signaling.on('request chat', onRequestChat);
  app.signaling.on('stream ok', onStreamOk);
  app.signaling.on('offer', onOffer);
  app.signaling.on('answer', onAnswer);
  app.signaling.on('candidate', onCandidate);
  app.signaling.on('hangup', onHangup);
  app.signaling.on('signaling error', onSignalingError);
}

start();
