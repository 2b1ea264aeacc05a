import { StoreError } from '../errors.js';
import { show } from '../validate.js';

/**
 * `value` (a plain object whose values JSON can hold; undefined means `{}`) as JSON text, or a
 * StoreError naming `field`. Keys with `undefined` values are left out, as JSON.stringify does.
 */
export function jsonObjectText(value: unknown, field: string, maxBytes: number): string {
  if (value === undefined || value === null) return '{}';
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} must be a JSON object, got ${show(value)}`);
  }
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') {
        throw new TypeError(`a ${typeof v} is not JSON`);
      }
      if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`${v} is not JSON`);
      return v;
    });
  } catch (err) {
    throw new StoreError('VIGIL_STORE_BAD_RECORD', `${field} is not plain JSON: ${(err as Error).message}`);
  }
  if (text.length > maxBytes) {
    throw new StoreError(
      'VIGIL_STORE_BAD_RECORD',
      `${field} is longer than ${maxBytes} characters as JSON (${text.length})`,
    );
  }
  return text;
}
