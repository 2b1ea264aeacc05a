import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, formatSampleValue, MemoryQuerier, STALE_NAN } from '../src/index.js';

const MIN = 60_000;

function series(q: MemoryQuerier, labels: Record<string, string>, points: [number, number][]): void {
  for (const [t, v] of points) q.add(labels, t, v);
}

test('a stale marker ends a series within the lookback window', () => {
  const q = new MemoryQuerier();
  // Passed directly: V8 turns a NaN held in an array of numbers into the plain NaN, losing the stale bits.
  q.add({ __name__: 'up', job: 'a' }, 0, 1);
  q.add({ __name__: 'up', job: 'a' }, 30_000, STALE_NAN);
  const engine = new Engine();
  assert.deepEqual(engine.instantQuery(q, 'up', 20_000), {
    resultType: 'vector',
    result: [{ metric: { __name__: 'up', job: 'a' }, value: [20, 1] }],
  });
  assert.deepEqual(engine.instantQuery(q, 'up', 60_000).result, []);
});

test('the lookback delta is an option and is left-open', () => {
  const q = new MemoryQuerier();
  series(q, { __name__: 'x' }, [[0, 1]]);
  const engine = new Engine({ lookbackDeltaMs: MIN });
  assert.equal((engine.instantQuery(q, 'x', 59_999).result as unknown[]).length, 1);
  assert.equal((engine.instantQuery(q, 'x', MIN).result as unknown[]).length, 0);
  assert.equal((new Engine().instantQuery(q, 'x', 4 * MIN).result as unknown[]).length, 1);
});

test('a range vector is left-open: (t - range, t]', () => {
  const q = new MemoryQuerier();
  series(q, { __name__: 'x' }, [
    [0, 1],
    [MIN, 2],
  ]);
  const r = new Engine().instantQuery(q, 'count_over_time(x[1m])', MIN);
  assert.deepEqual(r.result, [{ metric: {}, value: [60, 1] }]);
});

test('a range query returns a matrix sorted by labels, times in seconds', () => {
  const q = new MemoryQuerier();
  for (let i = 0; i <= 10; i++) {
    q.add({ __name__: 'req_total', job: 'b' }, i * MIN, i * 60);
    q.add({ __name__: 'req_total', job: 'a' }, i * MIN, i * 120);
  }
  const r = new Engine().rangeQuery(q, 'rate(req_total[5m])', 5 * MIN, 7 * MIN, MIN);
  assert.deepEqual(r, {
    resultType: 'matrix',
    result: [
      {
        metric: { job: 'a' },
        values: [
          [300, 2],
          [360, 2],
          [420, 2],
        ],
      },
      {
        metric: { job: 'b' },
        values: [
          [300, 1],
          [360, 1],
          [420, 1],
        ],
      },
    ],
  });
});

