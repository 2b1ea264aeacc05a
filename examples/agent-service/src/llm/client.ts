import type { Logger } from '@vigil/sdk';
import type { Recorder } from '@vigil/sdk/recording';
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
  /** Records every request sent to the provider: logs, metrics, session figures, cost, invocation row. */
  recorder: Recorder;
}

const MAX_BACKOFF_MS = 8000;

/**
 * Calls the LLM provider for the agent and retries rate limits with backoff. Each request
 * (retries included) goes through `recorder.llm.call`, which logs `llm.call.completed` or
 * `llm.call.failed`; this client logs what the recorder cannot know: the attempt, the rate
 * limit's Retry-After and the backoff.
 */
export class LlmClient {
  readonly #provider: SimulatedProvider;
  readonly #log: Logger;
  readonly #random: Random;
  readonly #sleep: Sleep;
  readonly #recorder: Recorder;
  readonly #maxRetries: number;
  readonly #backoffMs: number;

  constructor(options: LlmClientOptions) {
    this.#provider = options.provider;
    this.#log = options.logger.module('llm');
    this.#random = options.random;
    this.#sleep = options.sleep;
    this.#recorder = options.recorder;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#backoffMs = options.backoffMs ?? 250;
  }

  /** The model every call asks for. */
  get model(): string {
    return this.#provider.model;
  }

  /** The provider's name (`gen_ai.provider.name`). */
  get provider(): string {
    return this.#provider.provider;
  }

  /** One completion, retrying 429s; throws the last LlmError when the provider keeps failing. */
  async complete(request: CompletionRequest, tally: LlmTally): Promise<Completion> {
    const { provider, model } = this.#provider;
    const meta = {
      model,
      provider,
      // Only hashed (input_hash): the prompt itself is never stored or logged.
      prompt: request.messages.map((message) => message.content),
      readResponse: (completion: Completion) => ({ usage: completion.usage, finishReasons: [completion.finishReason] }),
    };
    for (let attempt = 1; ; attempt++) {
      tally.calls++;
      this.#log.event(
        'llm.call.started',
        { model, provider, attempt, messages: request.messages.length },
        `${model} called`,
      );
      try {
        const completion = await this.#recorder.llm.call(meta, () => this.#provider.complete(request));
        tally.promptTokens += completion.usage.prompt_tokens;
        tally.completionTokens += completion.usage.completion_tokens;
        return completion;
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        if (error.kind === 'rate_limited') {
          this.#log.event(
            'llm.rate_limited',
            { model, provider, attempt, status: error.status, retry_after_ms: error.retryAfterMs },
            `${model} rate-limited the call (HTTP 429)`,
          );
        }
        if (error.kind !== 'rate_limited' || attempt > this.#maxRetries) throw error;
        const backoffMs = this.#backoff(attempt, error.retryAfterMs);
        this.#log.event(
          'llm.call.retried',
          { model, provider, attempt: attempt + 1, backoff_ms: backoffMs, reason: error.kind },
          `retrying ${model} in ${backoffMs} ms (attempt ${attempt + 1})`,
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
