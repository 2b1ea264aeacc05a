import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStaleNaN, STALE_NAN } from '../src/chunks/float-bits.js';
import { XorChunk } from '../src/chunks/xor-chunk.js';
import { MAX_TIMESTAMP } from '../src/chunks/xor-encoding.js';
import {
  assertSameSamples,
  chunkOf,
  decode,
  roundTrip,
  type Samples,
  samples,
  seeded,
  withBits,
} from './support/chunks-samples.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('XOR chunk round trip', () => {
  test('regular 15 s scrapes of a counter decode exactly', () => {
    let c = 0;
    const rand = seeded(1);
    roundTrip(
      samples(
        1000,
        (i) => T0 + i * 15_000,
        () => (c += Math.floor(rand() * 100)),
      ),
    );
  });

  test('jittered scrapes of a gauge decode exactly', () => {
    const rand = seeded(2);
    roundTrip(
      samples(
        1000,
        (i) => T0 + i * 15_000 + Math.floor(rand() * 200) - 100,
        () => rand() * 1e6 - 5e5,
      ),
    );
  });

  test('a constant value at a steady cadence takes two bits per sample', () => {
    const chunk = roundTrip(
      samples(
        120,
        (i) => T0 + i * 15_000,
        () => 42.5,
      ),
    );
    // dod '0' and xor '0' per sample, after the 16 or so bytes of the first two samples.
    assert.ok(chunk.byteLength <= 16 + 30, `${chunk.byteLength} bytes`);
  });

  test('float counters with fractional increments (CPU seconds) decode exactly', () => {
    let c = 1234.56;
    const rand = seeded(3);
    roundTrip(
      samples(
        500,
        (i) => T0 + i * 15_000,
        () => (c += rand() * 14.9),
      ),
    );
  });

  test('random 64-bit patterns, NaN payloads included, decode bit-exact', () => {
    const rand = seeded(4);
    const word = () => BigInt(Math.floor(rand() * 2 ** 32));
    const bits = Array.from({ length: 2000 }, () => (word() << 32n) | word());
    // A few signalling and quiet NaNs with random payloads among them.
    for (let i = 0; i < 2000; i += 50) bits[i] = 0x7ff0000000000000n | (word() & 0xfffffn) | 1n;
    roundTrip(
      withBits(
        bits.map((_, i) => T0 + i * 1000),
        bits,
      ),
    );
  });

  test('the staleness marker and other special values survive bit-exact', () => {
    const specials = [
      0x7ff0000000000002n, // the staleness marker, a signalling NaN
      0x7ff8000000000000n, // the usual quiet NaN
      0x7ff8000000000001n, // Prometheus's own NaN value
      0xfff0000000000001n, // negative signalling NaN
      0x7fffffffffffffffn,
      0x8000000000000000n, // -0
      0n,
      0x7ff0000000000000n, // +Inf
      0xfff0000000000000n, // -Inf
      1n, // smallest subnormal
      0x000fffffffffffffn, // largest subnormal
      0x7fefffffffffffffn, // MAX_VALUE
      0x3ff0000000000000n, // 1
      0x7ff0000000000002n,
      0x7ff0000000000002n,
    ];
    const bits = Array.from({ length: specials.length * 3 }, (_, i) => specials[(i * 7) % specials.length]!);
    const out = decode(
      roundTrip(
        withBits(
          bits.map((_, i) => T0 + i * 15_000),
          bits,
        ),
      ),
    );
    assert.ok(isStaleNaN(out.v[0]!));
    assert.ok(isStaleNaN(STALE_NAN));
    assert.ok(!isStaleNaN(Number.NaN));
  });

  test('big jumps in time use the 64-bit delta-of-delta bucket', () => {
    const times = [T0, T0 + 1, T0 + 2 ** 40, T0 + 2 ** 40 + 5, T0 + 2 ** 41, 2 ** 51, 2 ** 52];
    roundTrip(
      samples(
        times.length,
        (i) => times[i]!,
        (i) => i,
      ),
    );
  });

  test('every delta-of-delta bucket boundary decodes exactly', () => {
    const dods = [0, 1, -1, 8192, -8191, 8193, -8192, 65536, -65535, 65537, -65536, 524288, -524287, 524289, -524288];
    const t: number[] = [T0, T0 + 1_000_000];
    for (const dod of dods) {
      const delta = t[t.length - 1]! - t[t.length - 2]! + dod;
      t.push(t[t.length - 1]! + delta);
      t.push(t[t.length - 1]! + delta); // dod 0 back to the same delta
    }
    roundTrip(
      samples(
        t.length,
        (i) => t[i]!,
        (i) => i * 0.5,
      ),
    );
  });

  test('negative timestamps and a first delta of one millisecond decode exactly', () => {
    roundTrip(
      samples(
        50,
        (i) => -MAX_TIMESTAMP + i * (i + 1),
        (i) => -i,
      ),
    );
  });

  test('many random series with random cadences decode exactly', () => {
    const rand = seeded(5);
    for (let series = 0; series < 200; series++) {
      const step = 1 + Math.floor(rand() * 60_000);
      let t = T0 - Math.floor(rand() * 1e9);
      let v = rand() * 100;
      const kind = series % 3;
      roundTrip(
        samples(
          1 + Math.floor(rand() * 300),
          () => (t += step + (rand() < 0.1 ? Math.floor(rand() * 1e7) : 0)),
          () => {
            if (kind === 0) v += Math.floor(rand() * 10);
            else if (kind === 1) v = rand() * 100;
            return v;
          },
        ),
      );
    }
  });
});

