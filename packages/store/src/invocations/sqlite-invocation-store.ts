import type { Statement } from 'better-sqlite3';
import type { SqliteConnection } from '../sqlite/connection.js';
import { INVOCATION_COLUMNS as COLUMNS } from './columns.js';
import { DAILY_SPEND_SELECT } from './daily-spend.js';
import { type InvocationFilter, invocationFilter } from './filter.js';
import { prepareInvocations } from './prepare.js';
import type {
  DailySpend,
  InsertResult,
  InvocationInput,
  InvocationQuery,
  InvocationRecord,
  InvocationStore,
} from './types.js';

const SELECT = COLUMNS.join(', ');

type Row = Omit<InvocationRecord, 'is_shadow' | 'overflow_escalated'> & {
  is_shadow: number;
  overflow_escalated: number;
};

/** The invocation log in the `invocations` table of a SQLite file. */
export class SqliteInvocationStore implements InvocationStore {
  readonly #conn: SqliteConnection;
  readonly #now: () => number;
  #insert: ((records: InvocationRecord[]) => number) | null = null;

  constructor(conn: SqliteConnection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  /** Stores a batch in one transaction; ids already stored are kept as they are. */
  async insertBatch(records: readonly InvocationInput[]): Promise<InsertResult> {
    const prepared = prepareInvocations(records, this.#now);
    if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
    const inserted = this.#conn.run('inserting invocations', () => this.#inserter()(prepared));
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Calls matching the filters, one page of them, ordered by ts then id. */
  async query(query?: InvocationQuery): Promise<InvocationRecord[]> {
    const f = invocationFilter(query);
    const { where, params } = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${SELECT} FROM invocations${where} ORDER BY ts ${dir}, id ${dir} LIMIT ? OFFSET ?`;
    const rows = this.#conn.run('querying invocations', (db) => db.prepare(sql).all(...params, f.limit, f.offset));
    return (rows as Row[]).map((row) => ({
      ...row,
      is_shadow: row.is_shadow === 1,
      overflow_escalated: row.overflow_escalated === 1,
    }));
  }

  /** How many calls match the filters. */
  async count(query?: InvocationQuery): Promise<number> {
    const { where, params } = whereOf(invocationFilter(query));
    const row = this.#conn.run('counting invocations', (db) =>
      db.prepare(`SELECT COUNT(*) AS n FROM invocations${where}`).get(...params),
    );
    return (row as { n: number }).n;
  }

  /** Spend per UTC day of the calls matching the filters, oldest first, summed by SQLite (no row is read into JS). */
  async spendByDay(query?: InvocationQuery): Promise<DailySpend[]> {
    const { where, params } = whereOf(invocationFilter(query));
    const rows = this.#conn.run('summing spend per day', (db) =>
      db.prepare(`${DAILY_SPEND_SELECT}${where} GROUP BY 1 ORDER BY 1`).all(...params),
    );
    return rows as DailySpend[];
  }

  // Prepared once, on first use: the statements and their transaction are the hot path. Rows go in
  // groups of GROUP_ROWS per statement (one bind and step for many rows), the rest one at a time.
  // Values are passed as arguments, not as one array: better-sqlite3 reads an array's elements
  // through V8's generic property lookup, which cost ~25% of the rows/s (docs/benchmarks.md).
  #inserter(): (records: InvocationRecord[]) => number {
    if (this.#insert !== null) return this.#insert;
    const db = this.#conn.db();
    const row = `(${COLUMNS.map(() => '?').join(', ')})`;
    const insert = (rows: number): Statement<unknown[]> =>
      db.prepare(
        `INSERT OR IGNORE INTO invocations (${COLUMNS.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`,
      );
    const one = insert(1);
    const group = insert(GROUP_ROWS);
    this.#insert = db.transaction((records: InvocationRecord[]) => {
      let inserted = 0;
      let at = 0;
      for (; at + GROUP_ROWS <= records.length; at += GROUP_ROWS) {
        const params: unknown[] = [];
        for (let i = at; i < at + GROUP_ROWS; i++) pushParams(params, records[i]!);
        inserted += group.run(...params).changes;
      }
      for (; at < records.length; at++) inserted += one.run(...pushParams([], records[at]!)).changes;
      return inserted;
    });
    return this.#insert;
  }
}

/** Rows per multi-row INSERT (27 columns each: far below SQLite's limit on parameters). */
const GROUP_ROWS = 20;

/** Appends a record's values in COLUMNS order; the contract's round trip of a full record catches a slip. */
function pushParams(out: unknown[], r: InvocationRecord): unknown[] {
  out.push(
    r.id,
    r.ts,
    r.app_id,
    r.session_id,
    r.correlation_id,
    r.task_type,
    r.model_alias,
    r.model_actual,
    r.provider,
    r.input_hash,
    r.latency_ms,
    r.tokens_in,
    r.tokens_out,
    r.cache_read_tokens_in,
    r.cache_creation_tokens_in,
    r.cost_usd,
    r.user_id,
    r.task_id,
    r.is_shadow ? 1 : 0,
    r.skill_id,
    r.escalation_request_id,
    r.chain_id,
    r.caller,
    r.queue_wait_ms,
    r.overflow_escalated ? 1 : 0,
    r.status,
    r.error,
  );
  return out;
}

function whereOf(f: InvocationFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f.since !== null) add('ts >= ?', f.since);
  if (f.until !== null) add('ts < ?', f.until);
  if (f.model !== null) add('(model_alias = ? OR model_actual = ?)', f.model, f.model);
  for (const [column, value] of f.equal) add(`${column} = ?`, value);
  return { where: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
}
