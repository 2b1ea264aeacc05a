// Evaluates a range function step by step: each step's window (end - range, end] slides over a series' samples.
import { PromqlError } from '../errors.js';
import { goFloat } from '../eval/annotations.js';
import type { Evaluator } from '../eval/evaluator.js';
import { getLabel, NAME } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { newSeries } from '../eval/values.js';
import type { Call } from '../parse/ast.js';
import { goQuote } from '../parse/literals.js';
import type { RangeFunction, Window } from './range.js';

/** Evaluates a range function over every series of its range argument, one output series per input series. */
export function rangeFunction(ev: Evaluator, e: Call, fn: RangeFunction): StepSeries[] {
  const name = e.func.name;
  const matrixIndex = e.func.args.indexOf('matrix');
  const scalars = e.args.map((a, i) => (i === matrixIndex ? undefined : ev.scalar(a)));
  const params = scalars.filter((s) => s !== undefined);
  const src = ev.rangeSource(e.args[matrixIndex]!);
  const n = ev.n;
  if (name === 'double_exponential_smoothing') checkSmoothing(params[0]!, params[1]!, n);
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) ends[i] = ev.windowEnd(src, i);
  const rangeMs = src.rangeMs;
  const w: Window = { start: 0, end: 0, rangeMs, t: 0, p0: 0, p1: 0 };
  const times = ev.times;
  const p0 = params[0];
  const p1 = params[1];
  const minSamples = fn.minSamples;
  const kernel = fn.kernel;
  const prepare = fn.prepare;
  const out: StepSeries[] = [];
  const state = ev.state;
  const counterLike = name === 'rate' || name === 'increase';
  const checkQuantile = name === 'quantile_over_time';
  src.each((s) => {
    state.tick();
    const { ts, vs, len } = s;
    if (len < minSamples) return;
    if (prepare) prepare(ts, vs, len);
    let r: StepSeries | undefined;
    let values: Float64Array | undefined;
    let present: Uint8Array | undefined;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const end = ends[i]!;
      const start = end - rangeMs;
      while (hi < len && ts[hi]! <= end) hi++;
      while (lo < hi && ts[lo]! <= start) lo++;
      if (hi - lo < minSamples) continue;
      w.start = start;
      w.end = end;
      w.t = times[i]!;
      if (p0) w.p0 = p0[i]!;
      if (p1) w.p1 = p1[i]!;
      if (!r) {
        r = newSeries(s.labels, n, fn.keepName ? s.dropName : true);
        values = r.values;
        present = r.present;
      }
      present![i] = 1;
      values![i] = kernel(ts, vs, lo, hi, w);
      if (checkQuantile && !(w.p0 >= 0 && w.p0 <= 1)) {
        state.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(w.p0)}`, e.args[0]!);
      }
    }
    if (!r) return;
    out.push(r);
    if (counterLike) {
      const metric = getLabel(s.labels, NAME);
      if (metric !== '' && !COUNTER_SUFFIX.test(metric)) {
        state.annotations.info(
          `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metric)}`,
          e.args[matrixIndex]!,
        );
      }
    }
  });
  return out;
}

const COUNTER_SUFFIX = /_(total|sum|count|bucket)$/;

function checkSmoothing(sf: Float64Array, tf: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    if (!(sf[i]! > 0 && sf[i]! < 1)) {
      throw new PromqlError(
        'VIGIL_PROMQL_EVAL',
        `invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf[i]!.toFixed(6)}`,
      );
    }
    if (!(tf[i]! > 0 && tf[i]! < 1)) {
      throw new PromqlError(
        'VIGIL_PROMQL_EVAL',
        `invalid trend factor. Expected: 0 < tf < 1, got: ${tf[i]!.toFixed(6)}`,
      );
    }
  }
}
