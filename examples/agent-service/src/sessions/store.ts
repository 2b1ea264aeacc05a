import type { Logger } from '@vigil/sdk';
import type { LlmTally } from '../llm/client.js';
import type { ChatMessage } from '../llm/simulated-model.js';

/** One conversation: its history and what it has cost so far. */
export interface Session {
  readonly id: string;
  readonly createdAt: number;
  lastActiveAt: number;
  /** The user who opened it, when the request named one. */
  userId: string | undefined;
  /** Completed turns. */
  turns: number;
  failedTurns: number;
  llmCalls: number;
  toolCalls: number;
  toolErrors: number;
  promptTokens: number;
  completionTokens: number;
  /** The recent messages the model sees, oldest first. */
  history: ChatMessage[];
  /** True while a turn runs: one turn at a time, as chat APIs allow. */
  busy: boolean;
}

/** A session as `GET /admin/sessions` lists it. */
export interface SessionSummary {
  session_id: string;
  user_id?: string;
  created_at: string;
  last_active_at: string;
  turns: number;
  failed_turns: number;
  messages: number;
  llm_calls: number;
  tool_calls: number;
  tool_errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** What one turn added to its session. */
export interface TurnRecord {
  ok: boolean;
  messages: readonly ChatMessage[];
  tally: LlmTally;
  toolCalls: number;
  toolErrors: number;
}

/** Options of a SessionStore. */
export interface SessionStoreOptions {
  logger: Logger;
  now: () => number;
  /** Most sessions kept; the least recently active goes first. Default 10 000. */
  maxSessions?: number;
  /** Most history messages kept per session (a context window). Default 40. */
  maxHistoryMessages?: number;
}

/** The in-memory sessions of the agent, keyed by session id. */
export class SessionStore {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently active first.
  readonly #sessions = new Map<string, Session>();
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #maxSessions: number;
  readonly #maxHistory: number;

  constructor(options: SessionStoreOptions) {
    this.#log = options.logger.module('sessions');
    this.#now = options.now;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#maxHistory = options.maxHistoryMessages ?? 40;
  }

  /** The session with this id, created (and logged as `session.started`) on first use. */
  open(id: string, userId: string | undefined): Session {
    const now = this.#now();
    let session = this.#sessions.get(id);
    if (session === undefined) {
      session = newSession(id, userId, now);
      this.#evictIfFull();
      this.#log.event('session.started', { session_id: id }, `session ${id} started`);
    } else {
      this.#sessions.delete(id);
      session.userId ??= userId;
    }
    session.lastActiveAt = now;
    this.#sessions.set(id, session);
    return session;
  }

  /** Adds a finished turn's messages and costs; a failed turn's calls still cost tokens. */
  record(session: Session, turn: TurnRecord): void {
    session.lastActiveAt = this.#now();
    if (turn.ok) {
      session.turns++;
      session.history.push(...turn.messages);
      // A real agent trims old messages to fit the model's context window; this also bounds memory.
      if (session.history.length > this.#maxHistory)
        session.history.splice(0, session.history.length - this.#maxHistory);
    } else {
      session.failedTurns++;
    }
    session.llmCalls += turn.tally.calls;
    session.promptTokens += turn.tally.promptTokens;
    session.completionTokens += turn.tally.completionTokens;
    session.toolCalls += turn.toolCalls;
    session.toolErrors += turn.toolErrors;
  }

  /** Every session with its counters, most recently active first. */
  list(): SessionSummary[] {
    return [...this.#sessions.values()].reverse().map(summarize);
  }

  /** How many sessions are kept. */
  get size(): number {
    return this.#sessions.size;
  }

  #evictIfFull(): void {
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done === true) return;
      this.#sessions.delete(oldest.value);
      this.#log.event(
        'session.closed',
        { session_id: oldest.value, reason: 'evicted' },
        `session ${oldest.value} evicted: too many sessions`,
      );
    }
  }
}

function newSession(id: string, userId: string | undefined, now: number): Session {
  return {
    id,
    createdAt: now,
    lastActiveAt: now,
    userId,
    turns: 0,
    failedTurns: 0,
    llmCalls: 0,
    toolCalls: 0,
    toolErrors: 0,
    promptTokens: 0,
    completionTokens: 0,
    history: [],
    busy: false,
  };
}

function summarize(session: Session): SessionSummary {
  return {
    session_id: session.id,
    ...(session.userId === undefined ? {} : { user_id: session.userId }),
    created_at: new Date(session.createdAt).toISOString(),
    last_active_at: new Date(session.lastActiveAt).toISOString(),
    turns: session.turns,
    failed_turns: session.failedTurns,
    messages: session.history.length,
    llm_calls: session.llmCalls,
    tool_calls: session.toolCalls,
    tool_errors: session.toolErrors,
    prompt_tokens: session.promptTokens,
    completion_tokens: session.completionTokens,
    total_tokens: session.promptTokens + session.completionTokens,
  };
}
