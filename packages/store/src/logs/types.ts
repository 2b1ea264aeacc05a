import type { JsonValue } from '../audit/canonical.js';
import type { TimeInput } from '../validate.js';

/** A log level: the SDK's five, plus OpenTelemetry's `trace` below debug. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** One log line as stored. */
export interface LogRecord {
  /** Position in the store, assigned on insert; later lines have higher numbers. */
  seq: number;
  /** Idempotency key, when the sender gave one: storing the same id again keeps the first line. */
  id: string | null;
  /** When it was written, epoch milliseconds. */
  ts: number;
  service: string | null;
  level: LogLevel;
  /** OpenTelemetry severity number, 1..24 (trace 1-4, debug 5-8, info 9-12, warning 13-16, error 17-20, critical 21-24). */
  severity: number;
  /** The event type, e.g. `llm.call.failed`. */
  event: string | null;
  /** The module or component that wrote it. */
  component: string | null;
  /** The message (the OTLP body as text). */
  message: string;
  /** The error as text: type, message and stack. */
  error: string | null;
  correlation_id: string | null;
  /** 32 lowercase hex digits. */
  trace_id: string | null;
  /** 16 lowercase hex digits. */
  span_id: string | null;
  /** Every other field of the line. */
  attributes: { [key: string]: JsonValue };
  /** Attributes of the process that wrote it (OTLP resource), without service.name. */
  resource: { [key: string]: JsonValue };
}

/** A log line as a caller gives it: `ts` defaults to now, `level` to info (or the one `severity` implies). */
export type LogInput = Partial<Omit<LogRecord, 'seq' | 'ts' | 'attributes' | 'resource'>> & {
  message: string;
  ts?: TimeInput;
  attributes?: Record<string, unknown>;
  resource?: Record<string, unknown>;
};

/** What one batch insert did. */
export interface LogInsertResult {
  /** Lines newly stored. */
  inserted: number;
  /** Lines whose id was already stored. */
  duplicates: number;
}

/** Filters of a log query; all given filters must hold. */
export interface LogQuery {
  since?: TimeInput;
  until?: TimeInput;
  service?: string;
  /** Exactly these levels (one or several). */
  level?: LogLevel | readonly LogLevel[];
  /** This level and above. */
  min_level?: LogLevel;
  event?: string;
  component?: string;
  correlation_id?: string;
  trace_id?: string;
  /**
   * Full text over message and error: every word must appear (case-insensitive, whole words;
   * a word ending in `*` matches as a prefix). Punctuation separates words. Results of a text
   * search come in the order the lines were stored (newest stored first), not by `ts`.
   */
  text?: string;
  /** 1..10000, default 100. */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  /** 'desc' (newest first, default) or 'asc'. */
  order?: 'asc' | 'desc';
}

/** One page of a query and where the next starts (null at the end). */
export interface LogPage {
  records: LogRecord[];
  next_cursor: string | null;
}

/** Filters of the error timeline. */
export interface ErrorTimelineQuery {
  since: TimeInput;
  until: TimeInput;
  /** Bucket width in milliseconds; at most 10,000 buckets. */
  step_ms: number;
  service?: string;
  /** Counted from this level up (default error). */
  min_level?: LogLevel;
}

/** How many lines at or above the level one service wrote in one bucket `[ts, ts + step_ms)`. */
export interface ErrorBucket {
  ts: number;
  service: string | null;
  count: number;
}

/** Log lines: structured, full-text searchable, with retention. */
export interface LogStore {
  /** Stores a batch in one transaction; a bad line rejects the whole batch with a StoreError naming it. */
  insertBatch(records: readonly LogInput[]): Promise<LogInsertResult>;
  /** Lines matching the filters, one page of them, ordered by ts then seq. */
  query(filter?: LogQuery): Promise<LogPage>;
  /** Counts of error lines per bucket and service, buckets with none left out, in time order. */
  errorTimeline(query: ErrorTimelineQuery): Promise<ErrorBucket[]>;
  /** Deletes the lines older than `ts` (retention); resolves to how many. */
  deleteBefore(ts: TimeInput): Promise<number>;
}
