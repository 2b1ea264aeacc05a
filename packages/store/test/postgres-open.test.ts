import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { StoreError } from '../src/errors.js';
import { POSTGRES_MIGRATIONS } from '../src/postgres/migrations.js';
import { openPostgresStore } from '../src/postgres/postgres-store.js';
import { openSqliteStore } from '../src/sqlite/sqlite-store.js';
import { rejectsWith } from './contract/invocation-store.js';
import { freshSchema, usePostgres } from './support/postgres.js';
import { tempDir } from './support/temp.js';

const testPostgres = usePostgres();
const dir = tempDir();

/** The test cluster's URL with `change` applied. */
async function urlWith(change: (url: URL) => void): Promise<string> {
  const url = new URL((await testPostgres()).url);
  change(url);
  return url.toString();
}

/** Runs `sql` in `schema` over a plain connection, as an operator (or an older or newer Vigil) would. */
async function sql(schema: string, text: string): Promise<pg.QueryResult> {
  const db = new pg.Client({ connectionString: (await testPostgres()).url, options: `-c search_path=${schema}` });
  await db.connect();
  try {
    return await db.query(text);
  } finally {
    await db.end();
  }
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('an unreachable server is VIGIL_STORE_CONNECT naming host:port and database, never the password', async () => {
  const port = await closedPort();
  for (const target of [
    `postgres://vigil:s3cret@127.0.0.1:${port}/records`,
    { host: '127.0.0.1', port, user: 'vigil', password: 's3cret', database: 'records' },
  ]) {
    await assert.rejects(openPostgresStore(target), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'VIGIL_STORE_CONNECT');
      assert.match(
        err.message,
        new RegExp(`^postgres://vigil@127\\.0\\.0\\.1:${port}/records: cannot reach the server`),
      );
      assert.doesNotMatch(err.message, /s3cret/);
      return true;
    });
  }
});

test('a database that does not exist is VIGIL_STORE_OPEN naming it', async () => {
  const url = await urlWith((u) => {
    u.pathname = '/no_such_db';
  });
  await rejectsWith(
    openPostgresStore(url),
    'VIGIL_STORE_OPEN',
    /:\d+\/no_such_db: database "no_such_db" does not exist/,
  );
});

test('an unknown role is VIGIL_STORE_AUTH naming the user', async () => {
  const url = await urlWith((u) => {
    u.username = 'mallory';
    u.password = 'guess';
  });
  await assert.rejects(openPostgresStore(url), (err: unknown) => {
    assert.ok(err instanceof StoreError);
    assert.equal(err.code, 'VIGIL_STORE_AUTH');
    assert.match(
      err.message,
      /^postgres:\/\/mallory@127\.0\.0\.1:\d+\/postgres: the server refused the login: .*"mallory"/,
    );
    assert.doesNotMatch(err.message, /guess/);
    return true;
  });
});

test('a bad connection URL or schema name is refused before connecting', async () => {
  await rejectsWith(openPostgresStore('not a url'), 'VIGIL_STORE_OPEN', /not a URL/);
  await rejectsWith(openPostgresStore((await testPostgres()).url, { schema: 'x; DROP' }), 'VIGIL_STORE_OPEN', /schema/);
});

