import { StoreError } from '../errors.js';
import { jsonObjectText } from '../logs/json-object.js';
import { hexId } from '../logs/prepare.js';
import { optionalString, requiredString, show } from '../validate.js';
import type { SpanInput, SpanKind, SpanStatus } from './types.js';

/** A span validated, JSON fields as text, before it gets its seq. */
export interface PreparedSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  ts: number;
  duration_ms: number;
  name: string;
  kind: SpanKind;
  service: string | null;
  status: SpanStatus;
  status_message: string | null;
  correlation_id: string | null;
  scope: string | null;
  attributes: string;
  events: string;
  links: string;
  resource: string;
}

const KINDS: ReadonlySet<string> = new Set<SpanKind>([
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
]);
const STATUSES: ReadonlySet<string> = new Set<SpanStatus>(['unset', 'ok', 'error']);
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const MAX_JSON = 1 << 20;
const MAX_MS = 8.64e15;

/** Validates one span; the StoreError names the field, prefixed by `at` (e.g. `spans[3].`). */
export function prepareSpan(input: SpanInput, at = ''): PreparedSpan {
  if (typeof input !== 'object' || input === null) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at || 'span '}must be an object, got ${show(input)}`);
  }
  const trace = hexId(input.trace_id, `${at}trace_id`, TRACE_ID, 32);
  const span = hexId(input.span_id, `${at}span_id`, SPAN_ID, 16);
  if (trace === null)
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at}trace_id is required: 32 hex digits, not all zero`);
  if (span === null)
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at}span_id is required: 16 hex digits, not all zero`);
  const kind = input.kind ?? 'unspecified';
  if (!KINDS.has(kind))
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${at}kind must be one of ${[...KINDS].join(', ')}, got ${show(kind)}`,
    );
  const status = input.status ?? 'unset';
  if (!STATUSES.has(status))
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${at}status must be one of ${[...STATUSES].join(', ')}, got ${show(status)}`,
    );
  const events = (input.events ?? []).map((e, i) => ({
    ts: fractionalMillis(e?.ts, `${at}events[${i}].ts`),
    name: requiredString(e?.name, `${at}events[${i}].name`, 1024),
    attributes: JSON.parse(jsonObjectText(e?.attributes, `${at}events[${i}].attributes`, MAX_JSON)),
  }));
  const links = (input.links ?? []).map((l, i) => ({
    trace_id: hexId(l?.trace_id, `${at}links[${i}].trace_id`, TRACE_ID, 32),
    span_id: hexId(l?.span_id, `${at}links[${i}].span_id`, SPAN_ID, 16),
    attributes: JSON.parse(jsonObjectText(l?.attributes, `${at}links[${i}].attributes`, MAX_JSON)),
  }));
  const duration = input.duration_ms ?? 0;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${at}duration_ms must be a finite number ≥ 0, got ${show(duration)}`,
    );
  }
  return {
    trace_id: trace,
    span_id: span,
    parent_span_id: hexId(input.parent_span_id, `${at}parent_span_id`, SPAN_ID, 16),
    ts: fractionalMillis(input.ts, `${at}ts`),
    duration_ms: duration,
    name: requiredString(input.name, `${at}name`, 1024),
    kind,
    service: optionalString(input.service, `${at}service`),
    status,
    status_message: optionalString(input.status_message, `${at}status_message`, 4096),
    correlation_id: optionalString(input.correlation_id, `${at}correlation_id`),
    scope: optionalString(input.scope, `${at}scope`),
    attributes: jsonObjectText(input.attributes, `${at}attributes`, MAX_JSON),
    events: JSON.stringify(events),
    links: JSON.stringify(links),
    resource: jsonObjectText(input.resource, `${at}resource`, MAX_JSON),
  };
}

/** Validates a whole batch before any of it is stored. */
export function prepareSpans(inputs: readonly SpanInput[]): PreparedSpan[] {
  if (!Array.isArray(inputs))
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `spans must be an array, got ${show(inputs)}`);
  const out = new Array<PreparedSpan>(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = prepareSpan(inputs[i]!, `spans[${i}].`);
  return out;
}

/** Epoch milliseconds, a fraction allowed (span times carry microseconds); Dates and ISO strings too. */
function fractionalMillis(value: unknown, field: string): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.trim() !== '') ms = Date.parse(value);
  else
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${field} must be a Date, an ISO 8601 string or epoch milliseconds, got ${show(value)}`,
    );
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS)
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} is not a valid date: ${show(value)}`);
  return ms;
}
