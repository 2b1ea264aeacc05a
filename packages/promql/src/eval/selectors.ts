// Reading series from the Querier: instant selectors with lookback and staleness, raw samples for range vectors.
import type { AtModifier, VectorSelector } from '../parse/ast.js';
import type { QueryState } from './state.js';
import type { RangeSeries, StepSeries } from './values.js';
import { isStale, newSeries } from './values.js';

/** Growable sample buffer reused while reading one series. */
class SampleBuffer {
  ts = new Float64Array(256);
  vs = new Float64Array(256);
  len = 0;
  push(t: number, v: number): void {
    if (this.len === this.ts.length) this.grow();
    this.ts[this.len] = t;
    this.vs[this.len] = v;
    this.len++;
  }
  /** Doubles the capacity, keeping the first `len` samples. */
  grow(): void {
    const ts = new Float64Array(this.ts.length * 2);
    ts.set(this.ts.subarray(0, this.len));
    this.ts = ts;
    const vs = new Float64Array(this.vs.length * 2);
    vs.set(this.vs.subarray(0, this.len));
    this.vs = vs;
  }
}

const buffer = new SampleBuffer();

/** The time (ms) a selector with `at` reads for a step at `t`. */
export function resolveAt(at: AtModifier | undefined, t: number, state: QueryState): number {
  if (at === undefined) return t;
  if (at === 'start') return state.queryStart;
  if (at === 'end') return state.queryEnd;
  return at;
}

/** Evaluates an instant vector selector at every step time in `times`; withTimes keeps sample times (timestamp()). */
export function selectInstant(
  vs: VectorSelector,
  times: Float64Array,
  state: QueryState,
  withTimes = false,
): StepSeries[] {
  const n = times.length;
  const eff = new Float64Array(n);
  for (let i = 0; i < n; i++) eff[i] = resolveAt(vs.at, times[i]!, state) - vs.offsetMs;
  const mint = eff[0]! - state.lookbackMs + 1;
  const maxt = eff[n - 1]!;
  const out: StepSeries[] = [];
  const lookback = state.lookbackMs;
  for (const s of state.querier.select(vs.matchers, Math.min(mint, maxt), maxt)) {
    state.tick();
    const buf = buffer;
    buf.len = 0;
    const it = s.samples();
    while (it.next()) {
      if (it.t > maxt) break;
      if (it.t >= mint) buf.push(it.t, it.v);
    }
    if (buf.len === 0) continue;
    let series: StepSeries | undefined;
    let points = 0;
    let j = -1;
    const { ts, vs: values, len } = buf;
    for (let i = 0; i < n; i++) {
      const te = eff[i]!;
      while (j + 1 < len && ts[j + 1]! <= te) j++;
      if (j < 0) continue;
      const t = ts[j]!;
      if (t <= te - lookback) continue;
      const v = values[j]!;
      if (Number.isNaN(v) && isStale(v)) continue;
      if (!series) {
        series = newSeries(s.labels as StepSeries['labels'], n, false);
        if (withTimes) series.times = new Float64Array(n);
      }
      series.present[i] = 1;
      series.values[i] = v;
      if (series.times) series.times[i] = t;
      points++;
    }
    // The raw samples only pass through a reused buffer; what the query holds is one point per step, as Prometheus counts.
    if (series) {
      state.addSamples(points);
      out.push(series);
    }
  }
  return out;
}

/** Called with one series of a range vector; a streamed series' arrays are a reused buffer, valid only during the call. */
export type RangeVisitor = (s: RangeSeries) => void;

/**
 * Reads every series matching the selector in [mint, maxt] (stale markers dropped) into one reused buffer and hands
 * it to `visit`, so a range function over thousands of series copies no samples.
 */
export function eachRange(
  vs: VectorSelector,
  mint: number,
  maxt: number,
  state: QueryState,
  visit: RangeVisitor,
): void {
  const buf = buffer;
  const series: RangeSeries = { labels: [], ts: buf.ts, vs: buf.vs, len: 0, dropName: false };
  for (const s of state.querier.select(vs.matchers, mint, maxt)) {
    state.tick();
    // The buffer's arrays and length live in locals while reading: this loop runs once per sample.
    let ts = buf.ts;
    let values = buf.vs;
    let len = 0;
    const it = s.samples();
    while (it.next()) {
      const t = it.t;
      if (t > maxt) break;
      if (t < mint) continue;
      const v = it.v;
      if (Number.isNaN(v) && isStale(v)) continue;
      if (len === ts.length) {
        buf.len = len;
        buf.grow();
        ts = buf.ts;
        values = buf.vs;
      }
      ts[len] = t;
      values[len++] = v;
    }
    if (len === 0) continue;
    state.addSamples(len);
    series.labels = s.labels as RangeSeries['labels'];
    series.ts = ts;
    series.vs = values;
    series.len = len;
    visit(series);
  }
}
