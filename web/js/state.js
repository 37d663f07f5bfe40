// The page's state, and how it is shown: who is online, the call in progress (if any) and the
// status line. States (body[data-state]): disconnected, ready (connected, no name yet), idle
// (online), calling, incoming, connecting, in-call.

import * as view from './view.js';

export const app = {
  /** The Signaling connection, once the client has loaded. */
  signaling: null,
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

export function personOf(id) {
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
      if (!app.signaling?.connected) return `Reconnecting… (the call with ${peer} goes on)`;
      if (app.session.peerAway) return `In a call with ${peer}, who is reconnecting to the server…`;
      return app.session.step ?? `In a call with ${peer}.`;
    default: return '';
  }
}

export function render() {
  const selfId = app.signaling?.id;
  const idle = app.state === 'idle';
  const selected = app.people.find((p) => p.id === app.selectedId && p.id !== selfId);
  const session = app.session;
  view.renderPeople(app.people, {
    selfId,
    selectedId: app.selectedId,
    peerId: session?.peer.id,
    peerTag: { calling: 'ringing', incoming: 'calling you' }[app.state] ?? 'in call',
    canSelect: idle,
    emptyText: app.joined && !app.signaling?.connected ? 'Reconnecting to the server…' : 'Go online to see who else is here.',
  }, select);
  view.setControls({
    joined: app.joined,
    connected: Boolean(app.signaling?.connected),
    canCall: idle && Boolean(selected),
    callLabel: selected ? `Call ${selected.label}` : 'Call',
    inSession: Boolean(session) && app.state !== 'incoming',
    hangupLabel: app.state === 'calling' ? 'Cancel' : 'Hang up',
    media: session?.stream ? session.media : null,
  });
  view.setState(app.state, statusText());
}

export function setState(state, step) {
  app.state = state;
  if (app.session) app.session.step = step;
  render();
}

export function restingState() {
  if (!app.signaling?.connected) return 'disconnected';
  return app.joined ? 'idle' : 'ready';
}

export function select(id) {
  if (app.state !== 'idle') return;
  app.selectedId = id;
  render();
}

// Presence says whether we are busy, so that everyone's list shows it (docs/SIGNALING.md).
export function announce() {
  if (app.joined && app.signaling?.connected) app.signaling.goOnline(app.name, Boolean(app.session));
}
