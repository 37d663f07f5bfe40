// A thin wrapper over the Socket.IO client that index.html loads from the server. It uses only
// io(), on(), emit() and id, which every official client from 1.x to 4.x has in common, so the
// page works unchanged whichever client bundle the server hands out.

export class Signaling {
  constructor() {
    if (typeof window.io !== 'function') {
      throw new Error('The Socket.IO client did not load from /socket.io/socket.io.js, so the page cannot reach the server.');
    }
    this.socket = window.io();
    this.connected = false;
    this.socket.on('connect', () => { this.connected = true; });
    this.socket.on('disconnect', () => { this.connected = false; });
  }

  // Read on every use: the id changes when the client reconnects.
  get id() {
    return this.socket.id;
  }

  on(event, handler) {
    this.socket.on(event, handler);
  }

  // Presence: the server answers every socket with the whole list as `online`.
  goOnline(name) {
    this.socket.emit('online', name);
  }

  // Relayed events go out as (event, toId, ...payload) and arrive as (event, fromId, ...payload).
  send(event, toId, ...payload) {
    this.socket.emit(event, toId, ...payload);
  }
}
