import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { Counter, Gauge, type OpenMetricsContentType, Registry } from 'prom-client';
import {
  CONTENT_TYPES,
  createMetrics,
  type ExpositionFormat,
  type Metrics,
  metricsHandler,
  metricsJsonResponse,
  metricsResponse,
  negotiateFormat,
  renderMetrics,
} from '../src/metrics/index.js';
import { captureLogger } from './support/capture.js';

const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

function bare(): Metrics {
  const metrics = createMetrics({ defaultMetrics: false });
  // Only the metric under test in the registry: the expected texts below stay readable.
  metrics.registry.clear();
  return metrics;
}

/** Expected exposition per format, as prom-client's own tests check it. */
const formats: { format: ExpositionFormat; contentType: string; counter: string; gauge: string; histogram: string }[] =
  [
    {
      format: 'prometheus',
      contentType: PROMETHEUS,
      counter: [
        '# HELP tool_calls_total Tool calls.',
        '# TYPE tool_calls_total counter',
        'tool_calls_total{tool="search"} 3',
        'tool_calls_total{tool="say \\"hi\\"\\\\n"} 1',
        '',
      ].join('\n'),
      gauge: ['# HELP queue_depth Jobs waiting.', '# TYPE queue_depth gauge', 'queue_depth{queue="mail"} 4', ''].join(
        '\n',
      ),
      histogram: [
        '# HELP wait_seconds Wait.',
        '# TYPE wait_seconds histogram',
        'wait_seconds_bucket{le="0.1",kind="a"} 1',
        'wait_seconds_bucket{le="1",kind="a"} 2',
        'wait_seconds_bucket{le="+Inf",kind="a"} 3',
        'wait_seconds_sum{kind="a"} 5.55',
        'wait_seconds_count{kind="a"} 3',
        '',
      ].join('\n'),
    },
    {
      format: 'openmetrics',
      contentType: OPENMETRICS,
      counter: [
        '# HELP tool_calls Tool calls.',
        '# TYPE tool_calls counter',
        'tool_calls_total{tool="search"} 3',
        'tool_calls_total{tool="say \\"hi\\"\\\\n"} 1',
        '# EOF',
        '',
      ].join('\n'),
      gauge: [
        '# HELP queue_depth Jobs waiting.',
        '# TYPE queue_depth gauge',
        'queue_depth{queue="mail"} 4',
        '# EOF',
        '',
      ].join('\n'),
      histogram: [
        '# HELP wait_seconds Wait.',
        '# TYPE wait_seconds histogram',
        'wait_seconds_bucket{le="0.1",kind="a"} 1',
        'wait_seconds_bucket{le="1",kind="a"} 2',
        'wait_seconds_bucket{le="+Inf",kind="a"} 3',
        'wait_seconds_sum{kind="a"} 5.55',
        'wait_seconds_count{kind="a"} 3',
        '# EOF',
        '',
      ].join('\n'),
    },
  ];

for (const expected of formats) {
  describe(`exposition in ${expected.format} format`, () => {
    const accept = expected.format === 'openmetrics' ? 'application/openmetrics-text' : undefined;

    test('counter', async () => {
      const metrics = bare();
      const counter = metrics.counter({ name: 'tool_calls_total', help: 'Tool calls.', labelNames: ['tool'] });
      counter.inc({ tool: 'search' }, 2);
      counter.inc({ tool: 'search' });
      counter.inc({ tool: 'say "hi"\\n' });
      const response = await metricsResponse(metrics, accept);
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], expected.contentType);
      assert.equal(response.body, expected.counter);
    });

    test('gauge', async () => {
      const metrics = bare();
      const gauge = metrics.gauge({ name: 'queue_depth', help: 'Jobs waiting.', labelNames: ['queue'] });
      gauge.set({ queue: 'mail' }, 6);
      gauge.dec({ queue: 'mail' }, 2);
      assert.equal((await metricsResponse(metrics, accept)).body, expected.gauge);
    });

    test('histogram', async () => {
      const metrics = bare();
      const histogram = metrics.histogram({
        name: 'wait_seconds',
        help: 'Wait.',
        labelNames: ['kind'],
        buckets: [0.1, 1],
      });
      for (const value of [0.05, 0.5, 5]) histogram.observe({ kind: 'a' }, value);
      assert.equal((await metricsResponse(metrics, accept)).body, expected.histogram);
    });

    test("the registry's default labels are on every sample", async () => {
      const metrics = bare();
      metrics.registry.setDefaultLabels({ service: 'agent' });
      metrics.gauge({ name: 'queue_depth', help: 'Jobs waiting.' }).set({}, 1);
      assert.match(
        (await renderMetrics(metrics.registry, expected.format)).split('\n')[2]!,
        /^queue_depth\{service="agent"\} 1$/,
      );
    });

    test('an empty registry', async () => {
      const text = await renderMetrics(new Registry(), expected.format);
      assert.equal(text, expected.format === 'openmetrics' ? '# EOF\n' : '');
    });
  });
}

