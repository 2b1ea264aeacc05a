import { StoreError } from '../errors.js';
import { order, page, show, timeRange } from '../validate.js';
import type { InvocationQuery, InvocationRecord } from './types.js';

/** The equality filters of an invocation query, by column. */
export const INVOCATION_FILTERS = ['task_type', 'user_id', 'app_id', 'session_id', 'correlation_id', 'status'] as const;

/** An invocation query validated, with defaults filled in. */
export interface InvocationFilter {
  since: number | null;
  until: number | null;
  model: string | null;
  equal: [column: (typeof INVOCATION_FILTERS)[number], value: string][];
  limit: number;
  offset: number;
  order: 'asc' | 'desc';
}

/** Validates a query; a StoreError (VIGIL_STORE_BAD_QUERY) names the bad filter. */
export function invocationFilter(query: InvocationQuery = {}): InvocationFilter {
  const equal: InvocationFilter['equal'] = [];
  for (const column of INVOCATION_FILTERS) {
    const value = query[column];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      throw new StoreError('VIGIL_STORE_BAD_QUERY', `${column} must be a non-empty string, got ${show(value)}`);
    }
    equal.push([column, value]);
  }
  if (query.model !== undefined && (typeof query.model !== 'string' || query.model === '')) {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `model must be a non-empty string, got ${show(query.model)}`);
  }
  return {
    ...timeRange(query.since, query.until),
    model: query.model ?? null,
    equal,
    ...page(query.limit, query.offset),
    order: order(query.order),
  };
}

/** True when `row` passes every filter (limit and offset aside). */
export function matchesInvocation(row: InvocationRecord, f: InvocationFilter): boolean {
  return (
    (f.since === null || row.ts >= f.since) &&
    (f.until === null || row.ts < f.until) &&
    (f.model === null || row.model_alias === f.model || row.model_actual === f.model) &&
    f.equal.every(([column, value]) => row[column] === value)
  );
}

/** Orders by ts, then id, so pages never overlap. */
export function compareInvocations(a: InvocationRecord, b: InvocationRecord): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
