import { toMillis } from '../validate.js';
import { encodeCursor } from './cursor.js';
import { logFilter, matchesLog } from './filter.js';
import { prepareLogs } from './prepare.js';
import { bucketize, timelineFilter } from './timeline.js';
import type {
  ErrorBucket,
  ErrorTimelineQuery,
  LogInput,
  LogInsertResult,
  LogPage,
  LogQuery,
  LogRecord,
  LogStore,
} from './types.js';

/** A LogStore in memory, for tests; it passes the same contract suite as the SQLite store. */
export class MemoryLogStore implements LogStore {
  readonly #rows: LogRecord[] = [];
  readonly #ids = new Set<string>();
  readonly #now: () => number;
  #seq = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Stores a batch; a bad line rejects all of it. */
  async insertBatch(records: readonly LogInput[]): Promise<LogInsertResult> {
    const prepared = prepareLogs(records, this.#now);
    let inserted = 0;
    for (const r of prepared) {
      if (r.id !== null) {
        if (this.#ids.has(r.id)) continue;
        this.#ids.add(r.id);
      }
      this.#rows.push({
        ...r,
        seq: ++this.#seq,
        attributes: JSON.parse(r.attributes),
        resource: JSON.parse(r.resource),
      });
      inserted++;
    }
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Lines matching the filters, one page of them. */
  async query(query?: LogQuery): Promise<LogPage> {
    const f = logFilter(query);
    const rows = this.#rows
      .filter((row) => matchesLog(row, f))
      .sort((a, b) => (f.bySeq ? 0 : a.ts - b.ts) || a.seq - b.seq);
    if (f.order === 'desc') rows.reverse();
    const records = rows.slice(0, f.limit).map((row) => structuredClone(row));
    const last = records[records.length - 1];
    return {
      records,
      next_cursor: rows.length > f.limit && last !== undefined ? encodeCursor({ ts: last.ts, seq: last.seq }) : null,
    };
  }

  /** Counts of error lines per bucket and service. */
  async errorTimeline(query: ErrorTimelineQuery): Promise<ErrorBucket[]> {
    return bucketize(this.#rows, timelineFilter(query));
  }

  /** Deletes lines older than `ts`. */
  async deleteBefore(ts: Parameters<LogStore['deleteBefore']>[0]): Promise<number> {
    const cutoff = toMillis(ts, 'ts', 'VIGIL_STORE_BAD_QUERY');
    const kept = this.#rows.filter((row) => row.ts >= cutoff);
    const removed = this.#rows.length - kept.length;
    for (const row of this.#rows) if (row.ts < cutoff && row.id !== null) this.#ids.delete(row.id);
    this.#rows.splice(0, this.#rows.length, ...kept);
    return removed;
  }
}
