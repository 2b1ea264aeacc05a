import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { createMetrics } from '@vigil/sdk/metrics';
import { type RunningPeer, startPrometheus } from '@vigil/test-peers';
import { STALE_NAN } from '@vigil/tsdb';
import { createRemoteWrite } from '../src/remote-write/index.js';
import { RecordingSink } from './support/recording-sink.js';
import { metricValue, remoteConfig, waitFor } from './support/remote-write-peer.js';

const quiet = () => createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } });

interface Matrix {
  status: string;
  data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
}

// The check: samples appended through the sender's sink arrive in a real Prometheus
// (Debian package, --web.enable-remote-write-receiver) with the same series and values.
describe('remote write into a real Prometheus', () => {
  let prometheus: RunningPeer;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-rw-'));
    prometheus = await startPrometheus(undefined, undefined, ['--web.enable-remote-write-receiver']);
  });
  after(async () => {
    await prometheus?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the same series and values arrive, stale markers end the series', async () => {
    const metrics = createMetrics({ logger: quiet() });
    const config = { ...remoteConfig(`${prometheus.url}/api/v1/write`), name: 'prometheus' };
    const remote = createRemoteWrite({ configs: [config], dataDir, logger: quiet(), metrics });
    const inner = new RecordingSink();
    const sink = remote.sink(inner);
    remote.start();
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const expected = new Map<string, number[]>();
    for (const id of ['a', 'b', 'c']) {
      const ref = sink.ref([
        { name: '__name__', value: 'vigil_rw_check' },
        { name: 'id', value: id },
        { name: 'job', value: 'rw' },
      ]);
      const values: number[] = [];
      for (let i = 0; i <= 10; i++) {
        const v = id === 'c' ? i * 0.25 : id.charCodeAt(0) * 1000 + i;
        assert.equal(sink.append(ref, start + i * 60_000, v), 'ok');
        values.push(v);
      }
      expected.set(id, values);
    }
    // Series c goes stale after its last sample: Prometheus must stop returning it.
    const refC = sink.ref([
      { name: '__name__', value: 'vigil_rw_check' },
      { name: 'id', value: 'c' },
      { name: 'job', value: 'rw' },
    ]);
    assert.equal(sink.append(refC, start + 10 * 60_000 + 30_000, STALE_NAN), 'ok');

    const range = async (): Promise<Matrix> => {
      const query = new URLSearchParams({
        query: 'vigil_rw_check',
        start: String(start / 1000),
        end: String((start + 10 * 60_000) / 1000),
        step: '60',
      });
      const response = await fetch(`${prometheus.url}/api/v1/query_range?${query}`);
      return (await response.json()) as Matrix;
    };
    await waitFor(
      async () => (await range()).data.result.reduce((n, s) => n + s.values.length, 0) === 33,
      15_000,
      '33 points in Prometheus',
    );
    const result = (await range()).data.result;
    assert.deepEqual(
      result.map((s) => s.metric).sort((x, y) => (x.id! < y.id! ? -1 : 1)),
      [
        { __name__: 'vigil_rw_check', id: 'a', job: 'rw' },
        { __name__: 'vigil_rw_check', id: 'b', job: 'rw' },
        { __name__: 'vigil_rw_check', id: 'c', job: 'rw' },
      ],
    );
    for (const series of result) {
      assert.deepEqual(
        series.values.map(([t, v]) => [t * 1000, Number(v)]),
        expected.get(series.metric.id!)!.map((v, i) => [start + i * 60_000, v]),
        `series ${series.metric.id}`,
      );
    }
    // Just after the stale marker, c is gone while a and b are still within the lookback.
    const instant = await fetch(
      `${prometheus.url}/api/v1/query?${new URLSearchParams({ query: 'vigil_rw_check', time: String((start + 10 * 60_000 + 31_000) / 1000) })}`,
    );
    const ids = ((await instant.json()) as Matrix).data.result.map((s) => s.metric.id).sort();
    assert.deepEqual(ids, ['a', 'b']);

    await remote.stop();
    assert.equal(
      await metricValue(metrics, 'vigil_remote_write_samples_total', { remote: 'prometheus', result: 'sent' }),
      34,
    );
    assert.equal(await metricValue(metrics, 'vigil_remote_write_pending_samples', { remote: 'prometheus' }), 0);
    assert.equal(await metricValue(metrics, 'vigil_remote_write_lag_seconds', { remote: 'prometheus' }), 0);
    assert.equal(inner.samples.length, 34, 'the inner sink got every sample too');
  });
});
