// Evaluates a function call: range functions window by window, the others step by step.
import { PromqlError } from '../errors.js';
import type { Evaluator } from '../eval/evaluator.js';
import { selectInstant } from '../eval/selectors.js';
import type { StepSeries, Value } from '../eval/values.js';
import { newSeries } from '../eval/values.js';
import type { Call, Expr } from '../parse/ast.js';
import { absent, absentOverTime } from './absent.js';
import { stringArg } from './args.js';
import { histogramFraction, histogramQuantile, histogramQuantiles } from './histogram.js';
import { DATE_FUNCTIONS, VALUE_FUNCTIONS } from './instant.js';
import { labelJoin, labelReplace } from './labels.js';
import { RANGE_FUNCTIONS } from './range.js';
import { rangeFunction } from './range-eval.js';
import { sortByLabel, sortByValue } from './sort.js';

function vec(series: StepSeries[]): Value {
  return { kind: 'vector', series };
}

/** Evaluates a function call. */
export function callFunction(ev: Evaluator, e: Call): Value {
  const name = e.func.name;
  const range = RANGE_FUNCTIONS[name];
  if (range) return vec(rangeFunction(ev, e, range));
  const value = VALUE_FUNCTIONS[name];
  if (value) return vec(mapValues(ev.vector(e.args[0]!), ev.n, value));
  const date = DATE_FUNCTIONS[name];
  if (date) {
    if (e.args.length === 0) {
      const s = newSeries([], ev.n, false);
      for (let i = 0; i < ev.n; i++) {
        s.present[i] = 1;
        s.values[i] = date(ev.times[i]! / 1000);
      }
      return vec([s]);
    }
    return vec(mapValues(ev.vector(e.args[0]!), ev.n, date));
  }
  switch (name) {
    case 'time':
      return { kind: 'scalar', values: ev.times.map((t) => t / 1000) };
    case 'step':
      return constant(ev, ev.state.queryStep / 1000);
    case 'range':
      return constant(ev, (ev.state.queryEnd - ev.state.queryStart) / 1000);
    case 'start':
      return constant(ev, ev.state.queryStart / 1000);
    case 'end':
      return constant(ev, ev.state.queryEnd / 1000);
    case 'pi':
      return { kind: 'scalar', values: new Float64Array(ev.n).fill(Math.PI) };
    case 'vector': {
      const s = newSeries([], ev.n, false);
      s.values.set(ev.scalar(e.args[0]!));
      s.present.fill(1);
      return vec([s]);
    }
    case 'scalar':
      return { kind: 'scalar', values: toScalar(ev.vector(e.args[0]!), ev.n) };
    case 'absent':
      return vec(absent(ev.vector(e.args[0]!), e.args[0]!, ev.n));
    case 'absent_over_time':
      return vec(absentOverTime(ev, e.args[0]!));
    case 'timestamp':
      return vec(
        timestampArg(ev, e.args[0]!).map((s) => {
          const t = s.times ?? ev.times;
          return { labels: s.labels, values: t.map((x) => x / 1000), present: s.present, dropName: true };
        }),
      );
    case 'clamp':
      return vec(clamp(ev.vector(e.args[0]!), ev.n, ev.scalar(e.args[1]!), ev.scalar(e.args[2]!)));
    case 'clamp_min':
      return vec(clamp(ev.vector(e.args[0]!), ev.n, ev.scalar(e.args[1]!), undefined));
    case 'clamp_max':
      return vec(clamp(ev.vector(e.args[0]!), ev.n, undefined, ev.scalar(e.args[1]!)));
    case 'round': {
      const to = e.args[1] ? ev.scalar(e.args[1]) : new Float64Array(ev.n).fill(1);
      return vec(
        mapSteps(ev.vector(e.args[0]!), ev.n, (v, i) => {
          const inv = 1 / to[i]!;
          return Math.floor(v * inv + 0.5) / inv;
        }),
      );
    }
    case 'label_replace':
      return vec(
        labelReplace(
          ev.vector(e.args[0]!),
          ev.n,
          stringArg(e.args[1]!),
          stringArg(e.args[2]!),
          stringArg(e.args[3]!),
          stringArg(e.args[4]!),
        ),
      );
    case 'label_join':
      return vec(
        labelJoin(
          ev.vector(e.args[0]!),
          ev.n,
          stringArg(e.args[1]!),
          stringArg(e.args[2]!),
          e.args.slice(3).map(stringArg),
        ),
      );
    case 'histogram_quantile':
      return vec(histogramQuantile(ev, e));
    case 'histogram_quantiles':
      return vec(histogramQuantiles(ev, e));
    case 'histogram_fraction':
      return vec(histogramFraction(ev, e));
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_avg':
    case 'histogram_stddev':
    case 'histogram_stdvar':
      // Native-histogram functions: float samples are ignored, and this engine stores no native histograms.
      for (const a of e.args) ev.eval(a);
      return vec([]);
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc':
      if (ev.state.queryStep > 0) {
        ev.state.annotations.warn(
          'sort is ineffective for range queries since results are always ordered by labels',
          e,
        );
      }
      return vec(sortCall(ev, e));
    default:
      throw new PromqlError('VIGIL_PROMQL_EVAL', `function "${name}" is not implemented`);
  }
}

/** timestamp() of a selector reads its samples' times; of anything else, the evaluation times. */
function timestampArg(ev: Evaluator, arg: Expr): StepSeries[] {
  let inner = arg;
  while (inner.type === 'paren') inner = inner.expr;
  return inner.type === 'vectorSelector' ? selectInstant(inner, ev.times, ev.state, true) : ev.vector(arg);
}

function sortCall(ev: Evaluator, e: Call): StepSeries[] {
  const name = e.func.name;
  switch (name) {
    case 'sort':
    case 'sort_desc':
      return sortByValue(ev.vector(e.args[0]!), ev.n, name === 'sort_desc');
    default:
      return sortByLabel(ev.vector(e.args[0]!), e.args.slice(1).map(stringArg), name === 'sort_by_label_desc');
  }
}

function constant(ev: Evaluator, v: number): Value {
  return { kind: 'scalar', values: new Float64Array(ev.n).fill(v) };
}

function mapValues(input: StepSeries[], n: number, f: (v: number) => number): StepSeries[] {
  return mapSteps(input, n, (v) => f(v));
}

function mapSteps(input: StepSeries[], n: number, f: (v: number, i: number) => number): StepSeries[] {
  return input.map((s) => {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) if (s.present[i] === 1) values[i] = f(s.values[i]!, i);
    return { labels: s.labels, values, present: s.present, dropName: true };
  });
}

function clamp(
  input: StepSeries[],
  n: number,
  min: Float64Array | undefined,
  max: Float64Array | undefined,
): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of input) {
    const r = newSeries(s.labels, n, true);
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1) continue;
      const lo = min ? min[i]! : Number.NEGATIVE_INFINITY;
      const hi = max ? max[i]! : Number.POSITIVE_INFINITY;
      if (hi < lo) continue;
      r.present[i] = 1;
      r.values[i] = Math.max(lo, Math.min(hi, s.values[i]!));
    }
    out.push(r);
  }
  return out;
}

function toScalar(input: StepSeries[], n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    let v = Number.NaN;
    for (const s of input) {
      if (s.present[i] === 1) {
        count++;
        v = s.values[i]!;
      }
    }
    out[i] = count === 1 ? v : Number.NaN;
  }
  return out;
}
