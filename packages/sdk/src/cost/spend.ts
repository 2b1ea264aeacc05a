import type { BudgetConfig } from './budget-config.js';
import { type CalendarPeriod, DAY_MS, nextPeriodStart, periodStart } from './periods.js';

/** One invocation row as the spend queries read it (map your store's rows to this). */
export interface SpendRow {
  /** When the call was made. */
  at: Date | number | string;
  /** Its cost in USD; null or absent when unknown (counted in `unpricedCalls`). */
  costUsd?: number | null;
  app?: string;
  user?: string;
}

/** Spend of one UTC day, week (from Monday) or month. */
export interface SpendBucket {
  /** The period's start, ISO. */
  start: string;
  startMs: number;
  spendUsd: number;
  calls: number;
  /** Calls without a cost (unknown model). */
  unpricedCalls: number;
}

/** A time range, both ends in epoch ms or Dates; `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from?: Date | number;
  to?: Date | number;
}

/**
 * Spend per UTC day, week or month, oldest first, with empty periods filled in between the
 * range's ends (or the first and last row when not given).
 */
export function spendByPeriod(rows: Iterable<SpendRow>, period: CalendarPeriod, range: TimeRange = {}): SpendBucket[] {
  const from = range.from === undefined ? undefined : ms(range.from);
  const to = range.to === undefined ? undefined : ms(range.to);
  const buckets = new Map<number, SpendBucket>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const at = ms(row.at);
    if (Number.isNaN(at) || (from !== undefined && at < from) || (to !== undefined && at >= to)) continue;
    const start = periodStart(period, at);
    first = Math.min(first, start);
    last = Math.max(last, start);
    let bucket = buckets.get(start);
    if (bucket === undefined) {
      bucket = emptyBucket(start);
      buckets.set(start, bucket);
    }
    bucket.calls++;
    if (isCost(row.costUsd)) bucket.spendUsd += row.costUsd;
    else bucket.unpricedCalls++;
  }
  if (from !== undefined) first = periodStart(period, from);
  if (to !== undefined) last = periodStart(period, to - 1);
  const out: SpendBucket[] = [];
  for (let start = first; start <= last; start = nextPeriodStart(period, start)) {
    out.push(buckets.get(start) ?? emptyBucket(start));
  }
  return out;
}

/** Options of `burnRate` and `projectMonthEnd`. */
export interface BurnOptions {
  /** The clock's now, epoch ms or Date. */
  now: Date | number;
  /** The window the rate is measured over, in ms (default 7 days). */
  windowMs?: number;
}

/** USD per day spent over the window ending now (spend in the window / its length in days). */
export function burnRate(rows: Iterable<SpendRow>, options: BurnOptions): number {
  const now = ms(options.now);
  const window = options.windowMs ?? 7 * DAY_MS;
  return (spendBetween(rows, now - window, now) / window) * DAY_MS;
}

/** The month-end projection: month-to-date spend plus the burn rate over the days left in the UTC month. */
export interface MonthProjection {
  monthStart: string;
  monthEnd: string;
  monthToDateUsd: number;
  burnRateUsdPerDay: number;
  projectedUsd: number;
}

/** Projects this UTC month's spend: month to date + `burnRate` × the days left. */
export function projectMonthEnd(rows: Iterable<SpendRow>, options: BurnOptions): MonthProjection {
  const list = [...rows];
  const now = ms(options.now);
  const start = periodStart('month', now);
  const end = nextPeriodStart('month', start);
  const monthToDateUsd = spendBetween(list, start - 1, now);
  const burnRateUsdPerDay = burnRate(list, options);
  return {
    monthStart: new Date(start).toISOString(),
    monthEnd: new Date(end).toISOString(),
    monthToDateUsd,
    burnRateUsdPerDay,
    projectedUsd: monthToDateUsd + (burnRateUsdPerDay * (end - now)) / DAY_MS,
  };
}

/** What is left of a budget over the rows (a per-app/per-user budget needs the `app`/`user` to look at). */
export interface BudgetRemaining {
  spentUsd: number;
  limitUsd: number;
  remainingUsd: number;
  since: string;
}

/** The remaining USD of `budget` at `now` over the rows (calendar periods in UTC; rolling windows end at now). */
export function budgetRemaining(
  rows: Iterable<SpendRow>,
  budget: Pick<BudgetConfig, 'limitUsd' | 'period' | 'windowHours' | 'app' | 'user' | 'per'>,
  options: { now: Date | number; app?: string; user?: string },
): BudgetRemaining {
  const now = ms(options.now);
  const since =
    budget.period === 'rolling' ? now - (budget.windowHours ?? 24) * 3_600_000 : periodStart(budget.period, now) - 1;
  const app = budget.app ?? (budget.per === 'app' ? options.app : undefined);
  const user = budget.user ?? (budget.per === 'user' ? options.user : undefined);
  const filtered = [...rows].filter(
    (row) => (app === undefined || row.app === app) && (user === undefined || row.user === user),
  );
  const spentUsd = spendBetween(filtered, since, now);
  return {
    spentUsd,
    limitUsd: budget.limitUsd,
    remainingUsd: Math.max(0, budget.limitUsd - spentUsd),
    since: new Date(since + (budget.period === 'rolling' ? 0 : 1)).toISOString(),
  };
}

/** Spend of rows with `after < at <= until`. */
function spendBetween(rows: Iterable<SpendRow>, after: number, until: number): number {
  let sum = 0;
  for (const row of rows) {
    const at = ms(row.at);
    if (at > after && at <= until && isCost(row.costUsd)) sum += row.costUsd;
  }
  return sum;
}

function emptyBucket(start: number): SpendBucket {
  return { start: new Date(start).toISOString(), startMs: start, spendUsd: 0, calls: 0, unpricedCalls: 0 };
}

function isCost(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function ms(value: Date | number | string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return value.getTime();
}
