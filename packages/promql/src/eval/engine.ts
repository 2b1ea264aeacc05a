// The public entry: instant and range queries over a Querier, with limits, returning Prometheus API shapes.
import { PromqlError } from '../errors.js';
import type { Expr } from '../parse/ast.js';
import { typeOf } from '../parse/ast.js';
import { parseExpr } from '../parse/parser.js';
import type { Querier } from '../storage/querier.js';
import { Annotations } from './annotations.js';
import { Evaluator } from './evaluator.js';
import { compareLabels, dropName, labelsKey, labelsToRecord } from './labels.js';
import { QueryState } from './state.js';
import type { RangeSeries, StepSeries } from './values.js';
import { SeriesCollector } from './values.js';

/** Engine options; every limit has Prometheus's default. */
export interface EngineOptions {
  /** How far back an instant selector looks for a sample (default 5 min). */
  lookbackDeltaMs?: number;
  /** Query timeout (default 2 min). */
  timeoutMs?: number;
  /** Most samples a query may hold (default 50,000,000). */
  maxSamples?: number;
  /** Most points per series a range query may return (default 11,000). */
  maxPointsPerSeries?: number;
  /** Step of a subquery written without one, `[10m:]` (default 1 min). */
  defaultSubqueryStepMs?: number;
  /** Allow Prometheus's experimental functions (default true). */
  experimentalFunctions?: boolean;
  /** The clock for timeouts (default Date.now). */
  now?: () => number;
}

/** One series of an instant vector: labels and [seconds, value]. */
export interface InstantSample {
  metric: Record<string, string>;
  value: [number, number];
}

/** One series of a matrix: labels and [seconds, value] points. */
export interface RangeSamples {
  metric: Record<string, string>;
  values: [number, number][];
}

/** Warnings and infos of a query (the API's `warnings` and `infos`); absent when there are none. */
export interface QueryAnnotations {
  warnings?: string[];
  infos?: string[];
}

/** A query result, shaped as the Prometheus HTTP API's `data` (values as numbers, times in seconds). */
export type QueryResult = (
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'matrix'; result: RangeSamples[] }
  | { resultType: 'scalar'; result: [number, number] }
  | { resultType: 'string'; result: [number, string] }
) &
  QueryAnnotations;

/** A range query's series as columns: timestamps in ms and values, index by index. */
export interface SeriesColumns {
  metric: Record<string, string>;
  timestamps: Float64Array;
  values: Float64Array;
}

/** What rangeQueryColumns returns. */
export interface ColumnsResult extends QueryAnnotations {
  resultType: 'matrix';
  result: SeriesColumns[];
}

/** A PromQL engine: stateless between queries, safe to share. */
export class Engine {
  private readonly lookbackMs: number;
  private readonly timeoutMs: number;
  private readonly maxSamples: number;
  private readonly maxPoints: number;
  private readonly subqueryStepMs: number;
  private readonly experimental: boolean;
  private readonly now: () => number;

  constructor(options: EngineOptions = {}) {
    this.lookbackMs = positive(options.lookbackDeltaMs ?? 300_000, 'lookbackDeltaMs');
    this.timeoutMs = positive(options.timeoutMs ?? 120_000, 'timeoutMs');
    this.maxSamples = positive(options.maxSamples ?? 50_000_000, 'maxSamples');
    this.maxPoints = positive(options.maxPointsPerSeries ?? 11_000, 'maxPointsPerSeries');
    this.subqueryStepMs = positive(options.defaultSubqueryStepMs ?? 60_000, 'defaultSubqueryStepMs');
    this.experimental = options.experimentalFunctions ?? true;
    this.now = options.now ?? Date.now;
  }

  /** Parses an expression with this engine's settings. */
  parse(expr: string): Expr {
    return parseExpr(expr, { experimentalFunctions: this.experimental });
  }

