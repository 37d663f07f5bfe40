// Everything that touches the DOM. Names from other people only ever go in as textContent.

const $ = (id) => document.getElementById(id);

export const els = {
  status: $('status'),
  secureHint: $('secure-hint'),
  message: $('message'),
  joinForm: $('join-form'),
  name: $('name'),
  join: $('join'),
  people: $('people'),
  peopleCount: $('people-count'),
  peopleEmpty: $('people-empty'),
  call: $('call'),
  callControls: $('call-controls'),
  mute: $('mute'),
  camera: $('camera'),
  hangup: $('hangup'),
  incoming: $('incoming'),
  incomingName: $('incoming-name'),
  incomingAvatar: $('incoming-avatar'),
  outgoing: $('outgoing'),
  outgoingText: $('outgoing-text'),
  outgoingAvatar: $('outgoing-avatar'),
  accept: $('accept'),
  decline: $('decline'),
  localVideo: $('local-video'),
  localLabel: $('local-label'),
  remoteVideo: $('remote-video'),
  remoteLabel: $('remote-label'),
  remoteMedia: $('remote-media'),
  unmute: $('unmute'),
};

const TITLE = document.title;

export function setState(state, statusText) {
  document.body.dataset.state = state;
  if (els.status.textContent !== statusText) els.status.textContent = statusText;
  // A background tab should still show that someone is calling.
  document.title = state === 'incoming' ? `${statusText} — ${TITLE}` : TITLE;
  keepFocus();
}

// When the focused control disappears (Accept, Hang up), move focus to the next useful one
// instead of leaving keyboard and screen-reader users on the page body. The browser may already
// have dropped focus to the body by now, so remember what had it.
let lastFocused = null;
document.addEventListener('focusin', (event) => { lastFocused = event.target; });

function unusable(element) {
  return element.offsetParent === null || element.disabled;
}

function keepFocus() {
  const active = document.activeElement;
  if (active && active !== document.body && !unusable(active)) return;
  if (!lastFocused || !unusable(lastFocused)) return;
  lastFocused = null;
  [els.hangup, els.accept, els.call, els.name].find((el) => !unusable(el))?.focus();
}

/** `stale`: the message is about the server connection, and goes when it comes back. */
export function showMessage(text, kind = 'error', { stale = false } = {}) {
  els.message.textContent = text;
  els.message.dataset.kind = kind;
  els.message.toggleAttribute('data-stale', stale);
  els.message.hidden = false;
}

export function clearMessage() {
  els.message.hidden = true;
  els.message.textContent = '';
  delete els.message.dataset.kind;
  els.message.removeAttribute('data-stale');
}

export function clearStaleMessage() {
  if (els.message.hasAttribute('data-stale')) clearMessage();
}

/** A banner that stays: what keeps this page from using the camera at all. */
export function showSecureHint(text) {
  els.secureHint.textContent = text;
  els.secureHint.hidden = false;
}

function fillAvatar(avatar, person) {
  avatar.textContent = [...person.name][0]?.toUpperCase() ?? '?';
  avatar.style.setProperty('--hue', String(person.hue));
}

function avatarOf(person) {
  const avatar = document.createElement('span');
  avatar.className = 'avatar';
  avatar.setAttribute('aria-hidden', 'true');
  fillAvatar(avatar, person);
  return avatar;
}

function tagOf(text, className = 'tag') {
  const tag = document.createElement('span');
  tag.className = className;
  tag.textContent = text;
  return tag;
}

/**
 * @param {ReturnType<import('./people.js').peopleFrom>} people  the server's list, oldest first
 * @param {object} marks  selfId, selectedId, peerId (the person in a call with us), peerTag (what
 *   that call is: "in call", "ringing"…), canSelect, emptyText (what an empty list says)
 * @param {(id: string) => void} onSelect
 */
