// notepack.io 3 (the codec of @socket.io/redis-adapter and @socket.io/redis-emitter) for the C# tests,
// so that the C# MessagePack codec is checked against the real one in both directions.
//
// Usage: node notepack-bridge.js
// Commands, one JSON object a line on stdin; each answer, one line on stdout, repeats the seq:
//   {"seq":1,"op":"encode","value":<tagged>}  -> {"seq":1,"hex":"93a6..."}
//   {"seq":2,"op":"decode","hex":"93a6..."}   -> {"seq":2,"value":<tagged>}
//   either may answer {"seq":n,"error":"<message>"} when notepack throws.
// Tagged JSON carries what JSON cannot: {"$binary":"<base64>"} a Buffer, {"$date":<ms>} a Date,
// {"$undefined":true} undefined, {"$number":"NaN"|"Infinity"|"-Infinity"|"-0"} those numbers.
// Exits when stdin closes.
'use strict';
const readline = require('readline');
const notepack = require('notepack.io');

function toTagged(value) {
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $number: 'NaN' };
    if (value === Infinity) return { $number: 'Infinity' };
    if (value === -Infinity) return { $number: '-Infinity' };
    if (Object.is(value, -0)) return { $number: '-0' };
    return value;
  }
  if (Buffer.isBuffer(value)) return { $binary: value.toString('base64') };
  if (value instanceof ArrayBuffer) return { $binary: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { $date: value.getTime() };
  if (Array.isArray(value)) return value.map(toTagged);
  if (value && typeof value === 'object') {
    const result = {};
    for (const key of Object.keys(value)) result[key] = toTagged(value[key]);
    return result;
  }
  return value;
}

const NUMBERS = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

function fromTagged(value) {
  if (Array.isArray(value)) return value.map(fromTagged);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      if (keys[0] === '$binary') return Buffer.from(value.$binary, 'base64');
      if (keys[0] === '$date') return new Date(value.$date);
      if (keys[0] === '$undefined') return undefined;
      if (keys[0] === '$number') return NUMBERS[value.$number];
    }
    const result = {};
    for (const key of keys) result[key] = fromTagged(value[key]);
    return result;
  }
  return value;
}

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
