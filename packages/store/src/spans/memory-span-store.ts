import { encodeCursor } from '../logs/cursor.js';
import { toMillis } from '../validate.js';
import { matchesSpan, spanFilter } from './filter.js';
import { prepareSpans } from './prepare.js';
import type { SpanInput, SpanInsertResult, SpanPage, SpanQuery, SpanRecord, SpanStore } from './types.js';

/** A SpanStore in memory, for tests; it passes the same contract suite as the SQLite store. */
export class MemorySpanStore implements SpanStore {
  readonly #rows = new Map<string, SpanRecord>();
  #seq = 0;

  /** Stores a batch; a bad span rejects all of it. */
  async insertBatch(spans: readonly SpanInput[]): Promise<SpanInsertResult> {
    const prepared = prepareSpans(spans);
    let inserted = 0;
    for (const s of prepared) {
      const key = `${s.trace_id}/${s.span_id}`;
      if (this.#rows.has(key)) continue;
      this.#rows.set(key, {
        ...s,
        seq: ++this.#seq,
        attributes: JSON.parse(s.attributes),
        events: JSON.parse(s.events),
        links: JSON.parse(s.links),
        resource: JSON.parse(s.resource),
      });
      inserted++;
    }
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Spans matching the filters, one page of them. */
  async query(query?: SpanQuery): Promise<SpanPage> {
    const f = spanFilter(query);
    const rows = [...this.#rows.values()]
      .filter((row) => matchesSpan(row, f))
      .sort((a, b) => a.ts - b.ts || a.seq - b.seq);
    if (f.order === 'desc') rows.reverse();
    const records = rows.slice(0, f.limit).map((row) => structuredClone(row));
    const last = records[records.length - 1];
    return {
      records,
      next_cursor: rows.length > f.limit && last !== undefined ? encodeCursor({ ts: last.ts, seq: last.seq }) : null,
    };
  }

  /** Deletes spans that started before `ts`. */
  async deleteBefore(ts: Parameters<SpanStore['deleteBefore']>[0]): Promise<number> {
    const cutoff = toMillis(ts, 'ts', 'VIGIL_STORE_BAD_QUERY');
    let removed = 0;
    for (const [key, row] of this.#rows) {
      if (row.ts < cutoff) {
        this.#rows.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
