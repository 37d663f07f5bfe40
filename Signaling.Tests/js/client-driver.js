// A remote-controlled official Socket.IO client (1.x, 2.x, 3.x or 4.x) for the C# tests.
//
// Usage: node client-driver.js '<config json>'
//   config: { version: 1|2|3|4, url: "http://127.0.0.1:1234", namespace: "/" | "/custom",
//             transports: "polling" | "websocket" | "upgrade", path?: "/socket.io",
//             auth?: {...} (3.x/4.x only), query?: {...},
//             reconnection?: bool (default false), reconnectionAttempts?, reconnectionDelay?,
//             timeout?: ms, ca?: PEM of the CA an https server's certificate must chain to,
//             extraHeaders?: {...} (headers of every request, the WebSocket's too),
//             withCredentials?: bool (4.x in Node: keep cookies in a jar),
//             localAddress?: "127.0.0.12" (the address it connects from, e.g. so that a proxy hashing
//             client addresses tells clients apart) }
//
// Commands, one JSON object a line on stdin:
//   {"cmd":"connect"}                                  opens (or re-opens) the socket
//   {"cmd":"emit","event":"e","args":[...]}
//   {"cmd":"emitWithAck","seq":1,"event":"e","args":[...],"timeoutMs":5000}
//   {"cmd":"ack","ackId":3,"args":[...]}               answers an event the server sent with an ack
//   {"cmd":"flood","event":"e","args":[...],"count":500,"withAck":false}
//                                                      emits count times back to back; reports
//                                                      flooded {count}, and with withAck, once
//                                                      every ack is in, flood-acks {acks: {json: n}}
//   {"cmd":"pauseReading"}                              stops reading: pauses the WebSocket's TCP
//                                                      socket, or stops polling; reports paused
//   {"cmd":"disconnect"}
//   {"cmd":"cut"}                                       destroys the WebSocket's TCP socket: no close frame, no close packet
//   {"cmd":"move","url":"http://…"}                     the next (re)connection goes to another server, as behind a load balancer (3.x/4.x)
//   {"cmd":"blackhole"}                                 the WebSocket's TCP socket stops carrying bytes either way, and the
//                                                      client gives it up at once: the server is told nothing and sees it open
//   {"cmd":"leave"}                                     closes the WebSocket with 1001 (going away), as a browser leaving its page
//   {"cmd":"close"}                                     closes the socket and exits
// Reports, one JSON object a line on stdout, each with a "type":
//   connected {id, sid (the Engine.IO session's), transport, recovered} | event {name, args, ackId?} | ack {seq, args} | ack-timeout {seq}
//   connect_error {message, data?} | error {data} | disconnect {reason} | upgrade {transport}
//   engine-close {reason} (the Engine.IO connection under the socket ended) | heartbeat
//   flooded {count} | flood-acks {acks} | paused {transport}
//   reconnect_attempt {attempt} | reconnect {attempt} | reconnect_failed | driver-error {message}
//
// Binary values cross the bridge as {"$binary":"<base64>"} both ways; inside node they are Buffers.
// Each client generation's API differences stay in this file.
'use strict';
const http = require('http');
const https = require('https');
const readline = require('readline');

const config = JSON.parse(process.argv[2] || '{}');
const version = Number(config.version);
if (![1, 2, 3, 4].includes(version)) fail(`unknown client version ${config.version}`);
const legacy = version <= 2; // Engine.IO 3 / Socket.IO protocol v4 clients
const io = require(`socket.io-client-${version}`);

const TRANSPORTS = { polling: ['polling'], websocket: ['websocket'], upgrade: ['polling', 'websocket'] };
const transports = TRANSPORTS[config.transports || 'upgrade'];
if (!transports) fail(`unknown transports mode ${config.transports}`);
if (legacy && config.auth !== undefined) fail(`client ${version}.x has no auth option`);

let socket = null;
let nextAckId = 1;
const pendingAcks = new Map(); // ackId -> the client's ack function for an event the server sent

