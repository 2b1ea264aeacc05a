import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeCursor } from '../logs/cursor.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { toMillis } from '../validate.js';
import { type SpanFilter, spanFilter } from './filter.js';
import { type PreparedSpan, prepareSpans } from './prepare.js';
import type { SpanInput, SpanInsertResult, SpanPage, SpanQuery, SpanRecord, SpanStore } from './types.js';

const COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'ts',
  'duration_ms',
  'name',
  'kind',
  'service',
  'status',
  'status_message',
  'correlation_id',
  'scope',
  'attributes',
  'events',
  'links',
  'resource',
] as const;
const SELECT = `seq, ${COLUMNS.join(', ')}`;
const DELETE_CHUNK = 5000;

type Row = Omit<SpanRecord, 'attributes' | 'events' | 'links' | 'resource'> & {
  attributes: string;
  events: string;
  links: string;
  resource: string;
};

/** Spans in the `spans` table of a SQLite file; (trace_id, span_id) is unique. */
export class SqliteSpanStore implements SpanStore {
  readonly #conn: SqliteConnection;
  #insert: ((spans: PreparedSpan[]) => number) | null = null;

  constructor(conn: SqliteConnection) {
    this.#conn = conn;
  }

  /** Stores a batch in one transaction; spans already stored are kept as they are. */
  async insertBatch(spans: readonly SpanInput[]): Promise<SpanInsertResult> {
    const prepared = prepareSpans(spans);
    if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
    const inserted = this.#conn.run('inserting spans', () => this.#inserter()(prepared));
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Spans matching the filters, one page of them, ordered by start time then seq. */
  async query(query?: SpanQuery): Promise<SpanPage> {
    const f = spanFilter(query);
    const { where, params } = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${SELECT} FROM spans${where} ORDER BY ts ${dir}, seq ${dir} LIMIT ?`;
    const rows = this.#conn.run('querying spans', (db) => db.prepare(sql).all(...params, f.limit + 1)) as Row[];
    const more = rows.length > f.limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return {
      records: rows.map(fromRow),
      next_cursor: more && last !== undefined ? encodeCursor({ ts: last.ts, seq: last.seq }) : null,
    };
  }

  /** Deletes spans that started before `ts`, in chunks, yielding between them. */
  async deleteBefore(ts: Parameters<SpanStore['deleteBefore']>[0]): Promise<number> {
    const cutoff = toMillis(ts, 'ts', 'VIGIL_STORE_BAD_QUERY');
    let total = 0;
    for (;;) {
      const n = this.#conn.run(
        'deleting old spans',
        (db) =>
          db
            .prepare('DELETE FROM spans WHERE seq IN (SELECT seq FROM spans WHERE ts < ? LIMIT ?)')
            .run(cutoff, DELETE_CHUNK).changes,
      );
      total += n;
      if (n < DELETE_CHUNK) return total;
      await yieldToLoop();
    }
  }

  #inserter(): (spans: PreparedSpan[]) => number {
    if (this.#insert !== null) return this.#insert;
    const db = this.#conn.db();
    const statement = db.prepare(
      `INSERT OR IGNORE INTO spans (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    this.#insert = db.transaction((spans: PreparedSpan[]) => {
      let inserted = 0;
      for (const s of spans) {
        inserted += statement.run(
          s.trace_id,
          s.span_id,
          s.parent_span_id,
          s.ts,
          s.duration_ms,
          s.name,
          s.kind,
          s.service,
          s.status,
          s.status_message,
          s.correlation_id,
          s.scope,
          s.attributes,
          s.events,
          s.links,
          s.resource,
        ).changes;
      }
      return inserted;
    });
    return this.#insert;
  }
}

function fromRow(row: Row): SpanRecord {
  return {
    ...row,
    attributes: JSON.parse(row.attributes),
    events: JSON.parse(row.events),
    links: JSON.parse(row.links),
    resource: JSON.parse(row.resource),
  };
}

function whereOf(f: SpanFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f.since !== null) add('ts >= ?', f.since);
  if (f.until !== null) add('ts < ?', f.until);
  if (f.minDuration !== null) add('duration_ms >= ?', f.minDuration);
  for (const [column, value] of f.equal) add(`${column} = ?`, value);
  if (f.after !== null) {
    const op = f.order === 'asc' ? '>' : '<';
    add(`(ts ${op} ? OR (ts = ? AND seq ${op} ?))`, f.after.ts, f.after.ts, f.after.seq);
  }
  return { where: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
}
