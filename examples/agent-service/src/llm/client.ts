import type { Logger } from '@vigil/sdk';
import type { AgentMetrics } from '@vigil/sdk/metrics';
import type { Random, Sleep } from '../random.js';
import { LlmError } from './errors.js';
import type { Completion, CompletionRequest, SimulatedProvider } from './provider.js';

/** What a turn's LLM calls added up to; the client adds to it as calls happen, failed ones included. */
export interface LlmTally {
  /** Requests sent to the provider, retries included. */
  calls: number;
  promptTokens: number;
  completionTokens: number;
}

/** Retry settings for rate limits. */
export interface RetrySettings {
  /** Retries after a 429 before giving up. Default 3. */
  maxRetries?: number;
  /** First backoff in ms, doubled on each retry (the provider's Retry-After wins when longer). Default 250. */
  backoffMs?: number;
}

/** What an LlmClient needs. */
export interface LlmClientOptions extends RetrySettings {
  provider: SimulatedProvider;
  logger: Logger;
  random: Random;
  sleep: Sleep;
  now: () => number;
  /** Feeds the GenAI client metrics (tokens, duration, errors by type). */
  metrics?: AgentMetrics;
}

const MAX_BACKOFF_MS = 8000;

/** Calls the LLM provider for the agent: retries rate limits with backoff and logs every call. */
export class LlmClient {
  readonly #provider: SimulatedProvider;
  readonly #log: Logger;
  readonly #random: Random;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #maxRetries: number;
  readonly #backoffMs: number;
  readonly #metrics: AgentMetrics | undefined;

  constructor(options: LlmClientOptions) {
    this.#provider = options.provider;
    this.#log = options.logger.module('llm');
    this.#random = options.random;
    this.#sleep = options.sleep;
    this.#now = options.now;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#backoffMs = options.backoffMs ?? 250;
    this.#metrics = options.metrics;
  }

  /** One completion, retrying 429s; throws the last LlmError when the provider keeps failing. */
  async complete(request: CompletionRequest, tally: LlmTally): Promise<Completion> {
    const base = { provider: this.#provider.provider, model: this.#provider.model };
    for (let attempt = 1; ; attempt++) {
      const started = this.#now();
      tally.calls++;
      this.#log.event(
        'llm.call.started',
        { ...base, attempt, messages: request.messages.length },
        `${base.model} called`,
      );
      try {
        const completion = await this.#provider.complete(request);
        tally.promptTokens += completion.usage.prompt_tokens;
        tally.completionTokens += completion.usage.completion_tokens;
        const durationMs = this.#now() - started;
        this.#metrics?.recordLlmCall({
          ...base,
          inputTokens: completion.usage.prompt_tokens,
          outputTokens: completion.usage.completion_tokens,
          durationSeconds: durationMs / 1000,
        });
        this.#log.event(
          'llm.call.completed',
          {
            ...base,
            attempt,
            duration_ms: durationMs,
            ...completion.usage,
            finish_reason: completion.finishReason,
            tool_calls: completion.toolCalls.length,
          },
          `${base.model} answered in ${durationMs} ms ` +
            `(${completion.usage.prompt_tokens} prompt + ${completion.usage.completion_tokens} completion tokens)`,
        );
        return completion;
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        const failure = { ...base, attempt, duration_ms: this.#now() - started, status: error.status };
        this.#metrics?.recordLlmCall({ ...base, durationSeconds: failure.duration_ms / 1000, errorType: error.kind });
        const retry = error.kind === 'rate_limited' && attempt <= this.#maxRetries;
        if (error.kind === 'rate_limited') {
          this.#log.event(
            'llm.rate_limited',
            { ...failure, retry_after_ms: error.retryAfterMs },
            `${base.model} rate-limited the call (HTTP 429)`,
          );
        }
        if (!retry) {
          this.#log.event('llm.call.failed', { ...failure, error_kind: error.kind }, error.message);
          throw error;
        }
        const backoffMs = this.#backoff(attempt, error.retryAfterMs);
        this.#log.event(
          'llm.call.retried',
          {
            ...base,
            attempt: attempt + 1,
            backoff_ms: backoffMs,
            reason: error.kind,
          },
          `retrying ${base.model} in ${backoffMs} ms (attempt ${attempt + 1})`,
        );
        await this.#sleep(backoffMs);
      }
    }
  }

  // Exponential backoff with up to 25% jitter, so clients limited together do not retry together.
  #backoff(attempt: number, retryAfterMs: number | undefined): number {
    const exponential = this.#backoffMs * 2 ** (attempt - 1);
    const wait = Math.max(exponential, retryAfterMs ?? 0) * (1 + 0.25 * this.#random());
    return Math.round(Math.min(MAX_BACKOFF_MS, wait));
  }
}
