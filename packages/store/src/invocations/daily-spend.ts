import type { DailySpend, InvocationRecord } from './types.js';

/** One UTC day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * SQL for the start of the UTC day of `ts` (epoch ms), the same in SQLite and PostgreSQL. Both
 * truncate `%` toward zero, so the double modulo keeps days before 1970 on their own start.
 */
export const DAY_START_SQL = `ts - (((ts % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS})`;

/** The columns of a DailySpend, aggregated per day by `GROUP BY 1`; unpriced calls are those with a null cost. */
export const DAILY_SPEND_SELECT = `SELECT ${DAY_START_SQL} AS day_start_ms, COALESCE(SUM(cost_usd), 0) AS spend_usd,
  COUNT(*) AS calls, COUNT(*) - COUNT(cost_usd) AS unpriced_calls FROM invocations`;

/** The start of the UTC day holding `ts`, as DAY_START_SQL computes it. */
export function dayStart(ts: number): number {
  return ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Spend per UTC day of rows already filtered, oldest first: what DAILY_SPEND_SELECT answers, for the memory store. */
export function dailySpend(rows: Iterable<InvocationRecord>): DailySpend[] {
  const days = new Map<number, DailySpend>();
  for (const row of rows) {
    const start = dayStart(row.ts);
    let day = days.get(start);
    if (day === undefined) {
      day = { day_start_ms: start, spend_usd: 0, calls: 0, unpriced_calls: 0 };
      days.set(start, day);
    }
    day.calls++;
    if (row.cost_usd === null) day.unpriced_calls++;
    else day.spend_usd += row.cost_usd;
  }
  return [...days.values()].sort((a, b) => a.day_start_ms - b.day_start_ms);
}