  /** Evaluates `expr` at one time (ms). */
  instantQuery(querier: Querier, expr: string | Expr, timeMs: number): QueryResult {
    finite(timeMs, 'time');
    const e = typeof expr === 'string' ? this.parse(expr) : expr;
    const state = this.state(querier, expr, timeMs, timeMs, 0);
    const v = new Evaluator(state, timeMs, timeMs, 0).eval(e);
    const t = timeMs / 1000;
    let result: QueryResult;
    switch (v.kind) {
      case 'scalar':
        result = { resultType: 'scalar', result: [t, v.values[0]!] };
        break;
      case 'string':
        result = { resultType: 'string', result: [t, v.value] };
        break;
      case 'vector':
        result = {
          resultType: 'vector',
          result: finish(v.series, 1).map((s) => ({ metric: labelsToRecord(s.labels), value: [t, s.values[0]!] })),
        };
        break;
      case 'matrix':
        result = { resultType: 'matrix', result: finishMatrix(v.series) };
        break;
    }
    return annotate(result, state.annotations);
  }

  /** Evaluates `expr` at start, start+step, ... end (ms); the result is a matrix sorted by labels. */
  rangeQuery(querier: Querier, expr: string | Expr, startMs: number, endMs: number, stepMs: number): QueryResult {
    const { result, warnings, infos } = this.rangeQueryColumns(querier, expr, startMs, endMs, stepMs);
    const annotations: QueryAnnotations = {};
    if (warnings) annotations.warnings = warnings;
    if (infos) annotations.infos = infos;
    return {
      resultType: 'matrix',
      result: result.map((s) => {
        const values: [number, number][] = new Array(s.timestamps.length);
        for (let i = 0; i < s.timestamps.length; i++) values[i] = [s.timestamps[i]! / 1000, s.values[i]!];
        return { metric: s.metric, values };
      }),
      ...annotations,
    };
  }

  /**
   * rangeQuery with each series' points in two typed arrays (timestamps in ms) instead of one [t, v] pair per
   * point: what a server streaming JSON or a chart (uPlot takes columns) wants for thousands of series.
   */
  rangeQueryColumns(
    querier: Querier,
    expr: string | Expr,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): ColumnsResult {
    finite(startMs, 'start');
    finite(endMs, 'end');
    if (!(stepMs > 0) || !Number.isFinite(stepMs)) {
      throw new PromqlError(
        'VIGIL_PROMQL_BAD_OPTION',
        `zero or negative query resolution step widths are not accepted (step ${stepMs} ms)`,
      );
    }
    if (endMs < startMs)
      throw new PromqlError('VIGIL_PROMQL_BAD_OPTION', 'end timestamp must not be before start time');
    const points = Math.floor((endMs - startMs) / stepMs) + 1;
    if (points > this.maxPoints) {
      throw new PromqlError(
        'VIGIL_PROMQL_TOO_MANY_POINTS',
        `exceeded maximum resolution of ${this.maxPoints.toLocaleString('en-US')} points per timeseries (${points} asked). Try decreasing the query resolution (?step=XX)`,
      );
    }
    const e = typeof expr === 'string' ? this.parse(expr) : expr;
    const type = typeOf(e);
    if (type !== 'scalar' && type !== 'vector') {
      throw new PromqlError(
        'VIGIL_PROMQL_EVAL',
        `invalid expression type "${type === 'matrix' ? 'range vector' : type}" for range query, must be Scalar or instant Vector`,
      );
    }
    const state = this.state(querier, expr, startMs, endMs, stepMs);
    const ev = new Evaluator(state, startMs, endMs, stepMs);
    const v = ev.eval(e);
    let series: StepSeries[];
    if (v.kind === 'scalar') {
      series = [{ labels: [], values: v.values, present: new Uint8Array(ev.n).fill(1), dropName: false }];
    } else if (v.kind === 'vector') series = finish(v.series, ev.n);
    else throw new PromqlError('VIGIL_PROMQL_EVAL', `unexpected ${v.kind} result for a range query`);
    series.sort((a, b) => compareLabels(a.labels, b.labels));
    return annotate<ColumnsResult>(
      {
        resultType: 'matrix',
        result: series.map((s) => {
          const { present } = s;
          let len = 0;
          let first = -1;
          let last = -1;
          for (let i = 0; i < ev.n; i++) {
            if (present[i] === 1) {
              len++;
              if (first < 0) first = i;
              last = i;
            }
          }
          // The common case, points at consecutive steps (a rate has none before its first window fills), needs no copy.
          if (len === last - first + 1) {
            const all = len === ev.n;
            return {
              metric: labelsToRecord(s.labels),
              timestamps: all ? ev.times : ev.times.subarray(first, last + 1),
              values: all ? s.values : s.values.subarray(first, last + 1),
            };
          }
          const timestamps = new Float64Array(len);
          const values = new Float64Array(len);
          for (let i = 0, k = 0; i < ev.n; i++) {
            if (s.present[i] === 1) {
              timestamps[k] = ev.times[i]!;
              values[k++] = s.values[i]!;
            }
          }
          return { metric: labelsToRecord(s.labels), timestamps, values };
        }),
      },
      state.annotations,
    );
  }

