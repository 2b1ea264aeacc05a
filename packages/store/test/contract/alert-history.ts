import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlertHistoryEvent, AlertHistoryStore } from '../../src/alerts/index.js';

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

/** The behaviour every AlertHistoryStore must have; `make` gives a fresh, empty store. */
export function alertHistoryContract(name: string, make: () => AlertHistoryStore | Promise<AlertHistoryStore>) {
  describe(`alert history: ${name}`, () => {
    test('keeps events and returns them newest first, filtered', async () => {
      const store = await make();
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
      const store = await make();
      await store.append([event(1000, 'A', 'pending'), event(5000, 'A', 'firing')]);
      assert.equal(await store.deleteBefore(2000), 1);
      assert.deepEqual(
        (await store.query()).map((e) => e.ts),
        [5000],
      );
    });
  });
}
