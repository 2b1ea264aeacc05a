import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSampleValue } from '../src/index.js';

// Go's 'f' format with the shortest digits, derived from whatever String() writes (exponent or not).
function positional(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const text = String(v);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const digits = mantissa.replace('.', '');
  const pointAt = (mantissa.includes('.') ? mantissa.indexOf('.') : mantissa.length) + Number(text.slice(e + 1));
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

// The doubles next to `v` (one unit in the last place up and down).
function neighbours(v: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const bits = view.getBigUint64(0);
  return [bits - 1n, bits + 1n].map((b) => {
    view.setBigUint64(0, b);
    return view.getFloat64(0);
  });
}

test('formatSampleValue writes every double positionally, across the bounds where JavaScript switches to exponents', () => {
  const values = [0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-6, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308];
  for (const bound of [1e21, 1e-6, 1e-5, 1e20]) values.push(...neighbours(bound), ...neighbours(-bound));
  let seed = 7;
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 16807) % 2147483647;
    values.push((seed / 2147483647 - 0.5) * 10 ** ((i % 80) - 40));
  }
  for (const v of values) assert.equal(formatSampleValue(v), positional(v), `value ${String(v)}`);
  assert.equal(formatSampleValue(1e21), '1000000000000000000000');
  assert.equal(formatSampleValue(1e-7), '0.0000001');
  assert.equal(formatSampleValue(Number.NaN), 'NaN');
  assert.equal(formatSampleValue(Number.NEGATIVE_INFINITY), '-Inf');
});
