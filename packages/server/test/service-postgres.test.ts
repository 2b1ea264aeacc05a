import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { type RunningPostgres, startPostgres } from '@vigil/test-peers';
import { parseConfig } from '../src/config/index.js';
import { type RunningService, startService } from '../src/service/serve.js';

const TOKEN = 'postgres-service-token';
const quiet = () => createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } });

// Scale-out: the service keeps its records in a real PostgreSQL (Debian package) instead of SQLite.
describe('vigil serve with VIGIL_POSTGRES_URL', () => {
  let postgres: RunningPostgres;
  let dir = '';
  let running: RunningService;
  let env: Record<string, string>;
  const auth = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    postgres = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'vigil-service-pg-'));
    env = {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: join(dir, 'data'),
      VIGIL_ADMIN_TOKEN: TOKEN,
      VIGIL_POSTGRES_URL: postgres.url,
    };
    running = await startService({ env, logger: quiet() });
  });
  after(async () => {
    await running?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('log lines go to PostgreSQL, are found by full text, and outlive a restart', async () => {
    const line = { level: 'error', time: '2026-11-23T10:00:00.000Z', service: 'agent', msg: 'wombat tool failed' };
    const ingest = await fetch(`${running.url}/api/vigil/ingest/logs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify(line)}\n`,
    });
    assert.equal(ingest.status, 200, await ingest.clone().text());
    await running.stop();
    running = await startService({ env, logger: quiet() });
    const found = (await (
      await fetch(`${running.url}/api/vigil/logs?text=wombat&since=2026-11-23T00:00:00Z`, { headers: auth })
    ).json()) as { records: { message: string }[] };
    assert.deepEqual(
      found.records.map((r) => r.message),
      ['wombat tool failed'],
    );
    const health = (await (await fetch(`${running.url}/health`, { headers: auth })).json()) as {
      components: { name: string; status: string }[];
    };
    assert.equal(health.components.find((c) => c.name === 'record-store')?.status, 'ok');
  });
});

test('a VIGIL_POSTGRES_URL that is not a postgres:// URL is refused without echoing it', () => {
  assert.throws(
    () => parseConfig('', undefined, { VIGIL_POSTGRES_URL: 'mysql://root:hunter2@db/x' }),
    (e: Error) => /VIGIL_POSTGRES_URL: expected postgres:\/\//.test(e.message) && !e.message.includes('hunter2'),
  );
});
