import { context, type Logger } from '@vigil/sdk';
import type { AgentMetrics } from '@vigil/sdk/metrics';
import { ApiError } from '../errors.js';
import type { LlmClient, LlmTally } from '../llm/client.js';
import { LlmError } from '../llm/errors.js';
import type { Usage } from '../llm/provider.js';
import type { ChatMessage } from '../llm/simulated-model.js';
import { estimateTokens } from '../llm/tokens.js';
import type { SessionStore } from '../sessions/store.js';
import type { Toolbox, ToolCallOutcome } from '../tools/toolbox.js';
import { AGENT_NAME } from './name.js';

/** What the user sent for one turn. */
export interface TurnInput {
  text: string;
  /** Fixes the simulated latency of every model and tool call of the turn. */
  delayMs?: number;
  userId?: string;
}

/** The answer of one turn, as `POST /v1/sessions/:sessionId/messages` returns it. */
export interface TurnResult {
  session_id: string;
  turn: number;
  reply: string;
  usage: Usage;
  tool_calls: ToolCallOutcome[];
  /** Requests sent to the LLM provider, retries included. */
  llm_calls: number;
  duration_ms: number;
}

/** What an Agent works with. */
export interface AgentOptions {
  sessions: SessionStore;
  llm: LlmClient;
  toolbox: Toolbox;
  logger: Logger;
  now: () => number;
  /** Counts turns and invocations in the agent metrics. */
  metrics?: AgentMetrics;
}

const SYSTEM_PROMPT =
  'You are the Vigil demo assistant. Answer briefly. Use search_docs for product questions, ' +
  'get_weather for weather and calculator for arithmetic.';

/** The demo agent: one turn is a model call, the tools it asks for, then a model call that writes the reply. */
export class Agent {
  readonly #options: AgentOptions;
  readonly #log: Logger;
  readonly #system: ChatMessage = { role: 'system', content: SYSTEM_PROMPT, tokens: estimateTokens(SYSTEM_PROMPT) };

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#log = options.logger.module('agent');
  }

  /** Runs one turn of a session; throws ApiError SESSION_BUSY or LLM_UNAVAILABLE. */
  async runTurn(sessionId: string, input: TurnInput): Promise<TurnResult> {
    const { sessions, now } = this.#options;
    const session = sessions.open(sessionId, input.userId);
    if (session.busy) {
      throw new ApiError('SESSION_BUSY', `session "${sessionId}" is already running a turn; retry when it ends`);
    }
    session.busy = true;
    const started = now();
    const turn = session.turns + session.failedTurns + 1;
    // Every later line of this request (the request line too) names the session and its turn.
    context.set('session_id', sessionId);
    context.set('task_id', `${sessionId}#${turn}`);
    this.#log.event(
      'agent.dispatched',
      { session_id: sessionId, turn, history_messages: session.history.length },
      `turn ${turn} of session ${sessionId} started`,
    );

    const tally: LlmTally = { calls: 0, promptTokens: 0, completionTokens: 0 };
    const toolCalls: ToolCallOutcome[] = [];
    const written: ChatMessage[] = [{ role: 'user', content: input.text, tokens: estimateTokens(input.text) }];
    try {
      const reply = await this.#converse([this.#system, ...session.history], written, toolCalls, tally, input.delayMs);
      written.push({ role: 'assistant', content: reply.text, tokens: reply.usage.completion_tokens });
      const result: TurnResult = {
        session_id: sessionId,
        turn,
        reply: reply.text,
        usage: usageOf(tally),
        tool_calls: toolCalls,
        llm_calls: tally.calls,
        duration_ms: now() - started,
      };
      sessions.record(session, { ok: true, messages: written, tally, ...toolCounts(toolCalls) });
      this.#options.metrics?.recordTurn({ agent: AGENT_NAME });
      this.#options.metrics?.recordInvocation({ agent: AGENT_NAME, status: 'ok' });
      this.#log.event(
        'agent.completed',
        {
          session_id: sessionId,
          turn,
          llm_calls: tally.calls,
          tool_calls: toolCalls.length,
          ...result.usage,
          duration_ms: result.duration_ms,
        },
        `turn ${turn} of session ${sessionId} answered: ${tally.calls} LLM and ${toolCalls.length} tool calls, ` +
          `${result.usage.total_tokens} tokens, ${result.duration_ms} ms`,
      );
      return result;
    } catch (error) {
      sessions.record(session, { ok: false, messages: [], tally, ...toolCounts(toolCalls) });
      this.#options.metrics?.recordInvocation({ agent: AGENT_NAME, status: 'error' });
      const why = failureOf(error, tally.calls);
      this.#log.event(
        'agent.failed',
        { session_id: sessionId, turn, llm_calls: tally.calls, duration_ms: now() - started, ...why.fields },
        `turn ${turn} of session ${sessionId} failed: ${why.message}`,
      );
      if (!(error instanceof LlmError)) throw error;
      throw new ApiError('LLM_UNAVAILABLE', `${why.message}; try again later`);
    } finally {
      session.busy = false;
    }
  }

  // The first call may ask for tools; their answers go back to the model, which then writes the reply.
  async #converse(
    past: ChatMessage[],
    written: ChatMessage[],
    toolCalls: ToolCallOutcome[],
    tally: LlmTally,
    delayMs: number | undefined,
  ) {
    const { llm, toolbox } = this.#options;
    const request = { tools: toolbox.tools, ...(delayMs === undefined ? {} : { latencyMs: delayMs }) };
    const first = await llm.complete({ ...request, messages: [...past, ...written] }, tally);
    if (first.toolCalls.length === 0) return first;
    const asked = first.toolCalls.map((call) => `${call.name}(${JSON.stringify(call.arguments)})`).join(', ');
    written.push({ role: 'assistant', content: asked, tokens: first.usage.completion_tokens });
    for (const call of first.toolCalls) {
      const outcome = await toolbox.call(call, delayMs);
      toolCalls.push(outcome);
      const content = outcome.output ?? `error: ${outcome.error}`;
      written.push({ role: 'tool', toolName: call.name, content, tokens: estimateTokens(content) });
    }
    return llm.complete({ ...request, messages: [...past, ...written] }, tally);
  }
}

// What went wrong, for the log line and the answer; a bug is logged with its stack by the error handler.
function failureOf(error: unknown, calls: number): { message: string; fields: Record<string, unknown> } {
  if (!(error instanceof LlmError)) return { message: 'an unexpected error', fields: { error_kind: 'internal' } };
  const attempts = `${calls} attempt${calls === 1 ? '' : 's'}`;
  const why = error.kind === 'rate_limited' ? 'kept rate-limiting (HTTP 429)' : `answered HTTP ${error.status}`;
  return {
    message: `the LLM provider ${why} after ${attempts}`,
    fields: { error_kind: error.kind, status: error.status },
  };
}

function usageOf(tally: LlmTally): Usage {
  const { promptTokens, completionTokens } = tally;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

function toolCounts(calls: readonly ToolCallOutcome[]): { toolCalls: number; toolErrors: number } {
  return { toolCalls: calls.length, toolErrors: calls.filter((call) => call.status === 'error').length };
}
