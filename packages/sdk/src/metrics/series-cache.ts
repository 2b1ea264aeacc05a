/**
 * Resolved series kept by three label values (e.g. method, route, status), looked up value by
 * value in nested Maps: no key string is built per write. Holds at most `limit` entries; past
 * it, `get` misses and callers resolve afresh (the metrics' own label-set limit still applies).
 */
export class SeriesCache<T> {
  readonly #root = new Map<string, Map<string, Map<string, T>>>();
  readonly #limit: number;
  #size = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(a: string, b: string, c: string): T | undefined {
    return this.#root.get(a)?.get(b)?.get(c);
  }

  /** Keeps `value` under the three values while there is room; returns it. */
  keep(a: string, b: string, c: string, value: T): T {
    if (this.#size >= this.#limit) return value;
    const second = this.#root.get(a) ?? new Map<string, Map<string, T>>();
    this.#root.set(a, second);
    const third = second.get(b) ?? new Map<string, T>();
    second.set(b, third);
    if (!third.has(c)) this.#size++;
    third.set(c, value);
    return value;
  }
}
