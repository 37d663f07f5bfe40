// The Node.js reference server: socket.io 4.8.4 with the relay of docs/SIGNALING.md written
// the plain way an article would write it. It is what our server is measured against.
// Usage: node server.js [port] [webRoot]   (binds 127.0.0.1; EIO3 clients allowed)
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 3001);
const webRoot = process.argv[3];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

const httpServer = http.createServer((req, res) => {
  const file = webRoot && path.join(webRoot, req.url === '/' ? 'index.html' : path.normalize(req.url));
  if (!file || !file.startsWith(webRoot) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
const io = new Server(httpServer, { allowEIO3: true, cors: { origin: true, credentials: true } });

const online = new Map(); // socket id -> { name, busy }, in order of arrival
const RELAYED = ['request chat', 'stream ok', 'offer', 'answer', 'candidate', 'hangup'];

function cleanName(name, id) {
  if (name && typeof name === 'object' && !Array.isArray(name)) name = name.name;
  if (typeof name !== 'string') return id;
  name = name.trim().slice(0, 100);
  return name || id;
}

function broadcastList() {
  io.emit('online', [...online].map(([id, { name, busy }]) => (busy ? { id, name, busy } : { id, name })));
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

httpServer.listen(port, '127.0.0.1', () => console.log(`reference listening on http://127.0.0.1:${port}`));
