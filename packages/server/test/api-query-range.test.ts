import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine, formatSampleValue, MemoryQuerier } from '@vigil/promql';
import Fastify, { type FastifyInstance } from 'fastify';
import { CHUNK_BYTES } from '../src/api/matrix-json.js';
import { prometheusApi } from '../src/api/prometheus-api.js';
import { promqlEngine } from '../src/api/query-engine.js';

const T0 = 1_700_000_000_000;
const STEP = 15_000;
const POINTS = 1_000;

// 300 counters with a counter reset and a gap each (the answer of `rate(x[1m])` is several megabytes), and a gauge.
function counters(): MemoryQuerier {
  const querier = new MemoryQuerier();
  for (let s = 0; s < 300; s++) {
    const labels = { __name__: 'requests_total', instance: `host-${s}:9100`, route: s % 2 === 0 ? '/caf\u00e9' : '/' };
    let value = 0;
    for (let i = 0; i < POINTS; i++) {
      if (i > 400 && i < 420 + (s % 7)) continue;
      value = i === 600 ? 3 : value + ((s * 7 + i) % 11) / 3;
      querier.add(labels, T0 + i * STEP + (s % 5) * 100, value);
    }
  }
  for (let i = 0; i < POINTS; i++) querier.add({ __name__: 'queue_depth' }, T0 + i * STEP, i % 4);
  return querier;
}

// What /api/v1/query_range answered before it wrote JSON itself: the engine's matrix, stringified.
function expected(querier: MemoryQuerier, expr: string, end: number): string {
  const result = new Engine().rangeQuery(querier, expr, T0, end, STEP);
  if (result.resultType !== 'matrix') throw new Error('not a matrix');
  return JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: result.result.map((s) => ({
        metric: s.metric,
        values: s.values.map(([t, v]) => [t, formatSampleValue(v)]),
      })),
    },
    ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    ...(result.infos?.length ? { infos: result.infos } : {}),
  });
}

describe('/api/v1/query_range', () => {
  const querier = counters();
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    app = Fastify();
    await prometheusApi(app, {
      querier: () => querier,
      engine: promqlEngine(() => querier),
      targets: () => ({ active: [], dropped: [] }),
      version: 'test',
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());

  const ask = (expr: string, end: number) =>
    fetch(
      `${url}/api/v1/query_range?${new URLSearchParams({ query: expr, start: String(T0 / 1000), end: String(end / 1000), step: '15' })}`,
    );

  test('a large answer is streamed in chunks and reads as the engine matrix stringified', async () => {
    const end = T0 + (POINTS - 1) * STEP;
    for (const expr of ['rate(requests_total[1m])', 'requests_total * 1.5']) {
      const response = await ask(expr, end);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      const text = await response.text();
      assert.ok(text.length > 4 * CHUNK_BYTES, `${text.length} bytes`);
      assert.equal(text, expected(querier, expr, end));
    }
  });

  test('a small answer is one write with its length, annotations included', async () => {
    const end = T0 + 100 * STEP;
    for (const expr of [
      'sum by (route) (rate(requests_total[1m]))',
      'rate(requests_total{instance="host-1:9100"}[1m])',
    ]) {
      const response = await ask(expr, end);
      const text = await response.text();
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(response.headers.get('content-length'), String(Buffer.byteLength(text)));
      assert.equal(text, expected(querier, expr, end));
    }
    // rate of a gauge: Prometheus's info that it might not be a counter goes beside the data.
    const info = await (await ask('rate(queue_depth[1m])', end)).text();
    assert.match(info, /"infos":\["PromQL info: metric might not be a counter/);
    assert.equal(info, expected(querier, 'rate(queue_depth[1m])', end));
  });
});