describe('one registry, both formats', () => {
  test('rendering OpenMetrics never renames a counter for the Prometheus text (prometheus/client_js#829)', async () => {
    const metrics = bare();
    metrics.counter({ name: 'turns_total', help: 'Turns.' }).inc();
    const before = await renderMetrics(metrics.registry, 'prometheus');
    await Promise.all([
      renderMetrics(metrics.registry, 'openmetrics'),
      renderMetrics(metrics.registry, 'prometheus'),
      renderMetrics(metrics.registry, 'openmetrics'),
    ]);
    assert.equal(await renderMetrics(metrics.registry, 'prometheus'), before);
    assert.match(before, /^# TYPE turns_total counter$/m);
  });

  test("an OpenMetrics registry renders both, even after prom-client's own render stripped _total", async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    new Counter({ name: 'jobs_total', help: 'Jobs.', registers: [registry] }).inc(2);
    await registry.metrics(); // prom-client renames the counter to `jobs` in place
    assert.equal(
      await renderMetrics(registry, 'prometheus'),
      '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total 2\n',
    );
    assert.equal(
      await renderMetrics(registry, 'openmetrics'),
      '# HELP jobs Jobs.\n# TYPE jobs counter\njobs_total 2\n# EOF\n',
    );
  });
});

describe('Accept negotiation', () => {
  const cases: [string | undefined, ExpositionFormat][] = [
    [undefined, 'prometheus'],
    ['', 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain', 'prometheus'],
    ['text/plain;version=0.0.4', 'prometheus'],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text; Version=1.0.0', 'openmetrics'],
    ['application/openmetrics-text;version=0.0.1', 'openmetrics'],
    // Prometheus 2.x
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    // Prometheus 3.x, with its escaping parameter
    [
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'openmetrics',
    ],
    // Prometheus asked for the classic format only
    ['text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'prometheus'],
    // q-values decide, not order
    ['text/plain;q=0.2, application/openmetrics-text;q=0.9', 'openmetrics'],
    ['application/openmetrics-text;q=0.3, text/plain;q=0.8', 'prometheus'],
    // equal q: the exact type beats a wildcard, then the first listed wins
    ['*/*, application/openmetrics-text', 'openmetrics'],
    ['application/openmetrics-text, text/plain', 'openmetrics'],
    ['text/plain, application/openmetrics-text', 'prometheus'],
    ['application/*', 'openmetrics'],
    ['text/*;q=0.5, application/*;q=0.6', 'openmetrics'],
    // q=0 refuses, and the most specific range decides
    ['application/openmetrics-text;q=0, */*', 'prometheus'],
    ['text/plain;q=0, application/openmetrics-text;q=0.1', 'openmetrics'],
    ['*/*;q=0.5, text/plain;q=0', 'openmetrics'],
    // unsupported versions and types fall back to the default
    ['application/openmetrics-text;version=2.0.0', 'prometheus'],
    ['application/json', 'prometheus'],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited', 'prometheus'],
    // a quoted parameter may hold commas and semicolons
    ['application/openmetrics-text;note="a,b;c";q=0.9, text/plain;q=0.1', 'openmetrics'],
    // garbage
    ['garbage', 'prometheus'],
    [';;;,,,', 'prometheus'],
    ['text/plain;q=abc, application/openmetrics-text;q=0.1', 'openmetrics'],
    ['application/openmetrics-text;q=1.5', 'prometheus'],
    ['application/openmetrics-text;q', 'prometheus'],
    ['application/openmetrics-text;note="unterminated', 'prometheus'],
    ['*/plain', 'prometheus'],
    ['\u0000\u00ff/\u2028', 'prometheus'],
    ['x'.repeat(10_000), 'prometheus'],
  ];
  for (const [accept, format] of cases) {
    test(`${JSON.stringify(accept)?.slice(0, 100)} → ${format}`, () => {
      assert.equal(negotiateFormat(accept), format);
    });
  }

  test('each format has its content type', () => {
    assert.equal(CONTENT_TYPES.prometheus, PROMETHEUS);
    assert.equal(CONTENT_TYPES.openmetrics, OPENMETRICS);
  });
});

describe('responses', () => {
  test('the text response varies by Accept', async () => {
    const response = await metricsResponse(bare(), 'application/openmetrics-text');
    assert.equal(response.headers.vary, 'Accept');
  });

  test('the JSON view is prom-client getMetricsAsJSON', async () => {
    const metrics = bare();
    metrics.counter({ name: 'turns_total', help: 'Turns.', labelNames: ['agent'] }).inc({ agent: 'a' }, 2);
    const response = await metricsJsonResponse(metrics);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(response.body), [
      {
        name: 'turns_total',
        help: 'Turns.',
        type: 'counter',
        aggregator: 'sum',
        values: [{ value: 2, labels: { agent: 'a' } }],
      },
    ]);
  });

  test('a collect function that throws yields a 500 and an error line, not a throw', async () => {
    const metrics = bare();
    new Gauge({
      name: 'broken',
      help: 'Throws on collect.',
      registers: [metrics.registry],
      collect() {
        throw new Error('sensor offline');
      },
    });
    const { log, out } = captureLogger();
    const response = await metricsResponse(metrics, undefined, { logger: log });
    assert.equal(response.status, 500);
    assert.doesNotMatch(response.body, /sensor offline/, 'internal errors stay in the log');
    const [line] = out.lines;
    assert.equal(line?.level, 'error');
    assert.equal(line?.module, 'metrics');
    assert.match(JSON.stringify(line), /sensor offline/);
    assert.equal((await metricsJsonResponse(metrics, { logger: log })).status, 500);
  });

  test('the node:http handler negotiates, answers HEAD without a body and refuses other methods', async () => {
    const metrics = bare();
    metrics.counter({ name: 'turns_total', help: 'Turns.' }).inc();
    const server = createServer(metricsHandler(metrics));
    const json = createServer(metricsHandler(metrics, { json: true }));
    for (const s of [server, json]) s.listen(0, '127.0.0.1');
    await Promise.all([once(server, 'listening'), once(json, 'listening')]);
    const url = (s: typeof server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/metrics`;
    try {
      const text = await fetch(url(server));
      assert.equal(text.headers.get('content-type'), PROMETHEUS);
      assert.match(await text.text(), /^turns_total 1$/m);

      const om = await fetch(url(server), { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
      assert.equal(om.headers.get('content-type'), OPENMETRICS);
      assert.match(await om.text(), /# EOF\n$/);

      const head = await fetch(url(server), { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');

      const post = await fetch(url(server), { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
      await post.arrayBuffer();

      const asJson = await fetch(url(json));
      assert.equal(asJson.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(((await asJson.json()) as { name: string }[])[0]?.name, 'turns_total');
    } finally {
      for (const s of [server, json]) {
        s.closeAllConnections();
        s.close();
      }
    }
  });
});