export function renderPeople(people, marks, onSelect) {
  const focusedId = document.activeElement?.closest?.('#people li')?.dataset.id;
  const items = people.map((person) => {
    const li = document.createElement('li');
    li.dataset.id = person.id;
    li.dataset.name = person.name;
    const label = document.createElement('span');
    label.className = 'person-name';
    label.textContent = person.name;
    // Told apart only when needed: the tag (from the id) follows the name, in a muted colour.
    if (person.tag) label.append(' ', tagOf(person.tag, 'id-tag'));

    if (person.id === marks.selfId) {
      li.dataset.self = 'true';
      li.className = 'self';
      li.append(avatarOf(person), label, tagOf('you'));
      return li;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'person';
    button.disabled = !marks.canSelect;
    button.setAttribute('aria-pressed', String(person.id === marks.selectedId));
    button.append(avatarOf(person), label);
    if (person.id === marks.peerId) {
      li.dataset.inCall = 'true';
      button.append(tagOf(marks.peerTag, 'tag live'));
    } else if (person.busy) {
      li.dataset.busy = 'true';
      button.append(tagOf('busy', 'tag busy'));
    }
    button.addEventListener('click', () => onSelect(person.id));
    li.append(button);
    return li;
  });
  els.people.replaceChildren(...items);
  els.peopleCount.textContent = String(people.length);
  els.peopleEmpty.hidden = people.length > 0;
  els.peopleEmpty.textContent = marks.emptyText;
  if (focusedId) els.people.querySelector(`li[data-id="${CSS.escape(focusedId)}"] button`)?.focus();
}

/**
 * @param {object} c  joined, connected, canCall, callLabel, inSession (controls over the video),
 *   hangupLabel, media ({muted, cameraOff} while the camera is open, else null)
 */
export function setControls(c) {
  els.join.disabled = !c.connected;
  els.join.textContent = c.joined ? 'Rename' : 'Go online';
  els.call.disabled = !c.canCall;
  els.call.textContent = c.callLabel;
  els.callControls.hidden = !c.inSession;
  els.hangup.hidden = !c.inSession;
  if (els.hangup.textContent !== c.hangupLabel) els.hangup.textContent = c.hangupLabel;
  for (const [button, off, on, offLabel] of [
    [els.mute, c.media?.muted, 'Mute', 'Unmute'],
    [els.camera, c.media?.cameraOff, 'Camera off', 'Camera on'],
  ]) {
    button.hidden = !c.media;
    button.setAttribute('aria-pressed', String(Boolean(off)));
    button.textContent = off ? offLabel : on;
  }
  els.localLabel.textContent = ['You', c.media?.muted && 'muted', c.media?.cameraOff && 'camera off'].filter(Boolean).join(' · ');
  els.localVideo.closest('figure').toggleAttribute('data-camera-off', Boolean(c.media?.cameraOff));
}

export function showIncoming(person) {
  els.incomingName.textContent = person.label;
  fillAvatar(els.incomingAvatar, person);
  els.incoming.hidden = false;
  els.accept.focus();
}

export function hideIncoming() {
  els.incoming.hidden = true;
}

export function showOutgoing(person, text) {
  els.outgoingText.textContent = text;
  fillAvatar(els.outgoingAvatar, person);
  els.outgoing.hidden = false;
}

export function hideOutgoing() {
  els.outgoing.hidden = true;
}

export function setLocalStream(stream) {
  els.localVideo.srcObject = stream;
  els.localVideo.closest('figure').dataset.live = 'true';
}

export function setRemoteStream(stream, name) {
  els.remoteLabel.textContent = name;
  if (els.remoteVideo.srcObject === stream) return;
  els.remoteVideo.srcObject = stream;
  els.remoteVideo.closest('figure').dataset.live = 'true';
  els.remoteVideo.play().catch((error) => {
    // Autoplay with sound can be refused without a recent click; play muted and offer sound.
    if (error?.name !== 'NotAllowedError') return;
    els.remoteVideo.muted = true;
    els.unmute.hidden = false;
    els.remoteVideo.play().catch(() => {});
  });
}

export function setRemoteLabel(text) {
  els.remoteLabel.textContent = text;
}

/** What the other side said about its own microphone and camera (null: nothing said). */
export function setRemoteMedia(name, media) {
  const parts = [media?.muted && `${name} is muted`, media?.cameraOff && `${name}'s camera is off`].filter(Boolean);
  els.remoteMedia.textContent = parts.join(' · ');
  els.remoteMedia.hidden = parts.length === 0;
  els.remoteVideo.closest('figure').toggleAttribute('data-camera-off', Boolean(media?.cameraOff));
}

export function clearVideos() {
  for (const video of [els.localVideo, els.remoteVideo]) {
    video.srcObject = null;
    delete video.closest('figure').dataset.live;
  }
  els.remoteVideo.muted = false;
  els.unmute.hidden = true;
  els.remoteLabel.textContent = 'No call';
  setRemoteMedia('', null);
}

els.unmute.addEventListener('click', () => {
  els.remoteVideo.muted = false;
  els.unmute.hidden = true;
});
