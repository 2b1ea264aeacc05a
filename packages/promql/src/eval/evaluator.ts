// Evaluates a syntax tree over all steps of a query at once (an instant query is a range query of one step).
import { aggregate } from '../aggregations/aggregate.js';
import { binary } from '../binary/binary.js';
import { PromqlError } from '../errors.js';
import { callFunction } from '../functions/call.js';
import type { Expr, MatrixSelector, Subquery } from '../parse/ast.js';
import type { RangeVisitor } from './selectors.js';
import { eachRange, resolveAt, selectInstant } from './selectors.js';
import type { QueryState } from './state.js';
import type { RangeSeries, StepSeries, Value } from './values.js';

/** How each step's window of a range-vector argument is placed. */
export interface RangeWindows {
  rangeMs: number;
  offsetMs: number;
  at: Subquery['at'];
}

/** A range-vector argument: its series and how each step's window is placed. */
export interface RangeArg extends RangeWindows {
  series: RangeSeries[];
}

/** A range-vector argument read series by series, once. */
export interface RangeSource extends RangeWindows {
  each(visit: RangeVisitor): void;
}

/** Evaluates expressions at `times` (start, start+step, ... end). */
export class Evaluator {
  readonly n: number;
  readonly times: Float64Array;

  constructor(
    readonly state: QueryState,
    readonly start: number,
    readonly end: number,
    readonly step: number,
  ) {
    this.n = step > 0 ? Math.floor((end - start) / step) + 1 : 1;
    this.times = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) this.times[i] = start + i * step;
  }

  eval(e: Expr): Value {
    this.state.checkTimeout();
    switch (e.type) {
      case 'number':
        return { kind: 'scalar', values: new Float64Array(this.n).fill(e.value) };
      case 'string':
        return { kind: 'string', value: e.value };
      case 'paren':
        return this.eval(e.expr);
      case 'unary':
        return this.unary(e.op, this.eval(e.expr));
      case 'vectorSelector':
        return { kind: 'vector', series: selectInstant(e, this.times, this.state) };
      case 'matrixSelector':
      case 'subquery':
        return { kind: 'matrix', series: this.windowAtEnd(this.rangeArg(e)) };
      case 'call':
        return callFunction(this, e);
      case 'aggregate':
        return { kind: 'vector', series: aggregate(this, e) };
      case 'binary':
        return binary(this, e);
    }
  }

  /** Evaluates an expression of scalar type to one value per step. */
  scalar(e: Expr): Float64Array {
    const v = this.eval(e);
    if (v.kind !== 'scalar') throw new PromqlError('VIGIL_PROMQL_EVAL', `expected scalar, got ${v.kind}`);
    return v.values;
  }

  /** Evaluates an expression of instant-vector type. */
  vector(e: Expr): StepSeries[] {
    const v = this.eval(e);
    if (v.kind !== 'vector') throw new PromqlError('VIGIL_PROMQL_EVAL', `expected instant vector, got ${v.kind}`);
    return v.series;
  }

  /** Evaluates a range-vector argument (a matrix selector or a subquery, maybe in parentheses). */
  rangeArg(e: Expr): RangeArg {
    while (e.type === 'paren') e = e.expr;
    if (e.type === 'matrixSelector') return this.matrixSelector(e);
    if (e.type === 'subquery') return this.subquery(e);
    throw new PromqlError('VIGIL_PROMQL_EVAL', `expected range vector, got ${e.type}`);
  }

  /**
   * A range-vector argument to visit once: a matrix selector's samples stream through a reused buffer instead of
   * being copied per series, which is what a range function over every series needs.
   */
  rangeSource(e: Expr): RangeSource {
    while (e.type === 'paren') e = e.expr;
    if (e.type === 'matrixSelector') return this.matrixSource(e);
    const arg = this.rangeArg(e);
    return { rangeMs: arg.rangeMs, offsetMs: arg.offsetMs, at: arg.at, each: (visit) => arg.series.forEach(visit) };
  }

  /** The window end (ms, inclusive) of step i for a range argument. */
  windowEnd(arg: RangeWindows, i: number): number {
    return resolveAt(arg.at, this.times[i]!, this.state) - arg.offsetMs;
  }

  private matrixSelector(e: MatrixSelector): RangeArg {
    const src = this.matrixSource(e);
    const series: RangeSeries[] = [];
    src.each((s) => {
      series.push({
        labels: s.labels,
        ts: s.ts.slice(0, s.len),
        vs: s.vs.slice(0, s.len),
        len: s.len,
        dropName: false,
      });
    });
    return { series, rangeMs: src.rangeMs, offsetMs: src.offsetMs, at: src.at };
  }

  private matrixSource(e: MatrixSelector): RangeSource {
    const vs = e.selector;
    const first = this.windowEndOf(vs.at, vs.offsetMs, 0);
    const last = this.windowEndOf(vs.at, vs.offsetMs, this.n - 1);
    const state = this.state;
    return {
      rangeMs: e.rangeMs,
      offsetMs: vs.offsetMs,
      at: vs.at,
      each: (visit) => eachRange(vs, first - e.rangeMs + 1, last, state, visit),
    };
  }

  private windowEndOf(at: Subquery['at'], offsetMs: number, i: number): number {
    return resolveAt(at, this.times[i]!, this.state) - offsetMs;
  }

  private subquery(e: Subquery): RangeArg {
    const step = e.stepMs > 0 ? e.stepMs : this.state.defaultSubqueryStepMs;
    const outerStart = resolveAt(e.at, this.start, this.state);
    const outerEnd = resolveAt(e.at, this.end, this.state);
    const end = outerEnd - e.offsetMs;
    const lowest = outerStart - e.offsetMs - e.rangeMs;
    let start = Math.trunc(lowest / step) * step;
    if (start <= lowest) start += step;
    const series: RangeSeries[] = [];
    if (start <= end) {
      const steps = Math.floor((end - start) / step) + 1;
      if (steps > this.state.maxSamples) this.state.addSamples(steps);
      const inner = new Evaluator(this.state, start, end, step);
      for (const s of inner.vector(e.expr)) {
        let len = 0;
        for (let i = 0; i < inner.n; i++) len += s.present[i]!;
        if (len === 0) continue;
        const ts = new Float64Array(len);
        const vs = new Float64Array(len);
        let k = 0;
        for (let i = 0; i < inner.n; i++) {
          if (s.present[i] === 1) {
            ts[k] = inner.times[i]!;
            vs[k++] = s.values[i]!;
          }
        }
        this.state.addSamples(len);
        series.push({ labels: s.labels, ts, vs, len, dropName: s.dropName });
      }
    }
    return { series, rangeMs: e.rangeMs, offsetMs: e.offsetMs, at: e.at };
  }

  /** A range vector as a value: each series' samples in the last step's window. */
  private windowAtEnd(arg: RangeArg): RangeSeries[] {
    const end = this.windowEnd(arg, this.n - 1);
    const start = end - arg.rangeMs;
    const out: RangeSeries[] = [];
    for (const s of arg.series) {
      let lo = 0;
      while (lo < s.len && s.ts[lo]! <= start) lo++;
      let hi = lo;
      while (hi < s.len && s.ts[hi]! <= end) hi++;
      if (hi > lo) out.push({ ...s, ts: s.ts.subarray(lo, hi), vs: s.vs.subarray(lo, hi), len: hi - lo });
    }
    return out;
  }

  private unary(op: '-' | '+', v: Value): Value {
    if (op === '+') return v;
    if (v.kind === 'scalar') return { kind: 'scalar', values: v.values.map((x) => -x) };
    if (v.kind !== 'vector') return v;
    return {
      kind: 'vector',
      series: v.series.map((s) => ({
        labels: s.labels,
        values: s.values.map((x) => -x),
        present: s.present,
        dropName: true,
      })),
    };
  }
}
