import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STALE_NAN } from '../src/chunks/float-bits.js';
import { HeadArena } from '../src/chunks/head-arena.js';
import { XorChunk } from '../src/chunks/xor-chunk.js';
import { assertSameSamples, decode, type Samples, samples, seeded, withBits } from './support/chunks-samples.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

// Values that exercise every XOR case, NaN payloads included, and timestamps that hit every dod bucket.
function awkward(n: number, seed: number): Samples {
  const rand = seeded(seed);
  const t: number[] = [];
  let at = T0 - 1e9 * Math.floor(rand() * 3);
  const bits: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    at += r < 0.5 ? 15_000 : r < 0.7 ? 1 + Math.floor(rand() * 20) : r < 0.9 ? Math.floor(rand() * 1e6) + 1 : 2 ** 33;
    t.push(at);
    const k = rand();
    bits.push(
      k < 0.2
        ? 0x7ff0000000000002n
        : k < 0.3
          ? 0x7ff8000000000001n
          : k < 0.6
            ? BigInt(Math.floor(rand() * 2 ** 20)) << 30n
            : BigInt.asUintN(64, BigInt(Math.floor(rand() * 2 ** 53)) * 2047n),
    );
  }
  return withBits(t, bits);
}

function payloadOf(chunk: XorChunk): number[] {
  return [...chunk.payload()];
}

describe('head arena', () => {
  test('encodes every series exactly as an XorChunk does, bit for bit', () => {
    const arena = new HeadArena({ maxSamples: 1e9, maxBytes: 1e9 });
    const streams = Array.from({ length: 50 }, (_, id) => awkward(100 + id * 7, id + 1));
    const chunks = streams.map(() => new XorChunk({ maxSamples: 1e9, maxBytes: 1e9 }));
    // Interleaved, so slots grow and move past each other and the arena compacts.
    for (let i = 0; i < 500; i++) {
      streams.forEach((s, id) => {
        if (i >= s.t.length) return;
        assert.equal(arena.append(id, s.t[i]!, s.v[i]!), chunks[id]!.append(s.t[i]!, s.v[i]!));
      });
    }
    streams.forEach((s, id) => {
      assert.deepEqual([...arena.payload(id)], payloadOf(chunks[id]!), `series ${id}`);
      assertSameSamples(decode(arena.snapshot(id)!), s);
    });
  });

  test('refusals match XorChunk and leave the chunk unchanged', () => {
    const arena = new HeadArena();
    assert.equal(arena.append(0, 1.5, 1), 'bad_timestamp');
    assert.equal(arena.has(0), false);
    assert.equal(arena.append(0, T0, 1), 'ok');
    assert.equal(arena.append(0, T0, 2), 'duplicate');
    assert.equal(arena.append(0, T0 - 1, 2), 'out_of_order');
    assert.equal(arena.append(0, 2 ** 53, 2), 'bad_timestamp');
    assert.equal(arena.count(0), 1);
    assert.equal(arena.has(-1), false);
    assert.equal(arena.has(0.5), false);
  });

  test('a full chunk is sealed in place and released after the flush; the next chunk continues the series', () => {
    const arena = new HeadArena({ maxSamples: 10 });
    const s = samples(
      25,
      (i) => T0 + i * 15_000,
      (i) => (i === 12 ? STALE_NAN : i * 0.5),
    );
    for (let i = 0; i < 25; i++) assert.equal(arena.append(3, s.t[i]!, s.v[i]!), 'ok');
    const sealed = arena.sealed;
    assert.equal(sealed.length, 2);
    assert.deepEqual([sealed.series[0], sealed.series[1]], [3, 3]);
    assert.deepEqual([sealed.minT[1], sealed.maxT[1], sealed.count[1]], [s.t[10], s.t[19], 10]);
    assert.equal(sealed.last(3), 1);
    assert.equal(sealed.previous(1), 0);
    assert.equal(sealed.previous(0), -1);
    const all = [arena.sealedSnapshot(0), arena.sealedSnapshot(1), arena.snapshot(3)!].map(decode);
    const v = new Float64Array(25);
    let at = 0;
    for (const x of all) {
      v.set(x.v, at);
      at += x.v.length;
    }
    assertSameSamples({ t: all.flatMap((x) => x.t), v }, s);
    arena.releaseSealed();
    assert.equal(sealed.length, 0);
    assert.equal(sealed.last(3), -1);
    assert.equal(arena.count(3), 5);
  });

  test('a snapshot is a copy: later appends, cuts and compactions leave it as it was', () => {
    const arena = new HeadArena({ maxSamples: 40 });
    const s = awkward(30, 9);
    for (let i = 0; i < 30; i++) arena.append(0, s.t[i]!, s.v[i]!);
    const snap = arena.snapshot(0)!;
    // Enough other series to force the arena to compact several times.
    for (let id = 1; id < 3000; id++) for (let i = 0; i < 40; i++) arena.append(id, T0 + i * 1000, i * id);
    for (let i = 0; i < 30; i++) arena.append(0, s.t[29]! + 1 + i, i);
    assertSameSamples(decode(snap), s);
    assert.equal(arena.size, 3000);
  });

  test('a restored chunk is continued as if it had never left', () => {
    const s = awkward(60, 4);
    const whole = new XorChunk({ maxSamples: 1e9, maxBytes: 1e9 });
    const first = new XorChunk({ maxSamples: 1e9, maxBytes: 1e9 });
    for (let i = 0; i < 60; i++) {
      whole.append(s.t[i]!, s.v[i]!);
      if (i < 35) first.append(s.t[i]!, s.v[i]!);
    }
    const stored = XorChunk.fromPayload(first.payload(), first.count, first.minTime, first.maxTime);
    const arena = new HeadArena({ maxSamples: 1e9, maxBytes: 1e9 });
    arena.append(7, T0, 1);
    arena.restore(7, stored);
    assert.equal(arena.count(7), 35);
    assert.equal(arena.maxTime(7), s.t[34]);
    assert.equal(arena.append(7, s.t[34]!, 0), 'duplicate');
    for (let i = 35; i < 60; i++) assert.equal(arena.append(7, s.t[i]!, s.v[i]!), 'ok');
    assert.deepEqual([...arena.payload(7)], payloadOf(whole));
  });

  test('take drops a series; its id can open a new chunk', () => {
    const arena = new HeadArena();
    arena.append(1, T0, 1);
    arena.append(2, T0, 1);
    arena.take(1);
    assert.equal(arena.has(1), false);
    assert.equal(arena.size, 1);
    assert.equal(arena.snapshot(1), undefined);
    assert.equal(arena.append(1, T0 - 5, 3), 'ok');
    assert.equal(arena.minTime(1), T0 - 5);
  });
});