test('migrations are recorded in schema_migrations; opening again applies nothing', async () => {
  const schema = freshSchema('migrated');
  const { url } = await testPostgres();
  const store = await openPostgresStore(url, { schema, now: () => 1234 });
  assert.equal(await store.schemaVersion(), POSTGRES_MIGRATIONS.at(-1)!.version);
  await store.close();
  const again = await openPostgresStore(url, { schema });
  await again.close();
  const rows = (await sql(schema, 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).rows;
  assert.deepEqual(rows, [{ version: 1, name: 'records', applied_at: '1234' }]);
});

test('two stores opening one empty database at once apply each migration once', async () => {
  const schema = freshSchema('race');
  const { url } = await testPostgres();
  const stores = await Promise.all([openPostgresStore(url, { schema }), openPostgresStore(url, { schema })]);
  await Promise.all(stores.map((s) => s.close()));
  assert.equal((await sql(schema, 'SELECT COUNT(*)::int AS n FROM schema_migrations')).rows[0].n, 1);
});

test('a database from a newer Vigil is refused (VIGIL_STORE_SCHEMA_TOO_NEW) and left as it is', async () => {
  const schema = freshSchema('newer');
  const { url } = await testPostgres();
  const store = await openPostgresStore(url, { schema });
  await store.invocations.insertBatch([{ id: 'kept', task_type: 't' }]);
  await store.close();
  await sql(schema, "INSERT INTO schema_migrations VALUES (99, 'from the future', 0)");
  await rejectsWith(
    openPostgresStore(url, { schema }),
    'VIGIL_STORE_SCHEMA_TOO_NEW',
    /schema version 99 is newer than this Vigil knows \(1\): upgrade Vigil/,
  );
  assert.equal((await sql(schema, 'SELECT COUNT(*)::int AS n FROM invocations')).rows[0].n, 1);
  assert.equal((await sql(schema, 'SELECT MAX(version) AS v FROM schema_migrations')).rows[0].v, 99);
});

test('a failing migration is rolled back and named (VIGIL_STORE_MIGRATION)', async () => {
  const schema = freshSchema('broken');
  const { url } = await testPostgres();
  const migrations = [
    ...POSTGRES_MIGRATIONS,
    { version: 2, name: 'half_done', sql: 'CREATE TABLE half (a int); SELECT no_such_column FROM half;' },
  ];
  await rejectsWith(
    openPostgresStore(url, { schema, migrations }),
    'VIGIL_STORE_MIGRATION',
    /migration 2 \(half_done\) failed and was rolled back: column "no_such_column" does not exist/,
  );
  assert.equal((await sql(schema, "SELECT to_regclass('half') AS t")).rows[0].t, null);
  assert.equal((await sql(schema, 'SELECT MAX(version) AS v FROM schema_migrations')).rows[0].v, 1);
});

test('a closed store refuses work with VIGIL_STORE_CLOSED; closing twice is harmless', async () => {
  const store = await openPostgresStore((await testPostgres()).url, { schema: freshSchema('closed') });
  await store.close();
  await store.close();
  await rejectsWith(store.invocations.count(), 'VIGIL_STORE_CLOSED', /the store is closed/);
  await rejectsWith(store.audit.append({ event_type: 'x' }), 'VIGIL_STORE_CLOSED', /the store is closed/);
});

test('two stores (two pools, as two processes) appending to one database keep one linear chain', async () => {
  const schema = freshSchema('shared');
  const { url } = await testPostgres();
  const [a, b] = await Promise.all([openPostgresStore(url, { schema }), openPostgresStore(url, { schema })]);
  try {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).audit.append({ event_type: 'e', details: { i } })),
    );
    const result = await a.audit.verify();
    assert.equal(result.ok, true, result.broken?.message);
    assert.equal(result.checked, 30);
    assert.deepEqual(await b.audit.verify(), result);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('the audit chain is the same on PostgreSQL and SQLite: same events, same hashes', async () => {
  const events = Array.from({ length: 4 }, (_, i) => ({
    id: `evt-${i}`,
    ts: Date.UTC(2026, 10, 23) + i,
    event_type: 'token.revoked',
    actor_user_id: i % 2 ? 'admin' : null,
    success: i !== 2,
    details: { z: 'é', a: [2, { y: null, b: 1.5 }], n: i },
  }));
  const postgres = await openPostgresStore((await testPostgres()).url, { schema: freshSchema('same') });
  const sqlite = await openSqliteStore(join(dir, 'same.db'));
  try {
    const fromPostgres = await postgres.audit.appendBatch(events);
    const fromSqlite = await sqlite.audit.appendBatch(events);
    assert.deepEqual(fromPostgres, fromSqlite);
  } finally {
    await Promise.all([postgres.close(), sqlite.close()]);
  }
});

test('U+0000, which PostgreSQL text cannot hold: a log line keeps U+FFFD; an invocation or audit event is refused', async () => {
  const store = await openPostgresStore((await testPostgres()).url, { schema: freshSchema('nul') });
  try {
    await store.logs.insertBatch([{ message: 'before\u0000after', service: 'a\u0000b' }]);
    const [line] = (await store.logs.query()).records;
    assert.equal(line!.message, 'before\uFFFDafter');
    assert.equal(line!.service, 'a\uFFFDb');
    await rejectsWith(
      store.invocations.insertBatch([{ task_type: 'ok' }, { task_type: 'bad\u0000' }]),
      'VIGIL_STORE_BAD_RECORD',
      /records\[1\]\.task_type contains the character U\+0000/,
    );
    await rejectsWith(
      store.audit.append({ event_type: 'x', actor_user_id: '\u0000' }),
      'VIGIL_STORE_BAD_RECORD',
      /events\[0\]\.actor_user_id contains the character U\+0000/,
    );
    assert.equal(await store.invocations.count(), 0);
    assert.equal((await store.audit.verify()).checked, 0);
  } finally {
    await store.close();
  }
});

test('only @vigil/store/postgres loads node-postgres', () => {
  const loads = (entry: string) =>
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import('${entry}'); const { createRequire } = await import('node:module');
         const cache = createRequire(import.meta.url).cache;
         process.stdout.write(String(Object.keys(cache).some((k) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(k))));`,
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' },
    );
  assert.equal(loads('@vigil/store'), 'false');
  assert.equal(loads('@vigil/store/sqlite'), 'false');
  assert.equal(loads('@vigil/store/postgres'), 'true');
});
