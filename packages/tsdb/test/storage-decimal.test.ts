import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CHUNK_ENCODING_DECIMAL,
  CHUNK_ENCODING_XOR,
  chunkSamples,
  decodeChunk,
  encodeClosedChunk,
  readChunkHeader,
  STALE_NAN,
  TsdbError,
} from '../src/index.js';
import { assertSameSamples, chunkOf, type Samples, samples, seeded } from './support/chunks-samples.js';

const T0 = Date.UTC(2026, 10, 23);

function stored(s: Samples): { encoding: number; back: Samples; bytes: number } {
  const blob = encodeClosedChunk(chunkOf(s));
  const it = chunkSamples(blob);
  const t: number[] = [];
  const v = new Float64Array(s.t.length);
  while (it.next()) {
    v[t.length] = it.v;
    t.push(it.t);
  }
  return { encoding: blob[0]!, back: { t, v }, bytes: blob.length };
}

describe('closed chunks: the decimal encoding', () => {
  test('short decimals are stored as scaled integers and read back bit for bit', () => {
    const rand = seeded(5);
    let ticks = 123_456_789;
    let load = 1.5;
    let pages = 4096 * 1e6;
    const cases: [string, Samples][] = [
      [
        'cpu seconds (ticks / 100)',
        samples(
          240,
          (i) => T0 + i * 15_000,
          () => {
            ticks += Math.floor(rand() * 1500);
            return ticks / 100;
          },
        ),
      ],
      [
        'load average',
        samples(
          240,
          (i) => T0 + i * 15_000,
          () => (load = Math.round((load + rand() - 0.5) * 100) / 100),
        ),
      ],
      [
        'negative decimals',
        samples(
          100,
          (i) => T0 + i * 1000,
          (i) => -i * 0.25 - 1e-9,
        ),
      ],
      [
        '+1 counter',
        samples(
          240,
          (i) => T0 + i * 15_000,
          (i) => 1e9 + i,
        ),
      ],
      [
        'nanoseconds as seconds',
        samples(
          50,
          (i) => T0 + i * 15_000,
          () => Math.floor(rand() * 1e7) / 1e9,
        ),
      ],
      [
        'irregular timestamps',
        samples(
          120,
          (i) => T0 + i * 15_000 + Math.floor(rand() * 9),
          (i) => i % 3,
        ),
      ],
      [
        'one sample',
        samples(
          1,
          () => -5,
          () => 42,
        ),
      ],
    ];
    for (const [name, s] of cases) {
      const { encoding, back, bytes } = stored(s);
      assert.equal(encoding, CHUNK_ENCODING_DECIMAL, name);
      assertSameSamples(back, s);
      assert.ok(bytes <= chunkOf(s).byteLength + 32, `${name}: ${bytes} bytes`);
    }
    // Whichever encoding is smaller is kept: page-sized steps of a large gauge suit XOR better.
    const gauge = samples(
      240,
      (i) => T0 + i * 15_000,
      () => (pages += Math.floor(rand() * 10 - 5) * 4096),
    );
    const kept = stored(gauge);
    assertSameSamples(kept.back, gauge);
    assert.ok(kept.bytes <= chunkOf(gauge).byteLength + 32);
  });

  test('a decimal chunk is much smaller than XOR for counters of hundredths and for +1 counters', () => {
    let ticks = 1e9;
    const rand = seeded(9);
    const cpu = samples(
      240,
      (i) => T0 + i * 15_000,
      () => {
        ticks += 500 + Math.floor(rand() * 1000);
        return ticks / 100;
      },
    );
    const xor = chunkOf(cpu).byteLength;
    assert.ok(stored(cpu).bytes < xor / 2, `${stored(cpu).bytes} vs XOR ${xor}`);
    const plusOne = samples(
      240,
      (i) => T0 + i * 15_000,
      (i) => 1e9 + i,
    );
    assert.ok(stored(plusOne).bytes < 100, `${stored(plusOne).bytes} bytes`);
  });

  test('NaN, stale markers, infinities, -0 and noisy floats keep the XOR encoding', () => {
    const rand = seeded(3);
    const cases: [string, Samples][] = [
      [
        'stale marker',
        samples(
          10,
          (i) => T0 + i,
          (i) => (i === 5 ? STALE_NAN : i),
        ),
      ],
      [
        'NaN',
        samples(
          10,
          (i) => T0 + i,
          (i) => (i === 5 ? Number.NaN : i),
        ),
      ],
      [
        'infinity',
        samples(
          10,
          (i) => T0 + i,
          (i) => (i === 5 ? Number.POSITIVE_INFINITY : i),
        ),
      ],
      [
        'negative zero',
        samples(
          10,
          (i) => T0 + i,
          (i) => (i === 5 ? -0 : i),
        ),
      ],
      [
        'noisy floats',
        samples(
          10,
          (i) => T0 + i,
          () => rand(),
        ),
      ],
      [
        'too large',
        samples(
          10,
          (i) => T0 + i,
          (i) => 2 ** 60 + i * 2 ** 10,
        ),
      ],
    ];
    for (const [name, s] of cases) {
      const { encoding, back } = stored(s);
      assert.equal(encoding, CHUNK_ENCODING_XOR, name);
      assertSameSamples(back, s);
    }
  });

  test('a decimal chunk has a header like any chunk, cannot be appended to, and a damaged one throws', () => {
    const s = samples(
      30,
      (i) => T0 + i * 1000,
      (i) => i / 10,
    );
    const blob = encodeClosedChunk(chunkOf(s));
    const h = readChunkHeader(blob);
    assert.deepEqual([h.encoding, h.count, h.minTime, h.maxTime], [CHUNK_ENCODING_DECIMAL, 30, T0, T0 + 29_000]);
    assert.throws(() => decodeChunk(blob), { code: 'VIGIL_TSDB_CORRUPT_CHUNK' });
    const cut = blob.subarray(0, blob.length - 4);
    assert.throws(
      () => {
        const it = chunkSamples(cut);
        while (it.next()) {}
      },
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_TSDB_CORRUPT_CHUNK' && /sample \d+/.test(e.message),
    );
  });
});