test('scalar and string results have the API shapes', () => {
  const q = new MemoryQuerier();
  const engine = new Engine();
  assert.deepEqual(engine.instantQuery(q, '-2 ^ 2', 1000), { resultType: 'scalar', result: [1, -4] });
  assert.deepEqual(engine.instantQuery(q, '2 ^ 3 ^ 2', 0).result, [0, 512]);
  assert.deepEqual(engine.instantQuery(q, '"hi"', 0), { resultType: 'string', result: [0, 'hi'] });
  assert.deepEqual(engine.rangeQuery(q, 'time()', 0, 2000, 1000).result, [
    {
      metric: {},
      values: [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
    },
  ]);
});

test('@ and offset move where a selector reads', () => {
  const q = new MemoryQuerier();
  for (let i = 0; i <= 10; i++) q.add({ __name__: 'x' }, i * MIN, i);
  const engine = new Engine();
  assert.deepEqual(engine.instantQuery(q, 'x @ 120', 600_000).result, [{ metric: { __name__: 'x' }, value: [600, 2] }]);
  assert.deepEqual(engine.instantQuery(q, 'x offset 3m', 600_000).result, [
    { metric: { __name__: 'x' }, value: [600, 7] },
  ]);
  const r = engine.rangeQuery(q, 'x @ end()', 0, 2 * MIN, MIN);
  assert.deepEqual(r.result, [
    {
      metric: { __name__: 'x' },
      values: [
        [0, 2],
        [60, 2],
        [120, 2],
      ],
    },
  ]);
});

test('many-to-many matching is an evaluation error naming the duplicate series', () => {
  const q = new MemoryQuerier();
  q.add({ __name__: 'a', job: 'x', i: '1' }, 0, 1);
  q.add({ __name__: 'b', job: 'x', i: '1' }, 0, 1);
  q.add({ __name__: 'b', job: 'x', i: '2' }, 0, 1);
  assert.throws(() => new Engine().instantQuery(q, 'a + on(job) b', 0), {
    code: 'VIGIL_PROMQL_EVAL',
    message: /found duplicate series for the match group \{job="x"\} on the right hand-side/,
  });
});

test('names dropped by a function are removed at the end; equal label sets then collide', () => {
  const q = new MemoryQuerier();
  q.add({ __name__: 'a', job: 'x' }, 0, 1);
  q.add({ __name__: 'b', job: 'x' }, 0, 2);
  const engine = new Engine();
  assert.throws(() => engine.instantQuery(q, 'abs({job="x"})', 0), { message: /same labelset/ });
  assert.deepEqual(
    engine.instantQuery(q, 'label_replace(abs({job="x"}), "__name__", "abs_$1", "__name__", "(.*)")', 0).result,
    [
      { metric: { __name__: 'abs_a', job: 'x' }, value: [0, 1] },
      { metric: { __name__: 'abs_b', job: 'x' }, value: [0, 2] },
    ],
  );
});

test('topk orders each group in an instant query', () => {
  const q = new MemoryQuerier();
  for (const [i, v] of [3, 9, 1, 7].entries()) q.add({ __name__: 'x', i: String(i) }, 0, v);
  const r = new Engine().instantQuery(q, 'topk(3, x)', 0);
  assert.deepEqual(
    (r.result as { value: [number, number] }[]).map((s) => s.value[1]),
    [9, 7, 3],
  );
});

test('MemoryQuerier answers label names and values', () => {
  const q = new MemoryQuerier();
  q.add({ __name__: 'x', job: 'a' }, 0, 1);
  q.add({ __name__: 'y', job: 'b', env: 'p' }, 0, 1);
  assert.deepEqual(q.labelNames(), ['__name__', 'env', 'job']);
  assert.deepEqual(q.labelValues('job', [{ type: '=~', name: '__name__', value: 'x|y' }]), ['a', 'b']);
  assert.deepEqual(q.labelValues('job', [{ type: '=', name: 'env', value: 'p' }]), ['b']);
});

test('formatSampleValue writes values as Prometheus JSON does', () => {
  assert.equal(formatSampleValue(1.5), '1.5');
  assert.equal(formatSampleValue(Number.POSITIVE_INFINITY), '+Inf');
  assert.equal(formatSampleValue(Number.NEGATIVE_INFINITY), '-Inf');
  assert.equal(formatSampleValue(Number.NaN), 'NaN');
  assert.equal(formatSampleValue(1e21), '1000000000000000000000');
  assert.equal(formatSampleValue(1.5e-7), '0.00000015');
  assert.equal(formatSampleValue(-2e-10), '-0.0000000002');
  assert.equal(formatSampleValue(1.2345e22), '12345000000000000000000');
});

test('warnings and infos come with the result, each saying where in the expression', () => {
  const q = new MemoryQuerier();
  for (let i = 0; i <= 10; i++) q.add({ __name__: 'queue_depth', job: 'a' }, i * MIN, i);
  const engine = new Engine();
  const sorted = engine.rangeQuery(q, 'sum(sort(queue_depth))', 0, 2 * MIN, MIN);
  assert.deepEqual(sorted.warnings, [
    'PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:5)',
  ]);
  const rate = engine.instantQuery(q, 'rate(queue_depth[5m])', 10 * MIN);
  assert.deepEqual(rate.infos, [
    'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "queue_depth" (1:6)',
  ]);
  assert.equal(rate.warnings, undefined);
  const quantile = engine.instantQuery(q, 'quantile(\n  1.5, queue_depth)', 10 * MIN);
  assert.deepEqual(quantile.warnings, ['PromQL warning: quantile value should be between 0 and 1, got 1.5 (2:3)']);
});

test('histogram_quantile and histogram_fraction read classic buckets', () => {
  const q = new MemoryQuerier();
  const buckets: [string, number][] = [
    ['0.1', 2],
    ['0.5', 6],
    ['1', 8],
    ['+Inf', 10],
  ];
  for (const [le, v] of buckets) q.add({ __name__: 'latency_seconds_bucket', le }, 0, v);
  const engine = new Engine();
  assert.deepEqual(engine.instantQuery(q, 'histogram_quantile(0.5, latency_seconds_bucket)', 0).result, [
    { metric: {}, value: [0, 0.4] },
  ]);
  assert.deepEqual(engine.instantQuery(q, 'histogram_fraction(0, 0.5, latency_seconds_bucket)', 0).result, [
    { metric: {}, value: [0, 0.6] },
  ]);
});
