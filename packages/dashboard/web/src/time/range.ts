// The time range a view shows: "the last hour" (moves with the clock) or a fixed from/to.

/** The relative ranges the picker offers, in seconds. */
export const RELATIVE_RANGES = { '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400, '7d': 604800 } as const;
/** One of the picker's relative ranges. */
export type RelativeRange = keyof typeof RELATIVE_RANGES;

/** The range of a view. */
export type TimeRange = { kind: 'relative'; last: RelativeRange } | { kind: 'absolute'; from: number; to: number };

const DEFAULT_LAST: RelativeRange = '1h';
/** The range views start with. */
export const DEFAULT_RANGE: TimeRange = { kind: 'relative', last: DEFAULT_LAST };

/** A range as query times, in unix seconds, with the step that gives about `points` points. */
export interface ResolvedRange {
  start: number;
  end: number;
  step: number;
  /** The time of instant queries (stats, tables): the range's true end, not aligned to the step. */
  at: number;
}

const TARGET_POINTS = 240;

/** The range at `nowMs`: start, end and a whole-second step. */
export function resolveRange(range: TimeRange, nowMs: number): ResolvedRange {
  const endMs = range.kind === 'relative' ? nowMs : range.to;
  const startMs = range.kind === 'relative' ? nowMs - RELATIVE_RANGES[range.last] * 1000 : range.from;
  const end = Math.floor(endMs / 1000);
  const start = Math.floor(startMs / 1000);
  const step = Math.max(1, Math.ceil((end - start) / TARGET_POINTS));
  // Align to the step so that successive refreshes hit the same grid and the chart does not shimmer; the end
  // rounds up, so the newest samples are always on the chart (the last point may lie up to a step ahead).
  const alignedEnd = end % step === 0 ? end : end - (end % step) + step;
  return { start: start - (start % step), end: alignedEnd, step, at: endMs / 1000 };
}

/**
 * The window of `rate()` for a range: two steps (no sample falls between windows, and a little smoothing),
 * at least two minutes (several scrapes at usual intervals).
 */
export function rateWindow(range: ResolvedRange): string {
  return `${Math.max(120, 2 * range.step)}s`;
}

/** The whole range as a PromQL duration, for `increase(x[...])` over everything shown. */
export function rangeDuration(range: ResolvedRange): string {
  return `${Math.max(60, range.end - range.start)}s`;
}

/** Reads `range=1h` or `from=<iso|ms>&to=<iso|ms>` from the URL; anything else gives the default. */
export function parseRange(params: URLSearchParams): TimeRange {
  const from = parseTime(params.get('from'));
  const to = parseTime(params.get('to'));
  if (from !== undefined && to !== undefined && from < to) return { kind: 'absolute', from, to };
  const last = params.get('range');
  if (last !== null && last in RELATIVE_RANGES) return { kind: 'relative', last: last as RelativeRange };
  return DEFAULT_RANGE;
}

/** Writes a range into URL parameters (the inverse of `parseRange`). */
export function writeRange(range: TimeRange, params: URLSearchParams): void {
  params.delete('range');
  params.delete('from');
  params.delete('to');
  if (range.kind === 'relative') {
    if (range.last !== DEFAULT_LAST) params.set('range', range.last);
  } else {
    params.set('from', new Date(range.from).toISOString());
    params.set('to', new Date(range.to).toISOString());
  }
}

/** A time as ms since epoch from an ISO date or a number of ms. */
export function parseTime(text: string | null): number | undefined {
  if (text === null || text.trim() === '') return undefined;
  const asNumber = Number(text);
  const ms = Number.isFinite(asNumber) ? asNumber : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** How the picker labels a range. */
export function describeRange(range: TimeRange): string {
  if (range.kind === 'relative') return `Last ${range.last}`;
  return `${formatDateTime(range.from)} → ${formatDateTime(range.to)}`;
}

/** `2026-11-23 13:05:09` in local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `5s ago`, `3m ago`, `2h ago`, `4d ago`. */
export function formatAgo(ms: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}
