// notepack.io 3 (the codec of @socket.io/redis-adapter and @socket.io/redis-emitter) for the C# tests,
// so that the C# MessagePack codec is checked against the real one in both directions.
//
// Usage: node notepack-bridge.js
// Commands, one JSON object a line on stdin; each answer, one line on stdout, repeats the seq:
//   {"seq":1,"op":"encode","value":<tagged>}  -> {"seq":1,"hex":"93a6..."}
//   {"seq":2,"op":"decode","hex":"93a6..."}   -> {"seq":2,"value":<tagged>}
//   either may answer {"seq":n,"error":"<message>"} when notepack throws.
// Values are tagged JSON (tagged-json.js): Buffers, Dates, undefined and the odd numbers included.
// Exits when stdin closes.
'use strict';
const readline = require('readline');
const notepack = require('notepack.io');
const { toTagged, fromTagged } = require('./tagged-json');

function answer(command) {
  try {
    if (command.op === 'encode') return { seq: command.seq, hex: notepack.encode(fromTagged(command.value)).toString('hex') };
    if (command.op === 'decode') return { seq: command.seq, value: toTagged(notepack.decode(Buffer.from(command.hex, 'hex'))) };
    return { seq: command.seq, error: `unknown op ${command.op}` };
  } catch (e) {
    return { seq: command.seq, error: String(e && e.message || e) };
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== '') process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + '\n');
});
lines.on('close', () => process.exit(0));
