import type { InvocationRow } from './row.js';
import type { InvocationSink } from './sink.js';

/** A sink that keeps every row in memory: the public test double (assert on `rows`). */
export class MemorySink implements InvocationSink {
  /** Every row written, in order. */
  readonly rows: InvocationRow[] = [];
  #closed = false;

  /** Keeps the row (unless closed). */
  write(row: InvocationRow): void {
    if (!this.#closed) this.rows.push(row);
  }

  /** Nothing to deliver. */
  async flush(): Promise<void> {}

  /** Later writes are ignored. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Forgets the rows kept so far. */
  clear(): void {
    this.rows.length = 0;
  }
}

/** Creates a `MemorySink`. */
export function createMemorySink(): MemorySink {
  return new MemorySink();
}
