// The Node.js reference server: socket.io 4.8.4 with the relay of docs/SIGNALING.md written
// the plain way an article would write it. It is what our server is measured against.
// Usage: node server.js [port] [webRoot]   (binds 127.0.0.1; EIO3 clients allowed)
// With REDIS_URL=redis://127.0.0.1:6379 it is a cluster node: @socket.io/redis-adapter 8.3.0
// (classic pub/sub) and the cluster presence convention of docs/SIGNALING.md ("Cluster"), so
// that two of these nodes can be measured against two of ours on one Redis.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 3001);
const webRoot = process.argv[3];
const redisUrl = process.env.REDIS_URL;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const RELAYED = ['request chat', 'stream ok', 'offer', 'answer', 'candidate', 'hangup'];

const httpServer = http.createServer((req, res) => {
  const file = webRoot && path.join(webRoot, req.url === '/' ? 'index.html' : path.normalize(req.url));
  if (!file || !file.startsWith(webRoot) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});

function cleanName(name, id) {
  if (name && typeof name === 'object' && !Array.isArray(name)) name = name.name;
  if (typeof name !== 'string') return id;
  name = name.trim().slice(0, 100);
  return name || id;
}

function entry(id, name, busy) {
  return busy ? { id, name, busy } : { id, name };
}

// One process: the list lives in memory and goes to everybody on every change.
function singleNode(io) {
  const online = new Map(); // socket id -> { name, busy }, in order of arrival

  function broadcastList() {
    io.emit('online', [...online].map(([id, { name, busy }]) => entry(id, name, busy)));
  }

  io.on('connection', (socket) => {
    socket.on('online', (name) => {
      online.set(socket.id, { name: cleanName(name, socket.id), busy: name?.busy === true });
      broadcastList();
    });
    for (const event of RELAYED) {
      socket.on(event, (to, ...rest) => {
        const ack = typeof rest[rest.length - 1] === 'function' ? rest.pop() : null;
        const target = typeof to === 'string' && io.sockets.sockets.get(to);
        if (!target) {
          if (ack) ack({ error: 'unknown-target' });
          else socket.emit('signaling error', { event, to, reason: 'unknown-target' });
          return;
        }
        target.emit(event, socket.id, ...rest);
        if (ack) ack({ ok: true });
      });
    }
    socket.on('disconnect', () => {
      if (online.delete(socket.id)) broadcastList();
    });
  });
}

// A cluster node: presence is the online sockets' data on every node (fetchSockets), and a
// change anywhere is announced with the server-side event "presence-changed".
function clusterNode(io) {
  let elsewhere = new Set(); // ids on other nodes at the last fetch
  let fetching = false;
  let again = false;

  // One fetch at a time; a change heard meanwhile brings one more, so the last list sent holds it.
  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    do {
      again = false;
      try {
        const sockets = await io.fetchSockets();
        elsewhere = new Set(sockets.filter((s) => !io.sockets.sockets.has(s.id)).map((s) => s.id));
        const list = sockets
          .filter((s) => typeof s.data?.onlineAt === 'number')
          .sort((a, b) => a.data.onlineAt - b.data.onlineAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map((s) => entry(s.id, s.data.name, s.data.busy === true));
        io.local.emit('online', list);
      } catch (e) {
        console.error(`presence fetch failed: ${e.message}`);
        again = true;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } while (again);
    fetching = false;
  }

  function changed() {
    io.serverSideEmit('presence-changed');
    refresh();
  }

  io.on('presence-changed', refresh);
  io.on('connection', (socket) => {
    socket.on('online', (name) => {
      socket.data = { name: cleanName(name, socket.id), onlineAt: socket.data.onlineAt ?? Date.now() };
      if (name?.busy === true) socket.data.busy = true;
      changed();
    });
    for (const event of RELAYED) {
      socket.on(event, async (to, ...rest) => {
        const ack = typeof rest[rest.length - 1] === 'function' ? rest.pop() : null;
        const local = typeof to === 'string' && io.sockets.sockets.get(to);
        if (local) {
          local.emit(event, socket.id, ...rest);
          if (ack) ack({ ok: true });
          return;
        }
        // Published at once, so one sender's messages keep their order; a target not seen on
        // another node at the last fetch is looked for on every node before the answer.
        let found = typeof to === 'string' && to !== '';
        if (found) io.to(to).emit(event, socket.id, ...rest);
        if (found && !elsewhere.has(to)) {
          found = await io.in(to).fetchSockets().then((sockets) => sockets.length > 0, () => false);
        }
        if (!found) {
          if (ack) ack({ error: 'unknown-target' });
          else socket.emit('signaling error', { event, to, reason: 'unknown-target' });
        } else if (ack) ack({ ok: true });
      });
    }
    socket.on('disconnect', () => {
      if (socket.data?.onlineAt !== undefined) changed();
    });
  });
}

async function start() {
  let adapter;
  if (redisUrl) {
    const { createAdapter } = require('@socket.io/redis-adapter');
    const { createClient } = require('redis');
    const pubClient = createClient({ url: redisUrl });
    const subClient = pubClient.duplicate();
    pubClient.on('error', (e) => console.error(`redis: ${e.message}`));
    subClient.on('error', (e) => console.error(`redis: ${e.message}`));
    await Promise.all([pubClient.connect(), subClient.connect()]);
    adapter = createAdapter(pubClient, subClient);
  }
  const io = new Server(httpServer, { allowEIO3: true, cors: { origin: true, credentials: true }, adapter });
  (redisUrl ? clusterNode : singleNode)(io);
  httpServer.listen(port, '127.0.0.1', () => console.log(`reference listening on http://127.0.0.1:${port}${redisUrl ? ` (cluster node on ${redisUrl})` : ''}`));
}

start().catch((e) => {
  console.error(e);
  process.exit(1);
});
