// Aggregation operators (sum, avg, topk, quantile, ...) with by/without, over every step at once.
import { PromqlError } from '../errors.js';
import { goFloat } from '../eval/annotations.js';
import type { Evaluator } from '../eval/evaluator.js';
import { dropLabels, keepLabels, labelsKey, NAME, setLabel } from '../eval/labels.js';
import type { StepSeries } from '../eval/values.js';
import { newSeries } from '../eval/values.js';
import { kahan, kahanInc, quantileOf } from '../functions/kahan.js';
import type { Aggregate, Expr } from '../parse/ast.js';
import { goQuote, isValidUtf8 } from '../parse/literals.js';
import type { Label } from '../storage/querier.js';
import { formatGoFloat } from './format.js';
import { limitRatioOffset } from './limit-ratio.js';

interface Group {
  labels: Label[];
  members: StepSeries[];
  dropName: boolean;
}

/** Evaluates an aggregation. */
export function aggregate(ev: Evaluator, e: Aggregate): StepSeries[] {
  let param: Float64Array | undefined;
  let label = '';
  if (e.param) {
    if (e.op === 'count_values') label = stringParam(e.param);
    else param = ev.scalar(e.param);
  }
  const input = ev.vector(e.expr);
  const n = ev.n;
  if (param && (e.op === 'quantile' || e.op === 'limit_ratio')) warnParam(ev, e, param);
  const groups = groupSeries(input, e);
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return select(groups, e.op, param!, n);
    case 'count_values':
      return countValues(groups, label, n);
    default:
      return groups.map((g) => reduce(g, e.op, param, n));
  }
}

