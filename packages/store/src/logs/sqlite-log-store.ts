import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { SqliteConnection } from '../sqlite/connection.js';
import { toMillis } from '../validate.js';
import { encodeCursor } from './cursor.js';
import { type LogFilter, logFilter } from './filter.js';
import { type PreparedLog, prepareLogs } from './prepare.js';
import { compareBuckets, timelineFilter } from './timeline.js';
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
const SELECT = `logs.seq, ${COLUMNS.map((c) => `logs.${c}`).join(', ')}`;
/** Rows deleted per transaction by retention, so a big delete never holds the write lock long. */
const DELETE_CHUNK = 5000;

type Row = Omit<LogRecord, 'attributes' | 'resource'> & { attributes: string; resource: string };

/** Log lines in the `logs` table of a SQLite file, full text in the FTS5 table `logs_fts`. */
export class SqliteLogStore implements LogStore {
  readonly #conn: SqliteConnection;
  readonly #now: () => number;
  #insert: ((records: PreparedLog[]) => number) | null = null;

  constructor(conn: SqliteConnection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  /** Stores a batch in one transaction; ids already stored are kept as they are. */
  async insertBatch(records: readonly LogInput[]): Promise<LogInsertResult> {
    const prepared = prepareLogs(records, this.#now);
    if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
    const inserted = this.#conn.run('inserting log lines', () => this.#inserter()(prepared));
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Lines matching the filters, one page of them, ordered by ts then seq (newest first by default). */
  async query(query?: LogQuery): Promise<LogPage> {
    const f = logFilter(query);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    let rows: Row[];
    if (f.bySeq) {
      // A text search walks the full-text index in rowid order and stops at the page's end.
      const { where, params } = whereOf(f, f.levels);
      const sql = `SELECT ${SELECT} FROM logs_fts JOIN logs ON logs.seq = logs_fts.rowid${where} ORDER BY logs_fts.rowid ${dir} LIMIT ?`;
      rows = this.#conn.run('querying log lines', (db) => db.prepare(sql).all(...params, f.limit + 1)) as Row[];
    } else {
      // One ordered index walk per level ((level, ts) hands each out in time order), merged:
      // several levels in one IN list would make SQLite sort every matching line first.
      rows = [];
      for (const level of f.levels ?? [null]) {
        const { where, params } = whereOf(f, level === null ? null : [level]);
        const sql = `SELECT ${SELECT} FROM logs${where} ORDER BY ts ${dir}, seq ${dir} LIMIT ?`;
        rows.push(
          ...(this.#conn.run('querying log lines', (db) => db.prepare(sql).all(...params, f.limit + 1)) as Row[]),
        );
      }
      if ((f.levels?.length ?? 1) > 1) {
        const sign = f.order === 'desc' ? -1 : 1;
        rows.sort((a, b) => sign * (a.ts - b.ts || a.seq - b.seq));
        rows.length = Math.min(rows.length, f.limit + 1);
      }
    }
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
    const service = f.service === null ? '' : ' AND service = ?';
    const levels = f.levels.map(() => '?').join(', ');
    const sql = `SELECT ? + CAST((ts - ?) / ? AS INTEGER) * ? AS ts, service, COUNT(*) AS count FROM logs
      WHERE level IN (${levels}) AND ts >= ? AND ts < ?${service} GROUP BY 1, 2`;
    const params: unknown[] = [f.since, f.since, f.step, f.step, ...f.levels, f.since, f.until];
    if (f.service !== null) params.push(f.service);
    const rows = this.#conn.run('counting error lines', (db) => db.prepare(sql).all(...params)) as ErrorBucket[];
    return rows.sort(compareBuckets);
  }

  /** Deletes lines older than `ts`, in chunks, yielding to the event loop between them. */
  async deleteBefore(ts: Parameters<LogStore['deleteBefore']>[0]): Promise<number> {
    const cutoff = toMillis(ts, 'ts', 'VIGIL_STORE_BAD_QUERY');
    let total = 0;
    for (;;) {
      const n = this.#conn.run(
        'deleting old log lines',
        (db) =>
          db
            .prepare('DELETE FROM logs WHERE seq IN (SELECT seq FROM logs WHERE ts < ? LIMIT ?)')
            .run(cutoff, DELETE_CHUNK).changes,
      );
      total += n;
      if (n < DELETE_CHUNK) return total;
      await yieldToLoop();
    }
  }

  // Prepared once, on first use: the statement and its transaction are the hot path.
  #inserter(): (records: PreparedLog[]) => number {
    if (this.#insert !== null) return this.#insert;
    const db = this.#conn.db();
    const statement = db.prepare(
      `INSERT OR IGNORE INTO logs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    this.#insert = db.transaction((records: PreparedLog[]) => {
      let inserted = 0;
      for (const r of records) {
        inserted += statement.run(
          r.id,
          r.ts,
          r.service,
          r.level,
          r.severity,
          r.event,
          r.component,
          r.message,
          r.error,
          r.correlation_id,
          r.trace_id,
          r.span_id,
          r.attributes,
          r.resource,
        ).changes;
      }
      return inserted;
    });
    return this.#insert;
  }
}

function fromRow(row: Row): LogRecord {
  return { ...row, attributes: JSON.parse(row.attributes), resource: JSON.parse(row.resource) };
}

function whereOf(f: LogFilter, levels: readonly string[] | null): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f.text !== null) add('logs_fts MATCH ?', f.text.map((t) => `"${t.term}"${t.prefix ? '*' : ''}`).join(' '));
  if (f.since !== null) add('logs.ts >= ?', f.since);
  if (f.until !== null) add('logs.ts < ?', f.until);
  if (levels !== null) {
    if (levels.length === 1) add('logs.level = ?', levels[0]);
    else add(`logs.level IN (${levels.map(() => '?').join(', ')})`, ...levels);
  }
  for (const [column, value] of f.equal) add(`logs.${column} = ?`, value);
  if (f.after !== null) {
    const op = f.order === 'asc' ? '>' : '<';
    if (f.bySeq) add(`logs.seq ${op} ?`, f.after.seq);
    else add(`(logs.ts ${op} ? OR (logs.ts = ? AND logs.seq ${op} ?))`, f.after.ts, f.after.ts, f.after.seq);
  }
  return { where: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
}
