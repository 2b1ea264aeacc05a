import type { TokenUsage } from '../cost/types.js';
import { filledUsage, normalizeUsage } from '../cost/usage.js';
import { newInvocationId } from '../invocations/id.js';
import { hashInput, type InvocationRow } from '../invocations/row.js';
import { failSpan, GEN_AI, setAttributes, VIGIL_ATTR } from '../tracing/gen-ai.js';
import type { SpanLike } from '../tracing/otel-api.js';
import { badDuration, type RecorderCore, text, validDuration } from './core.js';
import { errorTypeOf, statusOfErrorType } from './error-type.js';
import type { LlmCallMeta, LlmCallOptions, LlmCallResult } from './options.js';
import { type ResponseFacts, readResponse } from './response.js';

/**
 * LLM calls: `call` wraps one (timing it, reading usage from the result, recording success or
 * failure) and `record` takes one already made. Each feeds session metrics, Prometheus, cost
 * and budgets, a `llm.call.*` event, a `chat` span and one invocation row. Neither throws.
 */
export class LlmRecorder {
  readonly #core: RecorderCore;

  constructor(core: RecorderCore) {
    this.#core = core;
  }

  /** Records a finished call; returns the invocation row's id (undefined when the record is invalid or recording failed). */
  record(call: LlmCallResult): string | undefined {
    const core = this.#core;
    try {
      if (!validDuration(call.durationMs)) throw badDuration('llm.record', call.durationMs);
      const startedAt = call.startedAt ?? core.now() - call.durationMs;
      const span = core.tracer.enabled ? this.#startSpan(call, startedAt) : null;
      return this.#finish(call, call, startedAt, span);
    } catch (error) {
      core.failed('llm', error);
      return undefined;
    }
  }

