import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditVerifyReport } from '../src/audit/verify-report.js';
import { defaultDatabasePath, openSqliteStore } from '../src/sqlite/sqlite-store.js';
import { sqliteTamper } from './support/sqlite-tamper.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();

async function logOf(name: string, events: number): Promise<string> {
  const path = join(dir, name, 'vigil.db');
  const store = await openSqliteStore(path);
  await store.audit.appendBatch(
    Array.from({ length: events }, (_, i) => ({ id: `evt-${i + 1}`, event_type: 'auth.login' })),
  );
  await store.close();
  return path;
}

test('an intact log exits 0 and says how many events and the head hash', async () => {
  const path = await logOf('intact', 3);
  const report = await auditVerifyReport(path);
  assert.equal(report.code, 0);
  assert.match(report.text, /^audit log .*intact\/vigil\.db: intact, 3 events, head [0-9a-f]{64}\n$/);
  assert.match((await auditVerifyReport(await logOf('empty', 0))).text, /intact, 0 events, empty chain/);
});

test('a broken log exits 1 naming the first broken event and why', async () => {
  const path = await logOf('broken', 4);
  await sqliteTamper(path).update(2, { event_type: 'auth.logout' });
  const report = await auditVerifyReport(path);
  assert.equal(report.code, 1);
  assert.match(report.text, /BROKEN at event #2 \(id evt-2\): modified\n/);
  assert.match(report.text, /its content does not match its hash/);
  assert.match(report.text, /1 events before it are intact/);
});

test('a truncated log exits 1 saying events are missing at the end', async () => {
  const path = await logOf('truncated', 4);
  await sqliteTamper(path).delete(4);
  const report = await auditVerifyReport(path);
  assert.equal(report.code, 1);
  assert.match(report.text, /BROKEN at the end of the chain: truncated\n.*the last 1 were deleted/);
});

test('a missing file or one that is not a Vigil database exits 3 and says why', async () => {
  let report = await auditVerifyReport(join(dir, 'nowhere', 'vigil.db'));
  assert.equal(report.code, 3);
  assert.match(report.text, /cannot verify: .*\[VIGIL_STORE_OPEN\]\n$/);
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'x'.repeat(4096));
  report = await auditVerifyReport(junk);
  assert.equal(report.code, 3);
  assert.match(report.text, /not a database/);
});

test('verifying opens read-only: it leaves no trace in the file', async () => {
  const path = await logOf('readonly', 2);
  await auditVerifyReport(path);
  const store = await openSqliteStore(path);
  assert.equal(await store.audit.count(), 2);
  await store.close();
});

test('the default path is vigil.db in VIGIL_DATA_DIR, or in ./.vigil-data', () => {
  assert.equal(defaultDatabasePath({ VIGIL_DATA_DIR: '/var/lib/vigil' }), '/var/lib/vigil/vigil.db');
  assert.equal(defaultDatabasePath({}), '.vigil-data/vigil.db');
});
