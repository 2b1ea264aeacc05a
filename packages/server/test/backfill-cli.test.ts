import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '@vigil/promql';
import { requireBinary } from '@vigil/test-peers';
import { Tsdb } from '@vigil/tsdb';
import { runCli } from '../src/index.js';
import { lockDataDir } from '../src/service/data-dir-lock.js';

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), colour: false });
  return { code, stdout, stderr };
}

// Two hours ago, on a whole second: within the default 15-day retention the import applies.
const T0 = Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000;

describe('vigil export and vigil import', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-'));
    mkdirSync(join(dir, 'source'));
    // A data directory with two families, 120 samples each at 15 s, as the service would leave it.
    const db = Tsdb.open({ path: join(dir, 'source', 'tsdb.db'), flushIntervalMs: 0, retentionMs: 1e15 });
    db.setMetadata('jobs_total', { type: 'counter', help: 'Jobs run.', unit: '' });
    db.setMetadata('temperature_celsius', { type: 'gauge', help: 'Temperature.', unit: 'celsius' });
    const jobs = db.series({ __name__: 'jobs_total', job: 'worker', kind: 'a"b' });
    const temp = db.series({ __name__: 'temperature_celsius', job: 'sensor' });
    for (let i = 0; i < 120; i++) {
      db.append(jobs, T0 + i * 15_000, i * 2);
      db.append(temp, T0 + i * 15_000, 20 + (i % 7) / 4);
    }
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('export writes OpenMetrics that promtool turns into blocks, and import reads it back exactly', async () => {
    const file = join(dir, 'export.om');
    const exported = await cli(['export', '--data-dir', join(dir, 'source'), '--output', file]);
    assert.equal(exported.code, 0, exported.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# TYPE jobs counter$/m);
    assert.match(text, /^# HELP jobs Jobs run\.$/m);
    assert.match(text, new RegExp(`^jobs_total\\{job="worker",kind="a\\\\"b"\\} 0 ${T0 / 1000}(\\.0+)?$`, 'm'));
    assert.ok(text.endsWith('# EOF\n'));

    // The real promtool (Debian package prometheus) accepts it as backfill input.
    const promtool = requireBinary('promtool', 'prometheus');
    const blocks = join(dir, 'blocks');
    execFileSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, blocks], { stdio: 'pipe' });
    assert.ok(readdirSync(blocks).length >= 1, 'promtool wrote a block');

    const imported = await cli(['import', file, '--data-dir', join(dir, 'copy')]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported 240 of 240 samples \(2 new series/);
    assert.match(imported.stderr, /100%: /);
    const db = Tsdb.open({ path: join(dir, 'copy', 'tsdb.db'), flushIntervalMs: 0, retentionMs: 1e15 });
    try {
      const sum = new Engine().instantQuery(db, 'sum_over_time(jobs_total[1h])', T0 + 119 * 15_000);
      const expected = Array.from({ length: 120 }, (_, i) => i * 2).filter(
        (_, i) => i * 15_000 > 119 * 15_000 - 3_600_000,
      );
      assert.equal(
        (sum.result as { value: [number, number] }[])[0]!.value[1],
        expected.reduce((a, b) => a + b, 0),
      );
      assert.equal(db.metadata('temperature_celsius').get('temperature_celsius')?.[0]?.unit, 'celsius');
    } finally {
      db.close();
    }
    // Importing the same file again stores nothing twice.
    const again = await cli(['import', file, '--data-dir', join(dir, 'copy')]);
    assert.match(again.stdout, /imported 0 of 240 samples .*refused: 240 overlapping/);
  });

  test('samples older than the retention are counted as refused, not stored', async () => {
    const old = join(dir, 'old.om');
    writeFileSync(old, '# TYPE x gauge\nx 1 1600000000\nx 2 1600000015\n# EOF\n');
    const { code, stdout } = await cli(['import', old, '--data-dir', join(dir, 'old')]);
    assert.equal(code, 0);
    assert.match(stdout, /imported 0 of 2 samples .*refused: 2 older than the retention/);
  });

  test('--match and --start/--end narrow the export', async () => {
    const { code, stdout, stderr } = await cli([
      'export',
      '--data-dir',
      join(dir, 'source'),
      '--match',
      '{job="sensor"}',
      '--start',
      String(T0 / 1000),
      '--end',
      String(T0 / 1000 + 30),
    ]);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stdout, /jobs_total/);
    assert.equal(stdout.match(/^temperature_celsius\{/gm)?.length, 3);
  });

  test('bad inputs: a malformed file names its line, a missing file, a bad selector, a locked directory', async () => {
    const bad = join(dir, 'bad.om');
    writeFileSync(bad, `# TYPE x gauge\nx 1 ${T0 / 1000}\nx{ 2 ${T0 / 1000 + 15}\n# EOF\n`);
    const malformed = await cli(['import', bad, '--data-dir', join(dir, 'bad')]);
    assert.equal(malformed.code, 3);
    assert.match(malformed.stderr, /line 3/);
    const missing = await cli(['import', join(dir, 'nope.om'), '--data-dir', join(dir, 'bad')]);
    assert.match(missing.stderr, /nope\.om: no such file \[VIGIL_BAD_ARGUMENT\]/);
    const selector = await cli(['export', '--data-dir', join(dir, 'source'), '--match', 'rate(x[5m])']);
    assert.match(selector.stderr, /--match: .*not a series selector/);
    const lock = lockDataDir(join(dir, 'source'), 'vigil serve');
    try {
      const locked = await cli(['export', '--data-dir', join(dir, 'source')]);
      assert.match(locked.stderr, /in use by vigil serve .*\[VIGIL_DATA_DIR_LOCKED\]/);
    } finally {
      lock.release();
    }
  });
});
