import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createMetrics, type Metrics } from '../src/metrics/index.js';
import { layoutKnown } from '../src/metrics/prom-storage.js';
import { captureLogger } from './support/capture.js';
import { samples, sampleValue } from './support/metrics-read.js';

function metricsWith(maxSeriesPerMetric = 10_000): Metrics {
  const { log } = captureLogger();
  return createMetrics({ defaultMetrics: false, maxSeriesPerMetric, logger: log });
}

const rejected = (metrics: Metrics, metric: string) =>
  sampleValue(
    { metric: metrics.registry.getSingleMetric('vigil_metrics_rejected_samples_total') as never },
    { metric },
  );
const dropped = (metrics: Metrics, metric: string) =>
  sampleValue({ metric: metrics.registry.getSingleMetric('vigil_metrics_dropped_series_total') as never }, { metric });

test('the installed prom-client stores series the way the handles expect', () => {
  // If this fails after a prom-client upgrade, handles still work (through prom-client's
  // methods) but lose their speed: update src/metrics/prom-storage.ts.
  assert.equal(layoutKnown(), true);
});

test('writes through handles expose exactly what the same writes through prom-client expose', async () => {
  const metrics = metricsWith();
  const buckets = [0.5, 1, 2.5];
  const histogram = metrics.histogram({ name: 'h_seconds', help: 'H.', labelNames: ['route', 'code'], buckets });
  const counter = metrics.counter({ name: 'c_total', help: 'C.', labelNames: ['route', 'code'] });
  const gauge = metrics.gauge({ name: 'g', help: 'G.', labelNames: ['route', 'code'] });
  const plain = new Registry();
  const h = new Histogram({
    name: 'h_seconds',
    help: 'H.',
    labelNames: ['route', 'code'],
    buckets,
    registers: [plain],
  });
  const c = new Counter({ name: 'c_total', help: 'C.', labelNames: ['route', 'code'], registers: [plain] });
  const g = new Gauge({ name: 'g', help: 'G.', labelNames: ['route', 'code'], registers: [plain] });

  // Label values as numbers and strings, given in another order than declared.
  const sets = [{ code: 200, route: '/a' }, { code: '500', route: '/b' }, {}];
  const values = [0.1, 0.5, 0.50001, 1, 2.5, 7, -3, 0, 1e9];
  for (const labels of sets) {
    const hs = histogram.series(labels);
    const cs = counter.series(labels);
    const gs = gauge.series(labels);
    for (const value of values) {
      hs.observe(value);
      h.observe(labels, value);
      cs.inc(Math.abs(value));
      c.inc(labels, Math.abs(value));
      gs.inc(value);
      g.inc(labels, value);
    }
    cs.inc();
    c.inc(labels);
    gs.dec(2);
    g.dec(labels, 2);
  }
  gauge.series({ route: '/set' }).set(42);
  g.set({ route: '/set' }, 42);
  for (const name of ['h_seconds', 'c_total', 'g']) {
    assert.deepEqual(
      await metrics.registry.getSingleMetric(name)!.get(),
      await plain.getSingleMetric(name)!.get(),
      name,
    );
  }
});

test('after the first write a handle adds to the stored series without going through prom-client', async () => {
  const metrics = metricsWith();
  const histogram = metrics.histogram({ name: 'fast_seconds', help: 'F.', labelNames: ['k'], buckets: [1] });
  let calls = 0;
  const observe = histogram.metric.observe.bind(histogram.metric);
  histogram.metric.observe = ((labels: never, value: number) => {
    calls++;
    observe(labels, value);
  }) as never;
  const series = histogram.series({ k: 'a' });
  for (let i = 0; i < 100; i++) series.observe(0.5);
  assert.equal(calls, 1, 'only the first write creates the series through prom-client');
  assert.equal(await sampleValue(histogram, { k: 'a' }, 'fast_seconds_count'), 100);
});

test('a handle keeps the label-set limit: a set past it is dropped and counted on every write', async () => {
  const metrics = metricsWith(1);
  const counter = metrics.counter({ name: 'limited_total', help: 'L.', labelNames: ['user'] });
  counter.series({ user: 'a' }).inc();
  const late = counter.series({ user: 'b' });
  late.inc();
  late.inc(3);
  assert.deepEqual(
    (await samples(counter)).map((s) => [s.labels.user, s.value]),
    [['a', 1]],
  );
  assert.equal(await dropped(metrics, 'limited_total'), 2);
});

test('a handle refuses what the metric refuses, and counts it', async () => {
  const metrics = metricsWith();
  const counter = metrics.counter({ name: 'refuse_total', help: 'R.', labelNames: ['k'] });
  const histogram = metrics.histogram({ name: 'refuse_seconds', help: 'R.', labelNames: ['k'], buckets: [1] });
  const gauge = metrics.gauge({ name: 'refuse', help: 'R.', labelNames: ['k'] });
  const cs = counter.series({ k: 'a' });
  const hs = histogram.series({ k: 'a' });
  const gs = gauge.series({ k: 'a' });
  cs.inc();
  hs.observe(0.5);
  gs.set(1);
  for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    cs.inc(bad);
    hs.observe(bad);
    gs.set(bad);
    gs.inc(bad);
  }
  cs.inc(-1);
  const unknownLabel = counter.series({ k: 'a', other: 'x' } as never);
  unknownLabel.inc();
  unknownLabel.inc();

  assert.equal(await sampleValue(counter, { k: 'a' }), 1);
  assert.equal(await sampleValue(histogram, { k: 'a' }, 'refuse_seconds_sum'), 0.5);
  assert.equal(await sampleValue(gauge, { k: 'a' }), 1);
  assert.equal(await rejected(metrics, 'refuse_total'), 6, 'three non-finite, one negative, two unknown-label writes');
  assert.equal(await rejected(metrics, 'refuse_seconds'), 3);
  assert.equal(await rejected(metrics, 'refuse'), 6);
});

test('a handle keeps writing after the metric or the whole registry is reset', async () => {
  const metrics = metricsWith();
  const counter = metrics.counter({ name: 'reset_total', help: 'R.', labelNames: ['k'] });
  const series = counter.series({ k: 'a' });
  series.inc(5);
  counter.reset();
  series.inc(2);
  assert.equal(await sampleValue(counter, { k: 'a' }), 2);
  assert.equal(counter.seriesCount, 1);
  metrics.registry.resetMetrics();
  series.inc(1);
  assert.equal(await sampleValue(counter, { k: 'a' }), 1);
});

test('making a handle creates no series', async () => {
  const metrics = metricsWith();
  const histogram = metrics.histogram({ name: 'idle_seconds', help: 'I.', labelNames: ['k'], buckets: [1] });
  histogram.series({ k: 'never-written' });
  assert.deepEqual(await samples(histogram), []);
  assert.equal(histogram.seriesCount, 0);
});
