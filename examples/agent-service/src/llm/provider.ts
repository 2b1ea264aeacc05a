import { between, logNormal, pick, type Random, type Sleep } from '../random.js';
import type { Tool } from '../tools/tool.js';
import type { ToolCallRequest } from '../tools/toolbox.js';
import { LlmError } from './errors.js';
import { type ChatMessage, chooseToolCalls, writeReply } from './simulated-model.js';

/** Token counts of one call, named as providers name them. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** One chat-completion request. */
export interface CompletionRequest {
  messages: readonly ChatMessage[];
  tools: readonly Tool[];
  /** Fixes the simulated latency instead of drawing it (the request's `delayMs`). */
  latencyMs?: number;
}

/** The provider's answer: either tool calls to make, or the reply text. */
export interface Completion {
  text: string;
  toolCalls: ToolCallRequest[];
  finishReason: 'stop' | 'tool_calls';
  usage: Usage;
}

/** Settings of the simulated provider; the rates are per call, between 0 and 1. */
export interface ProviderSettings {
  /** The provider's name in logs. Default `simulated`. */
  provider?: string;
  /** The model's name in logs. Default `sim-chat-1`. */
  model?: string;
  /** Share of calls answered with HTTP 429. Default 0.03. */
  rateLimitRate?: number;
  /** Share of calls answered with HTTP 5xx. Default 0.02. */
  errorRate?: number;
  /** Median latency of a call in ms (log-normal). Default 650, so most calls take 300–1500 ms. */
  medianLatencyMs?: number;
}

/** What a tool's definition, sent along with every prompt, costs in prompt tokens. */
export const TOKENS_PER_TOOL_SCHEMA = 60;

/**
 * A stand-in for an LLM provider's chat API: log-normal latency, token counts that grow with
 * the conversation, rate limits and server errors, all drawn from the injected `random`.
 * The first draw of every call decides its fault, so tests can script one with a single number.
 */
export class SimulatedProvider {
  readonly provider: string;
  readonly model: string;
  readonly #rateLimitRate: number;
  readonly #errorRate: number;
  readonly #medianLatencyMs: number;
  readonly #random: Random;
  readonly #sleep: Sleep;

  constructor(settings: ProviderSettings, random: Random, sleep: Sleep) {
    this.provider = settings.provider ?? 'simulated';
    this.model = settings.model ?? 'sim-chat-1';
    this.#rateLimitRate = settings.rateLimitRate ?? 0.03;
    this.#errorRate = settings.errorRate ?? 0.02;
    this.#medianLatencyMs = settings.medianLatencyMs ?? 650;
    this.#random = random;
    this.#sleep = sleep;
  }

  /** Sends one chat completion; throws an LlmError for a rate limit or a server error. */
  async complete(request: CompletionRequest): Promise<Completion> {
    const random = this.#random;
    const fault = random();
    if (fault < this.#rateLimitRate) {
      // Rate limits are refused up front, so they come back fast.
      await this.#sleep(request.latencyMs ?? between(random, 20, 80));
      const retryAfterMs = between(random, 2, 10) * 100;
      throw new LlmError('rate_limited', 429, `rate limit reached for ${this.model}`, retryAfterMs);
    }
    const latency = request.latencyMs ?? logNormal(random, this.#medianLatencyMs, 0.45, 120, 8000);
    await this.#sleep(latency);
    if (fault < this.#rateLimitRate + this.#errorRate) {
      const status = pick(random, [500, 502, 503] as const);
      throw new LlmError('server_error', status, `${this.provider} answered HTTP ${status}`);
    }

    let prompt = request.tools.length * TOKENS_PER_TOOL_SCHEMA;
    for (const message of request.messages) prompt += message.tokens;
    const last = request.messages.at(-1);
    const toolCalls = last?.role === 'user' ? chooseToolCalls(random, last.content, request.tools) : [];
    const text = toolCalls.length > 0 ? '' : writeReply(random, request.messages);
    // A tool call is a few dozen tokens of JSON; a reply is anything from a line to a few paragraphs.
    const completion = toolCalls.length > 0 ? between(random, 15, 40) * toolCalls.length : between(random, 20, 400);
    return {
      text,
      toolCalls,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    };
  }
}