/** Prometheus's warnings for a quantile outside [0, 1] and a ratio outside [-1, 1] (which is capped). */
function warnParam(ev: Evaluator, e: Aggregate, param: Float64Array): void {
  for (const v of param) {
    if (e.op === 'quantile' && !(v >= 0 && v <= 1)) {
      ev.state.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(v)}`, e.param!);
      return;
    }
    if (e.op === 'limit_ratio' && (v < -1 || v > 1)) {
      const capped = v < -1 ? -1 : 1;
      ev.state.annotations.warn(
        `ratio value should be between -1 and 1, got ${goFloat(v)}, capping to ${capped}`,
        e.param!,
      );
      return;
    }
  }
}

function stringParam(e: Expr): string {
  while (e.type === 'paren') e = e.expr;
  if (e.type !== 'string') throw new PromqlError('VIGIL_PROMQL_EVAL', 'count_values: expected a string parameter');
  return e.value;
}

function groupSeries(input: StepSeries[], e: Aggregate): Group[] {
  const names = new Set(e.grouping);
  const keepsName = !e.without && names.has(NAME);
  if (e.without) names.add(NAME);
  const byKey = new Map<string, Group>();
  const out: Group[] = [];
  for (const s of input) {
    const labels = e.without ? dropLabels(s.labels, names) : keepLabels(s.labels, names);
    const key = labelsKey(labels);
    let g = byKey.get(key);
    if (!g) {
      g = { labels, members: [], dropName: false };
      byKey.set(key, g);
      out.push(g);
    }
    g.members.push(s);
    if (keepsName && s.dropName) g.dropName = true;
  }
  return out;
}

function reduce(g: Group, op: Aggregate['op'], param: Float64Array | undefined, n: number): StepSeries {
  const only = g.members.length === 1 ? g.members[0]! : undefined;
  if (only && (op === 'sum' || op === 'avg' || op === 'min' || op === 'max' || op === 'count' || op === 'group')) {
    // One member: its values are the result (1 for count and group); the common `sum by (instance)` case.
    const values = op === 'count' || op === 'group' ? new Float64Array(n).fill(1) : only.values;
    return { labels: g.labels, values, present: only.present, dropName: g.dropName };
  }
  const out = newSeries(g.labels, n, g.dropName);
  const { values, present } = out;
  const count = new Float64Array(n);
  const compensates = op === 'sum' || op === 'avg';
  const c = compensates ? new Float64Array(n) : count;
  const mean = op === 'avg' || op === 'stddev' || op === 'stdvar' ? new Float64Array(n) : count;
  const incremental = op === 'avg' ? new Uint8Array(n) : present;
  const collected: number[][] | undefined = op === 'quantile' ? Array.from({ length: n }, () => []) : undefined;
  for (const s of g.members) {
    const sv = s.values;
    const sp = s.present;
    for (let i = 0; i < n; i++) {
      if (sp[i] !== 1) continue;
      const v = sv[i]!;
      const k = ++count[i]!;
      count[i] = k;
      const first = present[i] === 0;
      present[i] = 1;
      switch (op) {
        case 'sum':
          if (first) values[i] = v;
          else {
            kahanInc(v, values[i]!, c[i]!);
            values[i] = kahan.sum;
            c[i] = kahan.c;
          }
          break;
        case 'avg':
          if (first) values[i] = v;
          else if (incremental[i] === 0) {
            kahanInc(v, values[i]!, c[i]!);
            if (Number.isFinite(kahan.sum) || Number.isNaN(kahan.sum)) {
              values[i] = kahan.sum;
              c[i] = kahan.c;
              break;
            }
            incremental[i] = 1;
            mean[i] = values[i]! / (k - 1);
            c[i] = c[i]! / (k - 1);
            avgStep(mean, c, i, v, k);
          } else avgStep(mean, c, i, v, k);
          break;
        case 'count':
          values[i] = k;
          break;
        case 'group':
          values[i] = 1;
          break;
        case 'min':
          if (first || v < values[i]! || Number.isNaN(values[i]!)) values[i] = v;
          break;
        case 'max':
          if (first || v > values[i]! || Number.isNaN(values[i]!)) values[i] = v;
          break;
        case 'stddev':
        case 'stdvar': {
          if (first) {
            mean[i] = 0;
            values[i] = 0;
          }
          const delta = v - mean[i]!;
          mean[i] = mean[i]! + delta / k;
          values[i] = values[i]! + delta * (v - mean[i]!);
          break;
        }
        case 'quantile':
          collected![i]!.push(v);
          break;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (present[i] !== 1) continue;
    switch (op) {
      case 'sum':
        if (Number.isFinite(values[i]!)) values[i] = values[i]! + c[i]!;
        break;
      case 'avg':
        values[i] = incremental[i] === 1 ? mean[i]! + c[i]! : values[i]! / count[i]! + c[i]! / count[i]!;
        break;
      case 'stdvar':
        values[i] = values[i]! / count[i]!;
        break;
      case 'stddev':
        values[i] = Math.sqrt(values[i]! / count[i]!);
        break;
      case 'quantile': {
        const vs = collected![i]!;
        values[i] = quantileOf(param![i]!, vs, vs.length);
        break;
      }
    }
  }
  return out;
}

function avgStep(mean: Float64Array, c: Float64Array, i: number, v: number, k: number): void {
  const q = (k - 1) / k;
  kahanInc(v / k, q * mean[i]!, q * c[i]!);
  mean[i] = kahan.sum;
  c[i] = kahan.c;
}

/** topk, bottomk, limitk, limit_ratio: members of each group kept step by step, labels unchanged. */
function select(groups: Group[], op: Aggregate['op'], param: Float64Array, n: number): StepSeries[] {
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(param[i]!)) {
      throw new PromqlError(
        'VIGIL_PROMQL_EVAL',
        op === 'limit_ratio' ? 'Ratio value is NaN' : 'Parameter value is NaN',
      );
    }
  }
  const out: StepSeries[] = [];
  const best: number[] = [];
  for (const g of groups) {
    const members = g.members;
    const picked: (StepSeries | undefined)[] = new Array(members.length);
    const pick = (m: number, i: number): StepSeries => {
      let p = picked[m];
      if (!p) {
        p = newSeries(members[m]!.labels, n, members[m]!.dropName);
        picked[m] = p;
      }
      p.present[i] = 1;
      p.values[i] = members[m]!.values[i]!;
      return p;
    };
    for (let i = 0; i < n; i++) {
      if (op === 'limit_ratio') {
        const ratio = Math.max(-1, Math.min(1, param[i]!));
        for (let m = 0; m < members.length; m++) {
          if (members[m]!.present[i] !== 1) continue;
          const off = limitRatioOffset(members[m]!.labels);
          if ((ratio >= 0 && off < ratio) || (ratio < 0 && off >= 1 + ratio)) pick(m, i);
        }
        continue;
      }
      const k = Math.trunc(Math.min(param[i]!, Number.MAX_SAFE_INTEGER));
      if (k < 1) continue;
      best.length = 0;
      if (op === 'limitk') {
        for (let m = 0; m < members.length && best.length < k; m++) if (members[m]!.present[i] === 1) best.push(m);
      } else rank(members, i, k, op === 'topk', best);
      for (const m of best) {
        const p = pick(m, i);
        // An instant query returns each group's series in ranked order.
        if (n === 1) out.push(p);
      }
    }
    if (n !== 1 || op === 'limit_ratio') for (const p of picked) if (p) out.push(p);
  }
  return out;
}

/** The k best members at step i into `best`, best first; ties keep the earlier member, NaN ranks last. */
function rank(members: StepSeries[], i: number, k: number, top: boolean, best: number[]): void {
  const better = (a: number, b: number): boolean => {
    if (Number.isNaN(b)) return !Number.isNaN(a);
    return top ? a > b : a < b;
  };
  for (let m = 0; m < members.length; m++) {
    const s = members[m]!;
    if (s.present[i] !== 1) continue;
    const v = s.values[i]!;
    if (best.length === k) {
      if (!better(v, members[best[k - 1]!]!.values[i]!)) continue;
      best.pop();
    }
    let j = best.length;
    best.push(m);
    while (j > 0 && better(v, members[best[j - 1]!]!.values[i]!)) {
      best[j] = best[j - 1]!;
      j--;
    }
    best[j] = m;
  }
}

function countValues(groups: Group[], label: string, n: number): StepSeries[] {
  if (label === '' || !isValidUtf8(label))
    throw new PromqlError('VIGIL_PROMQL_EVAL', `invalid label name ${goQuote(label)}`);
  const byKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  for (const g of groups) {
    for (const s of g.members) {
      for (let i = 0; i < n; i++) {
        if (s.present[i] !== 1) continue;
        const labels = setLabel(g.labels, label, formatGoFloat(s.values[i]!));
        const key = labelsKey(labels);
        let r = byKey.get(key);
        if (!r) {
          r = newSeries(labels, n, false);
          byKey.set(key, r);
          out.push(r);
        }
        r.values[i] = r.present[i] === 1 ? r.values[i]! + 1 : 1;
        r.present[i] = 1;
      }
    }
  }
  return out;
}
