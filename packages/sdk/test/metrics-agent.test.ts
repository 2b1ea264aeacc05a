import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics, GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_BUCKETS } from '../src/metrics/index.js';
import { captureLogger } from './support/capture.js';
import { samples, sampleValue } from './support/metrics-read.js';

function agentMetrics() {
  const { log, out } = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false, logger: log });
  return { metrics, agent: metrics.agent, out };
}

test('the agent counters count by their small label sets', async () => {
  const { agent } = agentMetrics();
  agent.recordInvocation({ agent: 'support', status: 'ok' });
  agent.recordInvocation({ agent: 'support', status: 'budget_exhausted' });
  agent.recordInvocation({ agent: 'support', status: 'exploded' as never });
  agent.recordToolCall({ agent: 'support', tool: 'search', status: 'ok' });
  agent.recordToolCall({ agent: 'support', tool: 'search', status: 'timeout' });
  agent.recordTurn({ agent: 'support' });
  agent.recordTurn({ agent: 'support' });
  agent.recordGuardrailRetry({ agent: 'support', guardrail: 'json_schema' });
  agent.recordBudgetExhausted({ agent: 'support', budget: 'tokens' });

  assert.deepEqual(
    (await samples(agent.invocations)).map((s) => [s.labels.status, s.value]),
    [
      ['ok', 1],
      ['budget_exhausted', 1],
      ['other', 1],
    ],
  );
  assert.equal(await sampleValue(agent.toolCalls, { agent: 'support', tool: 'search', status: 'timeout' }), 1);
  assert.equal(await sampleValue(agent.turns, { agent: 'support' }), 2);
  assert.equal(await sampleValue(agent.guardrailRetries, { agent: 'support', guardrail: 'json_schema' }), 1);
  assert.equal(await sampleValue(agent.budgetExhausted, { agent: 'support', budget: 'tokens' }), 1);
  assert.equal(agent.invocations.name, 'vigil_agent_invocations_total');
});

