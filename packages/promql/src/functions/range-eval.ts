// Evaluates a range function step by step: each step's window (end - range, end] slides over a series' samples.
import { PromqlError } from '../errors.js';
import type { Evaluator } from '../eval/evaluator.js';
import { resolveAt } from '../eval/selectors.js';
import type { StepSeries } from '../eval/values.js';
import { newSeries } from '../eval/values.js';
import type { Call } from '../parse/ast.js';
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
    }
    if (r) out.push(r);
  }
  return out;
}

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
