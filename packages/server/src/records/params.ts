/** A query parameter that is wrong: the route answers 400 with this message. */
export class BadParam extends Error {
  override name = 'BadParam';
}

type Query = Record<string, unknown>;

/** Typed, validated reads of a request's query string; every error names the parameter. */
export class QueryParams {
  readonly #query: Query;

  constructor(query: unknown) {
    this.#query = typeof query === 'object' && query !== null ? (query as Query) : {};
  }

  /** A string parameter (the last one when repeated); undefined when absent or empty. */
  text(name: string, max = 1000): string | undefined {
    let value = this.#query[name];
    if (Array.isArray(value)) value = value[value.length - 1];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new BadParam(`parameter "${name}" must be a string`);
    if (value.length > max) throw new BadParam(`parameter "${name}" is longer than ${max} characters`);
    return value;
  }

  /** A list parameter: repeated, or comma-separated. */
  list(name: string): string[] | undefined {
    const value = this.#query[name];
    const parts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    const out = parts
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '');
    return out.length === 0 ? undefined : out;
  }

  /** A time: RFC 3339 / ISO 8601, or epoch milliseconds. */
  time(name: string): number | undefined {
    const value = this.text(name, 64);
    if (value === undefined) return undefined;
    const ms = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
      throw new BadParam(`parameter "${name}" must be an RFC 3339 time or epoch milliseconds, got "${value}"`);
    }
    return Math.floor(ms);
  }

  /** A duration: `250ms`, `30s`, `5m`, `1h`, `1d`, or milliseconds. */
  duration(name: string): number | undefined {
    const value = this.text(name, 32);
    if (value === undefined) return undefined;
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match?.[2] ?? 'ms'] ?? 1;
    const ms = match ? Math.round(Number(match[1]) * unit) : Number.NaN;
    if (!Number.isFinite(ms) || ms <= 0)
      throw new BadParam(`parameter "${name}" must be a duration such as 30s, 5m or 1h, got "${value}"`);
    return ms;
  }

  /** A whole number in [min, max]. */
  int(name: string, min: number, max: number): number | undefined {
    const value = this.text(name, 32);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new BadParam(`parameter "${name}" must be a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  }

  /** A number ≥ 0. */
  number(name: string): number | undefined {
    const value = this.text(name, 32);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new BadParam(`parameter "${name}" must be a number ≥ 0, got "${value}"`);
    return n;
  }

  /** A number > 0. */
  positive(name: string): number | undefined {
    const value = this.text(name, 32);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new BadParam(`parameter "${name}" must be a number > 0, got "${value}"`);
    return n;
  }

  /** One of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.text(name, 64);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value))
      throw new BadParam(`parameter "${name}" must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  }
}

/** `obj` without its undefined values (the stores read absent and undefined alike, but tidier for tests). */
export function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
