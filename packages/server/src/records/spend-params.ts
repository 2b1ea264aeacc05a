import { type CalendarPeriod, DAY_MS } from '@vigil/sdk/cost';
import type { InvocationQuery } from '@vigil/store';
import { BadParam, type QueryParams } from './params.js';

/** How a budget's spend is counted, as the SDK's budgets count it: a UTC day or month, or a window ending now. */
export type SpendBudgetPeriod = 'day' | 'month' | 'rolling';

/** A budget to measure spend against. */
export interface SpendBudget {
  limitUsd: number;
  period: SpendBudgetPeriod;
  /** The rolling window (0 for calendar periods). */
  windowMs: number;
}

/** A spend query, validated: which calls, how to bucket them, and when "now" is. */
export interface SpendRequest {
  /** The invocation filters; since/until bound the buckets only, never the burn rate, projection or budget. */
  filter: InvocationQuery & { since?: number; until?: number };
  period: CalendarPeriod;
  /** The evaluation time, epoch ms. */
  time: number;
  /** The burn-rate window. */
  windowMs: number;
  budget: SpendBudget | null;
}

const PERIODS: CalendarPeriod[] = ['day', 'week', 'month'];
const BUDGET_PERIODS: SpendBudgetPeriod[] = ['day', 'month', 'rolling'];
// Times within RFC 3339's years and windows of at most ten years keep every period start and
// window end a valid Date, so no figure of the answer can fail to print.
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const MAX_WINDOW_MS = 3650 * DAY_MS;

/** The spend route's parameters on top of the invocation `filter`; every error names its parameter. */
export function spendRequest(p: QueryParams, filter: SpendRequest['filter'], now: () => number): SpendRequest {
  const time = p.time('time') ?? now();
  for (const [name, value] of [
    ['since', filter.since],
    ['until', filter.until],
    ['time', time],
  ] as const) {
    if (value !== undefined && (value < EARLIEST || value > LATEST))
      throw new BadParam(`parameter "${name}" must be between 0001-01-01 and 9999-12-31, got ${value}`);
  }
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) {
    throw new BadParam(`parameter "since" (${iso(filter.since)}) is after parameter "until" (${iso(filter.until)})`);
  }
  return {
    filter,
    period: p.oneOf('period', PERIODS) ?? 'day',
    time,
    windowMs: window(p, 'window') ?? 7 * DAY_MS,
    budget: budget(p),
  };
}

function budget(p: QueryParams): SpendBudget | null {
  const limitUsd = p.positive('budget_usd');
  const period = p.oneOf('budget_period', BUDGET_PERIODS);
  const windowMs = window(p, 'budget_window');
  if (limitUsd === undefined) {
    const stray = period !== undefined ? 'budget_period' : windowMs !== undefined ? 'budget_window' : undefined;
    if (stray !== undefined) throw new BadParam(`parameter "${stray}" needs parameter "budget_usd"`);
    return null;
  }
  if (windowMs !== undefined && period !== 'rolling')
    throw new BadParam('parameter "budget_window" is only for budget_period=rolling');
  if (period === 'rolling') return { limitUsd, period, windowMs: windowMs ?? DAY_MS };
  return { limitUsd, period: period ?? 'month', windowMs: 0 };
}

function window(p: QueryParams, name: string): number | undefined {
  const ms = p.duration(name);
  if (ms !== undefined && ms > MAX_WINDOW_MS)
    throw new BadParam(`parameter "${name}" must be at most 3650d, got "${p.text(name)}"`);
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
