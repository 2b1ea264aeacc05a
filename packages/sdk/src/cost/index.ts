export { type Budget, type BudgetConfig, type BudgetPeriod, parseBudgets } from './budget-config.js';
export type { BudgetFamilies } from './budget-metrics.js';
export {
  type BudgetCheck,
  type BudgetPause,
  type BudgetStatus,
  Budgets,
  type BudgetsOptions,
  createBudgets,
  type Spend,
  type Spender,
} from './budgets.js';
export { type CostBreakdown, computeCost, costBreakdown, priceUsage, shippedPriceTable } from './compute.js';
export {
  type CallCost,
  CostMeter,
  type CostMeterOptions,
  createCostMeter,
  type PricedCall,
} from './cost-meter.js';
export { type CalendarPeriod, DAY_MS, nextPeriodStart, periodStart } from './periods.js';
export { normalizeModelId, PriceTable, parseDay, pricesFor, type ResolvedPrice } from './price-table.js';
export { SHIPPED_PRICES } from './prices.js';
export {
  type BudgetRemaining,
  type BurnOptions,
  budgetRemaining,
  burnRate,
  type MonthProjection,
  projectMonthEnd,
  type SpendBucket,
  type SpendRow,
  spendByPeriod,
  type TimeRange,
} from './spend.js';
export type { ModelPrice, PriceTier, TokenUsage, UsagePrices, UsageType } from './types.js';
export { normalizeUsage, type UsageShape } from './usage.js';