  /**
   * Makes the call `fn` under a `chat` span and records it; returns what `fn` returns and
   * rethrows what it throws, unchanged.
   */
  async call<T>(meta: LlmCallOptions<T>, fn: () => T | Promise<T>): Promise<T> {
    const core = this.#core;
    const startedAt = core.now();
    const t0 = core.clock();
    let span: SpanLike | null = null;
    try {
      if (core.tracer.enabled) span = this.#startSpan(meta, startedAt);
    } catch (error) {
      core.failed('llm', error);
    }
    let result: T;
    try {
      result = await core.tracer.run(span, fn);
    } catch (error) {
      this.#safeFinish(meta, { durationMs: core.clock() - t0, error }, startedAt, span);
      throw error;
    }
    const durationMs = core.clock() - t0;
    let facts: ResponseFacts = {};
    try {
      facts = meta.readResponse ? meta.readResponse(result) : readResponse(result);
    } catch (error) {
      core.failed('read_response', error);
    }
    this.#safeFinish(
      meta,
      {
        durationMs,
        rawUsage: facts.usage,
        responseModel: facts.model,
        responseId: facts.id,
        finishReasons: facts.finishReasons,
      },
      startedAt,
      span,
    );
    return result;
  }

  /**
   * Starts a call whose end you report yourself, e.g. a stream: `end(facts)` once the last
   * chunk (with the usage) arrived, or `fail(error)`. Only the first of them records. The `chat`
   * span is not made active; use `call` when work inside should nest under it.
   */
  start(meta: LlmCallMeta): LlmCallHandle {
    const core = this.#core;
    const startedAt = core.now();
    const t0 = core.clock();
    let span: SpanLike | null = null;
    try {
      if (core.tracer.enabled) span = this.#startSpan(meta, startedAt);
    } catch (error) {
      core.failed('llm', error);
    }
    let done = false;
    const finish = (outcome: Omit<LlmCallResult, 'model' | 'durationMs'>): string | undefined => {
      if (done) return undefined;
      done = true;
      return this.#safeFinish(meta, { ...outcome, durationMs: core.clock() - t0 }, startedAt, span);
    };
    return {
      end: (given) => {
        const facts: ResponseFacts = given !== null && typeof given === 'object' ? given : {};
        return finish({
          rawUsage: facts.usage,
          responseModel: facts.model,
          responseId: facts.id,
          finishReasons: facts.finishReasons,
        });
      },
      fail: (error) => finish({ error: error ?? new Error('failed (no error given)') }),
    };
  }

  #safeFinish(
    meta: LlmCallMeta,
    outcome: Omit<LlmCallResult, 'model'>,
    startedAt: number,
    span: SpanLike | null,
  ): string | undefined {
    try {
      return this.#finish(meta, outcome, startedAt, span);
    } catch (error) {
      this.#core.failed('llm', error);
      try {
        span?.end();
      } catch {
        // Already counted; a span that cannot end is the tracer's problem.
      }
      return undefined;
    }
  }

  #startSpan(meta: LlmCallMeta, startedAt: number): SpanLike | null {
    const operation = meta.operation ?? 'chat';
    return this.#core.tracer.start(
      `${operation} ${meta.model}`,
      'client',
      {
        [GEN_AI.OPERATION_NAME]: operation,
        [GEN_AI.PROVIDER_NAME]: meta.provider ?? this.#core.provider,
        [GEN_AI.REQUEST_MODEL]: meta.model,
        [GEN_AI.CONVERSATION_ID]: text(meta.sessionId) ?? text(this.#core.scope().session_id),
        [GEN_AI.AGENT_NAME]: meta.agent ?? this.#core.agent,
      },
      startedAt,
    );
  }

  #finish(meta: LlmCallMeta, outcome: Omit<LlmCallResult, 'model'>, startedAt: number, span: SpanLike | null): string {
    const core = this.#core;
    const scope = core.scope();
    const provider = meta.provider ?? core.provider;
    const operation = meta.operation ?? 'chat';
    const modelActual = outcome.responseModel ?? meta.model;
    const durationMs = outcome.durationMs;
    const failed = outcome.error !== undefined || outcome.errorType !== undefined;
    const errorType = failed ? (outcome.errorType ?? errorTypeOf(outcome.error)) : undefined;

    let usage: TokenUsage | null = null;
    let costUsd: number | null = null;
    if (core.costs !== undefined) {
      const priced = core.costs.price({
        model: modelActual,
        provider,
        usage: outcome.usage,
        rawUsage: outcome.rawUsage,
        costUsd: meta.costUsd,
        at: startedAt,
      });
      usage = priced.usage;
      costUsd = priced.costUsd;
    } else {
      usage = usageWithoutCost(outcome, provider, (error) => core.failed('usage', error));
      costUsd = meta.costUsd ?? null;
    }
    const tokensIn = usage?.inputTokens ?? 0;
    const tokensOut = usage?.outputTokens ?? 0;
    const sessionId = text(meta.sessionId) ?? text(scope.session_id);
    const userId = meta.userId ?? text(scope.user_id);

    if (sessionId !== undefined && core.sessions !== undefined) {
      core.sessions.recordLlmCall(
        { preferAppId: core.app, sessionId },
        {
          promptTokens: tokensIn,
          completionTokens: tokensOut,
          durationMs,
          model: modelActual,
          provider,
        },
      );
    }
    core.metrics?.agent.recordLlmCall({
      model: meta.model,
      provider,
      operation,
      inputTokens: usage === null ? undefined : tokensIn,
      outputTokens: usage === null ? undefined : tokensOut,
      durationSeconds: durationMs / 1000,
      errorType,
      costUsd,
    });
    if (costUsd !== null) core.budgets?.record({ costUsd, app: core.app, user: userId });

    const error = failed ? core.summary(outcome.error ?? errorType) : null;
    const row: InvocationRow = {
      id: newInvocationId(),
      ts: startedAt,
      app_id: core.app,
      session_id: sessionId ?? null,
      correlation_id: text(scope.correlation_id) ?? null,
      task_type: meta.taskType ?? operation,
      model_alias: meta.modelAlias ?? null,
      model_actual: modelActual,
      provider,
      input_hash: meta.inputHash ?? (meta.prompt === undefined ? null : hashInput(meta.prompt)),
      latency_ms: durationMs,
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      cache_read_tokens_in: usage?.cacheReadInputTokens ?? 0,
      cache_creation_tokens_in: usage?.cacheCreationInputTokens ?? 0,
      cost_usd: costUsd,
      user_id: userId ?? null,
      task_id: meta.taskId ?? text(scope.task_id) ?? null,
      is_shadow: meta.isShadow ?? false,
      skill_id: meta.skillId ?? null,
      escalation_request_id: meta.escalationRequestId ?? null,
      chain_id: meta.chainId ?? null,
      caller: meta.caller ?? null,
      queue_wait_ms: meta.queueWaitMs ?? null,
      overflow_escalated: meta.overflowEscalated ?? false,
      status: errorType === undefined ? 'ok' : statusOfErrorType(errorType),
      error,
    };
    core.emit(row);

    if (span !== null) {
      if (span.isRecording()) {
        setAttributes(span, {
          [GEN_AI.RESPONSE_MODEL]: outcome.responseModel,
          [GEN_AI.RESPONSE_ID]: outcome.responseId,
          [GEN_AI.RESPONSE_FINISH_REASONS]: outcome.finishReasons,
          [GEN_AI.USAGE_INPUT_TOKENS]: usage?.inputTokens,
          [GEN_AI.USAGE_OUTPUT_TOKENS]: usage?.outputTokens,
          [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: usage?.cacheReadInputTokens,
          [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS]: usage?.cacheCreationInputTokens,
          [VIGIL_ATTR.COST_USD]: costUsd,
          [VIGIL_ATTR.TASK_TYPE]: row.task_type,
          [VIGIL_ATTR.INVOCATION_ID]: row.id,
        });
        if (errorType !== undefined) failSpan(span, errorType, errorName(outcome.error), error ?? errorType);
      }
      span.end(startedAt + durationMs);
    }

    const fields = {
      invocation_id: row.id,
      model: meta.model,
      model_actual: modelActual,
      provider,
      task_type: row.task_type,
      latency_ms: durationMs,
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      cost_usd: costUsd,
      session_id: sessionId,
    };
    if (errorType === undefined) core.log().event('llm.call.completed', fields);
    else core.log().event('llm.call.failed', { ...fields, error_type: errorType, error });
    return row.id;
  }
}

/** Usage when no CostMeter runs: given, or read from the raw usage (unreadable counts as unknown). */
/** Usage read without pricing (costs off); an unreadable one is null and reported to `unreadable`. */
function usageWithoutCost(
  outcome: Omit<LlmCallResult, 'model'>,
  provider: string,
  unreadable: (error: unknown) => void,
): TokenUsage | null {
  try {
    if (outcome.usage !== undefined && outcome.usage !== null) return filledUsage(outcome.usage);
    return outcome.rawUsage === undefined ? null : normalizeUsage(provider, outcome.rawUsage);
  } catch (error) {
    unreadable(error);
    return null;
  }
}

/** A call started with `llm.start`, ended by one of its methods (later calls do nothing). */
export interface LlmCallHandle {
  /** Records success with what the response said (usage, model, id, finish reasons); returns the row id. */
  end(facts?: ResponseFacts): string | undefined;
  /** Records failure; returns the row id. */
  fail(error: unknown): string | undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}
