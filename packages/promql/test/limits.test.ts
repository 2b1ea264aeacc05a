import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, MemoryQuerier } from '../src/index.js';

function querier(seriesCount: number, samples: number): MemoryQuerier {
  const q = new MemoryQuerier();
  for (let s = 0; s < seriesCount; s++)
    for (let i = 0; i < samples; i++) q.add({ __name__: 'x', s: String(s) }, i * 15_000, i);
  return q;
}

test('a query past its timeout fails with VIGIL_PROMQL_TIMEOUT (injected clock, no sleeping)', () => {
  let now = 0;
  const engine = new Engine({ timeoutMs: 1000, now: () => (now += 600) });
  assert.throws(() => engine.instantQuery(querier(1, 4), 'sum(rate(x[1m])) + sum(x)', 60_000), {
    name: 'PromqlError',
    code: 'VIGIL_PROMQL_TIMEOUT',
    message: /query timed out/,
  });
});

test('loading more samples than maxSamples fails with VIGIL_PROMQL_TOO_MANY_SAMPLES', () => {
  const q = querier(10, 20);
  const engine = new Engine({ maxSamples: 100 });
  assert.throws(() => engine.instantQuery(q, 'sum_over_time(x[10m])', 300_000), {
    code: 'VIGIL_PROMQL_TOO_MANY_SAMPLES',
  });
  assert.equal(new Engine({ maxSamples: 1000 }).instantQuery(q, 'sum_over_time(x[10m])', 300_000).resultType, 'vector');
});

test('points a range query holds count toward maxSamples, as Prometheus counts them', () => {
  const q = querier(2, 4);
  // 2 series x 61 steps of 1 s, each finding a sample within the 5-minute lookback: 122 points.
  assert.throws(() => new Engine({ maxSamples: 100 }).rangeQuery(q, 'x', 0, 60_000, 1000), {
    code: 'VIGIL_PROMQL_TOO_MANY_SAMPLES',
  });
  assert.equal(new Engine({ maxSamples: 122 }).rangeQuery(q, 'x', 0, 60_000, 1000).result.length, 2);
});

test('a subquery with more steps than maxSamples fails before allocating them', () => {
  const engine = new Engine({ maxSamples: 1000 });
  assert.throws(() => engine.instantQuery(querier(1, 2), 'max_over_time(x[1y:1s])', 0), {
    code: 'VIGIL_PROMQL_TOO_MANY_SAMPLES',
  });
});

test('a range query over 11,000 points per series fails with VIGIL_PROMQL_TOO_MANY_POINTS', () => {
  const engine = new Engine();
  const q = querier(1, 2);
  assert.equal(engine.rangeQuery(q, 'x', 0, 10_999_000, 1000).resultType, 'matrix');
  assert.throws(() => engine.rangeQuery(q, 'x', 0, 11_000_000, 1000), {
    code: 'VIGIL_PROMQL_TOO_MANY_POINTS',
    message: /exceeded maximum resolution of 11,000 points per timeseries/,
  });
  assert.throws(() => new Engine({ maxPointsPerSeries: 10 }).rangeQuery(q, 'x', 0, 10_000, 1000), {
    code: 'VIGIL_PROMQL_TOO_MANY_POINTS',
  });
});

test('bad query arguments and options are VIGIL_PROMQL_BAD_OPTION', () => {
  const q = querier(1, 1);
  assert.throws(() => new Engine().rangeQuery(q, 'x', 0, 1000, 0), { code: 'VIGIL_PROMQL_BAD_OPTION' });
  assert.throws(() => new Engine().rangeQuery(q, 'x', 1000, 0, 1000), { code: 'VIGIL_PROMQL_BAD_OPTION' });
  assert.throws(() => new Engine().instantQuery(q, 'x', Number.NaN), { code: 'VIGIL_PROMQL_BAD_OPTION' });
  assert.throws(() => new Engine({ maxSamples: -1 }), { code: 'VIGIL_PROMQL_BAD_OPTION' });
});

test('a range query of a range vector is refused', () => {
  assert.throws(() => new Engine().rangeQuery(querier(1, 1), 'x[5m]', 0, 1000, 1000), {
    code: 'VIGIL_PROMQL_EVAL',
    message: /invalid expression type "range vector" for range query/,
  });
});
