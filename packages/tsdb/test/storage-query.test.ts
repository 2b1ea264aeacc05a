import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Tsdb } from '../src/index.js';
import { eq, openStore, readAll, T0, tempDir, times } from './support/storage-fixture.js';

// Three jobs × two instances, one sample a second for 100 s, chunks of 8 samples so ranges span many chunks.
function fleet(db: Tsdb, flushAt: number[] = []): void {
  const refs: number[] = [];
  for (const job of ['api', 'db', 'web']) {
    for (const instance of ['a', 'b']) refs.push(db.series({ __name__: 'up', job, instance }));
  }
  refs.push(db.series({ __name__: 'requests_total', job: 'api', instance: 'a' }));
  for (let i = 0; i < 100; i++) {
    for (const ref of refs) db.append(ref, T0 + i * 1000, i);
    if (flushAt.includes(i)) db.flush();
  }
}

describe('Tsdb queries', () => {
  test('select returns the matching series with samples limited to [mint, maxt], across stored, cut and head chunks', (t) => {
    const db = openStore(t, { path: join(tempDir(t), 'q.db'), samplesPerChunk: 8 });
    fleet(db, [30, 60]);
    const got = times(db, [eq('job', 'db'), eq('instance', 'b')], T0 + 25_000, T0 + 75_500);
    assert.deepEqual(
      got,
      Array.from({ length: 51 }, (_, i) => T0 + (25 + i) * 1000),
    );
    assert.deepEqual(times(db, [eq('job', 'db'), eq('instance', 'b')]).length, 100);
  });

  test('select follows Prometheus matcher rules and skips series without samples in the range', (t) => {
    const db = openStore(t, { samplesPerChunk: 8 });
    fleet(db, [50]);
    const old = db.series({ __name__: 'up', job: 'old', instance: 'a' });
    db.append(old, T0 - 1_000_000, 1);
    db.flush();
    const keys = (m: Parameters<Tsdb['select']>[0], mint = T0, maxt = T0 + 200_000) => [
      ...readAll(db, m, mint, maxt).keys(),
    ];
    assert.deepEqual(keys([eq('__name__', 'up'), { type: '=~', name: 'job', value: 'a.*|w.*' }, eq('instance', 'a')]), [
      '__name__=up,instance=a,job=api',
      '__name__=up,instance=a,job=web',
    ]);
    assert.equal(keys([eq('__name__', 'up')]).length, 6);
    assert.equal(keys([eq('__name__', 'up')], T0 - 2_000_000).length, 7);
    assert.equal(keys([eq('__name__', 'up')], T0 + 500_000, T0 + 600_000).length, 0);
    assert.throws(() => db.select([{ type: '!=', name: 'job', value: 'x' }], 0, 1), { code: 'VIGIL_BAD_MATCHER' });
  });

  test('labelNames and labelValues, with and without matchers', (t) => {
    const db = openStore(t, {});
    fleet(db);
    assert.deepEqual(db.labelNames(), ['__name__', 'instance', 'job']);
    assert.deepEqual(db.labelValues('job'), ['api', 'db', 'web']);
    assert.deepEqual(db.labelValues('__name__', [eq('job', 'db')]), ['up']);
    assert.deepEqual(db.labelValues('job', [eq('__name__', 'requests_total')]), ['api']);
  });

  test('samples() gives a fresh iterator each time, as of the call', (t) => {
    const db = openStore(t, { samplesPerChunk: 4 });
    const ref = db.series({ __name__: 'x' });
    db.append(ref, T0, 0);
    const [series] = [...db.select([eq('__name__', 'x')], T0, T0 + 100)];
    const before = series!.samples();
    db.append(ref, T0 + 1, 1);
    db.append(ref, T0 + 2, 2);
    const count = (it: { next(): boolean }) => {
      let n = 0;
      while (it.next()) n++;
      return n;
    };
    assert.equal(count(before), 1);
    assert.equal(count(series!.samples()), 3);
  });

  test('an iterator keeps its samples while other series fill, cut and compact the head arena', (t) => {
    const db = openStore(t, { samplesPerChunk: 8 });
    const ref = db.series({ __name__: 'x' });
    for (let i = 0; i < 20; i++) db.append(ref, T0 + i, i / 3);
    const it = [...db.select([eq('__name__', 'x')], T0, T0 + 100)][0]!.samples();
    const seen: number[] = [];
    for (let i = 0; i < 3 && it.next(); i++) seen.push(it.t - T0);
    const others = Array.from({ length: 2000 }, (_, k) => db.series({ __name__: 'y', k: String(k) }));
    for (let i = 0; i < 20; i++) for (const r of others) db.append(r, T0 + i, i * k(r));
    db.flush();
    for (let i = 20; i < 30; i++) db.append(ref, T0 + i, i / 3);
    while (it.next()) {
      assert.equal(it.v, (it.t - T0) / 3);
      seen.push(it.t - T0);
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 20 }, (_, i) => i),
    );
    function k(r: number): number {
      return 1 + (r % 7) / 10;
    }
  });

  test('an iterator survives a flush and new appends between its next() calls', (t) => {
    const db = openStore(t, { path: join(tempDir(t), 'q.db'), samplesPerChunk: 4 });
    const ref = db.series({ __name__: 'x' });
    for (let i = 0; i < 30; i++) db.append(ref, T0 + i, i);
    const it = [...db.select([eq('__name__', 'x')], T0, T0 + 100)][0]!.samples();
    const seen: number[] = [];
    for (let i = 0; i < 5 && it.next(); i++) seen.push(it.t - T0);
    db.flush();
    for (let i = 30; i < 40; i++) db.append(ref, T0 + i, i);
    db.flush();
    while (it.next()) seen.push(it.t - T0);
    assert.deepEqual(
      seen,
      Array.from({ length: 30 }, (_, i) => i),
    );
  });
});
