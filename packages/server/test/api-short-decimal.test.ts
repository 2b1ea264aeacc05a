import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSampleValue } from '@vigil/promql';
import { writeShortDecimal } from '../src/api/short-decimal.js';

// The text writeShortDecimal writes for v, or undefined when it leaves v to formatSampleValue.
function written(v: number): string | undefined {
  const buf = Buffer.alloc(64, 0x78);
  const end = writeShortDecimal(buf, 3, v);
  if (end < 0) {
    assert.ok(
      buf.every((b) => b === 0x78),
      `nothing written for ${v}`,
    );
    return undefined;
  }
  assert.ok(buf.subarray(0, 3).every((b) => b === 0x78) && buf[end] === 0x78, `only the value written for ${v}`);
  return buf.toString('latin1', 3, end);
}

test('short decimals are written as formatSampleValue writes them; any other value is left to it', () => {
  const values = [0, -0, 1, -1, 7, 10, 100, 3.85, -3.85, 0.1, 0.05, 0.3, 0.125, 1e-6, 123456.789, 2 ** 49, 2 ** 50 - 1];
  values.push(0.1 + 0.2, 1 / 3, 2 ** 50, 2 ** 53, 1e21, 1e-7, 5e-324, Number.NaN, Number.POSITIVE_INFINITY);
  let seed = 11;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < 200_000; i++) {
    const digits = i % 9;
    const magnitude = 10 ** ((i >> 3) % 18);
    const m = Math.floor(random() * magnitude);
    // Decimals of up to 8 fraction digits (some short, some not), their neighbours, and plain random doubles.
    const v = (i % 2 === 0 ? 1 : -1) * (m / 10 ** digits);
    values.push(v, v * (1 + 2 ** -52), random() * magnitude, m / 3);
  }
  let short = 0;
  for (const v of values) {
    const text = written(v);
    if (text === undefined) continue;
    short++;
    assert.equal(text, formatSampleValue(v), `value ${String(v)}`);
  }
  assert.equal(written(3.85), '3.85');
  assert.equal(written(-0.05), '-0.05');
  assert.equal(written(0.1 + 0.2), undefined);
  assert.equal(written(1e-7), undefined);
  assert.equal(written(2 ** 50), undefined);
  assert.ok(short > values.length / 4, `${short} of ${values.length} written here`);
});
