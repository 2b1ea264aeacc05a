import type { JsonValue } from '../audit/canonical.js';
import type { TimeInput } from '../validate.js';

/** What a span stands for, as OpenTelemetry names its kinds. */
export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** How a span ended: `unset` unless the instrumentation said ok or error. */
export type SpanStatus = 'unset' | 'ok' | 'error';

/** Something that happened during a span (an exception, a retry). */
export interface SpanEvent {
  /** Epoch milliseconds (microsecond fraction). */
  ts: number;
  name: string;
  attributes: { [key: string]: JsonValue };
}

/** A link to another span. */
export interface SpanLink {
  trace_id: string;
  span_id: string;
  attributes: { [key: string]: JsonValue };
}

/** One span as stored. */
export interface SpanRecord {
  /** Position in the store, assigned on insert. */
  seq: number;
  /** 32 lowercase hex digits. */
  trace_id: string;
  /** 16 lowercase hex digits; (trace_id, span_id) is the idempotency key. */
  span_id: string;
  parent_span_id: string | null;
  /** Start, epoch milliseconds with a microsecond fraction. */
  ts: number;
  /** End minus start, milliseconds (microsecond fraction). */
  duration_ms: number;
  name: string;
  kind: SpanKind;
  service: string | null;
  status: SpanStatus;
  status_message: string | null;
  /** The request's correlation id, when an attribute carried it. */
  correlation_id: string | null;
  /** The instrumentation scope (library) name. */
  scope: string | null;
  attributes: { [key: string]: JsonValue };
  events: SpanEvent[];
  links: SpanLink[];
  /** Attributes of the process (OTLP resource), without service.name. */
  resource: { [key: string]: JsonValue };
}

/** A span as a caller gives it. */
export type SpanInput = Partial<Omit<SpanRecord, 'seq' | 'ts' | 'attributes' | 'resource' | 'events' | 'links'>> & {
  trace_id: string;
  span_id: string;
  name: string;
  ts: TimeInput;
  attributes?: Record<string, unknown>;
  resource?: Record<string, unknown>;
  events?: readonly { ts: TimeInput; name: string; attributes?: Record<string, unknown> }[];
  links?: readonly { trace_id: string; span_id: string; attributes?: Record<string, unknown> }[];
};

/** What one batch insert did. */
export interface SpanInsertResult {
  inserted: number;
  /** Spans whose (trace_id, span_id) was already stored (kept as first stored). */
  duplicates: number;
}

/** Filters of a span query; all given filters must hold. */
export interface SpanQuery {
  trace_id?: string;
  correlation_id?: string;
  service?: string;
  name?: string;
  status?: SpanStatus;
  /** Spans that lasted at least this long. */
  min_duration_ms?: number;
  /** Spans starting at or after. */
  since?: TimeInput;
  /** Spans starting strictly before. */
  until?: TimeInput;
  /** 1..10000, default 100. */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  /** 'asc' (earliest first, default: a trace reads in order) or 'desc'. */
  order?: 'asc' | 'desc';
}

/** One page of spans and where the next starts (null at the end). */
export interface SpanPage {
  records: SpanRecord[];
  next_cursor: string | null;
}

/** Spans of traces, idempotent by (trace_id, span_id), with retention. */
export interface SpanStore {
  /** Stores a batch in one transaction; a bad span rejects the whole batch with a StoreError naming it. */
  insertBatch(spans: readonly SpanInput[]): Promise<SpanInsertResult>;
  /** Spans matching the filters, one page of them, ordered by start time then seq. */
  query(filter?: SpanQuery): Promise<SpanPage>;
  /** Deletes spans that started before `ts` (retention); resolves to how many. */
  deleteBefore(ts: TimeInput): Promise<number>;
}