describe('XOR chunk append rules', () => {
  test('out-of-order and duplicate timestamps are returned as rejections and change nothing', () => {
    const chunk = chunkOf(
      samples(
        3,
        (i) => T0 + i * 1000,
        (i) => i,
      ),
    );
    const before = chunk.payload();
    assert.equal(chunk.append(T0 + 2000, 9), 'duplicate');
    assert.equal(chunk.append(T0 + 1999, 9), 'out_of_order');
    assert.equal(chunk.append(T0 - 1, 9), 'out_of_order');
    assert.deepEqual(chunk.payload(), before);
    assert.equal(chunk.count, 3);
    assert.equal(chunk.append(T0 + 3000, 3), 'ok');
    assertSameSamples(
      decode(chunk),
      samples(
        4,
        (i) => T0 + i * 1000,
        (i) => i,
      ),
    );
  });

  test('non-integer and out-of-range timestamps are rejected as bad_timestamp', () => {
    const chunk = new XorChunk();
    for (const t of [1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_TIMESTAMP + 2, -MAX_TIMESTAMP - 2]) {
      assert.equal(chunk.append(t, 1), 'bad_timestamp', String(t));
    }
    assert.equal(chunk.count, 0);
  });

  test('a chunk is full at 120 samples by default', () => {
    const chunk = new XorChunk();
    for (let i = 0; i < 120; i++) assert.equal(chunk.append(T0 + i * 15_000, i), 'ok');
    assert.ok(chunk.isFull);
    assert.equal(chunk.append(T0 + 120 * 15_000, 1), 'full');
    // Order is checked before fullness, so the caller learns about bad samples either way.
    assert.equal(chunk.append(T0, 1), 'out_of_order');
    assert.equal(chunk.count, 120);
    assert.equal(chunk.minTime, T0);
    assert.equal(chunk.maxTime, T0 + 119 * 15_000);
  });

  test('a chunk of incompressible values is full at its byte cap', () => {
    const rand = seeded(6);
    const chunk = new XorChunk({ maxBytes: 256 });
    let n = 0;
    while (chunk.append(T0 + n * 1000, rand()) === 'ok') n++;
    assert.ok(n < 120 && chunk.byteLength >= 256, `${n} samples, ${chunk.byteLength} bytes`);
  });
});

describe('XOR chunk iterator', () => {
  const s: Samples = samples(
    100,
    (i) => T0 + i * 10,
    (i) => i,
  );

  test('seek moves to the first sample at or after t', () => {
    const it = chunkOf(s).iterator();
    assert.ok(it.seek(T0 + 55));
    assert.deepEqual([it.t, it.v], [T0 + 60, 6]);
    assert.ok(it.seek(T0 + 60), 'seeking the current time stays');
    assert.equal(it.t, T0 + 60);
    assert.ok(it.seek(T0), 'seeking backwards stays');
    assert.equal(it.t, T0 + 60);
    assert.ok(it.next());
    assert.equal(it.t, T0 + 70);
    assert.ok(it.seek(T0 + 990));
    assert.equal(it.v, 99);
    assert.equal(it.seek(T0 + 991), false);
    assert.equal(it.next(), false);
  });

  test('seek before the first sample lands on it; next on an empty chunk is false', () => {
    const it = chunkOf(s).iterator();
    assert.ok(it.seek(0));
    assert.equal(it.t, T0);
    assert.equal(new XorChunk().iterator().next(), false);
  });

  test('an iterator sees the samples present when it was made, even while appends continue', () => {
    const chunk = chunkOf(
      samples(
        10,
        (i) => T0 + i,
        (i) => i,
      ),
      { maxSamples: 1000 },
    );
    const it = chunk.iterator();
    for (let i = 10; i < 500; i++) chunk.append(T0 + i, i * 1.5);
    let n = 0;
    while (it.next()) assert.equal(it.v, n++);
    assert.equal(n, 10);
  });
});
