import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSqliteStore } from '@vigil/store/sqlite';
import BetterSqlite3 from 'better-sqlite3';
import { auditVerify } from '../src/audit/verify-command.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-verify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(path: string | undefined, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await auditVerify(path, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

test('vigil audit verify reads VIGIL_DATA_DIR/vigil.db by default and exits 0 when intact', async () => {
  const store = await openSqliteStore(join(dir, 'data', 'vigil.db'));
  await store.audit.appendBatch([{ event_type: 'auth.login' }, { event_type: 'token.revoked' }]);
  await store.close();
  const { code, stdout, stderr } = await run(undefined, { VIGIL_DATA_DIR: join(dir, 'data') });
  assert.equal(code, 0);
  assert.match(stdout, /intact, 2 events/);
  assert.equal(stderr, '');
});

test('vigil audit verify exits 1 naming the first broken event when a row was changed', async () => {
  const path = join(dir, 'tampered', 'vigil.db');
  const store = await openSqliteStore(path);
  await store.audit.appendBatch([
    { id: 'a', event_type: 'x' },
    { id: 'b', event_type: 'x' },
    { id: 'c', event_type: 'x' },
  ]);
  await store.close();
  const db = new BetterSqlite3(path);
  db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET success = 0 WHERE id = 'b'");
  db.close();
  const { code, stdout } = await run(path);
  assert.equal(code, 1);
  assert.match(stdout, /BROKEN at event #2 \(id b\): modified/);
});

test('vigil audit verify exits 3 on stderr when the file cannot be opened', async () => {
  const { code, stdout, stderr } = await run(join(dir, 'missing.db'));
  assert.equal(code, 3);
  assert.equal(stdout, '');
  assert.match(stderr, /^vigil: audit log .*missing\.db: cannot verify: .*\[VIGIL_STORE_OPEN\]/);
});
