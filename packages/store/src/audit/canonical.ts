import { createHash } from 'node:crypto';
import { StoreError } from '../errors.js';

/** The `prev_hash` of the first event of every chain: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** Tag at the head of every hashed array; a future encoding would change it, so old rows stay verifiable. */
export const AUDIT_HASH_VERSION = 'vigil-audit/1';

/** A JSON value as the audit log stores it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The fields of an audit event that its hash covers. */
export interface HashedAuditFields {
  prev_hash: string;
  id: string;
  ts: number;
  event_type: string;
  actor_user_id: string | null;
  target_user_id: string | null;
  target_app_id: string | null;
  success: boolean;
  /** The details object as canonical JSON text (what `canonicalJson` returns). */
  details: string;
}

/**
 * SHA-256 (lowercase hex) of the canonical encoding of one event: the UTF-8 bytes of the JSON array
 * `["vigil-audit/1", prev_hash, id, ts, event_type, actor_user_id, target_user_id, target_app_id, success, details]`
 * written as RFC 8785 (JCS) writes it: no whitespace, object keys sorted by UTF-16 code units,
 * numbers and strings as ECMAScript's JSON.stringify writes them; `ts` is epoch milliseconds and
 * absent ids are `null`.
 */
export function auditHash(event: HashedAuditFields): string {
  const head = JSON.stringify([
    AUDIT_HASH_VERSION,
    event.prev_hash,
    event.id,
    event.ts,
    event.event_type,
    event.actor_user_id,
    event.target_user_id,
    event.target_app_id,
    event.success,
  ]);
  // details is canonical text already; splice it in as the last element rather than encode it twice.
  const text = `${head.slice(0, -1)},${event.details}]`;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `value` as canonical JSON (RFC 8785: sorted keys, no whitespace). Throws a StoreError naming the
 * path (`details.user.tags[2]`) of the first part that is not plain JSON: undefined in an array,
 * a function, a symbol, a bigint, NaN or Infinity, a Date or other class instance, or a cycle.
 * Object properties whose value is undefined are left out, as JSON.stringify leaves them out.
 */
export function canonicalJson(value: unknown, path: string): string {
  return encode(value, path, new Set());
}

function encode(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, `${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (seen.has(value)) throw notJson(path, 'it refers back to itself (a cycle)');
      seen.add(value);
      let text: string;
      if (Array.isArray(value)) {
        text = `[${value.map((item, i) => encode(item, `${path}[${i}]`, seen)).join(',')}]`;
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const kind = (value as object).constructor?.name ?? 'object';
          throw notJson(path, `a ${kind} is not plain JSON (convert it first, e.g. a Date to an ISO string)`);
        }
        const record = value as Record<string, unknown>;
        const parts: string[] = [];
        for (const key of Object.keys(record).sort()) {
          if (record[key] === undefined) continue;
          parts.push(`${JSON.stringify(key)}:${encode(record[key], keyPath(path, key), seen)}`);
        }
        text = `{${parts.join(',')}}`;
      }
      seen.delete(value);
      return text;
    }
    default:
      throw notJson(path, `a ${typeof value} is not JSON`);
  }
}

function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function notJson(path: string, why: string): StoreError {
  return new StoreError('VIGIL_STORE_BAD_RECORD', `${path} is not JSON-serializable: ${why}`);
}
