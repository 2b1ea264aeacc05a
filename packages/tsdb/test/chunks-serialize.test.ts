import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HeadChunks } from '../src/chunks/head-chunks.js';
import { CHUNK_ENCODING_XOR, decodeChunk, encodeChunk, readChunkHeader } from '../src/chunks/serialize.js';
import { XorChunk } from '../src/chunks/xor-chunk.js';
import { TsdbError } from '../src/errors.js';
import { assertSameSamples, chunkOf, decode, samples, seeded, withBits } from './support/chunks-samples.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function isCorrupt(err: unknown): boolean {
  return err instanceof TsdbError && (err.code as string) === 'VIGIL_TSDB_CORRUPT_CHUNK';
}

describe('chunk serialization', () => {
  test('a serialized chunk decodes to the same samples and header', () => {
    const rand = seeded(10);
    const bits = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 0x7ff0000000000002n : BigInt(i) << 40n));
    const s = withBits(
      bits.map((_, i) => T0 + i * 15_000 + Math.floor(rand() * 10)),
      bits,
    );
    const blob = encodeChunk(chunkOf(s));
    assert.ok(Buffer.isBuffer(blob));
    assert.equal(blob[0], CHUNK_ENCODING_XOR);
    assert.deepEqual(
      { ...readChunkHeader(blob), payloadOffset: 0 },
      { encoding: 1, count: 120, minTime: s.t[0], maxTime: s.t[119], payloadOffset: 0 },
    );
    const back = decodeChunk(blob);
    assert.equal(back.count, 120);
    assert.equal(back.minTime, s.t[0]);
    assert.equal(back.maxTime, s.t[119]);
    assertSameSamples(decode(back), s);
  });

  test('an empty chunk and negative times round trip', () => {
    assert.equal(decodeChunk(encodeChunk(new XorChunk())).count, 0);
    const s = samples(
      5,
      (i) => -1_000_000 + i * 7,
      (i) => -i,
    );
    assertSameSamples(decode(decodeChunk(encodeChunk(chunkOf(s)))), s);
  });

  test('a decoded chunk accepts further appends and still rejects old timestamps', () => {
    const rand = seeded(11);
    const s = samples(
      200,
      (i) => T0 + i * 15_000 + Math.floor(rand() * 50),
      () => rand() * 1000,
    );
    const first = { t: s.t.slice(0, 77), v: s.v.slice(0, 77) };
    const back = decodeChunk(encodeChunk(chunkOf(first)), { maxSamples: 1000, maxBytes: 1e6 });
    assert.equal(back.append(s.t[76]!, 1), 'duplicate');
    for (let i = 77; i < 200; i++) assert.equal(back.append(s.t[i]!, s.v[i]!), 'ok');
    assertSameSamples(decode(back), s);
    assertSameSamples(decode(decodeChunk(encodeChunk(back))), s);
  });

  test('a decoded chunk keeps its cap', () => {
    const full = chunkOf(
      samples(
        120,
        (i) => T0 + i,
        (i) => i,
      ),
      {},
    );
    assert.equal(decodeChunk(encodeChunk(full)).append(T0 + 500, 1), 'full');
  });

  test('malformed blobs throw VIGIL_TSDB_CORRUPT_CHUNK', () => {
    const good = encodeChunk(
      chunkOf(
        samples(
          20,
          (i) => T0 + i * 1000,
          (i) => i,
        ),
      ),
    );
    assert.throws(() => decodeChunk(new Uint8Array(0)), isCorrupt);
    assert.throws(() => decodeChunk(Uint8Array.from([9, ...good.subarray(1)])), isCorrupt);
    assert.throws(() => decodeChunk(good.subarray(0, 3)), isCorrupt);
    // A truncated payload parses its header but fails while decoding samples.
    const truncated = decodeChunk(good.subarray(0, good.length - 4));
    assert.throws(() => {
      const it = truncated.iterator();
      while (it.next()) {}
    }, isCorrupt);
  });
});

describe('head chunks', () => {
  test('a full head chunk is cut, handed over, and ordering holds across the cut', () => {
    const cut: [number, XorChunk][] = [];
    const head = new HeadChunks({ onCut: (id, chunk) => cut.push([id, chunk]) });
    for (let i = 0; i < 250; i++) assert.equal(head.append(7, T0 + i * 15_000, i), 'ok');
    assert.deepEqual(
      cut.map(([id, c]) => [id, c.count]),
      [
        [7, 120],
        [7, 120],
      ],
    );
    assert.equal(head.chunk(7)!.count, 10);
    assert.equal(head.append(7, T0 + 249 * 15_000, 0), 'duplicate');
    assert.equal(head.append(7, T0, 0), 'out_of_order');
    assert.equal(head.size, 1);
    assert.deepEqual(
      [...head.entries()].map(([id]) => id),
      [7],
    );
    assert.equal(head.take(7)!.count, 10);
    assert.equal(head.size, 0);
  });

  test('a rejection on a full chunk does not cut it', () => {
    let cuts = 0;
    const head = new HeadChunks({ limits: { maxSamples: 2 }, onCut: () => cuts++ });
    head.append(1, 10, 1);
    head.append(1, 20, 1);
    assert.equal(head.append(1, 20, 1), 'duplicate');
    assert.equal(cuts, 0);
    assert.equal(head.append(1, 30, 1), 'ok');
    assert.equal(cuts, 1);
  });
});
