/** A JSON value as an audit event's `details` may hold it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Why a value is not plain JSON, naming where (`details.items[2].at`). */
export class NotJson extends Error {
  override name = 'NotJson';
}

/**
 * A deep copy of `value` if it is plain JSON (what the store hashes), else NotJson naming the
 * path. The copy is the point: the caller may change its object after `append` returns, and
 * the queued event must not change with it. Keys whose value is undefined are left out, as
 * JSON.stringify does.
 */
export function plainJson(value: unknown, path: string, seen: Set<object> = new Set()): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJson(`${path} must be JSON: ${value} is not a JSON number`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) throw new NotJson(`${path} must be JSON: it refers back to itself (a cycle)`);
      seen.add(value);
      let copy: JsonValue;
      if (Array.isArray(value)) {
        copy = value.map((item, i) => plainJson(item, `${path}[${i}]`, seen));
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const kind = (value as object).constructor?.name ?? 'object';
          throw new NotJson(
            `${path} must be JSON: a ${kind} is not plain JSON (convert it first, e.g. a Date to an ISO string)`,
          );
        }
        const out: { [key: string]: JsonValue } = {};
        for (const [key, item] of Object.entries(value)) {
          if (item !== undefined) out[key] = plainJson(item, keyPath(path, key), seen);
        }
        copy = out;
      }
      seen.delete(value);
      return copy;
    }
    default:
      throw new NotJson(`${path} must be JSON: a ${typeof value} is not JSON`);
  }
}

function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
