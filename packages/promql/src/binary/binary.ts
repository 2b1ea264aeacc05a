// Binary operators between scalars and vectors: arithmetic, comparisons (filter or bool), and/or/unless, with
// on/ignoring and group_left/group_right matching as Prometheus defines them.
import { PromqlError } from '../errors.js';
import type { Evaluator } from '../eval/evaluator.js';
import { compareLabels, dropLabels, getLabel, keepLabels, labelsKey, NAME, setLabel } from '../eval/labels.js';
import type { StepSeries, Value } from '../eval/values.js';
import { newSeries, SeriesCollector } from '../eval/values.js';
import type { Binary, VectorMatching } from '../parse/ast.js';
import type { Label } from '../storage/querier.js';
import { arithmetic, comparison } from './operators.js';

/** Evaluates a binary expression. */
export function binary(ev: Evaluator, e: Binary): Value {
  const lhs = ev.eval(e.lhs);
  const rhs = ev.eval(e.rhs);
  const n = ev.n;
  const arith = arithmetic(e.op);
  const cmp = comparison(e.op);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = lhs.values[i]!;
      const b = rhs.values[i]!;
      out[i] = arith ? arith(a, b) : cmp!(a, b) ? 1 : 0;
    }
    return { kind: 'scalar', values: out };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar')
    return { kind: 'vector', series: vectorScalar(lhs.series, rhs.values, false, e, n) };
  if (lhs.kind === 'scalar' && rhs.kind === 'vector')
    return { kind: 'vector', series: vectorScalar(rhs.series, lhs.values, true, e, n) };
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector')
    throw new PromqlError('VIGIL_PROMQL_EVAL', 'binary operands must be scalars or instant vectors');
  const matching = e.matching!;
  switch (e.op) {
    case 'and':
      return { kind: 'vector', series: setAnd(lhs.series, rhs.series, matching, n, true) };
    case 'unless':
      return { kind: 'vector', series: setAnd(lhs.series, rhs.series, matching, n, false) };
    case 'or':
      return { kind: 'vector', series: setOr(lhs.series, rhs.series, matching, n) };
    default:
      return { kind: 'vector', series: vectorVector(lhs.series, rhs.series, e, matching, n) };
  }
}

function vectorScalar(
  vec: StepSeries[],
  scalar: Float64Array,
  scalarLeft: boolean,
  e: Binary,
  n: number,
): StepSeries[] {
  const arith = arithmetic(e.op);
  const cmp = comparison(e.op);
  const out: StepSeries[] = [];
  for (const s of vec) {
    const r = newSeries(s.labels, n, s.dropName || arith !== undefined || e.bool);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1) continue;
      const v = s.values[i]!;
      const c = scalar[i]!;
      const a = scalarLeft ? c : v;
      const b = scalarLeft ? v : c;
      if (arith) r.values[i] = arith(a, b);
      else {
        const keep = cmp!(a, b);
        if (e.bool) r.values[i] = keep ? 1 : 0;
        else if (keep) r.values[i] = v;
        else continue;
      }
      r.present[i] = 1;
      any = true;
    }
    if (any) out.push(r);
  }
  return out;
}

/** The signature function of a matching: on(labels) keeps them, otherwise they and the name are ignored. */
function signer(m: VectorMatching): (ls: readonly Label[]) => string {
  if (m.on) {
    const keep = new Set(m.labels);
    return (ls) => labelsKey(keepLabels(ls, keep));
  }
  const drop = new Set([NAME, ...m.labels]);
  return (ls) => labelsKey(dropLabels(ls, drop));
}

/** Per signature, the steps at which some series of `side` has a value. */
function presenceBySignature(
  side: StepSeries[],
  sig: (ls: readonly Label[]) => string,
  n: number,
): Map<string, Uint8Array> {
  const map = new Map<string, Uint8Array>();
  for (const s of side) {
    const k = sig(s.labels);
    let p = map.get(k);
    if (!p) {
      p = new Uint8Array(n);
      map.set(k, p);
    }
    for (let i = 0; i < n; i++) p[i]! |= s.present[i]!;
  }
  return map;
}

function copySeries(s: StepSeries, keep: (i: number) => boolean, n: number): StepSeries | undefined {
  const r = newSeries(s.labels, n, s.dropName);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (s.present[i] === 1 && keep(i)) {
      r.present[i] = 1;
      r.values[i] = s.values[i]!;
      any = true;
    }
  }
  return any ? r : undefined;
}

/** `and` (keep = true) and `unless` (keep = false). */
function setAnd(lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching, n: number, keep: boolean): StepSeries[] {
  const sig = signer(m);
  const right = presenceBySignature(rhs, sig, n);
  const out: StepSeries[] = [];
  for (const s of lhs) {
    const p = right.get(sig(s.labels));
    const r = copySeries(s, (i) => (p !== undefined && p[i] === 1) === keep, n);
    if (r) out.push(r);
  }
  return out;
}

