import type { InvocationRecord, InvocationStore, LogRecord, LogStore, SpanRecord, SpanStore } from '@vigil/store';

/** One step of a followed request: a log line, a span or an invocation row. */
export interface CorrelationItem {
  kind: 'log' | 'span' | 'invocation';
  /** Epoch milliseconds (spans keep their microsecond fraction). */
  ts: number;
  service: string | null;
  /** Spans and invocations: how long it took. */
  duration_ms: number | null;
  /** Spans: duration minus the time of their child spans; invocations: their latency. */
  self_ms: number | null;
  /** An error log line (error or critical), a span with status error, an invocation not ok. */
  failed: boolean;
  /** Among the slowest steps of the request (largest self time). */
  slowest: boolean;
  /** One line saying what it is. */
  summary: string;
  record: LogRecord | SpanRecord | InvocationRecord;
}

/** Everything that carried one correlation id or trace id, across services, in time order. */
export interface CorrelationView {
  id: string;
  trace_ids: string[];
  correlation_ids: string[];
  services: string[];
  items: CorrelationItem[];
  failed: number;
  /** True when a kind had more records than one view holds (the oldest are shown). */
  truncated: boolean;
}

/** Records of each kind one view holds at most. */
export const MAX_PER_KIND = 1000;
const SLOWEST = 3;
const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/**
 * Follows one id across the stores: it is read as a correlation id and, when it has the form of
 * one, as a trace id; every trace a matching span or log line belongs to is followed too, and the
 * correlation ids those carry, one step out.
 */
export async function correlationView(
  store: { logs: LogStore; spans: SpanStore; invocations: InvocationStore },
  id: string,
): Promise<CorrelationView> {
  let truncated = false;
  const traces = new Set<string>();
  const correlations = new Set<string>([id]);
  if (TRACE_ID.test(id)) traces.add(id.toLowerCase());

  const spans = new Map<string, SpanRecord>();
  const logs = new Map<number, LogRecord>();
  const addSpans = (page: { records: SpanRecord[]; next_cursor: string | null }) => {
    if (page.next_cursor !== null) truncated = true;
    for (const s of page.records) {
      spans.set(`${s.trace_id}/${s.span_id}`, s);
      traces.add(s.trace_id);
      if (s.correlation_id !== null) correlations.add(s.correlation_id);
    }
  };
  const addLogs = (page: { records: LogRecord[]; next_cursor: string | null }) => {
    if (page.next_cursor !== null) truncated = true;
    for (const l of page.records) {
      logs.set(l.seq, l);
      if (l.trace_id !== null) traces.add(l.trace_id);
      if (l.correlation_id !== null) correlations.add(l.correlation_id);
    }
  };
  const page = { limit: MAX_PER_KIND, order: 'asc' as const };
  addSpans(await store.spans.query({ correlation_id: id, ...page }));
  addLogs(await store.logs.query({ correlation_id: id, ...page }));
  for (const trace of [...traces].slice(0, 20)) {
    addSpans(await store.spans.query({ trace_id: trace, ...page }));
    addLogs(await store.logs.query({ trace_id: trace, ...page }));
  }
  for (const correlation of [...correlations].slice(0, 20)) {
    if (correlation !== id) addLogs(await store.logs.query({ correlation_id: correlation, ...page }));
  }
  const invocations = new Map<string, InvocationRecord>();
  for (const correlation of [...correlations].slice(0, 20)) {
    const rows = await store.invocations.query({ correlation_id: correlation, limit: MAX_PER_KIND });
    if (rows.length === MAX_PER_KIND) truncated = true;
    for (const row of rows) invocations.set(row.id, row);
  }

  const items = [
    ...spanItems([...spans.values()]),
    ...[...logs.values()].map(logItem),
    ...[...invocations.values()].map(invocationItem),
  ];
  markSlowest(items);
  items.sort((a, b) => a.ts - b.ts || order[a.kind] - order[b.kind]);
  return {
    id,
    trace_ids: [...traces].sort(),
    correlation_ids: [...correlations].sort(),
    services: [...new Set(items.map((i) => i.service).filter((s): s is string => s !== null))].sort(),
    items,
    failed: items.filter((i) => i.failed).length,
    truncated,
  };
}

const order = { span: 0, invocation: 1, log: 2 };

function spanItems(spans: SpanRecord[]): CorrelationItem[] {
  const childTime = new Map<string, number>();
  for (const s of spans) {
    if (s.parent_span_id === null) continue;
    const key = `${s.trace_id}/${s.parent_span_id}`;
    childTime.set(key, (childTime.get(key) ?? 0) + s.duration_ms);
  }
  return spans.map((s) => ({
    kind: 'span',
    ts: s.ts,
    service: s.service,
    duration_ms: s.duration_ms,
    self_ms: Math.max(0, s.duration_ms - (childTime.get(`${s.trace_id}/${s.span_id}`) ?? 0)),
    failed: s.status === 'error',
    slowest: false,
    summary: `${s.kind} span "${s.name}" ${s.duration_ms.toFixed(1)} ms${s.status === 'error' ? ` failed${s.status_message ? `: ${s.status_message}` : ''}` : ''}`,
    record: s,
  }));
}

function logItem(l: LogRecord): CorrelationItem {
  return {
    kind: 'log',
    ts: l.ts,
    service: l.service,
    duration_ms: null,
    self_ms: null,
    failed: l.severity >= 17,
    slowest: false,
    summary: `${l.level}${l.event ? ` ${l.event}` : ''}: ${l.message.slice(0, 200)}`,
    record: l,
  };
}

function invocationItem(r: InvocationRecord): CorrelationItem {
  return {
    kind: 'invocation',
    ts: r.ts,
    service: r.app_id,
    duration_ms: r.latency_ms,
    self_ms: r.latency_ms,
    failed: r.status !== 'ok',
    slowest: false,
    summary: `LLM call ${r.task_type} on ${r.model_actual ?? r.model_alias ?? 'unknown model'}: ${r.latency_ms} ms, ${r.tokens_in}+${r.tokens_out} tokens, ${r.status}`,
    record: r,
  };
}

function markSlowest(items: CorrelationItem[]): void {
  const timed = items
    .filter((i) => i.self_ms !== null && i.self_ms > 0)
    .sort((a, b) => (b.self_ms ?? 0) - (a.self_ms ?? 0));
  for (const item of timed.slice(0, SLOWEST)) item.slowest = true;
}
