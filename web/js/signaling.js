// A thin wrapper over the Socket.IO client that the server serves next to its Engine.IO
// endpoint. It uses only io(url, {path}), on(), emit() and id, which every official client from
// 1.x to 4.x has in common, so the page works unchanged whichever client bundle it is given.

/** Loads `<engine path>socket.io.js` (the served client) unless a client is already there. */
export function loadClient(engineUrl) {
  if (typeof window.io === 'function') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('socket.io.js', engineUrl).href;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`The Socket.IO client did not load from ${script.src}, so the page cannot reach the server.`));
    document.head.append(script);
  });
}

export class Signaling {
  /** @param {URL} engineUrl where Engine.IO is served, e.g. https://host/chat/socket.io/ */
  constructor(engineUrl) {
    if (typeof window.io !== 'function') {
      throw new Error('The Socket.IO client did not load, so the page cannot reach the server.');
    }
    // The clients' default path is /socket.io; a sub-path or another EngineIo:Path needs it said.
    this.socket = window.io(engineUrl.origin, { path: engineUrl.pathname });
    this.connected = false;
    this.socket.on('connect', () => { this.connected = true; });
    this.socket.on('disconnect', () => { this.connected = false; });
  }

  // Read on every use: the id changes when the client reconnects (without state recovery).
  get id() {
    return this.socket.id;
  }

  on(event, handler) {
    this.socket.on(event, handler);
  }

  // Presence: the server answers every socket with the whole list as `online`. A busy page says
  // so with {name, busy: true}; otherwise the plain name goes out, exactly as pages always sent.
  goOnline(name, busy = false) {
    this.socket.emit('online', busy ? { name, busy: true } : name);
  }

  // Relayed events go out as (event, toId, ...payload) and arrive as (event, fromId, ...payload).
  send(event, toId, ...payload) {
    this.socket.emit(event, toId, ...payload);
  }
}
