// The conformance fixture on the reference server (socket.io 4.8.4), so interop tests can be
// checked against the real thing: whatever passes here is what our server must also do.
// Usage: node reference-fixture.js [port]   (binds 127.0.0.1; port 0 or none = chosen by the OS)
// Prints one JSON line {"port": N} once listening; exits when stdin closes, so a test runner
// that dies does not leave it behind.
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const httpServer = http.createServer();
const io = new Server(httpServer, {
  allowEIO3: true,
  cors: { origin: true, credentials: true },
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1000000,
  connectTimeout: 1000,
});

// Both namespaces behave the same: report the handshake auth, echo `message`, acknowledge
// `message-with-ack` with its own arguments.
for (const name of ['/', '/custom']) {
  io.of(name).on('connection', (socket) => {
    socket.emit('auth', socket.handshake.auth);
    socket.on('message', (...args) => socket.emit('message-back', ...args));
    socket.on('message-with-ack', (...args) => {
      const ack = args.pop();
      if (typeof ack === 'function') ack(...args);
    });
  });
}

// Why a connection ended, on stderr, for a failing test's message: with a 200 ms ping timeout a
// stalled client shows up here as "ping timeout" rather than as a mystery on the client side.
const ORDINARY_ENDS = new Set(['forced close', 'transport close']);
io.engine.on('connection', (conn) => {
  conn.on('close', (reason, description) => {
    if (!ORDINARY_ENDS.has(reason)) {
      process.stderr.write(`${new Date().toISOString()} engine ${conn.id} (EIO${conn.protocol}, ${conn.transport.name}) closed: ${reason}${description ? ` (${description.message || description})` : ''}\n`);
    }
  });
});

httpServer.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: httpServer.address().port }) + '\n');
});

function stop() {
  io.close();
  httpServer.close();
  // Open polling requests can hold the loop; nothing is left to finish once stdin is gone.
  setTimeout(() => process.exit(0), 500).unref();
}
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
