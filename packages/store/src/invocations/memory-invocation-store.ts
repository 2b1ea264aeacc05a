import { dailySpend } from './daily-spend.js';
import { compareInvocations, invocationFilter, matchesInvocation } from './filter.js';
import { prepareInvocations } from './prepare.js';
import type {
  DailySpend,
  InsertResult,
  InvocationInput,
  InvocationQuery,
  InvocationRecord,
  InvocationStore,
} from './types.js';

/** An InvocationStore in memory, for tests; it passes the same contract suite as the SQLite store. */
export class MemoryInvocationStore implements InvocationStore {
  readonly #rows = new Map<string, InvocationRecord>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Stores a batch; a bad record rejects all of it. */
  async insertBatch(records: readonly InvocationInput[]): Promise<InsertResult> {
    const prepared = prepareInvocations(records, this.#now);
    let inserted = 0;
    for (const record of prepared) {
      if (this.#rows.has(record.id)) continue;
      this.#rows.set(record.id, record);
      inserted++;
    }
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Calls matching the filters, one page of them. */
  async query(query?: InvocationQuery): Promise<InvocationRecord[]> {
    const f = invocationFilter(query);
    const rows = [...this.#rows.values()].filter((row) => matchesInvocation(row, f)).sort(compareInvocations);
    if (f.order === 'desc') rows.reverse();
    return rows.slice(f.offset, f.offset + f.limit).map((row) => ({ ...row }));
  }

  /** How many calls match the filters. */
  async count(query?: InvocationQuery): Promise<number> {
    const f = invocationFilter(query);
    let n = 0;
    for (const row of this.#rows.values()) if (matchesInvocation(row, f)) n++;
    return n;
  }

  /** Spend per UTC day of the calls matching the filters, oldest first. */
  async spendByDay(query?: InvocationQuery): Promise<DailySpend[]> {
    const f = invocationFilter(query);
    return dailySpend([...this.#rows.values()].filter((row) => matchesInvocation(row, f)).sort(compareInvocations));
  }
}
