import { getLogger, type Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { getMetrics } from '../metrics/metrics.js';
import { type Budget, type BudgetConfig, parseBudgets } from './budget-config.js';
import { type BudgetFamilies, budgetFamilies } from './budget-metrics.js';
import { nextPeriodStart, periodStart } from './periods.js';
import type { SpendRow } from './spend.js';
import { Tally } from './tally.js';

/** Who a call was made for: the app (agent) and user, as `record` and `check` take them. */
export interface Spender {
  app?: string;
  user?: string;
}

/** One call's cost, as `Budgets.record` takes it. */
export interface Spend extends Spender {
  /** USD; null (an unknown model) counts nothing. */
  costUsd: number | null | undefined;
}

/** Where one budget stands for one spender. */
export interface BudgetStatus {
  budget: string;
  period: Budget['period'];
  /** The app or user this spend belongs to when the budget is `per` app or user. */
  app?: string;
  user?: string;
  spentUsd: number;
  limitUsd: number;
  remainingUsd: number;
  /** Start of the current calendar period, or of the rolling window (ISO). */
  since: string;
  /** When a calendar period resets (ISO); absent for rolling windows. */
  resetsAt?: string;
}

/** The answer of `Budgets.check`. */
export interface BudgetCheck {
  /** False when at least one budget that applies is exhausted. */
  allowed: boolean;
  /** The budgets that stop the call. */
  exhausted: BudgetStatus[];
  /** Every budget that applies to this spender. */
  budgets: BudgetStatus[];
}

/** What the pause hook receives when a budget is exhausted. */
export interface BudgetPause extends BudgetStatus {}

/** Options of `createBudgets`. */
export interface BudgetsOptions {
  budgets: readonly BudgetConfig[];
  /** Clock in epoch ms (default `Date.now`). */
  now?: () => number;
  /** Where `cost.*` events go (default: the SDK's default logger, resolved when first needed). */
  logger?: Logger;
  /** Where the `vigil_budget_*` metrics go (default: the SDK's default metrics); `false` for none. */
  metrics?: Metrics | false;
  /** Called once per period when a budget with `pause` (the default) is exhausted; its errors are logged, never thrown. */
  onPause?: (pause: BudgetPause) => void;
  /** Most apps/users one budget tracks at once; beyond, new ones are not counted (and a warning is logged). Default 100,000. */
  maxTrackedPerBudget?: number;
}

interface Tracked {
  budget: Budget;
  tallies: Map<string, Tally>;
  /** Start of the calendar period the tallies were last rolled to. */
  period: number;
}

const GLOBAL = '';

/**
 * Spending limits over call costs: daily and monthly (UTC calendar) and rolling windows,
 * global, per app or per user. Crossing a threshold emits `cost.daily_threshold` (days and
 * rolling windows) or `cost.monthly_warning` and counts it in
 * `vigil_budget_threshold_crossed_total{budget,threshold}`, once per period; exhaustion
 * (100%) calls `onPause` and emits `cost.agent_paused`. `record` and `check` never throw.
 */
export class Budgets {
  readonly #tracked: Tracked[];
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #onPause: BudgetsOptions['onPause'];
  readonly #families: BudgetFamilies | undefined;
  readonly #maxTracked: number;
  readonly #warned = new Set<string>();
  #restored = false;
  #log: Logger | undefined;

  constructor(options: BudgetsOptions) {
    this.#tracked = parseBudgets(options?.budgets).map((budget) => ({ budget, tallies: new Map(), period: 0 }));
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
    this.#onPause = options.onPause;
    this.#maxTracked = options.maxTrackedPerBudget ?? 100_000;
    this.#families = options.metrics === false ? undefined : budgetFamilies(options.metrics ?? getMetrics());
    for (const { budget } of this.#tracked) {
      this.#families?.limit.set({ budget: budget.name }, budget.limitUsd);
      if (budget.per === undefined) this.#writeGauges(budget, GLOBAL, 0);
    }
  }

  /** Adds one call's cost to every budget that applies to its app and user. Never throws. */
  record(spend: Spend): void {
    try {
      const cost = spend?.costUsd;
      if (cost === null || cost === undefined) return;
      if (!(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)) {
        this.#warn('bad-cost', {}, `budgets: a cost that is not a number >= 0 was ignored (${String(cost)})`);
        return;
      }
      const now = this.#now();
      for (const tracked of this.#tracked) {
        const key = keyOf(tracked.budget, spend);
        if (key === undefined) continue;
        const tally = this.#tally(tracked, key, now, true);
        if (tally === undefined) continue;
        this.#roll(tracked, key, tally, now);
        tally.add(now, cost);
        this.#settle(tracked, key, tally, now);
      }
    } catch (error) {
      this.#warn('record', {}, `budgets: recording a cost failed: ${String(error)}`);
    }
  }

  /**
   * Counts spend made before this process started, e.g. the invocation log's rows of the last 31
   * days, so that a restart does not reset a budget. Once, at startup, before `record`: a second
   * call, or one after spend was recorded, is refused with a warning (it would count twice, or
   * out of time order). Rows outside a budget's current period or window, without a cost, or
   * later than now are skipped for it. Warning thresholds the restored spend has crossed count as
   * already fired (no event again); a budget it has exhausted pauses again (`cost.agent_paused`
   * and `onPause`), since the pause of the last process is gone. Returns how many rows counted
   * toward at least one budget. Never throws.
   */
  restore(rows: Iterable<SpendRow>): number {
    let counted = 0;
    try {
      if (this.#restored || this.#tracked.some((t) => [...t.tallies.values()].some((tally) => !tally.isEmpty))) {
        this.#warn(
          'restore-late',
          {},
          'budgets: restore() runs once, before the first record(); this call was ignored',
        );
        return 0;
      }
      this.#restored = true;
      const now = this.#now();
      const spends = [...rows].map(spendOf).filter((s): s is PastSpend => s !== undefined && s.at <= now);
      spends.sort((a, b) => a.at - b.at); // a rolling window's buckets are kept in time order
      const touched = new Map<Tally, { tracked: Tracked; key: string }>();
      for (const spend of spends) {
        let used = false;
        for (const tracked of this.#tracked) {
          if (!inCurrent(tracked.budget, spend.at, now)) continue;
          const key = keyOf(tracked.budget, spend);
          const tally = key === undefined ? undefined : this.#tally(tracked, key, now, true);
          if (tally === undefined) continue;
          this.#roll(tracked, key!, tally, now);
          tally.add(spend.at, spend.costUsd);
          touched.set(tally, { tracked, key: key! });
          used = true;
        }
        if (used) counted++;
      }
      for (const [tally, { tracked, key }] of touched) {
        const { budget } = tracked;
        for (const level of budget.levels) {
          if (!reached(tally.spent, budget.limitUsd, level)) continue;
          tally.fired.add(level);
          if (level === 100) this.#fire(budget, key, tally, level, now);
        }
        this.#writeGauges(budget, key, tally.spent);
      }
      this.#logTo().info({ rows: counted }, `budgets: ${counted} earlier calls counted toward the current periods`);
    } catch (error) {
      this.#warn('restore', {}, `budgets: restoring earlier spend failed: ${String(error)}`);
    }
    return counted;
  }

  /** Whether a call for this app and user may go ahead: not when a budget that applies is exhausted. Never throws. */
  check(who: Spender = {}): BudgetCheck {
    const result: BudgetCheck = { allowed: true, exhausted: [], budgets: [] };
    try {
      const now = this.#now();
      for (const tracked of this.#tracked) {
        const key = keyOf(tracked.budget, who ?? {});
        if (key === undefined) continue;
        const tally = this.#tally(tracked, key, now, false);
        if (tally !== undefined) {
          this.#roll(tracked, key, tally, now);
          this.#settle(tracked, key, tally, now);
        }
        const status = this.#status(tracked.budget, key, tally, now);
        result.budgets.push(status);
        if (reached(status.spentUsd, tracked.budget.limitUsd, 100)) {
          result.allowed = false;
          result.exhausted.push(status);
        }
      }
    } catch (error) {
      this.#warn('check', {}, `budgets: a check failed and allowed the call: ${String(error)}`);
    }
    return result;
  }

  /** Brings every spend and gauge up to the clock (periods rolled, rolling windows slid); call it before a scrape if you like. */
  refresh(): void {
    const now = this.#now();
    for (const tracked of this.#tracked) {
      for (const [key, tally] of tracked.tallies) {
        this.#roll(tracked, key, tally, now);
        this.#settle(tracked, key, tally, now);
        if (tally.isEmpty && key !== GLOBAL) tracked.tallies.delete(key);
      }
      if (tracked.budget.per === undefined && !tracked.tallies.has(GLOBAL)) {
        this.#writeGauges(tracked.budget, GLOBAL, 0);
      }
    }
  }

  /** The tally of `key`, rolled to the period of `now`; created when `create` (and the limit allows). */
  #tally(tracked: Tracked, key: string, now: number, create: boolean): Tally | undefined {
    let tally = tracked.tallies.get(key);
    if (tally === undefined && create) {
      if (tracked.tallies.size >= this.#maxTracked) this.#sweep(tracked, now);
      if (tracked.tallies.size >= this.#maxTracked) {
        this.#warn(
          `full:${tracked.budget.name}`,
          { budget: tracked.budget.name, limit: this.#maxTracked },
          `budget ${tracked.budget.name} tracks ${this.#maxTracked} spenders already: new ones are not counted`,
        );
        return undefined;
      }
      tally = new Tally(tracked.budget.windowMs);
      tracked.tallies.set(key, tally);
    }
    return tally;
  }

  /** Starts a new calendar period or slides the rolling window, up to `now`. */
  #roll(tracked: Tracked, key: string, tally: Tally, now: number): void {
    const { budget } = tracked;
    if (budget.period === 'rolling') {
      tally.slide(now);
    } else {
      const start = periodStart(budget.period, now);
      if (tally.start !== start) tally.reset(start);
      if (start !== tracked.period) {
        tracked.period = start;
        // A new period: forget the spenders of the last one (so per-user maps hold only today's
        // users), and show 0 for apps that have not spent yet rather than yesterday's spend.
        for (const [other, t] of tracked.tallies) {
          if (other === key || t.start === start) continue;
          this.#writeGauges(budget, other, 0);
          tracked.tallies.delete(other);
        }
      }
    }
  }

  /** Fires thresholds newly crossed, re-arms those a rolling window left behind, writes gauges. */
  #settle(tracked: Tracked, key: string, tally: Tally, now: number): void {
    const { budget } = tracked;
    const exact = tally.spent;
    for (const level of budget.levels) {
      const crossed = reached(exact, budget.limitUsd, level);
      if (crossed && !tally.fired.has(level)) {
        tally.fired.add(level);
        this.#fire(budget, key, tally, level, now);
      } else if (!crossed && budget.period === 'rolling') {
        tally.fired.delete(level);
      }
    }
    this.#writeGauges(budget, key, exact);
  }

  #fire(budget: Budget, key: string, tally: Tally, level: number, now: number): void {
    const status = this.#status(budget, key, tally, now);
    const fields = {
      budget: budget.name,
      period: budget.period,
      threshold_percent: level,
      spent_usd: status.spentUsd,
      limit_usd: budget.limitUsd,
      since: status.since,
      ...(status.app === undefined ? {} : { app: status.app }),
      ...(status.user === undefined ? {} : { user: status.user }),
    };
    const log = this.#logTo();
    const what = level === 100 ? 'exhausted' : `at ${level}%`;
    log.event(
      budget.period === 'month' ? 'cost.monthly_warning' : 'cost.daily_threshold',
      fields,
      `budget ${budget.name} ${what}: $${status.spentUsd.toFixed(4)} of $${budget.limitUsd}`,
    );
    this.#families?.crossed.inc({ budget: budget.name, threshold: String(level) });
    if (level !== 100 || !budget.pause) return;
    this.#families?.paused.inc({ budget: budget.name });
    log.event('cost.agent_paused', fields, `budget ${budget.name} exhausted: calls it covers are paused`);
    if (this.#onPause === undefined) return;
    try {
      this.#onPause(status);
    } catch (error) {
      log.error({ budget: budget.name, err: error }, `budget ${budget.name}: the onPause hook threw`);
    }
  }

  #status(budget: Budget, key: string, tally: Tally | undefined, now: number): BudgetStatus {
    const spent = tally?.spent ?? 0;
    const status: BudgetStatus = {
      budget: budget.name,
      period: budget.period,
      spentUsd: spent,
      limitUsd: budget.limitUsd,
      remainingUsd: Math.max(0, budget.limitUsd - spent),
      since: '',
    };
    if (budget.per === 'app' || budget.app !== undefined) status.app = budget.per === 'app' ? key : budget.app;
    if (budget.per === 'user' || budget.user !== undefined) status.user = budget.per === 'user' ? key : budget.user;
    if (budget.period === 'rolling') {
      status.since = new Date(now - budget.windowMs).toISOString();
    } else {
      const start = periodStart(budget.period, now);
      status.since = new Date(start).toISOString();
      status.resetsAt = new Date(nextPeriodStart(budget.period, start)).toISOString();
    }
    return status;
  }

  /** Spend gauges for global and per-app budgets only: a per-user budget has no per-user series. */
  #writeGauges(budget: Budget, key: string, spent: number): void {
    if (this.#families === undefined || budget.per === 'user') return;
    const labels = { budget: budget.name, app: budget.per === 'app' ? key : (budget.app ?? '') };
    this.#families.spend.set(labels, spent);
    this.#families.remaining.set(labels, Math.max(0, budget.limitUsd - spent));
  }

  /** Drops tallies with nothing left in them (past periods, emptied windows). */
  #sweep(tracked: Tracked, now: number): void {
    const { budget } = tracked;
    const start = budget.period === 'rolling' ? 0 : periodStart(budget.period, now);
    for (const [key, tally] of tracked.tallies) {
      if (budget.period === 'rolling') tally.slide(now);
      if (tally.isEmpty || (budget.period !== 'rolling' && tally.start !== start)) tracked.tallies.delete(key);
    }
  }

  #logTo(): Logger {
    this.#log ??= (this.#logger ?? getLogger()).module('cost');
    return this.#log;
  }

  #warn(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.#warned.has(key) || this.#warned.size >= 256) return;
    this.#warned.add(key);
    this.#logTo().warning(fields, message);
  }
}

