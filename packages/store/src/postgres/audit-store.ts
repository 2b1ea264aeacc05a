import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type ChainHead, ChainVerifier } from '../audit/chain.js';
import { type AuditFilter, auditFilter } from '../audit/filter.js';
import {
  type AuditRow,
  chainRow,
  conflict,
  type PreparedAuditEvent,
  prepareAuditBatch,
  prepareAuditEvent,
  sameEvent,
  toEvent,
} from '../audit/prepare.js';
import type { AuditEvent, AuditEventInput, AuditQuery, AuditStore, AuditVerifyResult } from '../audit/types.js';
import type { PostgresConnection, Queryable } from './connection.js';
import { insertIgnoring, refuseNul, Where } from './sql.js';

const PAGE = 5000;
const COLUMNS = [
  'seq',
  'id',
  'ts',
  'event_type',
  'actor_user_id',
  'target_user_id',
  'target_app_id',
  'success',
  'details',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof AuditRow)[];
const SELECT = COLUMNS.join(', ');

/** The audit log in the `audit_log` table of a PostgreSQL database, its head in `audit_chain_head`. */
export class PostgresAuditStore implements AuditStore {
  readonly #conn: PostgresConnection;
  readonly #now: () => number;

  constructor(conn: PostgresConnection, now: () => number) {
    this.#conn = conn;
    this.#now = now;
  }

  /** Validates, chains and stores one event. */
  async append(event: AuditEventInput): Promise<AuditEvent> {
    return toEvent((await this.#store([prepareAuditEvent(event, this.#now)]))[0]!);
  }

  /** Appends several events in one transaction: all of them, or none. */
  async appendBatch(events: readonly AuditEventInput[]): Promise<AuditEvent[]> {
    return (await this.#store(prepareAuditBatch(events, this.#now))).map(toEvent);
  }

  /** Events matching the filters, one page of them, ordered by ts then seq. */
  async query(query?: AuditQuery): Promise<AuditEvent[]> {
    const f = auditFilter(query);
    const where = whereOf(f);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${SELECT} FROM audit_log${where.sql} ORDER BY ts ${dir}, seq ${dir}
      LIMIT ${where.param(f.limit)} OFFSET ${where.param(f.offset)}`;
    return (await this.#conn.query<AuditRow>('querying the audit log', sql, where.params)).map(toEvent);
  }

  /** How many events match the filters. */
  async count(query?: AuditQuery): Promise<number> {
    const where = whereOf(auditFilter(query));
    const sql = `SELECT COUNT(*) AS n FROM audit_log${where.sql}`;
    return (await this.#conn.query<{ n: number }>('counting audit events', sql, where.params))[0]!.n;
  }

  /**
   * Walks the chain in pages inside one read-only REPEATABLE READ transaction, so appends go on meanwhile and are
   * not seen half-done; yields to the event loop between pages.
   */
  async verify(): Promise<AuditVerifyResult> {
    return this.#conn.transaction(
      'verifying the audit log',
      async (db) => {
        const verifier = new ChainVerifier(await headOf(db, ''));
        let after = Number.MIN_SAFE_INTEGER;
        for (;;) {
          const { rows } = await db.query<AuditRow>(
            `SELECT ${SELECT} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
            [after, PAGE],
          );
          for (const row of rows) {
            const broken = verifier.push(row);
            if (broken !== null) return verifier.finish(broken);
          }
          if (rows.length < PAGE) return verifier.finish(null);
          after = rows[rows.length - 1]!.seq;
          await yieldToLoop();
        }
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  // The head row is locked (FOR UPDATE) before it is read, so one transaction at a time computes the chain, across
  // every process on the database; the others wait for its commit and chain from the head it wrote.
  #store(events: PreparedAuditEvent[]): Promise<AuditRow[]> {
    refuseNul(events, 'events');
    return this.#conn.transaction('appending to the audit log', async (db) => {
      const head = await headOf(db, ' FOR UPDATE');
      const last = await db.query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM audit_log');
      let seq = last.rows[0]?.seq ?? 0;
      const ids = events.map((event) => event.id);
      const stored = await db.query<AuditRow>(`SELECT ${SELECT} FROM audit_log WHERE id = ANY($1)`, [ids]);
      const byId = new Map(stored.rows.map((row) => [row.id, row]));
      const rows: AuditRow[] = [];
      const added: AuditRow[] = [];
      for (const event of events) {
        const found = byId.get(event.id);
        if (found !== undefined) {
          if (!sameEvent(found, event)) throw conflict(event.id, found.seq);
          rows.push(found);
          continue;
        }
        const row = chainRow(event, ++seq, head.hash);
        head.length++;
        head.hash = row.hash;
        rows.push(row);
        added.push(row);
      }
      // Under the head lock no other append runs, so every new row goes in; a shortfall is a bug, not a race.
      const values = added.map((row) => COLUMNS.map((column) => row[column]));
      const inserted = await insertIgnoring(db, 'audit_log', COLUMNS, values);
      if (inserted !== added.length) throw new Error(`stored ${inserted} of ${added.length} new events`);
      await db.query('UPDATE audit_chain_head SET length = $1, hash = $2 WHERE one = 1', [head.length, head.hash]);
      return rows;
    });
  }
}

async function headOf(db: Queryable, lock: string): Promise<ChainHead> {
  const { rows } = await db.query<ChainHead>(`SELECT length, hash FROM audit_chain_head WHERE one = 1${lock}`);
  return rows[0]!;
}

function whereOf(f: AuditFilter): Where {
  const where = new Where();
  if (f.eventTypes !== null) where.add((p) => `event_type = ANY(${p(f.eventTypes)})`);
  if (f.actorUserId !== null) where.add((p) => `actor_user_id = ${p(f.actorUserId)}`);
  if (f.targetUserId !== null) where.add((p) => `target_user_id = ${p(f.targetUserId)}`);
  if (f.targetAppId !== null) where.add((p) => `target_app_id = ${p(f.targetAppId)}`);
  if (f.since !== null) where.add((p) => `ts >= ${p(f.since)}`);
  if (f.until !== null) where.add((p) => `ts < ${p(f.until)}`);
  if (f.successOnly) where.add(() => 'success');
  return where;
}
