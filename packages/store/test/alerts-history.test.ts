import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ALERT_HISTORY_SQL,
  type AlertHistoryEvent,
  type AlertHistoryStore,
  MemoryAlertHistory,
  SqliteAlertHistory,
} from '../src/alerts/index.js';
import { SqliteConnection } from '../src/sqlite/connection.js';
import { tempDir } from './support/temp.js';

const dir = tempDir();
let n = 0;

const event = (ts: number, alertname: string, state: AlertHistoryEvent['state'], value = 1): AlertHistoryEvent => ({
  ts,
  alertname,
  fingerprint: `${alertname.toLowerCase().padEnd(16, '0').slice(0, 16)}`,
  state,
  labels: { alertname, job: 'api' },
  annotations: { summary: `${alertname} is ${state}` },
  value,
  group: 'g',
});

// One suite, every implementation.
function alertHistoryContract(name: string, make: () => AlertHistoryStore) {
  describe(`alert history: ${name}`, () => {
    test('keeps events and returns them newest first, filtered', async () => {
      const store = make();
      await store.append([event(1000, 'A', 'pending'), event(2000, 'A', 'firing'), event(1500, 'B', 'pending')]);
      await store.append([event(3000, 'A', 'resolved', Number.NaN)]);
      const all = await store.query();
      assert.deepEqual(
        all.map((e) => [e.ts, e.alertname, e.state]),
        [
          [3000, 'A', 'resolved'],
          [2000, 'A', 'firing'],
          [1500, 'B', 'pending'],
          [1000, 'A', 'pending'],
        ],
      );
      assert.ok(Number.isNaN(all[0]!.value), 'NaN survives');
      assert.deepEqual(all[1], event(2000, 'A', 'firing'));
      assert.equal((await store.query({ alertname: 'B' })).length, 1);
      assert.equal((await store.query({ state: 'pending' })).length, 2);
      assert.deepEqual(
        (await store.query({ since: 1500, until: 2000 })).map((e) => e.ts),
        [2000, 1500],
      );
      assert.equal((await store.query({ limit: 1 })).length, 1);
      assert.equal((await store.query({ fingerprint: event(0, 'A', 'firing').fingerprint })).length, 3);
    });

    test('deleteBefore drops old events', async () => {
      const store = make();
      await store.append([event(1000, 'A', 'pending'), event(5000, 'A', 'firing')]);
      assert.equal(await store.deleteBefore(2000), 1);
      assert.deepEqual(
        (await store.query()).map((e) => e.ts),
        [5000],
      );
    });
  });
}

alertHistoryContract('memory', () => new MemoryAlertHistory());
alertHistoryContract('SQLite', () => {
  const conn = new SqliteConnection(join(dir, `alerts-${++n}.db`));
  conn.db().exec(ALERT_HISTORY_SQL);
  conn.db().exec(ALERT_HISTORY_SQL); // idempotent, as a migration re-run would be
  return new SqliteAlertHistory(conn);
});
