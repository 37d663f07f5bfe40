// Everything that touches the DOM. Names from other people only ever go in as textContent.

const $ = (id) => document.getElementById(id);

export const els = {
  status: $('status'),
  message: $('message'),
  joinForm: $('join-form'),
  name: $('name'),
  join: $('join'),
  people: $('people'),
  peopleCount: $('people-count'),
  peopleEmpty: $('people-empty'),
  call: $('call'),
  hangup: $('hangup'),
  incoming: $('incoming'),
  incomingName: $('incoming-name'),
  accept: $('accept'),
  decline: $('decline'),
  localVideo: $('local-video'),
  remoteVideo: $('remote-video'),
  remoteLabel: $('remote-label'),
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

export function showMessage(text, kind = 'error') {
  els.message.textContent = text;
  els.message.dataset.kind = kind;
  els.message.hidden = false;
}

export function clearMessage() {
  els.message.hidden = true;
  els.message.textContent = '';
  delete els.message.dataset.kind;
}

/**
 * @param {{id: string, name: string}[]} people  the server's list, oldest first
 * @param {object} marks  selfId, selectedId, peerId (the person in a call with us), canSelect
 * @param {(id: string) => void} onSelect
 */
export function renderPeople(people, marks, onSelect) {
  const focusedId = document.activeElement?.closest?.('#people li')?.dataset.id;
  const items = people.map((person) => {
    const li = document.createElement('li');
    li.dataset.id = person.id;
    li.dataset.name = person.name;
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = [...person.name][0]?.toUpperCase() ?? '?';
    const label = document.createElement('span');
    label.className = 'person-name';
    label.textContent = person.name;

    if (person.id === marks.selfId) {
      li.dataset.self = 'true';
      li.className = 'self';
      const you = document.createElement('span');
      you.className = 'tag';
      you.textContent = 'you';
      li.append(avatar, label, you);
      return li;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'person';
    button.disabled = !marks.canSelect;
    button.setAttribute('aria-pressed', String(person.id === marks.selectedId));
    button.append(avatar, label);
    if (person.id === marks.peerId) {
      li.dataset.inCall = 'true';
      const tag = document.createElement('span');
      tag.className = 'tag live';
      tag.textContent = 'in call';
      button.append(tag);
    }
    button.addEventListener('click', () => onSelect(person.id));
    li.append(button);
    return li;
  });
  els.people.replaceChildren(...items);
  els.peopleCount.textContent = String(people.length);
  els.peopleEmpty.hidden = people.length > 0;
  if (focusedId) els.people.querySelector(`li[data-id="${CSS.escape(focusedId)}"] button`)?.focus();
}

export function setControls({ joined, connected, canCall, callLabel, inSession }) {
  els.join.disabled = !connected;
  els.join.textContent = joined ? 'Rename' : 'Go online';
  els.call.disabled = !canCall;
  els.call.textContent = callLabel;
  els.call.hidden = inSession;
  els.hangup.hidden = !inSession;
}

export function showIncoming(name) {
  els.incomingName.textContent = name;
  els.incoming.hidden = false;
  els.accept.focus();
}

export function hideIncoming() {
  els.incoming.hidden = true;
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

export function clearVideos() {
  for (const video of [els.localVideo, els.remoteVideo]) {
    video.srcObject = null;
    delete video.closest('figure').dataset.live;
  }
  els.remoteVideo.muted = false;
  els.unmute.hidden = true;
  els.remoteLabel.textContent = 'No call';
}

els.unmute.addEventListener('click', () => {
  els.remoteVideo.muted = false;
  els.unmute.hidden = true;
});
