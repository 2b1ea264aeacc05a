import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, register as promGlobal, Registry } from 'prom-client';
import { createMetrics, getMetrics, Metrics, renderMetrics, setDefaultMetrics } from '../src/metrics/index.js';

const names = (registry: { getMetricsAsArray(): { name: string }[] }) =>
  registry.getMetricsAsArray().map((m) => m.name);

test("a user's own Registry is used, beside the metrics already in it", async () => {
  const registry = new Registry();
  const mine = new Counter({ name: 'orders_total', help: 'Orders.', registers: [registry] });
  mine.inc();
  const metrics = createMetrics({ registry, defaultMetrics: false });
  assert.equal(metrics.registry, registry);
  metrics.agent.recordTurn({ agent: 'support' });
  const text = await renderMetrics(registry, 'prometheus');
  assert.match(text, /^orders_total 1$/m);
  assert.match(text, /^vigil_agent_turns_total\{agent="support"\} 1$/m);
  assert.ok(!names(promGlobal).includes('vigil_agent_turns_total'), "prom-client's global registry is untouched");
});

test("by default a new registry, not prom-client's global one", () => {
  const metrics = createMetrics({ defaultMetrics: false });
  assert.notEqual(metrics.registry, promGlobal);
  assert.ok(names(metrics.registry).includes('http_requests_total'));
});

test("registry: 'global' uses prom-client's global registry", () => {
  const metrics = createMetrics({ registry: 'global', defaultMetrics: false, prefix: 'globaltest_' });
  try {
    assert.equal(metrics.registry, promGlobal);
    assert.ok(names(promGlobal).includes('globaltest_http_requests_total'));
  } finally {
    for (const name of names(promGlobal)) if (name.startsWith('globaltest_')) promGlobal.removeSingleMetric(name);
  }
});

test('process metrics are collected by default and can be turned off', async () => {
  const on = await renderMetrics(createMetrics().registry, 'prometheus');
  assert.match(on, /^process_cpu_user_seconds_total \d/m);
  assert.match(on, /^nodejs_heap_size_used_bytes \d/m);
  const off = await renderMetrics(createMetrics({ defaultMetrics: false }).registry, 'prometheus');
  assert.doesNotMatch(off, /process_cpu|nodejs_/);
});

test("prom-client's process-metric settings pass through", async () => {
  const text = await renderMetrics(
    createMetrics({ defaultMetrics: { labels: { pod: 'a-1' } } }).registry,
    'prometheus',
  );
  assert.match(text, /^process_cpu_user_seconds_total\{pod="a-1"\} \d/m);
});

test('the prefix goes in front of every name, process metrics included', () => {
  const metrics = createMetrics({ prefix: 'support_' });
  const all = names(metrics.registry);
  assert.ok(
    all.every((name) => name.startsWith('support_')),
    all.filter((n) => !n.startsWith('support_')).join(),
  );
  assert.ok(all.includes('support_http_requests_total'));
  assert.ok(all.includes('support_process_cpu_user_seconds_total'));
  assert.equal(metrics.counter({ name: 'jobs_total', help: 'Jobs.' }).name, 'support_jobs_total');
});

test('bad options are refused with VIGIL_BAD_OPTION naming the option', () => {
  const bad: [object, RegExp][] = [
    [{ prefix: 'my-app' }, /"prefix"/],
    [{ maxSeriesPerMetric: 0 }, /"maxSeriesPerMetric"/],
    [{ maxSeriesPerMetric: 1.5 }, /"maxSeriesPerMetric"/],
    [{ registry: {} }, /"registry"/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => createMetrics({ defaultMetrics: false, ...options }), { code: 'VIGIL_BAD_OPTION', message });
  }
  const metrics = createMetrics({ defaultMetrics: false });
  assert.throws(() => metrics.counter({ name: 'bad-name', help: 'x' }), {
    code: 'VIGIL_BAD_OPTION',
    message: /bad-name/,
  });
  assert.throws(() => metrics.counter({ name: 'ok_total', help: '' }), { code: 'VIGIL_BAD_OPTION', message: /help/ });
  assert.throws(() => metrics.counter({ name: 'le_total', help: 'x', labelNames: ['bad-label'] }), {
    code: 'VIGIL_BAD_OPTION',
    message: /le_total/,
  });
});

test('a second createMetrics on the same registry explains the name clash', () => {
  const registry = new Registry();
  createMetrics({ registry, defaultMetrics: false });
  assert.throws(() => createMetrics({ registry, defaultMetrics: false }), {
    code: 'VIGIL_BAD_OPTION',
    message: /cannot register vigil_metrics_dropped_series_total: the registry already holds it .*prefix/,
  });
  const withPrefix = createMetrics({ registry, defaultMetrics: false, prefix: 'second_' });
  assert.ok(withPrefix.http.requests.name.startsWith('second_'));
});

test('the first Metrics created is the default, and setDefaultMetrics replaces it', () => {
  const first = getMetrics();
  assert.ok(first instanceof Metrics);
  createMetrics({ defaultMetrics: false });
  assert.equal(getMetrics(), first);
  const other = createMetrics({ defaultMetrics: false });
  setDefaultMetrics(other);
  assert.equal(getMetrics(), other);
  setDefaultMetrics(first);
});
