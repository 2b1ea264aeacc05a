import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics, type Metrics } from '../src/metrics/index.js';
import { captureLogger } from './support/capture.js';
import { samples, sampleValue } from './support/metrics-read.js';

function limited(maxSeriesPerMetric: number) {
  const { log, out } = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false, maxSeriesPerMetric, logger: log });
  return { metrics, out };
}

const dropped = (metrics: Metrics, metric: string) =>
  sampleValue({ metric: metrics.registry.getSingleMetric('vigil_metrics_dropped_series_total') as never }, { metric });
const rejected = (metrics: Metrics, metric: string) =>
  sampleValue(
    { metric: metrics.registry.getSingleMetric('vigil_metrics_rejected_samples_total') as never },
    { metric },
  );

test('past the limit new label sets are dropped and counted, existing ones keep updating, one warning per metric', async () => {
  const { metrics, out } = limited(3);
  const calls = metrics.counter({ name: 'calls_total', help: 'Calls.', labelNames: ['user'] });
  for (const user of ['a', 'b', 'c']) calls.inc({ user });
  for (let i = 0; i < 100; i++) calls.inc({ user: `scanner-${i}` });
  calls.inc({ user: 'a' }, 5);
  calls.inc({ user: 'c' });

  assert.equal(calls.seriesCount, 3);
  assert.deepEqual(
    (await samples(calls)).map((s) => [s.labels.user, s.value]),
    [
      ['a', 6],
      ['b', 1],
      ['c', 2],
    ],
  );
  assert.equal(await dropped(metrics, 'calls_total'), 100);

  const warnings = out.lines.filter((line) => line.level === 'warning');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.metric, 'calls_total');
  assert.equal(warnings[0]!.limit, 3);
  assert.equal(warnings[0]!.module, 'metrics');
  assert.doesNotMatch(JSON.stringify(warnings[0]), /scanner/, 'the dropped label values are not logged');
});

test('the limit applies to counters, gauges and histograms, each on its own', async () => {
  const { metrics, out } = limited(2);
  const counter = metrics.counter({ name: 'c_total', help: 'C.', labelNames: ['k'] });
  const gauge = metrics.gauge({ name: 'g', help: 'G.', labelNames: ['k'] });
  const histogram = metrics.histogram({ name: 'h_seconds', help: 'H.', labelNames: ['k'], buckets: [1] });
  for (const k of ['x', 'y', 'z']) {
    counter.inc({ k });
    gauge.set({ k }, 1);
    gauge.inc({ k });
    gauge.dec({ k }, 3);
    histogram.observe({ k }, 0.5);
  }
  assert.deepEqual([counter.seriesCount, gauge.seriesCount, histogram.seriesCount], [2, 2, 2]);
  assert.equal(await dropped(metrics, 'c_total'), 1);
  assert.equal(await dropped(metrics, 'g'), 3);
  assert.equal(await dropped(metrics, 'h_seconds'), 1);
  assert.equal(await sampleValue(gauge, { k: 'y' }), -1);
  assert.equal(await sampleValue(gauge, { k: 'z' }), undefined);
  assert.deepEqual(
    out.lines.map((line) => line.metric),
    ['c_total', 'g', 'h_seconds'],
  );
});

test('the HTTP and agent families have the limit too', async () => {
  const { metrics } = limited(1);
  metrics.agent.recordToolCall({ agent: 'a', tool: 'search', status: 'ok' });
  metrics.agent.recordToolCall({ agent: 'a', tool: 'fetch', status: 'ok' });
  metrics.http.requests.inc({ method: 'GET', route: '/a', status: '200' });
  metrics.http.requests.inc({ method: 'GET', route: '/b', status: '200' });
  assert.equal(await dropped(metrics, 'vigil_agent_tool_calls_total'), 1);
  assert.equal(await dropped(metrics, 'http_requests_total'), 1);
});

test('invalid writes are counted and logged once, never thrown, and take no slot', async () => {
  const { metrics, out } = limited(1);
  const calls = metrics.counter({ name: 'calls_total', help: 'Calls.', labelNames: ['tool'] });
  assert.doesNotThrow(() => {
    calls.inc({ tool: 'a' }, Number.NaN);
    calls.inc({ tool: 'a' }, -1);
    calls.inc({ tool: 'a', nope: 'x' } as never);
  });
  assert.equal(calls.seriesCount, 0, 'a refused write does not use up the limit');
  calls.inc({ tool: 'b' });
  assert.equal(await sampleValue(calls, { tool: 'b' }), 1);
  assert.equal(await rejected(metrics, 'calls_total'), 3);
  calls.inc({ tool: 'c' });
  assert.equal(await dropped(metrics, 'calls_total'), 1);
  const warnings = out.lines.filter((line) => line.level === 'warning');
  assert.deepEqual(
    warnings.map((w) => String(w.msg).split(' ').slice(0, 3).join(' ')),
    ['metric calls_total refused', 'metric calls_total reached'],
  );
  assert.match(String(warnings[0]!.reason), /finite/);
});

test('reset forgets values and label sets', async () => {
  const { metrics } = limited(1);
  const calls = metrics.counter({ name: 'calls_total', help: 'Calls.', labelNames: ['tool'] });
  calls.inc({ tool: 'a' });
  calls.reset();
  calls.inc({ tool: 'b' });
  assert.deepEqual(
    (await samples(calls)).map((s) => s.labels.tool),
    ['b'],
  );
});

test('metrics without labels are never limited', async () => {
  const { metrics } = limited(1);
  const inFlight = metrics.http.inFlight;
  for (let i = 0; i < 5; i++) inFlight.inc();
  inFlight.dec();
  assert.equal(await sampleValue(inFlight, {}), 4);
});
