// Alert history: every state change of every alert (pending, firing, resolved, inactive). The service passes the
// record store's implementation (@vigil/store's SqliteAlertHistory has this shape); without one it is kept in memory.

/** One state change of one alert. */
export interface AlertHistoryEvent {
  /** ms since the epoch. */
  ts: number;
  alertname: string;
  fingerprint: string;
  /** `inactive` is a pending alert that went away without firing. */
  state: 'pending' | 'firing' | 'resolved' | 'inactive';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
  group: string;
}

/** A history query; every field optional. */
export interface AlertHistoryQuery {
  alertname?: string;
  fingerprint?: string;
  state?: AlertHistoryEvent['state'];
  /** Inclusive bounds in ms. */
  since?: number;
  until?: number;
  /** Newest first, at most this many (default 100, at most 10,000). */
  limit?: number;
}

/** Where alert history is kept. */
export interface AlertHistoryStore {
  append(events: readonly AlertHistoryEvent[]): Promise<void> | void;
  query(query: AlertHistoryQuery): Promise<AlertHistoryEvent[]> | AlertHistoryEvent[];
}

/** The history in memory: the newest `capacity` events. */
export class MemoryAlertHistory implements AlertHistoryStore {
  readonly #events: AlertHistoryEvent[] = [];
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  append(events: readonly AlertHistoryEvent[]): void {
    this.#events.push(...events);
    if (this.#events.length > this.#capacity) this.#events.splice(0, this.#events.length - this.#capacity);
  }

  query(q: AlertHistoryQuery): AlertHistoryEvent[] {
    const limit = Math.min(q.limit ?? 100, 10_000);
    const out: AlertHistoryEvent[] = [];
    for (let i = this.#events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.#events[i]!;
      if (q.alertname !== undefined && e.alertname !== q.alertname) continue;
      if (q.fingerprint !== undefined && e.fingerprint !== q.fingerprint) continue;
      if (q.state !== undefined && e.state !== q.state) continue;
      if (q.since !== undefined && e.ts < q.since) continue;
      if (q.until !== undefined && e.ts > q.until) continue;
      out.push(e);
    }
    return out;
  }
}
