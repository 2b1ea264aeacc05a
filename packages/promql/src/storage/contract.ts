// The contract every Querier keeps, as one node:test suite: MemoryQuerier runs it here, the TSDB's Querier can run
// it from its own tests (`import { querierContract } from '@vigil/promql/contract'`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../eval/engine.js';
import { isStale, STALE_NAN } from '../eval/values.js';
import type { Label, Matcher, Querier } from './querier.js';

/** One series to load: labels and samples in time order (ms, value). */
export interface ContractSeries {
  labels: Record<string, string>;
  samples: { t: number; v: number }[];
}

/** Makes the Querier under test holding exactly these series (may be async, e.g. to open a store). */
export type QuerierFactory = (series: ContractSeries[]) => Querier | Promise<Querier>;

const MIN = 60_000;

function data(): ContractSeries[] {
  const ramp = (from: number) => Array.from({ length: 11 }, (_, i) => ({ t: i * MIN, v: from + i }));
  return [
    { labels: { __name__: 'http_requests_total', job: 'api', code: '200' }, samples: ramp(100) },
    { labels: { __name__: 'http_requests_total', job: 'api', code: '500' }, samples: ramp(0) },
    { labels: { __name__: 'http_requests_total', job: 'web', code: '200' }, samples: ramp(50) },
    {
      labels: { __name__: 'up', job: 'api' },
      samples: [
        { t: 0, v: 1 },
        { t: MIN, v: STALE_NAN },
      ],
    },
    { labels: { __name__: 'late', job: 'api' }, samples: [{ t: 9 * MIN, v: 7 }] },
  ];
}

function names(q: Querier, matchers: Matcher[], mint = 0, maxt = 10 * MIN): string[] {
  return [...q.select(matchers, mint, maxt)].map((s) => s.labels.map((l) => `${l.name}=${l.value}`).join(','));
}

function samples(q: Querier, matchers: Matcher[], mint: number, maxt: number): [number, number][] {
  const out: [number, number][] = [];
  for (const s of q.select(matchers, mint, maxt)) {
    const it = s.samples();
    while (it.next()) if (it.t >= mint && it.t <= maxt) out.push([it.t, it.v]);
  }
  return out;
}

const eq = (name: string, value: string): Matcher => ({ type: '=', name, value });

/** Declares the Querier contract tests (node:test) for one implementation. */
export function querierContract(name: string, make: QuerierFactory): void {
  describe(`Querier contract: ${name}`, () => {
    let q: Querier;
    const get = async () => {
      q ??= await make(data());
      return q;
    };

    test('select returns the matching series with labels sorted by name, __name__ included', async () => {
      const got = names(await get(), [eq('__name__', 'http_requests_total'), eq('job', 'api')]).sort();
      assert.deepEqual(got, [
        '__name__=http_requests_total,code=200,job=api',
        '__name__=http_requests_total,code=500,job=api',
      ]);
      for (const s of (await get()).select([eq('job', 'api')], 0, 10 * MIN)) {
        const sorted = [...s.labels].sort((a: Label, b: Label) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        assert.deepEqual(s.labels, sorted);
      }
    });

    test('regex matchers are fully anchored; != and !~ keep series without the label', async () => {
      const qq = await get();
      assert.equal(names(qq, [{ type: '=~', name: '__name__', value: 'http_requests' }]).length, 0);
      assert.equal(names(qq, [{ type: '=~', name: '__name__', value: 'http_.*' }]).length, 3);
      assert.equal(
        names(qq, [eq('__name__', 'http_requests_total'), { type: '!=', name: 'code', value: '200' }]).length,
        1,
      );
      assert.equal(
        names(qq, [eq('__name__', 'http_requests_total'), { type: '!~', name: 'code', value: '2..' }]).length,
        1,
      );
      assert.equal(names(qq, [eq('job', 'api'), { type: '!=', name: 'code', value: '500' }]).length, 3);
      assert.equal(names(qq, [eq('job', 'api'), eq('code', '')]).length, 2);
    });

    test('[mint, maxt] is inclusive and a series without samples in it is left out', async () => {
      const qq = await get();
      const s = samples(qq, [eq('__name__', 'http_requests_total'), eq('job', 'web')], 2 * MIN, 4 * MIN);
      assert.deepEqual(s, [
        [2 * MIN, 52],
        [3 * MIN, 53],
        [4 * MIN, 54],
      ]);
      assert.deepEqual(names(qq, [eq('__name__', 'late')], 0, 8 * MIN), []);
      assert.equal(names(qq, [eq('__name__', 'late')], 9 * MIN, 9 * MIN).length, 1);
    });

    test('samples() gives a fresh iterator in ascending time each call', async () => {
      const [s] = [...(await get()).select([eq('__name__', 'http_requests_total'), eq('job', 'web')], 0, 10 * MIN)];
      assert.ok(s);
      for (let round = 0; round < 2; round++) {
        const it = s.samples();
        let last = -1;
        let n = 0;
        while (it.next()) {
          assert.ok(it.t > last, 'times ascend');
          last = it.t;
          n++;
        }
        assert.equal(n, 11);
      }
    });

    test('a stale marker comes back with its exact bit pattern', async () => {
      // Checked on the iterator itself: V8 turns a NaN stored in a number array into the plain NaN.
      const stale: boolean[] = [];
      for (const s of (await get()).select([eq('__name__', 'up')], 0, 10 * MIN)) {
        const it = s.samples();
        while (it.next()) stale.push(isStale(it.v));
      }
      assert.deepEqual(stale, [false, true]);
      assert.ok(!isStale(Number.NaN));
    });

    test('labelNames and labelValues are sorted and follow the matchers', async () => {
      const qq = await get();
      assert.deepEqual(qq.labelNames(), ['__name__', 'code', 'job']);
      assert.deepEqual(qq.labelNames([eq('__name__', 'up')]), ['__name__', 'job']);
      assert.deepEqual(qq.labelValues('job'), ['api', 'web']);
      assert.deepEqual(qq.labelValues('code', [eq('job', 'web')]), ['200']);
    });

    test('the engine answers PromQL over it', async () => {
      const engine = new Engine();
      const r = engine.instantQuery(await get(), 'sum by (job) (rate(http_requests_total[5m]))', 10 * MIN);
      assert.equal(r.resultType, 'vector');
      const byJob = Object.fromEntries(
        (r.result as { metric: Record<string, string>; value: [number, number] }[]).map((s) => [
          s.metric.job,
          s.value[1],
        ]),
      );
      assert.deepEqual(Object.keys(byJob).sort(), ['api', 'web']);
      assert.ok(Math.abs(byJob.api! - 2 / 60) < 1e-9);
      assert.ok(Math.abs(byJob.web! - 1 / 60) < 1e-9);
      assert.deepEqual(engine.instantQuery(await get(), 'up', 2 * MIN).result, []);
    });
  });
}
