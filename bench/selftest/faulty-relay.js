// A deliberately broken relay, for bench/selftest.sh only: the reference's relay with one fault
// injected, so the self-test can show that each of the generator's checks does fail.
// Usage: node faulty-relay.js PORT MODE
//   MODE: none | drop | duplicate | reorder | misroute (candidates) | partial (online lists) | refuse (connections)
'use strict';
const http = require('http');
const path = require('path');
const { Server } = require(require.resolve('socket.io', { paths: [path.join(__dirname, '..', 'reference')] }));

const port = Number(process.argv[2]);
const mode = process.argv[3] || 'none';
const io = new Server(http.createServer().listen(port, '127.0.0.1'));
const online = new Map();
let relayed = 0;
let accepted = 0;
let held = null; // reorder: a message kept back until the next one to the same target has gone

io.on('connection', (socket) => {
  if (mode === 'refuse' && ++accepted % 5 === 0) {
    socket.disconnect(true);
    return;
  }
  socket.on('online', (name) => {
    online.set(socket.id, typeof name === 'string' ? name : socket.id);
    const list = [...online].map(([id, n]) => ({ id, name: n }));
    io.emit('online', mode === 'partial' ? list.slice(1) : list);
  });
  socket.on('candidate', (to, ...rest) => {
    const target = io.sockets.sockets.get(to);
    if (!target) return;
    const n = ++relayed;
    const from = mode === 'misroute' && n % 83 === 0 ? to : socket.id;
    if (mode === 'drop' && n % 97 === 0) return;
    const send = () => target.emit('candidate', from, ...rest);
    if (mode === 'reorder' && held && held.to === to) {
      send();
      held.send();
      held = null;
      return;
    }
    if (mode === 'reorder' && !held && n % 50 === 0) {
      held = { to, send };
      return;
    }
    send();
    if (mode === 'duplicate' && n % 89 === 0) send();
  });
  socket.on('disconnect', () => online.delete(socket.id));
});
