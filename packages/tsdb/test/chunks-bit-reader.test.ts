import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BitReader } from '../src/chunks/bit-reader.js';
import { BitWriter } from '../src/chunks/bit-writer.js';

test('readBits returns what writeBits wrote, for every width at every bit offset, up to the last bit', () => {
  let seed = 3;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let trial = 0; trial < 300; trial++) {
    const fields: [value: number, width: number][] = [];
    const writer = new BitWriter(16);
    for (let f = 0; f < 40; f++) {
      const width = Math.floor(random() * 33);
      const value = width === 0 ? 0 : Math.floor(random() * 2 ** width);
      writer.writeBits(value, width);
      fields.push([value, width]);
    }
    const reader = new BitReader(writer.bytes.subarray(0, writer.byteLength));
    for (const [value, width] of fields) assert.equal(reader.readBits(width), value, `trial ${trial}, width ${width}`);
    assert.throws(() => reader.readBits(reader.remaining + 1), RangeError);
  }
});
