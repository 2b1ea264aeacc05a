import { context, type Logger } from '@vigil/sdk';
import type { Budgets } from '@vigil/sdk/cost';
import type { Recorder } from '@vigil/sdk/recording';
import type { SessionRegistry } from '@vigil/sdk/sessions';
import { ApiError } from '../errors.js';
import type { LlmClient, LlmTally } from '../llm/client.js';
import { LlmError } from '../llm/errors.js';
import { TOKENS_PER_TOOL_SCHEMA, type Usage } from '../llm/provider.js';
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
  /** The conversations: history and turn numbering. */
  sessions: SessionStore;
  /** Per-session metrics (fed by the recorder); the agent names each session's user, channel and model. */
  sessionMetrics: SessionRegistry;
  llm: LlmClient;
  toolbox: Toolbox;
  /** Records the turn: `vigil_agent_*` metrics, the session's turn count, `agent.failed`. */
  recorder: Recorder;
  /** Spending limits, checked before a turn starts. */
  budgets: Budgets;
  /** The app the budgets are checked for. */
  appId: string;
  logger: Logger;
  now: () => number;
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

  /** Runs one turn of a session; throws ApiError BUDGET_EXHAUSTED, SESSION_BUSY or LLM_UNAVAILABLE. */
  async runTurn(sessionId: string, input: TurnInput): Promise<TurnResult> {
    const { sessions, sessionMetrics, llm, toolbox, recorder, now } = this.#options;
    this.#checkBudget(input.userId);
    const session = sessions.open(sessionId);
    if (session.busy) {
      throw new ApiError('SESSION_BUSY', `session "${sessionId}" is already running a turn; retry when it ends`);
    }
    session.busy = true;
    const started = now();
    const turn = ++session.turnsStarted;
    // Every later line of this request (the request line too) names the session and its turn.
    context.set('session_id', sessionId);
    context.set('task_id', `${sessionId}#${turn}`);
    sessionMetrics.start(sessionId, {
      agentId: AGENT_NAME,
      channel: 'api',
      model: llm.model,
      provider: llm.provider,
      ...(input.userId === undefined ? {} : { userId: input.userId }),
    });
    this.#log.event(
      'agent.dispatched',
      { session_id: sessionId, turn, history_messages: session.history.length },
      `turn ${turn} of session ${sessionId} started`,
    );

    const tally: LlmTally = { calls: 0, promptTokens: 0, completionTokens: 0 };
    const toolCalls: ToolCallOutcome[] = [];
    const written: ChatMessage[] = [{ role: 'user', content: input.text, tokens: estimateTokens(input.text) }];
    // What the turn's first prompt is made of, for the session's context breakdown.
    sessionMetrics.setContextBreakdown(sessionId, {
      systemTokens: this.#system.tokens,
      toolsTokens: toolbox.tools.length * TOKENS_PER_TOOL_SCHEMA,
      messagesTokens: [...session.history, ...written].reduce((sum, message) => sum + message.tokens, 0),
    });
    try {
      // The recorder logs agent.failed with the error it sees, so that error says what happened.
      const reply = await recorder.agent.turn({ sessionId, model: llm.model, provider: llm.provider }, () =>
        this.#converse([this.#system, ...session.history], written, toolCalls, tally, input.delayMs).catch(
          (error: unknown) => {
            throw explained(error, tally.calls);
          },
        ),
      );
      written.push({ role: 'assistant', content: reply.text, tokens: reply.usage.completion_tokens });
      sessions.remember(session, written);
      const result: TurnResult = {
        session_id: sessionId,
        turn,
        reply: reply.text,
        usage: usageOf(tally),
        tool_calls: toolCalls,
        llm_calls: tally.calls,
        duration_ms: now() - started,
      };
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
      // A bug is logged with its stack by the error handler; the client gets INTERNAL.
      if (!(error instanceof LlmError)) throw error;
      throw new ApiError('LLM_UNAVAILABLE', `${error.message}; try again later`);
    } finally {
      session.busy = false;
    }
  }

  // A turn that would spend beyond an exhausted budget is refused before it calls anything.
  #checkBudget(userId: string | undefined): void {
    const { budgets, appId, now } = this.#options;
    const check = budgets.check({ app: appId, ...(userId === undefined ? {} : { user: userId }) });
    const [spent] = check.exhausted;
    if (check.allowed || spent === undefined) return;
    const resetsAt = spent.resetsAt === undefined ? undefined : Date.parse(spent.resetsAt);
    const retryAfter = resetsAt === undefined ? undefined : Math.max(1, Math.ceil((resetsAt - now()) / 1000));
    throw new ApiError(
      'BUDGET_EXHAUSTED',
      `the ${spent.budget} LLM budget of $${spent.limitUsd} is spent ($${spent.spentUsd.toFixed(4)} since ` +
        `${spent.since}); turns resume ${spent.resetsAt === undefined ? 'as older spend leaves the window' : `at ${spent.resetsAt}`}`,
      undefined,
      retryAfter,
    );
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

// The provider's last error, reworded to say how the whole turn went (the attempts, retries included).
function explained(error: unknown, calls: number): unknown {
  if (!(error instanceof LlmError)) return error;
  const attempts = `${calls} attempt${calls === 1 ? '' : 's'}`;
  const why = error.kind === 'rate_limited' ? 'kept rate-limiting (HTTP 429)' : `answered HTTP ${error.status}`;
  return new LlmError(error.kind, error.status, `the LLM provider ${why} after ${attempts}`, error.retryAfterMs);
}

function usageOf(tally: LlmTally): Usage {
  const { promptTokens, completionTokens } = tally;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}
