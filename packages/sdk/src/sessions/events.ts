import type { SessionSnapshot, ToolMetricsSnapshot } from './session-metrics.js';

/** Why a session left the registry. */
export type EvictionReason = 'ttl' | 'capacity';

/** The `metrics:*` events of the session registry and what each carries. */
export interface SessionEventMap {
  /** Any change to a session (started, recorded into, went idle, ended): its full snapshot. */
  'metrics:session_updated': SessionSnapshot;
  /** A turn completed; `turn` is the session's new turn count. */
  'metrics:turn_completed': { app_id: string; session_id: string; turn: number; session: SessionSnapshot };
  /** A tool call finished; `tool_metrics` is that tool's figures after it. */
  'metrics:tool_completed': {
    app_id: string;
    session_id: string;
    tool: string;
    ok: boolean;
    duration_ms: number;
    error: string | null;
    tool_metrics: ToolMetricsSnapshot;
  };
  /** A session was dropped: closed past its TTL, or pushed out to make room. */
  'metrics:session_evicted': { app_id: string; session_id: string; reason: EvictionReason };
}

/** One of the registry's event names. */
export type SessionEventType = keyof SessionEventMap;

/** Every event name, in a stable order. */
export const SESSION_EVENT_TYPES: readonly SessionEventType[] = Object.freeze([
  'metrics:session_updated',
  'metrics:turn_completed',
  'metrics:tool_completed',
  'metrics:session_evicted',
]);

/** A listener of one event type. */
export type SessionListener<K extends SessionEventType> = (payload: SessionEventMap[K], type: K) => void;

type AnyListener = (payload: unknown, type: SessionEventType) => void;

/**
 * A small typed emitter. A listener that throws is reported to `onError` and the others still
 * run: a dashboard's bug must not reach the agent that recorded the event.
 */
export class SessionEvents {
  readonly #listeners = new Map<SessionEventType, Set<AnyListener>>();
  readonly #onError: (err: unknown, type: SessionEventType) => void;

  constructor(onError: (err: unknown, type: SessionEventType) => void) {
    this.#onError = onError;
  }

  /** Calls `listener` on each `type` event; returns the function that unsubscribes it. */
  on<K extends SessionEventType>(type: K, listener: SessionListener<K>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as AnyListener);
    return () => this.off(type, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends SessionEventType>(type: K, listener: SessionListener<K>): void {
    const set = this.#listeners.get(type);
    if (set?.delete(listener as AnyListener) && set.size === 0) this.#listeners.delete(type);
  }

  /** True when someone listens to `type`: emitters skip building payloads nobody reads. */
  has(type: SessionEventType): boolean {
    return this.#listeners.has(type);
  }

  /** How many listeners `type` has, or all types together. */
  listenerCount(type?: SessionEventType): number {
    if (type !== undefined) return this.#listeners.get(type)?.size ?? 0;
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }

  /** Calls every listener of `type` with `payload`. */
  emit<K extends SessionEventType>(type: K, payload: SessionEventMap[K]): void {
    const set = this.#listeners.get(type);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(payload, type);
      } catch (err) {
        this.#onError(err, type);
      }
    }
  }

  /** Drops every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
