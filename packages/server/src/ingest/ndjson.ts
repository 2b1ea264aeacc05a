import type { JsonValue, LogInput } from '@vigil/store';
import type { IngestLimits } from './limits.js';

/** Pino's numeric levels (and the SDK's) as OpenTelemetry severity numbers. */
function severityOfPino(level: number): number {
  if (level <= 10) return 1;
  if (level <= 20) return 5;
  if (level <= 30) return 9;
  if (level <= 40) return 13;
  if (level <= 50) return 17;
  return 21;
}

const LEVEL_NAMES: Record<string, number> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
  critical: 21,
};

/** Fields of a pino line that become columns; the rest of the line is kept in `attributes`. */
const TAKEN = new Set([
  'level',
  'time',
  'msg',
  'message',
  'service',
  'module',
  'component',
  'event',
  'correlation_id',
  'trace_id',
  'span_id',
  'err',
  'error',
  'pid',
  'hostname',
]);
const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;

/** Options of reading one NDJSON body. */
export interface NdjsonOptions {
  limits: Pick<IngestLimits, 'maxAttributes' | 'maxStringLength' | 'maxDepth'>;
  /** The service of lines that do not name one (and of plain-text lines). */
  service: string | null;
  /** Prefix of line ids (the request's Idempotency-Key): a retried body stores each line once. */
  idPrefix: string | null;
  now: () => number;
}

/** The non-empty lines of an NDJSON body. */
export function splitLines(body: string): string[] {
  const out: string[] = [];
  for (const line of body.split('\n')) {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() !== '') out.push(trimmed);
  }
  return out;
}

/**
 * One log line as the store takes it. A JSON object is read as pino (and the SDK) write lines:
 * level (number or name), time (epoch ms or ISO), msg, service, module/component, event,
 * correlation_id, trace_id, span_id, err {type, message, stack}; other fields are attributes.
 * Anything else (a plain text line from a process's stdout) is stored as an info line.
 */
export function logLineOf(line: string, index: number, options: NdjsonOptions): LogInput {
  const { limits } = options;
  const id = options.idPrefix === null ? null : `${options.idPrefix}:${index}`;
  let parsed: unknown;
  if (line.startsWith('{')) {
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { id, ts: options.now(), service: options.service, message: cut(line, limits.maxStringLength), severity: 9 };
  }
  const obj = parsed as Record<string, unknown>;
  const attributes: Record<string, JsonValue> = {};
  let kept = 0;
  let dropped = 0;
  for (const [key, value] of Object.entries(obj)) {
    if (TAKEN.has(key)) continue;
    if (kept >= limits.maxAttributes) {
      dropped++;
      continue;
    }
    attributes[cut(key, 256)] = bounded(value, limits, 0);
    kept++;
  }
  if (dropped > 0) attributes['vigil.dropped_attributes_count'] = dropped;
  const resource: Record<string, JsonValue> = {};
  if (typeof obj.pid === 'number') resource['process.pid'] = obj.pid;
  if (typeof obj.hostname === 'string') resource['host.name'] = cut(obj.hostname, 256);
  const traceId = idOf(obj.trace_id, TRACE_ID, 'trace_id', attributes);
  const spanId = idOf(obj.span_id, SPAN_ID, 'span_id', attributes);
  return {
    id,
    ts: timeOf(obj.time, options.now),
    service: short(obj.service) ?? options.service,
    severity: severityOf(obj.level),
    event: short(obj.event),
    component: short(obj.module) ?? short(obj.component),
    message: cut(
      typeof obj.msg === 'string' ? obj.msg : typeof obj.message === 'string' ? obj.message : '',
      limits.maxStringLength,
    ),
    error: errorOf(obj.err ?? obj.error, limits.maxStringLength),
    correlation_id: short(obj.correlation_id),
    trace_id: traceId,
    span_id: spanId,
    attributes,
    resource,
  };
}

function severityOf(level: unknown): number {
  if (typeof level === 'number' && Number.isFinite(level)) return severityOfPino(level);
  if (typeof level === 'string') return LEVEL_NAMES[level.toLowerCase()] ?? 9;
  return 9;
}

function timeOf(time: unknown, now: () => number): number {
  if (typeof time === 'number' && Number.isFinite(time) && Math.abs(time) < 8.64e15) return Math.floor(time);
  if (typeof time === 'string') {
    const ms = Date.parse(time);
    if (Number.isFinite(ms)) return ms;
  }
  return now();
}

function idOf(value: unknown, pattern: RegExp, key: string, attributes: Record<string, JsonValue>): string | null {
  if (typeof value === 'string' && pattern.test(value)) return value.toLowerCase();
  // Not an OpenTelemetry id: kept as an attribute rather than lost.
  if (value !== undefined && value !== null)
    attributes[key] = typeof value === 'string' ? cut(value, 256) : String(value);
  return null;
}

function errorOf(err: unknown, max: number): string | null {
  if (typeof err === 'string') return err === '' ? null : cut(err, max);
  if (typeof err !== 'object' || err === null) return null;
  const e = err as Record<string, unknown>;
  const head = [e.type, e.message].filter((v) => typeof v === 'string' && v !== '').join(': ');
  const stack = typeof e.stack === 'string' ? e.stack : '';
  const text = stack === '' ? head : stack.includes(String(e.message ?? '')) ? stack : `${head}\n${stack}`;
  return text === '' ? null : cut(text, max);
}

function short(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? cut(value, 256) : null;
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** A JSON value with strings truncated, maps and lists cut to the attribute limit, and depth bounded. */
function bounded(value: unknown, limits: NdjsonOptions['limits'], depth: number): JsonValue {
  if (typeof value === 'string') return cut(value, limits.maxStringLength);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (depth >= limits.maxDepth) return '[nested too deep]';
  if (Array.isArray(value)) return value.slice(0, limits.maxAttributes).map((v) => bounded(v, limits, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value).slice(0, limits.maxAttributes))
      out[cut(k, 256)] = bounded(v, limits, depth + 1);
    return out;
  }
  return null;
}
