import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, MemoryQuerier } from '../src/index.js';

// The engine takes shortcuts over a whole series (reset counts, exact prefix sums of integer series); these tests
// hold it to the bits of Prometheus's plain loop over each window (t - range, t].

const STEP = 15_000;
const RANGE = 300_000;
const STEPS = 200;

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

type Points = [number, number][];

const next = random(7);
const SERIES: Record<string, Points> = {
  counter: counter(false),
  counterWithResets: counter(true),
  bigIntegers: gauge(() => Math.round((next() - 0.5) * 2 ** 50)),
  floats: gauge(() => (next() - 0.5) * 1e6),
  mixed: gauge((i) => (i % 40 === 0 ? 0.1 : Math.round(next() * 100))),
  negativeZero: gauge((i) => (i % 3 === 0 ? -0 : Math.round((next() - 0.5) * 10))),
  overflow: gauge((i) => (i % 50 === 0 ? Number.MAX_VALUE : 1)),
  nan: gauge((i) => (i % 30 === 0 ? Number.NaN : i)),
  nanStretches: gauge((i) => (i % 60 < 30 ? Number.NaN : i % 7)),
  inf: gauge((i) => (i % 30 === 0 ? Number.POSITIVE_INFINITY : i)),
};

function times(): number[] {
  const ts: number[] = [];
  // Irregular spacing with gaps, so windows hold 0 to ~25 samples.
  for (let t = 1_000; t < STEP * STEPS; t += next() < 0.05 ? 400_000 : 5_000 + Math.floor(next() * 20_000)) ts.push(t);
  return ts;
}

function counter(resets: boolean): Points {
  let v = 0;
  return times().map((t) => {
    v = resets && next() < 0.03 ? Math.floor(next() * 5) : v + Math.floor(next() * 10);
    return [t, v];
  });
}

function gauge(value: (i: number) => number): Points {
  return times().map((t, i) => [t, value(i)]);
}

function kahanSum(vs: number[]): [number, number] {
  let sum = 0;
  let c = 0;
  for (const f of vs) [sum, c] = kahanInc(f, sum, c);
  return [sum, c];
}

function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) return [t, 0];
  return [t, Math.abs(sum) >= Math.abs(inc) ? c + (sum - t + inc) : c + (inc - t + sum)];
}

/** Prometheus's avg_over_time: a Kahan sum that turns into an incremental mean when it overflows. */
function average(vs: number[]): number {
  let sum = vs[0]!;
  let c = 0;
  let mean = 0;
  let incremental = false;
  for (let i = 1; i < vs.length; i++) {
    const count = i + 1;
    if (!incremental) {
      const t = sum + vs[i]!;
      if (Number.isFinite(t) || Number.isNaN(t)) {
        c += Math.abs(sum) >= Math.abs(vs[i]!) ? sum - t + vs[i]! : vs[i]! - t + sum;
        sum = t;
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanInc(vs[i]! / count, q * mean, q * c);
  }
  return incremental ? mean + c : sum / vs.length + c / vs.length;
}

/** Prometheus's extrapolatedRate for rate (isRate) and increase. */
function rate(ts: number[], vs: number[], start: number, end: number, isRate: boolean): number {
  const n = vs.length;
  let result = vs[n - 1]! - vs[0]!;
  for (let i = 1; i < n; i++) if (vs[i]! < vs[i - 1]!) result += vs[i - 1]!;
  let toStart = (ts[0]! - start) / 1000;
  const toEnd0 = (end - ts[n - 1]!) / 1000;
  const sampled = (ts[n - 1]! - ts[0]!) / 1000;
  const avgBetween = sampled / (n - 1);
  if (toStart >= avgBetween * 1.1) toStart = avgBetween / 2;
  if (result > 0 && vs[0]! >= 0) toStart = Math.min(toStart, sampled * (vs[0]! / result));
  const toEnd = toEnd0 >= avgBetween * 1.1 ? avgBetween / 2 : toEnd0;
  let factor = (sampled + toStart + toEnd) / sampled;
  if (isRate) factor /= RANGE / 1000;
  return result * factor;
}

/** [value, time in s] of the sample that wins `better`, a NaN losing to any later sample. */
function extremum(ts: number[], vs: number[], better: (v: number, best: number) => boolean): [number, number] {
  let best = vs[0]!;
  let bestT = ts[0]!;
  for (let i = 0; i < vs.length; i++) {
    if (better(vs[i]!, best) || Number.isNaN(best)) {
      best = vs[i]!;
      bestT = ts[i]!;
    }
  }
  return [best, bestT / 1000];
}

const REFERENCE: Record<string, { min: number; reduce: (ts: number[], vs: number[], t: number) => number }> = {
  sum_over_time: {
    min: 1,
    reduce: (_ts, vs) => {
      const [sum, c] = kahanSum(vs);
      return Number.isFinite(sum) ? sum + c : sum;
    },
  },
  avg_over_time: { min: 1, reduce: (_ts, vs) => average(vs) },
  rate: { min: 2, reduce: (ts, vs, t) => rate(ts, vs, t - RANGE, t, true) },
  increase: { min: 2, reduce: (ts, vs, t) => rate(ts, vs, t - RANGE, t, false) },
  max_over_time: { min: 1, reduce: (ts, vs) => extremum(ts, vs, (v, best) => v > best)[0] },
  min_over_time: { min: 1, reduce: (ts, vs) => extremum(ts, vs, (v, best) => v < best)[0] },
  ts_of_max_over_time: { min: 1, reduce: (ts, vs) => extremum(ts, vs, (v, best) => v >= best)[1] },
  ts_of_min_over_time: { min: 1, reduce: (ts, vs) => extremum(ts, vs, (v, best) => v <= best)[1] },
  resets: { min: 1, reduce: (_ts, vs) => vs.filter((v, i) => i > 0 && v < vs[i - 1]!).length },
};

function expected(points: Points, fn: string): [number, number][] {
  const ref = REFERENCE[fn]!;
  const out: [number, number][] = [];
  for (let i = 0; i < STEPS; i++) {
    const t = i * STEP;
    const w = points.filter(([pt]) => pt > t - RANGE && pt <= t);
    if (w.length < ref.min) continue;
    out.push([
      t,
      ref.reduce(
        w.map(([pt]) => pt),
        w.map(([, v]) => v),
        t,
      ),
    ]);
  }
  return out;
}

for (const fn of Object.keys(REFERENCE)) {
  test(`${fn} gives the bits of the per-window loop on integer, float, NaN, infinite and -0 series`, () => {
    const q = new MemoryQuerier();
    for (const [name, points] of Object.entries(SERIES))
      for (const [t, v] of points) q.add({ __name__: 'x', name }, t, v);
    const result = new Engine().rangeQueryColumns(q, `${fn}(x[5m])`, 0, (STEPS - 1) * STEP, STEP).result;
    assert.equal(result.length, Object.keys(SERIES).length);
    for (const s of result) {
      const want = expected(SERIES[s.metric.name!]!, fn);
      const got = Array.from(s.timestamps, (t, i): [number, number] => [t, s.values[i]!]);
      assert.equal(got.length, want.length, `${fn} of ${s.metric.name}: points`);
      for (let i = 0; i < want.length; i++) {
        assert.ok(
          got[i]![0] === want[i]![0] && Object.is(got[i]![1], want[i]![1]),
          `${fn} of ${s.metric.name} at ${want[i]![0]}: got ${got[i]![1]}, want ${want[i]![1]}`,
        );
      }
    }
  });
}
