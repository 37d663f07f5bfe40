// Lets the C# codec tests ask the official socket.io-parser packages (the ones the JavaScript
// clients in Signaling.Tests/js bring) to encode and decode packets, to compare with ours.
// Usage: node socket-io-parser-bridge.js <Signaling.Tests/js directory>
// Reads one JSON request per line on stdin and answers one JSON line each on stdout:
//   {"parser":"3.3.6","op":"encode","packet":{type,nsp,id?,data?}} -> {"text":...,"attachments":[base64...]}
//   {"parser":"3.3.6","op":"decode","text":...,"attachments":[base64...]} -> {"packet":{type,nsp,id,data}}
// Binary values travel as {"$bytes":"<base64>"} in both directions.
'use strict';
const path = require('path');
const readline = require('readline');

const jsDir = process.argv[2];
const parserPaths = {
  '2.3.1': 'socket.io-client-1/node_modules/socket.io-parser',
  '3.3.6': 'socket.io-client-2/node_modules/socket.io-parser',
  '4.0.5': 'socket.io-client-3/node_modules/socket.io-parser',
  '4.2.7': 'socket.io-parser',
};

function load(version) {
  const dir = path.join(jsDir, 'node_modules', parserPaths[version]);
  const actual = require(path.join(dir, 'package.json')).version;
  if (actual !== version) throw new Error(`expected socket.io-parser ${version} in ${dir}, found ${actual}`);
  return require(dir);
}

function toBuffers(value) {
  if (Array.isArray(value)) return value.map(toBuffers);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$bytes') return Buffer.from(value.$bytes, 'base64');
    const result = {};
    for (const key of keys) result[key] = toBuffers(value[key]);
    return result;
  }
  return value;
}

function fromBuffers(value) {
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('base64') };
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(fromBuffers);
  if (value !== null && typeof value === 'object') {
    const result = {};
    for (const key of Object.keys(value)) result[key] = fromBuffers(value[key]);
    return result;
  }
  return value;
}

function encode(parser, packet) {
  let encoded;
  // Parsers 2.x/3.x call back (synchronously); 4.x return the array.
  const returned = new parser.Encoder().encode(toBuffers(packet), (result) => { encoded = result; });
  encoded = encoded || returned;
  return { text: encoded[0], attachments: encoded.slice(1).map((b) => Buffer.from(b).toString('base64')) };
}

function decode(parser, text, attachments) {
  const decoder = new parser.Decoder();
  let packet = null;
  decoder.on('decoded', (p) => { packet = p; });
  decoder.add(text);
  for (const attachment of attachments) decoder.add(Buffer.from(attachment, 'base64'));
  if (packet === null) throw new Error('no packet decoded');
  return { packet: { type: packet.type, nsp: packet.nsp, id: packet.id, data: fromBuffers(packet.data) } };
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    const parser = load(request.parser);
    answer = request.op === 'encode'
      ? encode(parser, request.packet)
      : decode(parser, request.text, request.attachments || []);
  } catch (error) {
    answer = { error: String(error && error.stack || error) };
  }
  // Escaped to ASCII so lone surrogates survive the UTF-8 pipe.
  process.stdout.write(JSON.stringify(answer).replace(/[\u007f-\uffff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n');
});
