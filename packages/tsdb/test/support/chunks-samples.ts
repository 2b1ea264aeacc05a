import assert from 'node:assert/strict';
import { type ChunkLimits, XorChunk } from '../../src/chunks/xor-chunk.js';

/** Samples as parallel arrays; values in a Float64Array so NaN payloads stay as they are. */
export interface Samples {
  t: number[];
  v: Float64Array;
}

/** A deterministic PRNG (mulberry32): the same seed gives the same series on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The float64 with the given 64 bits. */
export function float(bits: bigint): number {
  const u = new BigUint64Array([bits]);
  return new Float64Array(u.buffer)[0]!;
}

/**
 * Samples whose values have exactly these bit patterns. The values never pass through a plain JS array:
 * V8 stores those as doubles and sets the quiet bit of a signalling NaN such as the staleness marker.
 */
export function withBits(t: number[], bits: bigint[]): Samples {
  return { t, v: new Float64Array(BigUint64Array.from(bits).buffer) };
}

/** Makes `n` samples from a timestamp and a value function. */
export function samples(n: number, time: (i: number) => number, value: (i: number) => number): Samples {
  const t: number[] = [];
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t.push(time(i));
    v[i] = value(i);
  }
  return { t, v };
}

/** A chunk with no practical cap holding `s`; every append must succeed. */
export function chunkOf(s: Samples, limits: ChunkLimits = { maxSamples: 1e9, maxBytes: 1e9 }): XorChunk {
  const chunk = new XorChunk(limits);
  for (let i = 0; i < s.t.length; i++) assert.equal(chunk.append(s.t[i]!, s.v[i]!), 'ok', `sample ${i}`);
  return chunk;
}

/** Decodes every sample of a chunk. */
export function decode(chunk: XorChunk): Samples {
  const it = chunk.iterator();
  const t: number[] = [];
  const v = new Float64Array(chunk.count);
  while (it.next()) {
    v[t.length] = it.v;
    t.push(it.t);
  }
  return { t, v };
}

/** Asserts equal timestamps and bit-identical values. */
export function assertSameSamples(actual: Samples, expected: Samples): void {
  assert.deepEqual(actual.t, expected.t);
  const a = new BigUint64Array(actual.v.buffer, actual.v.byteOffset, actual.v.length);
  const e = new BigUint64Array(expected.v.buffer, expected.v.byteOffset, expected.v.length);
  assert.equal(a.length, e.length);
  for (let i = 0; i < e.length; i++) {
    if (a[i] !== e[i]) assert.fail(`value ${i}: bits ${a[i]!.toString(16)} != expected ${e[i]!.toString(16)}`);
  }
}

/** Appends, decodes and compares. */
export function roundTrip(s: Samples): XorChunk {
  const chunk = chunkOf(s);
  assertSameSamples(decode(chunk), s);
  return chunk;
}