  private state(querier: Querier, expr: string | Expr, start: number, end: number, step: number): QueryState {
    return new QueryState(
      querier,
      this.lookbackMs,
      this.subqueryStepMs,
      this.maxSamples,
      this.now() + this.timeoutMs,
      this.timeoutMs,
      this.now,
      start,
      end,
      step,
      new Annotations(typeof expr === 'string' ? expr : ''),
    );
  }
}

function annotate<T extends QueryAnnotations>(result: T, a: Annotations): T {
  if (a.warnings.size > 0) result.warnings = [...a.warnings];
  if (a.infos.size > 0) result.infos = [...a.infos];
  return result;
}

/** Drops metric names marked for dropping, then refuses two series that became equal at one step. */
function finish(series: StepSeries[], n: number): StepSeries[] {
  const live = series.filter((s) => s.present.includes(1));
  if (!live.some((s) => s.dropName)) return live;
  // Dropping names rarely makes two series equal: unless it does, relabel each series without copying its points.
  const seen = new Set<string>();
  const out: StepSeries[] = new Array(live.length);
  for (let i = 0; i < live.length; i++) {
    const s = live[i]!;
    const labels = s.dropName ? dropName(s.labels) : s.labels;
    const key = labelsKey(labels);
    if (seen.has(key)) return merge(live, n);
    seen.add(key);
    out[i] = { labels, values: s.values, present: s.present, dropName: false };
  }
  return out;
}

function merge(series: StepSeries[], n: number): StepSeries[] {
  const c = new SeriesCollector(n);
  for (const s of series) {
    const out = c.get(s.dropName ? dropName(s.labels) : s.labels, false);
    for (let i = 0; i < n; i++) if (s.present[i] === 1) SeriesCollector.set(out, i, s.values[i]!);
  }
  return c.series;
}

function finishMatrix(series: RangeSeries[]): RangeSamples[] {
  const out = series.map((s) => ({
    labels: s.dropName ? dropName(s.labels) : s.labels,
    values: Array.from({ length: s.len }, (_, i) => [s.ts[i]! / 1000, s.vs[i]!] as [number, number]),
  }));
  out.sort((a, b) => compareLabels(a.labels, b.labels));
  return out.map((s) => ({ metric: labelsToRecord(s.labels), values: s.values }));
}

function positive(v: number, name: string): number {
  if (!(v > 0) || !Number.isFinite(v))
    throw new PromqlError('VIGIL_PROMQL_BAD_OPTION', `${name} must be a positive number, got ${v}`);
  return v;
}

function finite(v: number, name: string): void {
  if (!Number.isFinite(v))
    throw new PromqlError('VIGIL_PROMQL_BAD_OPTION', `${name} must be a finite time in ms, got ${v}`);
}
