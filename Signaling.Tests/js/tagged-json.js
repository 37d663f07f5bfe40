// Tagged JSON, the bridge between the C# tests and Node for values JSON cannot carry:
// {"$binary":"<base64>"} a Buffer, {"$date":<ms>} a Date, {"$undefined":true} undefined,
// {"$number":"NaN"|"Infinity"|"-Infinity"|"-0"} those numbers. (C# side: Protocol/MsgPack/TaggedJson.cs.)
'use strict';

const NUMBERS = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

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
  if (ArrayBuffer.isView(value)) return { $binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Date) return { $date: value.getTime() };
  if (Array.isArray(value)) return value.map(toTagged);
  if (value && typeof value === 'object') {
    const result = {};
    for (const key of Object.keys(value)) result[key] = toTagged(value[key]);
    return result;
  }
  return value;
}

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

module.exports = { toTagged, fromTagged };
