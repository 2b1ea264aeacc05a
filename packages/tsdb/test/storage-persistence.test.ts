import assert from 'node:assert/strict';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Tsdb, TsdbError } from '../src/index.js';
import { eq, manualClock, openStore, readAll, T0, tempDir, times } from './support/storage-fixture.js';

describe('Tsdb on a file', () => {
  test('a reopened store has its series, chunks, head and metadata, and appends continue after the last sample', (t) => {
    const path = join(tempDir(t), 'tsdb.db');
    const clock = manualClock();
    const first = Tsdb.open({ path, flushIntervalMs: 0, retentionIntervalMs: 0, samplesPerChunk: 5, now: clock.now });
    const a = first.series({ __name__: 'up', job: 'a' });
    const b = first.series({ __name__: 'up', job: 'b' });
    first.series({ __name__: 'never_appended' });
    for (let i = 0; i < 12; i++) {
      first.append(a, T0 + i * 1000, i);
      first.append(b, T0 + i * 1000, -i);
    }
    first.setMetadata('up', { type: 'gauge', help: 'Target up.' });
    first.close();

    const db = openStore(t, { path, samplesPerChunk: 5, now: clock.now });
    const s = db.stats();
    assert.deepEqual([s.series, s.headChunks, s.chunks], [3, 2, 4]);
    assert.deepEqual(db.labelValues('job'), ['a', 'b']);
    assert.deepEqual(db.metadata('up').get('up'), [{ type: 'gauge', help: 'Target up.', unit: '' }]);
    const ref = db.series({ __name__: 'up', job: 'a' });
    assert.equal(ref, a);
    assert.equal(db.append(ref, T0 + 11_000, 99), 'duplicate');
    assert.equal(db.append(ref, T0 + 5_000, 99), 'out_of_order');
    assert.equal(db.append(ref, T0 + 12_000, 12), 'ok');
    assert.deepEqual(
      times(db, [eq('job', 'a')]),
      Array.from({ length: 13 }, (_, i) => T0 + i * 1000),
    );
    // New series get ids after the stored ones.
    assert.equal(db.series({ __name__: 'new' }), 3);
  });

  test('a store opened again without close() has everything up to its last flush', (t) => {
    const path = join(tempDir(t), 'tsdb.db');
    const db = Tsdb.open({ path, flushIntervalMs: 0, retentionIntervalMs: 0, samplesPerChunk: 4 });
    const ref = db.series({ __name__: 'x' });
    for (let i = 0; i < 10; i++) db.append(ref, T0 + i, i);
    db.flush();
    for (let i = 10; i < 20; i++) db.append(ref, T0 + i, i);
    // Not closed: this connection holds the lock, so read a copy made as a crash would leave it.
    const copy = join(tempDir(t), 'copy.db');
    copyDatabase(path, copy);
    const reopened = openStore(t, { path: copy });
    assert.deepEqual(
      times(reopened, [eq('__name__', 'x')]),
      Array.from({ length: 10 }, (_, i) => T0 + i),
    );
    db.close();
  });

  test('a second process (or connection) on the same file fails with VIGIL_TSDB_LOCKED naming the path', (t) => {
    const path = join(tempDir(t), 'tsdb.db');
    openStore(t, { path });
    assert.throws(
      () => Tsdb.open({ path }),
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_TSDB_LOCKED' && e.message.includes(path),
    );
  });

  test('a path in a missing directory fails with VIGIL_TSDB_IO naming the path', (t) => {
    const path = join(tempDir(t), 'missing', 'tsdb.db');
    assert.throws(
      () => Tsdb.open({ path }),
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_TSDB_IO' && e.message.includes(path),
    );
  });

  test('a file that is not SQLite fails with VIGIL_TSDB_CORRUPT_DB naming the path', (t) => {
    const path = join(tempDir(t), 'garbage.db');
    writeFileSync(path, Buffer.alloc(8192, 'not a database '));
    assert.throws(
      () => Tsdb.open({ path }),
      (e: unknown) => e instanceof TsdbError && e.code === 'VIGIL_TSDB_CORRUPT_DB' && e.message.includes(path),
    );
  });

  test('an SQLite file of something else, or of a newer format, is refused and left as it was', (t) => {
    const dir = tempDir(t);
    const other = join(dir, 'other.db');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
    foreign.close();
    assert.throws(() => Tsdb.open({ path: other }), /other\.db is an SQLite database but not a Vigil TSDB/);
    const check = new Database(other);
    assert.deepEqual(check.prepare("SELECT name FROM sqlite_master WHERE type='table'").pluck().all(), ['users']);
    check.close();

    const newer = join(dir, 'newer.db');
    Tsdb.open({ path: newer }).close();
    const edit = new Database(newer);
    edit.prepare("UPDATE vigil_tsdb SET value = '99' WHERE key = 'version'").run();
    edit.close();
    assert.throws(() => Tsdb.open({ path: newer }), { code: 'VIGIL_TSDB_CORRUPT_DB', message: /version 99/ });
  });

  test('a damaged head chunk fails the open with VIGIL_TSDB_CORRUPT_DB naming the path and the series', (t) => {
    const path = join(tempDir(t), 'tsdb.db');
    const db = Tsdb.open({ path });
    db.append(db.series({ __name__: 'x', job: 'j' }), T0, 1);
    db.close();
    const edit = new Database(path);
    edit.prepare('UPDATE head SET data = ?').run(Buffer.from([7, 1, 2]));
    edit.close();
    assert.throws(
      () => Tsdb.open({ path }),
      (e: unknown) =>
        e instanceof TsdbError &&
        e.code === 'VIGIL_TSDB_CORRUPT_DB' &&
        e.message.includes(path) &&
        e.message.includes('{__name__="x",job="j"}'),
    );
  });

  test('stats report the file size and the last flush', (t) => {
    const path = join(tempDir(t), 'tsdb.db');
    const clock = manualClock(T0 + 42);
    const db = openStore(t, { path, now: clock.now });
    db.append(db.series({ __name__: 'x' }), T0, 1);
    db.flush();
    const s = db.stats();
    assert.ok(s.bytesOnDisk > 0);
    assert.equal(s.lastFlushAt, T0 + 42);
    assert.equal(s.flushes, 1);
    assert.deepEqual(readAll(db, [eq('__name__', 'x')]).get('__name__=x'), [[T0, 1]]);
  });
});

// Copies a database that is open in this process the way a crash leaves it: the main file and its WAL.
function copyDatabase(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}
