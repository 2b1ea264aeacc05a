import { StoreError } from '../errors.js';
import { optionalString, show, toMillis } from '../validate.js';
import { jsonObjectText } from './json-object.js';
import { LEVEL_SEVERITY, levelOfSeverity, logLevel } from './levels.js';
import type { LogInput, LogLevel } from './types.js';

/** A log line validated, with attributes and resource as JSON text, before it gets its seq. */
export interface PreparedLog {
  id: string | null;
  ts: number;
  service: string | null;
  level: LogLevel;
  severity: number;
  event: string | null;
  component: string | null;
  message: string;
  error: string | null;
  correlation_id: string | null;
  trace_id: string | null;
  span_id: string | null;
  attributes: string;
  resource: string;
}

/** Longest message or error text a line may carry (the ingest routes truncate well before). */
export const MAX_LOG_TEXT = 1 << 20;
const MAX_JSON = 1 << 20;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** Validates one line; the StoreError names the field, prefixed by `at` (e.g. `records[3].`). */
export function prepareLog(input: LogInput, now: () => number, at = ''): PreparedLog {
  if (typeof input !== 'object' || input === null) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at || 'record '}must be an object, got ${show(input)}`);
  }
  let severity: number;
  let level: LogLevel;
  if (input.severity !== undefined && input.severity !== null) {
    severity = input.severity;
    if (!Number.isInteger(severity) || severity < 1 || severity > 24) {
      throw new StoreError(
        'VIGIL_STORE_BAD_RECORD',
        `${at}severity must be a whole number from 1 to 24, got ${show(severity)}`,
      );
    }
    level =
      input.level === undefined || input.level === null
        ? levelOfSeverity(severity)
        : logLevel(input.level, `${at}level`, 'VIGIL_STORE_BAD_RECORD');
  } else {
    level =
      input.level === undefined || input.level === null
        ? 'info'
        : logLevel(input.level, `${at}level`, 'VIGIL_STORE_BAD_RECORD');
    severity = LEVEL_SEVERITY[level][0];
  }
  if (typeof input.message !== 'string') {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${at}message must be a string, got ${show(input.message)}`);
  }
  if (input.message.length > MAX_LOG_TEXT) {
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${at}message is longer than ${MAX_LOG_TEXT} characters (${input.message.length})`,
    );
  }
  return {
    id: optionalString(input.id, `${at}id`),
    ts: input.ts === undefined ? now() : toMillis(input.ts, `${at}ts`, 'VIGIL_STORE_BAD_RECORD'),
    service: optionalString(input.service, `${at}service`),
    level,
    severity,
    event: optionalString(input.event, `${at}event`),
    component: optionalString(input.component, `${at}component`),
    message: input.message,
    error: optionalString(input.error, `${at}error`, MAX_LOG_TEXT),
    correlation_id: optionalString(input.correlation_id, `${at}correlation_id`),
    trace_id: hexId(input.trace_id, `${at}trace_id`, TRACE_ID, 32),
    span_id: hexId(input.span_id, `${at}span_id`, SPAN_ID, 16),
    attributes: jsonObjectText(input.attributes, `${at}attributes`, MAX_JSON),
    resource: jsonObjectText(input.resource, `${at}resource`, MAX_JSON),
  };
}

/** Validates a whole batch before any of it is stored. */
export function prepareLogs(inputs: readonly LogInput[], now: () => number): PreparedLog[] {
  if (!Array.isArray(inputs)) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `records must be an array, got ${show(inputs)}`);
  }
  const out = new Array<PreparedLog>(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = prepareLog(inputs[i]!, now, `records[${i}].`);
  return out;
}

/** A trace or span id as lowercase hex of `digits` digits; null when absent or all zeros (invalid in W3C trace context). */
export function hexId(value: unknown, field: string, pattern: RegExp, digits: number): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof text !== 'string' || !pattern.test(text)) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} must be ${digits} hex digits, got ${show(value)}`);
  }
  return /^0+$/.test(text) ? null : text;
}
