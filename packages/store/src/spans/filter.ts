import { StoreError } from '../errors.js';
import { type Cursor, decodeCursor } from '../logs/cursor.js';
import { isAfter } from '../logs/filter.js';
import { page, show, timeRange } from '../validate.js';
import type { SpanQuery, SpanRecord } from './types.js';

/** A span query validated, with defaults filled in. */
export interface SpanFilter {
  since: number | null;
  until: number | null;
  equal: [column: 'trace_id' | 'correlation_id' | 'service' | 'name' | 'status', value: string][];
  minDuration: number | null;
  limit: number;
  after: Cursor | null;
  order: 'asc' | 'desc';
}

const EQUAL = ['trace_id', 'correlation_id', 'service', 'name', 'status'] as const;

/** Validates a query; a StoreError (VIGIL_STORE_BAD_QUERY) names the bad filter. */
export function spanFilter(query: SpanQuery = {}): SpanFilter {
  const equal: SpanFilter['equal'] = [];
  for (const column of EQUAL) {
    const value = query[column];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      throw new StoreError('VIGIL_STORE_BAD_QUERY', `${column} must be a non-empty string, got ${show(value)}`);
    }
    equal.push([column, column === 'trace_id' ? value.toLowerCase() : value]);
  }
  const min = query.min_duration_ms;
  if (min !== undefined && (typeof min !== 'number' || !Number.isFinite(min) || min < 0)) {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `min_duration_ms must be a finite number ≥ 0, got ${show(min)}`);
  }
  const order = query.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `order must be "asc" or "desc", got ${show(order)}`);
  }
  return {
    ...timeRange(query.since, query.until),
    equal,
    minDuration: min ?? null,
    limit: page(query.limit, 0).limit,
    after: decodeCursor(query.cursor),
    order,
  };
}

/** True when `row` passes every filter (limit aside; the cursor included). */
export function matchesSpan(row: SpanRecord, f: SpanFilter): boolean {
  return (
    (f.since === null || row.ts >= f.since) &&
    (f.until === null || row.ts < f.until) &&
    (f.minDuration === null || row.duration_ms >= f.minDuration) &&
    f.equal.every(([column, value]) => row[column] === value) &&
    (f.after === null || isAfter(row, f.after, f.order))
  );
}
