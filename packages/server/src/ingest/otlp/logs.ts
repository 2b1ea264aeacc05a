import type { JsonValue, LogInput } from '@vigil/store';
import { type Converted, correlationOf, Refusals } from './convert.js';
import {
  anyValue,
  attributes,
  BadRecord,
  child,
  enumValue,
  id,
  list,
  nanosToMillis,
  resourceOf,
  text,
  truncate,
  type ValueLimits,
} from './values.js';

const SEVERITY_TEXT: Record<string, number> = {
  trace: 1,
  debug: 5,
  info: 9,
  information: 9,
  notice: 10,
  warn: 13,
  warning: 13,
  error: 17,
  err: 17,
  critical: 21,
  crit: 21,
  fatal: 21,
  alert: 22,
  emergency: 23,
  emerg: 23,
};

/** Attributes that become columns of the log store (removed from `attributes`). */
const EVENT_KEYS = ['event', 'event.name'];
const COMPONENT_KEYS = ['component', 'module', 'code.namespace'];

/** The severity number of a severity text (`WARN`, `error`, ...), or 0 when unknown. */
export function severityOfText(value: string): number {
  return SEVERITY_TEXT[value.trim().toLowerCase()] ?? 0;
}

/**
 * The log lines of an ExportLogsServiceRequest (decoded protobuf or parsed JSON). A record with
 * a malformed trace or span id, or nested deeper than allowed, is refused and counted.
 * `now` stamps records that carry neither a time nor an observed time.
 */
export function logsOf(request: Record<string, unknown>, limits: ValueLimits, now: () => number): Converted<LogInput> {
  const records: LogInput[] = [];
  const refusals = new Refusals();
  list(request, 'resourceLogs', 'request').forEach((rl, r) => {
    const at = `resourceLogs[${r}]`;
    const resource = resourceOf(rl, at, limits);
    list(rl, 'scopeLogs', at).forEach((sl, s) => {
      const scope = child(sl, 'scope', `${at}.scopeLogs[${s}]`);
      const scopeName = scope === undefined ? '' : text(scope, 'name', `${at}.scopeLogs[${s}].scope`);
      list(sl, 'logRecords', `${at}.scopeLogs[${s}]`).forEach((record, i) => {
        const path = `${at}.scopeLogs[${s}].logRecords[${i}]`;
        try {
          records.push(logOf(record, path, limits, resource, scopeName, now));
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          refusals.add(err.message);
        }
      });
    });
  });
  return { records, rejected: refusals.rejected, errors: refusals.errors };
}

function logOf(
  record: Record<string, unknown>,
  path: string,
  limits: ValueLimits,
  resource: { service: string | null; attributes: Record<string, JsonValue> },
  scope: string,
  now: () => number,
): LogInput {
  const attrs: Record<string, JsonValue> = {};
  const dropped = attributes(record, 'attributes', path, limits, attrs);
  if (dropped > 0) attrs['vigil.dropped_attributes_count'] = dropped;
  let severity = enumValue(record, 'severityNumber', path);
  if (severity < 0 || severity > 24) throw new BadRecord(`${path}.severityNumber must be 0..24, got ${severity}`);
  if (severity === 0) severity = severityOfText(text(record, 'severityText', path)) || 9;
  const body = anyValue(child(record, 'body', path), `${path}.body`, limits);
  const message = typeof body === 'string' ? body : body === null ? '' : truncate(JSON.stringify(body), limits);
  const time =
    nanosToMillis(record, 'timeUnixNano', path) || nanosToMillis(record, 'observedTimeUnixNano', path) || now();
  return {
    ts: Math.floor(time),
    service: resource.service,
    severity,
    event: text(record, 'eventName', path) || take(attrs, EVENT_KEYS),
    component: take(attrs, COMPONENT_KEYS) ?? (scope || null),
    message,
    error: errorOf(attrs, limits),
    correlation_id: correlationOf(attrs),
    trace_id: id(record, 'traceId', path, 16),
    span_id: id(record, 'spanId', path, 8),
    attributes: attrs,
    resource: resource.attributes,
  };
}

/** Removes and returns the first of `keys` holding a non-empty string (cut to 256 characters). */
function take(attrs: Record<string, JsonValue>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attrs[key];
    if (typeof value === 'string' && value !== '') {
      delete attrs[key];
      return value.slice(0, 256);
    }
  }
  return null;
}

/** The semantic-convention exception attributes as one text: `type: message` and the stack. */
function errorOf(attrs: Record<string, JsonValue>, limits: ValueLimits): string | null {
  const type = attrs['exception.type'];
  const message = attrs['exception.message'];
  const stack = attrs['exception.stacktrace'];
  if (type === undefined && message === undefined && stack === undefined) return null;
  const head = [type, message].filter((v) => typeof v === 'string' && v !== '').join(': ');
  const text =
    typeof stack === 'string' && stack !== ''
      ? head === '' || stack.includes(head)
        ? stack
        : `${head}\n${stack}`
      : head;
  return text === '' ? null : truncate(text, limits);
}
