// Evaluates a function call: range functions window by window, the others step by step.
import { PromqlError } from '../errors.js';
import type { Evaluator } from '../eval/evaluator.js';
import { dropLabels, getLabel, labelsKey, NAME, setLabel } from '../eval/labels.js';
import { resolveAt } from '../eval/selectors.js';
import type { StepSeries, Value } from '../eval/values.js';
import { newSeries, SeriesCollector } from '../eval/values.js';
import type { Call, Expr } from '../parse/ast.js';
import { compareLabels } from '../storage/memory.js';
import type { Label } from '../storage/querier.js';
import { bucketQuantile } from './histogram.js';
import { DATE_FUNCTIONS, VALUE_FUNCTIONS } from './instant.js';
import { labelJoin, labelReplace, naturalLess } from './labels.js';
import type { RangeFunction, Window } from './range.js';
import { RANGE_FUNCTIONS } from './range.js';

function stringArg(e: Expr): string {
  while (e.type === 'paren') e = e.expr;
  if (e.type !== 'string') throw new PromqlError('VIGIL_PROMQL_EVAL', 'expected a string literal');
  return e.value;
}

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
        ev.vector(e.args[0]!).map((s) => {
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
    case 'sort':
    case 'sort_desc':
      return vec(sortByValue(ev.vector(e.args[0]!), ev.n, name === 'sort_desc'));
    case 'sort_by_label':
    case 'sort_by_label_desc':
      return vec(sortByLabel(ev.vector(e.args[0]!), e.args.slice(1).map(stringArg), name === 'sort_by_label_desc'));
    case 'histogram_quantile':
      return vec(histogramQuantile(ev.scalar(e.args[0]!), ev.vector(e.args[1]!), ev.n));
    case 'histogram_quantiles':
      return vec(histogramQuantiles(ev, e));
    case 'histogram_fraction':
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_avg':
    case 'histogram_stddev':
    case 'histogram_stdvar':
      // Native-histogram functions: float samples are ignored, and this engine stores no native histograms.
      for (const a of e.args) ev.eval(a);
      return vec([]);
    default:
      throw new PromqlError('VIGIL_PROMQL_EVAL', `function "${name}" is not implemented`);
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

/** Labels absent() reports: the equality matchers of a selector argument (a name matched twice is left out). */
function absentLabels(arg: Expr): Label[] {
  while (arg.type === 'paren') arg = arg.expr;
  const vs = arg.type === 'vectorSelector' ? arg : arg.type === 'matrixSelector' ? arg.selector : undefined;
  if (!vs) return [];
  const seen = new Map<string, number>();
  for (const m of vs.matchers) seen.set(m.name, (seen.get(m.name) ?? 0) + 1);
  const out: Label[] = [];
  for (const m of vs.matchers) {
    if (m.type === '=' && m.name !== NAME && seen.get(m.name) === 1 && m.value !== '')
      out.push({ name: m.name, value: m.value });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function absent(input: StepSeries[], arg: Expr, n: number): StepSeries[] {
  const s = newSeries(absentLabels(arg), n, false);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (!input.some((x) => x.present[i] === 1)) {
      s.present[i] = 1;
      s.values[i] = 1;
      any = true;
    }
  }
  return any ? [s] : [];
}

function absentOverTime(ev: Evaluator, argExpr: Expr): StepSeries[] {
  const arg = ev.rangeArg(argExpr);
  const s = newSeries(absentLabels(argExpr), ev.n, false);
  let any = false;
  for (let i = 0; i < ev.n; i++) {
    const end = ev.windowEnd(arg, i);
    const start = end - arg.rangeMs;
    const found = arg.series.some((r) => {
      for (let k = 0; k < r.len; k++) if (r.ts[k]! > start && r.ts[k]! <= end) return true;
      return false;
    });
    if (!found) {
      s.present[i] = 1;
      s.values[i] = 1;
      any = true;
    }
  }
  return any ? [s] : [];
}

function rangeFunction(ev: Evaluator, e: Call, fn: RangeFunction): StepSeries[] {
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

function sortByValue(input: StepSeries[], n: number, desc: boolean): StepSeries[] {
  if (n !== 1) return input;
  return [...input].sort((a, b) => {
    const x = a.values[0]!;
    const y = b.values[0]!;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return desc ? y - x : x - y;
  });
}

function sortByLabel(input: StepSeries[], names: string[], desc: boolean): StepSeries[] {
  const sign = desc ? -1 : 1;
  return [...input].sort((a, b) => {
    for (const l of names) {
      const x = getLabel(a.labels, l);
      const y = getLabel(b.labels, l);
      if (x === y) continue;
      return naturalLess(x, y) ? -sign : sign;
    }
    return sign * compareLabels(a.labels, b.labels);
  });
}

function histogramQuantiles(ev: Evaluator, e: Call): StepSeries[] {
  const input = ev.vector(e.args[0]!);
  const label = stringArg(e.args[1]!);
  const out: StepSeries[] = [];
  for (const qe of e.args.slice(2)) {
    const q = ev.scalar(qe);
    const value = formatOpenMetricsFloat(q[0]!);
    for (const s of histogramQuantile(q, input, ev.n)) out.push({ ...s, labels: setLabel(s.labels, label, value) });
  }
  return out;
}

/** A float as OpenMetrics writes label values (`0.5`, `1.0`, `+Inf`). */
function formatOpenMetricsFloat(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function histogramQuantile(q: Float64Array, input: StepSeries[], n: number): StepSeries[] {
  const without = new Set([NAME, 'le']);
  const groups = new Map<string, { labels: Label[]; members: { le: number; s: StepSeries }[] }>();
  for (const s of input) {
    const leText = getLabel(s.labels, 'le');
    const le = leText === '' ? Number.NaN : parseLe(leText);
    if (Number.isNaN(le)) continue;
    const key = labelsKey(dropLabels(s.labels, without));
    let g = groups.get(key);
    if (!g) {
      g = { labels: dropLabels(s.labels, new Set(['le'])), members: [] };
      groups.set(key, g);
    }
    g.members.push({ le, s });
  }
  const c = new SeriesCollector(n);
  const buckets = { upper: [] as number[], count: [] as number[] };
  for (const g of groups.values()) {
    let out: StepSeries | undefined;
    for (let i = 0; i < n; i++) {
      buckets.upper.length = 0;
      buckets.count.length = 0;
      for (const m of g.members) {
        if (m.s.present[i] === 1) {
          buckets.upper.push(m.le);
          buckets.count.push(m.s.values[i]!);
        }
      }
      if (buckets.upper.length === 0) continue;
      out ??= c.get(g.labels, true);
      SeriesCollector.set(out, i, bucketQuantile(q[i]!, buckets));
    }
  }
  return c.series;
}

function parseLe(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '+inf' || t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  if (t === 'nan') return Number.NaN;
  const v = Number(text);
  return text.trim() === '' ? Number.NaN : v;
}
