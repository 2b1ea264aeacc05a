// Alert history: every state change of every alert, as the service's rule evaluation reports it.

/** One state change of one alert. */
export interface AlertHistoryEvent {
  /** ms since the epoch. */
  ts: number;
  alertname: string;
  /** 16 hex digits identifying the alert's label set. */
  fingerprint: string;
  /** `inactive`: a pending alert that went away without firing. */
  state: 'pending' | 'firing' | 'resolved' | 'inactive';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The expression's value at the change (NaN is kept as NaN). */
  value: number;
  /** The rule group. */
  group: string;
}

/** A history query; every field optional. Newest first. */
export interface AlertHistoryQuery {
  alertname?: string;
  fingerprint?: string;
  state?: AlertHistoryEvent['state'];
  /** Inclusive bounds in ms. */
  since?: number;
  until?: number;
  /** At most this many (default 100, at most 10,000). */
  limit?: number;
}

/** Where alert history is kept; both implementations pass test/alerts-history.test.ts. */
export interface AlertHistoryStore {
  append(events: readonly AlertHistoryEvent[]): Promise<void>;
  query(query?: AlertHistoryQuery): Promise<AlertHistoryEvent[]>;
  /** Deletes events older than `beforeMs`; resolves to how many went. */
  deleteBefore(beforeMs: number): Promise<number>;
}

/** The largest page a query returns. */
export const MAX_ALERT_HISTORY_PAGE = 10_000;

/** The page size of a query without `limit`. */
export const DEFAULT_ALERT_HISTORY_PAGE = 100;
