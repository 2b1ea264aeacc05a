import { StoreError } from '../errors.js';
import { optionalString, show, toMillis } from '../validate.js';
import { LEVEL_SEVERITY, logLevel } from './levels.js';
import type { ErrorBucket, ErrorTimelineQuery, LogLevel } from './types.js';

const LEVELS = Object.keys(LEVEL_SEVERITY) as LogLevel[];

/** Most buckets one timeline may have. */
export const MAX_BUCKETS = 10_000;

/** An error timeline query validated. */
export interface TimelineFilter {
  since: number;
  until: number;
  step: number;
  service: string | null;
  /** The levels counted: the asked one and those above it. */
  levels: LogLevel[];
}

/** Validates a timeline query; a StoreError (VIGIL_STORE_BAD_QUERY) names the bad field. */
export function timelineFilter(query: ErrorTimelineQuery): TimelineFilter {
  if (typeof query !== 'object' || query === null) {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', 'the timeline query must be an object with since, until and step_ms');
  }
  const since = toMillis(query.since, 'since', 'VIGIL_STORE_BAD_QUERY');
  const until = toMillis(query.until, 'until', 'VIGIL_STORE_BAD_QUERY');
  const step = query.step_ms;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 1) {
    throw new StoreError(
      'VIGIL_STORE_BAD_QUERY',
      `step_ms must be a whole number of milliseconds ≥ 1, got ${show(step)}`,
    );
  }
  if (until <= since) throw new StoreError('VIGIL_STORE_BAD_QUERY', 'until must be after since');
  if ((until - since) / step > MAX_BUCKETS) {
    throw new StoreError(
      'VIGIL_STORE_BAD_QUERY',
      `the range holds more than ${MAX_BUCKETS} buckets of step_ms ${step}: use a larger step`,
    );
  }
  let service: string | null;
  try {
    service = optionalString(query.service, 'service');
  } catch (err) {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', (err as Error).message);
  }
  return {
    since,
    until,
    step,
    service,
    levels: LEVELS.slice(
      LEVELS.indexOf(
        query.min_level === undefined ? 'error' : logLevel(query.min_level, 'min_level', 'VIGIL_STORE_BAD_QUERY'),
      ),
    ),
  };
}

/** Counts lines into buckets; for stores that hold their rows in memory. */
export function bucketize(
  rows: Iterable<{ ts: number; service: string | null; level: LogLevel }>,
  f: TimelineFilter,
): ErrorBucket[] {
  const counts = new Map<string, ErrorBucket>();
  for (const row of rows) {
    if (row.ts < f.since || row.ts >= f.until || !f.levels.includes(row.level)) continue;
    if (f.service !== null && row.service !== f.service) continue;
    const ts = f.since + Math.floor((row.ts - f.since) / f.step) * f.step;
    const key = `${ts}\u0000${row.service}`;
    const bucket = counts.get(key);
    if (bucket === undefined) counts.set(key, { ts, service: row.service, count: 1 });
    else bucket.count++;
  }
  return [...counts.values()].sort(compareBuckets);
}

/** Time order, then service name (null first). */
export function compareBuckets(a: ErrorBucket, b: ErrorBucket): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.service === b.service) return 0;
  if (a.service === null) return -1;
  if (b.service === null) return 1;
  return a.service < b.service ? -1 : 1;
}