test('an LLM call records input and output tokens, its duration, in the OpenTelemetry buckets', async () => {
  const { agent } = agentMetrics();
  agent.recordLlmCall({
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 1200,
    outputTokens: 30,
    durationSeconds: 0.9,
  });
  const common = { gen_ai_request_model: 'gpt-4o', gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai' };

  const tokens = await samples(agent.tokenUsage);
  const input = tokens.filter((s) => s.labels.gen_ai_token_type === 'input');
  assert.deepEqual(
    input.filter((s) => s.name.endsWith('_bucket')).map((s) => s.labels.le),
    [...GEN_AI_TOKEN_BUCKETS, '+Inf'],
  );
  assert.deepEqual(
    GEN_AI_TOKEN_BUCKETS,
    [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
  );
  assert.equal(await sampleValue(agent.tokenUsage, { ...common, gen_ai_token_type: 'input', le: 1024 }), 0);
  assert.equal(await sampleValue(agent.tokenUsage, { ...common, gen_ai_token_type: 'input', le: 4096 }), 1);
  assert.equal(await sampleValue(agent.tokenUsage, { ...common, gen_ai_token_type: 'output', le: 64 }), 1);
  assert.equal(
    await sampleValue(agent.tokenUsage, { ...common, gen_ai_token_type: 'output' }, 'gen_ai_client_token_usage_sum'),
    30,
  );

  const duration = (await samples(agent.operationDuration)).filter((s) => s.name.endsWith('_bucket'));
  assert.deepEqual(
    duration.map((s) => s.labels.le),
    [...GEN_AI_DURATION_BUCKETS, '+Inf'],
  );
  assert.deepEqual(
    GEN_AI_DURATION_BUCKETS,
    [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  );
  assert.equal(await sampleValue(agent.operationDuration, { ...common, le: 0.64 }), 0);
  assert.equal(await sampleValue(agent.operationDuration, { ...common, le: 1.28 }), 1);
  assert.deepEqual(await samples(agent.llmErrors), [], 'a successful call is not an error');
});

test('a failed LLM call carries error_type on its duration and counts in the error counter', async () => {
  const { agent } = agentMetrics();
  agent.recordLlmCall({
    model: 'claude',
    provider: 'anthropic',
    operation: 'text_completion',
    durationSeconds: 0.2,
    errorType: 'rate_limited',
  });
  agent.recordLlmCall({
    model: 'claude',
    provider: 'anthropic',
    operation: 'text_completion',
    errorType: 'rate_limited',
  });
  const labels = {
    gen_ai_request_model: 'claude',
    gen_ai_operation_name: 'text_completion',
    gen_ai_provider_name: 'anthropic',
    error_type: 'rate_limited',
  };
  assert.equal(await sampleValue(agent.llmErrors, labels), 2);
  assert.equal(await sampleValue(agent.operationDuration, labels, 'gen_ai_client_operation_duration_seconds_count'), 1);
  assert.equal(agent.llmErrors.name, 'vigil_gen_ai_client_errors_total');
  assert.deepEqual(await samples(agent.tokenUsage), [], 'no token counts given, none recorded');
});

test('negative or non-numeric token counts and durations are refused, counted and logged, never thrown', async () => {
  const { agent, metrics, out } = agentMetrics();
  agent.recordLlmCall({ model: 'm', provider: 'p', inputTokens: -5, outputTokens: Number.NaN, durationSeconds: -1 });
  assert.deepEqual(await samples(agent.tokenUsage), []);
  assert.deepEqual(await samples(agent.operationDuration), []);
  const rejected = metrics.registry.getSingleMetric('vigil_metrics_rejected_samples_total')!;
  const values = (await rejected.get()).values.map((v) => [v.labels.metric, v.value]);
  assert.deepEqual(values, [
    ['gen_ai_client_token_usage', 2],
    ['gen_ai_client_operation_duration_seconds', 1],
  ]);
  assert.equal(out.lines.filter((line) => line.level === 'warning').length, 2, 'one warning per metric');
});

test('an LLM call adds its cost to vigil_llm_cost_usd_total; an unpriced one counts apart and adds nothing', async () => {
  const { agent } = agentMetrics();
  const call = { model: 'gpt-4o', provider: 'openai', durationSeconds: 1 };
  agent.recordLlmCall({ ...call, costUsd: 0.004 });
  agent.recordLlmCall({ ...call, costUsd: 0.0015 });
  agent.recordLlmCall({ ...call, model: 'local-llama', costUsd: null });
  agent.recordLlmCall({ ...call, model: 'unpriced-by-caller' });
  const labels = { gen_ai_request_model: 'gpt-4o', gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai' };

  assert.ok(Math.abs((await sampleValue(agent.llmCost, labels))! - 0.0055) < 1e-12);
  assert.deepEqual(
    (await samples(agent.llmCost)).map((s) => s.labels.gen_ai_request_model),
    ['gpt-4o'],
    'null and absent costs add no series',
  );
  assert.deepEqual(
    (await samples(agent.llmUnpriced)).map((s) => [s.labels.gen_ai_request_model, s.value]),
    [['local-llama', 1]],
    'a null cost is unpriced; an absent one means the caller does not price calls',
  );
  assert.equal(agent.llmCost.name, 'vigil_llm_cost_usd_total');
  assert.equal(agent.llmUnpriced.name, 'vigil_llm_calls_unpriced_total');
});

test('a negative or NaN cost is refused and counted, never added', async () => {
  const { agent, metrics } = agentMetrics();
  agent.recordLlmCall({ model: 'm', provider: 'p', costUsd: -1 });
  agent.recordLlmCall({ model: 'm', provider: 'p', costUsd: Number.NaN });
  assert.deepEqual(await samples(agent.llmCost), []);
  const rejected = metrics.registry.getSingleMetric('vigil_metrics_rejected_samples_total')!;
  assert.deepEqual(
    (await rejected.get()).values.map((v) => [v.labels.metric, v.value]),
    [['vigil_llm_cost_usd_total', 2]],
  );
});

test('the cost counters hold no more label sets than the guard allows', async () => {
  const { log } = captureLogger();
  const metrics = createMetrics({ defaultMetrics: false, maxSeriesPerMetric: 2, logger: log });
  for (const model of ['a', 'b', 'c', 'd']) {
    metrics.agent.recordLlmCall({ model, provider: 'p', costUsd: 0.01 });
    metrics.agent.recordLlmCall({ model, provider: 'p', costUsd: null });
  }
  assert.equal(metrics.agent.llmCost.seriesCount, 2);
  assert.equal(metrics.agent.llmUnpriced.seriesCount, 2);
  const dropped = metrics.registry.getSingleMetric('vigil_metrics_dropped_series_total')!;
  assert.deepEqual(
    (await dropped.get()).values.map((v) => [v.labels.metric, v.value]),
    [
      ['vigil_llm_cost_usd_total', 2],
      ['vigil_llm_calls_unpriced_total', 2],
    ],
  );
});
