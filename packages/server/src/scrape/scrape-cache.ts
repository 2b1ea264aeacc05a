import type { Label } from '@vigil/tsdb';

/** What the cache knows of one series text of a target's exposition. */
export interface CacheEntry {
  /** The series as the exposition writes it (name and label block), the cache's key. */
  readonly key: string;
  /** The labels it is stored under, or undefined when metric relabeling drops it. */
  readonly labels: Label[] | undefined;
  /** The store's ref once appended (-1 before). */
  ref: number;
  /** The scrape that last saw it. */
  seen: number;
  /** Its last sample had no timestamp of its own, so it goes stale when it disappears. */
  tracked: boolean;
}

/**
 * Per-target memory of series texts, so a steady target costs a lookup per sample and not a
 * label build: targets write their series in the same order every time, so each sample is first
 * compared with the one at the same position in the last scrape, and only looked up by text when
 * that differs. Entries of series that disappear are forgotten after the scrape that lost them.
 */
export class ScrapeCache {
  private readonly byKey = new Map<string, CacheEntry>();
  /** The last stored scrape's entries, in exposition order. */
  private order: CacheEntry[] = [];
  private next: CacheEntry[] = [];
  private iteration = 0;

  /** Starts reading a new scrape. */
  begin(): void {
    this.iteration++;
    this.next.length = 0;
  }

  /** The entry of series text `key`; `labelsOf` builds the labels of one not seen before (it may throw). */
  lookup(key: string, labelsOf: () => Label[] | undefined): CacheEntry {
    let entry = this.order[this.next.length];
    if (entry === undefined || entry.key !== key) {
      entry = this.byKey.get(key);
      if (entry === undefined) {
        entry = { key, labels: labelsOf(), ref: -1, seen: 0, tracked: false };
        this.byKey.set(key, entry);
      }
    }
    entry.seen = this.iteration;
    this.next.push(entry);
    return entry;
  }

  /** The scrape was stored: returns the entries of the last one it no longer has (now forgotten). */
  commit(): CacheEntry[] {
    const gone: CacheEntry[] = [];
    for (const entry of this.order) {
      if (entry.seen === this.iteration) continue;
      gone.push(entry);
      this.byKey.delete(entry.key);
    }
    [this.order, this.next] = [this.next, this.order];
    this.next.length = 0;
    return gone;
  }

  /** The scrape failed: returns every entry of the last stored scrape (they go stale) and starts over. */
  reset(): CacheEntry[] {
    const last = this.order;
    this.order = [];
    this.next = [];
    this.byKey.clear();
    return last;
  }
}