function out(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function fail(message) {
  out({ type: 'driver-error', message });
  process.stderr.write(`client-driver: ${message}\n`);
  process.exit(2);
}

function encode(value) {
  if (Buffer.isBuffer(value)) return { $binary: value.toString('base64') };
  if (value instanceof ArrayBuffer) return { $binary: Buffer.from(value).toString('base64') };
  if (ArrayBuffer.isView(value)) {
    return { $binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') {
    const result = {};
    for (const [key, item] of Object.entries(value)) result[key] = encode(item);
    return result;
  }
  return value;
}

function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$binary' && typeof value.$binary === 'string') {
      return Buffer.from(value.$binary, 'base64');
    }
    const result = {};
    for (const [key, item] of Object.entries(value)) result[key] = decode(item);
    return result;
  }
  return value;
}

// Records one event the server sent. A trailing function is the ack the server asked for.
function record(args) {
  const list = Array.from(args);
  const name = list.shift();
  const message = { type: 'event', name };
  if (typeof list[list.length - 1] === 'function') {
    message.ackId = nextAckId++;
    pendingAcks.set(message.ackId, list.pop());
  }
  message.args = encode(list);
  out(message);
}

function transportName() {
  const engine = socket.io.engine;
  return engine && engine.transport ? engine.transport.name : null;
}

function create() {
  const options = {
    transports,
    forceNew: true,
    reconnection: config.reconnection === true,
    upgrade: config.transports === 'upgrade' || config.transports === undefined,
  };
  for (const key of ['path', 'query', 'auth', 'reconnectionAttempts', 'reconnectionDelay', 'timeout', 'ca', 'extraHeaders', 'withCredentials']) {
    if (config[key] !== undefined) options[key] = config[key];
  }
  // Every generation hands its `agent` to both transports (xmlhttprequest-ssl and ws); the agent
  // gives each of its connections the source address.
  if (config.localAddress !== undefined) {
    options.agent = new (config.url.startsWith('https:') ? https : http).Agent({ localAddress: config.localAddress });
  }
  const namespace = config.namespace && config.namespace !== '/' ? config.namespace : '';
  socket = io(config.url + namespace, options);
  const manager = socket.io;

  if (legacy) {
    // 1.x/2.x have no onAny: every incoming event passes through onevent, which appends the
    // ack function to packet.data when the server asked for one.
    const onevent = socket.onevent;
    socket.onevent = function (packet) {
      onevent.call(this, packet);
      record(packet.data || []);
    };
    socket.on('error', (data) => out({ type: 'error', data: encode(data) }));
    socket.on('connect_timeout', () => out({ type: 'connect_error', message: 'timeout' }));
  } else {
    socket.onAny((...args) => record(args));
  }

  // recovered: Socket.IO 4.6+ connection state recovery (undefined, so false, before 4.6).
  socket.on('connect', () => out({ type: 'connected', id: socket.id, sid: socket.io.engine.id, transport: transportName(), recovered: socket.recovered === true }));
  socket.on('connect_error', (err) => {
    const message = { type: 'connect_error', message: err && err.message ? err.message : String(err) };
    if (err && err.data !== undefined) message.data = encode(err.data);
    out(message);
  });
  socket.on('disconnect', (reason) => out({ type: 'disconnect', reason }));

  // A reconnection opens a new engine; watch each one for its upgrade and its end. A socket
  // reopened before the old engine has closed races with that close in 2.x/3.x (the late close
  // disconnects the new socket), so tests await engine-close before reopening.
  manager.on('open', () => {
    const engine = manager.engine;
    engine.on('upgrade', (transport) => out({ type: 'upgrade', transport: transport.name }));
    engine.on('close', (reason) => out({ type: 'engine-close', reason: String(reason) }));
    // One completed heartbeat. Every generation's engine emits 'pong' for it: Engine.IO 3 clients
    // when the server's pong arrives, Engine.IO 4 clients when they answer the server's ping.
    engine.on('pong', () => out({ type: 'heartbeat' }));
  });
  manager.on('reconnect_attempt', (attempt) => out({ type: 'reconnect_attempt', attempt }));
  manager.on('reconnect', (attempt) => out({ type: 'reconnect', attempt }));
  manager.on('reconnect_failed', () => out({ type: 'reconnect_failed' }));
}

