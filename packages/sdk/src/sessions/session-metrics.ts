/** Where a session is in its life: `idle` after a quiet spell, `closed` once ended. */
export type SessionStatus = 'active' | 'idle' | 'closed';

/** One tool's figures within a session, as `tool_metrics[name]`. */
export interface ToolMetricsSnapshot {
  calls: number;
  successes: number;
  failures: number;
  avg_duration_ms: number;
  last_duration_ms: number;
  /** The last failure's message, redacted and cut to 500 characters; null until one fails. */
  last_error: string | null;
}

/** How the context window of the current turn splits, in tokens. */
export interface ContextBreakdownSnapshot {
  system_tokens: number;
  tools_tokens: number;
  messages_tokens: number;
  total_tokens: number;
}

/** A session's metrics as plain JSON, with the field names of the documentation. */
export interface SessionSnapshot {
  app_id: string;
  session_id: string;
  agent_id: string | null;
  user_id: string | null;
  channel: string | null;
  model: string | null;
  provider: string | null;
  status: SessionStatus;
  /** Unix time in seconds (milliseconds as the fraction). */
  created_at: number;
  /** Unix time in seconds of the last recorded activity. */
  last_active_at: number;
  turn: number;
  max_turns: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  llm_calls: number;
  llm_total_ms: number;
  llm_last_ms: number;
  tool_calls_total: number;
  tool_calls_success: number;
  tool_calls_failed: number;
  tool_metrics: Record<string, ToolMetricsSnapshot>;
  context: ContextBreakdownSnapshot;
  memory_goal: string | null;
  memory_facts_count: number;
  memory_todos_count: number;
}

/** The running figures of one tool; internal to the registry. */
export interface ToolState {
  calls: number;
  successes: number;
  failures: number;
  totalMs: number;
  lastMs: number;
  lastError: string | null;
}

/** The mutable state behind a SessionMetrics; only the registry writes it. */
export interface SessionState {
  appId: string;
  sessionId: string;
  agentId: string | null;
  userId: string | null;
  channel: string | null;
  model: string | null;
  provider: string | null;
  closedAt: number | undefined;
  createdAt: number;
  lastActiveAt: number;
  turn: number;
  maxTurns: number | null;
  promptTokens: number;
  completionTokens: number;
  llmCalls: number;
  llmTotalMs: number;
  llmLastMs: number;
  toolCalls: number;
  toolSuccesses: number;
  toolFailures: number;
  tools: Map<string, ToolState>;
  contextSystem: number;
  contextTools: number;
  contextMessages: number;
  memoryGoal: string | null;
  memoryFacts: number;
  memoryTodos: number;
}

/** A new, empty session state. */
export function newSessionState(appId: string, sessionId: string, now: number): SessionState {
  return {
    appId,
    sessionId,
    agentId: null,
    userId: null,
    channel: null,
    model: null,
    provider: null,
    closedAt: undefined,
    createdAt: now,
    lastActiveAt: now,
    turn: 0,
    maxTurns: null,
    promptTokens: 0,
    completionTokens: 0,
    llmCalls: 0,
    llmTotalMs: 0,
    llmLastMs: 0,
    toolCalls: 0,
    toolSuccesses: 0,
    toolFailures: 0,
    tools: new Map(),
    contextSystem: 0,
    contextTools: 0,
    contextMessages: 0,
    memoryGoal: null,
    memoryFacts: 0,
    memoryTodos: 0,
  };
}

/** A session's status at `now`: closed once ended, idle after `idleAfterMs` without activity. */
export function statusAt(state: SessionState, now: number, idleAfterMs: number): SessionStatus {
  if (state.closedAt !== undefined) return 'closed';
  return now - state.lastActiveAt >= idleAfterMs ? 'idle' : 'active';
}

/**
 * The live metrics of one agent session. A read-only view: the registry records into it,
 * and its status follows the registry's clock, so it is right whenever it is read.
 */
export class SessionMetrics {
  readonly #state: SessionState;
  readonly #status: () => SessionStatus;

  /** Made by SessionRegistry; not meant to be constructed by users. */
  constructor(state: SessionState, status: (state: SessionState) => SessionStatus) {
    this.#state = state;
    this.#status = () => status(state);
  }

  /** The session's id. */
  get sessionId(): string {
    return this.#state.sessionId;
  }

  /** The app the session belongs to. */
  get appId(): string {
    return this.#state.appId;
  }

  /** The session's status now. */
  get status(): SessionStatus {
    return this.#status();
  }

  /** Prompt plus completion tokens so far. */
  get totalTokens(): number {
    return this.#state.promptTokens + this.#state.completionTokens;
  }

  /** Every figure as plain JSON. */
  snapshot(): SessionSnapshot {
    return snapshotOf(this.#state, this.#status());
  }
}

/** The JSON view of a state with the given status. */
export function snapshotOf(s: SessionState, status: SessionStatus): SessionSnapshot {
  return {
    app_id: s.appId,
    session_id: s.sessionId,
    agent_id: s.agentId,
    user_id: s.userId,
    channel: s.channel,
    model: s.model,
    provider: s.provider,
    status,
    created_at: s.createdAt / 1000,
    last_active_at: s.lastActiveAt / 1000,
    turn: s.turn,
    max_turns: s.maxTurns,
    prompt_tokens: s.promptTokens,
    completion_tokens: s.completionTokens,
    total_tokens: s.promptTokens + s.completionTokens,
    llm_calls: s.llmCalls,
    llm_total_ms: round(s.llmTotalMs),
    llm_last_ms: round(s.llmLastMs),
    tool_calls_total: s.toolCalls,
    tool_calls_success: s.toolSuccesses,
    tool_calls_failed: s.toolFailures,
    // fromEntries defines properties, so a tool called `__proto__` stays a plain key.
    tool_metrics: Object.fromEntries([...s.tools].map(([name, tool]) => [name, toolSnapshotOf(tool)])),
    context: {
      system_tokens: s.contextSystem,
      tools_tokens: s.contextTools,
      messages_tokens: s.contextMessages,
      total_tokens: s.contextSystem + s.contextTools + s.contextMessages,
    },
    memory_goal: s.memoryGoal,
    memory_facts_count: s.memoryFacts,
    memory_todos_count: s.memoryTodos,
  };
}

/** The JSON view of one tool's figures. */
export function toolSnapshotOf(tool: ToolState): ToolMetricsSnapshot {
  return {
    calls: tool.calls,
    successes: tool.successes,
    failures: tool.failures,
    avg_duration_ms: tool.calls === 0 ? 0 : round(tool.totalMs / tool.calls),
    last_duration_ms: round(tool.lastMs),
    last_error: tool.lastError,
  };
}

/** Milliseconds to the microsecond: enough for latency, and the JSON stays short. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
