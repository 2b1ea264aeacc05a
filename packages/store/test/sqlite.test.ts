import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/sqlite/migrations.js';
import { openSqliteStore } from '../src/sqlite/sqlite-store.js';
import { rejectsWith } from './contract/invocation-store.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();
let n = 0;
const fresh = () => join(dir, `m-${++n}`, 'vigil.db');

function migrationsOf(path: string): { version: number; name: string; applied_at: number }[] {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as never;
  } finally {
    db.close();
  }
}

describe('sqlite migrations', () => {
  test('a fresh file gets every migration, numbered, recorded in schema_migrations', async () => {
    const path = fresh();
    const store = await openSqliteStore(path, { now: () => 1000 });
    assert.equal(store.schemaVersion(), SCHEMA_VERSION);
    await store.close();
    assert.deepEqual(
      migrationsOf(path),
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: 1000 })),
    );
  });

  test('reopening applies nothing again and keeps the rows', async () => {
    const path = fresh();
    let store = await openSqliteStore(path, { now: () => 1000 });
    await store.invocations.insertBatch([{ id: 'a', task_type: 't' }]);
    await store.close();
    store = await openSqliteStore(path, { now: () => 2000 });
    assert.equal(await store.invocations.count(), 1);
    await store.close();
    assert.ok(migrationsOf(path).every((m) => m.applied_at === 1000));
  });

  test('a schema newer than this code knows is a clear error, and the file is left alone', async () => {
    const path = fresh();
    await (await openSqliteStore(path)).close();
    const db = new BetterSqlite3(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(99, 'future', 1);
    db.close();
    await rejectsWith(
      openSqliteStore(path),
      'VIGIL_STORE_SCHEMA_TOO_NEW',
      new RegExp(`schema version 99 is newer than this Vigil knows \\(${SCHEMA_VERSION}\\): upgrade Vigil`),
    );
    await rejectsWith(openSqliteStore(path, { readonly: true }), 'VIGIL_STORE_SCHEMA_TOO_NEW', /99/);
    assert.equal(migrationsOf(path).length, MIGRATIONS.length + 1);
  });

  test('a failing migration is rolled back whole and named; the earlier ones stay applied', async () => {
    const path = fresh();
    const broken = [
      ...MIGRATIONS,
      { version: SCHEMA_VERSION + 1, name: 'half_done', sql: 'CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);' },
    ];
    await rejectsWith(
      openSqliteStore(path, { migrations: broken }),
      'VIGIL_STORE_MIGRATION',
      new RegExp(`migration ${SCHEMA_VERSION + 1} \\(half_done\\) failed and was rolled back: no such table: nowhere`),
    );
    const db = new BetterSqlite3(path, { readonly: true });
    const half = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get();
    db.close();
    assert.equal(half, undefined);
    assert.deepEqual(
      migrationsOf(path).map((m) => m.version),
      MIGRATIONS.map((m) => m.version),
    );
    const store = await openSqliteStore(path);
    assert.equal(store.schemaVersion(), SCHEMA_VERSION);
    await store.close();
  });

  test('the file is in WAL mode with synchronous=FULL and a busy timeout', async () => {
    const path = fresh();
    const store = await openSqliteStore(path, { busyTimeoutMs: 1234 });
    const db = new BetterSqlite3(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
    await store.close();
    // synchronous and busy_timeout are per connection: read them off the store's own.
    const conn = new (await import('../src/sqlite/connection.js')).SqliteConnection(path, { busyTimeoutMs: 1234 });
    assert.equal(conn.db().pragma('synchronous', { simple: true }), 2);
    assert.equal(conn.db().pragma('busy_timeout', { simple: true }), 1234);
    conn.close();
  });
});

