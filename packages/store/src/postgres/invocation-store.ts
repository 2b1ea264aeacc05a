import { INVOCATION_COLUMNS as COLUMNS } from '../invocations/columns.js';
import { DAILY_SPEND_SELECT } from '../invocations/daily-spend.js';
import { type InvocationFilter, invocationFilter } from '../invocations/filter.js';
import { prepareInvocations } from '../invocations/prepare.js';
import type {
  DailySpend,
  InsertResult,
  InvocationInput,
  InvocationQuery,
  InvocationRecord,
  InvocationStore,
} from '../invocations/types.js';
import type { PostgresConnection } from './connection.js';
import { insertIgnoring, refuseNul, Where } from './sql.js';

const SELECT = COLUMNS.join(', ');

/** The invocation log in the `invocations` table of a PostgreSQL database. */
export class PostgresInvocationStore implements InvocationStore {
  readonly #conn: PostgresConnection;
  readonly #now: () => number;

  constructor(conn: PostgresConnection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  /** Stores a batch in one transaction; ids already stored are kept as they are. */
  async insertBatch(records: readonly InvocationInput[]): Promise<InsertResult> {
    const prepared = prepareInvocations(records, this.#now);
    if (prepared.length === 0) return { inserted: 0, duplicates: 0 };
    refuseNul(prepared, 'records');
    const rows = prepared.map((r) => COLUMNS.map((c) => r[c]));
    const inserted = await this.#conn.transaction('inserting invocations', (db) =>
      insertIgnoring(db, 'invocations', COLUMNS, rows),
    );
    return { inserted, duplicates: prepared.length - inserted };
  }

  /** Calls matching the filters, one page of them, ordered by ts then id. */
  async query(query?: InvocationQuery): Promise<InvocationRecord[]> {
    const f = invocationFilter(query);
    const where = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    // COLLATE "C": ids order by code point, as in SQLite and the memory store, whatever the database's locale.
    const sql = `SELECT ${SELECT} FROM invocations${where.sql} ORDER BY ts ${dir}, id COLLATE "C" ${dir}
      LIMIT ${where.param(f.limit)} OFFSET ${where.param(f.offset)}`;
    return this.#conn.query<InvocationRecord>('querying invocations', sql, where.params);
  }

  /** How many calls match the filters. */
  async count(query?: InvocationQuery): Promise<number> {
    const where = whereOf(invocationFilter(query));
    const rows = await this.#conn.query<{ n: number }>(
      'counting invocations',
      `SELECT COUNT(*) AS n FROM invocations${where.sql}`,
      where.params,
    );
    return rows[0]!.n;
  }

  /** Spend per UTC day of the calls matching the filters, oldest first, summed by PostgreSQL (no row is read into JS). */
  async spendByDay(query?: InvocationQuery): Promise<DailySpend[]> {
    const where = whereOf(invocationFilter(query));
    return this.#conn.query<DailySpend>(
      'summing spend per day',
      `${DAILY_SPEND_SELECT}${where.sql} GROUP BY 1 ORDER BY 1`,
      where.params,
    );
  }
}

function whereOf(f: InvocationFilter): Where {
  const where = new Where();
  if (f.since !== null) where.add((p) => `ts >= ${p(f.since)}`);
  if (f.until !== null) where.add((p) => `ts < ${p(f.until)}`);
  if (f.model !== null) where.add((p) => `(model_alias = ${p(f.model)} OR model_actual = ${p(f.model)})`);
  for (const [column, value] of f.equal) where.add((p) => `${column} = ${p(value)}`);
  return where;
}
