// Alerting over the service's real storage: the embedded TSDB file as sink and querier, and a real restart
// (the file closed and opened again) restoring a firing alert from ALERTS_FOR_STATE.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMetrics } from '@vigil/sdk/metrics';
import { Tsdb } from '@vigil/tsdb';
import { createAlerting } from '../src/alerting/index.js';
import { promqlEngine } from '../src/api/query-engine.js';
import { parseConfig } from '../src/config/index.js';
import { tsdbStorage } from '../src/service/tsdb-storage.js';
import { capturingLogger, tempFiles, testClock } from './support/alerting-harness.js';

const MIN = 60_000;

test('over the embedded TSDB: ALERTS are queryable, and a restart restores the firing alert', async () => {
  const dir = tempFiles({
    'rules.yml': `groups:
  - name: g
    rules:
      - alert: Slow
        expr: latency_seconds > 1
        for: 15m
      - record: latency:doubled
        expr: latency_seconds * 2
`,
  });
  const yaml = 'global: { evaluation_interval: 1m }\nrule_files: [rules.yml]\n';
  const config = parseConfig(yaml, join(dir, 'vigil.yaml'), {}, dir);
  const clock = testClock();
  const t0 = clock.now();
  const path = join(dir, 'tsdb.db');
  const open = () => Tsdb.open({ path, flushIntervalMs: 3_600_000 });
  const start = async (db: Tsdb) => {
    const storage = tsdbStorage(db);
    const alerting = createAlerting({
      config,
      engine: promqlEngine(() => db),
      querier: () => db,
      sink: storage,
      logger: capturingLogger().logger,
      metrics: createMetrics({ defaultMetrics: false }),
      now: clock.now,
      silencesFile: false,
    });
    await alerting.start();
    return alerting;
  };
  const scrape = (db: Tsdb, t: number) =>
    db.append(
      db.series([
        { name: '__name__', value: 'latency_seconds' },
        { name: 'job', value: 'api' },
      ]),
      t,
      3,
    );

  let db = open();
  const first = await start(db);
  for (let m = 0; m <= 20; m++) {
    clock.set(t0 + m * MIN);
    scrape(db, clock.now());
    await first.tick();
  }
  assert.equal(first.rules.activeAlerts()[0]?.state, 'firing');
  const engine = promqlEngine(() => db);
  const alerts = engine.instant('ALERTS', t0 + 20 * MIN, undefined);
  assert.deepEqual(alerts.resultType === 'vector' && alerts.result.map((s) => s.metric), [
    { __name__: 'ALERTS', alertname: 'Slow', alertstate: 'firing', job: 'api' },
  ]);
  const doubled = engine.instant('latency:doubled', t0 + 20 * MIN, undefined);
  assert.equal(doubled.resultType === 'vector' && doubled.result[0]?.value[1], 6);
  await first.stop();
  db.close();

  // Two minutes later, a new process on the same file.
  clock.set(t0 + 22 * MIN);
  db = open();
  const second = await start(db);
  scrape(db, clock.now());
  await second.tick();
  assert.equal(second.rules.activeAlerts()[0]?.activeAt, t0, 'activeAt read back from ALERTS_FOR_STATE in the file');
  clock.advance(MIN);
  scrape(db, clock.now());
  await second.tick();
  assert.equal(second.rules.activeAlerts()[0]?.state, 'firing', 'firing again without waiting for: 15m');
  await second.stop();
  db.close();
});
