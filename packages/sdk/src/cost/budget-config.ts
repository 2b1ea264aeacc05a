import { VigilError } from '../errors.js';

/** How a budget's spend is counted: per UTC calendar day or month, or over a rolling window. */
export type BudgetPeriod = 'day' | 'month' | 'rolling';

/** One spending limit. */
export interface BudgetConfig {
  /** Its name: a metric label value and the name `check()` reports; letters, digits, `_ . : -`, up to 64. */
  name: string;
  /** The limit in USD per period (per app or per user when `per` is set). */
  limitUsd: number;
  /** `day` and `month` reset at 00:00 UTC (the 1st for months); `rolling` counts the last `windowHours`. */
  period: BudgetPeriod;
  /** The length of a `rolling` window in hours (e.g. 24). */
  windowHours?: number;
  /** Give every app, or every user, a spend of its own against the limit (default: one spend for all). */
  per?: 'app' | 'user';
  /** Count only the calls of this app. */
  app?: string;
  /** Count only the calls of this user. */
  user?: string;
  /** Warning thresholds in percent of the limit, each fired once per period (default 80 and 95); 100 is always exhaustion. */
  thresholds?: readonly number[];
  /** When exhausted, call the `onPause` hook and emit `cost.agent_paused` (default true). */
  pause?: boolean;
}

/** A budget checked and completed with its defaults. */
export interface Budget extends Readonly<Omit<BudgetConfig, 'thresholds' | 'pause'>> {
  /** Warning thresholds then 100, ascending. */
  readonly levels: readonly number[];
  readonly pause: boolean;
  /** The rolling window in ms (0 for calendar periods). */
  readonly windowMs: number;
}

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const DEFAULT_THRESHOLDS = [80, 95];
const FIELDS = new Set(['name', 'limitUsd', 'period', 'windowHours', 'per', 'app', 'user', 'thresholds', 'pause']);

/** Validates budget settings, throwing VIGIL_BAD_OPTION that names the field (`budgets[1].limitUsd ...`). */
export function parseBudgets(budgets: unknown): Budget[] {
  if (!Array.isArray(budgets)) throw bad('budgets', 'an array of budgets', budgets);
  const names = new Set<string>();
  return budgets.map((config: unknown, i) => {
    const where = `budgets[${i}]`;
    if (config === null || typeof config !== 'object') throw bad(where, 'an object', config);
    const c = config as Record<string, unknown>;
    for (const key of Object.keys(c)) {
      if (!FIELDS.has(key)) throw bad(`${where}.${key}`, `one of the fields ${[...FIELDS].join(', ')}`, key);
    }
    if (typeof c.name !== 'string' || !NAME.test(c.name)) {
      throw bad(`${where}.name`, 'a name of letters, digits, _ . : - (1 to 64)', c.name);
    }
    if (names.has(c.name)) throw bad(`${where}.name`, 'unique among budgets', c.name);
    names.add(c.name);
    if (!(typeof c.limitUsd === 'number' && Number.isFinite(c.limitUsd) && c.limitUsd > 0)) {
      throw bad(`${where}.limitUsd`, 'a positive number of USD', c.limitUsd);
    }
    if (c.period !== 'day' && c.period !== 'month' && c.period !== 'rolling') {
      throw bad(`${where}.period`, '"day", "month" or "rolling"', c.period);
    }
    let windowMs = 0;
    if (c.period === 'rolling') {
      if (!(typeof c.windowHours === 'number' && Number.isFinite(c.windowHours) && c.windowHours > 0)) {
        throw bad(`${where}.windowHours`, 'a positive number of hours for a rolling budget', c.windowHours);
      }
      windowMs = Math.round(c.windowHours * 3_600_000);
    } else if (c.windowHours !== undefined) {
      throw bad(`${where}.windowHours`, 'absent unless period is "rolling"', c.windowHours);
    }
    if (c.per !== undefined && c.per !== 'app' && c.per !== 'user') throw bad(`${where}.per`, '"app" or "user"', c.per);
    for (const key of ['app', 'user'] as const) {
      if (c[key] !== undefined && (typeof c[key] !== 'string' || c[key] === '')) {
        throw bad(`${where}.${key}`, 'a non-empty string', c[key]);
      }
    }
    const thresholds = c.thresholds ?? DEFAULT_THRESHOLDS;
    if (!Array.isArray(thresholds)) throw bad(`${where}.thresholds`, 'an array of percentages', thresholds);
    thresholds.forEach((t: unknown, j) => {
      if (!(typeof t === 'number' && t > 0 && t < 100)) {
        throw bad(`${where}.thresholds[${j}]`, 'a percentage above 0 and below 100', t);
      }
    });
    if (c.pause !== undefined && typeof c.pause !== 'boolean') throw bad(`${where}.pause`, 'a boolean', c.pause);
    const levels = [...new Set([...(thresholds as number[]), 100])].sort((a, b) => a - b);
    const { thresholds: _t, pause: _p, ...rest } = c as unknown as BudgetConfig;
    return { ...rest, levels, pause: c.pause !== false, windowMs };
  });
}

function bad(field: string, wanted: string, got: unknown): VigilError {
  return new VigilError(
    'VIGIL_BAD_OPTION',
    `createBudgets: ${field} must be ${wanted}, got ${JSON.stringify(got) ?? String(got)}`,
  );
}
