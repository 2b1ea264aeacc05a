// Evaluates a range function step by step: each step's window (end - range, end] slides over a series' samples.
import { PromqlError } from '../errors.js';
import { goFloat } from '../eval/annotations.js';
import type { Evaluator } from '../eval/evaluator.js';
import { getLabel, NAME } from '../eval/labels.js';
import { resolveAt } from '../eval/selectors.js';
import type { StepSeries } from '../eval/values.js';
import { newSeries } from '../eval/values.js';
import type { Call } from '../parse/ast.js';
import { goQuote } from '../parse/literals.js';
import type { RangeFunction, Window } from './range.js';

export function rangeFunction(ev: Evaluator, e: Call, fn: RangeFunction): StepSeries[] {
  const name = e.func.name;
  const matrixIndex = e.func.args.indexOf('matrix');
  const scalars = e.args.map((a, i) => (i === matrixIndex ? undefined : ev.scalar(a)));
  const params = scalars.filter((s) => s !== undefined);
  const arg = ev.rangeArg(e.args[matrixIndex]!);
  const n = ev.n;
  if (name === 'double_exponential_smoothing') checkSmoothing(params[0]!, params[1]!, n);
  const ends = new Float64Array(n);
  const evalTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ends[i] = ev.windowEnd(arg, i);
    evalTimes[i] = ev.times[i]!;
  }
  const w: Window = { start: 0, end: 0, rangeMs: arg.rangeMs, t: 0, p0: 0, p1: 0 };
  const p0 = params[0];
  const p1 = params[1];
  const out: StepSeries[] = [];
  const checkQuantile = name === 'quantile_over_time';
  const counterLike = name === 'rate' || name === 'increase';
  for (const s of arg.series) {
    ev.state.tick();
    let r: StepSeries | undefined;
    let lo = 0;
    let hi = 0;
    const { ts, vs, len } = s;
    for (let i = 0; i < n; i++) {
      const end = ends[i]!;
      const start = end - arg.rangeMs;
      while (hi < len && ts[hi]! <= end) hi++;
      while (lo < hi && ts[lo]! <= start) lo++;
      if (hi - lo < fn.minSamples) continue;
      w.start = start;
      w.end = end;
      w.t = resolveAt(undefined, evalTimes[i]!, ev.state);
      if (p0) w.p0 = p0[i]!;
      if (p1) w.p1 = p1[i]!;
      if (!r) r = newSeries(s.labels, n, fn.keepName ? s.dropName : true);
      r.present[i] = 1;
      r.values[i] = fn.kernel(ts, vs, lo, hi, w);
      if (checkQuantile && !(w.p0 >= 0 && w.p0 <= 1)) {
        ev.state.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(w.p0)}`, e.args[0]!);
      }
    }
    if (!r) continue;
    out.push(r);
    if (counterLike) {
      const metric = getLabel(s.labels, NAME);
      if (metric !== '' && !COUNTER_SUFFIX.test(metric)) {
        ev.state.annotations.info(
          `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metric)}`,
          e.args[matrixIndex]!,
        );
      }
    }
  }
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
