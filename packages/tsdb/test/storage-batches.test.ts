import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Tsdb } from '../src/index.js';
import { eq, openStore, readAll, T0, tempDir } from './support/storage-fixture.js';

// 300 series (several batches of stored chunks) with one sample a second for 200 s in chunks of 8; flushed at
// 60 and 150 s, so each series has stored chunks, cut chunks not yet flushed and a head chunk.
function many(db: Tsdb): void {
  const refs = Array.from({ length: 300 }, (_, i) => db.series({ __name__: 'm', instance: String(i) }));
  for (let s = 0; s < 200; s++) {
    for (const [i, ref] of refs.entries()) db.append(ref, T0 + s * 1000, i * 1000 + s);
    if (s === 60 || s === 150) db.flush();
  }
}

// The samples of one series in [mint, maxt], as a select of that series alone reads them.
function alone(db: Tsdb, instance: string, mint: number, maxt: number): number[][] {
  return [...readAll(db, [eq('__name__', 'm'), eq('instance', instance)], mint, maxt).values()][0] ?? [];
}

describe('Tsdb stored chunks read in batches', () => {
  test('a select over many series reads what each series alone reads, for ranges ending in any kind of chunk', (t) => {
    const db = openStore(t, { path: join(tempDir(t), 'b.db'), samplesPerChunk: 8 });
    many(db);
    const ranges = [
      [T0, T0 + 200_000],
      [T0 + 10_500, T0 + 40_500],
      [T0 + 55_000, T0 + 120_000],
      [T0 + 170_000, T0 + 199_000],
      [T0 - 5_000, T0 + 2_000],
    ] as const;
    for (const [mint, maxt] of ranges) {
      const all = readAll(db, [eq('__name__', 'm')], mint, maxt);
      assert.equal(all.size, 300);
      for (const instance of ['0', '63', '64', '65', '200', '299']) {
        const got = all.get(`__name__=m,instance=${instance}`);
        const expected = alone(db, instance, mint, maxt);
        assert.ok(expected.length > 0);
        assert.deepEqual(got, expected, `instance ${instance} in [${mint - T0}, ${maxt - T0}]`);
      }
      const first = Math.max(0, Math.ceil((mint - T0) / 1000));
      const last = Math.min(199, Math.floor((maxt - T0) / 1000));
      assert.deepEqual(
        all.get('__name__=m,instance=7')!.map(([time]) => (time! - T0) / 1000),
        Array.from({ length: last - first + 1 }, (_, i) => first + i),
      );
    }
  });

  test('a flush between a select and samples() neither loses nor repeats samples', (t) => {
    const db = openStore(t, { path: join(tempDir(t), 'b.db'), samplesPerChunk: 8 });
    many(db);
    const expected = [...readAll(db, [eq('__name__', 'm')]).values()];
    const selected = [...db.select([eq('__name__', 'm')], -(2 ** 52), 2 ** 52)];
    const count = (i: number) => {
      const it = selected[i]!.samples();
      let n = 0;
      while (it.next()) n++;
      return n;
    };
    assert.equal(count(0), 200);
    // The chunks cut since the last flush move from memory to the file.
    db.flush();
    for (let i = 1; i < selected.length; i += 37) assert.equal(count(i), expected[i]!.length, `series ${i}`);
    assert.equal(count(0), 200);
  });
});