function setOr(lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching, n: number): StepSeries[] {
  const sig = signer(m);
  const left = presenceBySignature(lhs, sig, n);
  const c = new SeriesCollector(n);
  const add = (s: StepSeries, keep: (i: number) => boolean) => {
    let out: StepSeries | undefined;
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1 || !keep(i)) continue;
      out ??= c.get(s.labels, s.dropName);
      SeriesCollector.set(out, i, s.values[i]!);
    }
  };
  for (const s of lhs) add(s, () => true);
  for (const s of rhs) {
    const p = left.get(sig(s.labels));
    add(s, (i) => p === undefined || p[i] === 0);
  }
  return c.series;
}

function vectorVector(lhs: StepSeries[], rhs: StepSeries[], e: Binary, m: VectorMatching, n: number): StepSeries[] {
  const arith = arithmetic(e.op);
  const cmp = comparison(e.op);
  const swapped = m.card === 'one-to-many';
  const many = swapped ? rhs : lhs;
  const one = swapped ? lhs : rhs;
  const sig = signer(m);
  const oneBySig = new Map<string, StepSeries[]>();
  for (const s of one) {
    const k = sig(s.labels);
    const list = oneBySig.get(k);
    if (list) list.push(s);
    else oneBySig.set(k, [s]);
  }
  for (const list of oneBySig.values()) if (list.length > 1) checkUniqueOneSide(list, many, sig, m, n);
  const manyCount = new Map<string, number>();
  const manySigs = many.map((s) => sig(s.labels));
  for (const k of manySigs) manyCount.set(k, (manyCount.get(k) ?? 0) + 1);
  const matchedAt = new Map<string, Uint8Array>();
  const c = new SeriesCollector(n);
  const resultLabels = new Map<string, Label[]>();
  for (let si = 0; si < many.length; si++) {
    const ms = many[si]!;
    const k = manySigs[si]!;
    const candidates = oneBySig.get(k);
    if (!candidates) continue;
    const shared = (manyCount.get(k) ?? 0) > 1;
    for (const os of candidates) {
      let out: StepSeries | undefined;
      for (let i = 0; i < n; i++) {
        if (ms.present[i] !== 1 || os.present[i] !== 1) continue;
        const a = swapped ? os.values[i]! : ms.values[i]!;
        const b = swapped ? ms.values[i]! : os.values[i]!;
        if (m.card === 'one-to-one' && shared) {
          // Checked before comparisons filter: Prometheus refuses the match even when the filter drops it.
          let seen = matchedAt.get(k);
          if (!seen) {
            seen = new Uint8Array(n);
            matchedAt.set(k, seen);
          }
          if (seen[i] === 1) {
            throw new PromqlError(
              'VIGIL_PROMQL_EVAL',
              'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
            );
          }
          seen[i] = 1;
        }
        let v: number;
        if (arith) v = arith(a, b);
        else {
          const keep = cmp!(a, b);
          if (e.bool) v = keep ? 1 : 0;
          else if (keep) v = ms.values[i]!;
          else continue;
        }
        if (!out) {
          const rk = `${labelsKey(ms.labels)}\x00${labelsKey(os.labels)}`;
          let labels = resultLabels.get(rk);
          if (!labels) {
            labels = resultMetric(ms.labels, os.labels, arith !== undefined, m);
            resultLabels.set(rk, labels);
          }
          out = c.get(labels, e.bool || (arith === undefined && ms.dropName));
        }
        if (out.present[i] === 1) {
          throw new PromqlError(
            'VIGIL_PROMQL_EVAL',
            m.card === 'one-to-one'
              ? 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'
              : 'multiple matches for labels: grouping labels must ensure unique matches',
          );
        }
        out.present[i] = 1;
        out.values[i] = v;
      }
    }
  }
  return c.series;
}

function checkUniqueOneSide(
  list: StepSeries[],
  many: StepSeries[],
  sig: (ls: readonly Label[]) => string,
  m: VectorMatching,
  n: number,
): void {
  const k = sig(list[0]!.labels);
  if (!many.some((s) => sig(s.labels) === k)) return;
  for (let i = 0; i < n; i++) {
    const at = list.filter((s) => s.present[i] === 1);
    if (at.length > 1) {
      const side = m.card === 'one-to-many' ? 'left' : 'right';
      const pair = [at[0]!, at[1]!].sort((x, y) => compareLabels(x.labels, y.labels));
      const group = m.on
        ? keepLabels(at[0]!.labels, new Set(m.labels))
        : dropLabels(at[0]!.labels, new Set([NAME, ...m.labels]));
      throw new PromqlError(
        'VIGIL_PROMQL_EVAL',
        `found duplicate series for the match group ${formatLabelSet(group)} on the ${side} hand-side of the operation: [${pair.map((x) => formatLabelSet(x.labels)).join(', ')}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
  }
}

function formatLabelSet(ls: readonly Label[]): string {
  return `{${ls.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

function resultMetric(many: Label[], one: Label[], arith: boolean, m: VectorMatching): Label[] {
  let ls = many;
  if (arith) ls = dropLabels(ls, new Set([NAME]));
  if (m.card === 'one-to-one') ls = m.on ? keepLabels(ls, new Set(m.labels)) : dropLabels(ls, new Set(m.labels));
  for (const name of m.include) ls = setLabel(ls, name, getLabel(one, name));
  return ls;
}
