// The demo's one recorder: what sim-chat-1 costs, the daily budget, where invocation rows go.
import type { Logger } from '@vigil/sdk';
import { type Budgets, createBudgets, createCostMeter, type ModelPrice } from '@vigil/sdk/cost';
import type { Metrics } from '@vigil/sdk/metrics';
import { createRecorder, type InvocationSink, type Recorder } from '@vigil/sdk/recording';
import type { SessionRegistry } from '@vigil/sdk/sessions';
import { AGENT_NAME } from './agent/name.js';

/** The `app_id` of the demo's invocation rows, sessions and budgets. */
export const APP_ID = 'demo';

/** The daily budget when none is given, in USD. */
export const DEFAULT_DAILY_BUDGET_USD = 50;

/**
 * The simulated model's price, per 1M tokens: a small hosted model's list price, so every row
 * has a cost and the budget means something (the load generator takes about a day to spend
 * the default $50; `DAILY_BUDGET_USD=0.001` shows the thresholds at once).
 */
export const SIM_CHAT_PRICE: ModelPrice = {
  model: 'sim-chat-1',
  provider: 'simulated',
  from: '2025-01-01',
  prices: { input: 0.15, output: 0.6 },
  source: 'made up for the demo',
};

/** What the demo's recorder is made of. */
export interface DemoRecorderOptions {
  logger: Logger;
  metrics: Metrics;
  sessions: SessionRegistry;
  /** Default: the SQLite file `$VIGIL_DATA_DIR/vigil.db` when VIGIL_DATA_DIR is set, else none. */
  sink?: InvocationSink;
  /** The daily budget in USD (UTC days); warnings at 80% and 95%, turns refused at 100%. */
  dailyBudgetUsd: number;
  env: Record<string, string | undefined>;
  now?: () => number;
}

/** The recorder the LLM client, the toolbox and the agent record through, and the budgets it feeds. */
export function createDemoRecorder(options: DemoRecorderOptions): { recorder: Recorder; budgets: Budgets } {
  const { logger, metrics, now } = options;
  const timing = now === undefined ? {} : { now };
  const costs = createCostMeter({ prices: [SIM_CHAT_PRICE], logger, ...timing });
  const budgets = createBudgets({
    budgets: [{ name: 'daily', limitUsd: options.dailyBudgetUsd, period: 'day', thresholds: [80, 95] }],
    logger,
    metrics,
    ...timing,
  });
  const recorder = createRecorder({
    app: APP_ID,
    agent: AGENT_NAME,
    provider: 'simulated',
    logger,
    metrics,
    sessions: options.sessions,
    costs,
    budgets,
    env: options.env,
    ...(options.sink === undefined ? {} : { sink: options.sink }),
    ...timing,
  });
  return { recorder, budgets };
}
