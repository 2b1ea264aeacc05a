import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeCursor } from '../logs/cursor.js';
import { type LogFilter, logFilter, type TextTerm, wordsOf } from '../logs/filter.js';
import { prepareLogs } from '../logs/prepare.js';
import { compareBuckets, timelineFilter } from '../logs/timeline.js';
import type {
  ErrorBucket,
  ErrorTimelineQuery,
  LogInput,
  LogInsertResult,
  LogPage,
  LogQuery,
  LogRecord,
  LogStore,
} from '../logs/types.js';
import { toMillis } from '../validate.js';
import type { PostgresConnection } from './connection.js';
import { insertIgnoring, Where, withoutNul } from './sql.js';

const COLUMNS = [
  'id',
  'ts',
  'service',
  'level',
  'severity',
  'event',
  'component',
  'message',
  'error',
  'correlation_id',
  'trace_id',
  'span_id',
  'attributes',
  'resource',
] as const;
const SELECT = `seq, ${COLUMNS.join(', ')}`;
const DELETE_CHUNK = 5000;
// PostgreSQL refuses a lexeme of 2048 bytes or more and a tsvector of 1 MB or more; past these, words go unindexed.
const MAX_WORD_BYTES = 2047;
const MAX_WORDS_BYTES = 900_000;

type Row = Omit<LogRecord, 'attributes' | 'resource'> & { attributes: string; resource: string };

/**
 * Log lines in the `logs` table of a PostgreSQL database. Full text is a `tsvector` column (GIN-indexed) of the
 * words the store itself cuts from message and error (the same cut as SQLite's unicode61 tokenizer and the memory
 * store), lowercased, without stemming or stop words: a search finds the same lines on every driver.
 */
export class PostgresLogStore implements LogStore {
  readonly #conn: PostgresConnection;
  readonly #now: () => number;

  constructor(conn: PostgresConnection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  /** Stores a batch in one transaction; ids already stored are kept as they are. */
  async insertBatch(records: readonly LogInput[]): Promise<LogInsertResult> {
    const prepared = prepareLogs(records, this.#now);
    if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
    const rows = withoutNul(prepared.map((r) => [...COLUMNS.map((c) => r[c]), indexedWords(r.message, r.error)]));
    const inserted = await this.#conn.transaction('inserting log lines', (db) =>
      insertIgnoring(db, 'logs', [...COLUMNS, 'words'], rows, {
        words: (param) => `array_to_tsvector(${param}::text[])`,
      }),
    );
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Lines matching the filters, one page of them: by ts then seq, or by seq for a text search (newest first by default). */
  async query(query?: LogQuery): Promise<LogPage> {
    const f = logFilter(query);
    const where = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const order = f.bySeq ? `seq ${dir}` : `ts ${dir}, seq ${dir}`;
    const sql = `SELECT ${SELECT} FROM logs${where.sql} ORDER BY ${order} LIMIT ${where.param(f.limit + 1)}`;
    const rows = await this.#conn.query<Row>('querying log lines', sql, where.params);
    const more = rows.length > f.limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return {
      records: rows.map(fromRow),
      next_cursor: more && last !== undefined ? encodeCursor({ ts: last.ts, seq: last.seq }) : null,
    };
  }

  /** Counts of error lines per bucket and service. */
  async errorTimeline(query: ErrorTimelineQuery): Promise<ErrorBucket[]> {
    const f = timelineFilter(query);
    const where = new Where();
    const since = where.param(f.since);
    const step = where.param(f.step);
    where.add((p) => `level = ANY(${p(f.levels)})`);
    where.add(() => `ts >= ${since}`);
    where.add((p) => `ts < ${p(f.until)}`);
    if (f.service !== null) where.add((p) => `service = ${p(f.service)}`);
    const sql = `SELECT ${since}::bigint + (ts - ${since}::bigint) / ${step}::bigint * ${step}::bigint AS ts,
      service, COUNT(*) AS count FROM logs${where.sql} GROUP BY 1, 2`;
    const rows = await this.#conn.query<ErrorBucket>('counting error lines', sql, where.params);
    return rows.sort(compareBuckets);
  }

  /** Deletes lines older than `ts`, in chunks of 5000 per transaction, yielding to the event loop between them. */
  async deleteBefore(ts: Parameters<LogStore['deleteBefore']>[0]): Promise<number> {
    const cutoff = toMillis(ts, 'ts', 'VIGIL_STORE_BAD_QUERY');
    return deleteInChunks(this.#conn, 'logs', 'deleting old log lines', cutoff);
  }
}

/** Deletes rows of `table` with `ts < cutoff`, DELETE_CHUNK per statement, yielding between them. */
export async function deleteInChunks(
  conn: PostgresConnection,
  table: string,
  doing: string,
  cutoff: number,
): Promise<number> {
  const sql = `WITH gone AS (DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE ts < $1 LIMIT $2)
    RETURNING 1) SELECT COUNT(*) AS n FROM gone`;
  let total = 0;
  for (;;) {
    const n = (await conn.query<{ n: number }>(doing, sql, [cutoff, DELETE_CHUNK]))[0]!.n;
    total += n;
    if (n < DELETE_CHUNK) return total;
    await yieldToLoop();
  }
}

/** The distinct words of a line, within PostgreSQL's tsvector limits. */
function indexedWords(message: string, error: string | null): string[] {
  const words: string[] = [];
  let bytes = 0;
  for (const word of new Set([...wordsOf(message), ...wordsOf(error)])) {
    const size = Buffer.byteLength(word);
    if (size > MAX_WORD_BYTES) continue;
    if (bytes + size + 8 > MAX_WORDS_BYTES) break;
    bytes += size + 8;
    words.push(word);
  }
  return words;
}

/** A tsquery of quoted lexemes, all required: the words hold only letters, digits and marks, never tsquery syntax. */
function tsquery(terms: readonly TextTerm[]): string {
  return terms.map((t) => `'${t.term}'${t.prefix ? ':*' : ''}`).join(' & ');
}

function fromRow(row: Row): LogRecord {
  return { ...row, attributes: JSON.parse(row.attributes), resource: JSON.parse(row.resource) };
}

function whereOf(f: LogFilter): Where {
  const where = new Where();
  const text = f.text;
  if (text !== null) where.add((p) => `words @@ ${p(tsquery(text))}::tsquery`);
  if (f.since !== null) where.add((p) => `ts >= ${p(f.since)}`);
  if (f.until !== null) where.add((p) => `ts < ${p(f.until)}`);
  if (f.levels !== null) where.add((p) => `level = ANY(${p(f.levels)})`);
  for (const [column, value] of f.equal) where.add((p) => `${column} = ${p(value)}`);
  const after = f.after;
  if (after !== null) {
    const op = f.order === 'asc' ? '>' : '<';
    if (f.bySeq) where.add((p) => `seq ${op} ${p(after.seq)}`);
    else where.add((p) => `(ts ${op} ${p(after.ts)} OR (ts = ${p(after.ts)} AND seq ${op} ${p(after.seq)}))`);
  }
  return where;
}
