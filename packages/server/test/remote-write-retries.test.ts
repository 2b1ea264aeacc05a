import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createMetrics } from '@vigil/sdk/metrics';
import type { RemoteWriteConfig } from '../src/config/types.js';
import { compileRelabelRule } from '../src/discovery/index.js';
import { createRemoteWrite, REMOTE_WRITE_DIR } from '../src/remote-write/index.js';
import type { SampleSink } from '../src/scrape/target.js';
import { RecordingSink } from './support/recording-sink.js';
import {
  metricValue,
  quietLogger as quiet,
  RemoteWritePeer,
  remoteConfig,
  remoteWriteFixture,
  waitFor,
} from './support/remote-write-peer.js';

describe('remote write sender against a flaky endpoint', () => {
  const f = remoteWriteFixture('vigil-rw-');

  const open = (
    config: RemoteWriteConfig,
    options: { maxDiskBytes?: number; flushTimeoutMs?: number; externalLabels?: Record<string, string> } = {},
  ) => {
    f.remote = createRemoteWrite({
      configs: [{ ...config, name: 'peer' }],
      dataDir: f.dataDir,
      logger: quiet(),
      metrics: f.metrics,
      ...options,
    });
    const sink = f.remote.sink(new RecordingSink());
    f.remote.start();
    return sink;
  };
  const appendSeries = (sink: SampleSink, ids: string[], from: number, count: number) => {
    for (let i = 0; i < count; i++) {
      for (const id of ids) {
        const ref = sink.ref([
          { name: '__name__', value: 'm' },
          { name: 'id', value: id },
        ]);
        assert.equal(sink.append(ref, from + i * 1000, i), 'ok');
      }
    }
  };
  const metric = (name: string, labels: Record<string, string>) =>
    metricValue(f.metrics, name, { remote: 'peer', ...labels });

  test('write_relabel_configs, external labels, credentials and headers shape what is sent', async () => {
    f.peer = new RemoteWritePeer();
    const config: RemoteWriteConfig = {
      ...remoteConfig(await f.peer.listen()),
      headers: { 'X-Scope-OrgID': 'team-a' },
      http: {
        followRedirects: true,
        tls: { insecureSkipVerify: false },
        authorization: { type: 'Bearer', credentials: 's3cret' },
      },
      writeRelabelConfigs: [compileRelabelRule({ action: 'drop', sourceLabels: ['id'], regex: 'b' })],
    };
    const sink = open(config, { externalLabels: { cluster: 'eu-1', id: 'never' } });
    appendSeries(sink, ['a', 'b'], 1_000_000, 3);
    await waitFor(() => f.peer.sampleCount === 3, 5000, 'series a');
    await f.remote!.stop();
    f.remote = undefined;
    assert.equal(f.peer.sampleCount, 3, 'series b dropped by write_relabel_configs');
    const write = f.peer.accepted[0]!;
    assert.deepEqual(write.series[0]!.labels, [
      { name: '__name__', value: 'm' },
      { name: 'cluster', value: 'eu-1' },
      { name: 'id', value: 'a' },
    ]);
    assert.equal(write.headers.authorization, 'Bearer s3cret');
    assert.equal(write.headers['x-scope-orgid'], 'team-a');
  });

  test('reload adds, changes and removes remotes without losing samples', async () => {
    f.peer = new RemoteWritePeer();
    const second = new RemoteWritePeer();
    try {
      const first = remoteConfig(await f.peer.listen());
      const other = { ...remoteConfig(await second.listen()), name: 'second' };
      const sink = open(first);
      appendSeries(sink, ['a'], 1_000_000, 2);
      await f.remote!.reload([{ ...first, name: 'peer', headers: { 'x-changed': '1' } }, other]);
      appendSeries(sink, ['a'], 1_002_000, 2);
      await f.remote!.reload([other]);
      appendSeries(sink, ['a'], 1_004_000, 2);
      await waitFor(() => second.sampleCount === 4, 5000, 'the second remote');
      await waitFor(() => f.peer.sampleCount === 4, 5000, 'the first remote before its removal');
      assert.deepEqual(
        f.peer.samplesOf('m', 'a').map((x) => x.t),
        [0, 1, 2, 3].map((i) => 1_000_000 + i * 1000),
      );
      assert.equal(f.peer.accepted.at(-1)!.headers['x-changed'], '1');
      assert.deepEqual(
        second.samplesOf('m', 'a').map((x) => x.t),
        [2, 3, 4, 5].map((i) => 1_000_000 + i * 1000),
      );
    } finally {
      await second.close();
    }
  });

  test('a 500 is retried with backoff until the endpoint accepts', async () => {
    f.peer = new RemoteWritePeer((attempt) => (attempt <= 2 ? { status: 500 } : undefined));
    const sink = open(remoteConfig(await f.peer.listen()));
    appendSeries(sink, ['a'], 1_000_000, 5);
    await waitFor(() => f.peer.sampleCount === 5, 5000, 'the batch after two 500s');
    assert.equal(f.peer.attempts.length, 3);
    // min_backoff 10ms, then doubled (timers never fire early by more than a ms).
    assert.ok(f.peer.attempts[1]! - f.peer.attempts[0]! >= 9, 'first retry after min_backoff');
    assert.ok(f.peer.attempts[2]! - f.peer.attempts[1]! >= 19, 'second retry after twice that');
    assert.deepEqual(
      f.peer.samplesOf('m', 'a').map((s) => s.t),
      [0, 1, 2, 3, 4].map((i) => 1_000_000 + i * 1000),
    );
    const headers = f.peer.accepted[0]!.headers;
    assert.equal(headers['content-encoding'], 'snappy');
    assert.equal(headers['content-type'], 'application/x-protobuf');
    assert.equal(headers['x-prometheus-remote-write-version'], '0.1.0');
    await waitFor(
      async () => (await metric('vigil_remote_write_samples_total', { result: 'sent' })) === 5,
      2000,
      'the sent count',
    );
    assert.equal(await metric('vigil_remote_write_failures_total', { reason: 'status_5xx' }), 2);
  });

  test('a 429 waits for its Retry-After before trying again', async () => {
    f.peer = new RemoteWritePeer((attempt) =>
      attempt === 1 ? { status: 429, headers: { 'retry-after': '1' } } : undefined,
    );
    const sink = open(remoteConfig(await f.peer.listen()));
    appendSeries(sink, ['a'], 1_000_000, 3);
    await waitFor(() => f.peer.sampleCount === 3, 5000, 'the batch after a 429');
    assert.ok(
      f.peer.attempts[1]! - f.peer.attempts[0]! >= 950,
      `retried after ${f.peer.attempts[1]! - f.peer.attempts[0]!}ms`,
    );
    assert.equal(await metric('vigil_remote_write_failures_total', { reason: 'status_429' }), 1);
  });

  test('another 4xx drops the batch, counted, without retrying', async () => {
    f.peer = new RemoteWritePeer((attempt) => (attempt === 1 ? { status: 400 } : undefined));
    const sink = open(remoteConfig(await f.peer.listen()));
    appendSeries(sink, ['a'], 1_000_000, 3);
    await waitFor(
      async () => (await metric('vigil_remote_write_samples_total', { result: 'refused' })) === 3,
      5000,
      'the refused count',
    );
    appendSeries(sink, ['a'], 2_000_000, 2);
    await waitFor(() => f.peer.sampleCount === 2, 5000, 'the next batch');
    assert.equal(f.peer.attempts.length, 2);
    assert.equal(await metric('vigil_remote_write_failures_total', { reason: 'status_4xx' }), 1);
  });

  test('while the endpoint is down the queue spills to disk; after a restart and its return everything arrives in order', async () => {
    f.peer = new RemoteWritePeer();
    const url = await f.peer.listen();
    await f.peer.close();
    const config = remoteConfig(url, { capacity: 10, maxSamplesPerSend: 5, maxShards: 2 });
    const sink = open(config, { flushTimeoutMs: 100 });
    appendSeries(sink, ['a', 'b', 'c'], 1_000_000, 40);
    await waitFor(
      async () => (await metric('vigil_remote_write_failures_total', { reason: 'network' })) > 0,
      5000,
      'a failed attempt',
    );
    assert.equal(await metric('vigil_remote_write_pending_samples', {}), 120);
    assert.deepEqual(f.remote!.check(), { status: 'degraded', detail: 'sending from the disk queue: peer' });
    await f.remote!.stop();
    f.remote = undefined;
    const dirs = readdirSync(join(f.dataDir, REMOTE_WRITE_DIR));
    assert.equal(dirs.length, 1);
    const segments = readdirSync(join(f.dataDir, REMOTE_WRITE_DIR, dirs[0]!));
    assert.ok(segments.length >= 120 / 5, `${segments.length} segments on disk`);

    // A new process: the endpoint is back on the same port, and new samples keep coming.
    await f.peer.listen(Number(new URL(url).port));
    f.metrics = createMetrics({ logger: quiet() });
    const sink2 = open(config, { flushTimeoutMs: 2000 });
    appendSeries(sink2, ['a', 'b', 'c'], 1_000_000 + 40_000, 10);
    await waitFor(() => f.peer.sampleCount === 150, 10_000, 'all 150 samples');
    for (const id of ['a', 'b', 'c']) {
      assert.deepEqual(
        f.peer.samplesOf('m', id).map((s) => s.t),
        Array.from({ length: 50 }, (_, i) => 1_000_000 + i * 1000),
        `series ${id} complete and in order`,
      );
    }
    await waitFor(async () => (await metric('vigil_remote_write_pending_samples', {})) === 0, 2000, 'nothing pending');
    assert.deepEqual(readdirSync(join(f.dataDir, REMOTE_WRITE_DIR, dirs[0]!)), []);
    assert.equal(f.remote!.check().status, 'ok');
  });

  test('beyond the disk bound new samples are dropped and counted', async () => {
    f.peer = new RemoteWritePeer();
    const url = await f.peer.listen();
    await f.peer.close();
    const sink = open(remoteConfig(url, { capacity: 10, maxSamplesPerSend: 5 }), {
      maxDiskBytes: 200,
      flushTimeoutMs: 50,
    });
    appendSeries(sink, ['a'], 1_000_000, 100);
    const dropped = await metric('vigil_remote_write_samples_total', { result: 'dropped' });
    assert.ok(dropped > 0, `${dropped} dropped`);
    assert.ok((await metric('vigil_remote_write_failures_total', { reason: 'disk_full' })) > 0);
    assert.equal(f.remote!.check().status, 'degraded');
    assert.match(f.remote!.check().detail, /samples lost in the last 15 minutes .* for peer/);
  });
});
