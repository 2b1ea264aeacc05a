import type { Logger } from '@vigil/sdk';
import type { ChatMessage } from '../llm/simulated-model.js';

/**
 * One conversation as the agent keeps it: its history, its turn numbering, and whether a turn
 * is running. What it costs (tokens, calls, latencies) is in the SDK's SessionRegistry.
 */
export interface Session {
  readonly id: string;
  /** Turns started so far, failed ones included: numbers the next turn and its `task_id`. */
  turnsStarted: number;
  /** The recent messages the model sees, oldest first. */
  history: ChatMessage[];
  /** True while a turn runs: one turn at a time, as chat APIs allow. */
  busy: boolean;
}

/** Options of a SessionStore. */
export interface SessionStoreOptions {
  logger: Logger;
  /** Most sessions kept; the least recently used goes first. Default 10 000. */
  maxSessions?: number;
  /** Most history messages kept per session (a context window). Default 40. */
  maxHistoryMessages?: number;
  /** Told when a session is evicted, so its metrics can be closed too. */
  onEvicted?: (sessionId: string) => void;
}

/** The in-memory conversations of the agent, keyed by session id. */
export class SessionStore {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  readonly #sessions = new Map<string, Session>();
  readonly #log: Logger;
  readonly #maxSessions: number;
  readonly #maxHistory: number;
  readonly #onEvicted: ((sessionId: string) => void) | undefined;

  constructor(options: SessionStoreOptions) {
    this.#log = options.logger.module('sessions');
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#maxHistory = options.maxHistoryMessages ?? 40;
    this.#onEvicted = options.onEvicted;
  }

  /** The session with this id, created (and logged as `session.started`) on first use. */
  open(id: string): Session {
    let session = this.#sessions.get(id);
    if (session === undefined) {
      session = { id, turnsStarted: 0, history: [], busy: false };
      this.#evictIfFull();
      this.#log.event('session.started', { session_id: id }, `session ${id} started`);
    } else {
      this.#sessions.delete(id);
    }
    this.#sessions.set(id, session);
    return session;
  }

  /** Adds a completed turn's messages to the history the model sees next. */
  remember(session: Session, messages: readonly ChatMessage[]): void {
    session.history.push(...messages);
    // A real agent trims old messages to fit the model's context window; this also bounds memory.
    if (session.history.length > this.#maxHistory) session.history.splice(0, session.history.length - this.#maxHistory);
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
      this.#onEvicted?.(oldest.value);
    }
  }
}
