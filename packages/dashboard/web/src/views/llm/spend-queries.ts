// Spend from the SDK's vigil_llm_cost_usd_total: calendar periods, burn rate, projection and days (docs/cost.md).

const COST = 'vigil_llm_cost_usd_total';
const UNPRICED = 'vigil_llm_calls_unpriced_total';
const HOUR = 3600;
const DAY = 86_400;

/** Seconds since the start of the UTC day, week (Monday) and month that hold `at`, and hours left in that month. */
export interface CalendarWindows {
  day: number;
  week: number;
  month: number;
  monthHoursLeft: number;
}

/** Where `at` (unix seconds) falls in its UTC day, week and month: the same periods as the SDK's budgets. */
export function calendarWindows(at: number): CalendarWindows {
  const dayStart = at - mod(at, DAY);
  const weekday = (new Date(dayStart * 1000).getUTCDay() + 6) % 7; // Monday = 0
  const d = new Date(at * 1000);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  return {
    day: at - dayStart,
    week: at - (dayStart - weekday * DAY),
    month: at - monthStart,
    monthHoursLeft: (nextMonth - at) / HOUR,
  };
}

/** A PromQL range of `seconds`, whole and at least 1 s (`[0s]` is not a valid range). */
function lookback(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/**
 * The instant queries of the spend figures at `at` for the model/provider filter `m`. Periods are
 * `increase()` over a window reaching back from `at` (the time picker's end) to the start of the UTC
 * day/week/month: the counter never resets at a period's end, unlike the budget gauges, so one series
 * gives every period, and an absolute range in the past shows that past day, week and month.
 */
export function spendQueries(m: string, at: number, range: string) {
  const w = calendarWindows(at);
  const spent = (seconds: number) => `sum(increase(${COST}${m}[${lookback(seconds)}]))`;
  const burn = `sum(rate(${COST}${m}[1h])) * ${HOUR}`;
  return {
    today: spent(w.day),
    week: spent(w.week),
    month: spent(w.month),
    burnPerHour: burn,
    // Month to date plus the last hour's pace for every hour left: a straight line, no weekly pattern.
    projectedMonth: `${spent(w.month)} + ${burn} * ${Number(w.monthHoursLeft.toFixed(4))}`,
    // 0 rather than nothing when calls were priced and none was not.
    unpriced: `sum(increase(${UNPRICED}${m}[${range}])) or 0 * sum(increase(${COST}${m}[${range}]))`,
    byModel: `sort_desc(sum by (gen_ai_request_model) (increase(${COST}${m}[${range}])))`,
  };
}

/** How the projection is made, as the panel's help text says it. */
export const PROJECTION_METHOD =
  'Spent since the 1st (UTC) + burn rate of the last hour × hours left in the month. A straight line: it knows no weekly or daily pattern.';

/** One UTC day's spend: evaluate `expr` with step 1d at each day's end (the last day: so far). */
export interface DailySpendQuery {
  expr: string;
  /** Unix seconds of the first and last evaluation (00:00 UTC after the first and last day), step one day. */
  start: number;
  end: number;
  step: number;
}

/** Spend per UTC day for every day the range [from, at] touches (unix seconds). */
export function dailySpendQuery(m: string, from: number, at: number): DailySpendQuery {
  const firstDay = from - mod(from, DAY);
  const lastDay = at - mod(at, DAY);
  return { expr: `sum(increase(${COST}${m}[1d]))`, start: firstDay + DAY, end: lastDay + DAY, step: DAY };
}

/** `2026-11-23`: the UTC day that ends at `dayEnd` (unix seconds). */
export function dayLabel(dayEnd: number): string {
  return new Date((dayEnd - DAY) * 1000).toISOString().slice(0, 10);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
