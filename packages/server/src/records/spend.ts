import { type CalendarPeriod, DAY_MS, nextPeriodStart, periodStart } from '@vigil/sdk/cost';
import type { DailySpend, InvocationStore } from '@vigil/store';
import { BadParam } from './params.js';
import type { SpendBudget, SpendRequest } from './spend-params.js';

/** Spend of one UTC day, week (from Monday) or month. */
export interface SpendBucket {
  /** The period's start, ISO. */
  start: string;
  start_ms: number;
  spend_usd: number;
  calls: number;
  /** Calls without a cost (their model had no price). */
  unpriced_calls: number;
}

/** This UTC month's spend at the evaluation time, and where it is heading. */
export interface SpendProjection {
  month_start: string;
  month_end: string;
  month_to_date_usd: number;
  /** Month to date + the burn rate × the days left in the month. */
  projected_usd: number;
}

/** What is left of a budget at the evaluation time. */
export interface SpendBudgetStatus {
  limit_usd: number;
  spent_usd: number;
  /** Never below 0. */
  remaining_usd: number;
  /** Where the budget's spend starts counting, ISO. */
  since: string;
}

/** The answer of GET /api/vigil/invocations/spend. */
export interface SpendReport {
  period: CalendarPeriod;
  buckets: SpendBucket[];
  burn_rate_usd_per_day: number;
  burn_window_ms: number;
  projection: SpendProjection;
  budget: SpendBudgetStatus | null;
}

/** Buckets an answer holds at most: 27 years of days. */
export const MAX_SPEND_BUCKETS = 10_000;

/**
 * Spend per period, burn rate, month-end projection and budget of the calls matching the
 * request, with the semantics of the SDK's spend.ts (spendByPeriod, burnRate, projectMonthEnd,
 * budgetRemaining). The store sums per UTC day: no call row is read here.
 */
export async function spendReport(store: InvocationStore, request: SpendRequest): Promise<SpendReport> {
  const { filter, period, time, windowMs, budget } = request;
  const { since, until, ...calls } = filter;
  // The SDK counts a window as (after, time]; in the store's [since, until) that is [after + 1, time + 1).
  const spentAfter = async (after: number) => {
    const days = await store.spendByDay({ ...calls, since: after + 1, until: time + 1 });
    return days.reduce((sum, day) => sum + day.spend_usd, 0);
  };
  const monthStart = periodStart('month', time);
  const monthEnd = nextPeriodStart('month', monthStart);
  const [days, windowUsd, monthToDateUsd, budgetUsd] = await Promise.all([
    store.spendByDay(filter),
    spentAfter(time - windowMs),
    spentAfter(monthStart - 1),
    budget === null ? 0 : spentAfter(budgetAfter(budget, time)),
  ]);
  const burnRate = (windowUsd / windowMs) * DAY_MS;
  return {
    period,
    buckets: buckets(days, period, since, until),
    burn_rate_usd_per_day: burnRate,
    burn_window_ms: windowMs,
    projection: {
      month_start: new Date(monthStart).toISOString(),
      month_end: new Date(monthEnd).toISOString(),
      month_to_date_usd: monthToDateUsd,
      projected_usd: monthToDateUsd + (burnRate * (monthEnd - time)) / DAY_MS,
    },
    budget:
      budget === null
        ? null
        : {
            limit_usd: budget.limitUsd,
            spent_usd: budgetUsd,
            remaining_usd: Math.max(0, budget.limitUsd - budgetUsd),
            since: new Date(budgetAfter(budget, time) + (budget.period === 'rolling' ? 0 : 1)).toISOString(),
          },
  };
}

/** The ms just before a budget counts: the rolling window's start, or the last ms before its calendar period. */
function budgetAfter(budget: SpendBudget, time: number): number {
  return budget.period === 'rolling' ? time - budget.windowMs : periodStart(budget.period, time) - 1;
}

/** Days folded into periods, empty ones filled between since/until (or the first and last day with a call). */
function buckets(days: DailySpend[], period: CalendarPeriod, since?: number, until?: number): SpendBucket[] {
  const byStart = new Map<number, SpendBucket>();
  for (const day of days) {
    const start = periodStart(period, day.day_start_ms);
    let bucket = byStart.get(start);
    if (bucket === undefined) {
      bucket = emptyBucket(start);
      byStart.set(start, bucket);
    }
    bucket.spend_usd += day.spend_usd;
    bucket.calls += day.calls;
    bucket.unpriced_calls += day.unpriced_calls;
  }
  const from = since ?? days[0]?.day_start_ms;
  const to = until !== undefined ? until - 1 : days.at(-1)?.day_start_ms;
  if (from === undefined || to === undefined) return [];
  const first = periodStart(period, from);
  const last = periodStart(period, to);
  const out: SpendBucket[] = [];
  for (let start = first; start <= last; start = nextPeriodStart(period, start)) {
    if (out.length === MAX_SPEND_BUCKETS) {
      throw new BadParam(
        `the calls span more than ${MAX_SPEND_BUCKETS} ${period}s: narrow "since" and "until" or use a longer "period"`,
      );
    }
    out.push(byStart.get(start) ?? emptyBucket(start));
  }
  return out;
}

function emptyBucket(start: number): SpendBucket {
  return { start: new Date(start).toISOString(), start_ms: start, spend_usd: 0, calls: 0, unpriced_calls: 0 };
}
