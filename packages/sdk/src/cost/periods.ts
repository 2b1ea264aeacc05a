/** Calendar periods, all in UTC: a day starts at 00:00 UTC, a week on Monday 00:00 UTC, a month on the 1st. */
export type CalendarPeriod = 'day' | 'week' | 'month';

/** One day in milliseconds (UTC days have no DST and JavaScript time no leap seconds). */
export const DAY_MS = 86_400_000;

/** The start (epoch ms) of the UTC period that holds `time`. */
export function periodStart(period: CalendarPeriod, time: number): number {
  const day = time - mod(time, DAY_MS);
  if (period === 'day') return day;
  if (period === 'week') return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  const d = new Date(time);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The start (epoch ms) of the UTC period after the one that starts at `start`. */
export function nextPeriodStart(period: CalendarPeriod, start: number): number {
  if (period === 'day') return start + DAY_MS;
  if (period === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
