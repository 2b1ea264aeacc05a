import type { Matcher } from '@vigil/promql';

/** A series of a query result: labels and its samples (ms, value). */
export interface ResultSeries {
  metric: Record<string, string>;
  /** Instant queries: the one sample; range queries: every step that has one. */
  points: { t: number; v: number }[];
}

/** What a PromQL evaluation returns, before it is written as Prometheus JSON. */
export type QueryResult =
  | { resultType: 'vector' | 'matrix'; series: ResultSeries[] }
  | { resultType: 'scalar'; t: number; v: number }
  | { resultType: 'string'; t: number; value: string };

/** The query side the API needs; the PromQL engine provides it. */
export interface QueryEngine {
  instant(expr: string, timeMs: number, timeoutMs: number | undefined): Promise<QueryResult>;
  range(
    expr: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    timeoutMs: number | undefined,
  ): Promise<QueryResult>;
  /** Parses a series selector of `match[]` (`up{job="api"}`) into matchers; throws on a bad selector. */
  selector(text: string): Matcher[];
}