const commands = {
  connect() {
    if (socket) socket.connect();
    else create();
  },
  emit({ event, args }) {
    socket.emit(event, ...decode(args || []));
  },
  emitWithAck({ seq, event, args, timeoutMs }) {
    const timer = setTimeout(() => out({ type: 'ack-timeout', seq }), timeoutMs || 5000);
    socket.emit(event, ...decode(args || []), (...ackArgs) => {
      clearTimeout(timer);
      out({ type: 'ack', seq, args: encode(ackArgs) });
    });
  },
  ack({ ackId, args }) {
    const ack = pendingAcks.get(ackId);
    if (!ack) throw new Error(`no pending ack ${ackId}`);
    pendingAcks.delete(ackId);
    ack(...decode(args || []));
  },
  flood({ event, args, count, withAck }) {
    const decoded = decode(args || []);
    const acks = {};
    let pending = count;
    const onAck = (...ackArgs) => {
      const key = JSON.stringify(encode(ackArgs));
      acks[key] = (acks[key] || 0) + 1;
      if (--pending === 0) out({ type: 'flood-acks', acks });
    };
    for (let i = 0; i < count; i++) {
      if (withAck) socket.emit(event, ...decoded, onAck);
      else socket.emit(event, ...decoded);
    }
    out({ type: 'flooded', count });
  },
  pauseReading() {
    const transport = socket.io.engine.transport;
    if (transport.name === 'websocket') {
      // The ws package's WebSocket over a net.Socket: a paused socket leaves what arrives in the
      // kernel, whose buffers fill, and the server's sends then wait.
      transport.ws._socket.pause();
      out({ type: 'paused', transport: transport.name });
    } else {
      // The poll in progress ends when the server next sends something; no other follows it.
      transport.pause(() => {});
      out({ type: 'paused', transport: transport.name });
    }
  },
  disconnect() {
    socket.disconnect();
  },
  move({ url }) {
    // The manager opens each new Engine.IO connection on its uri; the socket keeps its pid and offset.
    if (legacy) throw new Error('move needs a 3.x/4.x client');
    socket.io.uri = url;
  },
  cut() {
    // What a network change does to a connection: it just stops, and neither side says goodbye.
    const transport = socket.io.engine && socket.io.engine.transport;
    if (!transport || transport.name !== 'websocket' || !transport.ws || !transport.ws._socket) {
      throw new Error('cut needs an open WebSocket transport');
    }
    transport.ws._socket.destroy();
  },
  blackhole() {
    const engine = socket.io.engine;
    const transport = engine && engine.transport;
    if (!transport || transport.name !== 'websocket' || !transport.ws || !transport.ws._socket) {
      throw new Error('blackhole needs an open WebSocket transport');
    }
    const tcp = transport.ws._socket;
    tcp.pause();
    tcp.write = (chunk, encoding, callback) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) process.nextTick(done);
      return true;
    };
    // As an OS reporting the network gone would make it: the client notices before the server can.
    engine._onClose('transport close');
  },
  leave() {
    const transport = socket.io.engine && socket.io.engine.transport;
    if (!transport || transport.name !== 'websocket' || !transport.ws) throw new Error('leave needs an open WebSocket transport');
    transport.ws.close(1001);
  },
  close() {
    shutdown();
  },
};

function needsSocket(cmd) {
  return cmd !== 'connect' && cmd !== 'close';
}

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  if (socket) socket.close();
  // The loop ends by itself once the transport is closed; this only bounds a straggler.
  setTimeout(() => process.exit(0), 2000).unref();
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let command;
  try {
    command = JSON.parse(line);
    const handler = commands[command.cmd];
    if (!handler) throw new Error(`unknown command ${command.cmd}`);
    if (needsSocket(command.cmd) && !socket) throw new Error(`${command.cmd} before connect`);
    handler(command);
  } catch (err) {
    out({ type: 'driver-error', message: `${err.message} (in ${line})` });
  }
});
lines.on('close', shutdown);