describe('sqlite open and close', () => {
  test('a file that is not SQLite, a missing file read-only and a non-Vigil database are VIGIL_STORE_OPEN', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just text that is long enough to be a header '.repeat(20));
    await rejectsWith(openSqliteStore(junk), 'VIGIL_STORE_OPEN', /junk\.db: cannot open: file is not a database/);
    await rejectsWith(openSqliteStore(join(dir, 'missing.db'), { readonly: true }), 'VIGIL_STORE_OPEN', /missing\.db/);
    const other = join(dir, 'other.db');
    const plain = new BetterSqlite3(other);
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    await rejectsWith(openSqliteStore(other, { readonly: true }), 'VIGIL_STORE_OPEN', /not a Vigil database/);
  });

  test('the directory of the file is created', async () => {
    const store = await openSqliteStore(join(dir, 'deep', 'er', 'vigil.db'));
    assert.equal(store.schemaVersion(), SCHEMA_VERSION);
    await store.close();
  });

  test('a closed store refuses with VIGIL_STORE_CLOSED; closing twice is harmless', async () => {
    const store = await openSqliteStore(fresh());
    await store.close();
    await store.close();
    await rejectsWith(store.invocations.insertBatch([{ task_type: 't' }]), 'VIGIL_STORE_CLOSED', /closed/);
    await rejectsWith(store.audit.append({ event_type: 'x' }), 'VIGIL_STORE_CLOSED', /closed/);
    await rejectsWith(store.audit.verify(), 'VIGIL_STORE_CLOSED', /closed/);
  });

  test('a read-only store reads but refuses writes with VIGIL_STORE_IO', async () => {
    const path = fresh();
    const writer = await openSqliteStore(path);
    await writer.audit.append({ event_type: 'x' });
    const reader = await openSqliteStore(path, { readonly: true });
    assert.equal(await reader.audit.count(), 1);
    await rejectsWith(
      reader.audit.append({ event_type: 'y' }),
      'VIGIL_STORE_IO',
      /appending to the audit log failed: .*readonly/,
    );
    await reader.close();
    await writer.close();
  });
});

describe('sqlite audit log', () => {
  test('rows cannot be updated or deleted through SQL while the append-only triggers stand', async () => {
    const path = fresh();
    const store = await openSqliteStore(path);
    await store.audit.append({ event_type: 'x' });
    const db = new BetterSqlite3(path);
    assert.throws(() => db.prepare("UPDATE audit_log SET event_type = 'y'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
    db.close();
    assert.equal((await store.audit.verify()).ok, true);
    await store.close();
  });

  test('two connections appending to one file in turn build one intact chain', async () => {
    const path = fresh();
    const a = await openSqliteStore(path);
    const b = await openSqliteStore(path);
    for (let i = 0; i < 20; i++) await (i % 2 === 0 ? a : b).audit.append({ event_type: 'turn', details: { i } });
    await Promise.all([
      a.audit.appendBatch([{ event_type: 'x' }, { event_type: 'y' }]),
      b.audit.append({ event_type: 'z' }),
    ]);
    assert.deepEqual(
      { ...(await b.audit.verify()), lastHash: '' },
      { ok: true, checked: 23, lastHash: '', broken: null },
    );
    await a.close();
    await b.close();
  });

  test('processes appending to one file at the same time build one intact chain', async () => {
    const path = fresh();
    await (await openSqliteStore(path)).close();
    const worker = fileURLToPath(new URL('./fixtures/append-worker.js', import.meta.url));
    const run = (tag: string) => promisify(execFile)(process.execPath, [worker, path, '50', tag]);
    await Promise.all([run('a'), run('b'), run('c')]);
    const store = await openSqliteStore(path);
    assert.equal(await store.audit.count({ actor_user_id: 'b' }), 50);
    assert.deepEqual(
      { ...(await store.audit.verify()), lastHash: '' },
      { ok: true, checked: 150, lastHash: '', broken: null },
    );
    await store.close();
  });

  test('verify walks a chain longer than one page', async () => {
    const store = await openSqliteStore(fresh());
    const batch = Array.from({ length: 6000 }, (_, i) => ({ event_type: 'bulk', ts: i }));
    const events = await store.audit.appendBatch(batch);
    assert.deepEqual(await store.audit.verify(), {
      ok: true,
      checked: 6000,
      lastHash: events[5999]!.hash,
      broken: null,
    });
    await store.close();
  });
});
