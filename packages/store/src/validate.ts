import { StoreError, type StoreErrorCode } from './errors.js';

/** A point in time as callers may give it: a Date, milliseconds since the Unix epoch, or an ISO 8601 string. */
export type TimeInput = Date | number | string;

/** Largest `limit` a query accepts; bigger pages belong to an export, not a query. */
export const MAX_LIMIT = 10_000;
/** `limit` of a query that gives none. */
export const DEFAULT_LIMIT = 100;

// The ECMAScript Date range: ±100,000,000 days around the epoch.
const MAX_MS = 8.64e15;

/** Milliseconds since the epoch of `value`, or a StoreError naming `field` when it is not a valid date. */
export function toMillis(value: unknown, field: string, code: StoreErrorCode): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.trim() !== '') ms = Date.parse(value);
  else
    throw new StoreError(code, `${field} must be a Date, an ISO 8601 string or epoch milliseconds, got ${show(value)}`);
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_MS) {
    throw new StoreError(code, `${field} is not a valid date: ${show(value)}`);
  }
  return ms;
}

/** `value` as a non-empty string of at most `max` characters, or a StoreError naming `field`. */
export function requiredString(value: unknown, field: string, max = 256): string {
  if (typeof value !== 'string' || value === '') {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} is required: a non-empty string, got ${show(value)}`);
  }
  if (value.length > max) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} is longer than ${max} characters (${value.length})`);
  }
  return value;
}

/** `value` as a string or null (undefined counts as null). */
export function optionalString(value: unknown, field: string, max = 256): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} must be a string or null, got ${show(value)}`);
  }
  return value === '' ? null : requiredString(value, field, max);
}

/** `value` as a finite number ≥ 0 (integer when `integer`); `fallback` when it is undefined or null. */
export function count(value: unknown, field: string, fallback: number | null, integer = true): number | null {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    const what = integer ? 'a whole number ≥ 0' : 'a finite number ≥ 0';
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} must be ${what}, got ${show(value)}`);
  }
  return value;
}

/** `value` as a boolean; `fallback` when it is undefined or null. */
export function flag(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} must be true or false, got ${show(value)}`);
  }
  return value;
}

/** A page of a query: validated `limit` (1..MAX_LIMIT, default DEFAULT_LIMIT) and `offset` (≥ 0, default 0). */
export function page(limit: unknown, offset: unknown): { limit: number; offset: number } {
  const l = limit ?? DEFAULT_LIMIT;
  const o = offset ?? 0;
  if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > MAX_LIMIT) {
    throw new StoreError(
      'VIGIL_STORE_BAD_QUERY',
      `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${show(l)}`,
    );
  }
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
    throw new StoreError('VIGIL_STORE_BAD_QUERY', `offset must be a whole number ≥ 0, got ${show(o)}`);
  }
  return { limit: l, offset: o };
}

/** The half-open range [since, until) in epoch milliseconds; either end may be open (null). */
export function timeRange(since: unknown, until: unknown): { since: number | null; until: number | null } {
  const s = since === undefined || since === null ? null : toMillis(since, 'since', 'VIGIL_STORE_BAD_QUERY');
  const u = until === undefined || until === null ? null : toMillis(until, 'until', 'VIGIL_STORE_BAD_QUERY');
  if (s !== null && u !== null && s > u) {
    throw new StoreError(
      'VIGIL_STORE_BAD_QUERY',
      `since (${new Date(s).toISOString()}) is after until (${new Date(u).toISOString()})`,
    );
  }
  return { since: s, until: u };
}

/** `order` of a query: 'asc' (default) or 'desc'. */
export function order(value: unknown): 'asc' | 'desc' {
  if (value === undefined || value === 'asc' || value === 'desc') return value ?? 'asc';
  throw new StoreError('VIGIL_STORE_BAD_QUERY', `order must be "asc" or "desc", got ${show(value)}`);
}

/** A short, safe rendering of a bad value for an error message (never the whole of a long string). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
