/**
 * The chunks a HeadArena closed since the last flush, as columns: each one stays in its arena slot (so a cut
 * copies nothing) until the flush that writes it commits. Chained by series, newest first, for queries.
 */
export class SealedChunks {
  /** Chunks held. */
  length = 0;
  series = new Int32Array(0);
  /** Arena offset and size of the encoded samples; the arena moves slots when it compacts. */
  slot = new Uint32Array(0);
  bytes = new Uint32Array(0);
  count = new Uint32Array(0);
  minT = new Float64Array(0);
  maxT = new Float64Array(0);
  // The same series' previous sealed chunk, or -1.
  private prev = new Int32Array(0);
  // By series id: its newest sealed chunk, or -1 (0 means "none" too when out of range: see `last`).
  private newest = new Int32Array(0);

  /** Records a closed chunk of series `id`. */
  push(id: number, slot: number, bytes: number, count: number, minTime: number, maxTime: number): void {
    const i = this.length;
    if (i >= this.series.length) this.widen(i + 1);
    if (id >= this.newest.length) {
      const grown = new Int32Array(Math.max(id + 1, this.newest.length + (this.newest.length >>> 1), 1024)).fill(-1);
      grown.set(this.newest);
      this.newest = grown;
    }
    this.series[i] = id;
    this.slot[i] = slot;
    this.bytes[i] = bytes;
    this.count[i] = count;
    this.minT[i] = minTime;
    this.maxT[i] = maxTime;
    this.prev[i] = this.newest[id]!;
    this.newest[id] = i;
    this.length = i + 1;
  }

  /** The newest sealed chunk of series `id`, or -1; follow `previous` for older ones. */
  last(id: number): number {
    return this.newest[id] ?? -1;
  }

  /** The sealed chunk of the same series before chunk `i`, or -1. */
  previous(i: number): number {
    return this.prev[i]!;
  }

  /** Forgets every chunk. */
  clear(): void {
    for (let i = 0; i < this.length; i++) this.newest[this.series[i]!] = -1;
    this.length = 0;
  }

  /** Keeps only the chunks `keep` accepts, in order; returns how many were dropped. */
  filter(keep: (i: number) => boolean): number {
    const n = this.length;
    const kept: number[] = [];
    for (let i = 0; i < n; i++) if (keep(i)) kept.push(i);
    if (kept.length === n) return 0;
    this.clear();
    for (const i of kept) {
      this.push(this.series[i]!, this.slot[i]!, this.bytes[i]!, this.count[i]!, this.minT[i]!, this.maxT[i]!);
    }
    return n - kept.length;
  }

  private widen(min: number): void {
    const size = Math.max(min, 256, this.series.length * 2);
    this.series = widened(this.series, size);
    this.slot = widened(this.slot, size);
    this.bytes = widened(this.bytes, size);
    this.count = widened(this.count, size);
    this.minT = widened(this.minT, size);
    this.maxT = widened(this.maxT, size);
    this.prev = widened(this.prev, size);
  }
}

/** A copy of `a` with room for `size` elements. */
export function widened<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T, size: number): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a);
  return out;
}