/** A row's spend as `restore` counts it. */
interface PastSpend {
  at: number;
  costUsd: number;
  app?: string;
  user?: string;
}

/** A row as a spend, or undefined when it has no usable time or cost. */
function spendOf(row: SpendRow): PastSpend | undefined {
  const at = row?.at instanceof Date ? row.at.getTime() : typeof row?.at === 'string' ? Date.parse(row.at) : row?.at;
  const cost = row?.costUsd;
  if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) return undefined;
  return {
    at,
    costUsd: cost,
    ...(row.app == null ? {} : { app: row.app }),
    ...(row.user == null ? {} : { user: row.user }),
  };
}

/** Whether a spend at `at` belongs to the budget's period (or window) in force at `now`. */
function inCurrent(budget: Budget, at: number, now: number): boolean {
  if (budget.period === 'rolling') return at > now - budget.windowMs;
  return periodStart(budget.period, at) === periodStart(budget.period, now);
}

/** Creates budgets; bad settings throw VIGIL_BAD_OPTION naming the field (`budgets[0].limitUsd ...`). */
export function createBudgets(options: BudgetsOptions): Budgets {
  return new Budgets(options);
}

/** Whether `spent` reached `level` percent of `limit`, forgiving float sums a billionth short (0.1 + 0.7 < 0.8). */
function reached(spent: number, limit: number, level: number): boolean {
  return spent + limit * 1e-9 >= (limit * level) / 100;
}

/** The tally key of a spender for a budget, or undefined when the budget does not cover it. */
function keyOf(budget: Budget, who: Spender): string | undefined {
  if (budget.app !== undefined && who.app !== budget.app) return undefined;
  if (budget.user !== undefined && who.user !== budget.user) return undefined;
  if (budget.per === undefined) return GLOBAL;
  const key = budget.per === 'app' ? who.app : who.user;
  return typeof key === 'string' && key !== '' ? key : undefined;
}
