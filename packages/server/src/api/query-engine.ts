import type { Matcher } from '@vigil/promql';
import {
  type ColumnsResult,
  Engine,
  type EngineOptions,
  parseExpr,
  type Querier,
  type QueryResult,
} from '@vigil/promql';

/** The query side the API needs; `promqlEngine` provides it over a Querier. */
export interface QueryEngine {
  instant(expr: string, timeMs: number, timeoutMs: number | undefined): QueryResult;
  /** A range query's series as typed-array columns (what the API writes straight to JSON). */
  range(expr: string, startMs: number, endMs: number, stepMs: number, timeoutMs: number | undefined): ColumnsResult;
  /** Parses a series selector of `match[]` (`up{job="api"}`) into matchers; throws on anything else. */
  selector(text: string): Matcher[];
}

/**
 * The PromQL engine over a store. A request's `timeout` can shorten the configured query
 * timeout, never lengthen it (as Prometheus's `--query.timeout`).
 */
export function promqlEngine(querier: () => Querier, options: EngineOptions = {}): QueryEngine {
  const engine = new Engine(options);
  const limit = options.timeoutMs ?? 120_000;
  const engineFor = (timeoutMs: number | undefined) =>
    timeoutMs === undefined || timeoutMs >= limit ? engine : new Engine({ ...options, timeoutMs });
  return {
    instant: (expr, timeMs, timeoutMs) => engineFor(timeoutMs).instantQuery(querier(), expr, timeMs),
    range: (expr, startMs, endMs, stepMs, timeoutMs) =>
      engineFor(timeoutMs).rangeQueryColumns(querier(), expr, startMs, endMs, stepMs),
    selector: parseSelector,
  };
}

/** The matchers of a series selector (`up{job="api"}`); throws on a bad one or on any other expression. */
export function parseSelector(text: string): Matcher[] {
  const expr = parseExpr(text);
  if (expr.type !== 'vectorSelector') throw new Error(`"${text}" is not a series selector such as up{job="api"}`);
  return expr.matchers;
}
