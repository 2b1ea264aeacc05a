import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStaleNaN, STALE_NAN, Tsdb, TsdbError } from '../src/index.js';
import { eq, manualClock, openStore, readAll, T0 } from './support/storage-fixture.js';

describe('Tsdb appends', () => {
  test('a series ref is stable, labels are canonical, and appends come back in order', (t) => {
    const db = openStore(t, {});
    const ref = db.series({ job: 'api', __name__: 'up', empty: '' });
    assert.equal(
      db.series([
        { name: '__name__', value: 'up' },
        { name: 'job', value: 'api' },
      ]),
      ref,
    );
    assert.equal(db.lookup({ __name__: 'up', job: 'api' }), ref);
    assert.equal(db.lookup({ __name__: 'down' }), undefined);
    for (let i = 0; i < 5; i++) assert.equal(db.append(ref, T0 + i * 15_000, i), 'ok');
    const all = readAll(db, [eq('__name__', 'up')]);
    assert.deepEqual([...all.keys()], ['__name__=up,job=api']);
    assert.deepEqual(
      all.get('__name__=up,job=api'),
      [0, 1, 2, 3, 4].map((i) => [T0 + i * 15_000, i]),
    );
  });

  test('out-of-order, duplicate and bad timestamps are refused and counted, not thrown', (t) => {
    const db = openStore(t, {});
    const ref = db.series({ __name__: 'x' });
    assert.equal(db.append(ref, T0 + 1000, 1), 'ok');
    assert.equal(db.append(ref, T0 + 1000, 2), 'duplicate');
    assert.equal(db.append(ref, T0, 3), 'out_of_order');
    assert.equal(db.append(ref, 1.5, 3), 'bad_timestamp');
    assert.equal(db.append(ref, Number.NaN, 3), 'bad_timestamp');
    assert.equal(db.append(999, T0, 1), 'unknown_series');
    const s = db.stats();
    assert.deepEqual(
      [s.samplesAppended, s.duplicates, s.outOfOrder, s.badTimestamps, s.unknownSeries, s.series],
      [1, 1, 1, 2, 1, 1],
    );
  });

  test('a staleness marker is appended like a sample and keeps its NaN bits', (t) => {
    const db = openStore(t, {});
    const ref = db.series({ __name__: 'x' });
    db.append(ref, T0, 1);
    assert.equal(db.append(ref, T0 + 15_000, STALE_NAN), 'ok');
    db.append(ref, T0 + 30_000, Number.NaN);
    const it = [...db.select([eq('__name__', 'x')], T0, T0 + 60_000)][0]!.samples();
    const values = new Float64Array(3);
    for (let i = 0; it.next(); i++) values[i] = it.v;
    assert.equal(isStaleNaN(values[1]!), true);
    assert.equal(Number.isNaN(values[2]!) && !isStaleNaN(values[2]!), true);
  });

  test('chunks are cut at samplesPerChunk and read back across the cut before and after a flush', (t) => {
    const db = openStore(t, { samplesPerChunk: 4 });
    const ref = db.series({ __name__: 'x' });
    for (let i = 0; i < 10; i++) db.append(ref, T0 + i, i);
    assert.equal(db.stats().unflushedChunks, 2);
    const expected = Array.from({ length: 10 }, (_, i) => [T0 + i, i]);
    assert.deepEqual(readAll(db, [eq('__name__', 'x')]).get('__name__=x'), expected);
    db.flush();
    assert.deepEqual([db.stats().unflushedChunks, db.stats().chunks], [0, 2]);
    assert.deepEqual(readAll(db, [eq('__name__', 'x')]).get('__name__=x'), expected);
  });

  test('metadata is kept per metric, untyped reads as unknown, and bad metadata is refused', (t) => {
    const db = openStore(t, {});
    db.setMetadata('http_requests_total', { type: 'counter', help: 'Requests.', unit: undefined });
    db.setMetadata('temp_celsius', { type: 'untyped', help: undefined, unit: 'celsius' });
    assert.deepEqual(
      db.metadata(),
      new Map([
        ['http_requests_total', [{ type: 'counter', help: 'Requests.', unit: '' }]],
        ['temp_celsius', [{ type: 'unknown', help: '', unit: 'celsius' }]],
      ]),
    );
    assert.deepEqual([...db.metadata('temp_celsius').keys()], ['temp_celsius']);
    assert.equal(db.metadata('nope').size, 0);
    assert.throws(
      () => db.setMetadata('x', { type: 'countr' }),
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_TSDB_BAD_METADATA' && /countr/.test(e.message),
    );
    assert.throws(() => db.setMetadata('', { type: 'gauge' }), { code: 'VIGIL_TSDB_BAD_METADATA' });
  });

  test('bad labels are refused with VIGIL_TSDB_BAD_LABELS', (t) => {
    const db = openStore(t, {});
    assert.throws(
      () =>
        db.series([
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ]),
      { code: 'VIGIL_TSDB_BAD_LABELS' },
    );
  });

  test('invalid options are refused with VIGIL_TSDB_BAD_OPTION naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ retentionMs: -1 }, 'retentionMs'],
      [{ retentionMs: 0 }, 'retentionMs'],
      [{ retentionBytes: -5 }, 'retentionBytes'],
      [{ flushIntervalMs: 1.5 }, 'flushIntervalMs'],
      [{ flushIntervalMs: '5000' }, 'flushIntervalMs'],
      [{ retentionIntervalMs: -1 }, 'retentionIntervalMs'],
      [{ samplesPerChunk: 1 }, 'samplesPerChunk'],
      [{ samplesPerChunk: 1e6 }, 'samplesPerChunk'],
      [{ path: '' }, 'path'],
      [{ now: 5 }, 'now'],
    ];
    for (const [options, name] of cases) {
      assert.throws(
        () => Tsdb.open(options as never),
        (e: unknown) =>
          e instanceof TsdbError && e.code === 'VIGIL_TSDB_BAD_OPTION' && e.message.includes(`option ${name} `),
        JSON.stringify(options),
      );
    }
  });

  test('a closed store refuses use with VIGIL_TSDB_CLOSED, and close() twice is fine', () => {
    const db = Tsdb.open({ now: manualClock().now });
    const ref = db.series({ __name__: 'x' });
    db.close();
    db.close();
    assert.throws(() => db.append(ref, T0, 1), { code: 'VIGIL_TSDB_CLOSED' });
    assert.throws(() => db.series({ __name__: 'y' }), { code: 'VIGIL_TSDB_CLOSED' });
    assert.throws(() => db.flush(), { code: 'VIGIL_TSDB_CLOSED' });
  });

  test('the flush timer writes the head on its interval (mocked timers)', (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const clock = manualClock();
    const db = openStore(t, { flushIntervalMs: 5000, now: clock.now });
    const ref = db.series({ __name__: 'x' });
    db.append(ref, T0, 1);
    assert.equal(db.stats().flushes, 0);
    t.mock.timers.tick(5000);
    assert.equal(db.stats().flushes, 1);
    assert.equal(db.stats().lastFlushAt, T0);
  });
});
