import {
  type AlertHistoryEvent,
  type AlertHistoryQuery,
  type AlertHistoryStore,
  DEFAULT_ALERT_HISTORY_PAGE,
  MAX_ALERT_HISTORY_PAGE,
} from './types.js';

/** Alert history in memory: the newest `capacity` events (default 10,000). */
export class MemoryAlertHistory implements AlertHistoryStore {
  readonly #events: AlertHistoryEvent[] = [];
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  async append(events: readonly AlertHistoryEvent[]): Promise<void> {
    for (const e of events) this.#events.push(structuredClone(e));
    this.#events.sort((a, b) => a.ts - b.ts);
    if (this.#events.length > this.#capacity) this.#events.splice(0, this.#events.length - this.#capacity);
  }

  async query(q: AlertHistoryQuery = {}): Promise<AlertHistoryEvent[]> {
    const limit = Math.min(q.limit ?? DEFAULT_ALERT_HISTORY_PAGE, MAX_ALERT_HISTORY_PAGE);
    const out: AlertHistoryEvent[] = [];
    for (let i = this.#events.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.#events[i]!;
      if (q.alertname !== undefined && e.alertname !== q.alertname) continue;
      if (q.fingerprint !== undefined && e.fingerprint !== q.fingerprint) continue;
      if (q.state !== undefined && e.state !== q.state) continue;
      if (q.since !== undefined && e.ts < q.since) continue;
      if (q.until !== undefined && e.ts > q.until) continue;
      out.push(structuredClone(e));
    }
    return out;
  }

  async deleteBefore(beforeMs: number): Promise<number> {
    const keep = this.#events.filter((e) => e.ts >= beforeMs);
    const removed = this.#events.length - keep.length;
    this.#events.splice(0, this.#events.length, ...keep);
    return removed;
  }
}
