import { setImmediate as yieldToLoop } from 'node:timers/promises';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { ioError, type SqliteConnection } from '../sqlite/connection.js';
import { type ChainHead, ChainVerifier } from './chain.js';
import { type AuditFilter, auditFilter } from './filter.js';
import {
  type AuditRow,
  chainRow,
  conflict,
  type PreparedAuditEvent,
  prepareAuditBatch,
  prepareAuditEvent,
  sameEvent,
  toEvent,
} from './prepare.js';
import type { AuditEvent, AuditEventInput, AuditQuery, AuditStore, AuditVerifyResult } from './types.js';

type Row = Omit<AuditRow, 'success'> & { success: number };

const PAGE = 5000;
const SELECT =
  'seq, id, ts, event_type, actor_user_id, target_user_id, target_app_id, success, details, prev_hash, hash';

/** The audit log in the `audit_log` table of a SQLite file, its head in `audit_chain_head`. */
export class SqliteAuditStore implements AuditStore {
  readonly #conn: SqliteConnection;
  readonly #now: () => number;
  #append: ((events: PreparedAuditEvent[]) => AuditRow[]) | null = null;

  constructor(conn: SqliteConnection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  /** Validates, chains and stores one event. */
  async append(event: AuditEventInput): Promise<AuditEvent> {
    return toEvent(this.#store([prepareAuditEvent(event, this.#now)])[0]!);
  }

  /** Appends several events in one transaction: all of them, or none. */
  async appendBatch(events: readonly AuditEventInput[]): Promise<AuditEvent[]> {
    return this.#store(prepareAuditBatch(events, this.#now)).map(toEvent);
  }

  /** Events matching the filters, one page of them, ordered by ts then seq. */
  async query(query?: AuditQuery): Promise<AuditEvent[]> {
    const f = auditFilter(query);
    const { where, params } = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${SELECT} FROM audit_log${where} ORDER BY ts ${dir}, seq ${dir} LIMIT ? OFFSET ?`;
    const rows = this.#conn.run('querying the audit log', (db) => db.prepare(sql).all(...params, f.limit, f.offset));
    return (rows as Row[]).map((row) => toEvent(fromRow(row)));
  }

  /** How many events match the filters. */
  async count(query?: AuditQuery): Promise<number> {
    const { where, params } = whereOf(auditFilter(query));
    const row = this.#conn.run('counting audit events', (db) =>
      db.prepare(`SELECT COUNT(*) AS n FROM audit_log${where}`).get(...params),
    );
    return (row as { n: number }).n;
  }

  /**
   * Walks the chain in pages, yielding to the event loop between them, inside one read
   * transaction on a second connection: appends go on meanwhile and are not seen half-done.
   */
  async verify(): Promise<AuditVerifyResult> {
    const conn = this.#conn;
    if (conn.path === ':memory:')
      return conn.run('verifying the audit log', (db) => db.transaction(() => walkSync(db))());
    conn.db();
    let reader: Database | null = null;
    try {
      reader = new BetterSqlite3(conn.path, { readonly: true, fileMustExist: true });
      reader.exec('BEGIN');
      const verifier = new ChainVerifier(headOf(reader));
      const next = reader.prepare(`SELECT ${SELECT} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`);
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = next.all(after, PAGE) as Row[];
        for (const row of rows) {
          const broken = verifier.push(fromRow(row));
          if (broken !== null) return verifier.finish(broken);
        }
        if (rows.length < PAGE) return verifier.finish(null);
        after = rows[rows.length - 1]!.seq;
        await yieldToLoop();
      }
    } catch (err) {
      throw ioError(conn.path, 'verifying the audit log', err);
    } finally {
      reader?.close();
    }
  }

  #store(events: PreparedAuditEvent[]): AuditRow[] {
    return this.#conn.run('appending to the audit log', () => this.#appender()(events));
  }

  // Prepared once, on first append. IMMEDIATE takes the write lock before the head is read,
  // so one writer computes the chain at a time, even across processes sharing the file.
  #appender(): (events: PreparedAuditEvent[]) => AuditRow[] {
    if (this.#append !== null) return this.#append;
    const db = this.#conn.db();
    const byId = db.prepare(`SELECT ${SELECT} FROM audit_log WHERE id = ?`);
    const insert = db.prepare(`INSERT INTO audit_log
      (id, ts, event_type, actor_user_id, target_user_id, target_app_id, success, details, prev_hash, hash)
      VALUES (@id, @ts, @event_type, @actor_user_id, @target_user_id, @target_app_id, @success, @details, @prev_hash, @hash)`);
    const setHead = db.prepare('UPDATE audit_chain_head SET length = ?, hash = ? WHERE one = 1');
    const append = db.transaction((events: PreparedAuditEvent[]) => {
      const head = headOf(db);
      const rows = events.map((event) => {
        const stored = byId.get(event.id) as Row | undefined;
        if (stored !== undefined) {
          const row = fromRow(stored);
          if (!sameEvent(row, event)) throw conflict(event.id, row.seq);
          return row;
        }
        const row = chainRow(event, 0, head.hash);
        row.seq = Number(insert.run({ ...row, success: row.success ? 1 : 0 }).lastInsertRowid);
        head.length++;
        head.hash = row.hash;
        return row;
      });
      setHead.run(head.length, head.hash);
      return rows;
    });
    this.#append = (events) => append.immediate(events);
    return this.#append;
  }
}

function walkSync(db: Database): AuditVerifyResult {
  const verifier = new ChainVerifier(headOf(db));
  for (const row of db.prepare(`SELECT ${SELECT} FROM audit_log ORDER BY seq`).iterate() as Iterable<Row>) {
    const broken = verifier.push(fromRow(row));
    if (broken !== null) return verifier.finish(broken);
  }
  return verifier.finish(null);
}

function headOf(db: Database): ChainHead {
  return db.prepare('SELECT length, hash FROM audit_chain_head WHERE one = 1').get() as ChainHead;
}

function fromRow(row: Row): AuditRow {
  return { ...row, success: row.success === 1 };
}

function whereOf(f: AuditFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (f.eventTypes !== null) add(`event_type IN (${f.eventTypes.map(() => '?').join(', ')})`, ...f.eventTypes);
  if (f.actorUserId !== null) add('actor_user_id = ?', f.actorUserId);
  if (f.targetUserId !== null) add('target_user_id = ?', f.targetUserId);
  if (f.targetAppId !== null) add('target_app_id = ?', f.targetAppId);
  if (f.since !== null) add('ts >= ?', f.since);
  if (f.until !== null) add('ts < ?', f.until);
  if (f.successOnly) add('success = 1');
  return { where: clauses.length === 0 ? '' : ` WHERE ${clauses.join(' AND ')}`, params };
}
