import { encodeCursor } from '../logs/cursor.js';
import { type SpanFilter, spanFilter } from '../spans/filter.js';
import { prepareSpans } from '../spans/prepare.js';
import type { SpanInput, SpanInsertResult, SpanPage, SpanQuery, SpanRecord, SpanStore } from '../spans/types.js';
import { toMillis } from '../validate.js';
import type { PostgresConnection } from './connection.js';
import { deleteInChunks } from './log-store.js';
import { insertIgnoring, Where, withoutNul } from './sql.js';

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

type Row = Omit<SpanRecord, 'attributes' | 'events' | 'links' | 'resource'> & {
  attributes: string;
  events: string;
  links: string;
  resource: string;
};

/** Spans in the `spans` table of a PostgreSQL database; (trace_id, span_id) is unique. */
export class PostgresSpanStore implements SpanStore {
  readonly #conn: PostgresConnection;

  constructor(conn: PostgresConnection) {
    this.#conn = conn;
  }

  /** Stores a batch in one transaction; spans already stored are kept as they are. */
  async insertBatch(spans: readonly SpanInput[]): Promise<SpanInsertResult> {
    const prepared = prepareSpans(spans);
    if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
    const rows = withoutNul(prepared.map((s) => COLUMNS.map((c) => s[c])));
    const inserted = await this.#conn.transaction('inserting spans', (db) =>
      insertIgnoring(db, 'spans', COLUMNS, rows),
    );
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Spans matching the filters, one page of them, ordered by start time then seq. */
  async query(query?: SpanQuery): Promise<SpanPage> {
    const f = spanFilter(query);
    const where = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${SELECT} FROM spans${where.sql} ORDER BY ts ${dir}, seq ${dir} LIMIT ${where.param(f.limit + 1)}`;
    const rows = await this.#conn.query<Row>('querying spans', sql, where.params);
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
    return deleteInChunks(this.#conn, 'spans', 'deleting old spans', toMillis(ts, 'ts', 'VIGIL_STORE_BAD_QUERY'));
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

function whereOf(f: SpanFilter): Where {
  const where = new Where();
  if (f.since !== null) where.add((p) => `ts >= ${p(f.since)}`);
  if (f.until !== null) where.add((p) => `ts < ${p(f.until)}`);
  if (f.minDuration !== null) where.add((p) => `duration_ms >= ${p(f.minDuration)}`);
  for (const [column, value] of f.equal) where.add((p) => `${column} = ${p(value)}`);
  const after = f.after;
  if (after !== null) {
    const op = f.order === 'asc' ? '>' : '<';
    where.add((p) => `(ts ${op} ${p(after.ts)} OR (ts = ${p(after.ts)} AND seq ${op} ${p(after.seq)}))`);
  }
  return where;
}
