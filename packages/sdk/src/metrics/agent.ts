import type { BoundedCounter, BoundedHistogram } from './bounded.js';
import type { Metrics } from './metrics.js';
import type { CounterSeries, HistogramSeries } from './series.js';
import { SeriesCache } from './series-cache.js';

/** Bucket bounds the OpenTelemetry GenAI conventions give for `gen_ai.client.token.usage`. */
export const GEN_AI_TOKEN_BUCKETS: readonly number[] = Object.freeze([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/** Bucket bounds the OpenTelemetry GenAI conventions give for `gen_ai.client.operation.duration`, in seconds. */
export const GEN_AI_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);

/** How an agent invocation ended. */
export type InvocationStatus = 'ok' | 'error' | 'cancelled' | 'timeout' | 'budget_exhausted';
/** How a tool call ended. */
export type ToolCallStatus = 'ok' | 'error' | 'timeout' | 'cancelled';
/**
 * Why an LLM call failed, as `error_type` (OpenTelemetry `error.type`): one of these, or
 * another short, fixed identifier such as an exception class name. Never a message.
 */
export type LlmErrorType =
  | 'rate_limited'
  | 'timeout'
  | 'server_error'
  | 'invalid_request'
  | 'authentication'
  | 'content_filter'
  | 'context_length_exceeded'
  | 'cancelled'
  | '_OTHER'
  | (string & {});

/** One LLM call, as `recordLlmCall` takes it. */
export interface LlmCall {
  /** The requested model (`gen_ai_request_model`), e.g. `gpt-4o`. */
  model: string;
  /** The provider (`gen_ai_provider_name`), e.g. `openai`, `anthropic`, `aws.bedrock`. */
  provider: string;
  /** The operation (`gen_ai_operation_name`): `chat` (default), `text_completion`, `embeddings`, `generate_content`, ... */
  operation?: string;
  /** Input (prompt) tokens, billable ones when the provider tells them apart. */
  inputTokens?: number;
  /** Output (completion) tokens. */
  outputTokens?: number;
  /** How long the call took, in seconds. */
  durationSeconds?: number;
  /** Set when the call failed: a short identifier, see `LlmErrorType`. */
  errorType?: LlmErrorType;
  /**
   * Its cost in USD, added to `vigil_llm_cost_usd_total`; `null` when it could not be priced
   * (counted in `vigil_llm_calls_unpriced_total` instead); absent when you do not price calls.
   */
  costUsd?: number | null;
}

type GenAiLabel = 'gen_ai_request_model' | 'gen_ai_operation_name' | 'gen_ai_provider_name';
const GEN_AI_LABELS: readonly GenAiLabel[] = ['gen_ai_request_model', 'gen_ai_operation_name', 'gen_ai_provider_name'];
const INVOCATION_STATUSES = new Set<string>(['ok', 'error', 'cancelled', 'timeout', 'budget_exhausted']);
const TOOL_STATUSES = new Set<string>(['ok', 'error', 'timeout', 'cancelled']);

/** `status` as given when it is one of the known ones, else `other`: the label set stays small. */
function bounded(status: string, known: Set<string>): string {
  return known.has(status) ? status : 'other';
}

/**
 * The agent families (`vigil_agent_*`) and the OpenTelemetry GenAI client metrics in
 * Prometheus naming. Labels are low-cardinality by design: agent, tool, model, provider,
 * status; never a session, user or request id (those belong to session metrics and logs).
 */
export class AgentMetrics {
  /** `vigil_agent_invocations_total{agent,status}` */
  readonly invocations: BoundedCounter<'agent' | 'status'>;
  /** `vigil_agent_tool_calls_total{agent,tool,status}` */
  readonly toolCalls: BoundedCounter<'agent' | 'tool' | 'status'>;
  /** `vigil_agent_turns_total{agent}` */
  readonly turns: BoundedCounter<'agent'>;
  /** `vigil_agent_guardrail_retries_total{agent,guardrail}` */
  readonly guardrailRetries: BoundedCounter<'agent' | 'guardrail'>;
  /** `vigil_agent_budget_exhausted_total{agent,budget}` */
  readonly budgetExhausted: BoundedCounter<'agent' | 'budget'>;
  /** `gen_ai_client_token_usage{gen_ai_token_type,gen_ai_request_model,gen_ai_operation_name,gen_ai_provider_name}` */
  readonly tokenUsage: BoundedHistogram<GenAiLabel | 'gen_ai_token_type'>;
  /** `gen_ai_client_operation_duration_seconds{gen_ai_request_model,gen_ai_operation_name,gen_ai_provider_name,error_type}` */
  readonly operationDuration: BoundedHistogram<GenAiLabel | 'error_type'>;
  /** `vigil_gen_ai_client_errors_total{gen_ai_request_model,gen_ai_operation_name,gen_ai_provider_name,error_type}` */
  readonly llmErrors: BoundedCounter<GenAiLabel | 'error_type'>;
  /** `vigil_llm_cost_usd_total{gen_ai_request_model,gen_ai_operation_name,gen_ai_provider_name}` */
  readonly llmCost: BoundedCounter<GenAiLabel>;
  /** `vigil_llm_calls_unpriced_total{gen_ai_request_model,gen_ai_operation_name,gen_ai_provider_name}` */
  readonly llmUnpriced: BoundedCounter<GenAiLabel>;

  constructor(metrics: Metrics) {
    this.invocations = metrics.counter({
      name: 'vigil_agent_invocations_total',
      help: 'Agent invocations finished, by agent and outcome (ok, error, cancelled, timeout, budget_exhausted).',
      labelNames: ['agent', 'status'],
    });
    this.toolCalls = metrics.counter({
      name: 'vigil_agent_tool_calls_total',
      help: 'Tool calls made by agents, by agent, tool and outcome (ok, error, timeout, cancelled).',
      labelNames: ['agent', 'tool', 'status'],
    });
    this.turns = metrics.counter({
      name: 'vigil_agent_turns_total',
      help: 'Agent turns completed (one model response acted upon), by agent.',
      labelNames: ['agent'],
    });
    this.guardrailRetries = metrics.counter({
      name: 'vigil_agent_guardrail_retries_total',
      help: 'Retries an agent made because a guardrail rejected its output, by agent and guardrail.',
      labelNames: ['agent', 'guardrail'],
    });
    this.budgetExhausted = metrics.counter({
      name: 'vigil_agent_budget_exhausted_total',
      help: 'Agent invocations stopped because a budget ran out, by agent and budget (tokens, cost, turns, time, ...).',
      labelNames: ['agent', 'budget'],
    });
    this.tokenUsage = metrics.histogram({
      name: 'gen_ai_client_token_usage',
      help: 'Tokens used per GenAI operation (OpenTelemetry gen_ai.client.token.usage), by token type, model, operation and provider.',
      labelNames: ['gen_ai_token_type', ...GEN_AI_LABELS],
      buckets: GEN_AI_TOKEN_BUCKETS,
    });
    this.operationDuration = metrics.histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'Duration of GenAI operations in seconds (OpenTelemetry gen_ai.client.operation.duration), by model, operation, provider and, for failures, error type.',
      labelNames: [...GEN_AI_LABELS, 'error_type'],
      buckets: GEN_AI_DURATION_BUCKETS,
    });
    this.llmErrors = metrics.counter({
      name: 'vigil_gen_ai_client_errors_total',
      help: 'GenAI operations that ended in an error, by model, operation, provider and error type (rate_limited, timeout, ...).',
      labelNames: [...GEN_AI_LABELS, 'error_type'],
    });
    // Labelled like the GenAI families (the requested model, not the dated one a provider
    // answers with) so spend lines up with calls and tokens per model in one query.
    this.llmCost = metrics.counter({
      name: 'vigil_llm_cost_usd_total',
      help: 'USD spent on GenAI operations, as priced when each call was recorded, by model, operation and provider.',
      labelNames: GEN_AI_LABELS,
    });
    this.llmUnpriced = metrics.counter({
      name: 'vigil_llm_calls_unpriced_total',
      help: 'GenAI operations recorded with no cost (no known price, or no usage to price), by model, operation and provider.',
      labelNames: GEN_AI_LABELS,
    });
  }

  /** Counts one finished agent invocation; an unknown status counts as `other`. */
  recordInvocation(call: { agent: string; status: InvocationStatus }): void {
    this.invocations.inc({ agent: call.agent, status: bounded(call.status, INVOCATION_STATUSES) });
  }

  /** Counts one tool call; an unknown status counts as `other`. */
  recordToolCall(call: { agent: string; tool: string; status: ToolCallStatus }): void {
    this.toolCalls.inc({ agent: call.agent, tool: call.tool, status: bounded(call.status, TOOL_STATUSES) });
  }

  /** Counts one completed turn. */
  recordTurn(turn: { agent: string }): void {
    this.turns.inc({ agent: turn.agent });
  }

  /** Counts one retry forced by a guardrail (e.g. `json_schema`, `pii`). */
  recordGuardrailRetry(retry: { agent: string; guardrail: string }): void {
    this.guardrailRetries.inc({ agent: retry.agent, guardrail: retry.guardrail });
  }

  /** Counts one invocation stopped by a budget (e.g. `tokens`, `cost`, `turns`, `time`). */
  recordBudgetExhausted(stop: { agent: string; budget: string }): void {
    this.budgetExhausted.inc({ agent: stop.agent, budget: stop.budget });
  }

  /**
   * Records one LLM call: token usage (input and output observed separately, as the
   * conventions ask), its duration, when it failed the error counter, and its cost when given.
   */
  recordLlmCall(call: LlmCall): void {
    const series = this.#series(call.model, call.operation ?? 'chat', call.provider);
    if (call.inputTokens !== undefined) this.#observeTokens(series.input, 'input', call.inputTokens);
    if (call.outputTokens !== undefined) this.#observeTokens(series.output, 'output', call.outputTokens);
    const failed = call.errorType !== undefined && call.errorType !== '';
    const withError = failed ? Object.assign({ error_type: call.errorType }, series.labels) : undefined;
    if (call.durationSeconds !== undefined) {
      if (call.durationSeconds < 0) {
        this.operationDuration.rejectSample(`negative duration ${call.durationSeconds}`);
      } else if (withError !== undefined) {
        this.operationDuration.observe(withError, call.durationSeconds);
      } else {
        series.duration.observe(call.durationSeconds);
      }
    }
    if (withError !== undefined) this.llmErrors.inc(withError);
    if (call.costUsd === null) series.unpriced.inc();
    else if (call.costUsd !== undefined) {
      // NaN passes on to `inc`, which refuses and counts it.
      if (call.costUsd < 0) this.llmCost.rejectSample(`negative cost ${call.costUsd}`);
      else series.cost.inc(call.costUsd);
    }
  }

  // The series of a model/operation/provider, resolved once: resolving them per call (label
  // objects, prom-client's keys) cost more than the observations themselves.
  readonly #cache = new SeriesCache<LlmSeries>(SERIES_CACHE);

  #series(model: string, operation: string, provider: string): LlmSeries {
    const found = this.#cache.get(model, operation, provider);
    if (found !== undefined) return found;
    const labels = { gen_ai_request_model: model, gen_ai_operation_name: operation, gen_ai_provider_name: provider };
    return this.#cache.keep(model, operation, provider, {
      labels,
      input: this.tokenUsage.series(Object.assign({ gen_ai_token_type: 'input' }, labels)),
      output: this.tokenUsage.series(Object.assign({ gen_ai_token_type: 'output' }, labels)),
      duration: this.operationDuration.series(labels),
      cost: this.llmCost.series(labels),
      unpriced: this.llmUnpriced.series(labels),
    });
  }

  #observeTokens(series: HistogramSeries, type: string, tokens: number): void {
    if (tokens >= 0) series.observe(tokens);
    else this.tokenUsage.rejectSample(`negative ${type} token count ${tokens}`);
  }
}

/** The series one model/operation/provider writes on success. */
interface LlmSeries {
  labels: Record<GenAiLabel, string>;
  input: HistogramSeries;
  output: HistogramSeries;
  duration: HistogramSeries;
  cost: CounterSeries;
  unpriced: CounterSeries;
}
/** Most model/operation/provider combinations whose series handles are kept (the guard bounds series anyway). */
const SERIES_CACHE = 1_000;
