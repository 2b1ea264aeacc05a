// PromQL of the LLM & cost view, over the SDK's GenAI and budget metrics (docs/metrics.md, docs/cost.md).

const CALLS = 'gen_ai_client_operation_duration_seconds_count';
const DURATION = 'gen_ai_client_operation_duration_seconds_bucket';
const TOKENS = 'gen_ai_client_token_usage_sum';
const ERRORS = 'vigil_gen_ai_client_errors_total';

/** The queries for the model/provider filter `m` (a matcher list such as `{gen_ai_request_model="x"}` or ''). */
export function llmQueries(m: string) {
  const quantile = (q: number, by = '') =>
    `histogram_quantile(${q}, sum by (le${by}) (rate(${DURATION}${m}[$window])))`;
  return {
    callsTotal: `sum(increase(${CALLS}${m}[$range]))`,
    tokensTotal: `sum(increase(${TOKENS}${m}[$range]))`,
    errorRatio: `sum(increase(${ERRORS}${m}[$range])) / sum(increase(${CALLS}${m}[$range]))`,
    p95Total: `histogram_quantile(0.95, sum by (le) (increase(${DURATION}${m}[$range])))`,
    callsPerHourByModel: [
      {
        expr: `sum by (gen_ai_request_model) (rate(${CALLS}${m}[$window])) * 3600`,
        legend: '{{gen_ai_request_model}}',
      },
    ],
    callsPerHourByOperation: [
      {
        expr: `sum by (gen_ai_operation_name, gen_ai_provider_name) (rate(${CALLS}${m}[$window])) * 3600`,
        legend: '{{gen_ai_provider_name}} {{gen_ai_operation_name}}',
      },
    ],
    tokensPerHour: [
      {
        expr: `sum by (gen_ai_request_model, gen_ai_token_type) (rate(${TOKENS}${m}[$window])) * 3600`,
        legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}',
      },
    ],
    latency: [
      { expr: quantile(0.5), legend: 'p50' },
      { expr: quantile(0.95), legend: 'p95' },
      { expr: quantile(0.99), legend: 'p99' },
    ],
    latencyByModel: [{ expr: quantile(0.95, ', gen_ai_request_model'), legend: '{{gen_ai_request_model}} p95' }],
    errorRatioByType: [
      {
        expr: `sum by (error_type) (rate(${ERRORS}${m}[$window])) / scalar(sum(rate(${CALLS}${m}[$window])))`,
        legend: '{{error_type}}',
      },
    ],
    retriesPerHour: [
      {
        expr: 'sum by (agent, guardrail) (rate(vigil_agent_guardrail_retries_total[$window])) * 3600',
        legend: '{{agent}} {{guardrail}}',
      },
    ],
    spend: [{ expr: 'sum by (budget, app) (vigil_budget_spend_usd)', legend: '{{budget}} {{app}}' }],
  };
}

/** Per-budget figures for the budgets table, each keyed by `budget` and `app`. */
export const BUDGET_QUERIES = {
  spend: 'sum by (budget, app) (vigil_budget_spend_usd)',
  remaining: 'sum by (budget, app) (vigil_budget_remaining_usd)',
  limit: 'max by (budget) (vigil_budget_limit_usd)',
  // USD per day at the pace of the last hour; a period rollover (spend back to 0) reads as negative and is clipped.
  burn: 'clamp_min(sum by (budget, app) (deriv(vigil_budget_spend_usd[1h])), 0) * 86400',
};

/** The series the model/provider filters draw their values from. */
export const LLM_SERIES = CALLS;
