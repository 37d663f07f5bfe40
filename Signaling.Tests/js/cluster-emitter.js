// @socket.io/redis-emitter 5.1.0 for the C# tests: a process outside the cluster that emits to its clients.
//
// Usage: node cluster-emitter.js '<config json>'   config: { redisUrl, prefix?: "socket.io" }
// Commands (stdin, one JSON object a line; args are tagged JSON, see tagged-json.js), each answered by
// {"type":"result","seq":n} once published, or {"type":"error","seq":n,"message":"..."}:
//   {"cmd":"emit","seq":1,"nsp"?:"/","event":"e","args":[...],"rooms"?,"except"?,"volatile"?,"compress"?}
//   {"cmd":"socketsJoin","seq":2,"join":[...],"rooms"?,"except"?}   (also socketsLeave with "leave")
//   {"cmd":"disconnectSockets","seq":3,"close":bool,"rooms"?,"except"?}
//   {"cmd":"serverSideEmit","seq":4,"event":"e","args":[...]}
//   {"cmd":"batch","seq":5,"commands":[{"cmd":"socketsJoin",...},{"cmd":"emit",...}]}   published back to back, in order
// Reports {"type":"ready"} once connected. Exits when stdin closes.
'use strict';
const readline = require('readline');
const { Emitter } = require('@socket.io/redis-emitter');
const { createClient } = require('redis');
const { fromTagged } = require('./tagged-json');

const config = JSON.parse(process.argv[2] || '{}');

function out(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

async function main() {
  const client = createClient({ url: config.redisUrl });
  client.on('error', (e) => process.stderr.write(`cluster-emitter: ${e.message}\n`));
  await client.connect();
  const root = new Emitter(client, { key: config.prefix || 'socket.io' });

  function target(command) {
    let operator = command.nsp && command.nsp !== '/' ? root.of(command.nsp) : root;
    if (command.rooms && command.rooms.length) operator = operator.to(command.rooms);
    if (command.except && command.except.length) operator = operator.except(command.except);
    if (command.volatile) operator = operator.volatile;
    if (command.compress !== undefined) operator = operator.compress(command.compress);
    return operator;
  }

  const handlers = {
    emit: (c) => target(c).emit(c.event, ...fromTagged(c.args || [])),
    socketsJoin: (c) => target(c).socketsJoin(c.join),
    socketsLeave: (c) => target(c).socketsLeave(c.leave),
    disconnectSockets: (c) => target(c).disconnectSockets(!!c.close),
    serverSideEmit: (c) => (c.nsp && c.nsp !== '/' ? root.of(c.nsp) : root).serverSideEmit(c.event, ...fromTagged(c.args || [])),
    batch: (c) => c.commands.forEach(run),
  };

  function run(command) {
    const handler = handlers[command.cmd];
    if (!handler) throw new Error(`unknown command ${command.cmd}`);
    handler(command);
  }

  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', async (line) => {
    if (line.trim() === '') return;
    const command = JSON.parse(line);
    try {
      run(command);
      await client.ping(); // answered after the PUBLISH before it
      out({ type: 'result', seq: command.seq });
    } catch (e) {
      out({ type: 'error', seq: command.seq, message: String(e && e.message || e) });
    }
  });
  lines.on('close', async () => {
    await client.quit().catch(() => {});
    process.exit(0);
  });
  out({ type: 'ready' });
}

main().catch((e) => {
  process.stderr.write(`cluster-emitter failed: ${e.stack || e}\n`);
  process.exit(1);
});
