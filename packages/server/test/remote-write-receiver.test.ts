import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { createMetrics } from '@vigil/sdk/metrics';
import { freePort, type RunningPeer, startPrometheus } from '@vigil/test-peers';
import Fastify, { type FastifyInstance } from 'fastify';
import SnappyJS from 'snappyjs';
import { encodeWriteRequest, remoteWriteReceiver } from '../src/remote-write/index.js';
import { RecordingSink } from './support/recording-sink.js';
import { metricValue, waitFor } from './support/remote-write-peer.js';

const quiet = () => createLogger({ service: 'vigil', env: { VIGIL_LOG: 'critical' } });
const PROTOBUF = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };

async function receiverApp(sink: RecordingSink, limits?: { maxBodyBytes?: number; maxDecodedBytes?: number }) {
  const metrics = createMetrics({ logger: quiet() });
  const app = Fastify();
  await app.register(remoteWriteReceiver, { sink, logger: quiet(), metrics, ...(limits ? { limits } : {}) });
  return { app, metrics };
}

// A real Prometheus (Debian package) scraping itself pushes with its remote_write to the
// receiver in a small Fastify app.
describe('remote write receiver fed by a real Prometheus', () => {
  let prometheus: RunningPeer;
  let app: FastifyInstance;
  const sink = new RecordingSink();
  before(async () => {
    ({ app } = await receiverApp(sink));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const config = [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: prometheus',
      '    static_configs: [{ targets: ["127.0.0.1:PROM_PORT"] }]',
      'remote_write:',
      `  - url: http://127.0.0.1:${port}/api/v1/write`,
      '    queue_config: { batch_send_deadline: 1s, max_shards: 1 }',
      '    metadata_config: { send_interval: 1s }',
      '',
    ].join('\n');
    const promPort = await freePort();
    prometheus = await startPrometheus(config.replace('PROM_PORT', String(promPort)), promPort);
  });
  after(async () => {
    await prometheus?.stop();
    await app?.close();
  });

  test("Prometheus's scraped samples arrive in the sink", async () => {
    await waitFor(() => sink.samples.some((s) => s.series.startsWith('up{')), 30_000, 'up from Prometheus');
    const up = sink.samples.filter((s) => s.series.startsWith('up{'));
    assert.equal(up[0]!.series, `up{instance="${new URL(prometheus.url).host}",job="prometheus"}`);
    assert.equal(up[0]!.v, 1);
    assert.ok(
      sink.samples.some((s) => s.series.startsWith('prometheus_build_info{')),
      'the scraped families arrive too',
    );
    // Prometheus sends metadata in its own requests (metadata_config), once a minute by default.
    await waitFor(() => sink.metadata.has('prometheus_build_info'), 70_000, 'metadata from Prometheus');
    assert.equal(sink.metadata.get('prometheus_build_info')?.type, 'gauge');
  });
});

describe('remote write receiver refuses bad bodies', () => {
  const series = (t: number) => [
    {
      labels: [
        { name: '__name__', value: 'm' },
        { name: 'id', value: 'a' },
      ],
      samples: [{ t, v: 1 }],
    },
  ];

  test('a good body is appended and answered 204', async () => {
    const sink = new RecordingSink();
    const { app, metrics } = await receiverApp(sink);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: encodeWriteRequest(series(1000)),
    });
    assert.equal(response.statusCode, 204);
    assert.deepEqual(sink.samples, [{ series: 'm{id="a"}', t: 1000, v: 1 }]);
    assert.equal(await metricValue(metrics, 'vigil_remote_write_received_samples_total', { result: 'ok' }), 1);
  });

  test('a body that is not snappy is 400', async () => {
    const { app } = await receiverApp(new RecordingSink());
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: Buffer.from('plain text, not snappy'),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /not a snappy block/);
  });

  test('snappy around bytes that are not a WriteRequest is 400', async () => {
    const { app } = await receiverApp(new RecordingSink());
    const garbage = Buffer.from(SnappyJS.compress(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x07, 1])));
    const response = await app.inject({ method: 'POST', url: '/api/v1/write', headers: PROTOBUF, payload: garbage });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /not a prometheus.WriteRequest/);
  });

  test('a body over the limit is 413', async () => {
    const { app } = await receiverApp(new RecordingSink(), { maxBodyBytes: 64 });
    const many = Array.from({ length: 20 }, (_, i) => ({
      labels: [{ name: '__name__', value: `metric_${i}_with_a_long_name` }],
      samples: [{ t: 1000, v: i }],
    }));
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: encodeWriteRequest(many),
    });
    assert.equal(response.statusCode, 413);
  });

  test('a body that would uncompress past the limit is 413', async () => {
    const { app } = await receiverApp(new RecordingSink(), { maxDecodedBytes: 16 });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: encodeWriteRequest(series(1000)),
    });
    assert.equal(response.statusCode, 413);
  });

  test('out-of-order samples are counted and answered 400, as Prometheus does; the others are kept', async () => {
    const sink = new RecordingSink();
    const { app, metrics } = await receiverApp(sink);
    await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: encodeWriteRequest(series(2000)),
    });
    const late = [...series(1000), { labels: [{ name: '__name__', value: 'other' }], samples: [{ t: 1000, v: 2 }] }];
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: encodeWriteRequest(late),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /out of order sample: 1 of 2 samples refused/);
    assert.deepEqual(sink.of('other{}'), [{ series: 'other{}', t: 1000, v: 2 }]);
    assert.equal(
      await metricValue(metrics, 'vigil_remote_write_received_samples_total', { result: 'out_of_order' }),
      1,
    );
  });

  test('a duplicate (a resend after a lost answer) is counted but accepted', async () => {
    const sink = new RecordingSink();
    const { app } = await receiverApp(sink);
    const body = encodeWriteRequest(series(1000));
    assert.equal(
      (await app.inject({ method: 'POST', url: '/api/v1/write', headers: PROTOBUF, payload: body })).statusCode,
      204,
    );
    assert.equal(
      (await app.inject({ method: 'POST', url: '/api/v1/write', headers: PROTOBUF, payload: body })).statusCode,
      204,
    );
    assert.equal(sink.samples.length, 1);
  });

  test('a series with a bad label name is 400', async () => {
    const { app } = await receiverApp(new RecordingSink());
    const bad = [
      {
        labels: [
          { name: '__name__', value: 'm' },
          { name: 'bad-name', value: 'x' },
        ],
        samples: [{ t: 1, v: 1 }],
      },
    ];
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: PROTOBUF,
      payload: encodeWriteRequest(bad),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /invalid label name "bad-name"/);
  });
});
