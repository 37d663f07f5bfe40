// A Node.js cluster node for the C# tests: socket.io 4.8.4 with @socket.io/redis-adapter 8.3.0, classic
// (createAdapter) or sharded (createShardedAdapter, node-redis 4), running docs/SIGNALING.md across the cluster,
// so our nodes can be put beside it.
//
// Usage: node cluster-node.js '<config json>'
//   config: { redisUrl: "redis://127.0.0.1:6379", mode: "classic" | "sharded", port?: 0 (OS-chosen),
//             prefix?: "socket.io", requestsTimeout?: 5000, publishOnSpecificResponseChannel?: false,
//             subscriptionMode?: "dynamic" | "static" | "dynamic-private" }
//
// The cluster convention of issue 10, shared with our nodes:
//   - a socket that sent `online` carries socket data {"name": <string>, "onlineAt": <ms since epoch of its first online>};
//   - the presence list is those sockets' {id, name}, ordered by onlineAt then id (ordinal), built with io.fetchSockets();
//   - a node whose presence changed (an online, a rename, a disconnect of an online socket) sends
//     io.serverSideEmit("presence-changed") with no arguments; every node, on its own changes and on that event,
//     fetches the list again and emits `online` with it to its own sockets (io.local). One fetch at a time per node
//     (unless one stalls on a node going away), one more after it if anything changed meanwhile, and never an older
//     fetch's list after a newer one's, so the last list each node sends was fetched after the last change it heard of;
//   - a relayed event goes with io.to(targetId) (one Redis round trip to check that some node has the target, none
//     when it is local); unknown-target only when no node has it; per sender, relays keep their order.
//
// Commands (stdin, one JSON object a line; values are tagged JSON, see tagged-json.js), answered by
// {"type":"result","seq":n,"value":...} or {"type":"error","seq":n,"message":"..."}:
//   {"cmd":"fetchSockets","seq":1,"rooms"?:[...],"except"?:[...],"local"?:bool}  -> [{id, handshake, rooms, data}]
//   {"cmd":"emit","seq":2,"event":"e","args":[...],"rooms"?,"except"?,"volatile"?,"compress"?,"local"?}
//   {"cmd":"emitWithAck","seq":3,"event":"e","args":[...],"rooms"?,"except"?,"timeoutMs":2000} -> {error?, responses}
//   {"cmd":"socketsJoin","seq":4,"join":[...],"rooms"?,"except"?}   (also socketsLeave with "leave")
//   {"cmd":"disconnectSockets","seq":5,"close":bool,"rooms"?,"except"?}
//   {"cmd":"serverSideEmit","seq":6,"event":"e","args":[...],"ack"?:bool}        -> with ack: {error?, responses}
//   {"cmd":"handle","seq":7,"event":"e","reply"?:<value>}  reports each serverSideEmit "e" it gets from other nodes
//        as {"type":"serverSideEmit","event":"e","args":[...]} and, when asked for an ack, answers with reply
//   {"cmd":"allRooms","seq":8}   (classic only)  -> [room, ...]
// Reports: {"type":"listening","port":N,"uid":"<adapter uid of />"} once subscribed; {"type":"log","message"}.
// SIGTERM (or stdin closing) stops gracefully: local sockets are disconnected, the adapter unsubscribes, then one
// "presence-changed" goes out, so the others' lists drop this node's sockets at once. SIGKILL leaves them stale
// on classic Node nodes (no heartbeat).
'use strict';
const http = require('http');
const readline = require('readline');
const { Server } = require('socket.io');
const { createAdapter, createShardedAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');
const { toTagged, fromTagged } = require('./tagged-json');

const config = JSON.parse(process.argv[2] || '{}');
const PRESENCE_EVENT = 'presence-changed';
const RELAYED = ['request chat', 'stream ok', 'offer', 'answer', 'candidate', 'hangup'];

function out(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function log(message) {
  process.stderr.write(`${new Date().toISOString()} cluster-node ${process.pid}: ${message}\n`);
}

async function main() {
  const pubClient = createClient({ url: config.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) } });
  const subClient = pubClient.duplicate();
  // Without these, a Redis that goes away would crash the process (node-redis emits 'error').
  pubClient.on('error', (e) => log(`pub client: ${e.message}`));
  subClient.on('error', (e) => log(`sub client: ${e.message}`));
  await Promise.all([pubClient.connect(), subClient.connect()]);

  const prefix = config.prefix || 'socket.io';
  const adapter = config.mode === 'sharded'
    ? createShardedAdapter(pubClient, subClient, { channelPrefix: prefix, subscriptionMode: config.subscriptionMode || 'dynamic' })
    : createAdapter(pubClient, subClient, {
      key: prefix,
      requestsTimeout: config.requestsTimeout || 5000,
      publishOnSpecificResponseChannel: !!config.publishOnSpecificResponseChannel,
    });
  const httpServer = http.createServer();
  const io = new Server(httpServer, { allowEIO3: true, cors: { origin: true, credentials: true }, adapter });
  const main = io.of('/');

  // The adapter's subscriptions went out on subClient when "/" was created; one more, answered after them,
  // tells when they are all in place (it counts in no NUMSUB the adapters look at).
  if (config.mode === 'sharded') await subClient.sSubscribe(`cluster-node-ready#${process.pid}`, () => {});
  else await subClient.subscribe(`cluster-node-ready#${process.pid}`, () => {});

  let stopping = false;
  // Presence fetches: one at a time, plus one more for whatever changed meanwhile, except that a fetch running
  // for 500 ms (waiting on a node that is going away) no longer holds the next one back; a list is only sent
  // if no fetch started after it has sent one already.
  const STALLED_MS = 500;
  let started = 0;
  let sent = 0;
  let running = 0;
  let lastStart = 0;
  let dirty = false;
  let stallTimer;

  function presenceList(sockets) {
    return sockets
      .filter((s) => s.data && typeof s.data.name === 'string' && typeof s.data.onlineAt === 'number')
      .sort((a, b) => (a.data.onlineAt - b.data.onlineAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => ({ id: s.id, name: s.data.name }));
  }

  function refreshPresence() {
    const elapsed = Date.now() - lastStart;
    if (running > 0 && elapsed < STALLED_MS) {
      if (!dirty) {
        dirty = true;
        // Starts the fetch without a second look at Date.now(): the timer runs on the event loop's clock and may fire
        // a millisecond before Date.now() says STALLED_MS went by, and a second look would then wait for the stalled
        // fetch (a requestsTimeout, for a node that stopped meanwhile) with no timer left.
        stallTimer = setTimeout(() => { if (!stopping) fetchPresence(); }, STALLED_MS - elapsed);
      }
      return;
    }
    fetchPresence();
  }

  function fetchPresence() {
    clearTimeout(stallTimer);
    dirty = false;
    const seq = ++started;
    running++;
    lastStart = Date.now();
    io.fetchSockets().then((sockets) => {
      if (seq > sent && !stopping) {
        sent = seq;
        io.local.emit('online', presenceList(sockets));
      }
    }, (e) => log(`presence fetch failed: ${e.message}`)).finally(() => {
      running--;
      if (dirty && !stopping) refreshPresence();
    });
  }

  function presenceChanged() {
    if (stopping) return;
    io.serverSideEmit(PRESENCE_EVENT);
    refreshPresence();
  }

  io.on(PRESENCE_EVENT, () => refreshPresence());

  function cleanName(name, id) {
    if (name && typeof name === 'object' && !Array.isArray(name)) name = name.name;
    if (typeof name !== 'string') return id;
    name = name.trim().slice(0, 100);
    return name || id;
  }

  async function relay(socket, event, to, rest, ack) {
    let found = typeof to === 'string' && main.sockets.has(to);
    if (!found && typeof to === 'string' && to !== '') {
      try {
        found = (await io.in(to).fetchSockets()).some((s) => s.id === to);
      } catch (e) {
        log(`relay lookup of ${to} failed: ${e.message}`);
      }
    }
    if (!found) {
      if (ack) ack({ error: 'unknown-target' });
      else socket.emit('signaling error', { event, to, reason: 'unknown-target' });
      return;
    }
    io.to(to).emit(event, socket.id, ...rest);
    if (ack) ack({ ok: true });
  }

  io.on('connection', (socket) => {
    let relays = Promise.resolve();
    socket.on('online', (name) => {
      socket.data = { name: cleanName(name, socket.id), onlineAt: socket.data.onlineAt ?? Date.now() };
      presenceChanged();
    });
    for (const event of RELAYED) {
      socket.on(event, (to, ...rest) => {
        const ack = typeof rest[rest.length - 1] === 'function' ? rest.pop() : null;
        relays = relays.then(() => relay(socket, event, to, rest, ack));
      });
    }
    socket.on('disconnect', () => {
      if (socket.data && socket.data.onlineAt !== undefined) presenceChanged();
    });
  });

  function target(command) {
    let operator = io;
    if (command.rooms && command.rooms.length) operator = operator.to(command.rooms);
    if (command.except && command.except.length) operator = operator.except(command.except);
    if (command.volatile) operator = operator.volatile;
    if (command.compress !== undefined) operator = operator.compress(command.compress);
    if (command.local) operator = operator.local;
    return operator;
  }

  function serialize(socket) {
    return { id: socket.id, handshake: socket.handshake, rooms: [...socket.rooms], data: socket.data };
  }

  const handlers = {
    fetchSockets: async (c) => (await target(c).fetchSockets()).map(serialize),
    emit: async (c) => target(c).emit(c.event, ...fromTagged(c.args || [])),
    emitWithAck: (c) => new Promise((resolve) => {
      target(c).timeout(c.timeoutMs || 2000).emit(c.event, ...fromTagged(c.args || []),
        (err, responses) => resolve({ error: err ? err.message : undefined, responses }));
    }),
    socketsJoin: async (c) => target(c).socketsJoin(c.join),
    socketsLeave: async (c) => target(c).socketsLeave(c.leave),
    disconnectSockets: async (c) => target(c).disconnectSockets(!!c.close),
    serverSideEmit: (c) => {
      const args = fromTagged(c.args || []);
      if (!c.ack) return Promise.resolve(io.serverSideEmit(c.event, ...args));
      return new Promise((resolve) => {
        io.serverSideEmit(c.event, ...args, (err, responses) => resolve({ error: err ? err.message : undefined, responses }));
      });
    },
    handle: async (c) => {
      io.on(c.event, (...args) => {
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
        out({ type: 'serverSideEmit', event: c.event, args: toTagged(args) });
        if (ack && c.reply !== undefined) ack(fromTagged(c.reply));
      });
    },
    allRooms: async () => [...await main.adapter.allRooms()],
  };

  readline.createInterface({ input: process.stdin }).on('line', async (line) => {
    if (line.trim() === '') return;
    const command = JSON.parse(line);
    try {
      const handler = handlers[command.cmd];
      if (!handler) throw new Error(`unknown command ${command.cmd}`);
      const value = await handler(command);
      // Publishing is not awaited by the operators: a PING answered after it means it left.
      await pubClient.ping();
      out({ type: 'result', seq: command.seq, value: toTagged(value === undefined ? null : value) });
    } catch (e) {
      out({ type: 'error', seq: command.seq, message: String(e && e.message || e) });
    }
  });

  async function stop() {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(0), 3000);
    try {
      main.local.disconnectSockets(true);
      await main.adapter.close();
      if (config.mode === 'sharded') await subClient.sUnsubscribe(`cluster-node-ready#${process.pid}`);
      else await subClient.unsubscribe(`cluster-node-ready#${process.pid}`);
      io.serverSideEmit(PRESENCE_EVENT);
      await pubClient.ping();
    } catch (e) {
      log(`stop: ${e.message}`);
    }
    clearTimeout(timer);
    process.exit(0);
  }
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);

  httpServer.listen(Number(config.port || 0), '127.0.0.1', () => {
    out({ type: 'listening', port: httpServer.address().port, uid: main.adapter.uid });
  });
}

main().catch((e) => {
  log(`failed: ${e.stack || e}`);
  process.exit(1);
});
