import type { BoundedCounter, BoundedGauge } from '../metrics/bounded.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * The budget metrics. Labels are bounded: `budget` is a configured name, `threshold` a
 * configured percentage, `app` an app name (only on per-app budgets, else ""). User ids never
 * become labels: a per-user budget has threshold and pause counters but no spend gauges.
 */
export interface BudgetFamilies {
  crossed: BoundedCounter<'budget' | 'threshold'>;
  paused: BoundedCounter<'budget'>;
  spend: BoundedGauge<'budget' | 'app'>;
  remaining: BoundedGauge<'budget' | 'app'>;
  limit: BoundedGauge<'budget'>;
}

const byMetrics = new WeakMap<Metrics, BudgetFamilies>();

/** The budget families of `metrics`, registered on first use (several `Budgets` share them). */
export function budgetFamilies(metrics: Metrics): BudgetFamilies {
  let families = byMetrics.get(metrics);
  if (families === undefined) {
    families = {
      crossed: metrics.counter({
        name: 'vigil_budget_threshold_crossed_total',
        help: 'Budget warning thresholds crossed (100 = exhausted), once per period, by budget and threshold percent.',
        labelNames: ['budget', 'threshold'],
      }),
      paused: metrics.counter({
        name: 'vigil_budget_paused_total',
        help: 'Times an exhausted budget paused the calls it covers, by budget.',
        labelNames: ['budget'],
      }),
      spend: metrics.gauge({
        name: 'vigil_budget_spend_usd',
        help: 'USD spent in the current period or window, by budget (and app for per-app budgets).',
        labelNames: ['budget', 'app'],
      }),
      remaining: metrics.gauge({
        name: 'vigil_budget_remaining_usd',
        help: 'USD left before the budget is exhausted, by budget (and app for per-app budgets).',
        labelNames: ['budget', 'app'],
      }),
      limit: metrics.gauge({
        name: 'vigil_budget_limit_usd',
        help: 'The configured limit in USD per period, by budget.',
        labelNames: ['budget'],
      }),
    };
    byMetrics.set(metrics, families);
  }
  return families;
}
